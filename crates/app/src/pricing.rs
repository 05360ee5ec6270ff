//! Pricing a document before it is stored: the quote editor's running total and
//! `POST /api/v1/quotes/preview-totals`. The same checks and the same money rule
//! (`rehber_domain::pricing`) as a saved quote, so the total a user sees while typing is the
//! total that is saved.

use rehber_domain::Error;
use rehber_domain::error::FieldErrors;
use rehber_domain::money::{Money, in_words_tr, is_currency};
use rehber_domain::pricing::{CheckedLine, LineAmounts, LineDraft, Totals, check_lines, price};

/// The currency of a document that names none.
pub const DEFAULT_CURRENCY: &str = "TRY";

/// A document's currency and lines as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentDraft {
    /// ISO 4217; empty is [`DEFAULT_CURRENCY`].
    pub currency: String,
    pub lines: Vec<LineDraft>,
}

/// A priced document: each checked line with its amounts, the totals, and the total in
/// Turkish words as a document prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedDocument {
    pub currency: String,
    pub lines: Vec<(CheckedLine, LineAmounts)>,
    pub totals: Totals,
    pub in_words: String,
}

/// The currency as stored (`try` is `TRY`), or the field error.
pub fn check_currency(typed: &str, errors: &mut FieldErrors) -> String {
    let currency = typed.trim().to_ascii_uppercase();
    if currency.is_empty() {
        return DEFAULT_CURRENCY.into();
    }
    if !is_currency(&currency) {
        errors.add("currency", "invalid-currency");
    }
    currency
}

/// Checks and prices `draft`; every refusal at once, lines named by JSON pointer
/// (`lines/1/quantity`). `require_description`: a stored document needs each line's text.
pub fn price_document(
    draft: &DocumentDraft,
    require_description: bool,
) -> Result<PricedDocument, Error> {
    let mut errors = FieldErrors::new();
    let currency = check_currency(&draft.currency, &mut errors);
    for (index, line) in draft.lines.iter().enumerate() {
        let named = line.price_currency.trim();
        if !named.is_empty() && !named.eq_ignore_ascii_case(&currency) {
            errors.add(
                format!("lines/{index}/unit_price/currency"),
                "invalid-currency-mismatch",
            );
        }
    }
    let lines = check_lines(&draft.lines, require_description, &mut errors);
    errors.into_result()?;
    let inputs: Vec<_> = lines.iter().map(|l| l.input).collect();
    let priced = price(&inputs).map_err(|(line, _)| match line {
        Some(index) => Error::field(
            &format!("lines/{index}/unit_price"),
            "invalid-amount-too-large",
        ),
        None => Error::field("lines", "invalid-amount-too-large"),
    })?;
    let in_words = in_words_tr(&Money {
        minor: priced.totals.gross,
        currency: currency.clone(),
    });
    Ok(PricedDocument {
        currency,
        lines: lines.into_iter().zip(priced.lines).collect(),
        totals: priced.totals,
        in_words,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn line(quantity: &str, price: i64, vat: i64) -> LineDraft {
        LineDraft {
            description: "Danışmanlık".into(),
            quantity: quantity.into(),
            unit_price: Some(price),
            vat_rate: Some(vat),
            ..LineDraft::default()
        }
    }

    #[test]
    fn a_draft_is_priced_with_its_total_in_words() {
        let draft = DocumentDraft {
            currency: "try".into(),
            lines: vec![line("1", 104_208, 20)],
        };
        let priced = price_document(&draft, true).unwrap();
        assert_eq!(priced.currency, "TRY");
        assert_eq!(priced.totals.gross, 125_050);
        assert_eq!(
            priced.in_words,
            "Yalnız bin iki yüz elli Türk lirası elli kuruş"
        );
    }

    #[test]
    fn an_unknown_currency_and_a_line_too_large_are_named() {
        let draft = DocumentDraft {
            currency: "TL".into(),
            lines: vec![line("1", 1, 20)],
        };
        let Err(Error::Validation(errors)) = price_document(&draft, true) else {
            panic!("TL is not a currency code");
        };
        assert_eq!(errors.0[0].field, "currency");
        let huge = DocumentDraft {
            currency: String::new(),
            lines: vec![line("1", 1, 20), line("999999", i64::MAX, 20)],
        };
        let Err(Error::Validation(errors)) = price_document(&huge, true) else {
            panic!("too large to price");
        };
        assert_eq!(
            (errors.0[0].field.as_str(), errors.0[0].code.as_str()),
            ("lines/1/unit_price", "invalid-amount-too-large")
        );
    }
}
