//! Consent history as stored: an answer is added (with its audit entry), never changed,
//! and a person's history is read through the caller's scope of people. An answer older
//! than the latest already kept for the same purpose and channel is refused inside the
//! write's transaction (with the person's row locked on PostgreSQL), so two answers typed
//! in at once cannot both pass the check.

use crate::audit::AuditEntry;
use crate::codec::{parse_stored, timestamp};
use crate::sql::{Conn, Row};
use crate::{Scoped, Store, StoreError, now_micros};
use rehber_domain::access::RecordKind;
use rehber_domain::consent::{
    Consent, ConsentChannel, ConsentFields, ConsentPurpose, ConsentStatus,
};
use rehber_domain::{PersonId, UserId};
use sea_query::{Alias, Expr, ExprTrait, Order, Query, SimpleExpr};

const TABLE: &str = "consents";
/// The most entries one person's history read returns.
pub const MAX_CONSENT_HISTORY: u64 = 1_000;

const COLUMNS: [&str; 11] = [
    "id",
    "person_id",
    "purpose",
    "channel",
    "address",
    "status",
    "source",
    "given_at",
    "recorded_by",
    "recorded_at",
    "evidence_attachment_id",
];

fn col(name: &str) -> SimpleExpr {
    Expr::col((Alias::new(TABLE), Alias::new(name)))
}

/// An answer to keep.
#[derive(Debug, Clone, Copy)]
pub struct NewConsent<'a> {
    pub person: PersonId,
    pub fields: &'a ConsentFields,
    /// The checked address (the person's own), or none.
    pub address: Option<&'a str>,
    pub evidence_attachment_id: Option<i64>,
    pub recorded_by: UserId,
}

fn read(row: &Row) -> Result<Consent, StoreError> {
    let purpose: String = row.get("purpose")?;
    let status: String = row.get("status")?;
    let channel: Option<String> = row.get("channel")?;
    Ok(Consent {
        id: row.get("id")?,
        person_id: PersonId(row.get("person_id")?),
        fields: ConsentFields {
            purpose: ConsentPurpose::parse(&purpose).ok_or(StoreError::Corrupt(purpose))?,
            channel: parse_stored(channel.as_deref(), ConsentChannel::parse)?,
            status: ConsentStatus::parse(&status).ok_or(StoreError::Corrupt(status))?,
            source: row.get("source")?,
            given_at: timestamp(row.get("given_at")?)?,
            address: row.get("address")?,
        },
        recorded_by: row.get::<Option<i64>>("recorded_by")?.map(UserId),
        recorded_by_name: row.get("recorded_by_name")?,
        recorded_at: timestamp(row.get("recorded_at")?)?,
        evidence_attachment_id: row.get("evidence_attachment_id")?,
    })
}

/// The channel condition of one purpose's answers: the channel named, or none.
fn same_channel(channel: Option<ConsentChannel>) -> SimpleExpr {
    match channel {
        Some(channel) => col("channel").eq(channel.as_str()),
        None => col("channel").is_null(),
    }
}

/// Refuses an answer given before the latest already kept for its purpose and channel.
async fn check_not_older(conn: &mut Conn<'_>, new: &NewConsent<'_>) -> Result<(), StoreError> {
    if conn.backend() == crate::Backend::Postgres {
        let mut lock = Query::select();
        lock.column(Alias::new("id"))
            .from(Alias::new("people"))
            .and_where(Expr::col(Alias::new("id")).eq(new.person.0))
            .lock(sea_query::LockType::Update);
        conn.fetch_all(&lock).await?;
    }
    let mut latest = Query::select();
    latest
        .expr(Expr::cust("COALESCE(MAX(given_at), 0)"))
        .from(Alias::new(TABLE))
        .and_where(col("person_id").eq(new.person.0))
        .and_where(col("purpose").eq(new.fields.purpose.as_str()))
        .and_where(same_channel(new.fields.channel));
    if conn.fetch_i64(&latest).await? > new.fields.given_at.as_microsecond() {
        return Err(StoreError::Refused {
            field: "given_at".into(),
            code: "invalid-consent-older",
        });
    }
    Ok(())
}

impl Store {
    /// Keeps an answer unless an answer of its purpose and channel given later is already
    /// kept, with its audit entry (on the person); its id.
    pub async fn insert_consent(
        &self,
        new: NewConsent<'_>,
        entry: AuditEntry,
    ) -> Result<i64, StoreError> {
        let now = now_micros();
        let iys_status = match new.fields.purpose.is_commercial() {
            true => "pending",
            false => "not_required",
        };
        self.write(async |conn| {
            check_not_older(conn, &new).await?;
            let f = new.fields;
            let mut insert = Query::insert();
            insert
                .into_table(Alias::new(TABLE))
                // Every column but the id, then the İYS status (never read back here).
                .columns(
                    COLUMNS[1..]
                        .iter()
                        .chain(&["iys_status"])
                        .map(|c| Alias::new(*c)),
                )
                .values_panic([
                    new.person.0.into(),
                    f.purpose.as_str().into(),
                    f.channel.map(ConsentChannel::as_str).into(),
                    new.address.into(),
                    f.status.as_str().into(),
                    f.source.as_str().into(),
                    f.given_at.as_microsecond().into(),
                    new.recorded_by.0.into(),
                    now.into(),
                    new.evidence_attachment_id.into(),
                    iys_status.into(),
                ])
                .returning_col(Alias::new("id"));
            let id = conn.fetch_i64(&insert).await?;
            conn.audit(&entry, now).await?;
            Ok(id)
        })
        .await
    }
}

impl Scoped<'_> {
    /// The consent history of a person the caller may see (live), newest answer first; a
    /// person outside the view has none.
    pub async fn consents(&self, person: PersonId) -> Result<Vec<Consent>, StoreError> {
        let mut visible = Query::select();
        visible
            .expr(Expr::val(1))
            .from(Alias::new("people"))
            .and_where(
                Expr::col((Alias::new("people"), Alias::new("id")))
                    .equals((Alias::new(TABLE), Alias::new("person_id"))),
            )
            .and_where(Expr::col((Alias::new("people"), Alias::new("deleted_at"))).is_null())
            .cond_where(crate::scope::scope_condition(
                "people",
                self.visibility_of(RecordKind::Person),
            ));
        let mut select = Query::select();
        select
            .columns(COLUMNS.map(|c| (Alias::new(TABLE), Alias::new(c))))
            .expr_as(
                Expr::col((Alias::new("users"), Alias::new("name"))),
                Alias::new("recorded_by_name"),
            )
            .from(Alias::new(TABLE))
            .left_join(
                Alias::new("users"),
                Expr::col((Alias::new("users"), Alias::new("id")))
                    .equals((Alias::new(TABLE), Alias::new("recorded_by"))),
            )
            .and_where(col("person_id").eq(person.0))
            .and_where(Expr::exists(visible))
            .order_by((Alias::new(TABLE), Alias::new("given_at")), Order::Desc)
            .order_by((Alias::new(TABLE), Alias::new("id")), Order::Desc)
            .limit(MAX_CONSENT_HISTORY);
        self.store()
            .fetch_rows(&select)
            .await?
            .iter()
            .map(read)
            .collect()
    }
}
