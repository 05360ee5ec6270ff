//! Turkish national identity number (T.C. kimlik numarası, TCKN): 11 digits with two check digits.
//!
//! Only the shape and the check digits are verified here; whether a person holds the number
//! is a question for the population registry, not for the domain.

use super::Invalid;
use serde::{Deserialize, Serialize};

/// A checksum-valid TCKN.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Tckn(String);

impl Tckn {
    /// Parses a typed TCKN; spaces are ignored. Stored as 11 digits.
    pub fn parse(input: &str) -> Result<Tckn, Invalid> {
        let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Err(Invalid::Required);
        }
        let digits = ascii_digits(&compact).ok_or(Invalid::TcknFormat)?;
        let [body @ .., tenth, eleventh] = digits;
        if body[0] == 0 {
            return Err(Invalid::TcknFormat);
        }
        if check_digits(&body) != (tenth, eleventh) {
            return Err(Invalid::TcknChecksum);
        }
        Ok(Tckn(compact))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Tckn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Exactly eleven ASCII digits as numbers; non-ASCII digits (`٣`, `３`) do not count.
fn ascii_digits(text: &str) -> Option<[u8; 11]> {
    let mut digits = [0u8; 11];
    let mut count = 0;
    for byte in text.bytes() {
        if !byte.is_ascii_digit() || count == digits.len() {
            return None;
        }
        digits[count] = byte - b'0';
        count += 1;
    }
    (count == digits.len()).then_some(digits)
}

/// The 10th and 11th digits for the first nine.
///
/// 10th = (7 × (d1+d3+d5+d7+d9) − (d2+d4+d6+d8)) mod 10, taken non-negative because the
/// difference can be below zero; 11th = (d1+…+d10) mod 10.
fn check_digits(body: &[u8; 9]) -> (u8, u8) {
    let odd: i32 = body.iter().step_by(2).map(|&d| i32::from(d)).sum();
    let even: i32 = body.iter().skip(1).step_by(2).map(|&d| i32::from(d)).sum();
    let tenth = (7 * odd - even).rem_euclid(10);
    let eleventh = (odd + even + tenth) % 10;
    (tenth as u8, eleventh as u8)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// An independent reading of the rule as often published: the 10th digit as
    /// (7 × odd + 9 × even) mod 10 (9 ≡ −1 mod 10, so no negative numbers appear).
    fn reference_complete(body: &[u8]) -> String {
        let odd: u32 = body.iter().step_by(2).map(|&d| u32::from(d)).sum();
        let even: u32 = body.iter().skip(1).step_by(2).map(|&d| u32::from(d)).sum();
        let tenth = (7 * odd + 9 * even) % 10;
        let eleventh = (odd + even + tenth) % 10;
        body.iter()
            .map(|&d| u32::from(d))
            .chain([tenth, eleventh])
            .map(|d| char::from_digit(d, 10).unwrap())
            .collect()
    }

    fn corrupt(number: &str, position: usize, bump: u8) -> String {
        number
            .bytes()
            .enumerate()
            .map(|(i, b)| {
                if i == position {
                    char::from(b'0' + (b - b'0' + bump) % 10)
                } else {
                    char::from(b)
                }
            })
            .collect()
    }

    #[test]
    fn the_well_known_example_number_is_valid() {
        // 1,0,0,0,0,0,0,0,1: 7 × 2 − 0 = 14 → 4; 1 + 1 + 4 = 6 → 6.
        assert_eq!(Tckn::parse("10000000146").unwrap().as_str(), "10000000146");
    }

    #[test]
    fn computed_examples_are_valid() {
        // 12345678950: odd 25, even 20; 175 − 20 = 155 → 5; 45 + 5 = 50 → 0.
        for number in ["12345678950", "98765432150", "24681357994", "19999999936"] {
            assert!(Tckn::parse(number).is_ok(), "{number}");
        }
    }

    #[test]
    fn a_negative_difference_still_gives_the_right_tenth_digit() {
        // 1,9,0,9,0,9,0,9,0: 7 × 1 − 36 = −29, which is 1 mod 10 (not −9); 37 + 1 = 38 → 8.
        assert_eq!(Tckn::parse("19090909018").unwrap().as_str(), "19090909018");
        assert_eq!(Tckn::parse("19090909098"), Err(Invalid::TcknChecksum));
    }

    #[test]
    fn spaces_are_ignored_and_dropped() {
        assert_eq!(
            Tckn::parse(" 100 000 001 46 ").unwrap().as_str(),
            "10000000146"
        );
        assert_eq!(
            Tckn::parse("10000000146").unwrap().to_string(),
            "10000000146"
        );
    }

    #[test]
    fn a_wrong_tenth_or_eleventh_digit_is_refused() {
        assert_eq!(Tckn::parse("10000000156"), Err(Invalid::TcknChecksum));
        assert_eq!(Tckn::parse("10000000147"), Err(Invalid::TcknChecksum));
        assert_eq!(Tckn::parse("12345678901"), Err(Invalid::TcknChecksum));
    }

    #[test]
    fn every_single_digit_corruption_of_a_valid_tckn_is_refused() {
        for number in ["10000000146", "12345678950", "24681357994"] {
            for position in 0..11 {
                for bump in 1..=9 {
                    let corrupted = corrupt(number, position, bump);
                    assert!(Tckn::parse(&corrupted).is_err(), "{corrupted}");
                }
            }
        }
    }

    #[test]
    fn a_leading_zero_is_a_format_error() {
        // 00000000000 even satisfies both checksums; the leading zero alone rules it out.
        assert_eq!(Tckn::parse("00000000000"), Err(Invalid::TcknFormat));
        assert_eq!(Tckn::parse("01234567890"), Err(Invalid::TcknFormat));
    }

    #[test]
    fn empty_input_is_required() {
        assert_eq!(Tckn::parse(""), Err(Invalid::Required));
        assert_eq!(Tckn::parse(" \t "), Err(Invalid::Required));
    }

    #[test]
    fn wrong_lengths_and_non_digits_are_a_format_error() {
        for typed in [
            "1000000014",
            "100000001460",
            "1000000014a",
            "100-000-00146",
            "١٠٠٠٠٠٠٠١٤٦",
        ] {
            assert_eq!(Tckn::parse(typed), Err(Invalid::TcknFormat), "{typed}");
        }
    }

    proptest! {
        #[test]
        fn any_body_completed_with_its_check_digits_parses_and_no_single_corruption_does(
            first in 1u8..=9,
            rest in proptest::array::uniform8(0u8..=9),
            position in 0usize..11,
            bump in 1u8..=9,
        ) {
            let mut body = vec![first];
            body.extend(rest);
            let number = reference_complete(&body);
            prop_assert_eq!(Tckn::parse(&number).map(|t| t.to_string()), Ok(number.clone()));
            prop_assert!(Tckn::parse(&corrupt(&number, position, bump)).is_err());
        }
    }
}
