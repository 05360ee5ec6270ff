//! What makes two people, or two companies, the same record: a shared e-mail address (its
//! ASCII letters in any case), phone (E.164), national ID (TCKN) or tax number (VKN). The
//! store keeps each record's keys in this spelled form (`e:…`, `p:…`, `t:…`, `v:…`) so that
//! a check reads an index.
//!
//! A similar name (`n:…`) only makes two records *possibly* the same: it puts them on the
//! review list of duplicates but never refuses a save, since two people may well share a
//! name. Names are compared folded (any case, Turkish letters or their ASCII spelling,
//! punctuation ignored); a person's words in any order and, to keep common names apart, at
//! the same company (or, without one, in the same city); a company's without its legal form
//! and trade words ("San. ve Tic. A.Ş.", "Ltd. Şti.", "GmbH").

use super::{CompanyFields, PersonFields};
use crate::validate::text::search_key;
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
            Some("n:") => "name",
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

/// Words that end a Turkish or foreign trade name without telling two firms apart: legal
/// forms and the trade words around them, folded as [`search_key`] folds them ("A.Ş." is
/// `a s`, handled on its own).
const TRADE_WORDS: &[&str] = &[
    "ag",
    "anonim",
    "as",
    "bv",
    "co",
    "company",
    "corp",
    "corporation",
    "dis",
    "gmbh",
    "ic",
    "ihr",
    "ihracat",
    "inc",
    "ith",
    "ithalat",
    "kollektif",
    "koll",
    "kom",
    "komandit",
    "limited",
    "llc",
    "ltd",
    "paz",
    "pazarlama",
    "plc",
    "sa",
    "san",
    "sanayi",
    "sanayii",
    "sirketi",
    "srl",
    "sti",
    "tic",
    "ticaret",
    "ve",
];

/// The folded words of a name.
fn name_words(name: &str) -> Vec<String> {
    search_key(name)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// A person's similar-name key (without its `n:`): their folded name words in order of the
/// alphabet, then `#` and their company's id, or `@` and their folded city; `None` without
/// a name.
pub fn person_name_key(f: &PersonFields) -> Option<String> {
    let mut words = name_words(&format!("{} {}", f.first_name, f.last_name));
    if words.is_empty() {
        return None;
    }
    words.sort();
    let name = words.join(" ");
    let city = search_key(&f.address.city);
    Some(match f.company_id {
        Some(company) => format!("{name}#{}", company.0),
        None if !city.is_empty() => format!("{name}@{city}"),
        None => name,
    })
}

/// A company's similar-name key (without its `n:`): its folded name words without the trade
/// words that end it (all of them, when nothing else is left); `None` without a name.
pub fn company_name_key(f: &CompanyFields) -> Option<String> {
    let words = name_words(&f.name);
    let mut end = words.len();
    loop {
        let tail = &words[..end];
        match tail {
            [.., a, s] if a == "a" && s == "s" => end -= 2,
            [.., last] if TRADE_WORDS.contains(&last.as_str()) => end -= 1,
            _ => break,
        }
    }
    let kept = if end == 0 { &words[..] } else { &words[..end] };
    (!kept.is_empty()).then(|| kept.join(" "))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::ids::CompanyId;
    use crate::party::{CompanyForm, PersonForm};

    fn person(first: &str, last: &str, city: &str, company: Option<i64>) -> PersonFields {
        let mut form = PersonForm::blank();
        form.first_name = first.into();
        form.last_name = last.into();
        form.address.city = city.into();
        let mut fields = form.validate(jiff::civil::date(2026, 12, 6)).unwrap();
        fields.company_id = company.map(CompanyId);
        fields
    }

    fn company(name: &str) -> Option<String> {
        let form = CompanyForm {
            name: name.into(),
            ..CompanyForm::blank()
        };
        company_name_key(&form.validate().unwrap())
    }

    #[test]
    fn a_name_typed_without_turkish_letters_in_capitals_or_reversed_is_the_same_person() {
        let key = person_name_key(&person("Ahmet", "Ölmez", "İzmir", Some(7)));
        assert_eq!(key.as_deref(), Some("ahmet olmez#7"));
        for (first, last) in [("AHMET", "OLMEZ"), ("Ölmez", "Ahmet"), ("ahmet.", "ölmez ")] {
            assert_eq!(
                person_name_key(&person(first, last, "Ankara", Some(7))),
                key
            );
        }
        assert_ne!(
            person_name_key(&person("Ahmet", "Ölmez", "İzmir", Some(8))),
            key
        );
    }

    #[test]
    fn people_without_a_company_are_compared_within_their_city() {
        let key = |city| person_name_key(&person("Işıl", "Çağlar", city, None));
        assert_eq!(key("İstanbul").as_deref(), Some("caglar isil@istanbul"));
        assert_eq!(key("ISTANBUL"), key("İstanbul"));
        assert_ne!(key("Bursa"), key("İstanbul"));
        assert_eq!(key("").as_deref(), Some("caglar isil"));
    }

    #[test]
    fn a_company_is_compared_without_its_legal_form_and_trade_words() {
        let key = company("Akın Tekstil San. ve Tic. A.Ş.");
        assert_eq!(key.as_deref(), Some("akin tekstil"));
        for name in [
            "AKIN TEKSTİL LTD. ŞTİ.",
            "Akin Tekstil Sanayi ve Ticaret Anonim Şirketi",
            "akın tekstil",
            "Akın Tekstil İth. İhr. Paz. Ltd.Şti.",
        ] {
            assert_eq!(company(name), key, "{name}");
        }
        assert_ne!(company("Akın Gıda A.Ş."), key);
        // A name made only of such words keeps them.
        assert_eq!(company("Ticaret A.Ş.").as_deref(), Some("ticaret a s"));
    }

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
