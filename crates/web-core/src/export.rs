//! Lists as files: people and companies as a table worded in the reader's language, written
//! as CSV (the standard profile, or Excel set to Turkish) or XLSX. The API and `rehber
//! export` share it; the records come from [`App::export`], so a file holds exactly what
//! the reader's list shows, and the export is in the audit log.

use crate::i18n::Lang;
use rehber_app::export::ExportNote;
use rehber_app::list::ListRequest;
use rehber_app::{App, AppError, User};
use rehber_domain::access::RecordKind;
use rehber_domain::custom::{CustomField, CustomValues, FieldType};
use rehber_domain::party::{Companies, Company, People, Person};
use rehber_domain::{Actor, UserId};
use rehber_sheets::{Cell, CsvProfile, Table};
use serde_json::Value;
use std::collections::HashMap;

/// The file an export is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv(CsvProfile),
    Xlsx,
}

impl ExportFormat {
    /// `csv` (with `profile` `standard`, the default, or `excel-tr`) or `xlsx`.
    pub fn parse(format: &str, profile: Option<&str>) -> Option<ExportFormat> {
        match (format, profile) {
            ("csv", None) => Some(ExportFormat::Csv(CsvProfile::Standard)),
            ("csv", Some(profile)) => CsvProfile::parse(profile).map(ExportFormat::Csv),
            ("xlsx", None) => Some(ExportFormat::Xlsx),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv(_) => "text/csv; charset=utf-8",
            ExportFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv(_) => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }

    /// How the audit log names it.
    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Csv(CsvProfile::Standard) => "csv",
            ExportFormat::Csv(CsvProfile::ExcelTurkish) => "csv excel-tr",
            ExportFormat::Xlsx => "xlsx",
        }
    }
}

/// An export, ready to send or save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    pub bytes: Vec<u8>,
    /// `kisiler-2026-12-06.xlsx`, in the reader's language.
    pub file_name: String,
    pub rows: usize,
}

impl ExportFile {
    /// The file as a download of `format`.
    pub fn into_response(self, format: ExportFormat) -> axum::response::Response {
        use axum::http::header;
        use axum::response::IntoResponse;
        (
            [
                (header::CONTENT_TYPE, format.content_type().to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}\"", self.file_name),
                ),
            ],
            self.bytes,
        )
            .into_response()
    }
}

/// The kinds whose lists can be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    People,
    Companies,
}

impl ExportKind {
    /// `people` or `companies`.
    pub fn parse(text: &str) -> Option<ExportKind> {
        match text {
            "people" => Some(ExportKind::People),
            "companies" => Some(ExportKind::Companies),
            _ => None,
        }
    }
}

/// What the export reads besides the records: users' names, and the balances the lists
/// show.
struct Context {
    lang: Lang,
    users: HashMap<UserId, String>,
    receivables: HashMap<i64, (i64, i64)>,
    /// The kind's active custom fields, in their order: one column each, after the others.
    custom: Vec<CustomField>,
}

impl Context {
    fn owner(&self, owner: Option<UserId>) -> Cell {
        owner
            .and_then(|id| self.users.get(&id))
            .map_or(Cell::Empty, |name| Cell::Text(name.clone()))
    }

    fn receivable(&self, id: i64) -> [Cell; 2] {
        let (balance, overdue) = self.receivables.get(&id).copied().unwrap_or((0, 0));
        [Cell::Amount(balance), Cell::Amount(overdue)]
    }

    /// The custom fields' header: each field's label in the reader's language.
    fn custom_header(&self) -> Vec<String> {
        self.custom
            .iter()
            .map(|f| f.label(self.lang.code()).to_string())
            .collect()
    }

    /// A record's custom values, one cell per field of [`Context::custom`].
    fn custom_cells<'a>(&'a self, values: &'a CustomValues) -> impl Iterator<Item = Cell> + 'a {
        self.custom.iter().map(move |field| {
            values
                .get(&field.key)
                .map_or(Cell::Empty, |value| custom_cell(self.lang, field, value))
        })
    }

    fn label(&self, prefix: &str, code: Option<&str>) -> Cell {
        code.map_or(Cell::Empty, |code| {
            Cell::Text(self.lang.t(&format!("{prefix}-{code}")))
        })
    }
}

fn text(value: &str) -> Cell {
    if value.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(value.to_string())
    }
}

fn joined<'a>(values: impl Iterator<Item = &'a str>) -> Cell {
    text(&values.collect::<Vec<_>>().join(", "))
}

/// Phone numbers are validated and stored as E.164 (`+90…`): kept as they are.
fn phones<'a>(values: impl Iterator<Item = &'a str>) -> Cell {
    let all: Vec<&str> = values.collect();
    if all.is_empty() {
        Cell::Empty
    } else {
        Cell::Verbatim(all.join(", "))
    }
}

fn day(at: jiff::Timestamp) -> Cell {
    let local = at.to_zoned_datetime(rehber_app::home_zone()).date();
    Cell::Date(local.year(), local.month(), local.day())
}

fn date(value: Option<jiff::civil::Date>) -> Cell {
    value.map_or(Cell::Empty, |d| Cell::Date(d.year(), d.month(), d.day()))
}

fn header(lang: Lang, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|key| lang.t(key)).collect()
}

/// The columns every party export ends with, after the kind's own.
const TAIL: [&str; 11] = [
    "field-tags",
    "field-lifecycle_stage",
    "field-lead_status",
    "field-lead_source",
    "records-lead-score",
    "records-balance",
    "records-overdue",
    "field-owner",
    "field-notes",
    "export-created_at",
    "export-updated_at",
];

/// The cells of [`TAIL`], which people and companies share.
struct Tail<'a> {
    id: i64,
    tags: &'a [String],
    stage: &'a str,
    status: Option<&'a str>,
    source: Option<&'a str>,
    score: i64,
    owner: Option<UserId>,
    notes: &'a str,
    meta: &'a rehber_domain::party::RecordMeta,
}

impl Context {
    fn tail(&self, t: Tail<'_>) -> [Cell; 11] {
        let [balance, overdue] = self.receivable(t.id);
        [
            joined(t.tags.iter().map(String::as_str)),
            self.label("lifecycle", Some(t.stage)),
            self.label("lead-status", t.status),
            self.label("lead-source", t.source),
            Cell::Integer(t.score),
            balance,
            overdue,
            self.owner(t.owner),
            text(t.notes),
            day(t.meta.created_at),
            day(t.meta.updated_at),
        ]
    }
}

/// A custom value as a cell: numbers, money in TRY and dates typed; a choice by its label
/// (which an import reads back); a yes or no in words.
fn custom_cell(lang: Lang, field: &CustomField, value: &Value) -> Cell {
    let option = |key: &str| {
        field.option(key).map_or_else(
            || key.to_string(),
            |o| match lang {
                Lang::Tr => o.label_tr.clone(),
                Lang::En => o.label_en.clone(),
            },
        )
    };
    match (field.field_type, value) {
        (FieldType::Number, Value::Number(n)) => match n.as_i64() {
            Some(whole) => Cell::Integer(whole),
            None => Cell::Text(n.to_string()),
        },
        (FieldType::Money, Value::Object(money)) => {
            let minor = money.get("minor").and_then(Value::as_i64).unwrap_or(0);
            match money.get("currency").and_then(Value::as_str) {
                None | Some("TRY") => Cell::Amount(minor),
                Some(currency) => Cell::Text(format!(
                    "{} {currency}",
                    rehber_domain::Money {
                        minor,
                        currency: currency.to_string()
                    }
                    .to_decimal_string()
                )),
            }
        }
        (FieldType::Date, Value::String(text)) => match text.parse::<jiff::civil::Date>() {
            Ok(d) => Cell::Date(d.year(), d.month(), d.day()),
            Err(_) => Cell::Text(text.clone()),
        },
        (FieldType::Boolean, Value::Bool(yes)) => {
            Cell::Text(lang.t(if *yes { "value-true" } else { "value-false" }))
        }
        (FieldType::Choice, Value::String(key)) => Cell::Text(option(key)),
        (FieldType::MultiChoice, Value::Array(keys)) => Cell::Text(
            keys.iter()
                .filter_map(Value::as_str)
                .map(option)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (FieldType::Phone, Value::String(phone)) => Cell::Verbatim(phone.clone()),
        (_, Value::String(value)) => text(value),
        (_, other) => Cell::Text(other.to_string()),
    }
}

fn people_table(cx: &Context, people: &[Person]) -> Table {
    let mut keys = vec![
        "export-id",
        "field-first_name",
        "field-last_name",
        "field-emails",
        "field-phones",
        "field-company_id",
        "field-job_title",
        "field-street",
        "field-district",
        "field-city",
        "field-postal_code",
        "field-country",
        "field-birthday",
        "field-national_id",
    ];
    keys.extend(TAIL);
    let rows = people
        .iter()
        .map(|p| {
            let f = &p.fields;
            let mut cells = Vec::from([
                Cell::Integer(p.id.0),
                text(&f.first_name),
                text(&f.last_name),
                joined(f.emails.iter().map(|e| e.as_str())),
                phones(f.phones.iter().map(|p| p.as_str())),
                text(p.company_name.as_deref().unwrap_or_default()),
                text(&f.job_title),
                text(&f.address.street),
                text(&f.address.district),
                text(&f.address.city),
                text(&f.address.postal_code),
                text(&f.address.country),
                date(f.birthday),
                f.national_id
                    .as_ref()
                    .map_or(Cell::Empty, |n| Cell::Verbatim(n.as_str().into())),
            ]);
            cells.extend(cx.tail(Tail {
                id: p.id.0,
                tags: &f.tags,
                stage: f.lifecycle_stage.as_str(),
                status: f.lead_status.map(|s| s.as_str()),
                source: f.lead_source.map(|s| s.as_str()),
                score: p.lead_score.score,
                owner: p.ownership.owner_id,
                notes: &f.notes,
                meta: &p.meta,
            }));
            cells.extend(cx.custom_cells(&f.custom));
            cells
        })
        .collect();
    let mut header = header(cx.lang, &keys);
    header.extend(cx.custom_header());
    Table {
        name: cx.lang.t("nav-people"),
        header,
        rows,
        bold_rows: Vec::new(),
    }
}

fn companies_table(cx: &Context, companies: &[Company]) -> Table {
    let mut keys = vec![
        "export-id",
        "field-name",
        "field-emails",
        "field-phones",
        "field-website",
        "field-industry",
        "field-tax_office",
        "field-tax_number",
        "field-national_id",
        "field-street",
        "field-district",
        "field-city",
        "field-postal_code",
        "field-country",
    ];
    keys.extend(TAIL);
    let rows = companies
        .iter()
        .map(|c| {
            let f = &c.fields;
            let mut cells = Vec::from([
                Cell::Integer(c.id.0),
                text(&f.name),
                joined(f.emails.iter().map(|e| e.as_str())),
                phones(f.phones.iter().map(|p| p.as_str())),
                text(&f.website),
                text(&f.industry),
                text(&f.tax_office),
                f.tax_number
                    .as_ref()
                    .map_or(Cell::Empty, |n| Cell::Verbatim(n.as_str().into())),
                f.national_id
                    .as_ref()
                    .map_or(Cell::Empty, |n| Cell::Verbatim(n.as_str().into())),
                text(&f.address.street),
                text(&f.address.district),
                text(&f.address.city),
                text(&f.address.postal_code),
                text(&f.address.country),
            ]);
            cells.extend(cx.tail(Tail {
                id: c.id.0,
                tags: &f.tags,
                stage: f.lifecycle_stage.as_str(),
                status: f.lead_status.map(|s| s.as_str()),
                source: f.lead_source.map(|s| s.as_str()),
                score: c.lead_score.score,
                owner: c.ownership.owner_id,
                notes: &f.notes,
                meta: &c.meta,
            }));
            cells.extend(cx.custom_cells(&f.custom));
            cells
        })
        .collect();
    let mut header = header(cx.lang, &keys);
    header.extend(cx.custom_header());
    Table {
        name: cx.lang.t("nav-companies"),
        header,
        rows,
        bold_rows: Vec::new(),
    }
}

async fn context(
    app: &App,
    lang: Lang,
    actor: &Actor,
    kind: RecordKind,
    ids: &[i64],
) -> Result<Context, AppError> {
    let users = app
        .list_users()
        .await?
        .into_iter()
        .map(|u: User| (u.id, u.name))
        .collect();
    let mut receivables = HashMap::with_capacity(ids.len());
    // In slices, so that no statement carries more values than a database takes.
    for slice in ids.chunks(500) {
        receivables.extend(app.receivables(actor, kind, slice).await?);
    }
    let record_type = match kind {
        RecordKind::Company => "company",
        _ => "person",
    };
    let custom = app.custom_fields(Some(record_type), false).await?;
    Ok(Context {
        lang,
        users,
        receivables,
        custom,
    })
}

/// The people or companies list `request` describes, as the actor sees it, written as
/// `format` in `lang`. `query` is the list's parameters as asked, for the audit log.
pub async fn export_list(
    app: &App,
    lang: Lang,
    actor: &Actor,
    kind: ExportKind,
    request: &ListRequest,
    format: ExportFormat,
    query: &str,
) -> Result<ExportFile, AppError> {
    let note = ExportNote {
        format: format.label().to_string(),
        query: query.to_string(),
    };
    let (table, stem) = match kind {
        ExportKind::People => {
            let people = app.export::<People>(actor, request, &note).await?;
            let ids: Vec<i64> = people.iter().map(|p| p.id.0).collect();
            let cx = context(app, lang, actor, RecordKind::Person, &ids).await?;
            (people_table(&cx, &people), lang.t("export-file-people"))
        }
        ExportKind::Companies => {
            let companies = app.export::<Companies>(actor, request, &note).await?;
            let ids: Vec<i64> = companies.iter().map(|c| c.id.0).collect();
            let cx = context(app, lang, actor, RecordKind::Company, &ids).await?;
            (
                companies_table(&cx, &companies),
                lang.t("export-file-companies"),
            )
        }
    };
    let bytes = match format {
        ExportFormat::Csv(profile) => rehber_sheets::to_csv(&table, profile),
        ExportFormat::Xlsx => rehber_sheets::to_xlsx(&table),
    }
    .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(ExportFile {
        bytes,
        file_name: format!("{stem}-{}.{}", app.today(), format.extension()),
        rows: table.rows.len(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_profiles_are_named_as_the_api_names_them() {
        assert_eq!(
            ExportFormat::parse("csv", Some("excel-tr")),
            Some(ExportFormat::Csv(CsvProfile::ExcelTurkish))
        );
        assert_eq!(ExportFormat::parse("xlsx", None), Some(ExportFormat::Xlsx));
        assert_eq!(ExportFormat::parse("xlsx", Some("excel-tr")), None);
        assert_eq!(ExportFormat::parse("pdf", None), None);
        assert_eq!(ExportKind::parse("people"), Some(ExportKind::People));
        assert_eq!(ExportKind::parse("deals"), None);
    }

    fn field(field_type: FieldType) -> CustomField {
        CustomField {
            id: 1,
            record_type: "person".into(),
            key: "k".into(),
            field_type,
            label_tr: "Alan".into(),
            label_en: "Field".into(),
            required: false,
            options: vec![rehber_domain::custom::FieldOption {
                key: "gida".into(),
                label_tr: "Gıda".into(),
                label_en: "Food".into(),
                archived: false,
            }],
            decimals: 2,
            section: String::new(),
            position: 0,
            in_list: false,
            filterable: false,
            archived: false,
            version: 1,
        }
    }

    #[test]
    fn custom_values_become_typed_cells_an_import_reads_back() {
        let cell = |t, v: Value| custom_cell(Lang::Tr, &field(t), &v);
        assert_eq!(
            cell(FieldType::Number, serde_json::json!(12)),
            Cell::Integer(12)
        );
        assert_eq!(
            cell(FieldType::Number, serde_json::json!(1.25)),
            Cell::Text("1.25".into())
        );
        assert_eq!(
            cell(
                FieldType::Money,
                serde_json::json!({"minor": 125050, "currency": "TRY"})
            ),
            Cell::Amount(125_050)
        );
        assert_eq!(
            cell(
                FieldType::Money,
                serde_json::json!({"minor": 990, "currency": "EUR"})
            ),
            Cell::Text("9.90 EUR".into())
        );
        assert_eq!(
            cell(FieldType::Date, "2026-03-01".into()),
            Cell::Date(2026, 3, 1)
        );
        assert_eq!(
            cell(FieldType::Boolean, Value::Bool(true)),
            Cell::Text("Evet".into())
        );
        assert_eq!(
            cell(FieldType::Choice, "gida".into()),
            Cell::Text("Gıda".into())
        );
        assert_eq!(
            cell(FieldType::MultiChoice, serde_json::json!(["gida", "eski"])),
            Cell::Text("Gıda, eski".into())
        );
        assert_eq!(
            cell(FieldType::Phone, "+905321112233".into()),
            Cell::Verbatim("+905321112233".into())
        );
        assert_eq!(
            cell(FieldType::Text, "=1+1".into()),
            Cell::Text("=1+1".into())
        );
    }
}
