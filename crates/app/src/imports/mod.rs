//! Imports of people and companies: upload (the file kept, read, its columns mapped), check
//! (a dry run that writes nothing but its report), commit (every row or none, audited) and
//! undo (within seven days, of the records not changed since). The same check serves the
//! command line's dry run, which stores nothing at all.
//!
//! An import is its creator's: others get "not found", administrators see every import.
//! The records it creates belong to the importer (or, for managers and administrators, to
//! the owner a column names) and are read afterwards through the usual scopes.

mod check;
mod commit;
mod kinds;
mod matches;

pub use check::Checked;
pub use kinds::Importable;
pub use rehber_domain::import::OnMatch;
pub use rehber_store::{StoredImport, UndoOutcome};

use crate::App;
use crate::error::{AppError, AppResult};
use bytes::Bytes;
use check::Context;
use futures_util::TryStreamExt;
use rehber_domain::custom::CustomField;
use rehber_domain::import::{
    ImportKind, ImportStatus, Lexicon, Mapping, Target, apply_mapping, check_mapping,
    suggest_mapping,
};
use rehber_domain::party::{Companies, People};
use rehber_domain::{Actor, Error};
use rehber_files::FilesError;
use rehber_sheets::{ReadError, ReadLimits, SourceTable};
use rehber_store::NewImport;
use serde_json::{Map, Value};

/// The largest file an import takes.
pub const MAX_IMPORT_BYTES: u64 = 50 * 1024 * 1024;
/// How long after its commit an import may be undone.
pub const UNDO_DAYS: i64 = 7;
/// A check or commit whose progress has not moved for this long was cut short (the
/// housekeeping job marks it failed).
pub const STALLED_AFTER: std::time::Duration = std::time::Duration::from_secs(15 * 60);
/// The most imports one list shows.
pub const MAX_IMPORT_LIST: u64 = 100;

/// How to read a file: its encoding when the guess was wrong, a mapping laid over the one
/// its headers suggest (`{"E-posta": "emails", "3": null}`), and what a row matching a
/// kept record does.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportOptions {
    pub encoding: Option<String>,
    pub mapping: Option<Map<String, Value>>,
    pub on_match: OnMatch,
}

/// A file read and mapped, ready to check.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub kind: ImportKind,
    pub table: SourceTable,
    pub mapping: Mapping,
    pub custom: Vec<CustomField>,
    pub on_match: OnMatch,
}

impl Prepared {
    /// The mapping as stored: each column's field code.
    pub fn codes(&self) -> Vec<Option<String>> {
        self.mapping
            .iter()
            .map(|t| t.as_ref().map(Target::code))
            .collect()
    }
}

/// An import's mapping as stored, read back (a custom field archived since is left out).
fn stored_mapping(import: &StoredImport, custom: &[CustomField]) -> Mapping {
    import
        .mapping
        .iter()
        .map(|code| {
            code.as_deref()
                .and_then(|c| Target::parse(import.kind, c, custom))
        })
        .collect()
}

/// A file that cannot be read, as the field error the API and the pages show.
fn unreadable(error: ReadError) -> AppError {
    Error::field("file", error.code()).into()
}

/// Reads a file's bytes off the request's task: a large workbook takes a moment.
async fn read_file(bytes: Bytes, encoding: Option<String>) -> AppResult<SourceTable> {
    tokio::task::spawn_blocking(move || {
        rehber_sheets::read_table(&bytes, encoding.as_deref(), ReadLimits::default())
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(unreadable)
}

impl App {
    /// Reads `bytes` as a `kind` import and maps its columns (refusing a mapping without
    /// the kind's name column, or with a field twice): the upload step, stored nowhere.
    pub async fn prepare_import(
        &self,
        kind: ImportKind,
        bytes: Bytes,
        options: &ImportOptions,
    ) -> AppResult<Prepared> {
        let table = read_file(bytes, options.encoding.clone()).await?;
        let custom = self.import_fields(kind).await?;
        let mapping = match &options.mapping {
            Some(written) => {
                let suggested = suggest_mapping(kind, &table.header, &custom);
                apply_mapping(kind, &table.header, &custom, suggested, written)
                    .map_err(Error::Validation)?
            }
            None => suggest_mapping(kind, &table.header, &custom),
        };
        check_mapping(kind, &mapping).map_err(Error::Validation)?;
        Ok(Prepared {
            kind,
            table,
            mapping,
            custom,
            on_match: options.on_match,
        })
    }

    /// The custom fields a column may fill (the active ones).
    async fn import_fields(&self, kind: ImportKind) -> AppResult<Vec<CustomField>> {
        Ok(self
            .store
            .custom_fields(kind.record_type(), false)
            .await?
            .into_iter()
            .filter(|f| !f.archived)
            .collect())
    }

    /// Checks a prepared file as the actor would import it, writing nothing: the dry run.
    pub async fn dry_run_import<K: Importable>(
        &self,
        actor: &Actor,
        prepared: &Prepared,
        lexicon: &Lexicon,
    ) -> AppResult<Checked<K::Fields>> {
        if !actor.role.can_write(K::ACCESS) {
            return Err(Error::Forbidden.into());
        }
        let cx = self.check_context(actor, prepared, lexicon).await?;
        self.check_rows::<K>(&cx, &prepared.table, None).await
    }

    async fn check_context<'a>(
        &self,
        actor: &'a Actor,
        prepared: &'a Prepared,
        lexicon: &'a Lexicon,
    ) -> AppResult<Context<'a>> {
        let default_owner = self
            .resolve_ownership(actor, None, Default::default())
            .await?;
        Ok(Context {
            actor,
            header: &prepared.table.header,
            mapping: &prepared.mapping,
            custom: prepared.custom.clone(),
            lexicon,
            default_owner,
            bant_gate: self.bant_gate().await?,
            today: self.today(),
            now: jiff::Timestamp::now(),
            on_match: prepared.on_match,
        })
    }

    /// Keeps an uploaded file as a new import of `kind` (people or companies the actor may
    /// create), read and mapped; an unreadable file, or one whose columns leave the name
    /// out, is refused and nothing is kept.
    pub async fn upload_import(
        &self,
        actor: &Actor,
        kind: ImportKind,
        file_name: &str,
        bytes: Bytes,
        options: &ImportOptions,
    ) -> AppResult<StoredImport> {
        let access = match kind {
            ImportKind::People => <People as rehber_domain::Kind>::ACCESS,
            ImportKind::Companies => <Companies as rehber_domain::Kind>::ACCESS,
        };
        if !actor.role.can_write(access) {
            return Err(Error::Forbidden.into());
        }
        if bytes.len() as u64 > MAX_IMPORT_BYTES {
            return Err(Error::TooLarge {
                limit_bytes: MAX_IMPORT_BYTES,
            }
            .into());
        }
        let prepared = self.prepare_import(kind, bytes.clone(), options).await?;
        let chunks = futures_util::stream::once(async move { Ok::<_, std::io::Error>(bytes) });
        let blob = self
            .files
            .put(chunks, MAX_IMPORT_BYTES)
            .await
            .map_err(|e| match e {
                FilesError::TooLarge { limit } => Error::TooLarge { limit_bytes: limit }.into(),
                FilesError::Empty => Error::field("file", "invalid-import-empty").into(),
                other => AppError::Internal(other.to_string()),
            })?;
        let file_name = rehber_domain::attachment::clean_filename(file_name);
        let codes = prepared.codes();
        let new = NewImport {
            kind,
            file_name: &file_name,
            file_key: &blob.key,
            file_size: blob.size,
            encoding: prepared.table.encoding,
            delimiter: prepared.table.delimiter,
            sheet: prepared.table.sheet.as_deref(),
            header: &prepared.table.header,
            mapping: &codes,
            on_match: options.on_match,
            created_by: actor.user_id,
        };
        let id = self.store.insert_import(&new).await?;
        Ok(self.store.import(id).await?)
    }

    /// An import the actor made (any import, for administrators).
    pub async fn get_import(&self, actor: &Actor, id: i64) -> AppResult<StoredImport> {
        let import = self.store.import(id).await?;
        if import.created_by != actor.user_id && !actor.role.is_admin() {
            return Err(Error::NotFound.into());
        }
        Ok(import)
    }

    /// The latest imports the actor made (everyone's, for administrators), newest first.
    pub async fn list_imports(&self, actor: &Actor) -> AppResult<Vec<StoredImport>> {
        let mine = (!actor.role.is_admin()).then_some(actor.user_id);
        Ok(self.store.imports(mine, MAX_IMPORT_LIST).await?)
    }

    /// A stored import's file read again and mapped as stored.
    async fn reread(&self, import: &StoredImport) -> AppResult<Prepared> {
        let stream = self
            .files
            .get(&import.file_key)
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let chunks: Vec<Bytes> = stream
            .try_collect()
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let bytes = Bytes::from(chunks.concat());
        let table = read_file(bytes, import.encoding.clone()).await?;
        let custom = self.import_fields(import.kind).await?;
        let mapping = stored_mapping(import, &custom);
        check_mapping(import.kind, &mapping).map_err(Error::Validation)?;
        Ok(Prepared {
            kind: import.kind,
            table,
            mapping,
            custom,
            on_match: import.on_match,
        })
    }

    /// An import and its file's rows as read again (for its error report).
    pub async fn import_source(
        &self,
        actor: &Actor,
        id: i64,
    ) -> AppResult<(StoredImport, SourceTable)> {
        let import = self.get_import(actor, id).await?;
        let prepared = self.reread(&import).await?;
        Ok((import, prepared.table))
    }

    /// Lays a new mapping over an import not committed yet, and says what a row matching a
    /// kept record does (as before when `None`); it is to be checked again.
    pub async fn remap_import(
        &self,
        actor: &Actor,
        id: i64,
        written: &Map<String, Value>,
        on_match: Option<OnMatch>,
    ) -> AppResult<StoredImport> {
        let import = self.get_import(actor, id).await?;
        let custom = self.import_fields(import.kind).await?;
        let current = stored_mapping(&import, &custom);
        let mapping = apply_mapping(import.kind, &import.header, &custom, current, written)
            .map_err(Error::Validation)?;
        check_mapping(import.kind, &mapping).map_err(Error::Validation)?;
        let codes: Vec<Option<String>> = mapping
            .iter()
            .map(|t| t.as_ref().map(Target::code))
            .collect();
        let on_match = on_match.unwrap_or(import.on_match);
        if !self.store.remap_import(id, &codes, on_match).await? {
            return Err(Error::Conflict("import-busy").into());
        }
        Ok(self.store.import(id).await?)
    }

    /// Checks an import's rows (a dry run: nothing but its report is written), reporting
    /// progress on the import as it goes.
    pub async fn check_import(
        &self,
        actor: &Actor,
        id: i64,
        lexicon: &Lexicon,
    ) -> AppResult<StoredImport> {
        // Whose it is; it is read again once the check is ours.
        self.get_import(actor, id).await?;
        let from = [
            ImportStatus::Uploaded,
            ImportStatus::Checked,
            ImportStatus::Failed,
        ];
        if !self
            .store
            .move_import(id, &from, ImportStatus::Checking)
            .await?
        {
            return Err(Error::Conflict("import-busy").into());
        }
        let import = self.store.import(id).await?;
        let outcome = async {
            let prepared = self.reread(&import).await?;
            let (counts, report) = match import.kind {
                ImportKind::People => {
                    let checked = self
                        .tracked_check::<People>(actor, id, &prepared, lexicon)
                        .await?;
                    (checked.counts, checked.report)
                }
                ImportKind::Companies => {
                    let checked = self
                        .tracked_check::<Companies>(actor, id, &prepared, lexicon)
                        .await?;
                    (checked.counts, checked.report)
                }
            };
            self.store.finish_import_check(id, counts, &report).await?;
            Ok::<_, AppError>(())
        }
        .await;
        if let Err(error) = outcome {
            self.store.fail_import(id, &error.to_string()).await?;
            return Err(error);
        }
        Ok(self.store.import(id).await?)
    }

    /// [`App::check_rows`] writing its progress on import `id` as it goes.
    async fn tracked_check<K: Importable>(
        &self,
        actor: &Actor,
        id: i64,
        prepared: &Prepared,
        lexicon: &Lexicon,
    ) -> AppResult<Checked<K::Fields>> {
        if !actor.role.can_write(K::ACCESS) {
            return Err(Error::Forbidden.into());
        }
        let cx = self.check_context(actor, prepared, lexicon).await?;
        self.check_rows::<K>(&cx, &prepared.table, Some(id)).await
    }
}
