//! Quotes: written with their number (taken without gaps, or kept by a revision) and lines
//! in one transaction, read through the caller's scope, and moved from status to status
//! under their version, each write with its audit entry.

use crate::audit::AuditEntry;
use crate::codec::timestamp;
use crate::documents::{insert_lines, next_number, read_date};
use crate::scope::scope_condition;
use crate::scoped::Scoped;
use crate::sql::{Conn, Row};
use crate::{Store, StoreError, now_micros};
use jiff::civil::Date;
use rehber_domain::access::RecordKind;
use rehber_domain::ids::{CompanyId, DealId, PersonId, TeamId, UserId};
use rehber_domain::quote::{
    DocumentLine, DocumentTotals, Parties, QUOTE_SERIES, Quote, QuoteStatus, document_number,
};
use sea_query::{Alias, Cond, Expr, ExprTrait, Order, Query, SimpleExpr, Value};

/// The most quotes one page of a list holds.
pub const MAX_QUOTE_PAGE: u32 = 200;

/// What a quote says, as the services checked and priced it: the part a draft edit
/// replaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteContent {
    pub parties: Parties,
    pub currency: String,
    pub issue_date: Date,
    pub valid_until: Date,
    pub lines: Vec<DocumentLine>,
    pub totals: DocumentTotals,
    pub terms: String,
    pub notes: String,
    /// Whose customer it is: the scope reads quotes by these.
    pub owner_id: Option<UserId>,
    pub team_id: Option<TeamId>,
}

/// Where a new quote's number comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuoteNumbering {
    /// The next number of the year: a new quote, revision 1.
    Next { year: i64 },
    /// A new revision of an existing number (the next revision of it).
    Revision { number: String, root_id: i64 },
}

/// Which quotes a list shows, most recently changed first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuoteFilter {
    pub status: Option<QuoteStatus>,
    pub company_id: Option<CompanyId>,
    pub person_id: Option<PersonId>,
    pub deal_id: Option<DealId>,
    pub limit: u32,
    pub offset: u64,
}

fn col(name: &str) -> SimpleExpr {
    Expr::col((Alias::new("quotes"), Alias::new(name)))
}

const COLUMNS: [&str; 30] = [
    "id",
    "number",
    "revision",
    "root_id",
    "status",
    "company_id",
    "person_id",
    "deal_id",
    "currency",
    "issue_date",
    "valid_until",
    "subtotal_minor",
    "discount_minor",
    "net_minor",
    "vat_minor",
    "gross_minor",
    "terms",
    "notes",
    "sent_at",
    "sent_to",
    "send_error",
    "decided_at",
    "reject_reason",
    "pdf_attachment_id",
    "owner_id",
    "team_id",
    "created_by",
    "version",
    "created_at",
    "updated_at",
];

fn read(row: &Row) -> Result<Quote, StoreError> {
    let status: String = row.get("status")?;
    let id: i64 = row.get("id")?;
    let optional_time = |column: &str| -> Result<Option<jiff::Timestamp>, StoreError> {
        row.get::<Option<i64>>(column)?.map(timestamp).transpose()
    };
    Ok(Quote {
        id,
        number: row.get("number")?,
        revision: row.get("revision")?,
        root_id: row.get::<Option<i64>>("root_id")?.unwrap_or(id),
        status: QuoteStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("quote status {status:?}")))?,
        parties: Parties {
            company_id: row.get::<Option<i64>>("company_id")?.map(CompanyId),
            person_id: row.get::<Option<i64>>("person_id")?.map(PersonId),
            deal_id: row.get::<Option<i64>>("deal_id")?.map(DealId),
        },
        currency: row.get("currency")?,
        issue_date: read_date(row, "issue_date")?,
        valid_until: read_date(row, "valid_until")?,
        lines: Vec::new(),
        totals: DocumentTotals {
            subtotal: row.get("subtotal_minor")?,
            discount: row.get("discount_minor")?,
            net: row.get("net_minor")?,
            vat: row.get("vat_minor")?,
            gross: row.get("gross_minor")?,
        },
        terms: row.get("terms")?,
        notes: row.get("notes")?,
        sent_at: optional_time("sent_at")?,
        sent_to: row.get("sent_to")?,
        send_error: row.get("send_error")?,
        decided_at: optional_time("decided_at")?,
        reject_reason: row.get("reject_reason")?,
        pdf_attachment_id: row.get("pdf_attachment_id")?,
        owner_id: row.get::<Option<i64>>("owner_id")?.map(UserId),
        team_id: row.get::<Option<i64>>("team_id")?.map(TeamId),
        created_by: row.get::<Option<i64>>("created_by")?.map(UserId),
        version: row.get("version")?,
        created_at: timestamp(row.get("created_at")?)?,
        updated_at: timestamp(row.get("updated_at")?)?,
    })
}

/// The columns a draft edit replaces.
fn content_values(content: &QuoteContent) -> Vec<(&'static str, Value)> {
    let p = &content.parties;
    let t = &content.totals;
    vec![
        ("company_id", p.company_id.map(|c| c.0).into()),
        ("person_id", p.person_id.map(|c| c.0).into()),
        ("deal_id", p.deal_id.map(|c| c.0).into()),
        ("currency", content.currency.clone().into()),
        ("issue_date", content.issue_date.to_string().into()),
        ("valid_until", content.valid_until.to_string().into()),
        ("subtotal_minor", t.subtotal.into()),
        ("discount_minor", t.discount.into()),
        ("net_minor", t.net.into()),
        ("vat_minor", t.vat.into()),
        ("gross_minor", t.gross.into()),
        ("terms", content.terms.clone().into()),
        ("notes", content.notes.clone().into()),
        ("owner_id", content.owner_id.map(|u| u.0).into()),
        ("team_id", content.team_id.map(|t| t.0).into()),
    ]
}

async fn next_revision(conn: &mut Conn<'_>, number: &str) -> Result<i64, StoreError> {
    let mut select = Query::select();
    select
        .expr(sea_query::Func::coalesce([
            SimpleExpr::from(sea_query::Func::max(Expr::col(Alias::new("revision")))),
            SimpleExpr::from(Expr::val(0)),
        ]))
        .from(Alias::new("quotes"))
        .and_where(Expr::col(Alias::new("number")).eq(number));
    Ok(conn.fetch_i64(&select).await? + 1)
}

impl Store {
    /// Writes a quote with its lines and audit entry (whose `record_id` is filled in); its
    /// id. A new number is taken in the same transaction, so a failed write leaves no gap.
    pub async fn insert_quote(
        &self,
        content: &QuoteContent,
        numbering: &QuoteNumbering,
        created_by: Option<UserId>,
        entry: AuditEntry,
    ) -> Result<i64, StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            let (number, revision, root_id) = match numbering {
                QuoteNumbering::Next { year } => {
                    let n = next_number(conn, QUOTE_SERIES, *year).await?;
                    (document_number(QUOTE_SERIES, *year, n), 1, None)
                }
                QuoteNumbering::Revision { number, root_id } => (
                    number.clone(),
                    next_revision(conn, number).await?,
                    Some(*root_id),
                ),
            };
            let mut pairs = content_values(content);
            pairs.extend([
                ("number", number.into()),
                ("revision", revision.into()),
                ("root_id", root_id.into()),
                ("status", QuoteStatus::Draft.as_str().into()),
                ("created_by", created_by.map(|u| u.0).into()),
                ("created_at", now.into()),
                ("updated_at", now.into()),
            ]);
            let (columns, values) = crate::kind::split(pairs);
            let mut insert = Query::insert();
            insert
                .into_table(Alias::new("quotes"))
                .columns(columns)
                .values_panic(values)
                .returning_col(Alias::new("id"));
            let id = conn.fetch_i64(&insert).await?;
            insert_lines(conn, "quote_lines", "quote_id", id, &content.lines, true).await?;
            conn.audit(
                &AuditEntry {
                    record_id: id,
                    ..entry
                },
                now,
            )
            .await?;
            Ok(id)
        })
        .await
    }

    /// Replaces a draft's content and lines if it is still at `version` (every status
    /// change moves the version on, so a quote sent meanwhile is
    /// [`StoreError::StaleVersion`]).
    pub async fn update_quote_draft(
        &self,
        id: i64,
        version: i64,
        content: &QuoteContent,
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            conn.update_versioned("quotes", id, version, content_values(content), now)
                .await?;
            let mut delete = Query::delete();
            delete
                .from_table(Alias::new("quote_lines"))
                .and_where(Expr::col(Alias::new("quote_id")).eq(id));
            conn.queue(&delete).await?;
            insert_lines(conn, "quote_lines", "quote_id", id, &content.lines, true).await?;
            conn.audit(&entry, now).await
        })
        .await
    }

    /// Sets `values` (a status and what goes with it) on quote `id` if it is still at
    /// `version`. `supersede`: the other revisions of the quote's number that are still
    /// open (sent, rejected, expired) become superseded in the same transaction.
    pub async fn set_quote_state(
        &self,
        id: i64,
        version: i64,
        values: Vec<(&'static str, Value)>,
        supersede: Option<&str>,
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            conn.update_versioned("quotes", id, version, values, now)
                .await?;
            if let Some(number) = supersede {
                let mut update = Query::update();
                update
                    .table(Alias::new("quotes"))
                    .value(Alias::new("status"), QuoteStatus::Superseded.as_str())
                    .value(Alias::new("version"), col("version").add(1))
                    .value(Alias::new("updated_at"), now)
                    .and_where(col("number").eq(number))
                    .and_where(col("id").ne(id))
                    .and_where(col("status").is_in(["sent", "rejected", "expired"]));
                conn.queue(&update).await?;
            }
            conn.audit(&entry, now).await
        })
        .await
    }

    /// Records how the e-mail of quote `id` went (`None`: it went). Not a change of the
    /// quote: its version stays, so a page open on it can still take its next step.
    pub async fn note_quote_email(
        &self,
        id: i64,
        error: Option<&str>,
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            let mut update = Query::update();
            update
                .table(Alias::new("quotes"))
                .value(Alias::new("send_error"), error.map(str::to_string))
                .and_where(col("id").eq(id));
            if conn.execute(&update).await? == 0 {
                return Err(StoreError::NotFound);
            }
            conn.audit(&entry, now).await
        })
        .await
    }

    /// Marks every sent quote whose validity ended before `today` as expired, each with an
    /// audit entry; how many.
    pub async fn expire_quotes(&self, today: Date) -> Result<u64, StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            let condition = Cond::all()
                .add(col("status").eq(QuoteStatus::Sent.as_str()))
                .add(col("valid_until").lt(today.to_string()));
            let mut select = Query::select();
            select
                .column(Alias::new("id"))
                .from(Alias::new("quotes"))
                .cond_where(condition.clone());
            let ids: Vec<i64> = conn
                .fetch_all(&select)
                .await?
                .iter()
                .map(|row| row.get::<i64>("id"))
                .collect::<Result<_, _>>()?;
            if ids.is_empty() {
                return Ok(0);
            }
            let mut update = Query::update();
            update
                .table(Alias::new("quotes"))
                .value(Alias::new("status"), QuoteStatus::Expired.as_str())
                .value(Alias::new("version"), col("version").add(1))
                .value(Alias::new("updated_at"), now)
                .cond_where(condition);
            conn.queue(&update).await?;
            for id in &ids {
                let entry = AuditEntry {
                    actor: None,
                    record_type: "quote",
                    record_id: *id,
                    action: "expired",
                    changes: vec![crate::audit::AuditChange {
                        field: "status".into(),
                        from: QuoteStatus::Sent.as_str().into(),
                        to: QuoteStatus::Expired.as_str().into(),
                    }],
                };
                conn.audit(&entry, now).await?;
            }
            Ok(ids.len() as u64)
        })
        .await
    }

    async fn load_quotes(
        &self,
        condition: Cond,
        limit: u32,
        offset: u64,
        with_lines: bool,
    ) -> Result<Vec<Quote>, StoreError> {
        let mut select = Query::select();
        select
            .columns(COLUMNS.map(|c| (Alias::new("quotes"), Alias::new(c))))
            .from(Alias::new("quotes"))
            .cond_where(condition)
            .order_by(
                (Alias::new("quotes"), Alias::new("updated_at")),
                Order::Desc,
            )
            .order_by((Alias::new("quotes"), Alias::new("id")), Order::Desc)
            .limit(u64::from(limit))
            .offset(offset);
        let mut quotes = self
            .fetch_rows(&select)
            .await?
            .iter()
            .map(read)
            .collect::<Result<Vec<_>, _>>()?;
        if with_lines {
            let ids: Vec<i64> = quotes.iter().map(|q| q.id).collect();
            for (quote_id, line) in self
                .document_lines("quote_lines", "quote_id", &ids, true)
                .await?
            {
                if let Some(quote) = quotes.iter_mut().find(|q| q.id == quote_id) {
                    quote.lines.push(line);
                }
            }
        }
        Ok(quotes)
    }
}

impl Scoped<'_> {
    fn quote_scope(&self) -> Cond {
        scope_condition("quotes", self.visibility_of(RecordKind::Deal))
    }

    /// One quote with its lines; one outside the view is [`StoreError::NotFound`].
    pub async fn quote(&self, id: i64) -> Result<Quote, StoreError> {
        self.store()
            .load_quotes(self.quote_scope().add(col("id").eq(id)), 1, 0, true)
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    /// Every revision of the quote number `number` in view, the latest first.
    pub async fn quote_revisions(&self, number: &str) -> Result<Vec<Quote>, StoreError> {
        let mut revisions = self
            .store()
            .load_quotes(
                self.quote_scope().add(col("number").eq(number)),
                MAX_QUOTE_PAGE,
                0,
                false,
            )
            .await?;
        revisions.sort_by_key(|q| std::cmp::Reverse(q.revision));
        Ok(revisions)
    }

    /// A page of quotes (without their lines), most recently changed first, and whether
    /// there are more.
    pub async fn quotes(&self, filter: &QuoteFilter) -> Result<(Vec<Quote>, bool), StoreError> {
        let limit = filter.limit.clamp(1, MAX_QUOTE_PAGE);
        let mut condition = self.quote_scope();
        if let Some(status) = filter.status {
            condition = condition.add(col("status").eq(status.as_str()));
        }
        if let Some(id) = filter.company_id {
            condition = condition.add(col("company_id").eq(id.0));
        }
        if let Some(id) = filter.person_id {
            condition = condition.add(col("person_id").eq(id.0));
        }
        if let Some(id) = filter.deal_id {
            condition = condition.add(col("deal_id").eq(id.0));
        }
        let mut found = self
            .store()
            .load_quotes(condition, limit + 1, filter.offset, false)
            .await?;
        let more = found.len() > limit as usize;
        found.truncate(limit as usize);
        Ok((found, more))
    }
}
