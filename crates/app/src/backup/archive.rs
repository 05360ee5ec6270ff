//! The backup archive: a ZIP of `manifest.json`, the database part and `files/<key>`.
//!
//! Writing runs on a blocking thread that owns the ZIP; the stored files stream to it through
//! a small channel, so a backup never holds more than a few files in memory.

use super::{BackupError, BackupResult, failed};
use bytes::Bytes;
use futures_util::TryStreamExt;
use rehber_files::Files;
use rehber_store::Backend;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;

/// The manifest's format; a restore refuses another.
pub const MANIFEST_FORMAT: u32 = 1;
const MANIFEST_ENTRY: &str = "manifest.json";
const FILES_PREFIX: &str = "files/";
/// A manifest lists every table and file; far below this even for millions of files.
const MAX_MANIFEST_BYTES: u64 = 1 << 30;
/// Files in flight between the file store and the ZIP writer.
const FILES_IN_FLIGHT: usize = 4;

/// One part of the archive and how to recognise it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// Its name in the archive.
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

/// What a backup says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// The Rehber that wrote it.
    pub app_version: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// The PostgreSQL server's major version, for a dump.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postgres_major: Option<u32>,
    /// The newest migration the database had.
    pub schema_version: i64,
    /// When the copy was taken (RFC 3339, UTC).
    pub created_at: String,
    pub database: Part,
    /// The rows of every table at that moment.
    pub tables: BTreeMap<String, i64>,
    /// The stored files' keys (each is `sha256/…/<its SHA-256>`).
    pub files: Vec<String>,
}

pub fn backend_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

pub fn database_entry(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "database.sqlite3",
        Backend::Postgres => "database.pgdump",
    }
}

/// The SHA-256 and size of a file.
pub async fn hash_file(path: &Path) -> BackupResult<Part> {
    let path = path.to_path_buf();
    blocking(move || {
        let mut file = std::fs::File::open(&path)
            .map_err(failed(format!("cannot read {}", path.display())))?;
        let mut hashing = Hashing::default();
        std::io::copy(&mut file, &mut hashing)
            .map_err(failed(format!("cannot read {}", path.display())))?;
        Ok(hashing.part(""))
    })
    .await
}

/// Writes the archive to `out`, synced to the disk; its size.
pub async fn write(
    files: &Files,
    manifest: &Manifest,
    database: &Path,
    out: &Path,
) -> BackupResult<u64> {
    let manifest_json = serde_json::to_vec_pretty(manifest)
        .map_err(|e| BackupError::Failed(format!("cannot write the manifest: {e}")))?;
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<(String, Bytes)>(FILES_IN_FLIGHT);
    let database = database.to_path_buf();
    let database_entry = manifest.database.path.clone();
    let out_path = out.to_path_buf();
    let writer = tokio::task::spawn_blocking(move || -> BackupResult<u64> {
        let cannot = |e: &dyn std::fmt::Display| {
            BackupError::Failed(format!("cannot write {}: {e}", out_path.display()))
        };
        let file = super::private_file(&out_path)?;
        let mut zip = zip::ZipWriter::new(file);
        let stored = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .large_file(true);
        // An SQLite file shrinks to a fraction at the fastest level; a dump is compressed
        // already, and so are most attachments.
        let database_options = if database_entry.ends_with(".sqlite3") {
            SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .compression_level(Some(1))
                .large_file(true)
        } else {
            stored
        };
        zip.start_file(MANIFEST_ENTRY, stored)
            .map_err(|e| cannot(&e))?;
        zip.write_all(&manifest_json).map_err(|e| cannot(&e))?;
        zip.start_file(database_entry.as_str(), database_options)
            .map_err(|e| cannot(&e))?;
        let mut source = std::fs::File::open(&database).map_err(|e| cannot(&e))?;
        std::io::copy(&mut source, &mut zip).map_err(|e| cannot(&e))?;
        while let Some((key, bytes)) = receiver.blocking_recv() {
            zip.start_file(format!("{FILES_PREFIX}{key}"), stored)
                .map_err(|e| cannot(&e))?;
            zip.write_all(&bytes).map_err(|e| cannot(&e))?;
        }
        let file = zip.finish().map_err(|e| cannot(&e))?;
        file.sync_all().map_err(|e| cannot(&e))?;
        file.metadata().map(|m| m.len()).map_err(|e| cannot(&e))
    });
    let mut sent = Ok(());
    for key in &manifest.files {
        match read_stored(files, key).await {
            Ok(bytes) => {
                // A closed channel means the writer stopped: its error is the one to report.
                if sender.send((key.clone(), bytes)).await.is_err() {
                    break;
                }
            }
            Err(e) => {
                sent = Err(e);
                break;
            }
        }
    }
    drop(sender);
    let written = writer
        .await
        .map_err(|e| BackupError::Failed(format!("the backup writer stopped: {e}")))?;
    sent?;
    written
}

async fn read_stored(files: &Files, key: &str) -> BackupResult<Bytes> {
    let cannot = |e: rehber_files::FilesError| {
        BackupError::Failed(format!("cannot read the stored file {key}: {e}"))
    };
    let chunks: Vec<Bytes> = files
        .get(key)
        .await
        .map_err(cannot)?
        .try_collect()
        .await
        .map_err(cannot)?;
    let bytes = Bytes::from(chunks.concat());
    // A file is named by its SHA-256: one that no longer matches is found now, not when the
    // backup is needed.
    let mut hashing = Hashing::default();
    hashing.update(&bytes);
    let found = hashing.part("").sha256;
    if key.rsplit('/').next() != Some(found.as_str()) {
        return Err(BackupError::Damaged(format!(
            "the stored file {key} is damaged (its SHA-256 is now {found}); restore it from \
             an earlier backup, or delete the attachment"
        )));
    }
    Ok(bytes)
}

/// An archive opened for restoring.
pub struct Archive {
    path: PathBuf,
    zip: zip::ZipArchive<std::fs::File>,
    pub manifest: Manifest,
}

impl Archive {
    /// Opens `path` and reads its manifest; a file that is not a Rehber backup is refused.
    pub async fn open(path: &Path) -> BackupResult<Archive> {
        let path = path.to_path_buf();
        blocking(move || {
            let file = std::fs::File::open(&path)
                .map_err(failed(format!("cannot read {}", path.display())))?;
            let not_a_backup = |why: String| {
                BackupError::Refused(format!("{} is not a Rehber backup ({why})", path.display()))
            };
            let mut zip = zip::ZipArchive::new(file).map_err(|e| {
                // A ZIP cut short (a copy that broke off) is a damaged backup, not a foreign file.
                if starts_like_a_zip(&path) {
                    BackupError::Damaged(format!(
                        "{} is damaged: it starts as an archive but does not read ({e})",
                        path.display()
                    ))
                } else {
                    not_a_backup(e.to_string())
                }
            })?;
            let mut text = Vec::new();
            zip.by_name(MANIFEST_ENTRY)
                .map_err(|_| not_a_backup(format!("no {MANIFEST_ENTRY}")))?
                .take(MAX_MANIFEST_BYTES)
                .read_to_end(&mut text)
                .map_err(|e| BackupError::Damaged(format!("cannot read the manifest: {e}")))?;
            let manifest: Manifest = serde_json::from_slice(&text)
                .map_err(|e| not_a_backup(format!("its manifest does not read: {e}")))?;
            if manifest.format != MANIFEST_FORMAT {
                return Err(BackupError::Refused(format!(
                    "{} is a backup of format {}; this Rehber reads format {MANIFEST_FORMAT}",
                    path.display(),
                    manifest.format
                )));
            }
            Ok(Archive {
                path,
                zip,
                manifest,
            })
        })
        .await
    }

    /// Writes the database part to `to` and checks it is the one the manifest names.
    pub async fn extract_database(self, to: &Path) -> BackupResult<Archive> {
        let to = to.to_path_buf();
        blocking(move || {
            let mut archive = self;
            let expected = archive.manifest.database.clone();
            let damaged = |why: String| {
                BackupError::Damaged(format!(
                    "the database in {} is damaged: {why}; nothing was changed",
                    archive.path.display()
                ))
            };
            let mut entry = archive
                .zip
                .by_name(&expected.path)
                .map_err(|e| damaged(e.to_string()))?;
            let mut file = std::fs::File::create(&to)
                .map_err(failed(format!("cannot write {}", to.display())))?;
            let mut hashing = Hashing::default();
            let mut buffer = vec![0u8; 1 << 20];
            loop {
                let read = entry
                    .read(&mut buffer)
                    .map_err(|e| damaged(e.to_string()))?;
                if read == 0 {
                    break;
                }
                hashing.update(&buffer[..read]);
                file.write_all(&buffer[..read])
                    .map_err(failed(format!("cannot write {}", to.display())))?;
            }
            file.sync_all()
                .map_err(failed(format!("cannot write {}", to.display())))?;
            drop(entry);
            let found = hashing.part(&expected.path);
            if found != expected {
                return Err(damaged(format!(
                    "its SHA-256 is {} ({} bytes) where the manifest says {} ({} bytes)",
                    found.sha256, found.bytes, expected.sha256, expected.bytes
                )));
            }
            Ok(archive)
        })
        .await
    }

    /// The bytes of a stored file, refused past `limit` bytes.
    pub async fn file(self, key: String, limit: u64) -> BackupResult<(Archive, Bytes)> {
        blocking(move || {
            let mut archive = self;
            let mut bytes = Vec::new();
            archive
                .zip
                .by_name(&format!("{FILES_PREFIX}{key}"))
                .and_then(|entry| Ok(entry.take(limit + 1).read_to_end(&mut bytes)?))
                .map_err(|e| {
                    BackupError::Damaged(format!(
                        "the file {key} in {} is missing or damaged: {e}",
                        archive.path.display()
                    ))
                })?;
            if bytes.len() as u64 > limit {
                return Err(BackupError::Damaged(format!(
                    "the file {key} in {} is larger than any file Rehber keeps",
                    archive.path.display()
                )));
            }
            Ok((archive, Bytes::from(bytes)))
        })
        .await
    }
}

fn starts_like_a_zip(path: &Path) -> bool {
    let mut head = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| &head == b"PK\x03\x04")
}

/// Runs blocking file work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> BackupResult<T> + Send + 'static,
) -> BackupResult<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| BackupError::Failed(format!("the backup's file work stopped: {e}")))?
}

/// A writer that only hashes and counts.
#[derive(Default)]
struct Hashing {
    hasher: Sha256,
    bytes: u64,
}

impl Hashing {
    fn update(&mut self, data: &[u8]) {
        self.hasher.update(data);
        self.bytes += data.len() as u64;
    }

    fn part(self, path: &str) -> Part {
        Part {
            path: path.to_string(),
            sha256: crate::secrets::hex(&self.hasher.finalize()),
            bytes: self.bytes,
        }
    }
}

impl Write for Hashing {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.update(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
