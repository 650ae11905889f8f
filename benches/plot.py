#!/usr/bin/env python3
"""Draws benches/results/scaling.png: expansion time and `cargo check` time against the number of
operations, from benches/results/scaling.csv (written by `cargo run -p pabbly-benches --bin report`).

    pip install matplotlib
    python3 benches/plot.py

Both axes are logarithmic, so linear growth is a line of slope 1; for the expansion times and
the net check time a dotted line of slope 1 through the first point shows exactly linear growth.
"""

import csv
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

RESULTS = pathlib.Path(__file__).resolve().parent / "results"


def floats(rows, key):
    return [float(row[key]) if row[key] else None for row in rows]


def main() -> int:
    with open(RESULTS / "scaling.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        print("scaling.csv has no rows: run the benches and the report first", file=sys.stderr)
        return 1
    ops = [int(row["operations"]) for row in rows]
    # (label, values, style, colour, annotate, draw the linear reference)
    series = [
        ("macro expansion, optimized (criterion)", floats(rows, "expand_seconds"), "o-", "tab:blue", True, True),
        ("macro expansion, unoptimized (in process)", floats(rows, "expand_unoptimized_seconds"), "v-", "tab:purple", False, True),
        ("macro inside rustc, default build (unoptimized macro)", floats(rows, "macro_in_rustc_seconds"), "P-", "tab:brown", True, True),
        ("macro inside rustc, build-override opt-level 3", floats(rows, "macro_in_rustc_optimized_macros_seconds"), "X-", "tab:cyan", True, True),
        ("`cargo check` of the crate", floats(rows, "check_seconds"), "s-", "tab:orange", True, False),
        ("`cargo check` minus the no-macro baseline", floats(rows, "check_minus_baseline_seconds"), "^--", "tab:red", False, True),
        ("`cargo check`, macros built with opt-level 3", floats(rows, "check_optimized_macros_seconds"), "D:", "tab:green", False, False),
    ]

    fig, ax = plt.subplots(figsize=(8, 5.2), dpi=120)
    for label, values, style, color, annotate, reference in series:
        points = [(n, v) for n, v in zip(ops, values) if v is not None and v > 0]
        if not points:
            continue
        xs, ys = zip(*points)
        ax.plot(xs, ys, style, color=color, label=label, markersize=5)
        if annotate:
            for x, y in points:
                ax.annotate(f"{y:.3g} s", (x, y), textcoords="offset points", xytext=(7, -4), fontsize=8, color=color)
        if reference:
            x0, y0 = points[0]
            ax.plot([x0, xs[-1]], [y0, y0 * xs[-1] / x0], ":", color=color, linewidth=1)
    ax.axhline(1.0, color="grey", linewidth=0.8, linestyle="--")
    ax.annotate("1 s (goal for expanding 1,000 operations)", (ops[0], 1.0), textcoords="offset points", xytext=(0, -11), fontsize=8, color="grey")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(ops)
    ax.set_xticklabels([f"{n:,}" for n in ops])
    ax.set_xlabel("operations in the spec")
    ax.set_ylabel("seconds")
    ax.set_title("include_api!: cost against spec size (dotted: exactly linear)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", framealpha=0.95)
    fig.tight_layout()
    out = RESULTS / "scaling.png"
    fig.savefig(out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
