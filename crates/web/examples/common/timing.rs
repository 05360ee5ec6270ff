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

/// Untimed runs first: each pooled connection prepares its statements and fills its page
/// cache once, which a server does once in its life, not once per request.
const WARM_UP: usize = 5;

/// Runs `f` `WARM_UP` times untimed, then `runs` times; the percentiles of those.
pub async fn time<F, Fut>(runs: usize, mut f: F) -> (f64, f64)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for _ in 0..WARM_UP {
        f().await;
    }
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        f().await;
        times.push(started.elapsed());
    }
    percentiles(times)
}
