//! How long and how many: the bounds every person and company field is validated against.
//!
//! One table per kind, read by validation (through the constants) and by the API's OpenAPI
//! document (through [`PERSON_TEXT`] and [`COMPANY_TEXT`]), so the document states exactly
//! what the server enforces. `docs/api.md` lists the same numbers.
//!
//! The bounds also keep a record within what one database index entry can hold: the list
//! indexes carry a record's sort key and search text, and PostgreSQL refuses index entries
//! over 2,704 bytes (see `rehber_store`'s search key budget).

/// A person's first or last name, in characters.
pub const PERSON_NAME: usize = 100;
/// A company's name.
pub const COMPANY_NAME: usize = 200;
/// A person's job title.
pub const JOB_TITLE: usize = 100;
/// Street and number.
pub const STREET: usize = 200;
/// District (ilçe), city (il) and country.
pub const PLACE: usize = 100;
pub const POSTAL_CODE: usize = 20;
pub const INDUSTRY: usize = 100;
pub const TAX_OFFICE: usize = 100;
pub const TRADE_REGISTRY_NUMBER: usize = 50;
/// A web address, with its scheme.
pub const WEBSITE: usize = 300;
/// Notes: the only multi-line field (tab and newline allowed).
pub const NOTES: usize = 10_000;
/// Why a lead was unqualified.
pub const UNQUALIFIED_REASON: usize = 300;
/// One tag.
pub const TAG: usize = 50;
/// A search as typed into a list's search box or the API's `q`.
pub const SEARCH: usize = 200;

/// E-mail addresses of one record (each at most 254 characters, RFC 5321).
pub const EMAILS: usize = 10;
/// Phone numbers of one record.
pub const PHONES: usize = 10;
/// Tags of one record.
pub const TAGS: usize = 50;
/// One e-mail address or phone number as typed, before it is parsed.
pub const EMAIL: usize = 254;
pub const PHONE_TYPED: usize = 40;

/// A free-text field's bound: its input name, its longest value in characters, and whether
/// it is required on create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextLimit {
    pub field: &'static str,
    pub max_chars: usize,
    pub required: bool,
}

const fn text(field: &'static str, max_chars: usize) -> TextLimit {
    TextLimit {
        field,
        max_chars,
        required: false,
    }
}

/// The free-text fields of a person (choices, dates, ids and numbers have their own parsers).
pub const PERSON_TEXT: &[TextLimit] = &[
    TextLimit {
        field: "first_name",
        max_chars: PERSON_NAME,
        required: true,
    },
    text("last_name", PERSON_NAME),
    text("job_title", JOB_TITLE),
    text("street", STREET),
    text("district", PLACE),
    text("city", PLACE),
    text("postal_code", POSTAL_CODE),
    text("country", PLACE),
    text("unqualified_reason", UNQUALIFIED_REASON),
    text("notes", NOTES),
];

/// The free-text fields of a company.
pub const COMPANY_TEXT: &[TextLimit] = &[
    TextLimit {
        field: "name",
        max_chars: COMPANY_NAME,
        required: true,
    },
    text("website", WEBSITE),
    text("street", STREET),
    text("district", PLACE),
    text("city", PLACE),
    text("postal_code", POSTAL_CODE),
    text("country", PLACE),
    text("industry", INDUSTRY),
    text("tax_office", TAX_OFFICE),
    text("trade_registry_number", TRADE_REGISTRY_NUMBER),
    text("unqualified_reason", UNQUALIFIED_REASON),
    text("notes", NOTES),
];

/// The list fields of both kinds and how many values each takes.
pub const LISTS: &[(&str, usize)] = &[("emails", EMAILS), ("phones", PHONES), ("tags", TAGS)];

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::party::{CompanyForm, CompanyPatch, PersonForm, PersonPatch};

    /// A value of exactly `chars` characters that the field accepts.
    fn value_of(field: &str, chars: usize) -> String {
        if field == "website" {
            format!("https://{}.tr", "ş".repeat(chars - "https://".len() - 3))
        } else {
            "ş".repeat(chars)
        }
    }

    fn person_with(field: &str, value: String) -> PersonForm {
        let mut patch = PersonPatch {
            first_name: Some("Ayşe".into()),
            ..PersonPatch::default()
        };
        let slot = match field {
            "first_name" => &mut patch.first_name,
            "last_name" => &mut patch.last_name,
            "job_title" => &mut patch.job_title,
            "street" => &mut patch.street,
            "district" => &mut patch.district,
            "city" => &mut patch.city,
            "postal_code" => &mut patch.postal_code,
            "country" => &mut patch.country,
            "unqualified_reason" => &mut patch.unqualified_reason,
            "notes" => &mut patch.notes,
            other => panic!("no person field {other}"),
        };
        *slot = Some(value);
        let mut form = PersonForm::blank();
        form.apply(patch);
        form
    }

    fn company_with(field: &str, value: String) -> CompanyForm {
        let mut patch = CompanyPatch {
            name: Some("Çağlar A.Ş.".into()),
            ..CompanyPatch::default()
        };
        let slot = match field {
            "name" => &mut patch.name,
            "website" => &mut patch.website,
            "street" => &mut patch.street,
            "district" => &mut patch.district,
            "city" => &mut patch.city,
            "postal_code" => &mut patch.postal_code,
            "country" => &mut patch.country,
            "industry" => &mut patch.industry,
            "tax_office" => &mut patch.tax_office,
            "trade_registry_number" => &mut patch.trade_registry_number,
            "unqualified_reason" => &mut patch.unqualified_reason,
            "notes" => &mut patch.notes,
            other => panic!("no company field {other}"),
        };
        *slot = Some(value);
        let mut form = CompanyForm::blank();
        form.apply(patch);
        form
    }

    fn codes(errors: &crate::FieldErrors) -> Vec<String> {
        errors
            .0
            .iter()
            .map(|e| format!("{}={}", e.field, e.code))
            .collect()
    }

    #[test]
    fn every_person_text_limit_is_the_one_validation_enforces() {
        let today = jiff::civil::date(2026, 12, 2);
        for limit in PERSON_TEXT {
            let at_limit = person_with(limit.field, value_of(limit.field, limit.max_chars));
            assert!(
                at_limit.validate(today).is_ok(),
                "{} at its limit",
                limit.field
            );
            let over = person_with(limit.field, value_of(limit.field, limit.max_chars + 1));
            let errors = over.validate(today).unwrap_err();
            assert_eq!(
                codes(&errors),
                [format!("{}=invalid-too-long", limit.field)]
            );
            let required = person_with(limit.field, String::new()).validate(today);
            assert_eq!(
                required.is_err(),
                limit.required,
                "{} required",
                limit.field
            );
        }
    }

    #[test]
    fn every_company_text_limit_is_the_one_validation_enforces() {
        for limit in COMPANY_TEXT {
            let at_limit = company_with(limit.field, value_of(limit.field, limit.max_chars));
            assert!(at_limit.validate().is_ok(), "{} at its limit", limit.field);
            let over = company_with(limit.field, value_of(limit.field, limit.max_chars + 1));
            let errors = over.validate().unwrap_err();
            let expected = if limit.field == "website" {
                "website=invalid-url".to_string()
            } else {
                format!("{}=invalid-too-long", limit.field)
            };
            assert_eq!(codes(&errors), [expected]);
            let required = company_with(limit.field, String::new()).validate();
            assert_eq!(
                required.is_err(),
                limit.required,
                "{} required",
                limit.field
            );
        }
    }

    #[test]
    fn control_characters_are_refused_in_every_line_and_allowed_as_tab_and_newline_in_notes() {
        let today = jiff::civil::date(2026, 12, 2);
        for limit in PERSON_TEXT.iter().filter(|l| l.field != "notes") {
            let errors = person_with(limit.field, "a\u{0}b".into())
                .validate(today)
                .unwrap_err();
            assert_eq!(
                codes(&errors),
                [format!("{}=invalid-control-character", limit.field)]
            );
        }
        let notes = person_with("notes", "bir\r\niki\tüç".into())
            .validate(today)
            .unwrap();
        assert_eq!(notes.notes, "bir\niki\tüç");
        let errors = person_with("notes", "a\u{0}b".into())
            .validate(today)
            .unwrap_err();
        assert_eq!(codes(&errors), ["notes=invalid-control-character"]);
        let errors = company_with("website", "ornek.com.tr/\u{0}".into())
            .validate()
            .unwrap_err();
        assert_eq!(codes(&errors), ["website=invalid-url"]);
    }

    #[test]
    fn lists_longer_than_their_limit_are_refused_as_a_whole() {
        let today = jiff::civil::date(2026, 12, 2);
        let emails: Vec<String> = (0..=EMAILS).map(|i| format!("a{i}@ornek.com.tr")).collect();
        let phones: Vec<String> = (0..=PHONES)
            .map(|i| format!("0532 123 45 {:02}", i))
            .collect();
        let tags: Vec<String> = (0..=TAGS).map(|i| format!("etiket {i}")).collect();
        let mut form = PersonForm::blank();
        form.apply(PersonPatch {
            first_name: Some("Ayşe".into()),
            emails: Some(emails[..EMAILS].to_vec()),
            phones: Some(phones[..PHONES].to_vec()),
            tags: Some(tags[..TAGS].to_vec()),
            ..PersonPatch::default()
        });
        assert!(form.validate(today).is_ok(), "every list at its limit");
        form.apply(PersonPatch {
            emails: Some(emails),
            phones: Some(phones),
            tags: Some(tags),
            ..PersonPatch::default()
        });
        let errors = form.validate(today).unwrap_err();
        assert_eq!(
            codes(&errors),
            [
                "emails=invalid-too-many",
                "phones=invalid-too-many",
                "tags=invalid-too-many"
            ]
        );
        let many: Vec<String> = vec!["x".to_string(); 10_000];
        let mut form = PersonForm::blank();
        form.apply(PersonPatch {
            first_name: Some("Ayşe".into()),
            tags: Some(many),
            ..PersonPatch::default()
        });
        assert_eq!(
            codes(&form.validate(today).unwrap_err()),
            ["tags=invalid-too-many"]
        );
        assert_eq!(LISTS.len(), 3);
    }
}
