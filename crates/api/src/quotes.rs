//! `/api/v1/quotes`: so far the running total of a quote as it is typed
//! (`POST /quotes/preview-totals`), priced by the same checks and money rule a stored quote
//! will use (`rehber_app::pricing`). Nothing is stored.

use super::extract::{ApiBody, DocumentedBody};
use super::records::schema_fields;
use axum::Json;
use axum::extract::State;
use rehber_app::pricing::{DocumentDraft, PricedDocument, price_document};
use rehber_domain::pricing::LineDraft;
use rehber_web_core::auth::ApiUser;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::state::AppState;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use utoipa::ToSchema;

/// A decimal given as a string (`"2.5"`, `"2,5"`) or a JSON number (`2.5`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum DecimalText {
    Text(String),
    Number(serde_json::Number),
}

impl DecimalText {
    fn into_text(self) -> String {
        match self {
            DecimalText::Text(text) => text,
            DecimalText::Number(number) => number.to_string(),
        }
    }
}

/// A price per unit in minor units (kuruş), in the document's currency.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct UnitPriceInput {
    #[schema(example = 12345)]
    pub minor: i64,
    /// When given, the document's currency.
    pub currency: Option<String>,
}

/// One line of a quote.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct QuoteLineRequest {
    /// The product the line sells, if any (a free-text line has none).
    pub product_id: Option<i64>,
    /// Up to 1,000 characters; required on a stored quote.
    #[schema(example = "Endüstriyel fırın bakımı")]
    pub description: Option<String>,
    /// Above zero, at most three decimals: `"2.5"` (a string keeps it exact) or a number.
    #[schema(value_type = Option<String>, example = "2.5")]
    pub quantity: Option<DecimalText>,
    /// Net of KDV, per unit.
    pub unit_price: Option<UnitPriceInput>,
    /// 0–100, at most two decimals; absent is no discount.
    #[schema(value_type = Option<String>, example = "10")]
    pub discount_percent: Option<DecimalText>,
    /// 20, 10, 1 or 0.
    #[schema(example = 20)]
    pub vat_rate: Option<i64>,
    /// Required at 0 %: why the line carries no KDV (`351`).
    pub vat_exemption_code: Option<String>,
}

/// A quote as typed. The preview prices its lines only; the customer, the deal and the
/// validity are accepted so that one body serves the editor and, later, the stored quote.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct QuoteRequest {
    pub company_id: Option<i64>,
    pub person_id: Option<i64>,
    pub deal_id: Option<i64>,
    /// ISO 4217; `TRY` when absent.
    #[schema(example = "TRY")]
    pub currency: Option<String>,
    /// `YYYY-MM-DD`.
    pub valid_until: Option<String>,
    /// Up to 500 lines.
    pub lines: Option<Vec<QuoteLineRequest>>,
}

impl DocumentedBody for QuoteRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<QuoteRequest>)
    }
}

impl QuoteRequest {
    fn into_draft(self) -> DocumentDraft {
        DocumentDraft {
            currency: self.currency.unwrap_or_default(),
            lines: self
                .lines
                .unwrap_or_default()
                .into_iter()
                .map(|l| LineDraft {
                    product_id: l.product_id,
                    description: l.description.unwrap_or_default(),
                    quantity: l.quantity.map(DecimalText::into_text).unwrap_or_default(),
                    price_currency: l
                        .unit_price
                        .as_ref()
                        .and_then(|p| p.currency.clone())
                        .unwrap_or_default(),
                    unit_price: l.unit_price.map(|p| p.minor),
                    discount_percent: l
                        .discount_percent
                        .map(DecimalText::into_text)
                        .unwrap_or_default(),
                    vat_rate: l.vat_rate,
                    vat_exemption_code: l.vat_exemption_code.unwrap_or_default(),
                })
                .collect(),
        }
    }
}

/// An amount in minor units and its currency.
#[derive(Debug, Serialize, ToSchema)]
pub struct Amount {
    #[schema(example = 27777)]
    pub minor: i64,
    #[schema(example = "TRY")]
    pub currency: String,
}

/// A priced line: what was given, and its amounts by the money rule.
#[derive(Debug, Serialize, ToSchema)]
pub struct PricedLine {
    pub product_id: Option<i64>,
    pub description: String,
    #[schema(example = "2.5")]
    pub quantity: String,
    pub unit_price: Amount,
    #[schema(example = "10")]
    pub discount_percent: String,
    #[schema(example = 20)]
    pub vat_rate: u32,
    pub vat_exemption_code: Option<String>,
    /// Quantity × unit price, rounded to the kuruş.
    pub subtotal: Amount,
    pub discount: Amount,
    /// The tax base: subtotal − discount.
    pub net: Amount,
    pub vat: Amount,
    /// net + vat.
    pub gross: Amount,
}

/// A document's totals: the sums of its rounded lines.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentTotals {
    pub subtotal: Amount,
    pub discount: Amount,
    pub net: Amount,
    pub vat: Amount,
    pub gross: Amount,
}

/// The lines at one KDV rate.
#[derive(Debug, Serialize, ToSchema)]
pub struct VatSummaryLine {
    #[schema(example = 20)]
    pub vat_rate: u32,
    pub net: Amount,
    pub vat: Amount,
}

/// A priced quote that was not stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewResponse {
    pub currency: String,
    pub lines: Vec<PricedLine>,
    pub totals: DocumentTotals,
    /// One entry per KDV rate used, highest first.
    pub vat_summary: Vec<VatSummaryLine>,
    /// The total in Turkish words, as the PDF prints it.
    #[schema(example = "Yalnız bin iki yüz elli Türk lirası elli kuruş")]
    pub in_words: String,
}

impl From<PricedDocument> for PreviewResponse {
    fn from(p: PricedDocument) -> Self {
        let money = |minor: i64| Amount {
            minor,
            currency: p.currency.clone(),
        };
        let t = &p.totals;
        PreviewResponse {
            lines: p
                .lines
                .iter()
                .map(|(line, a)| PricedLine {
                    product_id: line.product_id,
                    description: line.description.clone(),
                    quantity: line.input.quantity.to_decimal_string(),
                    unit_price: money(line.input.unit_price),
                    discount_percent: line.input.discount.to_decimal_string(),
                    vat_rate: line.input.vat_rate.percent(),
                    vat_exemption_code: line.vat_exemption_code.clone(),
                    subtotal: money(a.subtotal),
                    discount: money(a.discount),
                    net: money(a.net),
                    vat: money(a.vat),
                    gross: money(a.gross),
                })
                .collect(),
            totals: DocumentTotals {
                subtotal: money(t.subtotal),
                discount: money(t.discount),
                net: money(t.net),
                vat: money(t.vat),
                gross: money(t.gross),
            },
            vat_summary: t
                .vat_summary
                .iter()
                .map(|s| VatSummaryLine {
                    vat_rate: s.rate.percent(),
                    net: money(s.net),
                    vat: money(s.vat),
                })
                .collect(),
            in_words: p.in_words.clone(),
            currency: p.currency.clone(),
        }
    }
}

/// Price a quote without storing it: each line's amounts, the totals and the KDV summary
/// by the money rule (per line: `gross = round(quantity × unit_price)`,
/// `discount = round(gross × discount_percent / 100)`, `net = gross − discount`,
/// `vat = round(net × vat_rate / 100)`, half away from zero; totals are sums of lines).
#[utoipa::path(post, path = "/quotes/preview-totals", tag = "quotes", request_body = QuoteRequest, responses(
    (status = 200, body = PreviewResponse),
    (status = 422, description = "Invalid fields, named by JSON pointer (`lines/1/quantity`)", body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn preview_totals(
    State(_state): State<AppState>,
    caller: ApiUser,
    body: ApiBody<QuoteRequest>,
) -> Result<Json<PreviewResponse>, ApiError> {
    let priced =
        price_document(&body.0.into_draft(), false).map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(priced.into()))
}
