//! Times the phases of the BG/NBD + Gamma-Gamma and FP-Growth pipelines separately (reading,
//! summarising, fitting/mining), for docs/benchmarks.md:
//! `bench_phases transactions FILE CALIBRATION_END` or `bench_phases baskets FILE MIN_SUPPORT MIN_CONFIDENCE`.
//!
//! Each phase is reported as wall seconds and, on Linux, process CPU seconds summed over all
//! threads (from /proc/self/task/*/schedstat, nanosecond resolution).

use std::path::Path;
use std::time::Instant;

use rehber_analytics::bgnbd::{self, Observation};
use rehber_analytics::gamma_gamma::{self, SpendObservation};
use rehber_analytics::rules;
use rehber_analytics::summary::{Periods, summarize};
use rehber_analytics_cli::input;

/// CPU time of all threads of this process so far (0 where /proc is unavailable).
fn cpu_seconds() -> f64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0.0;
    };
    let mut ns = 0u64;
    for task in tasks.flatten() {
        if let Ok(text) = std::fs::read_to_string(task.path().join("schedstat")) {
            ns += text
                .split_whitespace()
                .next()
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0);
        }
    }
    ns as f64 / 1e9
}

/// A phase boundary: wall clock and process CPU.
#[derive(Clone, Copy)]
struct Mark(Instant, f64);

impl Mark {
    fn now() -> Self {
        Self(Instant::now(), cpu_seconds())
    }

    /// "W s wall / C s cpu" since `earlier`.
    fn since(self, earlier: Mark) -> String {
        format!(
            "{:.3} s wall / {:.3} s cpu",
            (self.0 - earlier.0).as_secs_f64(),
            self.1 - earlier.1
        )
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let get = |i: usize| args.get(i).cloned().ok_or(format!("missing argument {i}"));
    let file = get(2)?;
    let t0 = Mark::now();
    match get(1)?.as_str() {
        "transactions" => {
            let calibration_end = input::parse_date(&get(3)?)?;
            let data = input::read_transactions(Path::new(&file), true)?;
            let t1 = Mark::now();
            let summaries = summarize(&data.transactions, Periods { calibration_end, holdout_end: None })?;
            let t2 = Mark::now();
            let observations: Vec<Observation> = summaries.iter().map(Observation::from).collect();
            let bg = bgnbd::fit(&observations)?;
            let t3 = Mark::now();
            let spend: Vec<SpendObservation> = summaries.iter().map(SpendObservation::from).collect();
            let gg = gamma_gamma::fit(&spend)?;
            let t4 = Mark::now();
            println!(
                "read {}; summary {}; bgnbd fit {} ({} evaluations); gamma-gamma fit {} ({} evaluations)",
                t1.since(t0),
                t2.since(t1),
                t3.since(t2),
                bg.diagnostics.evaluations,
                t4.since(t3),
                gg.diagnostics.evaluations
            );
        }
        "baskets" => {
            let (support, confidence): (f64, f64) = (get(3)?.parse()?, get(4)?.parse()?);
            let data = input::read_baskets(Path::new(&file))?;
            let t1 = Mark::now();
            let sets = rules::frequent_itemsets(&data.baskets, support)?;
            let t2 = Mark::now();
            let found = rules::association_rules(&sets, data.baskets.len(), confidence)?;
            let t3 = Mark::now();
            println!(
                "read {}; fp-growth {} ({} itemsets); rules {} ({} rules)",
                t1.since(t0),
                t2.since(t1),
                sets.len(),
                t3.since(t2),
                found.len()
            );
        }
        _ => return Err("usage: bench_phases transactions FILE CALIBRATION_END | baskets FILE MIN_SUPPORT MIN_CONFIDENCE".into()),
    }
    Ok(())
}
