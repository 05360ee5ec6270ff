//! Erasing a person (KVKK article 11), in one transaction: their record is anonymised, what
//! concerns only them is deleted, their name, addresses and numbers are redacted wherever
//! else a text quotes them (the audit log included, by the one-way redaction its trigger
//! allows), their consents keep only a hash of the address, and what the law keeps (the
//! ledger) stays. The same walk without writing is the preview.
//!
//! Texts are looked for in every text column the catalog lists, so a table added later is
//! covered without anyone remembering to add it here; what is left out is listed in
//! `redact`, with the reason.

use crate::sql::Conn;
use crate::{Backend, Store, StoreError, now_micros};
use rehber_domain::erasure::Terms;
use rehber_domain::party::{Ownership, PersonFields};
use rehber_domain::validate::Tckn;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

mod redact;
mod walk;

use walk::walk;

/// A line of the erasure log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct ErasureLogEntry {
    pub record_id: i64,
    pub executed_at: i64,
    pub record_created_at: i64,
}

/// A text an erasure redacts (or, in a preview, would).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Redaction {
    pub table: String,
    pub column: String,
    /// The row's `id`, for tables that have one.
    pub record_id: Option<i64>,
    /// The text as it is after redaction, cut to a readable length.
    pub after: String,
}

/// A document that keeps naming the person after an erasure, because the law keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetainedDocument {
    /// `invoice`, `credit_note`, `payment`, `order` or `quote`.
    pub kind: String,
    pub id: i64,
    pub number: Option<String>,
}

/// What stops an erasure: an account still open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErasureBlocker {
    /// `invoice` (posted and not fully paid, or a draft) or `order` (not delivered, closed
    /// or cancelled).
    pub kind: String,
    pub id: i64,
    pub number: Option<String>,
    pub status: String,
}

/// What an erasure of a person does, found before (the preview) or while (the erasure)
/// doing it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ErasureFindings {
    /// The person and every record merged into them.
    pub people: Vec<i64>,
    /// Rows deleted, by what they are (`activities`, `tasks`, `comments`, `attachments`,
    /// `notifications`, `custom_values`, `tags`, `price_lists`, `data_exports`).
    pub deleted: BTreeMap<String, i64>,
    pub redacted: Vec<Redaction>,
    /// Consents kept as evidence, their address replaced by its hash.
    pub consents_hashed: i64,
    pub retained: Vec<RetainedDocument>,
    pub ledger_entries: i64,
    pub blockers: Vec<ErasureBlocker>,
    /// Other people with one of the same e-mail addresses, phones or national ID: perhaps
    /// the same person, who stays unless erased too.
    pub same_contact: Vec<i64>,
    /// Stored files no row needs any more (removed once the erasure is committed).
    #[serde(skip)]
    pub orphaned_files: Vec<String>,
}

/// One person's erasure: who, the anonymous content their record takes, what to look for.
pub struct Erasure<'a> {
    pub person: i64,
    /// For each record (the person and those merged into them): the version read, the
    /// content it takes and its ownership.
    pub records: Vec<(i64, i64, PersonFields, Ownership)>,
    pub terms: &'a Terms,
    /// A secret mixed into the consent address hashes.
    pub pepper: &'a str,
    pub actor: Option<i64>,
    /// The e-mail addresses, phones and national ID of the records, for `same_contact`.
    pub contact_keys: Vec<String>,
}

fn ids_list(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The address a consent keeps after its person is erased.
pub fn hashed_address(pepper: &str, address: &str) -> String {
    let digest = Sha256::digest(format!("{pepper}\n{}", address.to_lowercase()).as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

impl Store {
    /// The records merged into `person` (and into those, and so on): an erasure covers
    /// them all, since each holds what the person's record held before the merge.
    pub async fn merged_into(&self, person: i64) -> Result<Vec<i64>, StoreError> {
        let mut all = vec![person];
        let mut frontier = vec![person];
        while !frontier.is_empty() && all.len() < 1_000 {
            let sql = format!(
                "SELECT id FROM people WHERE merged_into_id IN ({}) ORDER BY id",
                ids_list(&frontier)
            );
            let found: Vec<i64> = crate::on_pool!(self, pool => {
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await?
            });
            frontier = found.into_iter().filter(|id| !all.contains(id)).collect();
            all.extend(&frontier);
        }
        Ok(all)
    }

    /// Erases a person (`apply`), or finds what erasing them would do. An erasure that
    /// [`ErasureFindings::blockers`] name is refused ([`StoreError::Refused`]) unless
    /// `despite_blockers` (a restore repeating an erasure made since its backup).
    pub async fn erase_person(
        &self,
        erasure: &Erasure<'_>,
        apply: bool,
        despite_blockers: bool,
    ) -> Result<ErasureFindings, StoreError> {
        let columns = self.erasure_columns().await?;
        let now = now_micros();
        if !apply {
            return self
                .dry_run(async |conn| walk(conn, erasure, &columns, false, now).await)
                .await;
        }
        self.write(async |conn| {
            let findings = walk(conn, erasure, &columns, true, now).await?;
            if !findings.blockers.is_empty() && !despite_blockers {
                return Err(StoreError::Refused {
                    field: "person".into(),
                    code: "invalid-erasure-open-account",
                });
            }
            record(conn, erasure, now).await?;
            Ok(findings)
        })
        .await
    }

    /// The people erased, as the erasure log holds them, oldest first.
    pub async fn erasures(&self) -> Result<Vec<ErasureLogEntry>, StoreError> {
        Ok(crate::on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT record_id, executed_at, record_created_at FROM erasure_log \
                 WHERE record_type = 'person' ORDER BY id",
            )
            .fetch_all(pool)
            .await?
        }))
    }

    /// Whether the person `entry` names is in this database and was not erased in it: the
    /// same id and the same creation time (another database's person with the same id is
    /// someone else).
    pub async fn erased_elsewhere(&self, entry: &ErasureLogEntry) -> Result<bool, StoreError> {
        let found: i64 = crate::on_pool!(self, pool => {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM people WHERE id = $1 AND created_at = $2 \
                 AND NOT EXISTS (SELECT 1 FROM erasure_log WHERE record_type = 'person' AND record_id = $1)",
            )
            .bind(entry.record_id)
            .bind(entry.record_created_at)
            .fetch_one(pool)
            .await?
        });
        Ok(found > 0)
    }

    /// Whether a stored file is still named by a row (an attachment, an import, an export).
    pub async fn file_in_use(&self, key: &str) -> Result<bool, StoreError> {
        let used: i64 = crate::on_pool!(self, pool => {
            sqlx::query_scalar(
                "SELECT (SELECT COUNT(*) FROM attachments WHERE storage_key = $1) \
                 + (SELECT COUNT(*) FROM imports WHERE file_key = $1) \
                 + (SELECT COUNT(*) FROM data_requests WHERE file_key = $1) \
                 + (SELECT COUNT(*) FROM list_exports WHERE file_key = $1)",
            )
            .bind(key)
            .fetch_one(pool)
            .await?
        });
        Ok(used > 0)
    }
}

/// The erasure's own records: the audit entry, the erasure log and the request.
async fn record(conn: &mut Conn<'_>, erasure: &Erasure<'_>, now: i64) -> Result<(), StoreError> {
    let person = erasure.person;
    let request = conn
        .fetch_sql(
            insert_request_sql(conn.backend()),
            vec![
                person.into(),
                erasure.actor.into(),
                now.into(),
                (now + crate::data_requests::DATA_REQUEST_DAYS * 86_400_000_000).into(),
                now.into(),
            ],
        )
        .await?;
    let request_id: i64 = request
        .first()
        .ok_or(StoreError::NotFound)?
        .get::<i64>("id")?;
    for (id, ..) in &erasure.records {
        let sql = match conn.backend() {
            Backend::Sqlite => {
                "INSERT INTO erasure_log (record_type, record_id, executed_at, request_id, record_created_at) \
                 SELECT 'person', id, ?, ?, created_at FROM people WHERE id = ?"
            }
            Backend::Postgres => {
                "INSERT INTO erasure_log (record_type, record_id, executed_at, request_id, record_created_at) \
                 SELECT 'person', id, $1, $2, created_at FROM people WHERE id = $3"
            }
        };
        conn.execute_sql(
            sql.into(),
            vec![now.into(), request_id.into(), (*id).into()],
        )
        .await?;
        conn.audit(
            &crate::AuditEntry {
                actor: erasure.actor.map(rehber_domain::UserId),
                record_type: "person",
                record_id: *id,
                action: "erased",
                changes: Vec::new(),
            },
            now,
        )
        .await?;
    }
    Ok(())
}

fn insert_request_sql(backend: Backend) -> String {
    let columns = "(person_id, kind, status, requested_by, requested_at, due_at, finished_at)";
    match backend {
        Backend::Sqlite => format!(
            "INSERT INTO data_requests {columns} VALUES (?, 'erasure', 'done', ?, ?, ?, ?) RETURNING id"
        ),
        Backend::Postgres => format!(
            "INSERT INTO data_requests {columns} VALUES ($1, 'erasure', 'done', $2, $3, $4, $5) RETURNING id"
        ),
    }
}

/// The keys `contact_keys` holds for a person's addresses, phones and national ID.
pub fn person_contact_keys(fields: &PersonFields) -> Vec<String> {
    let mut keys: Vec<String> = fields
        .emails
        .iter()
        .map(|e| format!("e:{}", e.to_string().to_ascii_lowercase()))
        .collect();
    keys.extend(fields.phones.iter().map(|p| format!("p:{p}")));
    keys.extend(fields.national_id.as_ref().map(|t: &Tckn| format!("t:{t}")));
    keys
}
