//! Where an import stands, and what its check found row by row.

use serde::{Deserialize, Serialize};

/// An import's step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    /// The file is read and its columns mapped; not checked yet.
    Uploaded,
    Checking,
    /// Checked: the counts and the report say what a commit would do.
    Checked,
    Committing,
    Committed,
    /// A commit that wrote nothing (a record added meanwhile repeats a row): check again.
    Failed,
    /// Its records not changed since went to the trash.
    Undone,
}

impl ImportStatus {
    pub const ALL: [ImportStatus; 7] = [
        ImportStatus::Uploaded,
        ImportStatus::Checking,
        ImportStatus::Checked,
        ImportStatus::Committing,
        ImportStatus::Committed,
        ImportStatus::Failed,
        ImportStatus::Undone,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ImportStatus::Uploaded => "uploaded",
            ImportStatus::Checking => "checking",
            ImportStatus::Checked => "checked",
            ImportStatus::Committing => "committing",
            ImportStatus::Committed => "committed",
            ImportStatus::Failed => "failed",
            ImportStatus::Undone => "undone",
        }
    }

    pub fn parse(text: &str) -> Option<ImportStatus> {
        ImportStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// How a row fared in the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    Ok,
    /// Imported, with something to know (a company not found, an owner unknown).
    Warning,
    /// Not importable as it is: the commit waits until it is fixed or removed.
    Error,
}

/// One thing said about a row: the field (`emails`, `custom.sektor`), the message key
/// (`invalid-email`, `invalid-duplicate-in-file`), the column's header when the field came
/// from one, and a value the message names (the earlier line, the record repeated).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowMessage {
    pub field: String,
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A row with something to say, by the line the user finds it on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRow {
    pub line: usize,
    pub status: RowStatus,
    pub messages: Vec<RowMessage>,
    /// The kept record the row updates (an import updating matches), and what changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update: Option<super::RowUpdate>,
}

/// The message of a row left out because it matches a kept record (an import skipping
/// matches).
pub const SKIPPED_MATCH: &str = "import-match-skipped";

/// How many rows fared how.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportCounts {
    pub total: u64,
    pub ok: u64,
    pub warnings: u64,
    pub errors: u64,
    /// Rows that update a kept record (among the ok and warning rows).
    #[serde(default)]
    pub updates: u64,
    /// Rows matching a kept record that holds all their values already.
    #[serde(default)]
    pub unchanged: u64,
    /// Rows left out because they match a kept record.
    #[serde(default)]
    pub skipped: u64,
}

impl ImportCounts {
    /// The counts of a report over `total` rows.
    pub fn of(total: usize, report: &[ReportRow]) -> ImportCounts {
        let count = |status| report.iter().filter(|r| r.status == status).count() as u64;
        let warnings = count(RowStatus::Warning);
        let errors = count(RowStatus::Error);
        let updates = report
            .iter()
            .filter(|r| r.status != RowStatus::Error && r.update.is_some())
            .count() as u64;
        let skipped = report
            .iter()
            .filter(|r| r.status != RowStatus::Error)
            .filter(|r| r.messages.iter().any(|m| m.code == SKIPPED_MATCH))
            .count() as u64;
        ImportCounts {
            total: total as u64,
            ok: (total as u64).saturating_sub(warnings + errors),
            warnings,
            errors,
            updates,
            unchanged: 0,
            skipped,
        }
    }

    /// The rows a commit creates records from.
    pub fn creates(&self) -> u64 {
        self.total
            .saturating_sub(self.errors + self.updates + self.unchanged + self.skipped)
    }
}
