//! `rehber backup` and `rehber restore`: the archive's work is the app's (see
//! `rehber_app::backup`); here the configuration names the database, the files and the data
//! directory, and the outcome becomes a line and an exit code.

use crate::cli::{BackupArgs, RestoreArgs};
use crate::commands::{CliError, CliResult, Opening, open_app_as, open_files, say};
use crate::config::Config;
use rehber_app::backup::{BackupError, RestoreOptions, Target, restore as restore_backup};
use std::io::Write;
use std::time::Instant;

/// A refusal is the caller's to fix (exit 2); a damaged archive or a failure is exit 1.
pub fn cli_error(error: BackupError) -> CliError {
    match error {
        BackupError::Refused(message) => CliError::input(message),
        BackupError::Damaged(message) | BackupError::Failed(message) => CliError::failure(message),
    }
}

pub async fn backup(config: &Config, args: &BackupArgs, out: &mut dyn Write) -> CliResult {
    let (app, lock) = open_app_as(config, Opening::AsItIs).await?;
    let started = Instant::now();
    let result = app.backup(config.database().expose(), &args.out).await;
    app.store.close().await;
    drop(lock);
    let report = result.map_err(cli_error)?;
    say(
        out,
        &format!(
            "Backup written to {}: {} rows in {} tables (schema version {}), {} files, {:.1} MB, in {:.1} s.",
            report.path.display(),
            report.rows,
            report.tables,
            report.schema_version,
            report.files,
            report.bytes as f64 / 1_000_000.0,
            started.elapsed().as_secs_f64()
        ),
    )
}

pub async fn restore(config: &Config, args: &RestoreArgs, out: &mut dyn Write) -> CliResult {
    let database = config.database();
    let target = if database.is_postgres() {
        Target::Postgres(database.expose().to_string())
    } else {
        let path = database.sqlite_path().ok_or_else(|| {
            CliError::input(format!(
                "{database} is not a database file a backup can replace"
            ))
        })?;
        Target::Sqlite(path)
    };
    let files = open_files(config).await?;
    let started = Instant::now();
    let report = restore_backup(RestoreOptions {
        from: &args.from,
        target,
        files: &files,
        aside_dir: &config.data_dir,
        force: args.force,
    })
    .await
    .map_err(cli_error)?;
    say(
        out,
        &format!(
            "Restored the backup of {} into {database}: {} rows in {} tables, {} files, schema \
             version {} (now {}), in {:.1} s.",
            report.taken_at,
            report.rows,
            report.tables,
            report.files,
            report.schema_version,
            report.migrated_to,
            started.elapsed().as_secs_f64()
        ),
    )?;
    if let Some(aside) = &report.kept_aside {
        say(
            out,
            &format!("The database it replaced is kept at {}.", aside.display()),
        )?;
    }
    if !report.erased_again.is_empty() {
        let ids: Vec<String> = report
            .erased_again
            .iter()
            .map(|id| format!("#{id}"))
            .collect();
        say(
            out,
            &format!(
                "Erased again, as the replaced database's erasure log asks (they were erased after the backup): {}.",
                ids.join(", ")
            ),
        )?;
    }
    Ok(())
}
