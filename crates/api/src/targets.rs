//! `/api/v1/targets` and `/api/v1/reports/forecast`: sales targets per rep or team and
//! period, and the forecast of a month or quarter measured against them (the rules:
//! `rehber_app::targets` and `rehber_app::forecast`).

use super::extract::{ApiBody, ApiId, DocumentedBody};
use super::ledger::Minor;
use super::records::schema_fields;
use super::{etag, expected_version};
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use rehber_app::forecast::Forecast;
use rehber_app::targets::{TargetPatch, target_text};
use rehber_domain::target::{
    ForecastLine, Period, PeriodKind, SalesTarget, TargetForm, TargetSubject,
};
use rehber_domain::{TeamId, UserId};
use rehber_web_core::auth::ApiUser;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::query::{QueryErrors, QueryParams};
use rehber_web_core::state::AppState;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use utoipa::ToSchema;

/// A sales target.
#[derive(Debug, Serialize, ToSchema)]
pub struct TargetResponse {
    pub id: i64,
    #[schema(format = Date)]
    pub period_start: String,
    #[schema(format = Date)]
    pub period_end: String,
    /// The rep's; `null` for a team's target.
    pub user_id: Option<i64>,
    /// The team's; `null` for a rep's target.
    pub team_id: Option<i64>,
    /// `won_amount`, `won_count` or `new_customers`.
    pub metric: String,
    /// Minor units of `currency` for `won_amount`, else a count.
    pub target: i64,
    /// The currency of a `won_amount` target; `null` for a count.
    pub currency: Option<String>,
    pub version: i64,
}

impl From<SalesTarget> for TargetResponse {
    fn from(t: SalesTarget) -> Self {
        let (user_id, team_id) = match t.fields.subject {
            TargetSubject::User(user) => (Some(user.0), None),
            TargetSubject::Team(team) => (None, Some(team.0)),
        };
        TargetResponse {
            id: t.id,
            period_start: t.fields.period.start.to_string(),
            period_end: t.fields.period.end.to_string(),
            user_id,
            team_id,
            metric: t.fields.metric.as_str().into(),
            target: t.fields.target,
            currency: t.fields.currency,
            version: t.version,
        }
    }
}

/// Targets, by period.
#[derive(Debug, Serialize, ToSchema)]
pub struct TargetList {
    pub items: Vec<TargetResponse>,
}

/// A target to set, or the fields of one to change (PATCH: absent fields stay; naming a
/// user or a team makes it the subject).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TargetRequest {
    /// First day, `YYYY-MM-DD`; required on create.
    #[schema(format = Date, example = "2026-10-01")]
    pub period_start: Option<String>,
    /// Last day (included), at most 366 days after the first; required on create.
    #[schema(format = Date, example = "2026-12-31")]
    pub period_end: Option<String>,
    /// A rep's target: exactly one of `user_id` and `team_id`.
    pub user_id: Option<i64>,
    pub team_id: Option<i64>,
    /// `won_amount`, `won_count` or `new_customers`; required on create.
    #[schema(example = "won_amount")]
    pub metric: Option<String>,
    /// Minor units for `won_amount` (`125000000` is 1,250,000.00), else a count.
    #[schema(example = 125_000_000)]
    pub target: Option<i64>,
    /// ISO 4217 for `won_amount`; `TRY` when absent.
    #[schema(example = "TRY")]
    pub currency: Option<String>,
    /// The version read (PATCH), instead of an `If-Match` header.
    pub version: Option<i64>,
}

impl DocumentedBody for TargetRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<TargetRequest>)
    }
}

fn one(target: SalesTarget) -> impl IntoResponse {
    (etag(target.version), Json(TargetResponse::from(target)))
}

/// Reads an optional `YYYY-MM-DD` query parameter.
fn query_date(
    params: &QueryParams,
    name: &str,
    errors: &mut QueryErrors,
) -> Option<jiff::civil::Date> {
    let text = params.text(name, 10, errors)?;
    let parsed = text.parse().ok();
    if parsed.is_none() {
        errors.unreadable.add(name, "invalid-date");
    }
    parsed
}

/// The targets you can see (a rep their own, a manager their team's and its members'),
/// those sharing a day with `from`–`to` when given.
#[utoipa::path(get, path = "/targets", tag = "targets", params(
    ("from" = Option<String>, Query, description = "`YYYY-MM-DD`: targets ending on or after it"),
    ("to" = Option<String>, Query, description = "`YYYY-MM-DD`: targets starting on or before it")
), responses(
    (status = 200, body = TargetList),
    (status = 400, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn list(
    State(state): State<AppState>,
    caller: ApiUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<TargetList>, ApiError> {
    let mut errors = QueryErrors::default();
    let params = QueryParams::parse(raw.as_deref(), &[&["from", "to"]], &mut errors);
    let from = query_date(&params, "from", &mut errors);
    let to = query_date(&params, "to", &mut errors);
    errors
        .into_result()
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let within = match (from, to) {
        (None, None) => None,
        (from, to) => Some(Period {
            start: from.unwrap_or(jiff::civil::Date::MIN),
            end: to.unwrap_or(jiff::civil::Date::MAX),
        }),
    };
    let targets = state
        .app
        .targets(&caller.actor(), within)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(TargetList {
        items: targets.into_iter().map(Into::into).collect(),
    }))
}

/// Set a target (administrators for anyone, sales managers for their team and its
/// members). Two targets of the same subject and measure may not share a day.
#[utoipa::path(post, path = "/targets", tag = "targets", request_body = TargetRequest, responses(
    (status = 201, body = TargetResponse),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Overlaps a target of the same subject and measure", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn create(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiBody(body): ApiBody<TargetRequest>,
) -> Result<Response, ApiError> {
    let text = |value: Option<String>| value.unwrap_or_default();
    let id = |value: Option<i64>| value.map(|v| v.to_string()).unwrap_or_default();
    let metric = text(body.metric);
    let form = TargetForm {
        period_start: text(body.period_start),
        period_end: text(body.period_end),
        user_id: id(body.user_id),
        team_id: id(body.team_id),
        target: body
            .target
            .map(|n| target_text(&metric, n))
            .unwrap_or_default(),
        metric,
        currency: text(body.currency),
    };
    let target = state
        .app
        .create_target(&caller.actor(), &form)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok((StatusCode::CREATED, one(target)).into_response())
}

/// One target you can see.
#[utoipa::path(get, path = "/targets/{id}", tag = "targets", params(("id" = i64, Path)), responses(
    (status = 200, body = TargetResponse),
    (status = 404, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn get(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Response, ApiError> {
    let target = state
        .app
        .target(&caller.actor(), id)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(one(target).into_response())
}

/// Change a target. Send `If-Match: "<version>"` (or `version`) to refuse overwriting a
/// change made since you read it.
#[utoipa::path(patch, path = "/targets/{id}", tag = "targets", params(("id" = i64, Path)), request_body = TargetRequest, responses(
    (status = 200, body = TargetResponse),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Changed since the version given, or overlaps another target", body = Problem, content_type = "application/problem+json"),
    (status = 413, body = Problem, content_type = "application/problem+json"),
    (status = 415, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn update(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    headers: HeaderMap,
    ApiBody(body): ApiBody<TargetRequest>,
) -> Result<Response, ApiError> {
    let version = expected_version(caller.lang, &headers, body.version)?;
    let patch = TargetPatch {
        period_start: body.period_start,
        period_end: body.period_end,
        user_id: body.user_id,
        team_id: body.team_id,
        metric: body.metric,
        target: body.target,
        currency: body.currency,
    };
    let target = state
        .app
        .update_target(&caller.actor(), id, version, patch)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(one(target).into_response())
}

/// Remove a target.
#[utoipa::path(delete, path = "/targets/{id}", tag = "targets", params(("id" = i64, Path)), responses(
    (status = 204, description = "Removed"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn delete(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<StatusCode, ApiError> {
    state
        .app
        .delete_target(&caller.actor(), id)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// One line of a forecast, amounts in minor units of TRY.
#[derive(Debug, Serialize, ToSchema)]
pub struct ForecastLineResponse {
    /// The rep (`null` on the total, and for deals without an owner).
    pub user_id: Option<i64>,
    pub name: String,
    /// The won-amount target for the period; `null` when none is set.
    pub target: Option<Minor>,
    pub closed_won: Minor,
    pub commit: Minor,
    /// Commit plus the best-case deals.
    pub best_case: Minor,
    /// Open deals expected to close in the period, times their probability.
    pub weighted: Minor,
    /// Target minus closed won (negative: passed); `null` without a target.
    pub gap: Option<Minor>,
    pub won_count: i64,
    pub won_count_target: Option<i64>,
    pub new_customers: i64,
    pub new_customers_target: Option<i64>,
    /// Deals counted but not summed: no amount, or no rate for their currency.
    pub unpriced: i64,
}

fn line_response(user_id: Option<i64>, name: String, line: &ForecastLine) -> ForecastLineResponse {
    let minor = |minor: i64| Minor { minor };
    ForecastLineResponse {
        user_id,
        name,
        target: line.target.map(minor),
        closed_won: minor(line.closed_won),
        commit: minor(line.commit),
        best_case: minor(line.best_case),
        weighted: minor(line.weighted),
        gap: line.gap().map(minor),
        won_count: line.won_count,
        won_count_target: line.won_count_target,
        new_customers: line.new_customers,
        new_customers_target: line.new_customers_target,
        unpriced: line.unpriced,
    }
}

/// An open deal whose expected close has passed.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverdueDeal {
    pub deal_id: i64,
    pub name: String,
    #[schema(format = Date)]
    pub expected_close: Option<String>,
    pub owner_id: Option<i64>,
    pub amount: Option<Minor>,
    pub currency: Option<String>,
}

/// The forecast of a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct ForecastResponse {
    /// `month` or `quarter`.
    pub period: String,
    #[schema(format = Date)]
    pub period_start: String,
    #[schema(format = Date)]
    pub period_end: String,
    /// Whose forecast: a rep, a team, or neither (everyone you can see).
    pub user_id: Option<i64>,
    pub team_id: Option<i64>,
    /// Always `TRY`: other currencies at the latest rate on or before today.
    pub currency: String,
    pub total: ForecastLineResponse,
    /// One line per rep.
    pub rows: Vec<ForecastLineResponse>,
    /// Open deals whose expected close is before today, oldest first (at most 50): fix
    /// them, the forecast does not move them.
    pub overdue: Vec<OverdueDeal>,
    pub overdue_count: i64,
    /// Currencies with no rate: their deals are counted in `unpriced`, not summed.
    pub missing_rates: Vec<String>,
}

impl From<Forecast> for ForecastResponse {
    fn from(f: Forecast) -> Self {
        let (user_id, team_id) = match f.subject {
            Some(TargetSubject::User(user)) => (Some(user.0), None),
            Some(TargetSubject::Team(team)) => (None, Some(team.0)),
            None => (None, None),
        };
        ForecastResponse {
            period: f.kind.as_str().into(),
            period_start: f.period.start.to_string(),
            period_end: f.period.end.to_string(),
            user_id,
            team_id,
            currency: "TRY".into(),
            total: line_response(None, f.subject_name.clone(), &f.total),
            rows: f
                .rows
                .iter()
                .map(|r| line_response(r.owner.map(|o| o.0), r.name.clone(), &r.line))
                .collect(),
            overdue: f
                .overdue
                .iter()
                .map(|d| OverdueDeal {
                    deal_id: d.id.0,
                    name: d.fields.name.clone(),
                    expected_close: d.fields.expected_close.map(|c| c.to_string()),
                    owner_id: d.ownership.owner_id.map(|o| o.0),
                    amount: d.fields.amount.as_ref().map(|m| Minor { minor: m.minor }),
                    currency: d.fields.amount.as_ref().map(|m| m.currency.clone()),
                })
                .collect(),
            overdue_count: f.overdue_count,
            missing_rates: f.missing_rates,
        }
    }
}

/// The forecast of the month or quarter holding `date`: target, closed won, commit, best
/// case, weighted pipeline and gap, per rep and in total, in TRY. Without `user_id` or
/// `team_id`: a rep's own, a manager's team's, everyone's for other roles.
#[utoipa::path(get, path = "/reports/forecast", tag = "targets", params(
    ("period" = Option<String>, Query, description = "`month` or `quarter` (default)"),
    ("date" = Option<String>, Query, description = "`YYYY-MM-DD`, any day of the period; today"),
    ("user_id" = Option<i64>, Query, description = "One rep's forecast"),
    ("team_id" = Option<i64>, Query, description = "One team's forecast")
), responses(
    (status = 200, body = ForecastResponse),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "A rep or team outside your view", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such rep or team", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn forecast(
    State(state): State<AppState>,
    caller: ApiUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<ForecastResponse>, ApiError> {
    let mut errors = QueryErrors::default();
    let params = QueryParams::parse(
        raw.as_deref(),
        &[&["period", "date"], &["user_id", "team_id"]],
        &mut errors,
    );
    let kind = match params.text("period", 10, &mut errors) {
        None => PeriodKind::Quarter,
        Some(text) => PeriodKind::parse(&text).unwrap_or_else(|| {
            errors.unreadable.add("period", "invalid-unknown-value");
            PeriodKind::Quarter
        }),
    };
    let day = query_date(&params, "date", &mut errors).unwrap_or_else(|| state.app.today());
    let user = params.integer("user_id", 1..=i64::MAX, &mut errors);
    let team = params.integer("team_id", 1..=i64::MAX, &mut errors);
    errors
        .into_result()
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let subject = match (user, team) {
        (Some(user), _) => Some(TargetSubject::User(UserId(user))),
        (None, Some(team)) => Some(TargetSubject::Team(TeamId(team))),
        (None, None) => None,
    };
    let forecast = state
        .app
        .forecast(&caller.actor(), kind, day, subject)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(forecast.into()))
}
