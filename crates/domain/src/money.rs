//! Exact money: integer minor units with an ISO 4217 currency code. Never floating point.

use crate::validate::Invalid;
use serde::{Deserialize, Serialize};

/// An amount in minor units (kuruş, cents) of a currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: String,
}

impl Money {
    /// Parses a typed amount such as `1.250.000,50` (Turkish), `1,250,000.50` (English) or
    /// `1250000.5` into minor units; the last `,` or `.` followed by one or two digits is the
    /// decimal separator, other separators are grouping.
    pub fn parse(input: &str, currency: &str) -> Result<Money, Invalid> {
        let currency = currency.trim().to_ascii_uppercase();
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Invalid::Amount);
        }
        let text: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if text.is_empty() {
            return Err(Invalid::Required);
        }
        let (negative, text) = match text.strip_prefix('-') {
            Some(rest) => (true, rest.to_string()),
            None => (false, text),
        };
        let decimal_at = text
            .rfind([',', '.'])
            .filter(|&i| (1..=2).contains(&(text.len() - i - 1)));
        let (whole, fraction) = match decimal_at {
            Some(i) => (&text[..i], &text[i + 1..]),
            None => (text.as_str(), ""),
        };
        let whole: String = whole.chars().filter(|c| *c != '.' && *c != ',').collect();
        if whole.is_empty() && fraction.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !fraction.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(Invalid::Amount);
        }
        let units: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| Invalid::Amount)?
        };
        let cents: i64 = match fraction.len() {
            0 => 0,
            1 => fraction.parse::<i64>().map_err(|_| Invalid::Amount)? * 10,
            _ => fraction.parse().map_err(|_| Invalid::Amount)?,
        };
        let minor = units
            .checked_mul(100)
            .and_then(|m| m.checked_add(cents))
            .ok_or(Invalid::Amount)?;
        Ok(Money {
            minor: if negative { -minor } else { minor },
            currency,
        })
    }

    /// The amount as a plain decimal string with two fraction digits (`1250000.50`).
    pub fn to_decimal_string(&self) -> String {
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn turkish_and_english_grouping_parse_to_the_same_minor_units() {
        assert_eq!(
            Money::parse("1.250.000,50", "try").unwrap().minor,
            125_000_050
        );
        assert_eq!(
            Money::parse("1,250,000.50", "TRY").unwrap().minor,
            125_000_050
        );
        assert_eq!(Money::parse("1250000.5", "TRY").unwrap().minor, 125_000_050);
        assert_eq!(Money::parse("1.250.000", "TRY").unwrap().minor, 125_000_000);
        assert_eq!(
            Money::parse("42", "EUR").unwrap().to_decimal_string(),
            "42.00"
        );
    }

    #[test]
    fn garbage_amounts_are_refused() {
        assert_eq!(Money::parse("", "TRY"), Err(Invalid::Required));
        assert_eq!(Money::parse("12a", "TRY"), Err(Invalid::Amount));
        assert_eq!(Money::parse("12", "TL"), Err(Invalid::Amount));
        assert_eq!(
            Money::parse("99999999999999999999", "TRY"),
            Err(Invalid::Amount)
        );
    }
}
