//! Backup and restore: one verified archive of the database and the attachments' files.
//!
//! A backup is a ZIP holding `manifest.json` (versions, backend, schema version, the
//! database part's SHA-256 and size, the rows of every table, the files' keys), the
//! database (`database.sqlite3`, a stand-alone copy made by `VACUUM INTO` while the server
//! serves; or `database.pgdump`, `pg_dump`'s custom format read from one snapshot) and
//! `files/<key>` for every stored file (the key is the file's SHA-256, so each checks
//! itself). It is written beside its final name and renamed into place only once complete,
//! so a failed backup leaves no file that looks like one.
//!
//! A restore checks everything before it touches anything (see [`restore`]).

mod archive;
mod postgres;
mod restore;
mod schedule;

pub use archive::{MANIFEST_FORMAT, Manifest, Part};
pub use restore::{RestoreOptions, RestoreReport, Target, restore};
pub use schedule::{ScheduledBackup, next_backup_in, remove_leftovers, scheduled_name, to_prune};

use crate::App;
use rehber_store::{Backend, DatabaseLock, Store};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why a backup or a restore did not happen. Nothing was changed in any case.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The situation or the input does not allow it: a server is running, the archive is of
    /// the other backend or of a newer Rehber, `pg_dump` is missing or too old, `--force` is
    /// needed.
    #[error("{0}")]
    Refused(String),
    /// The archive is not what its manifest says (a hash, a size, the rows, SQLite's
    /// integrity check).
    #[error("{0}")]
    Damaged(String),
    /// Something failed on the way (a disk, the database, a tool).
    #[error("{0}")]
    Failed(String),
}

pub type BackupResult<T> = Result<T, BackupError>;

fn failed(what: impl std::fmt::Display) -> impl FnOnce(std::io::Error) -> BackupError {
    move |e| BackupError::Failed(format!("{what}: {e}"))
}

fn store_failed(what: &str) -> impl FnOnce(rehber_store::StoreError) -> BackupError + '_ {
    move |e| BackupError::Failed(format!("{what}: {e}"))
}

/// What a finished backup holds.
#[derive(Debug, Clone)]
pub struct BackupReport {
    pub path: PathBuf,
    pub bytes: u64,
    pub schema_version: i64,
    pub tables: usize,
    pub rows: i64,
    pub files: usize,
}

impl App {
    /// Writes a backup of this database (reached at `database_url`, which `pg_dump` needs on
    /// PostgreSQL) and of every stored file to `out`, replacing a file there. The server may
    /// keep serving meanwhile: the copy is of one moment.
    pub async fn backup(&self, database_url: &str, out: &Path) -> BackupResult<BackupReport> {
        let work = WorkFiles::beside(out);
        let result = self.write_backup(database_url, out, &work).await;
        work.remove();
        result
    }

    async fn write_backup(
        &self,
        database_url: &str,
        out: &Path,
        work: &WorkFiles,
    ) -> BackupResult<BackupReport> {
        let backend = self.store.backend();
        let taken_at = jiff::Timestamp::now();
        let (tables, schema_version, postgres_major) = match backend {
            Backend::Sqlite => {
                let (tables, version) = self.copy_sqlite(&work.database).await?;
                (tables, version, None)
            }
            Backend::Postgres => {
                let major = self
                    .store
                    .postgres_major_version()
                    .await
                    .map_err(store_failed("cannot read the PostgreSQL server's version"))?;
                let major = major.unwrap_or_default();
                let connection = postgres::Connection::from_url(database_url)?;
                postgres::check_tool("pg_dump", major)?;
                postgres::check_tool("pg_restore", major)?;
                let (tables, version) = self.dump_postgres(&connection, &work.database).await?;
                (tables, version, Some(major))
            }
        };
        let files = self
            .files
            .keys()
            .await
            .map_err(|e| BackupError::Failed(format!("cannot list the stored files: {e}")))?;
        let database = archive::hash_file(&work.database).await?;
        let manifest = Manifest {
            format: MANIFEST_FORMAT,
            app_version: env!("CARGO_PKG_VERSION").to_string(),
            backend: archive::backend_name(backend).to_string(),
            postgres_major,
            schema_version,
            created_at: taken_at.to_string(),
            database: Part {
                path: archive::database_entry(backend).to_string(),
                ..database
            },
            tables: tables.clone(),
            files: files.clone(),
        };
        let bytes = archive::write(&self.files, &manifest, &work.database, &work.archive).await?;
        std::fs::rename(&work.archive, out).map_err(failed(format!(
            "cannot move the backup to {}",
            out.display()
        )))?;
        // The rename itself is on the disk once the directory is.
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(BackupReport {
            path: out.to_path_buf(),
            bytes,
            schema_version,
            tables: tables.len(),
            rows: tables.values().sum(),
            files: files.len(),
        })
    }

    /// `VACUUM INTO` a stand-alone file, then checks it: sound, and what it holds.
    async fn copy_sqlite(&self, copy: &Path) -> BackupResult<(BTreeMap<String, i64>, i64)> {
        self.store
            .vacuum_into(copy)
            .await
            .map_err(store_failed("cannot copy the SQLite database"))?;
        let store = Store::open_sqlite_copy(copy)
            .await
            .map_err(store_failed("cannot open the copy of the database"))?;
        let checked = check_sqlite_copy(&store).await;
        store.close().await;
        checked
    }

    /// `pg_dump` of one snapshot, counted in that same snapshot.
    async fn dump_postgres(
        &self,
        connection: &postgres::Connection,
        dump: &Path,
    ) -> BackupResult<(BTreeMap<String, i64>, i64)> {
        let mut snapshot = self
            .store
            .postgres_snapshot()
            .await
            .map_err(store_failed("cannot open a snapshot of the database"))?
            .ok_or_else(|| BackupError::Failed("not a PostgreSQL database".into()))?;
        let tables = snapshot
            .row_counts()
            .await
            .map_err(store_failed("cannot count the rows"))?;
        let version = snapshot
            .schema_version()
            .await
            .map_err(store_failed("cannot read the schema version"))?;
        let dumped = connection.dump(Some(&snapshot.id), dump).await;
        // The snapshot must outlive the dump; it is only read, so ending it cannot lose work.
        let _ = snapshot.finish().await;
        dumped?;
        connection.check_dump(dump).await?;
        Ok((tables, version))
    }
}

/// An SQLite copy is sound and holds the returned rows at the returned schema version.
async fn check_sqlite_copy(store: &Store) -> BackupResult<(BTreeMap<String, i64>, i64)> {
    let problems = store
        .integrity_problems()
        .await
        .map_err(store_failed("cannot check the copy of the database"))?;
    if !problems.is_empty() {
        return Err(BackupError::Damaged(format!(
            "the copy of the database failed SQLite's integrity check: {}",
            problems.join("; ")
        )));
    }
    let tables = store
        .row_counts()
        .await
        .map_err(store_failed("cannot count the rows"))?;
    let version = store
        .schema_version()
        .await
        .map_err(store_failed("cannot read the schema version"))?;
    Ok((tables, version))
}

/// The files a backup is assembled in, beside its final name (one disk, so the last step is
/// a rename), removed whatever happens.
struct WorkFiles {
    database: PathBuf,
    archive: PathBuf,
}

impl WorkFiles {
    fn beside(out: &Path) -> WorkFiles {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "rehber-backup".into());
        // A tag of its own: two backups to one name (overlapping cron runs) never share.
        let tag = format!("{:016x}", rand::random::<u64>());
        let with = |suffix: &str| out.with_file_name(format!("{name}.{tag}.{suffix}"));
        WorkFiles {
            database: with("database-partial"),
            archive: with("partial"),
        }
    }

    fn remove(&self) {
        let _ = std::fs::remove_file(&self.database);
        let _ = std::fs::remove_file(&self.archive);
    }
}

/// Held by a serving process (and by a backup): a restore refuses to run while it is. On
/// SQLite a shared lock on the file `<database>.serve.lock` (servers on one machine share a
/// database file, a restore needs it alone); on PostgreSQL a shared advisory lock, which
/// covers servers on any machine. Take it before opening the database, so that a process
/// started during a restore writes nothing (not even a new, empty SQLite file).
#[derive(Debug)]
pub struct ServeLock {
    _file: Option<std::fs::File>,
    _database: Option<DatabaseLock>,
}

impl ServeLock {
    /// The file part, taken before the database is opened: `sqlite` is the database file
    /// (`None` for PostgreSQL). Refused while a restore runs.
    pub fn for_serving(sqlite: Option<&Path>) -> BackupResult<ServeLock> {
        let file = match sqlite {
            Some(path) => Some(lock_file(path, true).map_err(|held| match held {
                Some(e) => e,
                None => restore_running(),
            })?),
            None => None,
        };
        Ok(ServeLock {
            _file: file,
            _database: None,
        })
    }

    /// The database part, once it is reachable (PostgreSQL's advisory lock; nothing on
    /// SQLite). Refused while a restore runs.
    pub async fn hold(&mut self, store: &Store) -> BackupResult<()> {
        let database = store
            .lock_for_serving()
            .await
            .map_err(store_failed("cannot take the serving lock"))?
            .ok_or_else(restore_running)?;
        self._database = Some(database);
        Ok(())
    }

    /// A restore's lock on an SQLite database file; refused while a server serves it.
    pub async fn for_restore(sqlite: Option<&Path>) -> BackupResult<ServeLock> {
        let file = match sqlite {
            Some(path) => Some(lock_file(path, false).map_err(|held| match held {
                Some(e) => e,
                None => server_running(),
            })?),
            None => None,
        };
        Ok(ServeLock {
            _file: file,
            _database: None,
        })
    }

    /// A restore's lock on a PostgreSQL database; refused while any server serves it.
    pub async fn for_restore_postgres(store: &Store) -> BackupResult<ServeLock> {
        let database = store
            .lock_for_restore()
            .await
            .map_err(store_failed("cannot take the restore lock"))?
            .ok_or_else(server_running)?;
        Ok(ServeLock {
            _file: None,
            _database: Some(database),
        })
    }
}

fn restore_running() -> BackupError {
    BackupError::Refused("a restore is running on this database; try again once it is done".into())
}

fn server_running() -> BackupError {
    BackupError::Refused(
        "a Rehber server (or a backup) is running on this database; stop it before restoring"
            .into(),
    )
}

/// The lock file of an SQLite database (`<database>.serve.lock`), locked shared or alone.
/// `Err(None)` when another process holds it the other way.
fn lock_file(database: &Path, shared: bool) -> Result<std::fs::File, Option<BackupError>> {
    let path = with_suffix(database, ".serve.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Some(failed(format!("cannot open {}", path.display()))(e)))?;
    let locked = if shared {
        file.try_lock_shared()
    } else {
        file.try_lock()
    };
    match locked {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(None),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(Some(failed(format!("cannot lock {}", path.display()))(e)))
        }
    }
}

/// `path` with `suffix` added to its file name.
pub(crate) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Creates (or empties) a file only its owner may read: backups hold password, session and
/// token hashes.
pub(crate) fn private_file(path: &Path) -> BackupResult<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).truncate(true).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .map_err(failed(format!("cannot write {}", path.display())))
}
