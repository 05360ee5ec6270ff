//! Imports of people and companies: which field each column of a file fills (matched by the
//! header's Turkish and English names, the export's own headers included, or named in a
//! mapping), and each row turned into the same raw form a user types ([`rows`]), so that it
//! is checked by the very rules the forms use.

mod fields;
mod report;
mod rows;
mod update;

pub use report::{ImportCounts, ImportStatus, ReportRow, RowMessage, RowStatus, SKIPPED_MATCH};
pub use rows::{Lexicon, RowDraft, company_row, custom_value, import_date, person_row};
pub use update::{FieldChange, OnMatch, RowUpdate, form_paths, overlay_form};

use crate::custom::CustomField;
use crate::error::FieldErrors;
use crate::validate::text::search_key;
use fields::{COMPANIES, FieldSpec, PEOPLE};
use serde::{Deserialize, Serialize};

/// What an import creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    People,
    Companies,
}

impl ImportKind {
    pub const ALL: [ImportKind; 2] = [ImportKind::People, ImportKind::Companies];

    /// `people` or `companies`.
    pub fn parse(text: &str) -> Option<ImportKind> {
        match text.trim() {
            "people" => Some(ImportKind::People),
            "companies" => Some(ImportKind::Companies),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::People => "people",
            ImportKind::Companies => "companies",
        }
    }

    /// The record type its records are stored and audited as.
    pub fn record_type(self) -> &'static str {
        match self {
            ImportKind::People => "person",
            ImportKind::Companies => "company",
        }
    }

    fn fields(self) -> &'static [FieldSpec] {
        match self {
            ImportKind::People => PEOPLE,
            ImportKind::Companies => COMPANIES,
        }
    }

    /// The codes of the fields a column may fill (custom fields aside), in form order.
    pub fn field_codes(self) -> Vec<&'static str> {
        self.fields().iter().map(|f| f.code).collect()
    }
}

/// The field a column fills.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// A built-in field, by code (`first_name`, `emails`, `company`, `owner`…).
    Field(&'static str),
    /// A custom field, by key.
    Custom(String),
}

impl Target {
    /// `emails`, or `custom.<key>`.
    pub fn code(&self) -> String {
        match self {
            Target::Field(code) => (*code).to_string(),
            Target::Custom(key) => format!("custom.{key}"),
        }
    }

    /// A code as [`Target::code`] writes it, for `kind` and its custom fields.
    pub fn parse(kind: ImportKind, text: &str, custom: &[CustomField]) -> Option<Target> {
        let text = text.trim();
        if let Some(key) = text.strip_prefix("custom.") {
            return custom
                .iter()
                .find(|f| f.key == key && !f.archived)
                .map(|f| Target::Custom(f.key.clone()));
        }
        kind.fields()
            .iter()
            .find(|f| f.code == text)
            .map(|f| Target::Field(f.code))
    }

    fn many(&self, kind: ImportKind) -> bool {
        match self {
            Target::Field(code) => kind.fields().iter().any(|f| f.code == *code && f.many),
            Target::Custom(_) => false,
        }
    }
}

/// A header as compared: folded ([`search_key`]) without spaces, so that "E-posta",
/// "e posta" and "EPOSTA" are one name, and "İl" and "il" too.
fn folded(header: &str) -> String {
    search_key(header).replace(' ', "")
}

/// The field a header names, if any: a built-in field's name, or a custom field's key or
/// label in either language. A numbered header ("E-posta 2") names a field that takes
/// several columns.
pub fn match_header(kind: ImportKind, header: &str, custom: &[CustomField]) -> Option<Target> {
    let name = folded(header);
    if name.is_empty() {
        return None;
    }
    let exact = |name: &str| {
        kind.fields()
            .iter()
            .find(|f| f.code == name || f.names.iter().any(|n| folded(n) == name))
            .map(|f| Target::Field(f.code))
            .or_else(|| {
                custom
                    .iter()
                    .filter(|f| !f.archived)
                    .find(|f| {
                        folded(&f.key) == name
                            || folded(&f.label_tr) == name
                            || folded(&f.label_en) == name
                    })
                    .map(|f| Target::Custom(f.key.clone()))
            })
    };
    exact(&name).or_else(|| {
        let unnumbered = name.trim_end_matches(|c: char| c.is_ascii_digit());
        (unnumbered.len() < name.len())
            .then(|| exact(unnumbered))
            .flatten()
            .filter(|t| t.many(kind))
    })
}

/// The field each column fills (`None`: the column is left out), by index.
pub type Mapping = Vec<Option<Target>>;

/// The mapping the headers suggest: each column its field, the first column that names a
/// single-valued field taking it.
pub fn suggest_mapping(kind: ImportKind, header: &[String], custom: &[CustomField]) -> Mapping {
    let mut mapping: Mapping = Vec::with_capacity(header.len());
    for name in header {
        let target = match_header(kind, name, custom)
            .filter(|t| t.many(kind) || !mapping.iter().flatten().any(|m| m == t));
        mapping.push(target);
    }
    mapping
}

/// The mapping a user wrote (`{"E-posta": "emails", "3": "phones", "Not": null}`: a header
/// as written, or a column number counted from 1 (`#3` is a number even where a header
/// reads "3"), to a field code or nothing) laid over
/// `mapping` (the suggested one, or the one an import has): columns it does not name keep
/// their field.
pub fn apply_mapping(
    kind: ImportKind,
    header: &[String],
    custom: &[CustomField],
    mut mapping: Mapping,
    written: &serde_json::Map<String, serde_json::Value>,
) -> Result<Mapping, FieldErrors> {
    mapping.resize(header.len(), None);
    let mut errors = FieldErrors::new();
    for (column, value) in written {
        // `#3` is always the third column, whatever the headers say.
        let numbered = column
            .trim()
            .strip_prefix('#')
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| (1..=header.len()).contains(n))
            .map(|n| n - 1);
        let index = numbered
            .or_else(|| header.iter().position(|h| h == column.trim()))
            .or_else(|| header.iter().position(|h| folded(h) == folded(column)))
            .or_else(|| {
                column
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=header.len()).contains(n))
                    .map(|n| n - 1)
            });
        let Some(index) = index else {
            errors.add(format!("mapping.{column}"), "invalid-import-unknown-column");
            continue;
        };
        let target = match value {
            serde_json::Value::Null => None,
            serde_json::Value::String(code) if code.trim().is_empty() => None,
            serde_json::Value::String(code) => match Target::parse(kind, code, custom) {
                Some(target) => Some(target),
                None => {
                    errors.add(format!("mapping.{column}"), "invalid-import-unknown-field");
                    continue;
                }
            },
            _ => {
                errors.add(format!("mapping.{column}"), "invalid-import-unknown-field");
                continue;
            }
        };
        mapping[index] = target;
    }
    if errors.is_empty() {
        Ok(mapping)
    } else {
        Err(errors)
    }
}

/// Refuses a mapping that leaves the kind's required field without a column (a person's
/// first name, or their full name; a company's name) or fills a single-valued field from
/// two columns.
pub fn check_mapping(kind: ImportKind, mapping: &Mapping) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    let has = |code: &str| {
        mapping
            .iter()
            .flatten()
            .any(|t| *t == Target::Field(leak(code)))
    };
    let required_missing = match kind {
        ImportKind::People => !has("first_name") && !has("full_name"),
        ImportKind::Companies => !has("name"),
    };
    if required_missing {
        let field = match kind {
            ImportKind::People => "first_name",
            ImportKind::Companies => "name",
        };
        errors.add(
            format!("mapping.{field}"),
            "invalid-import-unmapped-required",
        );
    }
    let mut seen: Vec<&Target> = Vec::new();
    for target in mapping.iter().flatten() {
        if seen.contains(&target) && !target.many(kind) {
            errors.add(
                format!("mapping.{}", target.code()),
                "invalid-import-mapped-twice",
            );
        }
        seen.push(target);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The `&'static str` of a built-in code (targets compare by value, so any spelling works).
fn leak(code: &str) -> &'static str {
    PEOPLE
        .iter()
        .chain(COMPANIES)
        .find(|f| f.code == code)
        .map_or("", |f| f.code)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn codes(mapping: &Mapping) -> Vec<String> {
        mapping
            .iter()
            .map(|t| t.as_ref().map(Target::code).unwrap_or_default())
            .collect()
    }

    #[test]
    fn turkish_and_english_headers_find_their_fields() {
        let header = headers(&[
            "Adı",
            "SOYAD",
            "e-posta",
            "E-posta 2",
            "GSM",
            "Firma",
            "İL",
            "ilçe",
            "TCKN",
            "Etiket",
            "Ne bu?",
        ]);
        let mapping = suggest_mapping(ImportKind::People, &header, &[]);
        assert_eq!(
            codes(&mapping),
            [
                "first_name",
                "last_name",
                "emails",
                "emails",
                "phones",
                "company",
                "city",
                "district",
                "national_id",
                "tags",
                ""
            ]
        );
        let header = headers(&["First name", "Last name", "Email", "Mobile", "City"]);
        assert_eq!(
            codes(&suggest_mapping(ImportKind::People, &header, &[])),
            ["first_name", "last_name", "emails", "phones", "city"]
        );
    }

    #[test]
    fn the_exports_own_headers_map_back_in_both_languages() {
        let tr = headers(&[
            "ID",
            "Ad",
            "Soyad",
            "E-posta adresleri",
            "Telefon numaraları",
            "Firma",
            "Unvan",
            "Adres",
            "İlçe",
            "İl",
            "Posta kodu",
            "Ülke",
            "Doğum tarihi",
            "T.C. kimlik numarası (TCKN)",
            "Etiketler",
            "Yaşam döngüsü aşaması",
            "Aday durumu",
            "Aday kaynağı",
            "Sorumlu",
            "Notlar",
        ]);
        let mapping = suggest_mapping(ImportKind::People, &tr, &[]);
        assert_eq!(mapping[0], None);
        assert!(
            mapping[1..].iter().all(Option::is_some),
            "{:?}",
            codes(&mapping)
        );
        let en = headers(&[
            "Name",
            "E-mail addresses",
            "Phone numbers",
            "Website",
            "Industry",
            "Tax office",
            "Tax number (VKN)",
            "National ID (TCKN)",
            "Street address",
            "District",
            "City",
            "Postal code",
            "Country",
            "Tags",
            "Lifecycle stage",
            "Owner",
            "Notes",
        ]);
        let mapping = suggest_mapping(ImportKind::Companies, &en, &[]);
        assert!(mapping.iter().all(Option::is_some), "{:?}", codes(&mapping));
    }

    #[test]
    fn a_single_field_named_twice_keeps_the_first_column() {
        let header = headers(&["Ad", "İsim"]);
        assert_eq!(
            codes(&suggest_mapping(ImportKind::People, &header, &[])),
            ["first_name", ""]
        );
    }

    #[test]
    fn a_written_mapping_overrides_by_header_or_column_number() {
        let header = headers(&["Ad", "Kolon B", "Not"]);
        let written = serde_json::json!({"Kolon B": "phones", "#3": null});
        let suggested = suggest_mapping(ImportKind::People, &header, &[]);
        let mapping = apply_mapping(
            ImportKind::People,
            &header,
            &[],
            suggested,
            written.as_object().unwrap(),
        )
        .unwrap();
        assert_eq!(codes(&mapping), ["first_name", "phones", ""]);
        let wrong = serde_json::json!({"Yok": "phones", "Ad": "shoe_size"});
        let errors = apply_mapping(
            ImportKind::People,
            &header,
            &[],
            vec![],
            wrong.as_object().unwrap(),
        )
        .unwrap_err();
        assert_eq!(errors.0.len(), 2);
        assert_eq!(
            errors.get("mapping.Yok").unwrap().code,
            "invalid-import-unknown-column"
        );
        assert_eq!(
            errors.get("mapping.Ad").unwrap().code,
            "invalid-import-unknown-field"
        );
    }

    #[test]
    fn a_mapping_without_the_name_or_with_a_field_twice_is_refused() {
        let mapping = vec![Some(Target::Field("emails")), Some(Target::Field("emails"))];
        let errors = check_mapping(ImportKind::People, &mapping).unwrap_err();
        assert_eq!(errors.0.len(), 1);
        assert_eq!(
            errors.get("mapping.first_name").unwrap().code,
            "invalid-import-unmapped-required"
        );
        let mapping = vec![Some(Target::Field("name")), Some(Target::Field("name"))];
        let errors = check_mapping(ImportKind::Companies, &mapping).unwrap_err();
        assert_eq!(
            errors.get("mapping.name").unwrap().code,
            "invalid-import-mapped-twice"
        );
        assert!(check_mapping(ImportKind::People, &vec![Some(Target::Field("full_name"))]).is_ok());
    }
}
