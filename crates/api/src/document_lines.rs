//! The wire shape of document lines and amounts, shared by quotes, their preview, orders,
//! products and deals: a decimal typed as text or number, a unit price, a line as typed, and
//! a priced line with its amounts by the money rule.

use rehber_domain::pricing::LineDraft;
use rehber_domain::quote::DocumentLine;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A decimal given as a string (`"2.5"`, `"2,5"`) or a JSON number (`2.5`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum DecimalText {
    Text(String),
    Number(serde_json::Number),
}

impl DecimalText {
    pub(crate) fn into_text(self) -> String {
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
    /// A UN/ECE unit code (`C62` piece, `KGM`, `HUR`, …); the product's, else `C62`.
    pub unit: Option<String>,
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

impl QuoteLineRequest {
    /// The line as the services read it.
    pub(crate) fn into_draft(self) -> LineDraft {
        LineDraft {
            product_id: self.product_id,
            description: self.description.unwrap_or_default(),
            unit: self.unit.unwrap_or_default(),
            quantity: self
                .quantity
                .map(DecimalText::into_text)
                .unwrap_or_default(),
            price_currency: self
                .unit_price
                .as_ref()
                .and_then(|p| p.currency.clone())
                .unwrap_or_default(),
            unit_price: self.unit_price.map(|p| p.minor),
            discount_percent: self
                .discount_percent
                .map(DecimalText::into_text)
                .unwrap_or_default(),
            vat_rate: self.vat_rate,
            vat_exemption_code: self.vat_exemption_code.unwrap_or_default(),
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
    /// 1, 2, … on a stored document (shipments and returns name lines by it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<i64>,
    pub product_id: Option<i64>,
    pub description: String,
    /// The UN/ECE unit code of a stored line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
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

impl PricedLine {
    /// A stored line in `currency`.
    pub(crate) fn stored(line: &DocumentLine, currency: &str) -> PricedLine {
        let money = |minor: i64| Amount {
            minor,
            currency: currency.to_string(),
        };
        let a = &line.amounts;
        PricedLine {
            position: Some(line.position),
            product_id: line.product_id,
            description: line.description.clone(),
            unit: Some(line.unit.clone()),
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
        }
    }
}
