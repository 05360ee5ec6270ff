//! `/api/v1/deals`: the deal kind's wire types and its documented endpoints (the work of the
//! list, create, get, update, delete and restore is the generic `records` handlers'), the
//! stage move a board's drop makes, and a pipeline's board.

use super::document_lines::{Amount, UnitPriceInput};
use super::extract::{ApiBody, ApiId, DocumentedBody};
use super::records::{self, ApiKind, schema_fields};
use super::wire::{ListParams, OwnershipInput};
use super::{etag, expected_version};
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use rehber_app::deals::{BOARD_CARDS, Board, BoardCard, StageMove};
use rehber_domain::DealId;
use rehber_domain::deal::{Deal, DealPatch, Deals};
use rehber_web_core::auth::ApiUser;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::query::{QueryErrors, QueryParams};
use rehber_web_core::state::AppState;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use utoipa::{IntoParams, ToSchema};

/// A deal to create, or the fields of one to change (PATCH: absent fields stay).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct DealRequest {
    /// Required on create; up to 200 characters.
    #[schema(example = "Yıllık bakım sözleşmesi")]
    pub name: Option<String>,
    /// Required on create (`GET /pipelines` lists them).
    pub pipeline_id: Option<i64>,
    /// One of the pipeline's stages; required on create. A lost stage needs
    /// `lost_reason_id`; moving a deal is better done with `POST /deals/{id}/stage`.
    pub stage_id: Option<i64>,
    /// In minor units (kuruş) and its currency (default TRY); `null` clears it.
    pub amount: Option<Option<UnitPriceInput>>,
    /// 0–100; overrides the stage's probability; `null` goes back to the stage's.
    pub probability: Option<Option<i64>>,
    /// `YYYY-MM-DD`; `null` clears it.
    #[schema(value_type = Option<String>, format = Date)]
    pub expected_close: Option<Option<String>>,
    pub person_id: Option<Option<i64>>,
    pub company_id: Option<Option<i64>>,
    /// Why it was lost (`GET /lost-reasons`); required in a lost stage.
    pub lost_reason_id: Option<Option<i64>>,
    pub lost_note: Option<String>,
    /// `pipeline`, `best_case`, `commit`, `closed` or `omitted`; `null` follows the stage.
    pub forecast_category: Option<Option<String>>,
    pub tags: Option<Vec<String>>,
    pub notes: Option<String>,
    pub owner_id: Option<i64>,
    pub team_id: Option<i64>,
    /// The version last read; when given, an update of a changed deal is refused (409).
    pub version: Option<i64>,
    /// Custom field values by key, as for people and companies.
    #[schema(value_type = Option<Object>)]
    pub custom: Option<serde_json::Map<String, serde_json::Value>>,
}

impl DocumentedBody for DealRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<DealRequest>)
    }
}

/// An optional value as the form's text: absent keeps, `null` clears.
fn text_of<T: ToString>(value: Option<Option<T>>) -> Option<String> {
    value.map(|v| v.map(|v| v.to_string()).unwrap_or_default())
}

/// An amount in minor units as the form's decimal text.
pub(super) fn decimal(minor: i64) -> String {
    rehber_domain::Money {
        minor,
        currency: String::new(),
    }
    .to_decimal_string()
}

impl DealRequest {
    fn into_patch(self) -> (DealPatch, OwnershipInput, Option<i64>) {
        let (amount, currency) = match self.amount {
            None => (None, None),
            Some(None) => (Some(String::new()), None),
            Some(Some(price)) => (Some(decimal(price.minor)), price.currency),
        };
        let patch = DealPatch {
            name: self.name,
            pipeline_id: self.pipeline_id.map(|id| id.to_string()),
            stage_id: self.stage_id.map(|id| id.to_string()),
            amount,
            currency,
            probability: text_of(self.probability),
            expected_close: text_of(self.expected_close),
            person_id: text_of(self.person_id),
            company_id: text_of(self.company_id),
            lost_reason_id: text_of(self.lost_reason_id),
            lost_note: self.lost_note,
            forecast_category: text_of(self.forecast_category),
            tags: self.tags,
            notes: self.notes,
            converted_from: None,
            custom: self.custom,
        };
        let ownership = OwnershipInput {
            owner_id: self.owner_id,
            team_id: self.team_id,
        };
        (patch, ownership, self.version)
    }
}

/// A deal as the API returns it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DealResponse {
    pub id: i64,
    pub name: String,
    pub pipeline_id: i64,
    pub stage_id: i64,
    pub amount: Option<Amount>,
    /// Its own probability, when it overrides the stage's.
    pub probability: Option<u8>,
    #[schema(format = Date)]
    pub expected_close: Option<String>,
    pub person_id: Option<i64>,
    pub company_id: Option<i64>,
    pub lost_reason_id: Option<i64>,
    pub lost_note: String,
    pub forecast_category: Option<String>,
    /// The day it entered its stage.
    #[schema(format = Date)]
    pub stage_entered_on: String,
    pub tags: Vec<String>,
    pub notes: String,
    #[schema(value_type = Object)]
    pub custom: serde_json::Value,
    pub owner_id: Option<i64>,
    pub team_id: Option<i64>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Deal> for DealResponse {
    fn from(deal: Deal) -> DealResponse {
        let f = deal.fields;
        DealResponse {
            id: deal.id.0,
            name: f.name,
            pipeline_id: f.pipeline_id,
            stage_id: f.stage_id,
            amount: f.amount.map(|m| Amount {
                minor: m.minor,
                currency: m.currency,
            }),
            probability: f.probability,
            expected_close: f.expected_close.map(|d| d.to_string()),
            person_id: f.person_id.map(|p| p.0),
            company_id: f.company_id.map(|c| c.0),
            lost_reason_id: f.lost_reason_id,
            lost_note: f.lost_note,
            forecast_category: f.forecast_category.map(|c| c.as_str().to_string()),
            stage_entered_on: f.stage_entered_on.to_string(),
            tags: f.tags,
            notes: f.notes,
            custom: serde_json::to_value(&f.custom).unwrap_or_default(),
            owner_id: deal.ownership.owner_id.map(|u| u.0),
            team_id: deal.ownership.team_id.map(|t| t.0),
            version: deal.meta.version,
            created_at: deal.meta.created_at.to_string(),
            updated_at: deal.meta.updated_at.to_string(),
        }
    }
}

/// One page of deals.
#[derive(Debug, Serialize, ToSchema)]
pub struct DealPage {
    pub items: Vec<DealResponse>,
    pub next_cursor: Option<String>,
}

/// The deal list's own filters, beside [`ListParams`] (whose `lifecycle_stage` and `city`
/// do not apply to deals).
#[derive(Debug, Clone, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct DealListParams {
    pub pipeline_id: Option<i64>,
    pub stage_id: Option<i64>,
    pub company_id: Option<i64>,
}

impl ApiKind for Deals {
    const PATH: &'static str = "deals";
    const OWN_PARAMS: &'static [&'static str] = &["pipeline_id", "stage_id", "company_id"];
    type Request = DealRequest;
    type Response = DealResponse;
    type Page = DealPage;

    fn into_patch(request: DealRequest) -> (DealPatch, OwnershipInput, Option<i64>) {
        request.into_patch()
    }

    fn page(items: Vec<DealResponse>, next_cursor: Option<String>) -> DealPage {
        DealPage { items, next_cursor }
    }
}

records::kind_endpoints! {
    kind = Deals,
    tag = "deals",
    paths = ("/deals", "/deals/{id}", "/deals/{id}/restore"),
    list_params = (ListParams, DealListParams),
    request = DealRequest,
    response = DealResponse,
    page = DealPage,
    docs = {
        list: "List and search deals you can see.",
        create: "Create a deal.",
        get: "One deal.",
        update: "Change some fields of a deal. Send `If-Match: \"<version>\"` (or `version`) to refuse overwriting a change made since you read it.",
        delete: "Delete a deal (administrators can restore).",
        restore: "Restore a deleted deal (administrators).",
    }
}

/// A move to another stage of the deal's pipeline.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct StageRequest {
    pub stage_id: i64,
    /// Required when the stage is lost (`GET /lost-reasons`).
    pub lost_reason_id: Option<i64>,
    /// A word on why it was lost.
    pub lost_note: Option<String>,
    /// The final amount (a won deal), in minor units.
    pub amount: Option<UnitPriceInput>,
    /// The close date (a won deal), `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub expected_close: Option<String>,
    /// The version last read; a deal changed since is refused (409).
    pub version: Option<i64>,
}

impl DocumentedBody for StageRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<StageRequest>)
    }
}

/// Moves a deal to another stage. A lost stage without `lost_reason_id` is refused (422)
/// and the deal left as it was; a stage that is not lost clears the reason.
#[utoipa::path(post, path = "/deals/{id}/stage", tag = "deals", params(("id" = i64, Path)),
    request_body = StageRequest, responses(
    (status = 200, body = DealResponse),
    (status = 404, description = "Absent or outside your scope", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Changed since the given version", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "A stage of another pipeline, or a lost stage without a reason", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn stage(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    headers: HeaderMap,
    ApiBody(body): ApiBody<StageRequest>,
) -> Result<Response, ApiError> {
    let version = expected_version(caller.lang, &headers, body.version)?;
    let (amount, currency) = match body.amount {
        Some(price) => (Some(decimal(price.minor)), price.currency),
        None => (None, None),
    };
    let step = StageMove {
        stage_id: body.stage_id,
        lost_reason_id: body.lost_reason_id,
        lost_note: body.lost_note,
        amount,
        currency,
        expected_close: body.expected_close,
        version,
    };
    let deal = state
        .app
        .move_deal(&caller.actor(), DealId(id), step)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let version = deal.meta.version;
    Ok((etag(version), Json(DealResponse::from(deal))).into_response())
}

/// A card of the board.
#[derive(Debug, Serialize, ToSchema)]
pub struct BoardCardResponse {
    pub id: i64,
    pub name: String,
    pub amount: Option<Amount>,
    /// Its own probability or its stage's.
    pub probability: u8,
    #[schema(format = Date)]
    pub expected_close: Option<String>,
    /// The company's name, else the person's.
    pub party: String,
    pub owner_id: Option<i64>,
    /// Longer in its stage than the stage allows.
    pub rotting: bool,
    pub version: i64,
}

impl From<BoardCard> for BoardCardResponse {
    fn from(card: BoardCard) -> BoardCardResponse {
        let deal = card.deal;
        BoardCardResponse {
            id: deal.id.0,
            name: deal.fields.name,
            amount: deal.fields.amount.map(|m| Amount {
                minor: m.minor,
                currency: m.currency,
            }),
            probability: card.probability,
            expected_close: deal.fields.expected_close.map(|d| d.to_string()),
            party: card.party,
            owner_id: deal.ownership.owner_id.map(|u| u.0),
            rotting: card.rotting,
            version: deal.meta.version,
        }
    }
}

/// A stage's column.
#[derive(Debug, Serialize, ToSchema)]
pub struct BoardStageResponse {
    pub id: i64,
    pub name: String,
    /// `open`, `won` or `lost`.
    pub kind: String,
    pub probability: u8,
    /// The most recently changed deals first (up to `cards`).
    pub cards: Vec<BoardCardResponse>,
    /// Every deal of the stage you can see.
    pub count: i64,
    /// The sum of the priced deals in TRY.
    pub total: Amount,
    /// The sum weighted by each deal's probability, in TRY.
    pub weighted: Amount,
    /// Deals counted but not summed: without an amount, or in a currency with no rate.
    pub unpriced: i64,
}

/// A rate a board converted with.
#[derive(Debug, Serialize, ToSchema)]
pub struct RateUsed {
    pub currency: String,
    #[schema(format = Date)]
    pub date: String,
    /// TRY per one unit.
    #[schema(example = "42.4915")]
    pub rate: String,
}

/// A pipeline's board.
#[derive(Debug, Serialize, ToSchema)]
pub struct BoardResponse {
    pub pipeline_id: i64,
    pub pipeline_name: String,
    pub stages: Vec<BoardStageResponse>,
    pub rates: Vec<RateUsed>,
    /// Currencies of deals on the board with no rate on or before today: their deals are
    /// counted, not summed.
    pub missing_rates: Vec<String>,
}

impl From<Board> for BoardResponse {
    fn from(board: Board) -> BoardResponse {
        let try_amount = |minor| Amount {
            minor,
            currency: "TRY".into(),
        };
        BoardResponse {
            pipeline_id: board.pipeline.id,
            pipeline_name: board.pipeline.name,
            stages: board
                .columns
                .into_iter()
                .map(|c| BoardStageResponse {
                    id: c.stage.id,
                    name: c.stage.name,
                    kind: c.stage.kind.as_str().into(),
                    probability: c.stage.probability,
                    cards: c.cards.into_iter().map(Into::into).collect(),
                    count: c.count,
                    total: try_amount(c.total_minor),
                    weighted: try_amount(c.weighted_minor),
                    unpriced: c.unpriced,
                })
                .collect(),
            rates: board
                .rates
                .into_iter()
                .map(|(currency, date, rate)| RateUsed {
                    currency,
                    date: date.to_string(),
                    rate: rehber_domain::rate::rate_text(rate),
                })
                .collect(),
            missing_rates: board.missing_rates,
        }
    }
}

/// A pipeline's board: its stages in order, each with its most recently changed deals and
/// its totals in TRY, over the deals you can see.
#[utoipa::path(get, path = "/deals/board", tag = "deals", params(
    ("pipeline_id" = i64, Query),
    ("cards" = Option<i64>, Query, description = "Cards per stage, 1–200, default 50")
), responses(
    (status = 200, body = BoardResponse),
    (status = 404, description = "No such pipeline", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn board(
    State(state): State<AppState>,
    caller: ApiUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<BoardResponse>, ApiError> {
    let mut errors = QueryErrors::default();
    let query = QueryParams::parse(raw.as_deref(), &[&["pipeline_id", "cards"]], &mut errors);
    let pipeline = query.integer("pipeline_id", 1..=i64::MAX, &mut errors);
    let cards = query.integer("cards", 1..=200, &mut errors);
    if pipeline.is_none() && errors.invalid.is_empty() {
        errors.invalid.add("pipeline_id", "invalid-required");
    }
    errors
        .into_result()
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let board = state
        .app
        .deal_board(
            &caller.actor(),
            pipeline.unwrap_or_default(),
            cards.map_or(BOARD_CARDS, |c| c.unsigned_abs()),
        )
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(board.into()))
}
