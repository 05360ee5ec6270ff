//! E-mail addresses: trimmed, domain lower-cased, checked for a plausible shape.
//!
//! The check is deliberately a shape check, not RFC 5322: it catches typos and pasted
//! garbage, accepts internationalized addresses (`ayşe@örnek.com.tr`), and leaves
//! deliverability to the mail system. No DNS lookups happen here.

use super::Invalid;
use serde::{Deserialize, Serialize};

/// RFC 5321 limits a forward path to 256 octets including the angle brackets.
const MAX_LEN: usize = 254;
/// RFC 5321 limit for the part before `@`.
const MAX_LOCAL_LEN: usize = 64;
/// DNS limit for one label.
const MAX_LABEL_LEN: usize = 63;
/// The ASCII (punycode) form of an internationalized label, e.g. the TLD `xn--p1ai`.
const PUNYCODE_PREFIX: &str = "xn--";

/// A syntactically plausible e-mail address (`local@domain.tld`), domain lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// Parses a typed address. The local part is kept as typed (some servers treat it
    /// case-sensitively); the domain is lower-cased because DNS is case-insensitive.
    pub fn parse(input: &str) -> Result<Email, Invalid> {
        let typed = input.trim();
        if typed.is_empty() {
            return Err(Invalid::Required);
        }
        if typed.chars().count() > MAX_LEN {
            return Err(Invalid::TooLong);
        }
        let (local, domain) = typed.split_once('@').ok_or(Invalid::Email)?;
        let domain = lowercase_domain(domain);
        if !is_local_part(local) || !is_domain(&domain) {
            return Err(Invalid::Email);
        }
        Ok(Email(format!("{local}@{domain}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Unicode lower-casing, except that `İ` (typed with caps lock on a Turkish keyboard) means
/// `i`; plain lower-casing would give `i` + U+0307, which no domain contains.
/// `I` becomes `i`, not `ı`: domain names are not Turkish text.
fn lowercase_domain(domain: &str) -> String {
    domain
        .chars()
        .flat_map(|c| match c {
            'İ' => 'i'.to_lowercase(),
            other => other.to_lowercase(),
        })
        .collect()
}

/// Non-empty, at most 64 characters, no whitespace or control characters, no second `@`,
/// and none of the characters that only appear in quoted local parts or in pasted
/// `Name <address>` forms.
fn is_local_part(local: &str) -> bool {
    !local.is_empty()
        && local.chars().count() <= MAX_LOCAL_LEN
        && local.chars().all(|c| {
            !c.is_whitespace()
                && !c.is_control()
                && !matches!(
                    c,
                    '@' | '<' | '>' | '(' | ')' | '[' | ']' | ',' | ';' | ':' | '\\' | '"'
                )
        })
}

/// At least two dot-separated labels; the last (the TLD) is at least two letters or an
/// ASCII-encoded internationalized TLD.
fn is_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let [.., tld] = labels.as_slice() else {
        return false;
    };
    labels.len() >= 2 && labels.iter().all(|label| is_label(label)) && is_tld(tld)
}

/// Letters (any script, for IDNs), ASCII digits and hyphens, not starting or ending with a
/// hyphen, 1–63 characters.
fn is_label(label: &str) -> bool {
    let length = label.chars().count();
    (1..=MAX_LABEL_LEN).contains(&length)
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label
            .chars()
            .all(|c| c.is_alphabetic() || c.is_ascii_digit() || c == '-')
}

fn is_tld(tld: &str) -> bool {
    let letters_only = tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic);
    let punycode = tld
        .strip_prefix(PUNYCODE_PREFIX)
        .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric()));
    letters_only || punycode
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parsed(input: &str) -> String {
        Email::parse(input).unwrap().to_string()
    }

    #[test]
    fn a_plain_address_is_kept() {
        assert_eq!(parsed("ali.veli@example.com"), "ali.veli@example.com");
    }

    #[test]
    fn surrounding_whitespace_is_trimmed() {
        assert_eq!(parsed("  ali@example.com \n"), "ali@example.com");
    }

    #[test]
    fn the_domain_is_lower_cased_and_the_local_part_kept_as_typed() {
        assert_eq!(parsed("Ali.Veli@Example.COM"), "Ali.Veli@example.com");
    }

    #[test]
    fn turkish_addresses_are_accepted() {
        assert_eq!(
            parsed("ayşe.yılmaz@örnek.com.tr"),
            "ayşe.yılmaz@örnek.com.tr"
        );
        assert_eq!(parsed("Çağlar@ŞİRKET.COM.TR"), "Çağlar@şirket.com.tr");
        assert_eq!(parsed("ümit@ÖRNEK.com.tr"), "ümit@örnek.com.tr");
    }

    #[test]
    fn a_dotted_capital_i_in_the_domain_becomes_a_plain_i() {
        assert_eq!(parsed("info@İSTANBUL.COM"), "info@istanbul.com");
    }

    #[test]
    fn common_local_part_forms_are_accepted() {
        for typed in [
            "first.last+tag@example.com",
            "user_name-1@mail.example.co.uk",
            "o'brien@example.ie",
            "1234@sub-domain.example.org",
            "a@b.io",
            "x@xn--80ak6aa92e.xn--p1ai",
            "ivan@пример.рф",
        ] {
            assert!(Email::parse(typed).is_ok(), "{typed}");
        }
    }

    #[test]
    fn empty_input_is_required() {
        assert_eq!(Email::parse(""), Err(Invalid::Required));
        assert_eq!(Email::parse("   "), Err(Invalid::Required));
    }

    #[test]
    fn an_address_over_254_characters_is_too_long() {
        let local = "a".repeat(64);
        let domain = format!(
            "{}.{}.{}.{}.com",
            "b".repeat(60),
            "c".repeat(60),
            "d".repeat(60),
            "e".repeat(3)
        );
        let address = format!("{local}@{domain}");
        assert!(address.chars().count() > MAX_LEN);
        assert_eq!(Email::parse(&address), Err(Invalid::TooLong));
    }

    #[test]
    fn an_address_of_exactly_254_characters_is_accepted() {
        let domain = format!(
            "{}.{}.{}.com",
            "b".repeat(63),
            "c".repeat(63),
            "d".repeat(57)
        );
        let address = format!("{}@{domain}", "a".repeat(64));
        assert_eq!(address.chars().count(), MAX_LEN);
        assert!(Email::parse(&address).is_ok());
    }

    #[test]
    fn a_local_part_over_64_characters_is_refused() {
        let address = format!("{}@example.com", "a".repeat(65));
        assert_eq!(Email::parse(&address), Err(Invalid::Email));
        let address = format!("{}@example.com", "ş".repeat(64));
        assert!(Email::parse(&address).is_ok());
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for typed in [
            "plainaddress",
            "@example.com",
            "ali@",
            "ali@@example.com",
            "ali@veli@example.com",
            "ali veli@example.com",
            "ali\t@example.com",
            "ali\u{0}@example.com",
            "Ali Veli <ali@example.com>",
            "ali,veli@example.com",
            "\"ali\"@example.com",
            "ali@example",
            "ali@localhost",
            "ali@.example.com",
            "ali@example..com",
            "ali@example.com.",
            "ali@-example.com",
            "ali@example-.com",
            "ali@exa mple.com",
            "ali@exa_mple.com",
            "ali@example.c",
            "ali@example.c0m",
            "ali@example.123",
            "ali@192.168.1.1",
            "ali@[192.168.1.1]",
            "ali@example.xn--",
            "ali@örnek.com.tr\u{200B}x",
        ] {
            assert_eq!(Email::parse(typed), Err(Invalid::Email), "{typed}");
        }
    }

    #[test]
    fn a_label_over_63_characters_is_refused() {
        let address = format!("ali@{}.com", "a".repeat(64));
        assert_eq!(Email::parse(&address), Err(Invalid::Email));
    }

    proptest! {
        #[test]
        fn parsing_a_parsed_address_gives_it_back(
            local in "[a-zA-Z0-9çğıöşüÇĞİÖŞÜ._+-]{1,20}",
            labels in proptest::collection::vec("[a-zA-Z0-9çğıöşüÇĞÖŞÜ]{1,10}", 1..4),
            tld in "[a-zA-Z]{2,6}",
        ) {
            let typed = format!("{local}@{}.{tld}", labels.join("."));
            let email = Email::parse(&typed).unwrap();
            let expected_start = format!("{local}@");
            prop_assert!(email.as_str().starts_with(&expected_start));
            prop_assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
        }

        #[test]
        fn parsing_never_panics(input in any::<String>()) {
            let _ = Email::parse(&input);
        }
    }
}
