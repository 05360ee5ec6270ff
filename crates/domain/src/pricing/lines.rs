//! Document lines as a client types them (an API body, the quote editor) checked into
//! [`LineInput`]s. Every refusal is named by a JSON pointer into the body
//! (`lines/1/quantity`), all of them at once, so the editor marks each wrong cell.

use super::{Discount, LineInput, PricingInvalid, Quantity, VatRate};
use crate::error::FieldErrors;

/// The most lines a document may have.
pub const MAX_LINES: usize = 500;
/// The longest line description, in characters.
pub const MAX_DESCRIPTION: usize = 1_000;
/// The longest KDV exemption code (`351`, `301`).
pub const MAX_EXEMPTION_CODE: usize = 10;

/// One line as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineDraft {
    pub product_id: Option<i64>,
    pub description: String,
    /// A UN/ECE unit code; empty takes the product's, or `C62` (piece).
    pub unit: String,
    /// Up to three decimals (`2.5`, `2,5`).
    pub quantity: String,
    /// Per unit, net of KDV, in minor units.
    pub unit_price: Option<i64>,
    /// The price's currency when the client names one; it must be the document's.
    pub price_currency: String,
    /// `10`, `12.5`; empty is no discount.
    pub discount_percent: String,
    /// 20, 10, 1 or 0.
    pub vat_rate: Option<i64>,
    /// Why a 0 % line carries no KDV (an exemption code such as `351`).
    pub vat_exemption_code: String,
}

/// A line that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedLine {
    pub input: LineInput,
    pub product_id: Option<i64>,
    pub description: String,
    /// Kept for 0 % lines only.
    pub vat_exemption_code: Option<String>,
}

/// The exemption code a line or product at `rate` keeps: required at 0 %, ignored otherwise.
pub fn check_exemption(
    rate: VatRate,
    typed: &str,
    field: &str,
    errors: &mut FieldErrors,
) -> Option<String> {
    if rate != VatRate::ZERO {
        return None;
    }
    let code = typed.trim();
    if code.is_empty() {
        errors.add(field, "invalid-vat-exemption-required");
    } else if code.chars().count() > MAX_EXEMPTION_CODE
        || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        errors.add(field, "invalid-vat-exemption-code");
    }
    Some(code.to_string())
}

fn pricing_code(invalid: PricingInvalid) -> &'static str {
    match invalid {
        PricingInvalid::NotANumber => "invalid-number",
        PricingInvalid::TooManyDecimals => "invalid-quantity-decimals",
        PricingInvalid::NotPositive => "invalid-quantity-positive",
        PricingInvalid::OverHundred => "invalid-percent",
        PricingInvalid::UnknownRate => "invalid-vat-rate",
        PricingInvalid::TooLarge => "invalid-amount-too-large",
    }
}

/// Checks every line; the refusals go into `errors`. With `require_description`, a line
/// needs a text (a stored document); the editor's running total does not.
pub fn check_lines(
    drafts: &[LineDraft],
    require_description: bool,
    errors: &mut FieldErrors,
) -> Vec<CheckedLine> {
    if drafts.len() > MAX_LINES {
        errors.add("lines", "invalid-too-many-lines");
        return Vec::new();
    }
    drafts
        .iter()
        .enumerate()
        .filter_map(|(index, draft)| check_line(index, draft, require_description, errors))
        .collect()
}

fn check_line(
    index: usize,
    draft: &LineDraft,
    require_description: bool,
    errors: &mut FieldErrors,
) -> Option<CheckedLine> {
    let at = |field: &str| format!("lines/{index}/{field}");
    let before = errors.0.len();
    let description = draft.description.trim().to_string();
    if description.chars().count() > MAX_DESCRIPTION {
        errors.add(at("description"), "invalid-too-long");
    } else if require_description && description.is_empty() {
        errors.add(at("description"), "invalid-required");
    } else if description.chars().any(|c| c.is_control() && c != '\n') {
        errors.add(at("description"), "invalid-control-character");
    }
    let quantity = if draft.quantity.trim().is_empty() {
        errors.add(at("quantity"), "invalid-required");
        None
    } else {
        Quantity::parse(&draft.quantity)
            .map_err(|e| errors.add(at("quantity"), pricing_code(e)))
            .ok()
    };
    let unit_price = draft.unit_price.or_else(|| {
        errors.add(at("unit_price"), "invalid-required");
        None
    });
    let discount = if draft.discount_percent.trim().is_empty() {
        Some(Discount::NONE)
    } else {
        Discount::parse(&draft.discount_percent)
            .map_err(|e| errors.add(at("discount_percent"), pricing_code(e)))
            .ok()
    };
    let vat_rate = match draft.vat_rate {
        None => {
            errors.add(at("vat_rate"), "invalid-required");
            None
        }
        Some(percent) => VatRate::from_percent(percent)
            .map_err(|e| errors.add(at("vat_rate"), pricing_code(e)))
            .ok(),
    };
    let vat_exemption_code = vat_rate.and_then(|rate| {
        check_exemption(
            rate,
            &draft.vat_exemption_code,
            &at("vat_exemption_code"),
            errors,
        )
    });
    if errors.0.len() > before {
        return None;
    }
    Some(CheckedLine {
        input: LineInput {
            quantity: quantity?,
            unit_price: unit_price?,
            discount: discount?,
            vat_rate: vat_rate?,
        },
        product_id: draft.product_id,
        description,
        vat_exemption_code,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn draft(quantity: &str, price: Option<i64>, discount: &str, vat: Option<i64>) -> LineDraft {
        LineDraft {
            description: "Endüstriyel fırın".into(),
            quantity: quantity.into(),
            unit_price: price,
            discount_percent: discount.into(),
            vat_rate: vat,
            ..LineDraft::default()
        }
    }

    fn refused(drafts: &[LineDraft]) -> Vec<(String, String)> {
        let mut errors = FieldErrors::new();
        check_lines(drafts, true, &mut errors);
        errors.0.into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn a_good_line_is_checked_into_what_the_rule_prices() {
        let mut errors = FieldErrors::new();
        let lines = check_lines(
            &[draft("2,5", Some(12_345), "10", Some(20))],
            true,
            &mut errors,
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(lines[0].input.quantity.thousandths(), 2500);
        assert_eq!(lines[0].input.discount.basis_points(), 1000);
        assert_eq!(lines[0].vat_exemption_code, None);
    }

    #[test]
    fn every_wrong_cell_is_named_by_its_pointer() {
        let wrong = refused(&[
            draft("1", Some(100), "", Some(20)),
            draft("0", None, "101", Some(18)),
            draft("1.2345", Some(1), "", Some(0)),
        ]);
        let named: Vec<(&str, &str)> = wrong
            .iter()
            .map(|(f, c)| (f.as_str(), c.as_str()))
            .collect();
        assert_eq!(
            named,
            vec![
                ("lines/1/quantity", "invalid-quantity-positive"),
                ("lines/1/unit_price", "invalid-required"),
                ("lines/1/discount_percent", "invalid-percent"),
                ("lines/1/vat_rate", "invalid-vat-rate"),
                ("lines/2/quantity", "invalid-quantity-decimals"),
                (
                    "lines/2/vat_exemption_code",
                    "invalid-vat-exemption-required"
                ),
            ]
        );
    }

    #[test]
    fn a_zero_rate_line_keeps_its_exemption_code() {
        let mut line = draft("1", Some(100), "", Some(0));
        line.vat_exemption_code = " 351 ".into();
        let mut errors = FieldErrors::new();
        let lines = check_lines(&[line], true, &mut errors);
        assert_eq!(lines[0].vat_exemption_code.as_deref(), Some("351"));
    }

    #[test]
    fn too_many_lines_are_refused_as_a_whole() {
        let many = vec![draft("1", Some(1), "", Some(20)); MAX_LINES + 1];
        assert_eq!(
            refused(&many),
            vec![("lines".to_string(), "invalid-too-many-lines".to_string())]
        );
    }
}
