//! What makes two people, or two companies, the same record: a shared e-mail address (its
//! ASCII letters in any case), phone (E.164), national ID (TCKN) or tax number (VKN). The
//! store keeps each record's keys in this spelled form (`e:…`, `p:…`, `t:…`, `v:…`) so that
//! a check reads an index.

use super::{CompanyFields, PersonFields};
use crate::validate::{Email, Phone};

/// One key, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MatchKey(String);

impl MatchKey {
    pub fn email(email: &Email) -> MatchKey {
        MatchKey(format!("e:{}", email.as_str().to_ascii_lowercase()))
    }

    pub fn phone(phone: &Phone) -> MatchKey {
        MatchKey(format!("p:{}", phone.as_str()))
    }

    pub fn national_id(id: &impl std::fmt::Display) -> MatchKey {
        MatchKey(format!("t:{id}"))
    }

    pub fn tax_number(vkn: &impl std::fmt::Display) -> MatchKey {
        MatchKey(format!("v:{vkn}"))
    }

    /// A key read back from the store.
    pub fn stored(text: String) -> MatchKey {
        MatchKey(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The input field a key comes from: `emails`, `phones`, `national_id` or `tax_number`.
    pub fn field(&self) -> &'static str {
        match self.0.get(..2) {
            Some("e:") => "emails",
            Some("p:") => "phones",
            Some("v:") => "tax_number",
            _ => "national_id",
        }
    }
}

fn contact_keys(emails: &[Email], phones: &[Phone]) -> Vec<MatchKey> {
    emails
        .iter()
        .map(MatchKey::email)
        .chain(phones.iter().map(MatchKey::phone))
        .collect()
}

/// A person's keys, without repeats.
pub fn person_keys(f: &PersonFields) -> Vec<MatchKey> {
    let mut keys = contact_keys(&f.emails, &f.phones);
    keys.extend(f.national_id.as_ref().map(MatchKey::national_id));
    keys.sort();
    keys.dedup();
    keys
}

/// A company's keys, without repeats.
pub fn company_keys(f: &CompanyFields) -> Vec<MatchKey> {
    let mut keys = contact_keys(&f.emails, &f.phones);
    keys.extend(f.national_id.as_ref().map(MatchKey::national_id));
    keys.extend(f.tax_number.as_ref().map(MatchKey::tax_number));
    keys.sort();
    keys.dedup();
    keys
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::party::PersonForm;

    #[test]
    fn an_address_in_capitals_and_a_phone_in_another_form_are_the_same_keys() {
        let typed = |email: &str, phone: &str| {
            let mut form = PersonForm::blank();
            form.first_name = "Ahmet".into();
            form.last_name = "Ölmez".into();
            form.emails = vec![email.into()];
            form.phones = vec![phone.into()];
            form.validate(jiff::civil::date(2026, 12, 6)).unwrap()
        };
        let first = person_keys(&typed("ahmet.olmez@example.com", "0532 111 22 33"));
        let second = person_keys(&typed("AHMET.OLMEZ@EXAMPLE.COM", "+90 (532) 111 2233"));
        assert_eq!(first, second);
        assert_eq!(
            first.iter().map(MatchKey::field).collect::<Vec<_>>(),
            ["emails", "phones"]
        );
    }
}
