//! Timing shared by the benchmark examples: run a step a number of times and report the
//! median and the 99th percentile in milliseconds.

use std::time::{Duration, Instant};

/// The 50th and 99th percentiles of `times`, in milliseconds.
pub fn percentiles(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let at = |p: f64| {
        let index = ((times.len() as f64 - 1.0) * p).round() as usize;
        times[index].as_secs_f64() * 1000.0
    };
    (at(0.5), at(0.99))
}

/// Runs `f` `runs` times; its percentiles.
pub async fn time<F, Fut>(runs: usize, mut f: F) -> (f64, f64)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        f().await;
        times.push(started.elapsed());
    }
    percentiles(times)
}
