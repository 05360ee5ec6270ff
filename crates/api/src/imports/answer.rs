//! The import as the API answers it: its columns, counts, the rows with something to say
//! (each with what it updates), and what an undo did.

use rehber_app::imports::{StoredImport, UNDO_DAYS};
use rehber_domain::import::{ImportStatus, ReportRow};
use rehber_web_core::i18n::Lang;
use rehber_web_core::imports::describe;
use serde::Serialize;
use utoipa::ToSchema;

/// How many report rows an import's answer carries (the error report has them all).
const REPORT_ROWS: usize = 100;

/// How many rows fared how.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportCountsResponse {
    pub total: u64,
    /// Rows without anything to say.
    pub ok: u64,
    /// Rows importable, with something to know (a company not found).
    pub warnings: u64,
    /// Rows not importable as they are: a commit waits until there are none.
    pub errors: u64,
}

/// What the checked rows would write, by how they meet the records already kept.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportMatchesResponse {
    /// Rows that update a kept record (`on_match=update`; among the ok and warning rows).
    pub updates: u64,
    /// Rows matching a kept record that holds their values already.
    pub unchanged: u64,
    /// Rows left out because they match a kept record (`on_match=skip`).
    pub skipped: u64,
    /// Rows a commit creates records from.
    pub creates: u64,
}

/// One value a row changes on the record it updates.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportChangeResponse {
    /// `job_title`, `address.city`, `emails`, `custom.<key>`…
    pub field: String,
    pub from: String,
    pub to: String,
}

/// The kept record a row updates.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportRowUpdateResponse {
    pub record_id: i64,
    /// The record's name.
    pub title: String,
    pub changes: Vec<ImportChangeResponse>,
}

/// One column of the file and the field it fills.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportColumnResponse {
    /// As written in the file's first row.
    pub header: String,
    /// `first_name`, `emails`, `custom.<key>`…; `null` when the column is left out.
    pub field: Option<String>,
}

/// A message about a row.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportMessageResponse {
    /// The field (`emails`, `custom.sektor`).
    pub field: String,
    /// The message key (`invalid-email`, `invalid-duplicate-in-file`,
    /// `invalid-duplicate-record`, `import-company-not-found`…).
    pub code: String,
    /// The file's column, when the field came from one.
    pub column: Option<String>,
    /// What the message names: the earlier line, the record repeated (when you may see it),
    /// the company or owner not found.
    pub detail: Option<String>,
    /// The message in the caller's language.
    pub message: String,
}

/// A row the check had something to say about.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportRowResponse {
    /// The line (CSV) or row number (a workbook), as your program shows it.
    pub line: usize,
    /// `ok` (a row updating a record, nothing else to say), `warning` or `error`.
    pub status: String,
    pub messages: Vec<ImportMessageResponse>,
    /// The record the row updates and what changes (`on_match=update`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update: Option<ImportRowUpdateResponse>,
}

fn row_response(lang: Lang, row: &ReportRow) -> ImportRowResponse {
    ImportRowResponse {
        line: row.line,
        status: match row.status {
            rehber_domain::import::RowStatus::Ok => "ok",
            rehber_domain::import::RowStatus::Warning => "warning",
            rehber_domain::import::RowStatus::Error => "error",
        }
        .into(),
        messages: row
            .messages
            .iter()
            .map(|m| ImportMessageResponse {
                field: m.field.clone(),
                code: m.code.clone(),
                column: m.column.clone(),
                detail: m.detail.clone(),
                message: describe(lang, m),
            })
            .collect(),
        update: row.update.as_ref().map(|u| ImportRowUpdateResponse {
            record_id: u.record_id,
            title: u.title.clone(),
            changes: u
                .changes
                .iter()
                .map(|c| ImportChangeResponse {
                    field: c.field.clone(),
                    from: c.from.clone(),
                    to: c.to.clone(),
                })
                .collect(),
        }),
    }
}

/// An import.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResponse {
    pub id: i64,
    /// `people` or `companies`.
    pub kind: String,
    /// `uploaded`, `checking`, `checked`, `committing`, `committed`, `failed` or `undone`.
    pub status: String,
    pub file_name: String,
    /// A CSV file's encoding as read (`UTF-8`, `UTF-16LE`, `windows-1254`).
    pub encoding: Option<String>,
    /// A CSV file's delimiter.
    pub delimiter: Option<String>,
    /// A workbook's sheet read.
    pub sheet: Option<String>,
    pub columns: Vec<ImportColumnResponse>,
    /// What a row matching a kept record (same e-mail, phone, TCKN or VKN) does: `refuse`
    /// (an error; the default), `update` (the record takes the row's non-empty values) or
    /// `skip`.
    pub on_match: String,
    /// After a check.
    pub counts: ImportCountsResponse,
    /// After a check: rows creating, updating, matching without change, skipped.
    pub matches: ImportMatchesResponse,
    /// Of the running step, in percent.
    pub progress: u8,
    /// Records the commit created.
    pub rows_created: u64,
    /// Records the commit updated.
    pub rows_updated: u64,
    /// Why the last step failed (`failed`).
    pub failure: Option<String>,
    /// The first rows with something to say, errors first; the error report has them all.
    pub rows: Vec<ImportRowResponse>,
    /// The check's rows with something to say, in all.
    pub rows_reported: usize,
    pub created_by: i64,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub checked_at: Option<String>,
    pub committed_at: Option<String>,
    /// Until when an undo is possible (a committed import).
    pub undo_until: Option<String>,
    pub undone_at: Option<String>,
    /// After an undo: records moved to the trash, and records kept because they were
    /// changed since the import.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undo: Option<UndoResponse>,
}

/// What an undo did.
#[derive(Debug, Serialize, ToSchema)]
pub struct UndoResponse {
    /// Created records moved to the trash.
    pub trashed: u64,
    /// Updated records put back as they were before the import (present when the import
    /// updated records).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restored: Option<u64>,
    /// Records kept: changed since the import, or (created ones) linked to since.
    pub kept: u64,
}

pub(super) fn response(lang: Lang, import: &StoredImport) -> ImportResponse {
    let mut rows: Vec<&ReportRow> = import.report.iter().collect();
    rows.sort_by_key(|r| (r.status != rehber_domain::import::RowStatus::Error, r.line));
    let time = |t: Option<jiff::Timestamp>| t.map(|t| t.to_string());
    ImportResponse {
        id: import.id,
        kind: import.kind.as_str().into(),
        status: import.status.as_str().into(),
        file_name: import.file_name.clone(),
        encoding: import.encoding.clone(),
        delimiter: import.delimiter.clone(),
        sheet: import.sheet.clone(),
        columns: import
            .header
            .iter()
            .zip(import.mapping.iter())
            .map(|(header, field)| ImportColumnResponse {
                header: header.clone(),
                field: field.clone(),
            })
            .collect(),
        on_match: import.on_match.as_str().into(),
        counts: ImportCountsResponse {
            total: import.counts.total,
            ok: import.counts.ok,
            warnings: import.counts.warnings,
            errors: import.counts.errors,
        },
        matches: ImportMatchesResponse {
            updates: import.counts.updates,
            unchanged: import.counts.unchanged,
            skipped: import.counts.skipped,
            creates: import.counts.creates(),
        },
        progress: import.progress,
        rows_created: import.rows_created,
        rows_updated: import.rows_updated,
        failure: import.failure.clone(),
        rows: rows
            .into_iter()
            .take(REPORT_ROWS)
            .map(|r| row_response(lang, r))
            .collect(),
        rows_reported: import.report.len(),
        created_by: import.created_by.0,
        created_at: import.created_at.to_string(),
        checked_at: time(import.checked_at),
        committed_at: time(import.committed_at),
        undo_until: match import.status {
            ImportStatus::Committed => time(
                import
                    .committed_at
                    .map(|at| at + jiff::SignedDuration::from_hours(24 * UNDO_DAYS)),
            ),
            _ => None,
        },
        undone_at: time(import.undone_at),
        undo: None,
    }
}
