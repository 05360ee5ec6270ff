//! Times the phases of the BG/NBD + Gamma-Gamma and FP-Growth pipelines separately (reading,
//! summarising, fitting/mining), for docs/benchmarks.md:
//! `bench_phases transactions FILE CALIBRATION_END` or `bench_phases baskets FILE MIN_SUPPORT MIN_CONFIDENCE`.

use std::path::Path;
use std::time::Instant;

use rehber_analytics::bgnbd::{self, Observation};
use rehber_analytics::gamma_gamma::{self, SpendObservation};
use rehber_analytics::rules;
use rehber_analytics::summary::{Periods, summarize};
use rehber_analytics_cli::input;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let get = |i: usize| args.get(i).cloned().ok_or(format!("missing argument {i}"));
    let file = get(2)?;
    let t0 = Instant::now();
    match get(1)?.as_str() {
        "transactions" => {
            let calibration_end = input::parse_date(&get(3)?)?;
            let data = input::read_transactions(Path::new(&file), true)?;
            let t1 = Instant::now();
            let summaries = summarize(&data.transactions, Periods { calibration_end, holdout_end: None })?;
            let t2 = Instant::now();
            let observations: Vec<Observation> = summaries.iter().map(Observation::from).collect();
            let bg = bgnbd::fit(&observations)?;
            let t3 = Instant::now();
            let spend: Vec<SpendObservation> = summaries.iter().map(SpendObservation::from).collect();
            let gg = gamma_gamma::fit(&spend)?;
            let t4 = Instant::now();
            println!(
                "read {:.3} s, summary {:.3} s, bgnbd fit {:.3} s ({} evaluations), gamma-gamma fit {:.3} s ({} evaluations)",
                (t1 - t0).as_secs_f64(),
                (t2 - t1).as_secs_f64(),
                (t3 - t2).as_secs_f64(),
                bg.diagnostics.evaluations,
                (t4 - t3).as_secs_f64(),
                gg.diagnostics.evaluations
            );
        }
        "baskets" => {
            let (support, confidence): (f64, f64) = (get(3)?.parse()?, get(4)?.parse()?);
            let data = input::read_baskets(Path::new(&file))?;
            let t1 = Instant::now();
            let sets = rules::frequent_itemsets(&data.baskets, support)?;
            let t2 = Instant::now();
            let found = rules::association_rules(&sets, data.baskets.len(), confidence)?;
            let t3 = Instant::now();
            println!(
                "read {:.3} s, fp-growth {:.3} s ({} itemsets), rules {:.3} s ({} rules)",
                (t1 - t0).as_secs_f64(),
                (t2 - t1).as_secs_f64(),
                sets.len(),
                (t3 - t2).as_secs_f64(),
                found.len()
            );
        }
        _ => return Err("usage: bench_phases transactions FILE CALIBRATION_END | baskets FILE MIN_SUPPORT MIN_CONFIDENCE".into()),
    }
    Ok(())
}
