//! Scheduled backups: the server writes a backup into a folder at a set interval, named by
//! the moment it was taken (`rehber-backup-20261207-031500-123.zip`, so names sort as
//! times), and keeps the newest few. Only archives named this way are ever removed: other
//! files in the folder, such as a backup taken by hand, are left alone.

use super::{BackupReport, BackupResult, failed};
use crate::App;
use std::path::{Path, PathBuf};
use std::time::Duration;

const PREFIX: &str = "rehber-backup-";
const SUFFIX: &str = ".zip";

/// The name of a scheduled backup taken at `at`.
pub fn scheduled_name(at: jiff::Timestamp) -> String {
    format!("{PREFIX}{}{SUFFIX}", at.strftime("%Y%m%d-%H%M%S-%3f"))
}

/// Whether `name` is a scheduled backup's.
fn is_scheduled(name: &str) -> bool {
    name.strip_prefix(PREFIX)
        .and_then(|rest| rest.strip_suffix(SUFFIX))
        .is_some_and(|stamp| {
            stamp.len() == 19 && stamp.chars().all(|c| c.is_ascii_digit() || c == '-')
        })
}

/// Of the files named `names`, the scheduled backups beyond the newest `keep`, oldest first.
pub fn to_prune(names: &[String], keep: usize) -> Vec<String> {
    let mut scheduled: Vec<&String> = names.iter().filter(|n| is_scheduled(n)).collect();
    scheduled.sort();
    let excess = scheduled.len().saturating_sub(keep.max(1));
    scheduled.into_iter().take(excess).cloned().collect()
}

/// How long until the next scheduled backup is due: `every` after the newest one in `dir`,
/// at once when there is none (or it is older). A restart does not put it off.
pub fn next_backup_in(dir: &Path, every: Duration) -> Duration {
    let newest = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_name().to_str().is_some_and(is_scheduled))
        .filter_map(|entry| entry.metadata().ok()?.modified().ok())
        .max();
    match newest.and_then(|at| at.elapsed().ok()) {
        Some(age) => every.saturating_sub(age),
        None => Duration::ZERO,
    }
}

/// Removes what a scheduled backup stopped half-way (the server stopped during it) left.
pub fn remove_leftovers(dir: &Path) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(PREFIX) && name.ends_with("partial") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// What one scheduled backup did.
#[derive(Debug, Clone)]
pub struct ScheduledBackup {
    pub report: BackupReport,
    /// Older scheduled backups removed to keep the newest ones.
    pub removed: Vec<PathBuf>,
}

impl App {
    /// Writes a scheduled backup into `dir` (made if missing), then removes the scheduled
    /// backups beyond the newest `keep`. A failed backup removes nothing.
    pub async fn scheduled_backup(
        &self,
        database_url: &str,
        dir: &Path,
        keep: usize,
    ) -> BackupResult<ScheduledBackup> {
        std::fs::create_dir_all(dir).map_err(failed(format!(
            "cannot make the backup folder {}",
            dir.display()
        )))?;
        let out = dir.join(scheduled_name(jiff::Timestamp::now()));
        let report = self.backup(database_url, &out).await?;
        let names: Vec<String> = std::fs::read_dir(dir)
            .map_err(failed(format!("cannot list {}", dir.display())))?
            .filter_map(|entry| entry.ok())
            .filter_map(|entry| entry.file_name().into_string().ok())
            .collect();
        let mut removed = Vec::new();
        for name in to_prune(&names, keep) {
            let path = dir.join(&name);
            match std::fs::remove_file(&path) {
                Ok(()) => removed.push(path),
                Err(e) => {
                    tracing::warn!(path = %path.display(), error = %e, "cannot remove an old backup")
                }
            }
        }
        Ok(ScheduledBackup { report, removed })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_as_the_moments_they_were_taken() {
        let at = "2026-12-07T03:15:00.123Z"
            .parse::<jiff::Timestamp>()
            .unwrap();
        assert_eq!(scheduled_name(at), "rehber-backup-20261207-031500-123.zip");
        assert!(is_scheduled(&scheduled_name(at)));
        let later = "2026-12-07T03:15:01.004Z"
            .parse::<jiff::Timestamp>()
            .unwrap();
        assert!(scheduled_name(at) < scheduled_name(later));
    }

    #[test]
    fn only_the_oldest_scheduled_backups_beyond_the_kept_ones_go() {
        let names: Vec<String> = [
            "rehber-backup-20261205-031500-000.zip",
            "elle-alinan.zip",
            "rehber-backup-20261207-031500-000.zip",
            "rehber-backup-20261206-031500-000.zip",
            "rehber-backup-20261204-031500-000.zip.part",
            "rehber-backup-yedek.zip",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            to_prune(&names, 2),
            vec!["rehber-backup-20261205-031500-000.zip".to_string()]
        );
        assert!(to_prune(&names, 7).is_empty());
        assert_eq!(to_prune(&names, 0).len(), 2, "the newest one always stays");
    }

    #[test]
    fn the_next_backup_is_due_an_interval_after_the_newest() {
        let dir = std::env::temp_dir().join(format!("rehber-schedule-{}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir).unwrap();
        let day = Duration::from_secs(24 * 3600);
        assert_eq!(
            next_backup_in(&dir, day),
            Duration::ZERO,
            "none yet: at once"
        );
        std::fs::write(dir.join("elle-alinan.zip"), b"PK").unwrap();
        assert_eq!(
            next_backup_in(&dir, day),
            Duration::ZERO,
            "other files do not count"
        );
        std::fs::write(dir.join("rehber-backup-20261207-031500-000.zip"), b"PK").unwrap();
        let wait = next_backup_in(&dir, day);
        assert!(
            wait > day - Duration::from_secs(60) && wait <= day,
            "{wait:?}"
        );
        std::fs::write(
            dir.join("rehber-backup-20261207-031500-000.zip.ab12.partial"),
            b"",
        )
        .unwrap();
        remove_leftovers(&dir);
        assert!(
            !dir.join("rehber-backup-20261207-031500-000.zip.ab12.partial")
                .exists()
        );
        assert!(dir.join("rehber-backup-20261207-031500-000.zip").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
