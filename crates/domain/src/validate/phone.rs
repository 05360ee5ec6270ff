//! Phone numbers normalized to E.164 (`+905321234567`).
//!
//! Rehber's users are in Turkey, so a number typed without an international prefix is read
//! as a Turkish national number. Numbers with `+` or `00` are checked only for E.164 shape;
//! knowing every country's numbering plan is not this module's job.

use super::Invalid;
use serde::{Deserialize, Serialize};

/// Turkey's country calling code.
const TURKEY: &str = "90";
/// Turkish national significant numbers (area or operator code + subscriber) have 10 digits.
const TURKISH_NATIONAL_LEN: usize = 10;
/// E.164 allows at most 15 digits; fewer than 8 is not a reachable number anywhere we serve.
const MIN_DIGITS: usize = 8;
const MAX_DIGITS: usize = 15;

/// A phone number in E.164 form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    /// Parses a typed number; national Turkish forms (`0532 123 45 67`, `532 123 45 67`,
    /// `(0212) 555 12 12`) get the +90 country code.
    ///
    /// Spaces, dashes, dots and one level of parentheses may separate digits; `+` or `00`
    /// starts an international number. A trunk `0` after +90 (`+90 (0532) …`) and the
    /// `(0)` convention after any country code (`+44 (0)20 …`) are dropped.
    pub fn parse(input: &str) -> Result<Phone, Invalid> {
        let typed = input.trim();
        if typed.is_empty() {
            return Err(Invalid::Required);
        }
        let Typed {
            international,
            digits,
        } = read(typed)?;
        let with_country_code = if international {
            digits
        } else if let Some(rest) = digits.strip_prefix("00") {
            rest.to_owned()
        } else {
            // No international prefix: a Turkish national number, maybe with its trunk 0.
            let national = digits.strip_prefix('0').unwrap_or(&digits);
            format!("{TURKEY}{national}")
        };
        e164(&with_country_code).map(Phone)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The digits of a typed number and whether it began with `+`.
struct Typed {
    international: bool,
    digits: String,
}

/// Collects the digits, allowing only separators people actually type between them.
fn read(typed: &str) -> Result<Typed, Invalid> {
    let mut international = false;
    let mut digits = String::new();
    // Where the digits of the open parenthesized group start, if a group is open.
    let mut group_start: Option<usize> = None;
    for c in typed.chars() {
        match c {
            '0'..='9' => digits.push(c),
            // `+` only before the first digit: `+90 …` and `(+90) …`, never `0+…`.
            '+' if !international && digits.is_empty() => international = true,
            '(' if group_start.is_none() => group_start = Some(digits.len()),
            ')' => {
                let start = group_start.take().ok_or(Invalid::Phone)?;
                // `+44 (0)20 …`: a lone 0 in parentheses after the country code is the
                // trunk prefix that callers from abroad leave out.
                if start > 0 && &digits[start..] == "0" {
                    digits.truncate(start);
                }
            }
            '.' | '-' | '\u{2010}'..='\u{2014}' => {}
            c if c.is_whitespace() => {}
            _ => return Err(Invalid::Phone),
        }
    }
    if group_start.is_some() {
        return Err(Invalid::Phone);
    }
    Ok(Typed {
        international,
        digits,
    })
}

/// Checks country code + number and renders it as `+digits`.
fn e164(digits: &str) -> Result<String, Invalid> {
    if let Some(national) = digits.strip_prefix(TURKEY) {
        // `+90 0532 …`: the national trunk 0 does not belong in the international form.
        let national = national.strip_prefix('0').unwrap_or(national);
        let plausible = national.len() == TURKISH_NATIONAL_LEN && !national.starts_with('0');
        return if plausible {
            Ok(format!("+{TURKEY}{national}"))
        } else {
            Err(Invalid::Phone)
        };
    }
    // Country codes never start with 0.
    let plausible = (MIN_DIGITS..=MAX_DIGITS).contains(&digits.len()) && !digits.starts_with('0');
    if plausible {
        Ok(format!("+{digits}"))
    } else {
        Err(Invalid::Phone)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parsed(input: &str) -> String {
        Phone::parse(input).unwrap().to_string()
    }

    #[test]
    fn turkish_mobile_number_in_national_form_becomes_e164() {
        assert_eq!(parsed("0532 123 45 67"), "+905321234567");
        assert_eq!(parsed("05321234567"), "+905321234567");
    }

    #[test]
    fn turkish_number_without_trunk_zero_becomes_e164() {
        assert_eq!(parsed("532 123 45 67"), "+905321234567");
        assert_eq!(parsed("5321234567"), "+905321234567");
    }

    #[test]
    fn turkish_landline_with_area_code_in_parentheses_becomes_e164() {
        assert_eq!(parsed("(0212) 555 12 12"), "+902125551212");
        assert_eq!(parsed("(212) 555-12-12"), "+902125551212");
        assert_eq!(parsed("0212.555.12.12"), "+902125551212");
    }

    #[test]
    fn turkish_number_with_plus_country_code_is_kept() {
        assert_eq!(parsed("+90 (212) 555 12 12"), "+902125551212");
        assert_eq!(parsed("+905321234567"), "+905321234567");
        assert_eq!(parsed("(+90) 532 123 45 67"), "+905321234567");
    }

    #[test]
    fn double_zero_is_read_as_the_international_prefix() {
        assert_eq!(parsed("0090 532 123 45 67"), "+905321234567");
        assert_eq!(parsed("00 44 20 7946 0958"), "+442079460958");
    }

    #[test]
    fn a_trunk_zero_after_the_turkish_country_code_is_dropped() {
        assert_eq!(parsed("+90 (0532) 123 45 67"), "+905321234567");
        assert_eq!(parsed("+90 0532 123 45 67"), "+905321234567");
        assert_eq!(parsed("0090 0212 555 12 12"), "+902125551212");
    }

    #[test]
    fn only_one_trunk_zero_is_dropped() {
        assert_eq!(Phone::parse("+90 00532 123 45 67"), Err(Invalid::Phone));
    }

    #[test]
    fn foreign_numbers_keep_their_country_code() {
        assert_eq!(parsed("+44 20 7946 0958"), "+442079460958");
        assert_eq!(parsed("+1 (415) 555-2671"), "+14155552671");
        assert_eq!(parsed("+49 30 901820"), "+4930901820");
    }

    #[test]
    fn a_parenthesized_zero_after_a_foreign_country_code_is_dropped() {
        assert_eq!(parsed("+44 (0)20 7946 0958"), "+442079460958");
    }

    #[test]
    fn typographic_dashes_and_non_breaking_spaces_are_separators() {
        assert_eq!(parsed("0532\u{a0}123\u{2013}45\u{2013}67"), "+905321234567");
    }

    #[test]
    fn empty_input_is_required() {
        assert_eq!(Phone::parse(""), Err(Invalid::Required));
        assert_eq!(Phone::parse("  \t"), Err(Invalid::Required));
    }

    #[test]
    fn turkish_numbers_need_exactly_ten_national_digits() {
        for typed in [
            "0532 123 45 6",
            "0532 123 45 678",
            "532 123 45",
            "+90 532 123 45 6",
            "+90 532 123 45 678",
        ] {
            assert_eq!(Phone::parse(typed), Err(Invalid::Phone), "{typed}");
        }
    }

    #[test]
    fn a_country_code_without_a_plus_is_read_as_part_of_a_national_number() {
        // Without `+` or `00` the number is national, so 90 is not taken as the country code.
        assert_eq!(Phone::parse("90 532 123 45 67"), Err(Invalid::Phone));
    }

    #[test]
    fn foreign_numbers_need_eight_to_fifteen_digits() {
        assert_eq!(Phone::parse("+44 1234"), Err(Invalid::Phone));
        assert_eq!(Phone::parse("+44 1234 567 890 1234"), Err(Invalid::Phone));
        assert_eq!(parsed("+44 123 456"), "+44123456");
        assert_eq!(parsed("+44 1234 567 890 123"), "+441234567890123");
    }

    #[test]
    fn a_zero_after_the_international_prefix_is_refused() {
        assert_eq!(Phone::parse("+0 532 123 45 67"), Err(Invalid::Phone));
        assert_eq!(Phone::parse("000 532 123 45 67"), Err(Invalid::Phone));
    }

    #[test]
    fn letters_and_other_symbols_are_refused() {
        for typed in [
            "0532 ABC 45 67",
            "0532 123 45 67 ext 12",
            "0532 123 45 67 x12",
            "0532/123 45 67",
            "0532 123 45 67#",
            "+",
            "++90 532 123 45 67",
            "90+532 123 45 67",
            "+90 532 +123 45 67",
            "٠٥٣٢ ١٢٣ ٤٥ ٦٧",
        ] {
            assert_eq!(Phone::parse(typed), Err(Invalid::Phone), "{typed}");
        }
    }

    #[test]
    fn unbalanced_or_nested_parentheses_are_refused() {
        for typed in ["(0212 555 12 12", "0212) 555 12 12", "((0212)) 555 12 12"] {
            assert_eq!(Phone::parse(typed), Err(Invalid::Phone), "{typed}");
        }
    }

    proptest! {
        #[test]
        fn every_turkish_spelling_of_a_number_gives_the_same_e164(
            first in 2u8..=9,
            rest in proptest::array::uniform9(0u8..=9),
            style in 0usize..6,
        ) {
            let national: String = std::iter::once(first)
                .chain(rest)
                .map(|d| char::from(b'0' + d))
                .collect();
            let (area, line) = national.split_at(3);
            let typed = match style {
                0 => format!("0{area} {} {} {}", &line[..3], &line[3..5], &line[5..]),
                1 => format!("({area}) {line}"),
                2 => format!("+90 ({area}) {}-{}", &line[..3], &line[3..]),
                3 => format!("0090 {area} {line}"),
                4 => format!("+90 (0{area}) {line}"),
                _ => format!("{area}.{line}"),
            };
            prop_assert_eq!(parsed(&typed), format!("+90{national}"));
        }

        #[test]
        fn parsed_numbers_are_e164_and_parse_to_themselves(input in "[0-9+() .-]{0,25}") {
            if let Ok(phone) = Phone::parse(&input) {
                let digits = &phone.as_str()[1..];
                prop_assert!(phone.as_str().starts_with('+'));
                prop_assert!((MIN_DIGITS..=MAX_DIGITS).contains(&digits.len()));
                prop_assert!(digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0'));
                prop_assert_eq!(Phone::parse(phone.as_str()), Ok(phone.clone()));
            }
        }

        #[test]
        fn parsing_never_panics(input in any::<String>()) {
            let _ = Phone::parse(&input);
        }
    }
}
