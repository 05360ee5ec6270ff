//! The customer ledger over the API: an account's statement (`/{companies|people}/{id}/ledger`,
//! also as PDF, XLSX and CSV), aging (`/reports/aging`) and the lock date
//! (`/settings/ledger`); payments are `payments`. The service's rules: `rehber_app::ledger`.

use super::extract::{ApiBody, ApiId, DocumentedBody};
use super::records::schema_fields;
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use rehber_app::AgingRow;
use rehber_app::ledger::StatementPage;
use rehber_domain::ledger::{Account, balance_side};
use rehber_domain::{CompanyId, Error, PersonId};
use rehber_web_core::auth::ApiUser;
use rehber_web_core::i18n::Lang;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::query::{QueryErrors, QueryParams};
use rehber_web_core::state::AppState;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use utoipa::ToSchema;

fn fail(caller: &ApiUser) -> impl Fn(rehber_app::AppError) -> ApiError + '_ {
    move |e| ApiError::new(caller.lang, e)
}

/// An amount in minor units (the statement's currency is given once).
#[derive(Debug, Serialize, ToSchema)]
pub struct Minor {
    pub minor: i64,
}

/// One entry of a statement with the balance after it.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatementEntry {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `invoice`, `credit_note`, `payment`, `reversal`, `opening` or `adjustment`.
    pub kind: String,
    /// The document's number.
    pub document: String,
    pub description: String,
    pub due_date: Option<String>,
    pub debit: Minor,
    pub credit: Minor,
    /// Positive: the customer owes.
    pub balance: Minor,
    /// `B` (borçlu, the customer owes), `A` (alacaklı) or empty at zero.
    pub side: String,
}

/// A statement (ekstre) of one account in one currency.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatementResponse {
    pub currency: String,
    pub from: String,
    pub to: String,
    /// The balance brought forward (Devir): before `from` on the first page, after the
    /// page before on a later one.
    pub opening_balance: Minor,
    pub entries: Vec<StatementEntry>,
    pub total_debit: Minor,
    pub total_credit: Minor,
    /// After this page's last entry; on the last page, the period's closing balance.
    pub closing_balance: Minor,
    pub closing_side: String,
    /// Give it back as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

fn statement_response(lang: Lang, page: StatementPage) -> StatementResponse {
    let s = page.statement;
    StatementResponse {
        next_cursor: page.next_cursor,
        currency: s.currency.clone(),
        from: s.from.to_string(),
        to: s.to.to_string(),
        opening_balance: Minor { minor: s.opening },
        entries: s
            .lines
            .iter()
            .map(|l| StatementEntry {
                date: l.entry.date.to_string(),
                kind: l.entry.kind.as_str().into(),
                document: l.entry.document.clone(),
                description: rehber_web_core::statement::entry_description(
                    lang,
                    l.entry.kind.as_str(),
                    &l.entry.description,
                ),
                due_date: l.entry.due_date.map(|d| d.to_string()),
                debit: Minor {
                    minor: l.entry.debit,
                },
                credit: Minor {
                    minor: l.entry.credit,
                },
                balance: Minor { minor: l.balance },
                side: balance_side(l.balance).into(),
            })
            .collect(),
        total_debit: Minor {
            minor: s.total_debit,
        },
        total_credit: Minor {
            minor: s.total_credit,
        },
        closing_balance: Minor { minor: s.closing },
        closing_side: balance_side(s.closing).into(),
    }
}

/// Entries on one page of a statement unless `limit` says otherwise.
const DEFAULT_STATEMENT_PAGE: u32 = 1_000;

/// What a statement request names.
struct StatementParams {
    from: Date,
    to: Date,
    currency: String,
    cursor: Option<String>,
    limit: u32,
}

/// The period and currency a statement request names: `from` defaults to the first day of
/// the year, `to` to today, `currency` to TRY; and the page (`limit`, `cursor`).
fn statement_params(
    raw: Option<&str>,
    today: Date,
    lang: Lang,
) -> Result<StatementParams, ApiError> {
    let mut errors = QueryErrors::default();
    let params = QueryParams::parse(
        raw,
        &[&["from", "to", "currency", "limit", "cursor"]],
        &mut errors,
    );
    let mut date = |name: &str, default: Date| match params.text(name, 10, &mut errors) {
        None => default,
        Some(text) => text.parse().unwrap_or_else(|_| {
            errors.unreadable.add(name, "invalid-date");
            default
        }),
    };
    let from = date("from", today.first_of_year());
    let to = date("to", today);
    let currency = params
        .text("currency", 3, &mut errors)
        .unwrap_or_else(|| "TRY".into())
        .to_ascii_uppercase();
    if !rehber_domain::money::is_currency(&currency) {
        errors.invalid.add("currency", "invalid-currency");
    }
    let limit = params
        .integer(
            "limit",
            1..=i64::from(rehber_app::MAX_STATEMENT_ENTRIES),
            &mut errors,
        )
        .map_or(DEFAULT_STATEMENT_PAGE, |n| u32::try_from(n).unwrap_or(1));
    let cursor = params.text("cursor", 40, &mut errors);
    errors.into_result().map_err(|e| ApiError::new(lang, e))?;
    Ok(StatementParams {
        from,
        to,
        currency,
        cursor,
        limit,
    })
}

async fn statement_of(
    state: &AppState,
    caller: &ApiUser,
    account: Account,
    raw: Option<&str>,
    whole: bool,
) -> Result<StatementPage, ApiError> {
    let actor = caller.actor();
    let asked = statement_params(raw, state.app.today(), caller.lang)?;
    // The customer must be in view: a statement of someone else's customer is a 404.
    state
        .app
        .customer_account(
            &actor,
            account.company_id().map(|c| c.0),
            account.person_id().map(|p| p.0),
        )
        .await
        .map_err(fail(caller))?;
    let app = &state.app;
    let page = if whole {
        app.statement(&actor, account, &asked.currency, asked.from, asked.to)
            .await
            .map(|statement| StatementPage {
                statement,
                next_cursor: None,
            })
    } else {
        app.statement_page(
            &actor,
            account,
            &asked.currency,
            (asked.from, asked.to),
            asked.cursor.as_deref(),
            asked.limit,
        )
        .await
    };
    page.map_err(fail(caller))
}

/// A company's statement (ekstre) in one currency: the balance brought forward, every
/// entry with the running balance, and the closing balance.
#[utoipa::path(get, path = "/companies/{id}/ledger", tag = "ledger", params(
    ("id" = i64, Path),
    ("from" = Option<String>, Query, description = "`YYYY-MM-DD`; the first day of this year"),
    ("to" = Option<String>, Query, description = "`YYYY-MM-DD`; today"),
    ("currency" = Option<String>, Query, description = "ISO 4217; TRY"),
    ("limit" = Option<u32>, Query, description = "Entries per page, 1–100000; 1000"),
    ("cursor" = Option<String>, Query, description = "The `next_cursor` of the page before")
), responses(
    (status = 200, body = StatementResponse),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Support agents and marketers see balances only", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such company in your scope", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn company_ledger(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    RawQuery(raw): RawQuery,
) -> Result<Json<StatementResponse>, ApiError> {
    let statement = statement_of(
        &state,
        &caller,
        Account::Company(CompanyId(id)),
        raw.as_deref(),
        false,
    )
    .await?;
    Ok(Json(statement_response(caller.lang, statement)))
}

/// A person's own statement (documents without a company).
#[utoipa::path(get, path = "/people/{id}/ledger", tag = "ledger", params(
    ("id" = i64, Path),
    ("from" = Option<String>, Query, description = "`YYYY-MM-DD`; the first day of this year"),
    ("to" = Option<String>, Query, description = "`YYYY-MM-DD`; today"),
    ("currency" = Option<String>, Query, description = "ISO 4217; TRY"),
    ("limit" = Option<u32>, Query, description = "Entries per page, 1–100000; 1000"),
    ("cursor" = Option<String>, Query, description = "The `next_cursor` of the page before")
), responses(
    (status = 200, body = StatementResponse),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn person_ledger(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    RawQuery(raw): RawQuery,
) -> Result<Json<StatementResponse>, ApiError> {
    let statement = statement_of(
        &state,
        &caller,
        Account::Person(PersonId(id)),
        raw.as_deref(),
        false,
    )
    .await?;
    Ok(Json(statement_response(caller.lang, statement)))
}

/// A company's statement as a file: `statement.csv`, `statement.xlsx` or `statement.pdf`.
#[utoipa::path(get, path = "/companies/{id}/ledger/{file}", tag = "ledger", params(
    ("id" = i64, Path),
    ("file" = String, Path, description = "`statement.csv`, `statement.xlsx` or `statement.pdf` (at most 10,000 entries)"),
    ("from" = Option<String>, Query),
    ("to" = Option<String>, Query),
    ("currency" = Option<String>, Query)
), responses(
    (status = 200, description = "The statement as CSV, XLSX or PDF", content_type = "application/octet-stream"),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn company_statement_file(
    State(state): State<AppState>,
    caller: ApiUser,
    Path((id, file)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let id = parse_id(&caller, &id)?;
    statement_file(
        &state,
        &caller,
        Account::Company(CompanyId(id)),
        &file,
        raw.as_deref(),
    )
    .await
}

/// A person's own statement as a file: `statement.csv`, `statement.xlsx` or `statement.pdf`.
#[utoipa::path(get, path = "/people/{id}/ledger/{file}", tag = "ledger", params(
    ("id" = i64, Path),
    ("file" = String, Path, description = "`statement.csv`, `statement.xlsx` or `statement.pdf` (at most 10,000 entries)"),
    ("from" = Option<String>, Query),
    ("to" = Option<String>, Query),
    ("currency" = Option<String>, Query)
), responses(
    (status = 200, description = "The statement as CSV, XLSX or PDF", content_type = "application/octet-stream"),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn person_statement_file(
    State(state): State<AppState>,
    caller: ApiUser,
    Path((id, file)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let id = parse_id(&caller, &id)?;
    statement_file(
        &state,
        &caller,
        Account::Person(PersonId(id)),
        &file,
        raw.as_deref(),
    )
    .await
}

fn parse_id(caller: &ApiUser, text: &str) -> Result<i64, ApiError> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::new(caller.lang, Error::NotFound))
}

async fn statement_file(
    state: &AppState,
    caller: &ApiUser,
    account: Account,
    file: &str,
    raw: Option<&str>,
) -> Result<Response, ApiError> {
    use rehber_web_core::statement::{StatementFile, StatementFileError};
    let Some(kind) = StatementFile::parse(file) else {
        return Err(ApiError::new(caller.lang, Error::NotFound));
    };
    let statement = statement_of(state, caller, account, raw, true)
        .await?
        .statement;
    let customer = rehber_web_core::statement::statement_customer(
        &state.app,
        caller.lang,
        &caller.actor(),
        account,
    )
    .await
    .map_err(fail(caller))?;
    let (body, name) = rehber_web_core::statement::statement_file(
        &state.app,
        caller.lang,
        customer,
        &statement,
        kind,
    )
    .map_err(|e| match e {
        StatementFileError::TooLong => ApiError::new(
            caller.lang,
            Error::field("to", "invalid-statement-too-long-print"),
        ),
        StatementFileError::Write(cause) => {
            ApiError::new(caller.lang, rehber_app::AppError::Internal(cause))
        }
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, kind.content_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// One customer's aging in one currency; the columns add up to `balance`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgingRowResponse {
    pub company_id: Option<i64>,
    pub person_id: Option<i64>,
    pub name: String,
    pub currency: String,
    pub not_due: Minor,
    pub days_0_30: Minor,
    pub days_31_60: Minor,
    pub days_61_90: Minor,
    pub days_over_90: Minor,
    /// Credit set against no invoice, negative like every credit.
    pub unallocated: Minor,
    /// The ledger balance at `as_of` (positive: the customer owes).
    pub balance: Minor,
}

/// The aging report.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgingResponse {
    pub as_of: String,
    pub rows: Vec<AgingRowResponse>,
}

impl From<AgingRow> for AgingRowResponse {
    fn from(row: AgingRow) -> Self {
        let a = &row.aging;
        AgingRowResponse {
            company_id: row.account.company_id().map(|c| c.0),
            person_id: row.account.person_id().map(|p| p.0),
            name: row.name.clone(),
            not_due: Minor { minor: a.not_due },
            days_0_30: Minor { minor: a.days_0_30 },
            days_31_60: Minor {
                minor: a.days_31_60,
            },
            days_61_90: Minor {
                minor: a.days_61_90,
            },
            days_over_90: Minor {
                minor: a.days_over_90,
            },
            unallocated: Minor {
                minor: a.unallocated,
            },
            balance: Minor { minor: row.balance },
            currency: row.currency,
        }
    }
}

/// Aging as of a date for every customer you can see: what is not yet due, 1–30, 31–60,
/// 61–90 and over 90 days late, and unallocated credit. Invoices paid after `as_of` count
/// as open then.
#[utoipa::path(get, path = "/reports/aging", tag = "ledger", params(
    ("as_of" = Option<String>, Query, description = "`YYYY-MM-DD`; today"),
    ("company_id" = Option<i64>, Query, description = "One company's account only"),
    ("person_id" = Option<i64>, Query, description = "One person's own account only")
), responses(
    (status = 200, body = AgingResponse),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "The customer named is not in your scope", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn aging(
    State(state): State<AppState>,
    caller: ApiUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<AgingResponse>, ApiError> {
    let mut errors = QueryErrors::default();
    let params = QueryParams::parse(
        raw.as_deref(),
        &[&["as_of", "company_id", "person_id"]],
        &mut errors,
    );
    let today = state.app.today();
    let as_of = match params.text("as_of", 10, &mut errors) {
        None => today,
        Some(text) => text.parse().unwrap_or_else(|_| {
            errors.unreadable.add("as_of", "invalid-date");
            today
        }),
    };
    let company = params.integer("company_id", 1..=i64::MAX, &mut errors);
    let person = params.integer("person_id", 1..=i64::MAX, &mut errors);
    errors
        .into_result()
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let actor = caller.actor();
    let account = if company.is_some() || person.is_some() {
        Some(
            state
                .app
                .customer_account(&actor, company, person)
                .await
                .map_err(fail(&caller))?,
        )
    } else {
        None
    };
    let rows = state
        .app
        .aging(&actor, as_of, account)
        .await
        .map_err(fail(&caller))?;
    Ok(Json(AgingResponse {
        as_of: as_of.to_string(),
        rows: rows.into_iter().map(AgingRowResponse::from).collect(),
    }))
}

/// The ledger's settings.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct LedgerSettings {
    /// The last day of the closed periods: nothing is posted, collected or cancelled on or
    /// before it. `null` when no period is closed.
    #[schema(example = "2026-01-31")]
    pub lock_date: Option<String>,
}

impl DocumentedBody for LedgerSettings {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<LedgerSettings>)
    }
}

/// The ledger's settings: the lock date.
#[utoipa::path(get, path = "/settings/ledger", tag = "ledger", responses(
    (status = 200, body = LedgerSettings)
))]
pub(super) async fn settings(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<LedgerSettings>, ApiError> {
    let lock = state.app.lock_date().await.map_err(fail(&caller))?;
    Ok(Json(LedgerSettings {
        lock_date: lock.map(|d| d.to_string()),
    }))
}

/// Set or clear the lock date (administrators).
#[utoipa::path(put, path = "/settings/ledger", tag = "ledger", request_body = LedgerSettings, responses(
    (status = 200, body = LedgerSettings),
    (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn put_settings(
    State(state): State<AppState>,
    caller: ApiUser,
    body: ApiBody<LedgerSettings>,
) -> Result<Json<LedgerSettings>, ApiError> {
    let lock = state
        .app
        .set_lock_date(&caller.actor(), body.0.lock_date.as_deref())
        .await
        .map_err(fail(&caller))?;
    Ok(Json(LedgerSettings {
        lock_date: lock.map(|d| d.to_string()),
    }))
}
