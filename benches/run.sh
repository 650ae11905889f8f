#!/usr/bin/env bash
# Runs every benchmark of pabbly-benches once and writes benches/results/ (tables, CSVs, plot).
#
#   bash benches/run.sh            # about 35 minutes on 2 cores
#
# The runtime figures are criterion benches; the compile-time ones come from the compile-time
# binary; `report` turns one run's numbers into ratios and tables, and plot.py draws the PNG.
# Run it on an idle machine: check `uptime` first (it is recorded in results/machine.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
results=benches/results
mkdir -p "$results"

{
    echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "load before: $(uptime)"
    echo "nproc: $(nproc)"
    lscpu | head -20
    free -h | head -2
    rustc --version
} > "$results/machine.txt"

cargo bench -p pabbly-benches --bench per_call
cargo bench -p pabbly-benches --bench decode
cargo bench -p pabbly-benches --bench expand
cargo run -p pabbly-benches --bin expand-time   # dev profile on purpose: unoptimized, as a default build runs the macro
cargo run --release -p pabbly-benches --bin compile-time
echo "load after: $(uptime)" >> "$results/machine.txt"
cargo run --release -p pabbly-benches --bin report
python3 benches/plot.py
