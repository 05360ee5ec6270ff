//! `/api/v1/orders`: the order an accepted quote becomes (`POST /quotes/{id}/order`, once
//! per quote), its delivery status, shipments and returns (the service's rules:
//! `rehber_app::orders`).

use super::document_lines::{Amount, DocumentTotals, PricedLine};
use super::extract::{ApiBody, ApiId, DocumentedBody, OptionalBody};
use super::records::schema_fields;
use super::{etag, expected_version};
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rehber_app::orders::{LineQuantityDraft, OrderPatch, OrderView, ShipmentDraft};
use rehber_domain::Error;
use rehber_web_core::auth::ApiUser;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::query::{QueryErrors, QueryParams};
use rehber_web_core::state::AppState;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use utoipa::ToSchema;

/// How much of one order line (by its `position`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LineQuantity {
    #[schema(example = 1)]
    pub position: i64,
    /// Above zero, at most three decimals.
    #[schema(value_type = String, example = "1")]
    pub quantity: super::document_lines::DecimalText,
}

/// A shipment made.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShipmentResponse {
    pub id: i64,
    /// `YYYY-MM-DD`.
    pub shipped_on: String,
    pub carrier: String,
    pub tracking_no: String,
    pub lines: Vec<ShippedLine>,
    pub created_at: String,
}

/// A quantity of one line.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShippedLine {
    pub position: i64,
    #[schema(example = "1.5")]
    pub quantity: String,
}

/// A return of shipped goods.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReturnResponse {
    pub id: i64,
    /// `requested`, `approved`, `received`, `credited` or `rejected`.
    pub status: String,
    pub reason: String,
    pub lines: Vec<ShippedLine>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// An order line with what was shipped and returned of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderLineResponse {
    #[serde(flatten)]
    pub line: PricedLine,
    #[schema(example = "1")]
    pub shipped: String,
    pub returned: String,
}

/// An order with its lines, shipments and returns.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderResponse {
    pub id: i64,
    /// `SIP-2026-000045`.
    pub number: String,
    pub quote_id: i64,
    /// `confirmed`, `preparing`, `partially_shipped`, `shipped`, `delivered`, `closed` or
    /// `cancelled`.
    #[schema(example = "confirmed")]
    pub status: String,
    pub company_id: Option<i64>,
    pub person_id: Option<i64>,
    pub deal_id: Option<i64>,
    pub currency: String,
    pub lines: Vec<OrderLineResponse>,
    pub totals: DocumentTotals,
    pub delivery_address: String,
    pub requested_date: Option<String>,
    pub notes: String,
    pub shipments: Vec<ShipmentResponse>,
    pub returns: Vec<ReturnResponse>,
    pub owner_id: Option<i64>,
    pub team_id: Option<i64>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

fn quantity_text(thousandths: i64) -> String {
    rehber_domain::pricing::Quantity::from_thousandths(thousandths)
        .map(|q| q.to_decimal_string())
        .unwrap_or_else(|_| "0".into())
}

fn quantities(lines: &[(i64, rehber_domain::pricing::Quantity)]) -> Vec<ShippedLine> {
    lines
        .iter()
        .map(|(position, q)| ShippedLine {
            position: *position,
            quantity: q.to_decimal_string(),
        })
        .collect()
}

impl From<OrderView> for OrderResponse {
    fn from(view: OrderView) -> Self {
        let o = &view.order;
        let money = |minor: i64| Amount {
            minor,
            currency: o.currency.clone(),
        };
        let lines = o
            .lines
            .iter()
            .map(|l| OrderLineResponse {
                line: PricedLine::stored(l, &o.currency),
                shipped: quantity_text(view.shipped(l.position)),
                returned: quantity_text(view.returned(l.position)),
            })
            .collect();
        let sum = |part: fn(&rehber_domain::pricing::LineAmounts) -> i64| {
            o.lines.iter().map(|l| part(&l.amounts)).sum::<i64>()
        };
        OrderResponse {
            id: o.id,
            number: o.number.clone(),
            quote_id: o.quote_id,
            status: o.status.as_str().into(),
            company_id: o.parties.company_id.map(|c| c.0),
            person_id: o.parties.person_id.map(|p| p.0),
            deal_id: o.parties.deal_id.map(|d| d.0),
            currency: o.currency.clone(),
            lines,
            totals: DocumentTotals {
                subtotal: money(sum(|a| a.subtotal)),
                discount: money(sum(|a| a.discount)),
                net: money(o.totals.net),
                vat: money(o.totals.vat),
                gross: money(o.totals.gross),
            },
            delivery_address: o.delivery_address.clone(),
            requested_date: o.requested_date.map(|d| d.to_string()),
            notes: o.notes.clone(),
            shipments: view
                .shipments
                .iter()
                .map(|s| ShipmentResponse {
                    id: s.id,
                    shipped_on: s.shipped_on.to_string(),
                    carrier: s.carrier.clone(),
                    tracking_no: s.tracking_no.clone(),
                    lines: quantities(&s.lines),
                    created_at: s.created_at.to_string(),
                })
                .collect(),
            returns: view
                .returns
                .iter()
                .map(|r| ReturnResponse {
                    id: r.id,
                    status: r.status.as_str().into(),
                    reason: r.reason.clone(),
                    lines: quantities(&r.lines),
                    version: r.version,
                    created_at: r.created_at.to_string(),
                    updated_at: r.updated_at.to_string(),
                })
                .collect(),
            owner_id: o.owner_id.map(|u| u.0),
            team_id: o.team_id.map(|t| t.0),
            version: o.version,
            created_at: o.created_at.to_string(),
            updated_at: o.updated_at.to_string(),
        }
    }
}

fn one(view: OrderView) -> impl IntoResponse {
    (etag(view.order.version), Json(OrderResponse::from(view)))
}

fn fail(caller: &ApiUser) -> impl Fn(rehber_app::AppError) -> ApiError + '_ {
    move |e| ApiError::new(caller.lang, e)
}

/// Make the order of an accepted quote: 201 with the order the first time, 200 with the
/// same order on every later call. A quote that is not accepted is a 409.
#[utoipa::path(post, path = "/quotes/{id}/order", tag = "orders", params(("id" = i64, Path)), responses(
    (status = 201, description = "The order was made", body = OrderResponse),
    (status = 200, description = "The order made before", body = OrderResponse),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "The quote is not accepted", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn from_quote(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Response, ApiError> {
    let actor = caller.actor();
    let (order, made) = state
        .app
        .order_from_quote(&actor, id)
        .await
        .map_err(fail(&caller))?;
    let view = state
        .app
        .order(&actor, order.id)
        .await
        .map_err(fail(&caller))?;
    let location = format!("/api/v1/orders/{}", order.id);
    let status = if made {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, [(header::LOCATION, location)], one(view)).into_response())
}

/// A page of orders.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderPage {
    pub items: Vec<OrderResponse>,
    pub next_offset: Option<u64>,
}

/// The orders you can see, most recently changed first (lines and shipments included).
#[utoipa::path(get, path = "/orders", tag = "orders", params(
    ("limit" = Option<i64>, Query, description = "1–200, default 50"),
    ("offset" = Option<i64>, Query)
), responses(
    (status = 200, body = OrderPage),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn list(
    State(state): State<AppState>,
    caller: ApiUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<OrderPage>, ApiError> {
    let mut errors = QueryErrors::default();
    let params = QueryParams::parse(raw.as_deref(), &[&["limit", "offset"]], &mut errors);
    let limit = params.integer("limit", 1..=200, &mut errors).unwrap_or(50);
    let offset = params
        .integer("offset", 0..=1_000_000, &mut errors)
        .unwrap_or(0);
    errors
        .into_result()
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let actor = caller.actor();
    let offset = u64::try_from(offset).unwrap_or(0);
    let (orders, more) = state
        .app
        .orders(&actor, u32::try_from(limit).unwrap_or(50), offset)
        .await
        .map_err(fail(&caller))?;
    let mut items = Vec::with_capacity(orders.len());
    for order in &orders {
        let view = state
            .app
            .order(&actor, order.id)
            .await
            .map_err(fail(&caller))?;
        items.push(view.into());
    }
    Ok(Json(OrderPage {
        next_offset: more.then(|| offset + orders.len() as u64),
        items,
    }))
}

/// One order with its lines, shipments and returns.
#[utoipa::path(get, path = "/orders/{id}", tag = "orders", params(("id" = i64, Path)), responses(
    (status = 200, body = OrderResponse),
    (status = 404, description = "No such order in your scope", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn get(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Response, ApiError> {
    let view = state
        .app
        .order(&caller.actor(), id)
        .await
        .map_err(fail(&caller))?;
    Ok(one(view).into_response())
}

/// A change of an order: its delivery details, or its status by hand (confirmed →
/// preparing; shipped → delivered → closed; confirmed or preparing → cancelled while
/// nothing is shipped). Shipping statuses follow the shipments.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct OrderRequest {
    pub status: Option<String>,
    pub delivery_address: Option<String>,
    /// `YYYY-MM-DD`; `""` clears it.
    pub requested_date: Option<String>,
    pub notes: Option<String>,
    pub version: Option<i64>,
}

impl DocumentedBody for OrderRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<OrderRequest>)
    }
}

/// Change an order's delivery details or status.
#[utoipa::path(patch, path = "/orders/{id}", tag = "orders", params(("id" = i64, Path)), request_body = OrderRequest, responses(
    (status = 200, body = OrderResponse),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "A status step not allowed from the order's status, or changed since the version given", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn update(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    headers: HeaderMap,
    body: ApiBody<OrderRequest>,
) -> Result<Response, ApiError> {
    let b = body.0;
    let patch = OrderPatch {
        version: expected_version(caller.lang, &headers, b.version)?,
        status: b.status,
        delivery_address: b.delivery_address,
        requested_date: b.requested_date,
        notes: b.notes,
    };
    let view = state
        .app
        .update_order(&caller.actor(), id, &patch)
        .await
        .map_err(fail(&caller))?;
    Ok(one(view).into_response())
}

fn line_drafts(lines: Option<Vec<LineQuantity>>) -> Vec<LineQuantityDraft> {
    lines
        .unwrap_or_default()
        .into_iter()
        .map(|l| LineQuantityDraft {
            position: l.position,
            quantity: l.quantity.into_text(),
        })
        .collect()
}

/// A shipment; without `lines` everything still open is shipped.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ShipmentRequest {
    /// `YYYY-MM-DD`; today when absent.
    pub shipped_on: Option<String>,
    pub carrier: Option<String>,
    pub tracking_no: Option<String>,
    pub lines: Option<Vec<LineQuantity>>,
}

impl DocumentedBody for ShipmentRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<ShipmentRequest>)
    }
}

/// Record a shipment: at most what is still open of each line. The order becomes partially
/// shipped or shipped; 201 with the order.
#[utoipa::path(post, path = "/orders/{id}/shipments", tag = "orders", params(("id" = i64, Path)), request_body(content = Option<ShipmentRequest>), responses(
    (status = 201, body = OrderResponse),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Cancelled, delivered or closed, or a shipment made meanwhile", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "More than is open of a line (`lines/0/quantity`), an unknown line", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn ship(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    OptionalBody(body): OptionalBody<ShipmentRequest>,
) -> Result<Response, ApiError> {
    let draft = ShipmentDraft {
        shipped_on: body.shipped_on.unwrap_or_default(),
        carrier: body.carrier.unwrap_or_default(),
        tracking_no: body.tracking_no.unwrap_or_default(),
        lines: line_drafts(body.lines),
    };
    let (view, _) = state
        .app
        .ship_order(&caller.actor(), id, &draft)
        .await
        .map_err(fail(&caller))?;
    Ok((StatusCode::CREATED, one(view)).into_response())
}

/// A return request of shipped goods.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ReturnRequest {
    /// Required.
    pub reason: Option<String>,
    /// Without `lines`, everything shipped and not yet returned.
    pub lines: Option<Vec<LineQuantity>>,
}

impl DocumentedBody for ReturnRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<ReturnRequest>)
    }
}

/// Request a return of shipped goods (status `requested`); 201 with the order.
#[utoipa::path(post, path = "/orders/{id}/returns", tag = "orders", params(("id" = i64, Path)), request_body = ReturnRequest, responses(
    (status = 201, body = OrderResponse),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "No reason, or more than was shipped and not yet returned", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn request_return(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    body: ApiBody<ReturnRequest>,
) -> Result<Response, ApiError> {
    let b = body.0;
    let (view, _) = state
        .app
        .request_return(
            &caller.actor(),
            id,
            &b.reason.unwrap_or_default(),
            &line_drafts(b.lines),
        )
        .await
        .map_err(fail(&caller))?;
    Ok((StatusCode::CREATED, one(view)).into_response())
}

/// A return's next status.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ReturnStatusRequest {
    /// `approved`, `received`, `credited` or `rejected`.
    pub status: Option<String>,
    pub version: Option<i64>,
}

impl DocumentedBody for ReturnStatusRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<ReturnStatusRequest>)
    }
}

/// Move a return along requested → approved → received → credited, or reject a request.
#[utoipa::path(patch, path = "/orders/{id}/returns/{return_id}", tag = "orders", params(("id" = i64, Path), ("return_id" = i64, Path)), request_body = ReturnStatusRequest, responses(
    (status = 200, body = OrderResponse),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "A step not allowed from the return's status", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn return_status(
    State(state): State<AppState>,
    caller: ApiUser,
    Path((id, return_id)): Path<(String, String)>,
    body: ApiBody<ReturnStatusRequest>,
) -> Result<Response, ApiError> {
    let parse = |text: &str| text.parse::<i64>().ok().filter(|id| *id > 0);
    let (Some(id), Some(return_id)) = (parse(&id), parse(&return_id)) else {
        return Err(ApiError::new(caller.lang, Error::NotFound));
    };
    let b = body.0;
    let view = state
        .app
        .set_return_status(
            &caller.actor(),
            id,
            return_id,
            &b.status.unwrap_or_default(),
            b.version,
        )
        .await
        .map_err(fail(&caller))?;
    Ok(one(view).into_response())
}
