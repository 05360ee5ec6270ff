//! `/api/v1/exchange-rates`: the rates boards convert deal amounts into TRY with. Everyone
//! signed in reads them; administrators and sales managers enter one by hand or upload the
//! central bank's daily XML file.

use super::extract::{ApiBody, DocumentedBody};
use super::records::schema_fields;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use rehber_app::ExchangeRate;
use rehber_web_core::auth::ApiUser;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::state::AppState;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use utoipa::ToSchema;

/// One day's rate of a currency.
#[derive(Debug, Serialize, ToSchema)]
pub struct RateResponse {
    #[schema(example = "USD")]
    pub currency: String,
    #[schema(format = Date)]
    pub date: String,
    /// TRY per one unit, as a decimal.
    #[schema(example = "42.4915")]
    pub rate: String,
    /// `manual` or `tcmb`.
    pub source: String,
}

impl From<ExchangeRate> for RateResponse {
    fn from(rate: ExchangeRate) -> RateResponse {
        RateResponse {
            currency: rate.currency,
            date: rate.date.to_string(),
            rate: rehber_domain::rate::rate_text(rate.rate_e6),
            source: rate.source,
        }
    }
}

/// The rates, newest day first.
#[derive(Debug, Serialize, ToSchema)]
pub struct RatesResponse {
    pub items: Vec<RateResponse>,
}

/// A rate entered by hand (replacing the same currency's rate of that day).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RateRequest {
    #[schema(example = "EUR")]
    pub currency: String,
    /// `YYYY-MM-DD`, not in the future.
    #[schema(format = Date)]
    pub date: String,
    /// TRY per one unit, up to six decimals (`"49.4123"` or `"49,4123"`).
    #[schema(example = "49.4123")]
    pub rate: String,
}

impl DocumentedBody for RateRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<RateRequest>)
    }
}

/// The most recent exchange rates.
#[utoipa::path(get, path = "/exchange-rates", tag = "exchange-rates", responses(
    (status = 200, body = RatesResponse)
))]
pub(super) async fn list(
    State(state): State<AppState>,
    caller: ApiUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<RatesResponse>, ApiError> {
    super::no_query(caller.lang, raw.as_deref())?;
    let rates = state
        .app
        .exchange_rates(&caller.actor())
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(RatesResponse {
        items: rates.into_iter().map(Into::into).collect(),
    }))
}

/// Enters a rate by hand (administrators and sales managers).
#[utoipa::path(post, path = "/exchange-rates", tag = "exchange-rates", request_body = RateRequest, responses(
    (status = 201, body = RateResponse),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn create(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiBody(body): ApiBody<RateRequest>,
) -> Result<(StatusCode, Json<RateResponse>), ApiError> {
    let rate = state
        .app
        .put_rate(&caller.actor(), &body.currency, &body.date, &body.rate)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok((StatusCode::CREATED, Json(rate.into())))
}

/// Uploads the central bank's daily XML file (`today.xml`, or a day of its archive) as the
/// request body; its forex buying rates are kept for its day.
#[utoipa::path(post, path = "/exchange-rates/tcmb", tag = "exchange-rates",
    request_body(content = String, content_type = "application/xml"), responses(
    (status = 201, body = RatesResponse),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Not a daily rate file", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn import_tcmb(
    State(state): State<AppState>,
    caller: ApiUser,
    body: Bytes,
) -> Result<(StatusCode, Json<RatesResponse>), ApiError> {
    let rates = state
        .app
        .import_tcmb_rates(&caller.actor(), &body)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok((
        StatusCode::CREATED,
        Json(RatesResponse {
            items: rates.into_iter().map(Into::into).collect(),
        }),
    ))
}
