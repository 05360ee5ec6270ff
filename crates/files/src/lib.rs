//! The bytes of attachments. A file is written while it streams in, its SHA-256 computed on
//! the way, and stored under `sha256/ab/cd/<hash>`: a file uploaded twice is kept once. A
//! size cap is checked chunk by chunk; a file over it, an empty one or a broken upload is
//! abandoned and nothing of it stays. Reading streams the bytes back.
//!
//! The store is object_store's: a folder (by default under the data directory, written to a
//! temporary file and renamed into place), an S3-compatible bucket ([`s3`]) or memory (tests).

mod s3;

pub use s3::{S3Credentials, S3Location};

use bytes::Bytes;
use futures_util::stream::BoxStream;
use futures_util::{Stream, StreamExt, TryStreamExt};
use object_store::path::Path as StorePath;
use object_store::{ObjectStore, WriteMultipart};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// How much of a file's start is kept for sniffing its type.
pub const HEAD_BYTES: usize = 8 * 1024;

/// Why a file was not stored (nothing of it was kept).
#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    #[error("the file is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("the file is empty")]
    Empty,
    /// The upload itself broke off (the client went away, the body was cut).
    #[error("the upload failed: {0}")]
    Upload(String),
    #[error("the file store failed: {0}")]
    Store(#[from] object_store::Error),
    #[error("the file store folder {0} cannot be used: {1}")]
    Folder(String, String),
    /// A `files_url` that does not name a usable bucket.
    #[error("the file store location is not usable: {0}")]
    Location(String),
}

/// A stored file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBlob {
    pub key: String,
    pub sha256: String,
    pub size: u64,
    /// Its first [`HEAD_BYTES`] bytes.
    pub head: Vec<u8>,
}

/// The file store. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Files {
    store: Arc<dyn ObjectStore>,
}

impl Files {
    /// Files kept in memory (tests).
    pub fn in_memory() -> Files {
        Files {
            store: Arc::new(object_store::memory::InMemory::new()),
        }
    }

    /// Files kept in `folder`, created when missing; refused when it cannot be written.
    pub fn local(folder: &std::path::Path) -> Result<Files, FilesError> {
        let refuse =
            |e: std::io::Error| FilesError::Folder(folder.display().to_string(), e.to_string());
        std::fs::create_dir_all(folder).map_err(refuse)?;
        // A folder that cannot be written loses uploads later; say so at start.
        let probe = folder.join(".rehber-write-check");
        std::fs::write(&probe, b"ok").map_err(refuse)?;
        std::fs::remove_file(&probe).map_err(refuse)?;
        let store = object_store::local::LocalFileSystem::new_with_prefix(folder)?;
        Ok(Files {
            store: Arc::new(store),
        })
    }

    /// Stores what `chunks` yields, up to `limit` bytes.
    pub async fn put<S, E>(&self, chunks: S, limit: u64) -> Result<StoredBlob, FilesError>
    where
        S: Stream<Item = Result<Bytes, E>> + Send,
        E: std::fmt::Display,
    {
        let mut chunks = std::pin::pin!(chunks);
        let temporary = StorePath::from(format!("tmp/{:016x}", rand::random::<u64>()));
        let mut writer = WriteMultipart::new(self.store.put_multipart(&temporary).await?);
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        let mut head = Vec::new();
        let failure = loop {
            let chunk = match chunks.next().await {
                None => break None,
                Some(Ok(chunk)) => chunk,
                Some(Err(error)) => break Some(FilesError::Upload(error.to_string())),
            };
            size += chunk.len() as u64;
            if size > limit {
                break Some(FilesError::TooLarge { limit });
            }
            hasher.update(&chunk);
            if head.len() < HEAD_BYTES {
                let room = HEAD_BYTES - head.len();
                head.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            if let Err(error) = writer.wait_for_capacity(4).await {
                break Some(error.into());
            }
            writer.write(&chunk);
        };
        let failure = failure.or_else(|| (size == 0).then_some(FilesError::Empty));
        if let Some(failure) = failure {
            // Nothing of a refused file stays.
            let _ = writer.abort().await;
            let _ = self.store.delete(&temporary).await;
            return Err(failure);
        }
        writer.finish().await?;
        let sha256: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let key = format!("sha256/{}/{}/{sha256}", &sha256[..2], &sha256[2..4]);
        match self
            .store
            .rename_if_not_exists(&temporary, &StorePath::from(key.as_str()))
            .await
        {
            Ok(()) => {}
            // The same bytes are already kept: this copy is not needed.
            Err(object_store::Error::AlreadyExists { .. }) => {
                self.store.delete(&temporary).await?;
            }
            // S3 offers no conditional copy without extra setup. Same key, same bytes: when
            // two uploads of one file race, whichever copy lands last is identical.
            Err(object_store::Error::NotSupported { .. } | object_store::Error::NotImplemented) => {
                if self.exists(&key).await? {
                    self.store.delete(&temporary).await?;
                } else {
                    self.store
                        .rename(&temporary, &StorePath::from(key.as_str()))
                        .await?;
                }
            }
            Err(other) => {
                let _ = self.store.delete(&temporary).await;
                return Err(other.into());
            }
        }
        Ok(StoredBlob {
            key,
            sha256,
            size,
            head,
        })
    }

    /// The bytes stored under `key`, as they stream.
    pub async fn get(
        &self,
        key: &str,
    ) -> Result<BoxStream<'static, Result<Bytes, FilesError>>, FilesError> {
        let found = self.store.get(&StorePath::from(key)).await?;
        Ok(found.into_stream().map_err(FilesError::from).boxed())
    }

    /// Whether bytes are stored under `key`.
    pub async fn exists(&self, key: &str) -> Result<bool, FilesError> {
        match self.store.head(&StorePath::from(key)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(other) => Err(other.into()),
        }
    }

    /// Removes the bytes stored under `key` (nothing to do when there are none). Callers
    /// check first that no row names the key: a file uploaded twice is stored once.
    pub async fn delete(&self, key: &str) -> Result<(), FilesError> {
        match self.store.delete(&StorePath::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(other) => Err(other.into()),
        }
    }

    /// The keys of every stored file (not the temporary ones of uploads in progress), sorted:
    /// what a backup copies.
    pub async fn keys(&self) -> Result<Vec<String>, FilesError> {
        let prefix = StorePath::from("sha256");
        let mut keys: Vec<String> = self
            .store
            .list(Some(&prefix))
            .map_ok(|meta| meta.location.to_string())
            .try_collect()
            .await?;
        keys.sort();
        Ok(keys)
    }

    /// How many files are stored (temporary ones included): for tests and checks.
    pub async fn count(&self) -> Result<usize, FilesError> {
        let listed: Vec<_> = self.store.list(None).try_collect().await?;
        Ok(listed.len())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn chunks(parts: &[&'static [u8]]) -> impl Stream<Item = Result<Bytes, String>> + Send {
        futures_util::stream::iter(
            parts
                .iter()
                .map(|p| Ok(Bytes::from_static(p)))
                .collect::<Vec<_>>(),
        )
    }

    async fn read(files: &Files, key: &str) -> Vec<u8> {
        let parts: Vec<Bytes> = files.get(key).await.unwrap().try_collect().await.unwrap();
        parts.concat()
    }

    #[tokio::test]
    async fn a_file_is_stored_once_under_its_hash_and_read_back() {
        let folder = tempfile::tempdir().unwrap();
        let files = Files::local(folder.path()).unwrap();
        let first = files
            .put(chunks(&[b"Teklif ", b"TKF-2026-000123"]), 100)
            .await
            .unwrap();
        assert_eq!(first.size, 22);
        assert_eq!(first.head, b"Teklif TKF-2026-000123");
        assert!(first.key.starts_with(&format!(
            "sha256/{}/{}/",
            &first.sha256[..2],
            &first.sha256[2..4]
        )));
        assert_eq!(read(&files, &first.key).await, b"Teklif TKF-2026-000123");
        let again = files
            .put(chunks(&[b"Teklif TKF-", b"2026-000123"]), 100)
            .await
            .unwrap();
        assert_eq!(again, first, "the same bytes, the same key");
        assert_eq!(
            files.count().await.unwrap(),
            1,
            "stored once, no temporary left"
        );
    }

    #[tokio::test]
    async fn an_upload_over_the_limit_or_empty_or_broken_leaves_nothing() {
        let files = Files::in_memory();
        let over = files.put(chunks(&[b"12345", b"67890", b"x"]), 10).await;
        assert!(matches!(over, Err(FilesError::TooLarge { limit: 10 })));
        assert!(matches!(
            files.put(chunks(&[]), 10).await,
            Err(FilesError::Empty)
        ));
        let broken = futures_util::stream::iter(vec![
            Ok(Bytes::from_static(b"abc")),
            Err("cut".to_string()),
        ]);
        assert!(matches!(
            files.put(broken, 10).await,
            Err(FilesError::Upload(_))
        ));
        assert_eq!(files.count().await.unwrap(), 0);
    }

    #[test]
    fn a_folder_that_cannot_be_written_is_refused_at_once() {
        let file = tempfile::NamedTempFile::new().unwrap();
        assert!(matches!(
            Files::local(&file.path().join("files")),
            Err(FilesError::Folder(..))
        ));
    }
}
