//! Administration → Lead scoring: the rules of people and of companies (each with what it
//! tests in words and its points), a form to add one per record type and a page to change
//! one, the BANT gate of "qualified", and the recalculation of every score with its
//! progress (polled by htmx while it runs).
//!
//! A field rule is built from one test (field, operator, value) or, for more, from the JSON
//! of a list filter typed in the "advanced" box; an engagement rule from an activity kind,
//! a window in days and "none in the window".

use crate::admin::require_admin;
use crate::error::{UiError, UiResultExt, form_messages, render};
use crate::page::Page;
use crate::paths::path_id;
use crate::records::party::signed_points;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use rehber_app::JobRow;
use rehber_app::scoring::RulePatch;
use rehber_domain::Kind;
use rehber_domain::activity::ActivityKind;
use rehber_domain::custom::CustomField;
use rehber_domain::party::{Companies, People};
use rehber_domain::scoring::{RuleTest, ScoringRule};
use rehber_web_core::auth::SignedIn;
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;
use serde::Deserialize;
use std::collections::HashMap;

mod rule_form;

use rule_form::{RuleForm, one_test};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/scoring", get(list))
        .route("/admin/scoring/rules", post(create))
        .route("/admin/scoring/rules/{id}", get(edit).post(update))
        .route("/admin/scoring/rules/{id}/delete", post(delete))
        .route("/admin/scoring/gate", post(set_gate))
        .route("/admin/scoring/recalculate", post(recalculate))
        .route("/admin/scoring/progress", get(progress))
}

/// The operators a one-test rule offers.
const OPERATORS: [&str; 6] = ["eq", "contains", "gte", "lte", "empty", "not_empty"];

/// The fields a rule of a record type may test: (value, label).
fn field_choices(lang: Lang, record_type: &str, custom: &[CustomField]) -> Vec<(String, String)> {
    let builtins = match record_type {
        "company" => Companies::FILTERS,
        _ => People::FILTERS,
    };
    let mut choices: Vec<(String, String)> = builtins
        .iter()
        .map(|f| (f.to_string(), lang.t(&format!("scoring-field-{f}"))))
        .collect();
    choices.extend(
        custom
            .iter()
            .filter(|f| f.record_type == record_type)
            .map(|f| {
                (
                    format!("custom.{}", f.key),
                    f.label(lang.code()).to_string(),
                )
            }),
    );
    choices
}

/// What a rule tests, in words.
fn describe(lang: Lang, rule: &ScoringRule, custom: &[CustomField]) -> String {
    match &rule.test {
        RuleTest::Engagement {
            activity,
            window_days,
            absent,
        } => {
            let activity = match activity {
                Some(kind) => lang.t(&format!("activity-kind-{}", kind.as_str())),
                None => lang.t("scoring-activity-any"),
            };
            let key = if *absent {
                "scoring-desc-absent"
            } else {
                "scoring-desc-engaged"
            };
            lang.t_args(
                key,
                &[("activity", activity), ("days", window_days.to_string())],
            )
        }
        RuleTest::Field(_) => {
            let condition = rule.test.condition_json();
            let Some((field, op, value)) = one_test(&condition) else {
                return condition.to_string();
            };
            let label = field_choices(lang, &rule.record_type, custom)
                .into_iter()
                .find(|(f, _)| *f == field)
                .map_or(field, |(_, label)| label);
            let op = lang.t(&format!("scoring-op-{op}"));
            format!("{label} {op} {value}").trim().to_string()
        }
    }
}

/// One rule in the list.
pub struct RuleRow {
    pub id: i64,
    pub name: String,
    pub test: String,
    pub points: String,
    pub plus: bool,
    pub active: bool,
}

/// A recalculation, ready to read.
pub struct Progress {
    pub running: bool,
    pub label: String,
    /// 0–100 for the bar.
    pub percent: i64,
}

impl Progress {
    fn of(lang: Lang, job: Option<&JobRow>) -> Option<Progress> {
        let job = job?;
        let (done, total) = (
            job.progress_done.unwrap_or(0),
            job.progress_total.unwrap_or(0),
        );
        let running = matches!(job.status.as_str(), "queued" | "running");
        let percent = if total > 0 {
            (done * 100 / total).clamp(0, 100)
        } else if running {
            0
        } else {
            100
        };
        let label = lang.t_args(
            &format!("scoring-job-{}", job.status),
            &[("done", lang.number(done)), ("total", lang.number(total))],
        );
        Some(Progress {
            running,
            label,
            percent,
        })
    }
}

#[derive(Template)]
#[template(path = "admin/scoring.html")]
struct ListPage {
    page: Page,
    /// (record type, its heading, its rules, its blank form's field choices)
    sections: Vec<Section>,
    /// (value, label, chosen) of the BANT gate's choices.
    gate_options: Vec<(u8, String, bool)>,
    progress: Option<Progress>,
    /// The form that was refused: its record type, what was typed and the messages.
    refused: Option<(String, RuleForm, HashMap<String, String>)>,
    operators: Vec<(&'static str, String)>,
    activities: Vec<(&'static str, String)>,
}

/// One record type's rules and its "add" form.
pub struct Section {
    pub record_type: &'static str,
    pub heading: String,
    pub rows: Vec<RuleRow>,
    pub fields: Vec<(String, String)>,
}

impl ListPage {
    /// The add form of a record type: as refused, or blank.
    fn add_form(&self, record_type: &str) -> (RuleForm, HashMap<String, String>) {
        match &self.refused {
            Some((t, form, errors)) if t == record_type => (form.clone(), errors.clone()),
            _ => (RuleForm::blank(record_type), HashMap::new()),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/scoring_rule.html")]
struct EditPage {
    page: Page,
    id: i64,
    form: RuleForm,
    errors: HashMap<String, String>,
    fields: Vec<(String, String)>,
    operators: Vec<(&'static str, String)>,
    activities: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "admin/scoring_progress.html")]
struct ProgressFragment {
    page: Page,
    progress: Option<Progress>,
}

fn gate_options(lang: Lang, gate: u8) -> Vec<(u8, String, bool)> {
    (0..=4)
        .map(|n| {
            let label = match n {
                0 => lang.t("scoring-gate-off"),
                n => lang.t_args("scoring-gate-n", &[("n", n.to_string())]),
            };
            (n, label, n == gate)
        })
        .collect()
}

fn operators(lang: Lang) -> Vec<(&'static str, String)> {
    OPERATORS
        .iter()
        .map(|op| (*op, lang.t(&format!("scoring-op-{op}"))))
        .collect()
}

fn activities(lang: Lang) -> Vec<(&'static str, String)> {
    let mut out = vec![("any", lang.t("scoring-activity-any"))];
    out.extend(
        ActivityKind::ALL
            .iter()
            .map(|k| (k.as_str(), lang.t(&format!("activity-kind-{}", k.as_str())))),
    );
    out
}

/// Errors of a filter's tests (`condition.city`) are shown beside the one test.
fn shown_errors(errors: HashMap<String, String>) -> HashMap<String, String> {
    errors
        .into_iter()
        .map(|(field, message)| {
            if field.starts_with("condition.") {
                ("condition".to_string(), message)
            } else {
                (field, message)
            }
        })
        .collect()
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct NoticeQuery {
    notice: Option<String>,
}

async fn list_page(
    state: &AppState,
    who: &SignedIn,
    notice: Option<&str>,
    refused: Option<(String, RuleForm, HashMap<String, String>)>,
) -> Result<ListPage, UiError> {
    let lang = who.lang;
    let actor = who.actor();
    let page = Page::signed_in(who, "scoring-title", "admin-scoring").with_notice_key(notice);
    let rules = state.app.scoring_rules(&actor).await.ui(who)?;
    let custom = state.app.custom_fields(None, false).await.ui(who)?;
    let sections = ["person", "company"]
        .into_iter()
        .map(|record_type| Section {
            record_type,
            heading: lang.t(&format!("scoring-section-{record_type}")),
            rows: rules
                .iter()
                .filter(|r| r.record_type == record_type)
                .map(|r| RuleRow {
                    id: r.id,
                    name: r.name.clone(),
                    test: describe(lang, r, &custom),
                    points: signed_points(r.points),
                    plus: r.points > 0,
                    active: r.active,
                })
                .collect(),
            fields: field_choices(lang, record_type, &custom),
        })
        .collect();
    let job = state.app.latest_scoring_job(&actor).await.ui(who)?;
    Ok(ListPage {
        page,
        sections,
        gate_options: gate_options(lang, state.app.bant_gate().await.ui(who)?),
        progress: Progress::of(lang, job.as_ref()),
        refused,
        operators: operators(lang),
        activities: activities(lang),
    })
}

async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, UiError> {
    require_admin(&who)?;
    Ok(render(
        &list_page(&state, &who, query.notice.as_deref(), None).await?,
    ))
}

async fn create(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<RuleForm>,
) -> Result<Response, UiError> {
    require_admin(&who)?;
    match state
        .app
        .create_scoring_rule(&who.actor(), &form.draft())
        .await
    {
        Ok(_) => Ok(Redirect::to("/admin/scoring?notice=notice-scoring-saved").into_response()),
        Err(e) => match form_messages(who.lang, &e) {
            Some(errors) => {
                let record_type = form.record_type.clone();
                let refused = Some((record_type, form, shown_errors(errors)));
                let page = list_page(&state, &who, None, refused).await?;
                Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
            }
            None => Err(UiError::signed_in(&who, e)),
        },
    }
}

async fn edit_page(
    state: &AppState,
    who: &SignedIn,
    id: i64,
    form: RuleForm,
    errors: HashMap<String, String>,
) -> Result<EditPage, UiError> {
    let lang = who.lang;
    let mut page = Page::signed_in(who, "scoring-title", "admin-scoring");
    page.title = format!("{} · {}", form.name, page.title);
    let custom = state.app.custom_fields(None, false).await.ui(who)?;
    Ok(EditPage {
        fields: field_choices(lang, &form.record_type, &custom),
        page,
        id,
        form,
        errors,
        operators: operators(lang),
        activities: activities(lang),
    })
}

async fn edit(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    require_admin(&who)?;
    let id = path_id(&who, &id)?;
    let rule = state.app.scoring_rule(&who.actor(), id).await.ui(&who)?;
    let page = edit_page(&state, &who, id, RuleForm::of(&rule), HashMap::new()).await?;
    Ok(render(&page))
}

async fn update(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<RuleForm>,
) -> Result<Response, UiError> {
    require_admin(&who)?;
    let id = path_id(&who, &id)?;
    let draft = form.draft();
    let patch = RulePatch {
        record_type: Some(draft.record_type),
        name: Some(draft.name),
        kind: Some(draft.kind),
        condition: Some(draft.condition),
        window_days: Some(draft.window_days),
        points: draft.points,
        active: Some(draft.active),
    };
    let version = form.version.trim().parse().ok();
    match state
        .app
        .update_scoring_rule(&who.actor(), id, version, patch)
        .await
    {
        Ok(_) => Ok(Redirect::to("/admin/scoring?notice=notice-scoring-saved").into_response()),
        Err(e) => match form_messages(who.lang, &e) {
            Some(errors) => {
                let page = edit_page(&state, &who, id, form, shown_errors(errors)).await?;
                Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
            }
            None => Err(UiError::signed_in(&who, e)),
        },
    }
}

async fn delete(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    require_admin(&who)?;
    let id = path_id(&who, &id)?;
    state
        .app
        .delete_scoring_rule(&who.actor(), id)
        .await
        .ui(&who)?;
    Ok(Redirect::to("/admin/scoring?notice=notice-scoring-deleted").into_response())
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct GateForm {
    bant_gate: String,
}

async fn set_gate(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<GateForm>,
) -> Result<Response, UiError> {
    require_admin(&who)?;
    let gate = form.bant_gate.trim().parse().unwrap_or(-1);
    state.app.set_bant_gate(&who.actor(), gate).await.ui(&who)?;
    Ok(Redirect::to("/admin/scoring?notice=notice-saved#gate").into_response())
}

async fn recalculate(State(state): State<AppState>, who: SignedIn) -> Result<Response, UiError> {
    require_admin(&who)?;
    state.app.recalculate_scores(&who.actor()).await.ui(&who)?;
    Ok(Redirect::to("/admin/scoring?notice=notice-scoring-queued#recalculation").into_response())
}

/// The recalculation's progress alone (the page polls it while it runs).
async fn progress(State(state): State<AppState>, who: SignedIn) -> Result<Response, UiError> {
    require_admin(&who)?;
    let job = state.app.latest_scoring_job(&who.actor()).await.ui(&who)?;
    let fragment = ProgressFragment {
        progress: Progress::of(who.lang, job.as_ref()),
        page: Page::signed_in(&who, "scoring-title", "admin-scoring"),
    };
    Ok(render(&fragment))
}
