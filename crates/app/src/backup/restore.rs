//! Restoring a backup. Everything is checked before anything is touched: the archive is a
//! Rehber backup of this backend and of a schema this program knows; no server is running on
//! the database (the lock is taken first and held to the end); a database that holds data is
//! replaced only with `force`; the database part has the manifest's SHA-256, passes SQLite's
//! integrity check (or reads back whole through `pg_restore`), holds the manifest's rows and
//! schema version, and (SQLite) migrates forward. Then the files come back and the database
//! is replaced in one step:
//!
//! - SQLite: the database in place is checkpointed (its log emptied into the file), linked
//!   or copied into `pre-restore-<time>/` beside it, its `-wal` and `-shm` removed, and the
//!   checked copy renamed over it, which replaces the file atomically;
//! - PostgreSQL: the database in place is dumped to `pre-restore-<time>.pgdump` in the data
//!   directory, then the schema is emptied, the backup loaded and its rows counted again in
//!   one transaction, which rolls back on any error; the migrations run forward after it.

use super::archive::{self, Archive, Manifest};
use super::{
    BackupError, BackupResult, ServeLock, check_sqlite_copy, failed, postgres, private_file,
    store_failed, with_suffix,
};
use bytes::Bytes;
use rehber_files::Files;
use rehber_store::{Backend, ErasureLogEntry, Store};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The largest stored file a restore takes from an archive (attachments and imported files
/// are capped far below it), so that a crafted archive cannot exhaust memory.
const MAX_RESTORED_FILE: u64 = 1 << 30;

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
    /// Where a PostgreSQL database's previous contents and the work files are kept (the data
    /// directory).
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
    /// People the replaced database had erased after the backup was taken, erased again in
    /// the restored one.
    pub erased_again: Vec<i64>,
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
    // Rehber's tables are named in lower-case ASCII; anything else did not come from it.
    let odd = manifest.tables.keys().find(|table| {
        table.is_empty() || !table.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    });
    if let Some(odd) = odd {
        return Err(BackupError::Damaged(format!(
            "the backup's manifest lists a table named {odd:?}, which Rehber never makes"
        )));
    }
    Ok(())
}

async fn restore_sqlite(
    archive: Archive,
    database: &Path,
    options: &RestoreOptions<'_>,
) -> BackupResult<RestoreReport> {
    if let Some(dir) = database.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(failed(format!("cannot create {}", dir.display())))?;
    }
    let _lock = ServeLock::for_restore(Some(database)).await?;
    let current = database.exists();
    let mut erased = Vec::new();
    if current {
        let store = Store::connect(&database.to_string_lossy(), 1)
            .await
            .map_err(store_failed("cannot open the database in place"))?;
        let holds = store.holds_data().await;
        let read = erased_in(&store).await;
        store.close().await;
        if holds.map_err(store_failed("cannot read the database in place"))? && !options.force {
            return Err(needs_force(&database.display().to_string()));
        }
        erased = read?;
    }
    let partial = with_suffix(database, &format!(".restore-{}", work_tag()));
    let result = async {
        let archive = archive.extract_database(&partial).await?;
        let migrated_to = check_and_migrate_copy(&archive.manifest, &partial).await?;
        let archive = restore_files(archive, options.files).await?;
        let kept_aside = if current {
            Some(set_aside(database).await?)
        } else {
            None
        };
        for sidecar in ["-wal", "-shm", "-journal"] {
            let stale = with_suffix(database, sidecar);
            match std::fs::remove_file(&stale) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(failed(format!("cannot remove {}", stale.display()))(e)),
            }
        }
        std::fs::rename(&partial, database).map_err(failed(format!(
            "cannot put the backup at {}",
            database.display()
        )))?;
        let store = Store::connect(&database.to_string_lossy(), 1)
            .await
            .map_err(store_failed("cannot open the restored database"))?;
        let erased_again = erase_again(&store, options.files, &erased).await;
        store.close().await;
        let erased_again = erased_again.map_err(|e| after_the_swap(e, kept_aside.as_deref()))?;
        Ok(RestoreReport {
            erased_again,
            ..report(&archive.manifest, migrated_to, kept_aside)
        })
    }
    .await;
    let _ = std::fs::remove_file(&partial);
    result
}

/// The extracted copy is sound and holds what the manifest lists; it is then migrated
/// forward in place, before it replaces anything. The schema version it ends at.
async fn check_and_migrate_copy(manifest: &Manifest, copy: &Path) -> BackupResult<i64> {
    let store = Store::open_sqlite_copy(copy)
        .await
        .map_err(store_failed("cannot open the backup's database"))?;
    let result = async {
        let (rows, version) = check_sqlite_copy(&store).await?;
        check_rows(manifest, &rows)?;
        if version != manifest.schema_version {
            return Err(BackupError::Damaged(format!(
                "the backup's database is at schema version {version} where its manifest says \
                 {}; nothing was changed",
                manifest.schema_version
            )));
        }
        migrate_forward(&store).await
    }
    .await;
    store.close().await;
    result
}

/// Keeps the SQLite database in place in a new `pre-restore-<time>/` beside it: its log is
/// emptied into the file first, then the file is linked there (or copied, across disks).
/// The database stays where it is until the backup is renamed over it.
async fn set_aside(database: &Path) -> BackupResult<PathBuf> {
    let store = Store::connect(&database.to_string_lossy(), 1)
        .await
        .map_err(store_failed("cannot open the database in place"))?;
    let checkpoint = store.checkpoint().await;
    store.close().await;
    checkpoint.map_err(store_failed("cannot empty the database's write-ahead log"))?;
    let parent = database.parent().unwrap_or(Path::new("."));
    let dir = new_aside_dir(parent)?;
    let name = database
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "rehber.db".into());
    let kept = dir.join(name);
    if std::fs::hard_link(database, &kept).is_err() {
        std::fs::copy(database, &kept).map_err(failed(format!(
            "cannot keep the database aside in {}",
            dir.display()
        )))?;
    }
    Ok(dir)
}

/// A new directory `pre-restore-<time>[-N]` in `parent` (never one that exists).
fn new_aside_dir(parent: &Path) -> BackupResult<PathBuf> {
    let stamp = time_stamp();
    for attempt in 1..100 {
        let name = match attempt {
            1 => format!("pre-restore-{stamp}"),
            n => format!("pre-restore-{stamp}-{n}"),
        };
        let dir = parent.join(name);
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(failed(format!("cannot create {}", dir.display()))(e)),
        }
    }
    Err(BackupError::Failed(format!(
        "cannot find a free pre-restore directory name in {}",
        parent.display()
    )))
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
    let store = Store::connect(url, 2)
        .await
        .map_err(store_failed("cannot connect to the database"))?;
    let checked = async {
        let server = store
            .postgres_major_version()
            .await
            .map_err(store_failed("cannot read the server's version"))?
            .unwrap_or_default();
        // The tools read a dump of the server the backup came from and talk to this one.
        let major = server.max(archive.manifest.postgres_major.unwrap_or_default());
        for tool in ["pg_restore", "psql", "pg_dump"] {
            postgres::check_tool(tool, major)?;
        }
        let lock = ServeLock::for_restore_postgres(&store).await?;
        let has_tables = !store
            .tables()
            .await
            .map_err(store_failed("cannot read the database in place"))?
            .is_empty();
        let holds_data = store
            .holds_data()
            .await
            .map_err(store_failed("cannot read the database in place"))?;
        let erased = erased_in(&store).await?;
        Ok((lock, has_tables, holds_data, erased))
    }
    .await;
    store.close().await;
    let (_lock, has_tables, holds_data, erased) = checked?;
    if holds_data && !options.force {
        return Err(needs_force(&connection.shown()));
    }
    let tag = work_tag();
    let partial = options.aside_dir.join(format!(".restore-{tag}.pgdump"));
    let script = options.aside_dir.join(format!(".restore-{tag}.sql"));
    let result = async {
        private_file(&script)?;
        let archive = archive.extract_database(&partial).await?;
        connection.check_dump(&partial).await?;
        let archive = restore_files(archive, options.files).await?;
        let kept_aside = if has_tables {
            Some(dump_aside(&connection, options.aside_dir).await?)
        } else {
            None
        };
        let check = rehber_store::postgres_rows_check(&archive.manifest.tables);
        connection
            .load(
                &partial,
                &script,
                rehber_store::POSTGRES_EMPTY_SCHEMA,
                &check,
            )
            .await
            .map_err(|e| match e {
                BackupError::Failed(why) if why.contains(rehber_store::POSTGRES_ROWS_DIFFER) => {
                    BackupError::Damaged(format!(
                        "the backup's database does not hold what its manifest lists ({why}); \
                         nothing was changed"
                    ))
                }
                BackupError::Failed(why) => BackupError::Failed(format!(
                    "the backup did not load, and the database was left as it was: {why}"
                )),
                other => other,
            })?;
        // A new pool: statements prepared before the load named the tables it replaced.
        let store = Store::connect(url, 2)
            .await
            .map_err(store_failed("cannot connect to the restored database"))?;
        let migrated = migrate_forward(&store).await;
        let erased_again = match &migrated {
            Ok(_) => erase_again(&store, options.files, &erased).await,
            Err(_) => Ok(Vec::new()),
        };
        store.close().await;
        let migrated_to = migrated.map_err(|e| after_the_swap(e, kept_aside.as_deref()))?;
        let erased_again = erased_again.map_err(|e| after_the_swap(e, kept_aside.as_deref()))?;
        Ok(RestoreReport {
            erased_again,
            ..report(&archive.manifest, migrated_to, kept_aside)
        })
    }
    .await;
    let _ = std::fs::remove_file(&partial);
    let _ = std::fs::remove_file(&script);
    result
}

/// Dumps the database in place to a new `pre-restore-<time>.pgdump` (read back whole before
/// it counts as kept).
async fn dump_aside(connection: &postgres::Connection, dir: &Path) -> BackupResult<PathBuf> {
    let stamp = time_stamp();
    let aside = (1..100)
        .map(|n| match n {
            1 => dir.join(format!("pre-restore-{stamp}.pgdump")),
            n => dir.join(format!("pre-restore-{stamp}-{n}.pgdump")),
        })
        .find(|path| !path.exists())
        .ok_or_else(|| BackupError::Failed("no free pre-restore file name".into()))?;
    let partial = with_suffix(&aside, ".partial");
    private_file(&partial)?;
    let dumped = async {
        connection.dump(None, &partial).await?;
        connection.check_dump(&partial).await?;
        std::fs::rename(&partial, &aside).map_err(failed(format!(
            "cannot keep the database at {}",
            aside.display()
        )))
    }
    .await;
    if dumped.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    dumped.map(|()| aside)
}

/// A failure once the backup has replaced the database: said as such, with where the
/// replaced one is.
fn after_the_swap(error: BackupError, kept: Option<&Path>) -> BackupError {
    let kept = kept.map_or(String::new(), |p| {
        format!("; the database it replaced is kept at {}", p.display())
    });
    BackupError::Failed(format!(
        "the backup was restored but did not migrate forward: {error}{kept}"
    ))
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
        let (back, bytes) = archive.file(key.clone(), MAX_RESTORED_FILE).await?;
        archive = back;
        let chunks = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(bytes) });
        let stored = files
            .put(chunks, MAX_RESTORED_FILE)
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

async fn migrate_forward(store: &Store) -> BackupResult<i64> {
    store
        .migrate()
        .await
        .map_err(store_failed("the backup's database did not migrate"))?;
    store
        .schema_version()
        .await
        .map_err(store_failed("cannot read the schema version"))
}

/// The people the database in place had erased (none when it predates the erasure log).
async fn erased_in(store: &Store) -> BackupResult<Vec<ErasureLogEntry>> {
    const READING: &str = "cannot read the erasure log of the database in place";
    let tables = store.tables().await.map_err(store_failed(READING))?;
    if !tables.iter().any(|t| t == "erasure_log") {
        return Ok(Vec::new());
    }
    store.erasures().await.map_err(store_failed(READING))
}

/// Erases again, in the restored database, the people the replaced one had erased since the
/// backup was taken (an erasure must survive a restore of an older backup).
async fn erase_again(
    store: &Store,
    files: &Files,
    erased: &[ErasureLogEntry],
) -> BackupResult<Vec<i64>> {
    if erased.is_empty() {
        return Ok(Vec::new());
    }
    let mut app = crate::App::new(store.clone(), crate::Settings::default());
    app.files = files.clone();
    app.repeat_erasures(erased).await.map_err(|e| {
        BackupError::Failed(format!(
            "the erasures made since the backup could not be made again: {e}"
        ))
    })
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
        erased_again: Vec::new(),
    }
}

fn needs_force(database: &str) -> BackupError {
    BackupError::Refused(format!(
        "the database {database} holds data, which the restore would replace (it is kept \
         aside, not deleted); run again with --force to go on"
    ))
}

fn time_stamp() -> String {
    jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}

/// A random tag for work files, so two runs never share one.
fn work_tag() -> String {
    format!("{:016x}", rand::random::<u64>())
}
