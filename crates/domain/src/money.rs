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

/// An amount in Turkish words, as a document writes it under its total:
/// `Yalnız bin iki yüz elli Türk lirası elli kuruş`.
pub fn in_words_tr(money: &Money) -> String {
    let (major_name, minor_name) = match money.currency.as_str() {
        "TRY" => ("Türk lirası", "kuruş"),
        "USD" => ("ABD doları", "sent"),
        "EUR" => ("avro", "sent"),
        "GBP" => ("İngiliz sterlini", "peni"),
        other => (other, "sent"),
    };
    let amount = money.minor.unsigned_abs();
    let (major, minor) = (amount / 100, amount % 100);
    let mut out = String::from("Yalnız ");
    if money.minor < 0 {
        out.push_str("eksi ");
    }
    out.push_str(&number_in_words_tr(major));
    out.push(' ');
    out.push_str(major_name);
    if minor > 0 {
        out.push(' ');
        out.push_str(&number_in_words_tr(minor));
        out.push(' ');
        out.push_str(minor_name);
    }
    out
}

/// A whole number in Turkish words (`1250` is `bin iki yüz elli`).
pub fn number_in_words_tr(number: u64) -> String {
    const ONES: [&str; 10] = [
        "", "bir", "iki", "üç", "dört", "beş", "altı", "yedi", "sekiz", "dokuz",
    ];
    const TENS: [&str; 10] = [
        "", "on", "yirmi", "otuz", "kırk", "elli", "altmış", "yetmiş", "seksen", "doksan",
    ];
    const GROUPS: [&str; 7] = [
        "",
        "bin",
        "milyon",
        "milyar",
        "trilyon",
        "katrilyon",
        "kentilyon",
    ];
    if number == 0 {
        return "sıfır".into();
    }
    let hundreds_in_words = |n: u64| -> Vec<&'static str> {
        let (h, t, o) = (
            (n / 100) as usize,
            ((n / 10) % 10) as usize,
            (n % 10) as usize,
        );
        let mut words = Vec::new();
        // "yüz", never "bir yüz".
        if h > 1 {
            words.push(ONES[h]);
        }
        if h > 0 {
            words.push("yüz");
        }
        words.extend([TENS[t], ONES[o]].into_iter().filter(|w| !w.is_empty()));
        words
    };
    let mut groups = Vec::new();
    let mut rest = number;
    while rest > 0 {
        groups.push(rest % 1000);
        rest /= 1000;
    }
    let mut words: Vec<&str> = Vec::new();
    for (index, group) in groups.iter().enumerate().rev() {
        if *group == 0 {
            continue;
        }
        // "bin", never "bir bin"; but "bir milyon".
        if !(index == 1 && *group == 1) {
            words.extend(hundreds_in_words(*group));
        }
        if index > 0 {
            words.push(GROUPS[index]);
        }
    }
    words.join(" ")
}

/// The active ISO 4217 currency codes (funds and precious metals left out).
const ISO_4217: &str = "AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BRL BSD \
BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP \
GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW \
KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD \
NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP \
SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV \
WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG";

/// Whether `code` is an ISO 4217 currency (`TRY`, `EUR`), as written: upper case.
pub fn is_currency(code: &str) -> bool {
    code.len() == 3 && ISO_4217.split_ascii_whitespace().any(|c| c == code)
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
    #[test]
    fn amounts_are_written_in_turkish_words() {
        let words = |minor, currency| {
            in_words_tr(&Money {
                minor,
                currency: String::from(currency),
            })
        };
        assert_eq!(
            words(125_050, "TRY"),
            "Yalnız bin iki yüz elli Türk lirası elli kuruş"
        );
        assert_eq!(words(100, "TRY"), "Yalnız bir Türk lirası");
        assert_eq!(words(5, "TRY"), "Yalnız sıfır Türk lirası beş kuruş");
        assert_eq!(
            words(19_999, "USD"),
            "Yalnız yüz doksan dokuz ABD doları doksan dokuz sent"
        );
        assert_eq!(number_in_words_tr(1_001_000), "bir milyon bin");
        assert_eq!(
            number_in_words_tr(2_111_342),
            "iki milyon yüz on bir bin üç yüz kırk iki"
        );
        assert_eq!(number_in_words_tr(10_000), "on bin");
        assert_eq!(number_in_words_tr(u64::MAX).split(' ').next(), Some("on"));
    }

    #[test]
    fn only_iso_currencies_are_currencies() {
        assert!(is_currency("TRY") && is_currency("EUR") && is_currency("USD"));
        assert!(
            !is_currency("try")
                && !is_currency("TL")
                && !is_currency("XYZ")
                && !is_currency("EURO")
        );
    }
}
