//! Restoring a backup. Everything is checked before anything is touched: the archive is a
//! Rehber backup of this backend and of a schema this program knows; the database part has
//! the manifest's SHA-256, passes SQLite's integrity check (or reads back through
//! `pg_restore`) and holds the manifest's rows; no server is running on the database; a
//! database that holds data is replaced only with `force`. Then the files come back, the
//! database in place is kept aside (SQLite: moved with its `-wal` and `-shm` into
//! `pre-restore-<time>/` beside it; PostgreSQL: dumped to `pre-restore-<time>.pgdump` in the
//! data directory), the backup takes its place, and the migrations run forward.

use super::archive::{self, Archive, Manifest};
use super::{
    BackupError, BackupResult, ServeLock, check_sqlite_copy, failed, postgres, store_failed,
};
use bytes::Bytes;
use rehber_files::Files;
use rehber_store::{Backend, Store};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The database a restore replaces.
#[derive(Debug, Clone)]
pub enum Target {
    Sqlite(PathBuf),
    /// Its URL (the tools connect to it too).
    Postgres(String),
}

/// What to restore and where.
#[derive(Debug, Clone)]
pub struct RestoreOptions<'a> {
    pub from: &'a Path,
    pub target: Target,
    /// Where the files go back to.
    pub files: &'a Files,
    /// Where a PostgreSQL database's previous contents are kept (the data directory).
    pub aside_dir: &'a Path,
    /// Replace a database that holds data.
    pub force: bool,
}

/// What a restore did.
#[derive(Debug, Clone)]
pub struct RestoreReport {
    /// When the backup was taken.
    pub taken_at: String,
    pub schema_version: i64,
    /// The schema version after the migrations ran forward.
    pub migrated_to: i64,
    pub tables: usize,
    pub rows: i64,
    pub files: usize,
    /// Where the replaced database was kept, when there was one.
    pub kept_aside: Option<PathBuf>,
}

/// Restores the backup at `options.from` (see the module's description).
pub async fn restore(options: RestoreOptions<'_>) -> BackupResult<RestoreReport> {
    let archive = Archive::open(options.from).await?;
    let backend = match &options.target {
        Target::Sqlite(_) => Backend::Sqlite,
        Target::Postgres(_) => Backend::Postgres,
    };
    check_manifest(&archive.manifest, backend)?;
    match &options.target {
        Target::Sqlite(path) => restore_sqlite(archive, path, &options).await,
        Target::Postgres(url) => restore_postgres(archive, url, &options).await,
    }
}

fn check_manifest(manifest: &Manifest, backend: Backend) -> BackupResult<()> {
    let wanted = archive::backend_name(backend);
    if manifest.backend != wanted {
        return Err(BackupError::Refused(format!(
            "this is a backup of a {} database and cannot be restored into {wanted}",
            manifest.backend
        )));
    }
    let known = Store::known_schema_version(backend);
    if manifest.schema_version > known {
        return Err(BackupError::Refused(format!(
            "this backup was made by a newer Rehber ({}, schema version {}; this one knows up \
             to {known}); restore it with that version or a later one",
            manifest.app_version, manifest.schema_version
        )));
    }
    Ok(())
}

async fn restore_sqlite(
    archive: Archive,
    database: &Path,
    options: &RestoreOptions<'_>,
) -> BackupResult<RestoreReport> {
    let partial = sibling(database, ".restore-partial");
    let _ = std::fs::remove_file(&partial);
    let result = async {
        let archive = archive.extract_database(&partial).await?;
        let copy = Store::open_sqlite_copy(&partial)
            .await
            .map_err(store_failed("cannot open the backup's database"))?;
        let checked = check_sqlite_copy(&copy).await;
        copy.close().await;
        check_rows(&archive.manifest, &checked?.0)?;

        let _lock = ServeLock::for_restore(None, Some(database)).await?;
        let current = database.exists();
        if current && !options.force {
            let store = Store::connect(&database.to_string_lossy(), 1)
                .await
                .map_err(store_failed("cannot open the database in place"))?;
            let holds = store.holds_data().await;
            store.close().await;
            if holds.map_err(store_failed("cannot read the database in place"))? {
                return Err(needs_force(&database.display().to_string()));
            }
        }
        let archive = restore_files(archive, options.files).await?;
        let kept_aside = if current {
            Some(move_aside(database)?)
        } else {
            None
        };
        std::fs::rename(&partial, database).map_err(failed(format!(
            "cannot put the backup at {}",
            database.display()
        )))?;
        let store = Store::connect(&database.to_string_lossy(), 1)
            .await
            .map_err(store_failed("cannot open the restored database"))?;
        let migrated = migrate_forward(&store).await;
        store.close().await;
        Ok(report(&archive.manifest, migrated?, kept_aside))
    }
    .await;
    let _ = std::fs::remove_file(&partial);
    result
}

async fn restore_postgres(
    archive: Archive,
    url: &str,
    options: &RestoreOptions<'_>,
) -> BackupResult<RestoreReport> {
    let connection = postgres::Connection::from_url(url)?;
    std::fs::create_dir_all(options.aside_dir).map_err(failed(format!(
        "cannot create {}",
        options.aside_dir.display()
    )))?;
    let stamp = time_stamp();
    let partial = options
        .aside_dir
        .join(format!(".restore-{stamp}.pgdump-partial"));
    let result = async {
        let store = Store::connect(url, 2)
            .await
            .map_err(store_failed("cannot connect to the database"))?;
        let major = store
            .postgres_major_version()
            .await
            .map_err(store_failed("cannot read the server's version"))?
            .unwrap_or_default();
        postgres::check_tool("pg_restore", major)?;
        postgres::check_tool("psql", major)?;
        let archive = archive.extract_database(&partial).await?;
        connection.check_dump(&partial).await?;

        let lock = ServeLock::for_restore(Some(&store), None).await;
        let in_place = async {
            let tables = store.tables().await?;
            let holds = store.holds_data().await?;
            Ok::<_, rehber_store::StoreError>((!tables.is_empty(), holds))
        }
        .await;
        store.close().await;
        let _lock = lock?;
        let (has_tables, holds_data) =
            in_place.map_err(store_failed("cannot read the database in place"))?;
        if holds_data && !options.force {
            return Err(needs_force(&redacted(url)));
        }
        let archive = restore_files(archive, options.files).await?;
        let kept_aside = if has_tables {
            postgres::check_tool("pg_dump", major)?;
            let aside = options
                .aside_dir
                .join(format!("pre-restore-{stamp}.pgdump"));
            connection.dump(None, &aside).await?;
            Some(aside)
        } else {
            None
        };
        connection.load(&partial).await?;
        // A new pool: the old one's statements were prepared against the tables replaced.
        let store = Store::connect(url, 2)
            .await
            .map_err(store_failed("cannot connect to the restored database"))?;
        let counted = store.row_counts().await;
        let checked = counted
            .map_err(store_failed("cannot count the restored rows"))
            .and_then(|rows| check_rows(&archive.manifest, &rows));
        let migrated = match checked {
            Ok(()) => migrate_forward(&store).await,
            Err(e) => Err(e),
        };
        store.close().await;
        Ok(report(&archive.manifest, migrated?, kept_aside))
    }
    .await;
    let _ = std::fs::remove_file(&partial);
    result
}

/// The database holds the rows the manifest lists, table by table.
fn check_rows(manifest: &Manifest, found: &BTreeMap<String, i64>) -> BackupResult<()> {
    if &manifest.tables == found {
        return Ok(());
    }
    let differ: Vec<String> = manifest
        .tables
        .iter()
        .filter(|(table, rows)| found.get(*table) != Some(rows))
        .map(|(table, rows)| {
            let got = found.get(table).map_or("none".to_string(), i64::to_string);
            format!("{table}: {got} rows where the manifest says {rows}")
        })
        .chain(
            found
                .keys()
                .filter(|t| !manifest.tables.contains_key(*t))
                .map(|t| format!("{t}: not in the manifest")),
        )
        .take(5)
        .collect();
    Err(BackupError::Damaged(format!(
        "the backup's database does not hold what its manifest lists ({}); nothing was changed",
        differ.join(", ")
    )))
}

/// Puts every file of the backup back in the file store. A file's key is its SHA-256, so
/// storing it again must give the same key, or the file was damaged.
async fn restore_files(mut archive: Archive, files: &Files) -> BackupResult<Archive> {
    for key in archive.manifest.files.clone() {
        let (back, bytes) = archive.file(key.clone()).await?;
        archive = back;
        let chunks = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(bytes) });
        let stored = files
            .put(chunks, u64::MAX)
            .await
            .map_err(|e| BackupError::Failed(format!("cannot store the file {key}: {e}")))?;
        if stored.key != key {
            return Err(BackupError::Damaged(format!(
                "the file {key} in the backup is damaged (its SHA-256 is {})",
                stored.sha256
            )));
        }
    }
    Ok(archive)
}

/// Moves an SQLite database and its `-wal` and `-shm` into `pre-restore-<time>/` beside it.
fn move_aside(database: &Path) -> BackupResult<PathBuf> {
    let dir = database
        .parent()
        .unwrap_or(Path::new("."))
        .join(format!("pre-restore-{}", time_stamp()));
    std::fs::create_dir_all(&dir).map_err(failed(format!("cannot create {}", dir.display())))?;
    let name = database
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "rehber.db".into());
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let from = sibling(database, suffix);
        if from.exists() {
            let to = dir.join(format!("{name}{suffix}"));
            std::fs::rename(&from, &to)
                .map_err(failed(format!("cannot move {} aside", from.display())))?;
        }
    }
    Ok(dir)
}

async fn migrate_forward(store: &Store) -> BackupResult<i64> {
    store
        .migrate()
        .await
        .map_err(store_failed("the restored database did not migrate"))?;
    store
        .schema_version()
        .await
        .map_err(store_failed("cannot read the schema version"))
}

fn report(manifest: &Manifest, migrated_to: i64, kept_aside: Option<PathBuf>) -> RestoreReport {
    RestoreReport {
        taken_at: manifest.created_at.clone(),
        schema_version: manifest.schema_version,
        migrated_to,
        tables: manifest.tables.len(),
        rows: manifest.tables.values().sum(),
        files: manifest.files.len(),
        kept_aside,
    }
}

fn needs_force(database: &str) -> BackupError {
    BackupError::Refused(format!(
        "the database {database} holds data, which the restore would replace (it is kept \
         aside, not deleted); run again with --force to go on"
    ))
}

/// `path` with `suffix` added to its file name.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn time_stamp() -> String {
    jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}

/// A URL with its password hidden, for messages.
fn redacted(url: &str) -> String {
    match postgres::Connection::from_url(url) {
        Ok(connection) => connection.shown(),
        Err(_) => "(the configured database)".into(),
    }
}
