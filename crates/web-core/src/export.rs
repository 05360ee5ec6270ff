//! Lists as files: people and companies as a table worded in the reader's language, written
//! as CSV (the standard profile, or Excel set to Turkish) or XLSX. The API and `rehber
//! export` share it; the records come from [`App::export`], so a file holds exactly what
//! the reader's list shows, and the export is in the audit log.

use crate::i18n::Lang;
use rehber_app::export::ExportNote;
use rehber_app::list::ListRequest;
use rehber_app::{App, AppError, User};
use rehber_domain::access::RecordKind;
use rehber_domain::party::{Companies, Company, People, Person};
use rehber_domain::{Actor, UserId};
use rehber_sheets::{Cell, CsvProfile, Table};
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
    fn label(self) -> &'static str {
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
            cells
        })
        .collect();
    Table {
        name: cx.lang.t("nav-people"),
        header: header(cx.lang, &keys),
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
            cells
        })
        .collect();
    Table {
        name: cx.lang.t("nav-companies"),
        header: header(cx.lang, &keys),
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
    Ok(Context {
        lang,
        users,
        receivables,
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
}
