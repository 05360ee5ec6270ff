//! One row of a file as the raw form a user would have typed: each mapped cell put where the
//! form keeps it, in the spelling the form reads (a date as ISO, a lifecycle label as its
//! code, a yes as `true`). Nothing is refused here: the form's own validation does that, so
//! an imported row is held to exactly the rules of a typed one.

use super::{Mapping, Target};
use crate::custom::{CustomField, FieldType};
use crate::money::Money;
use crate::party::{CompanyForm, PersonForm};
use crate::validate::text::search_key;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The labels choice fields are written with in files (an export says "Müşteri" or
/// "Customer", not `customer`), by field: folded label → code. Filled by the caller, who
/// knows the languages.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    labels: HashMap<(&'static str, String), String>,
}

impl Lexicon {
    /// Lets `label` stand for `code` in `field` (`lifecycle_stage`, `lead_status`,
    /// `lead_source`).
    pub fn add(&mut self, field: &'static str, label: &str, code: &str) {
        self.labels
            .insert((field, search_key(label)), code.to_string());
    }

    /// The code `text` stands for, or `text` itself (a code, or a value the form refuses).
    fn code(&self, field: &'static str, text: &str) -> String {
        let text = text.trim();
        self.labels
            .get(&(field, search_key(text)))
            .cloned()
            .unwrap_or_else(|| text.to_string())
    }
}

/// A row made ready for checking: the form, the custom values as the API would send them,
/// and the names the services resolve (the company a person works at, the owner).
#[derive(Debug, Clone, PartialEq)]
pub struct RowDraft<F> {
    pub form: F,
    pub custom: Map<String, Value>,
    /// A person's company, by name.
    pub company: Option<String>,
    /// The owner, by e-mail or name.
    pub owner: Option<String>,
    /// Custom cells that could not be read as their field's type: `(field, code)`.
    pub unreadable: Vec<(String, &'static str)>,
    /// The places of the form the row's non-empty cells fill (`address.city`,
    /// `custom.sektor`): what an update takes from the row.
    pub filled: Vec<String>,
}

/// Values of a multi-valued cell: "a@x.co; b@x.co", one per line, or by commas.
fn split(cell: &str) -> impl Iterator<Item = String> + '_ {
    cell.split([',', ';', '\n', '|'])
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// A date as a file may write it, as ISO (`2026-04-09`): ISO itself (a time after it is
/// dropped), `09.04.2026` or `9/4/2026` (day first, as in Türkiye, unless the first number
/// cannot be a month day… or the second cannot be a month), or an Excel serial day number.
/// `None` when it is none of them.
pub fn import_date(text: &str) -> Option<String> {
    let text = text.trim();
    let date_part = text.split(['T', ' ']).next().unwrap_or(text);
    if let Ok(date) = date_part.parse::<jiff::civil::Date>() {
        return Some(date.to_string());
    }
    if let Ok(serial) = text.parse::<f64>() {
        // Excel's day 1 is 1900-01-01 and it counts a 29 February 1900 that never was:
        // from day 61 on, day n is n days after 1899-12-30.
        // Five digits at least: four are a year ("1990"), not a day number.
        if (10_000.0..2_958_466.0).contains(&serial) {
            let days = serial.floor() as i64;
            let base = jiff::civil::date(1899, 12, 30);
            return base
                .checked_add(jiff::Span::new().days(days))
                .ok()
                .map(|d| d.to_string());
        }
        return None;
    }
    let parts: Vec<&str> = date_part.split(['.', '/', '-']).collect();
    let [a, b, year] = parts.as_slice() else {
        return None;
    };
    let (a, b, year): (i8, i8, i16) = (a.parse().ok()?, b.parse().ok()?, year.parse().ok()?);
    let (day, month) = if b > 12 && a <= 12 { (b, a) } else { (a, b) };
    jiff::civil::Date::new(year, month, day)
        .ok()
        .map(|d| d.to_string())
}

/// A number as a Turkish or an English spreadsheet writes it: `1.250,5` and `1,250.5` are
/// both 1250.5 (the last separator is the decimal one when both appear), `0,125` is 0.125,
/// and a separator repeated (`1.250.000`) groups thousands.
fn decimal(text: &str) -> Option<f64> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let commas = text.matches(',').count();
    let dots = text.matches('.').count();
    let plain = match (commas, dots) {
        (0, 0) => text,
        (_, 0) if commas > 1 => text.replace(',', ""),
        (_, 0) => text.replace(',', "."),
        (0, _) if dots > 1 => text.replace('.', ""),
        (0, _) => text,
        _ => {
            let last = text.rfind([',', '.'])?;
            let (whole, fraction) = text.split_at(last);
            format!("{}.{}", whole.replace([',', '.'], ""), &fraction[1..])
        }
    };
    plain.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A yes or no as people write it in either language.
fn yes_no(text: &str) -> Option<bool> {
    match search_key(text).as_str() {
        "evet" | "e" | "var" | "yes" | "y" | "true" | "1" | "x" | "dogru" => Some(true),
        "hayir" | "h" | "yok" | "no" | "n" | "false" | "0" | "yanlis" => Some(false),
        _ => None,
    }
}

/// A custom field's cell as the API would send its value; `Err` with the code when the cell
/// cannot be read as the field's type. An empty cell is `Null` (no value).
pub fn custom_value(field: &CustomField, cell: &str) -> Result<Value, &'static str> {
    let text = cell.trim();
    if text.is_empty() {
        return Ok(Value::Null);
    }
    let option = |text: &str| {
        let key = search_key(text);
        field
            .options
            .iter()
            .find(|o| {
                o.key == text || search_key(&o.label_tr) == key || search_key(&o.label_en) == key
            })
            .map_or_else(|| text.to_string(), |o| o.key.clone())
    };
    Ok(match field.field_type {
        FieldType::Text
        | FieldType::LongText
        | FieldType::Url
        | FieldType::Email
        | FieldType::Phone => Value::String(text.to_string()),
        FieldType::Date => Value::String(import_date(text).unwrap_or_else(|| text.to_string())),
        FieldType::Number => serde_json::Number::from_f64(decimal(text).ok_or("invalid-number")?)
            .map(Value::Number)
            .ok_or("invalid-number")?,
        FieldType::Money => {
            // An amount, with its currency code after it (`9.90 EUR`) or TRY.
            let (amount, currency) = match text.rsplit_once(' ') {
                Some((amount, code))
                    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic()) =>
                {
                    (amount, code)
                }
                _ => (text, "TRY"),
            };
            let money = Money::parse(amount, currency).map_err(|_| "invalid-amount")?;
            serde_json::json!({"minor": money.minor, "currency": money.currency})
        }
        FieldType::Boolean => Value::Bool(yes_no(text).ok_or("invalid-type")?),
        FieldType::Choice => Value::String(option(text)),
        FieldType::MultiChoice => {
            Value::Array(split(text).map(|t| Value::String(option(&t))).collect())
        }
    })
}

/// A cell without the apostrophe an export (or an error report) puts before text that a
/// spreadsheet would run as a formula: `'+90 532…` is read as `+90 532…` again.
fn unguarded(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => cell,
    }
}

/// What a row's cells hold, field by field, before they go into a form.
struct Cells<'a> {
    mapping: &'a Mapping,
    cells: &'a [String],
}

impl<'a> Cells<'a> {
    /// The cells a built-in field's columns hold (several for e-mails), non-empty.
    fn all<'s>(&'s self, code: &'s str) -> impl Iterator<Item = &'a str> + 's {
        self.mapping
            .iter()
            .zip(self.cells.iter())
            .filter(move |(t, _)| matches!(t, Some(Target::Field(c)) if *c == code))
            .map(|(_, cell)| unguarded(cell.trim()))
            .filter(|cell| !cell.is_empty())
    }

    /// The one cell of a single-valued field, empty when unmapped or blank.
    fn one(&self, code: &str) -> String {
        self.all(code).next().unwrap_or_default().to_string()
    }

    fn given(&self, code: &str) -> Option<String> {
        self.all(code).next().map(str::to_string)
    }

    fn values(&self, code: &str) -> Vec<String> {
        self.all(code).flat_map(split).collect()
    }

    /// The form places the non-empty built-in cells fill, and the custom values read.
    fn filled(&self, custom: &Map<String, Value>) -> Vec<String> {
        let mut paths: Vec<String> = Vec::new();
        for (target, cell) in self.mapping.iter().zip(self.cells) {
            let Some(Target::Field(code)) = target else {
                continue;
            };
            if unguarded(cell.trim()).is_empty() {
                continue;
            }
            for path in super::form_paths(code) {
                if !paths.iter().any(|p| p == path) {
                    paths.push((*path).to_string());
                }
            }
        }
        paths.extend(custom.keys().map(|key| format!("custom.{key}")));
        paths
    }

    /// The custom cells, read as their fields' values.
    fn custom(
        &self,
        fields: &[CustomField],
        unreadable: &mut Vec<(String, &'static str)>,
    ) -> Map<String, Value> {
        let mut values = Map::new();
        for (target, cell) in self.mapping.iter().zip(self.cells) {
            let Some(Target::Custom(key)) = target else {
                continue;
            };
            let Some(field) = fields.iter().find(|f| &f.key == key) else {
                continue;
            };
            match custom_value(field, unguarded(cell.trim())) {
                Ok(Value::Null) => {}
                Ok(value) => {
                    values.insert(key.clone(), value);
                }
                Err(code) => unreadable.push((field.error_field(), code)),
            }
        }
        values
    }
}

/// Fills the fields every party shares. A form keeps the defaults of its blank form where a
/// cell is empty (the country, the lifecycle stage).
macro_rules! fill_party {
    ($form:expr, $cells:expr, $lexicon:expr) => {{
        let cells = $cells;
        $form.emails = cells.values("emails");
        $form.phones = cells.values("phones");
        $form.tags = cells.values("tags");
        $form.address.street = cells.one("street");
        $form.address.district = cells.one("district");
        $form.address.city = cells.one("city");
        $form.address.postal_code = cells.one("postal_code");
        if let Some(country) = cells.given("country") {
            $form.address.country = country;
        }
        if let Some(stage) = cells.given("lifecycle_stage") {
            $form.lifecycle_stage = $lexicon.code("lifecycle_stage", &stage);
        }
        $form.lead_status = $lexicon.code("lead_status", &cells.one("lead_status"));
        $form.lead_source = $lexicon.code("lead_source", &cells.one("lead_source"));
        $form.unqualified_reason = cells.one("unqualified_reason");
        $form.notes = cells.one("notes");
    }};
}

/// A person's row as their form. A full name fills the first and last names (the last word
/// is the last name) where those have no column of their own.
pub fn person_row(
    mapping: &Mapping,
    cells: &[String],
    custom: &[CustomField],
    lexicon: &Lexicon,
) -> RowDraft<PersonForm> {
    let cells = Cells { mapping, cells };
    let mut form = PersonForm::blank();
    fill_party!(form, &cells, lexicon);
    form.first_name = cells.one("first_name");
    form.last_name = cells.one("last_name");
    if let Some(full) = cells.given("full_name") {
        let full = full.split_whitespace().collect::<Vec<_>>();
        if let Some((last, first)) = full.split_last() {
            if form.first_name.is_empty() && form.last_name.is_empty() && !first.is_empty() {
                form.first_name = first.join(" ");
                form.last_name = (*last).to_string();
            } else if form.first_name.is_empty() {
                form.first_name = full.join(" ");
            }
        }
    }
    form.job_title = cells.one("job_title");
    let birthday = cells.one("birthday");
    form.birthday = import_date(&birthday).unwrap_or(birthday);
    form.national_id = cells.one("national_id");
    let mut unreadable = Vec::new();
    let custom = cells.custom(custom, &mut unreadable);
    RowDraft {
        form,
        filled: cells.filled(&custom),
        custom,
        company: cells.given("company"),
        owner: cells.given("owner"),
        unreadable,
    }
}

/// A company's row as its form.
pub fn company_row(
    mapping: &Mapping,
    cells: &[String],
    custom: &[CustomField],
    lexicon: &Lexicon,
) -> RowDraft<CompanyForm> {
    let cells = Cells { mapping, cells };
    let mut form = CompanyForm::blank();
    fill_party!(form, &cells, lexicon);
    form.name = cells.one("name");
    form.website = cells.one("website");
    form.industry = cells.one("industry");
    form.tax_office = cells.one("tax_office");
    form.tax_number = cells.one("tax_number");
    form.national_id = cells.one("national_id");
    form.trade_registry_number = cells.one("trade_registry_number");
    let mut unreadable = Vec::new();
    if let Some(answer) = cells.given("e_invoice") {
        match yes_no(&answer) {
            Some(yes) => form.e_invoice = yes,
            None => unreadable.push(("e_invoice".to_string(), "invalid-type")),
        }
    }
    let custom = cells.custom(custom, &mut unreadable);
    RowDraft {
        form,
        filled: cells.filled(&custom),
        custom,
        company: None,
        owner: cells.given("owner"),
        unreadable,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::import::{ImportKind, suggest_mapping};

    fn row(header: &[&str], cells: &[&str]) -> RowDraft<PersonForm> {
        let header: Vec<String> = header.iter().map(|s| s.to_string()).collect();
        let mapping = suggest_mapping(ImportKind::People, &header, &[]);
        let cells: Vec<String> = cells.iter().map(|s| s.to_string()).collect();
        let mut lexicon = Lexicon::default();
        lexicon.add("lifecycle_stage", "Müşteri", "customer");
        person_row(&mapping, &cells, &[], &lexicon)
    }

    #[test]
    fn a_row_fills_the_form_a_user_would_type() {
        let draft = row(
            &[
                "Ad Soyad",
                "E-posta",
                "E-posta 2",
                "GSM",
                "Firma",
                "İl",
                "Aşama",
                "Doğum tarihi",
                "Etiket",
            ],
            &[
                "Ayşe Nur Işık",
                "ayse@ornek.com.tr",
                "",
                "0532 111 22 33; 0212 555 0 555",
                "Çağlar Tekstil",
                "İstanbul",
                "müşteri",
                "09.04.1990",
                "vip, fuar",
            ],
        );
        let form = &draft.form;
        assert_eq!(
            (form.first_name.as_str(), form.last_name.as_str()),
            ("Ayşe Nur", "Işık")
        );
        assert_eq!(form.emails, ["ayse@ornek.com.tr"]);
        assert_eq!(form.phones, ["0532 111 22 33", "0212 555 0 555"]);
        assert_eq!(form.address.city, "İstanbul");
        assert_eq!(
            form.address.country, "Türkiye",
            "the blank form's default stays"
        );
        assert_eq!(form.lifecycle_stage, "customer");
        assert_eq!(form.birthday, "1990-04-09");
        assert_eq!(form.tags, ["vip", "fuar"]);
        assert_eq!(draft.company.as_deref(), Some("Çağlar Tekstil"));
        assert_eq!(
            draft.filled,
            [
                "first_name",
                "last_name",
                "emails",
                "phones",
                "address.city",
                "lifecycle_stage",
                "birthday",
                "tags"
            ],
            "what an update takes: the cells given, the company resolved by the check"
        );
        let valid = form.validate(jiff::civil::date(2026, 12, 6)).unwrap();
        assert_eq!(valid.phones[0].as_str(), "+905321112233");
    }

    #[test]
    fn dates_are_read_in_the_spellings_files_use() {
        assert_eq!(import_date("2026-04-09").as_deref(), Some("2026-04-09"));
        assert_eq!(
            import_date("2026-04-09T10:30:00").as_deref(),
            Some("2026-04-09")
        );
        assert_eq!(import_date("9.4.2026").as_deref(), Some("2026-04-09"));
        assert_eq!(import_date("09/04/2026").as_deref(), Some("2026-04-09"));
        assert_eq!(import_date("04/25/2026").as_deref(), Some("2026-04-25"));
        assert_eq!(import_date("45000").as_deref(), Some("2023-03-15"));
        assert_eq!(import_date("1990"), None, "a year alone is no date");
        assert_eq!(import_date("32.13.2026"), None);
        assert_eq!(import_date("dün"), None);
    }

    #[test]
    fn custom_cells_become_the_values_the_api_sends() {
        let field = |field_type, key: &str| CustomField {
            id: 1,
            record_type: "person".into(),
            key: key.into(),
            field_type,
            label_tr: key.into(),
            label_en: key.into(),
            required: false,
            options: vec![crate::custom::FieldOption {
                key: "tekstil".into(),
                label_tr: "Tekstil".into(),
                label_en: "Textile".into(),
                archived: false,
            }],
            decimals: 0,
            section: String::new(),
            position: 0,
            in_list: false,
            filterable: false,
            archived: false,
            version: 1,
        };
        assert_eq!(
            custom_value(&field(FieldType::Choice, "s"), "TEKSTİL"),
            Ok(Value::from("tekstil"))
        );
        assert_eq!(
            custom_value(&field(FieldType::Boolean, "b"), "Evet"),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            custom_value(&field(FieldType::Boolean, "b"), "belki"),
            Err("invalid-type")
        );
        assert_eq!(
            custom_value(&field(FieldType::Money, "m"), "1.250,50"),
            Ok(serde_json::json!({"minor": 125050, "currency": "TRY"}))
        );
        assert_eq!(
            custom_value(&field(FieldType::Number, "n"), "12.5"),
            Ok(serde_json::json!(12.5))
        );
        for (cell, number) in [
            ("0,125", 0.125),
            ("1.250,5", 1250.5),
            ("1,250.5", 1250.5),
            ("1.250.000", 1_250_000.0),
            ("-3", -3.0),
        ] {
            assert_eq!(
                custom_value(&field(FieldType::Number, "n"), cell),
                Ok(serde_json::json!(number)),
                "{cell}"
            );
        }
        assert_eq!(
            custom_value(&field(FieldType::Number, "n"), "bir"),
            Err("invalid-number")
        );
        assert_eq!(
            custom_value(&field(FieldType::Money, "m"), "9.90 EUR"),
            Ok(serde_json::json!({"minor": 990, "currency": "EUR"}))
        );
        assert_eq!(
            custom_value(&field(FieldType::Date, "d"), "01.02.2026"),
            Ok(Value::from("2026-02-01"))
        );
        assert_eq!(
            custom_value(&field(FieldType::Text, "t"), "  "),
            Ok(Value::Null)
        );
    }
}
