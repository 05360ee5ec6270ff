//! `/api/v1/products`: the product catalogue quotes pick their lines from. Everyone signed
//! in reads it; administrators and sales managers add and change products (the service's
//! rules: `rehber_app::products`). A product is made inactive, never deleted.

use super::document_lines::{Amount, UnitPriceInput};
use super::extract::{ApiBody, ApiId, DocumentedBody};
use super::records::schema_fields;
use super::{etag, expected_version};
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rehber_app::ProductFilter;
use rehber_app::products::ProductPatch;
use rehber_domain::product::{Product, ProductDraft};
use rehber_web_core::auth::ApiUser;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::query::{QueryErrors, QueryParams};
use rehber_web_core::state::AppState;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use utoipa::ToSchema;

const DEFAULT_LIMIT: i64 = 50;

/// A product to add, or the fields of one to change (PATCH: absent fields stay).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ProductRequest {
    /// The stock code, unique ignoring case, without spaces; up to 64 characters. Required
    /// on create.
    #[schema(example = "FRN-200")]
    pub sku: Option<String>,
    /// Required on create; up to 200 characters.
    #[schema(example = "Endüstriyel fırın")]
    pub name: Option<String>,
    pub description: Option<String>,
    /// A UN/ECE unit code as e-Fatura writes it: `C62` piece (the default), `KGM`, `GRM`,
    /// `LTR`, `MTR`, `MTK`, `MTQ`, `HUR`, `DAY`, `MON`, `SET`, `BX`.
    #[schema(example = "C62")]
    pub unit: Option<String>,
    /// 20, 10, 1 or 0; required on create.
    #[schema(example = 20)]
    pub vat_rate: Option<i64>,
    /// Required at 0 %: why the product carries no KDV (`351`).
    pub vat_exemption_code: Option<String>,
    /// The list price per unit, net of KDV; required on create. `currency` defaults to TRY.
    pub price: Option<UnitPriceInput>,
    /// `false` keeps it on old documents and out of new lines; `true` when absent on create.
    pub active: Option<bool>,
    /// The version read (PATCH), instead of an `If-Match` header.
    pub version: Option<i64>,
}

impl DocumentedBody for ProductRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<ProductRequest>)
    }
}

impl ProductRequest {
    fn into_patch(self) -> (ProductPatch, Option<i64>) {
        let (price_minor, currency) = match self.price {
            Some(p) => (Some(p.minor), Some(p.currency.unwrap_or_default())),
            None => (None, None),
        };
        (
            ProductPatch {
                sku: self.sku,
                name: self.name,
                description: self.description,
                unit: self.unit,
                vat_rate: self.vat_rate,
                vat_exemption_code: self.vat_exemption_code,
                price_minor,
                currency,
                active: self.active,
            },
            self.version,
        )
    }
}

/// A stored product.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductResponse {
    pub id: i64,
    pub sku: String,
    pub name: String,
    pub description: String,
    #[schema(example = "C62")]
    pub unit: String,
    #[schema(example = 20)]
    pub vat_rate: u32,
    pub vat_exemption_code: Option<String>,
    pub price: Amount,
    pub active: bool,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Product> for ProductResponse {
    fn from(p: Product) -> Self {
        let f = p.fields;
        ProductResponse {
            id: p.id,
            sku: f.sku,
            name: f.name,
            description: f.description,
            unit: f.unit,
            vat_rate: f.vat_rate.percent(),
            vat_exemption_code: f.vat_exemption_code,
            price: Amount {
                minor: f.price_minor,
                currency: f.currency,
            },
            active: f.active,
            version: p.version,
            created_at: p.created_at.to_string(),
            updated_at: p.updated_at.to_string(),
        }
    }
}

/// A page of products by name.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductPage {
    pub items: Vec<ProductResponse>,
    pub next_cursor: Option<String>,
}

fn one(product: Product) -> impl IntoResponse {
    (etag(product.version), Json(ProductResponse::from(product)))
}

/// A cursor is the id of the last product of the page before.
fn parse_cursor(text: &str) -> Option<i64> {
    text.strip_prefix('p')?.parse().ok().filter(|id| *id > 0)
}

/// The catalogue by name: every product, or those whose SKU or name matches `q`.
#[utoipa::path(get, path = "/products", tag = "products", params(
    ("q" = Option<String>, Query, description = "Part of the SKU or the name (Turkish-aware)"),
    ("active" = Option<bool>, Query, description = "`true`: active products only"),
    ("limit" = Option<i64>, Query, description = "1–200, default 50"),
    ("cursor" = Option<String>, Query, description = "The `next_cursor` of the page before")
), responses(
    (status = 200, body = ProductPage),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn list(
    State(state): State<AppState>,
    caller: ApiUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<ProductPage>, ApiError> {
    let mut errors = QueryErrors::default();
    let params = QueryParams::parse(
        raw.as_deref(),
        &[&["q", "active", "limit", "cursor"]],
        &mut errors,
    );
    let q = params.text("q", 200, &mut errors);
    let active_only = params.boolean("active", &mut errors).unwrap_or(false);
    let limit = params
        .integer(
            "limit",
            1..=i64::from(rehber_app::MAX_PRODUCT_PAGE),
            &mut errors,
        )
        .unwrap_or(DEFAULT_LIMIT);
    let cursor = params.text("cursor", 30, &mut errors);
    let after_id = match cursor.as_deref() {
        None => None,
        Some(text) => match parse_cursor(text) {
            Some(id) => Some(id),
            None => {
                errors.invalid.add("cursor", "invalid-cursor");
                None
            }
        },
    };
    errors
        .into_result()
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let actor = caller.actor();
    // The cursor names a product; the page goes on after it in name order.
    let after = match after_id {
        None => None,
        Some(id) => {
            let last = state.app.product(&actor, id).await.map_err(|_| {
                ApiError::new(
                    caller.lang,
                    rehber_domain::Error::field("cursor", "invalid-cursor"),
                )
            })?;
            Some((
                rehber_domain::validate::text::search_key(&last.fields.name),
                last.id,
            ))
        }
    };
    let filter = ProductFilter {
        q,
        active_only,
        after,
        limit: u32::try_from(limit).unwrap_or(1),
    };
    let (items, more) = state
        .app
        .products(&actor, &filter)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let next_cursor = if more {
        items.last().map(|p| format!("p{}", p.id))
    } else {
        None
    };
    Ok(Json(ProductPage {
        items: items.into_iter().map(Into::into).collect(),
        next_cursor,
    }))
}

/// Add a product (administrators and sales managers).
#[utoipa::path(post, path = "/products", tag = "products", request_body = ProductRequest, responses(
    (status = 201, body = ProductResponse),
    (status = 403, description = "Only administrators and sales managers change the catalogue", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "The SKU is already used", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn create(
    State(state): State<AppState>,
    caller: ApiUser,
    body: ApiBody<ProductRequest>,
) -> Result<Response, ApiError> {
    let (patch, _) = body.0.into_patch();
    let mut draft = ProductDraft {
        active: true,
        ..ProductDraft::default()
    };
    patch.apply(&mut draft);
    let product = state
        .app
        .create_product(&caller.actor(), &draft)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let location = format!("/api/v1/products/{}", product.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        one(product),
    )
        .into_response())
}

/// One product.
#[utoipa::path(get, path = "/products/{id}", tag = "products", params(("id" = i64, Path)), responses(
    (status = 200, body = ProductResponse),
    (status = 404, description = "No such product", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn get(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Response, ApiError> {
    let product = state
        .app
        .product(&caller.actor(), id)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(one(product).into_response())
}

/// Change a product (administrators and sales managers); `"active": false` retires it.
#[utoipa::path(patch, path = "/products/{id}", tag = "products", params(("id" = i64, Path)), request_body = ProductRequest, responses(
    (status = 200, body = ProductResponse),
    (status = 403, description = "Only administrators and sales managers change the catalogue", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such product", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Changed by someone else since the version given, or the SKU is already used", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn update(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    headers: HeaderMap,
    body: ApiBody<ProductRequest>,
) -> Result<Response, ApiError> {
    let (patch, version) = body.0.into_patch();
    let version = expected_version(caller.lang, &headers, version)?;
    let product = state
        .app
        .update_product(&caller.actor(), id, version, patch)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(one(product).into_response())
}
