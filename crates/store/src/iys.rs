//! Commercial permissions on their way to İYS: the answers still `pending` (read through the
//! caller's scope of people), and marking the ones an administrator uploaded as `sent`.
//!
//! The list is the lowest ids first, so "every pending answer up to id N" names exactly the
//! answers a file of that list held, even when the list was cut at its cap: an answer
//! recorded after the file was made has a higher id and stays pending. Every downloaded
//! file's answers are kept (by id), and only answers a downloaded file held are marked: the
//! page drawn again between download and marking, or an answer whose transaction committed
//! after the file was read though its id is lower, cannot mark an answer İYS never got. An
//! erased person's answers keep only a hash of their address and are never sent.

use crate::audit::AuditEntry;
use crate::codec::timestamp;
use crate::sql::Row;
use crate::{Scoped, Store, StoreError, now_micros};
use rehber_domain::access::RecordKind;
use rehber_domain::consent::{ConsentChannel, ConsentStatus};
use rehber_domain::{PersonId, UserId};
use sea_query::{Alias, Cond, Expr, ExprTrait, Order, Query, SimpleExpr};

const FILES: &str = "iys_files";
const FILE_CONSENTS: &str = "iys_file_consents";

/// The most pending answers one list (and one file) holds.
pub const MAX_IYS_PENDING: u64 = 50_000;

/// A commercial permission not yet handed to İYS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingIys {
    pub id: i64,
    pub person_id: PersonId,
    pub person_name: String,
    pub channel: ConsentChannel,
    pub status: ConsentStatus,
    pub source: String,
    /// The e-mail address or E.164 phone the answer is about.
    pub address: String,
    pub given_at: jiff::Timestamp,
    pub recorded_at: jiff::Timestamp,
    pub recorded_by_name: Option<String>,
}

fn col(table: &str, name: &str) -> SimpleExpr {
    Expr::col((Alias::new(table), Alias::new(name)))
}

/// The answers that may go to İYS: commercial, pending, with an address that is not a hash.
fn sendable() -> Cond {
    Cond::all()
        .add(col("consents", "iys_status").eq("pending"))
        .add(col("consents", "purpose").eq("commercial"))
        .add(col("consents", "address").is_not_null())
        .add(col("consents", "address").not_like("sha256:%"))
}

fn read(row: &Row) -> Result<PendingIys, StoreError> {
    let channel: String = row.get("channel")?;
    let status: String = row.get("status")?;
    let first: String = row.get("first_name")?;
    let last: String = row.get("last_name")?;
    Ok(PendingIys {
        id: row.get("id")?,
        person_id: PersonId(row.get("person_id")?),
        person_name: format!("{first} {last}").trim().to_string(),
        channel: ConsentChannel::parse(&channel).ok_or(StoreError::Corrupt(channel))?,
        status: ConsentStatus::parse(&status).ok_or(StoreError::Corrupt(status))?,
        source: row.get("source")?,
        address: row.get("address")?,
        given_at: timestamp(row.get("given_at")?)?,
        recorded_at: timestamp(row.get("recorded_at")?)?,
        recorded_by_name: row.get("recorded_by_name")?,
    })
}

impl Scoped<'_> {
    /// The pending commercial answers of the people the caller may see, lowest id first, at
    /// most `limit`.
    pub async fn iys_pending(&self, limit: u64) -> Result<Vec<PendingIys>, StoreError> {
        let mut select = Query::select();
        select
            .columns(
                [
                    "id",
                    "person_id",
                    "channel",
                    "status",
                    "source",
                    "address",
                    "given_at",
                    "recorded_at",
                ]
                .map(|c| (Alias::new("consents"), Alias::new(c))),
            )
            .columns(["first_name", "last_name"].map(|c| (Alias::new("people"), Alias::new(c))))
            .expr_as(col("users", "name"), Alias::new("recorded_by_name"))
            .from(Alias::new("consents"))
            .inner_join(
                Alias::new("people"),
                col("people", "id").equals((Alias::new("consents"), Alias::new("person_id"))),
            )
            .left_join(
                Alias::new("users"),
                col("users", "id").equals((Alias::new("consents"), Alias::new("recorded_by"))),
            )
            .cond_where(sendable())
            .cond_where(crate::scope::scope_condition(
                "people",
                self.visibility_of(RecordKind::Person),
            ))
            .order_by((Alias::new("consents"), Alias::new("id")), Order::Asc)
            .limit(Ord::min(limit, MAX_IYS_PENDING));
        self.store()
            .fetch_rows(&select)
            .await?
            .iter()
            .map(read)
            .collect()
    }
}

/// The answers downloaded files held: all files, or file `file_id`.
fn in_files(file_id: Option<i64>) -> SimpleExpr {
    let mut held = Query::select();
    held.column(Alias::new("consent_id"))
        .from(Alias::new(FILE_CONSENTS));
    if let Some(file) = file_id {
        held.and_where(Expr::col(Alias::new("file_id")).eq(file));
    }
    col("consents", "id").in_subquery(held)
}

impl Store {
    /// Keeps what a bulk file made by `by` held (`consent_ids`, as `format`), so that marking
    /// marks exactly what was downloaded; the file's id.
    pub async fn record_iys_file(
        &self,
        format: &str,
        by: UserId,
        consent_ids: &[i64],
    ) -> Result<i64, StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            let mut file = Query::insert();
            file.into_table(Alias::new(FILES))
                .columns(["format", "row_count", "made_by", "made_at"].map(Alias::new))
                .values_panic([
                    format.into(),
                    (consent_ids.len() as i64).into(),
                    by.0.into(),
                    now.into(),
                ])
                .returning_col(Alias::new("id"));
            let id = conn.fetch_i64(&file).await?;
            for chunk in consent_ids.chunks(crate::bulk::rows_per_statement(2)) {
                let mut held = Query::insert();
                held.into_table(Alias::new(FILE_CONSENTS))
                    .columns(["file_id", "consent_id"].map(Alias::new));
                for consent in chunk {
                    held.values_panic([id.into(), (*consent).into()]);
                }
                conn.queue(&held).await?;
            }
            Ok(id)
        })
        .await
    }

    /// Marks as sent to İYS by `by`, with its audit entry, the sendable pending answers that
    /// a downloaded file held: those of file `file_id`, or of any file when it is `None`,
    /// with an id up to `through_id` when one is given. How many were marked; `None` when
    /// there is no such file.
    pub async fn mark_iys_sent(
        &self,
        (through_id, file_id): (Option<i64>, Option<i64>),
        by: UserId,
        entry: impl FnOnce(u64) -> AuditEntry,
    ) -> Result<Option<u64>, StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            if let Some(file) = file_id {
                let mut known = Query::select();
                known
                    .expr(Expr::cust("COUNT(*)"))
                    .from(Alias::new(FILES))
                    .and_where(Expr::col(Alias::new("id")).eq(file));
                if conn.fetch_i64(&known).await? == 0 {
                    return Ok(None);
                }
            }
            let mut update = Query::update();
            update
                .table(Alias::new("consents"))
                .values([
                    (Alias::new("iys_status"), "sent".into()),
                    (Alias::new("iys_sent_at"), now.into()),
                    (Alias::new("iys_sent_by"), by.0.into()),
                ])
                .cond_where(sendable())
                .and_where(in_files(file_id));
            if let Some(through) = through_id {
                update.and_where(col("consents", "id").lte(through));
            }
            let marked = conn.execute(&update).await?;
            if marked > 0 {
                conn.audit(&entry(marked), now).await?;
            }
            Ok(Some(marked))
        })
        .await
    }
}
