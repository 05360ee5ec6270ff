//! Turkish tax number (vergi kimlik numarası, VKN): 10 digits with a checksum.
//!
//! Only the shape and the check digit are verified here; whether the number is registered
//! is a question for the revenue administration (GİB), not for the domain.

use super::Invalid;
use serde::{Deserialize, Serialize};

/// A checksum-valid VKN.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Vkn(String);

impl Vkn {
    /// Parses a typed VKN; spaces (as in `123 456 7890`) are ignored. Stored as 10 digits.
    pub fn parse(input: &str) -> Result<Vkn, Invalid> {
        let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Err(Invalid::Required);
        }
        let digits = ascii_digits(&compact).ok_or(Invalid::VknFormat)?;
        let [body @ .., check] = digits;
        if check_digit(&body) != check {
            return Err(Invalid::VknChecksum);
        }
        Ok(Vkn(compact))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Vkn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Exactly ten ASCII digits as numbers; non-ASCII digits (`٣`, `３`) do not count.
fn ascii_digits(text: &str) -> Option<[u8; 10]> {
    let mut digits = [0u8; 10];
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

/// The revenue administration's check digit for the first nine digits.
///
/// Each digit is shifted by its distance from the end, `(d + 9 - i) % 10`; a shifted 9 stays
/// 9, anything else is weighted by `2^(9 - i)` modulo 9. The check digit tops the sum up to
/// a multiple of ten. (Equivalently: a non-zero shifted digit whose weighted value is 0
/// modulo 9 counts as 9.)
fn check_digit(body: &[u8; 9]) -> u8 {
    let sum: u32 = body
        .iter()
        .enumerate()
        .map(|(i, &digit)| {
            let position = i as u32;
            let shifted = (u32::from(digit) + 9 - position) % 10;
            if shifted == 9 {
                9
            } else {
                (shifted * (1 << (9 - position))) % 9
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// An independent reading of the algorithm, walking the body from its last digit
    /// (weight 2^1) to its first (weight 2^9), the way most published implementations do.
    fn reference_check_digit(body: &[u8]) -> u8 {
        let mut sum = 0u32;
        for (k, &digit) in body.iter().rev().enumerate() {
            let k = k as u32 + 1;
            let shifted = (u32::from(digit) + k) % 10;
            if shifted != 0 {
                let weighted = (shifted * 2u32.pow(k)) % 9;
                sum += if weighted == 0 { 9 } else { weighted };
            }
        }
        ((10 - sum % 10) % 10) as u8
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
    fn sequential_digits_are_a_valid_vkn() {
        // Every shifted digit of 123456789 is 0, so the sum is 0 and the check digit 0.
        assert_eq!(Vkn::parse("1234567890").unwrap().as_str(), "1234567890");
    }

    #[test]
    fn published_vkn_examples_are_valid() {
        for number in ["4540536920", "0010213576", "3250536363", "9990112519"] {
            assert!(Vkn::parse(number).is_ok(), "{number}");
        }
    }

    #[test]
    fn spaces_are_ignored_and_dropped() {
        assert_eq!(Vkn::parse(" 454 053 6920 ").unwrap().as_str(), "4540536920");
        assert_eq!(Vkn::parse("4540536920").unwrap().to_string(), "4540536920");
    }

    #[test]
    fn a_wrong_check_digit_is_refused() {
        assert_eq!(Vkn::parse("4540536921"), Err(Invalid::VknChecksum));
        assert_eq!(Vkn::parse("1234567891"), Err(Invalid::VknChecksum));
    }

    #[test]
    fn all_zeros_is_not_a_vkn() {
        assert_eq!(Vkn::parse("0000000000"), Err(Invalid::VknChecksum));
    }

    #[test]
    fn every_single_digit_corruption_of_a_valid_vkn_is_refused() {
        for number in ["1234567890", "4540536920", "0010213576", "9990112519"] {
            for position in 0..10 {
                for bump in 1..=9 {
                    let corrupted = corrupt(number, position, bump);
                    assert_eq!(
                        Vkn::parse(&corrupted),
                        Err(Invalid::VknChecksum),
                        "{corrupted}"
                    );
                }
            }
        }
    }

    #[test]
    fn empty_input_is_required() {
        assert_eq!(Vkn::parse(""), Err(Invalid::Required));
        assert_eq!(Vkn::parse("   "), Err(Invalid::Required));
    }

    #[test]
    fn wrong_lengths_and_non_digits_are_a_format_error() {
        for typed in [
            "454053692",
            "45405369200",
            "454053692O",
            "454-053-6920",
            "+4540536920",
            "٤٥٤٠٥٣٦٩٢٠",
            "４５４０５３６９２０",
        ] {
            assert_eq!(Vkn::parse(typed), Err(Invalid::VknFormat), "{typed}");
        }
    }

    proptest! {
        #[test]
        fn check_digit_agrees_with_the_reference_reading(body in proptest::array::uniform9(0u8..=9)) {
            prop_assert_eq!(check_digit(&body), reference_check_digit(&body));
        }

        #[test]
        fn any_body_with_its_check_digit_parses_and_no_single_corruption_does(
            body in proptest::array::uniform9(0u8..=9),
            position in 0usize..10,
            bump in 1u8..=9,
        ) {
            let number: String = body
                .iter()
                .chain(std::iter::once(&check_digit(&body)))
                .map(|d| char::from(b'0' + d))
                .collect();
            prop_assert!(Vkn::parse(&number).is_ok());
            prop_assert_eq!(Vkn::parse(&corrupt(&number, position, bump)), Err(Invalid::VknChecksum));
        }
    }
}
