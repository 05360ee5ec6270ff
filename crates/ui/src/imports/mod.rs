//! The import wizard: upload a file (the kind, and the encoding when the guess was wrong),
//! see how it was read (its encoding, delimiter or sheet, and its first rows, so that "İ"
//! and "ı" can be checked by eye) and which field each column fills, change that mapping,
//! check every row (a dry run), download the rows with problems as CSV or XLSX with their
//! original line numbers, commit all or nothing, and undo within seven days. Rows matching a
//! kept record are refused, update it (each row showing what it changes) or are skipped, as
//! chosen at the upload or with the mapping. The history of one's imports heads the page. The rules are `rehber_app::imports`'.

mod files;

use crate::error::{UiError, UiResultExt, form_messages, render};
use crate::page::Page;
use crate::paths::path_id;
use crate::records::Choice;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use rehber_app::imports::{OnMatch, StoredImport, UNDO_DAYS};
use rehber_domain::Error;
use rehber_domain::import::{ImportKind, ImportStatus, RowStatus};
use rehber_web_core::auth::SignedIn;
use rehber_web_core::i18n::Lang;
use rehber_web_core::imports::{describe_row, lexicon, matches_text};
use rehber_web_core::state::AppState;
use serde::Deserialize;
use std::collections::HashMap;

/// Rows of the file shown before the check.
const PREVIEW_ROWS: usize = 10;
/// Rows with messages shown on the page (the report has them all).
const SHOWN_ROWS: usize = 50;
/// How long a check or commit is waited for before the page shows its progress instead
/// (a small file's answer comes at once, a large one's step goes on behind the page).
const WAIT_FOR_STEP: std::time::Duration = std::time::Duration::from_millis(1_500);

/// The upload, served with the import cap as its body limit (see `rehber_web`).
pub fn upload_router() -> Router<AppState> {
    Router::new().route("/imports", post(files::upload))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/imports", get(index))
        .route("/imports/{id}", get(show))
        .route("/imports/{id}/mapping", post(remap))
        .route("/imports/{id}/check", post(check))
        .route("/imports/{id}/commit", post(commit))
        .route("/imports/{id}/undo", post(undo))
        .route("/imports/{id}/report", get(files::report))
}

/// An import in the history.
struct HistoryRow {
    id: i64,
    file_name: String,
    kind: String,
    status: String,
    tone: &'static str,
    counts: String,
    when: String,
}

fn status_tone(status: ImportStatus) -> &'static str {
    match status {
        ImportStatus::Committed => "success",
        ImportStatus::Failed => "danger",
        ImportStatus::Undone => "muted",
        ImportStatus::Checked => "info",
        _ => "",
    }
}

fn kind_label(lang: Lang, kind: ImportKind) -> String {
    lang.t(match kind {
        ImportKind::People => "people-title",
        ImportKind::Companies => "companies-title",
    })
}

fn counts_text(lang: Lang, import: &StoredImport) -> String {
    if import.checked_at.is_none() {
        return String::new();
    }
    lang.t_args(
        "import-counts",
        &[
            ("total", lang.number(import.counts.total as i64)),
            ("ok", lang.number(import.counts.ok as i64)),
            ("warnings", lang.number(import.counts.warnings as i64)),
            ("errors", lang.number(import.counts.errors as i64)),
        ],
    )
}

#[derive(Template)]
#[template(path = "imports/index.html")]
struct IndexPage {
    page: Page,
    kinds: Vec<Choice>,
    kind: String,
    encodings: Vec<Choice>,
    on_matches: Vec<Choice>,
    history: Vec<HistoryRow>,
    error: Option<String>,
}

/// What a row matching a kept record may do, in the reader's language.
fn on_match_choices(lang: Lang) -> Vec<Choice> {
    OnMatch::ALL
        .iter()
        .map(|m| {
            Choice::new(
                m.as_str(),
                lang.t(&format!("import-on-match-{}", m.as_str())),
            )
        })
        .collect()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct IndexQuery {
    kind: String,
}

fn encodings(lang: Lang) -> Vec<Choice> {
    [
        "windows-1254",
        "iso-8859-9",
        "utf-8",
        "utf-16le",
        "windows-1252",
    ]
    .into_iter()
    .map(|code| Choice::new(code, code.to_string()))
    .chain(std::iter::once(Choice::new(
        "",
        lang.t("import-encoding-auto"),
    )))
    .collect()
}

async fn index_page(
    state: &AppState,
    who: &SignedIn,
    kind: &str,
    error: Option<String>,
) -> Result<IndexPage, UiError> {
    let lang = who.lang;
    let imports = state.app.list_imports(&who.actor()).await.ui(who)?;
    let history = imports
        .iter()
        .map(|i| HistoryRow {
            id: i.id,
            file_name: i.file_name.clone(),
            kind: kind_label(lang, i.kind),
            status: lang.t(&format!("import-status-{}", i.status.as_str())),
            tone: status_tone(i.status),
            counts: counts_text(lang, i),
            when: lang.datetime(i.created_at),
        })
        .collect();
    Ok(IndexPage {
        page: Page::signed_in(who, "import-title", "imports"),
        kinds: ImportKind::ALL
            .iter()
            .map(|k| Choice::new(k.as_str(), kind_label(lang, *k)))
            .collect(),
        kind: ImportKind::parse(kind)
            .map_or("people", |k| k.as_str())
            .to_string(),
        encodings: encodings(lang),
        on_matches: on_match_choices(lang),
        history,
        error,
    })
}

async fn index(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<IndexQuery>,
) -> Result<Response, UiError> {
    Ok(render(&index_page(&state, &who, &query.kind, None).await?))
}

/// A refusal as one line for the top of the page.
fn refusal_text(lang: Lang, error: &rehber_app::AppError) -> Option<String> {
    if let Some(Error::TooLarge { .. }) = error.domain() {
        return Some(lang.t("invalid-import-too-large"));
    }
    form_messages(lang, error).map(|messages| {
        let mut lines: Vec<String> = messages.into_values().collect();
        lines.sort();
        lines.join(" ")
    })
}

/// One column of the file: its header, its first values and the field it fills.
struct ColumnView {
    index: usize,
    header: String,
    samples: String,
    field: String,
}

/// A row with something to say.
struct ReportLine {
    line: usize,
    /// `danger` (an error), `warning`, or `info` (a row that updates a record).
    tone: &'static str,
    text: String,
}

#[derive(Template)]
#[template(path = "imports/show.html")]
struct ImportPage {
    page: Page,
    id: i64,
    file_name: String,
    kind: String,
    kind_code: &'static str,
    status: String,
    status_code: &'static str,
    tone: &'static str,
    read_as: String,
    preview_header: Vec<String>,
    preview: Vec<(usize, Vec<String>)>,
    columns: Vec<ColumnView>,
    fields: Vec<Choice>,
    on_match: &'static str,
    on_matches: Vec<Choice>,
    counts: String,
    /// What the rows matching kept records do (an import updating or skipping them).
    matches: Option<String>,
    checked: bool,
    errors: u64,
    done_text: String,
    lines: Vec<ReportLine>,
    /// The heading of the lines' column: their problems, or what happens to each row.
    lines_heading: String,
    /// Whether any row has a problem to download (a row only updating a record has none).
    problems: bool,
    more_lines: usize,
    more_text: String,
    failure: Option<String>,
    may_map: bool,
    may_check: bool,
    may_commit: bool,
    undo_until: Option<String>,
    /// While a check or commit runs: what it does and how far it is (the page looks again
    /// every second).
    running: Option<String>,
    progress: u8,
    error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ShowQuery {
    notice: Option<String>,
}

/// The fields a column may fill, labelled in the reader's language.
fn field_choices(
    lang: Lang,
    kind: ImportKind,
    custom: &[rehber_domain::custom::CustomField],
) -> Vec<Choice> {
    let mut choices: Vec<Choice> = kind
        .field_codes()
        .into_iter()
        .map(|code| {
            let own = format!("import-field-{code}");
            let label = if lang.has(&own) {
                lang.t(&own)
            } else {
                lang.t(&format!("field-{code}"))
            };
            Choice::new(code, label)
        })
        .collect();
    choices.extend(custom.iter().map(|f| {
        Choice::new(
            format!("custom.{}", f.key),
            f.label(lang.code()).to_string(),
        )
    }));
    choices
}

async fn import_page(
    state: &AppState,
    who: &SignedIn,
    id: i64,
    notice: Option<&str>,
    error: Option<String>,
) -> Result<ImportPage, UiError> {
    let lang = who.lang;
    let actor = who.actor();
    let import = state.app.get_import(&actor, id).await.ui(who)?;
    let access = match import.kind {
        ImportKind::People => rehber_domain::access::RecordKind::Person,
        ImportKind::Companies => rehber_domain::access::RecordKind::Company,
    };
    let open = matches!(
        import.status,
        ImportStatus::Uploaded | ImportStatus::Checked | ImportStatus::Failed
    );
    // The file is read again only while the import may still change.
    let table = if open {
        Some(state.app.import_source(&actor, id).await.ui(who)?.1)
    } else {
        None
    };
    let custom = state
        .app
        .custom_fields(Some(import.kind.record_type()), false)
        .await
        .ui(who)?;
    let columns = import
        .header
        .iter()
        .enumerate()
        .map(|(index, header)| ColumnView {
            index,
            header: header.clone(),
            samples: table
                .as_ref()
                .map(|t| {
                    t.rows
                        .iter()
                        .filter_map(|r| r.cells.get(index))
                        .filter(|c| !c.trim().is_empty())
                        .take(2)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(" · ")
                })
                .unwrap_or_default(),
            field: import
                .mapping
                .get(index)
                .cloned()
                .flatten()
                .unwrap_or_default(),
        })
        .collect();
    let read_as = match (&import.encoding, &import.delimiter, &import.sheet) {
        (Some(encoding), Some(delimiter), _) => lang.t_args(
            "import-read-csv",
            &[
                ("encoding", encoding.clone()),
                (
                    "delimiter",
                    if delimiter == "\t" {
                        lang.t("import-tab")
                    } else {
                        delimiter.clone()
                    },
                ),
            ],
        ),
        (_, _, Some(sheet)) => lang.t_args("import-read-sheet", &[("sheet", sheet.clone())]),
        _ => String::new(),
    };
    let mut report: Vec<_> = import.report.iter().collect();
    report.sort_by_key(|r| (r.status != RowStatus::Error, r.line));
    let lines = report
        .iter()
        .take(SHOWN_ROWS)
        .map(|r| ReportLine {
            line: r.line,
            tone: match r.status {
                RowStatus::Error => "danger",
                RowStatus::Warning => "warning",
                RowStatus::Ok => "info",
            },
            text: describe_row(lang, r, &custom),
        })
        .collect();
    let checked = import.checked_at.is_some() && import.status != ImportStatus::Uploaded;
    let mut page = Page::signed_in(who, "import-title", "imports");
    page.notice = notice.map(|key| lang.t(key));
    Ok(ImportPage {
        page,
        id,
        file_name: import.file_name.clone(),
        kind: kind_label(lang, import.kind),
        kind_code: import.kind.as_str(),
        status: lang.t(&format!("import-status-{}", import.status.as_str())),
        status_code: import.status.as_str(),
        tone: status_tone(import.status),
        read_as,
        preview_header: import.header.clone(),
        preview: table
            .as_ref()
            .map(|t| {
                t.rows
                    .iter()
                    .take(PREVIEW_ROWS)
                    .map(|r| (r.line, r.cells.clone()))
                    .collect()
            })
            .unwrap_or_default(),
        columns,
        fields: field_choices(lang, import.kind, &custom),
        on_match: import.on_match.as_str(),
        on_matches: on_match_choices(lang),
        counts: counts_text(lang, &import),
        matches: (checked && import.on_match != OnMatch::Refuse)
            .then(|| matches_text(lang, &import.counts)),
        checked,
        errors: import.counts.errors,
        done_text: lang.t_args(
            if import.rows_updated > 0 {
                "import-committed-updated-lead"
            } else {
                "import-committed-lead"
            },
            &[
                ("count", lang.number(import.rows_created as i64)),
                ("updated", lang.number(import.rows_updated as i64)),
            ],
        ),
        lines,
        lines_heading: lang.t(if import.on_match == OnMatch::Refuse {
            "import-report-problems"
        } else {
            "import-report-outcome"
        }),
        problems: import.report.iter().any(|r| !r.messages.is_empty()),
        more_lines: report.len().saturating_sub(SHOWN_ROWS),
        more_text: lang.t_args(
            "import-more-rows",
            &[("count", report.len().saturating_sub(SHOWN_ROWS).to_string())],
        ),
        failure: import.failure.clone(),
        may_map: open,
        may_check: open,
        may_commit: import.status == ImportStatus::Checked
            && import.counts.total
                > import.counts.errors + import.counts.skipped + import.counts.unchanged,
        running: match import.status {
            ImportStatus::Checking => Some(lang.t("import-running-checking")),
            ImportStatus::Committing => Some(lang.t("import-running-committing")),
            _ => None,
        },
        progress: import.progress,
        undo_until: match (import.status, import.committed_at) {
            (ImportStatus::Committed, Some(at)) if actor.role.can_delete(access) => {
                Some(lang.t_args(
                    "import-undo-until",
                    &[(
                        "until",
                        lang.datetime(at + jiff::SignedDuration::from_hours(24 * UNDO_DAYS)),
                    )],
                ))
            }
            _ => None,
        },
        error,
    })
}

async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let notice = query
        .notice
        .as_deref()
        .filter(|n| n.starts_with("notice-import-"));
    Ok(render(&import_page(&state, &who, id, notice, None).await?))
}

/// A step's outcome: back to the import with a notice, or the page again saying why not.
async fn after(
    state: &AppState,
    who: &SignedIn,
    id: i64,
    outcome: Result<(), rehber_app::AppError>,
    notice: &str,
) -> Result<Response, UiError> {
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/imports/{id}?notice={notice}")).into_response()),
        Err(e) => match refusal_text(who.lang, &e) {
            Some(text) => {
                let view = import_page(state, who, id, None, Some(text)).await?;
                let status = match e.domain() {
                    Some(Error::Conflict(_)) => StatusCode::CONFLICT,
                    _ => StatusCode::UNPROCESSABLE_ENTITY,
                };
                Ok((status, render(&view)).into_response())
            }
            None => Err(UiError::signed_in(who, e)),
        },
    }
}

async fn remap(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let written: serde_json::Map<String, serde_json::Value> = form
        .iter()
        .filter_map(|(name, value)| {
            let index = name.strip_prefix("column_")?.parse::<usize>().ok()?;
            let field = match value.trim() {
                "" => serde_json::Value::Null,
                code => serde_json::Value::String(code.to_string()),
            };
            Some((format!("#{}", index + 1), field))
        })
        .collect();
    let on_match = form.get("on_match").and_then(|m| OnMatch::parse(m));
    let outcome = state
        .app
        .remap_import(&who.actor(), id, &written, on_match)
        .await
        .map(|_| ());
    after(&state, &who, id, outcome, "notice-import-mapped").await
}

/// Runs a check or commit behind the request: its outcome when it ends within
/// [`WAIT_FOR_STEP`], else the import's page, which shows its progress until it ends.
async fn run_step(
    state: &AppState,
    who: &SignedIn,
    id: i64,
    step: impl Future<Output = Result<(), rehber_app::AppError>> + Send + 'static,
    notice: &str,
) -> Result<Response, UiError> {
    let task = tokio::spawn(step);
    match tokio::time::timeout(WAIT_FOR_STEP, task).await {
        Ok(Ok(outcome)) => after(state, who, id, outcome, notice).await,
        Ok(Err(stopped)) => Err(UiError::signed_in(
            who,
            rehber_app::AppError::Internal(stopped.to_string()),
        )),
        // Still running: the task goes on; the page follows it.
        Err(_) => Ok(Redirect::to(&format!("/imports/{id}")).into_response()),
    }
}

async fn check(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let (app, actor) = (state.app.clone(), who.actor());
    let step = async move { app.check_import(&actor, id, lexicon()).await.map(|_| ()) };
    run_step(&state, &who, id, step, "notice-import-checked").await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CommitForm {
    skip_errors: Option<String>,
}

async fn commit(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<CommitForm>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let skip = form.skip_errors.is_some();
    let (app, actor) = (state.app.clone(), who.actor());
    let step = async move {
        app.commit_import(&actor, id, lexicon(), skip)
            .await
            .map(|_| ())
    };
    run_step(&state, &who, id, step, "notice-import-committed").await
}

async fn undo(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let outcome = state.app.undo_import(&who.actor(), id).await.map(|_| ());
    after(&state, &who, id, outcome, "notice-import-undone").await
}
