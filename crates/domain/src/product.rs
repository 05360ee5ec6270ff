//! Products: what quotes, orders and invoices sell. A product has a stock code (SKU) unique
//! ignoring case, a name, a unit as e-Fatura writes it (UN/ECE codes: C62 piece, KGM
//! kilogram, …), a KDV rate with its exemption code when 0 %, a list price net of KDV in a
//! currency, and an active flag: an inactive product stays on old documents but is not
//! offered for new lines.

use crate::error::FieldErrors;
use crate::money::is_currency;
use crate::pricing::{VatRate, check_exemption};
use serde::Serialize;

/// The longest SKU, in characters.
pub const MAX_SKU: usize = 64;
/// The longest name, in characters.
pub const MAX_NAME: usize = 200;
/// The longest description, in characters.
pub const MAX_DESCRIPTION: usize = 2_000;

/// The units Rehber offers, by their UN/ECE code (as e-Fatura writes them).
pub const UNITS: [&str; 12] = [
    "C62", "KGM", "GRM", "LTR", "MTR", "MTK", "MTQ", "HUR", "DAY", "MON", "SET", "BX",
];

/// A product as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductDraft {
    pub sku: String,
    pub name: String,
    pub description: String,
    /// A UN/ECE unit code; empty is C62 (piece).
    pub unit: String,
    /// 20, 10, 1 or 0.
    pub vat_rate: Option<i64>,
    pub vat_exemption_code: String,
    /// Net of KDV, in minor units.
    pub price_minor: Option<i64>,
    /// ISO 4217; empty is TRY.
    pub currency: String,
    pub active: bool,
}

/// A checked product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProductFields {
    pub sku: String,
    pub name: String,
    pub description: String,
    pub unit: String,
    pub vat_rate: VatRate,
    pub vat_exemption_code: Option<String>,
    pub price_minor: i64,
    pub currency: String,
    pub active: bool,
}

/// A stored product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub id: i64,
    pub fields: ProductFields,
    pub version: i64,
    pub created_at: jiff::Timestamp,
    pub updated_at: jiff::Timestamp,
}

impl Product {
    /// The draft that would store it again (the start of a change).
    pub fn draft(&self) -> ProductDraft {
        let f = &self.fields;
        ProductDraft {
            sku: f.sku.clone(),
            name: f.name.clone(),
            description: f.description.clone(),
            unit: f.unit.clone(),
            vat_rate: Some(i64::from(f.vat_rate.percent())),
            vat_exemption_code: f.vat_exemption_code.clone().unwrap_or_default(),
            price_minor: Some(f.price_minor),
            currency: f.currency.clone(),
            active: f.active,
        }
    }
}

pub(crate) fn text(
    value: &str,
    max: usize,
    required: bool,
    field: &str,
    errors: &mut FieldErrors,
) -> String {
    let value = value.trim().to_string();
    if required && value.is_empty() {
        errors.add(field, "invalid-required");
    } else if value.chars().count() > max {
        errors.add(field, "invalid-too-long");
    } else if value.chars().any(|c| c.is_control() && c != '\n') {
        errors.add(field, "invalid-control-character");
    }
    value
}

impl ProductDraft {
    /// Checks every field at once.
    pub fn validate(&self) -> Result<ProductFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        let sku = text(&self.sku, MAX_SKU, true, "sku", &mut errors);
        if sku.chars().any(char::is_whitespace) {
            errors.add("sku", "invalid-sku");
        }
        let name = text(&self.name, MAX_NAME, true, "name", &mut errors);
        let description = text(
            &self.description,
            MAX_DESCRIPTION,
            false,
            "description",
            &mut errors,
        );
        let unit = match self.unit.trim().to_ascii_uppercase() {
            empty if empty.is_empty() => "C62".to_string(),
            code => {
                if !UNITS.contains(&code.as_str()) {
                    errors.add("unit", "invalid-unit");
                }
                code
            }
        };
        let vat_rate = match self.vat_rate.map(VatRate::from_percent) {
            None => {
                errors.add("vat_rate", "invalid-required");
                None
            }
            Some(Err(_)) => {
                errors.add("vat_rate", "invalid-vat-rate");
                None
            }
            Some(Ok(rate)) => Some(rate),
        };
        let vat_exemption_code = vat_rate.and_then(|rate| {
            check_exemption(
                rate,
                &self.vat_exemption_code,
                "vat_exemption_code",
                &mut errors,
            )
        });
        let price_minor = match self.price_minor {
            None => {
                errors.add("price", "invalid-required");
                0
            }
            Some(minor) if minor < 0 => {
                errors.add("price", "invalid-amount");
                0
            }
            Some(minor) => minor,
        };
        let currency = match self.currency.trim().to_ascii_uppercase() {
            empty if empty.is_empty() => "TRY".to_string(),
            code => {
                if !is_currency(&code) {
                    errors.add("price", "invalid-currency");
                }
                code
            }
        };
        if errors.is_empty() {
            Ok(ProductFields {
                sku,
                name,
                description,
                unit,
                vat_rate: vat_rate.unwrap_or(VatRate::ZERO),
                vat_exemption_code,
                price_minor,
                currency,
                active: self.active,
            })
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn oven() -> ProductDraft {
        ProductDraft {
            sku: "FRN-200".into(),
            name: "Endüstriyel fırın".into(),
            vat_rate: Some(20),
            price_minor: Some(12_500_000),
            active: true,
            ..ProductDraft::default()
        }
    }

    #[test]
    fn a_product_takes_piece_and_lira_unless_told_otherwise() {
        let fields = oven().validate().unwrap();
        assert_eq!(
            (fields.unit.as_str(), fields.currency.as_str()),
            ("C62", "TRY")
        );
        assert_eq!(fields.vat_rate.percent(), 20);
        assert_eq!(fields.vat_exemption_code, None);
        assert_eq!(
            Product {
                id: 1,
                fields: fields.clone(),
                version: 1,
                created_at: jiff::Timestamp::UNIX_EPOCH,
                updated_at: jiff::Timestamp::UNIX_EPOCH
            }
            .draft()
            .validate()
            .unwrap(),
            fields
        );
    }

    #[test]
    fn every_wrong_field_is_named() {
        let draft = ProductDraft {
            sku: "FRN 200".into(),
            name: String::new(),
            unit: "adet".into(),
            vat_rate: Some(0),
            price_minor: Some(-5),
            currency: "TL".into(),
            ..ProductDraft::default()
        };
        let fields: Vec<String> = draft
            .validate()
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "sku",
                "name",
                "unit",
                "vat_exemption_code",
                "price",
                "price"
            ]
        );
        let mut eighteen = oven();
        eighteen.vat_rate = Some(18);
        assert_eq!(
            eighteen.validate().unwrap_err().0[0].code,
            "invalid-vat-rate"
        );
    }
}
