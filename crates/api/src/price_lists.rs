//! `/api/v1/price-lists`: prices per currency, net of KDV or KDV-included, with quantity
//! breaks, the default list of a currency and lists given to customers. Everyone signed in
//! reads them; administrators and sales managers change them (`rehber_app::price_lists`).
//! A quote line with a product and no price takes the customer's list, then the default
//! list of the quote's currency, then the product's own price.

use super::document_lines::DecimalText;
use super::extract::{ApiBody, ApiId, DocumentedBody};
use super::records::schema_fields;
use super::{etag, expected_version};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rehber_app::price_lists::PriceListInput;
use rehber_domain::price_list::{PriceItemDraft, PriceList, PriceListDraft};
use rehber_web_core::auth::ApiUser;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::state::AppState;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use utoipa::ToSchema;

/// One price of a list.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PriceItemRequest {
    pub product_id: Option<i64>,
    /// The price applies from this quantity up (a quantity break); 1 when absent.
    #[schema(value_type = Option<String>, example = "10")]
    pub min_quantity: Option<DecimalText>,
    /// Per unit in minor units of the list's currency (KDV included when the list says so).
    pub unit_price: Option<super::document_lines::UnitPriceInput>,
}

/// A list to add, or its new state (PUT-like: `items`, `company_ids` and `person_ids`
/// replace the stored ones when given).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PriceListRequest {
    /// Required; unique ignoring case.
    #[schema(example = "Bayi fiyatları 2027")]
    pub name: Option<String>,
    /// ISO 4217; TRY when absent.
    pub currency: Option<String>,
    /// Prices include KDV; a quote line takes the net of them.
    pub vat_included: Option<bool>,
    /// The list every customer without a list of their own gets in this currency (the
    /// former default of the currency stops being one).
    pub is_default: Option<bool>,
    pub active: Option<bool>,
    pub items: Option<Vec<PriceItemRequest>>,
    /// Companies whose quotes take this list first.
    pub company_ids: Option<Vec<i64>>,
    /// People whose quotes take this list first.
    pub person_ids: Option<Vec<i64>>,
    pub version: Option<i64>,
}

impl DocumentedBody for PriceListRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<PriceListRequest>)
    }
}

impl PriceListRequest {
    /// The input over `base` (the stored list on PATCH).
    fn over(self, mut base: PriceListInput) -> (PriceListInput, Option<i64>) {
        if let Some(name) = self.name {
            base.list.name = name;
        }
        if let Some(currency) = self.currency {
            base.list.currency = currency;
        }
        if let Some(v) = self.vat_included {
            base.list.vat_included = v;
        }
        if let Some(v) = self.is_default {
            base.list.is_default = v;
        }
        if let Some(v) = self.active {
            base.list.active = v;
        }
        if let Some(items) = self.items {
            base.items = items
                .into_iter()
                .map(|i| PriceItemDraft {
                    product_id: i.product_id,
                    min_quantity: i
                        .min_quantity
                        .map(DecimalText::into_text)
                        .unwrap_or_default(),
                    unit_price: i.unit_price.map(|p| p.minor),
                })
                .collect();
        }
        if let Some(ids) = self.company_ids {
            base.companies = ids;
        }
        if let Some(ids) = self.person_ids {
            base.people = ids;
        }
        (base, self.version)
    }
}

fn stored_input(list: &PriceList) -> PriceListInput {
    let f = &list.fields;
    PriceListInput {
        list: PriceListDraft {
            name: f.name.clone(),
            currency: f.currency.clone(),
            vat_included: f.vat_included,
            is_default: f.is_default,
            active: f.active,
        },
        items: list
            .items
            .iter()
            .map(|i| PriceItemDraft {
                product_id: Some(i.product_id),
                min_quantity: i.min_quantity.to_decimal_string(),
                unit_price: Some(i.unit_price),
            })
            .collect(),
        companies: list.companies.clone(),
        people: list.people.clone(),
    }
}

/// A price of a stored list.
#[derive(Debug, Serialize, ToSchema)]
pub struct PriceItemResponse {
    pub product_id: i64,
    #[schema(example = "10")]
    pub min_quantity: String,
    pub unit_price: super::document_lines::Amount,
}

/// A stored list.
#[derive(Debug, Serialize, ToSchema)]
pub struct PriceListResponse {
    pub id: i64,
    pub name: String,
    pub currency: String,
    pub vat_included: bool,
    pub is_default: bool,
    pub active: bool,
    /// Left out of the list of lists.
    pub items: Vec<PriceItemResponse>,
    pub company_ids: Vec<i64>,
    pub person_ids: Vec<i64>,
    pub version: i64,
}

impl From<PriceList> for PriceListResponse {
    fn from(l: PriceList) -> Self {
        let currency = l.fields.currency.clone();
        PriceListResponse {
            id: l.id,
            items: l
                .items
                .iter()
                .map(|i| PriceItemResponse {
                    product_id: i.product_id,
                    min_quantity: i.min_quantity.to_decimal_string(),
                    unit_price: super::document_lines::Amount {
                        minor: i.unit_price,
                        currency: currency.clone(),
                    },
                })
                .collect(),
            name: l.fields.name,
            currency: l.fields.currency,
            vat_included: l.fields.vat_included,
            is_default: l.fields.is_default,
            active: l.fields.active,
            company_ids: l.companies,
            person_ids: l.people,
            version: l.version,
        }
    }
}

/// Every list.
#[derive(Debug, Serialize, ToSchema)]
pub struct PriceListPage {
    pub items: Vec<PriceListResponse>,
}

fn one(list: PriceList) -> impl IntoResponse {
    (etag(list.version), Json(PriceListResponse::from(list)))
}

/// Every price list by name (without their prices).
#[utoipa::path(get, path = "/price-lists", tag = "products", responses(
    (status = 200, body = PriceListPage)
))]
pub(super) async fn list(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<PriceListPage>, ApiError> {
    let lists = state
        .app
        .price_lists(&caller.actor())
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(PriceListPage {
        items: lists.into_iter().map(Into::into).collect(),
    }))
}

/// Add a price list (administrators and sales managers).
#[utoipa::path(post, path = "/price-lists", tag = "products", request_body = PriceListRequest, responses(
    (status = 201, body = PriceListResponse),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "The name is already used", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields (`items/0/unit_price`), an unknown product, a customer outside your scope", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn create(
    State(state): State<AppState>,
    caller: ApiUser,
    body: ApiBody<PriceListRequest>,
) -> Result<Response, ApiError> {
    let base = PriceListInput {
        list: PriceListDraft {
            active: true,
            ..PriceListDraft::default()
        },
        ..PriceListInput::default()
    };
    let (input, _) = body.0.over(base);
    let list = state
        .app
        .create_price_list(&caller.actor(), &input)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let location = format!("/api/v1/price-lists/{}", list.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        one(list),
    )
        .into_response())
}

/// One price list with its prices and customers.
#[utoipa::path(get, path = "/price-lists/{id}", tag = "products", params(("id" = i64, Path)), responses(
    (status = 200, body = PriceListResponse),
    (status = 404, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn get(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Response, ApiError> {
    let list = state
        .app
        .price_list(&caller.actor(), id)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(one(list).into_response())
}

/// Change a price list (administrators and sales managers); `items`, `company_ids` and
/// `person_ids` replace the stored ones when given.
#[utoipa::path(patch, path = "/price-lists/{id}", tag = "products", params(("id" = i64, Path)), request_body = PriceListRequest, responses(
    (status = 200, body = PriceListResponse),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn update(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    headers: HeaderMap,
    body: ApiBody<PriceListRequest>,
) -> Result<Response, ApiError> {
    let actor = caller.actor();
    let stored = state
        .app
        .price_list(&actor, id)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let (input, version) = body.0.over(stored_input(&stored));
    let version = expected_version(caller.lang, &headers, version)?;
    let list = state
        .app
        .update_price_list(&actor, id, version, &input)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(one(list).into_response())
}
