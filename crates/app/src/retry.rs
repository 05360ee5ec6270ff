//! Versionless updates under concurrent writers.
//!
//! An update that names no version (an API PATCH without `If-Match` or `version`) applies to
//! the record as it is. It still reads the record, overlays the patch and writes with the
//! version it read, so a concurrent change to other fields is never overwritten with stale
//! values; when that write finds the record changed meanwhile, the whole step runs again on
//! the new version instead of answering 409.

use crate::AppError;
use crate::error::AppResult;
use rehber_domain::Error;
use std::time::Duration;

/// How often a versionless update is tried before the conflict is reported. Each lost race
/// means another writer won, so a hundred writers on one record all get through.
const ATTEMPTS: u32 = 200;

/// Runs `step` once when the caller named a version (a stale one is the caller's conflict),
/// and again after a short, jittered pause each time a versionless step lost a race.
pub(crate) async fn unless_versioned<T, F, Fut>(versioned: bool, mut step: F) -> AppResult<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = AppResult<T>>,
{
    let mut attempt = 0;
    loop {
        match step().await {
            Err(AppError::Domain(Error::StaleVersion)) if !versioned && attempt < ATTEMPTS => {
                attempt += 1;
                tokio::time::sleep(pause(attempt)).await;
            }
            outcome => return outcome,
        }
    }
}

/// Up to 1, 2, 4 … 16 ms, spread so that racing writers do not wake together.
fn pause(attempt: u32) -> Duration {
    let ceiling_us = 1_000u64 << attempt.min(4);
    let spread = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::from(d.subsec_nanos()))
        .unwrap_or(0);
    Duration::from_micros(spread % ceiling_us)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_versionless_step_is_tried_again_after_a_lost_race() {
        let mut calls = 0;
        let outcome = unless_versioned(false, || {
            calls += 1;
            let result = if calls < 3 {
                Err(Error::StaleVersion.into())
            } else {
                Ok(calls)
            };
            async move { result }
        })
        .await;
        assert_eq!(outcome.unwrap(), 3);
    }

    #[tokio::test]
    async fn a_versioned_step_reports_its_conflict_at_once() {
        let mut calls = 0;
        let outcome: AppResult<()> = unless_versioned(true, || {
            calls += 1;
            async { Err(Error::StaleVersion.into()) }
        })
        .await;
        assert!(matches!(
            outcome,
            Err(AppError::Domain(Error::StaleVersion))
        ));
        assert_eq!(calls, 1);
    }

    #[test]
    fn pauses_stay_short() {
        for attempt in 1..300 {
            assert!(pause(attempt) < Duration::from_millis(17));
        }
    }
}
