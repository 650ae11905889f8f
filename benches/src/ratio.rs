//! Ratios that hold on a noisy machine: the two sides are timed in alternation, round by round,
//! and the ratio is taken per round, so a change of load affects both sides of each ratio alike.

use std::path::Path;
use std::time::{Duration, Instant};

/// Quartiles of a sample: first quartile, median, third quartile.
pub fn quartiles(values: &mut [f64]) -> [f64; 3] {
    if values.is_empty() {
        return [f64::NAN; 3];
    }
    values.sort_by(f64::total_cmp);
    let at = |q: f64| values[((values.len() - 1) as f64 * q).round() as usize];
    [at(0.25), at(0.5), at(0.75)]
}

/// What an interleaved comparison found.
#[derive(Clone, Copy, Debug)]
pub struct Interleaved {
    /// Rounds run.
    pub rounds: usize,
    /// Quartiles of the per-round ratio `a / b`.
    pub ratio: [f64; 3],
    /// Median time of `a` per round, in nanoseconds.
    pub a_ns: f64,
    /// Median time of `b` per round, in nanoseconds.
    pub b_ns: f64,
}

impl Interleaved {
    /// Summarizes per-round times of the two sides.
    pub fn from_rounds(a: &[Duration], b: &[Duration]) -> Self {
        let mut ratios: Vec<f64> = a
            .iter()
            .zip(b)
            .map(|(a, b)| a.as_secs_f64() / b.as_secs_f64())
            .collect();
        let mut a_ns: Vec<f64> = a.iter().map(|d| d.as_secs_f64() * 1e9).collect();
        let mut b_ns: Vec<f64> = b.iter().map(|d| d.as_secs_f64() * 1e9).collect();
        Self {
            rounds: ratios.len(),
            ratio: quartiles(&mut ratios),
            a_ns: quartiles(&mut a_ns)[1],
            b_ns: quartiles(&mut b_ns)[1],
        }
    }

    /// One CSV line: `figure,rounds,ratio_median,ratio_q1,ratio_q3,a_ns,b_ns`.
    pub fn csv_line(&self, figure: &str) -> String {
        format!(
            "{figure},{},{:.4},{:.4},{:.4},{:.0},{:.0}\n",
            self.rounds, self.ratio[1], self.ratio[0], self.ratio[2], self.a_ns, self.b_ns
        )
    }
}

/// The header of [`Interleaved::csv_line`]'s lines.
pub const CSV_HEADER: &str = "figure,rounds,ratio_median,ratio_q1,ratio_q3,a_ns,b_ns\n";

/// Times `a` and `b` in alternation for `rounds` rounds (alternating which goes first) and
/// compares them.
pub fn interleave(rounds: usize, mut a: impl FnMut(), mut b: impl FnMut()) -> Interleaved {
    let time = |f: &mut dyn FnMut()| {
        let started = Instant::now();
        f();
        started.elapsed()
    };
    let (mut a_times, mut b_times) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        if round % 2 == 0 {
            a_times.push(time(&mut a));
            b_times.push(time(&mut b));
        } else {
            b_times.push(time(&mut b));
            a_times.push(time(&mut a));
        }
    }
    Interleaved::from_rounds(&a_times, &b_times)
}

/// Writes `text` to `target/pabbly-benches/<name>`, where the report reads it; a failure is
/// printed, not fatal.
pub fn write_result(name: &str, text: &str) {
    let dir = crate::target_dir().join("pabbly-benches");
    let written = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(dir.join(name), text));
    if let Err(error) = written {
        eprintln!("cannot write {}: {error}", Path::new(name).display());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartiles_of_a_small_sample() {
        assert_eq!(quartiles(&mut [5.0, 1.0, 3.0, 2.0, 4.0]), [2.0, 3.0, 4.0]);
    }

    #[test]
    fn ratio_per_round() {
        let ms = Duration::from_millis;
        let found = Interleaved::from_rounds(&[ms(2), ms(4), ms(6)], &[ms(1), ms(4), ms(3)]);
        assert_eq!(found.ratio[1], 2.0);
        assert_eq!(found.rounds, 3);
        assert!((found.a_ns - 4e6).abs() < 1.0);
    }
}
