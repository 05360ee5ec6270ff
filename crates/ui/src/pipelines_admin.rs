//! Administration → Pipelines: every sales pipeline with its stages, and a form per pipeline
//! to rename it and shape its stages (name, open / won / lost, probability, rotting age,
//! order), to add stages and remove them, and to delete the pipeline. A new pipeline starts
//! from the same form. Rows are posted as parallel lists; a row without a name is not a
//! stage, and the order column sorts the rows before they are checked.

use crate::admin::require_admin;
use crate::error::{UiError, UiResultExt, form_messages, render};
use crate::page::Page;
use crate::paths::path_id;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use rehber_app::pipelines::PipelinePatch;
use rehber_domain::pipeline::{LostReason, Pipeline, PipelineDraft, StageDraft, StageKind};
use rehber_web_core::auth::SignedIn;
use rehber_web_core::state::AppState;
use serde::Deserialize;
use std::collections::HashMap;

/// Empty rows offered for new stages.
const BLANK_ROWS: usize = 3;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/pipelines", get(list).post(create))
        .route("/admin/pipelines/new", get(new))
        .route("/admin/pipelines/{id}", get(edit).post(update))
        .route("/admin/pipelines/{id}/delete", post(delete))
        .route("/admin/lost-reasons", post(add_reason))
        .route("/admin/lost-reasons/{id}", post(change_reason))
}

/// The form as posted: the pipeline and its stage rows as parallel lists.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PipelineForm {
    pub name: String,
    pub currency: String,
    pub version: String,
    pub stage_id: Vec<String>,
    pub stage_name: Vec<String>,
    pub stage_kind: Vec<String>,
    pub stage_probability: Vec<String>,
    pub stage_rotting: Vec<String>,
    pub stage_order: Vec<String>,
    /// The row numbers whose "remove" box is ticked.
    pub stage_remove: Vec<String>,
}

/// One stage row of the form.
#[derive(Debug, Clone, Default)]
pub struct StageRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub probability: String,
    pub rotting: String,
    pub order: String,
    pub remove: bool,
}

impl PipelineForm {
    fn of(pipeline: &Pipeline) -> PipelineForm {
        let mut form = PipelineForm {
            name: pipeline.name.clone(),
            currency: pipeline.currency.clone(),
            version: pipeline.version.to_string(),
            ..PipelineForm::default()
        };
        for (index, stage) in pipeline.stages.iter().enumerate() {
            form.stage_id.push(stage.id.to_string());
            form.stage_name.push(stage.name.clone());
            form.stage_kind.push(stage.kind.as_str().into());
            form.stage_probability.push(stage.probability.to_string());
            form.stage_rotting.push(
                stage
                    .rotting_days
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            );
            form.stage_order.push((index + 1).to_string());
        }
        form
    }

    /// The rows to show: the posted ones, then blank ones for new stages.
    pub fn rows(&self) -> Vec<StageRow> {
        let at = |list: &[String], i: usize| list.get(i).cloned().unwrap_or_default();
        let posted = self.stage_name.len();
        let mut rows: Vec<StageRow> = (0..posted)
            .map(|i| StageRow {
                id: at(&self.stage_id, i),
                name: at(&self.stage_name, i),
                kind: at(&self.stage_kind, i),
                probability: at(&self.stage_probability, i),
                rotting: at(&self.stage_rotting, i),
                order: at(&self.stage_order, i),
                remove: self.stage_remove.contains(&i.to_string()),
            })
            .collect();
        let named = rows.iter().filter(|r| !r.name.trim().is_empty()).count();
        for extra in 0..BLANK_ROWS.saturating_sub(posted - named) {
            rows.push(StageRow {
                kind: "open".into(),
                order: (named + extra + 1).to_string(),
                ..StageRow::default()
            });
        }
        rows
    }

    /// The draft to check, and for each of its stages the form row it came from.
    fn draft(&self) -> (PipelineDraft, Vec<usize>) {
        let mut kept: Vec<(i64, usize, StageRow)> = self
            .rows()
            .into_iter()
            .enumerate()
            // A blank new row is no stage; a stored stage whose name was cleared is still
            // one, so the check says its name is missing instead of removing it in silence.
            .filter(|(_, row)| {
                let blank = row.name.trim().is_empty() && row.id.trim().is_empty();
                !row.remove && !blank
            })
            .map(|(index, row)| {
                let order = row.order.trim().parse().unwrap_or(i64::MAX);
                (order, index, row)
            })
            .collect();
        kept.sort_by_key(|(order, index, _)| (*order, *index));
        let number = |text: &str| -> Option<i64> {
            let text = text.trim();
            if text.is_empty() {
                None
            } else {
                // A number that is not one is out of every range, so it is refused.
                Some(text.parse().unwrap_or(-1))
            }
        };
        let stages = kept
            .iter()
            .map(|(_, _, row)| StageDraft {
                id: row.id.trim().parse().ok(),
                name: row.name.clone(),
                kind: row.kind.clone(),
                probability: number(&row.probability),
                rotting_days: number(&row.rotting),
            })
            .collect();
        let rows = kept.iter().map(|(_, index, _)| *index).collect();
        (
            PipelineDraft {
                name: self.name.clone(),
                currency: self.currency.clone(),
                stages,
            },
            rows,
        )
    }
}

/// Field errors named after the draft's stages (`stages/2/name`), renamed after the form's
/// rows, so each shows beside the cell it is about.
fn row_errors(errors: HashMap<String, String>, rows: &[usize]) -> HashMap<String, String> {
    errors
        .into_iter()
        .map(|(field, message)| {
            let renamed = field
                .strip_prefix("stages/")
                .and_then(|rest| rest.split_once('/'))
                .and_then(|(index, cell)| {
                    let row = rows.get(index.parse::<usize>().ok()?)?;
                    Some(format!("stages/{row}/{cell}"))
                });
            (renamed.unwrap_or(field), message)
        })
        .collect()
}

/// One pipeline in the list.
pub struct PipelineCard {
    pub id: i64,
    pub name: String,
    pub currency: String,
    /// Name, kind, the kind's label and probability of each stage.
    pub stages: Vec<(String, &'static str, String, u8)>,
}

#[derive(Template)]
#[template(path = "admin/pipelines.html")]
struct ListPage {
    page: Page,
    pipelines: Vec<PipelineCard>,
    reasons: Vec<LostReason>,
    /// A refused reason: its id (`None`: the one being added), what was typed and why.
    refused: Option<(Option<i64>, String, String)>,
}

impl ListPage {
    /// What the name field of reason `id` (`None`: the new one) shows, and its message.
    fn reason_field(&self, id: Option<i64>, stored: &str) -> (String, String) {
        match &self.refused {
            Some((at, typed, message)) if *at == id => (typed.clone(), message.clone()),
            _ => (stored.to_string(), String::new()),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/pipeline.html")]
struct EditPage {
    page: Page,
    /// `None` for a new pipeline.
    id: Option<i64>,
    form: PipelineForm,
    rows: Vec<StageRow>,
    errors: HashMap<String, String>,
    kinds: Vec<(&'static str, String)>,
    /// Why the last action was refused, when it is not about a field.
    problem: Option<String>,
}

impl EditPage {
    /// The message about a cell of row `row`, if any.
    fn cell_error(&self, row: &usize, cell: &str) -> String {
        self.errors
            .get(&format!("stages/{row}/{cell}"))
            .cloned()
            .unwrap_or_default()
    }
}

fn edit_page(
    who: &SignedIn,
    id: Option<i64>,
    form: PipelineForm,
    errors: HashMap<String, String>,
) -> EditPage {
    let mut page = Page::signed_in(who, "pipelines-admin-title", "admin-pipelines");
    let heading = if form.name.trim().is_empty() {
        page.t("pipelines-new")
    } else {
        form.name.clone()
    };
    page.title = format!("{heading} · {}", page.title);
    let kinds = [StageKind::Open, StageKind::Won, StageKind::Lost]
        .map(|k| (k.as_str(), page.t(&format!("stage-kind-{}", k.as_str()))))
        .to_vec();
    EditPage {
        rows: form.rows(),
        page,
        id,
        form,
        errors,
        kinds,
        problem: None,
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct NoticeQuery {
    notice: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, UiError> {
    require_admin(&who)?;
    let page = list_page(&state, &who, query.notice.as_deref(), None).await?;
    Ok(render(&page))
}

async fn list_page(
    state: &AppState,
    who: &SignedIn,
    notice: Option<&str>,
    refused: Option<(Option<i64>, String, String)>,
) -> Result<ListPage, UiError> {
    let page =
        Page::signed_in(who, "pipelines-admin-title", "admin-pipelines").with_notice_key(notice);
    let reasons = state.app.lost_reasons(&who.actor()).await.ui(who)?;
    let pipelines = state
        .app
        .pipelines(&who.actor())
        .await
        .ui(who)?
        .into_iter()
        .map(|p| PipelineCard {
            id: p.id,
            name: p.name,
            currency: p.currency,
            stages: p
                .stages
                .into_iter()
                .map(|s| {
                    let kind = s.kind.as_str();
                    let label = who.lang.t(&format!("stage-kind-{kind}"));
                    (s.name, kind, label, s.probability)
                })
                .collect(),
        })
        .collect();
    Ok(ListPage {
        page,
        pipelines,
        reasons,
        refused,
    })
}

/// A lost reason as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct ReasonForm {
    name: String,
    active: Option<String>,
}

/// The list again with the reason's message beside it (422), or the error page.
async fn reason_refused(
    state: &AppState,
    who: &SignedIn,
    id: Option<i64>,
    typed: String,
    error: rehber_app::AppError,
) -> Result<Response, UiError> {
    let Some(message) = form_messages(who.lang, &error).and_then(|m| m.into_values().next()) else {
        return Err(UiError::signed_in(who, error));
    };
    let page = list_page(state, who, None, Some((id, typed, message))).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
}

async fn add_reason(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<ReasonForm>,
) -> Result<Response, UiError> {
    require_admin(&who)?;
    match state.app.create_lost_reason(&who.actor(), &form.name).await {
        Ok(_) => {
            Ok(Redirect::to("/admin/pipelines?notice=notice-saved#lost-reasons").into_response())
        }
        Err(e) => reason_refused(&state, &who, None, form.name, e).await,
    }
}

async fn change_reason(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Result<Response, UiError> {
    require_admin(&who)?;
    let id = path_id(&who, &id)?;
    let active = Some(form.active.is_some());
    match state
        .app
        .update_lost_reason(&who.actor(), id, Some(&form.name), active)
        .await
    {
        Ok(_) => {
            Ok(Redirect::to("/admin/pipelines?notice=notice-saved#lost-reasons").into_response())
        }
        Err(e) => reason_refused(&state, &who, Some(id), form.name, e).await,
    }
}

async fn new(who: SignedIn) -> Result<Response, UiError> {
    require_admin(&who)?;
    let form = PipelineForm {
        currency: "TRY".into(),
        stage_name: vec![
            who.lang.t("pipelines-default-open"),
            who.lang.t("pipelines-default-won"),
            who.lang.t("pipelines-default-lost"),
        ],
        stage_kind: vec!["open".into(), "won".into(), "lost".into()],
        stage_order: vec!["1".into(), "2".into(), "3".into()],
        ..PipelineForm::default()
    };
    Ok(render(&edit_page(&who, None, form, HashMap::new())))
}

/// The form again with its messages (422), or the error page.
fn refused(
    who: &SignedIn,
    id: Option<i64>,
    form: PipelineForm,
    rows: &[usize],
    error: rehber_app::AppError,
) -> Result<Response, UiError> {
    match form_messages(who.lang, &error) {
        Some(errors) => {
            let page = edit_page(who, id, form, row_errors(errors, rows));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        None => Err(UiError::signed_in(who, error)),
    }
}

async fn create(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<PipelineForm>,
) -> Result<Response, UiError> {
    require_admin(&who)?;
    let (draft, rows) = form.draft();
    match state.app.create_pipeline(&who.actor(), &draft).await {
        Ok(_) => {
            Ok(Redirect::to("/admin/pipelines?notice=notice-pipeline-created").into_response())
        }
        Err(e) => refused(&who, None, form, &rows, e),
    }
}

async fn edit(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    require_admin(&who)?;
    let id = path_id(&who, &id)?;
    let pipeline = state.app.pipeline(&who.actor(), id).await.ui(&who)?;
    let form = PipelineForm::of(&pipeline);
    Ok(render(&edit_page(&who, Some(id), form, HashMap::new())))
}

async fn update(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<PipelineForm>,
) -> Result<Response, UiError> {
    require_admin(&who)?;
    let id = path_id(&who, &id)?;
    let (draft, rows) = form.draft();
    let patch = PipelinePatch {
        name: Some(draft.name),
        currency: Some(draft.currency),
        stages: Some(draft.stages),
    };
    let version = form.version.trim().parse().ok();
    match state
        .app
        .update_pipeline(&who.actor(), id, version, patch)
        .await
    {
        Ok(_) => Ok(Redirect::to("/admin/pipelines?notice=notice-saved").into_response()),
        Err(e) => refused(&who, Some(id), form, &rows, e),
    }
}

async fn delete(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    require_admin(&who)?;
    let id = path_id(&who, &id)?;
    match state.app.delete_pipeline(&who.actor(), id).await {
        Ok(()) => {
            Ok(Redirect::to("/admin/pipelines?notice=notice-pipeline-deleted").into_response())
        }
        Err(e) => match form_messages(who.lang, &e).and_then(|m| m.get("_form").cloned()) {
            Some(message) => {
                let pipeline = state.app.pipeline(&who.actor(), id).await.ui(&who)?;
                let mut page =
                    edit_page(&who, Some(id), PipelineForm::of(&pipeline), HashMap::new());
                page.problem = Some(message);
                Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
            }
            None => Err(UiError::signed_in(&who, e)),
        },
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn form() -> PipelineForm {
        PipelineForm {
            name: "Bayi".into(),
            stage_id: vec!["7".into(), "8".into(), "9".into(), String::new()],
            stage_name: vec![
                "Teklif".into(),
                "Kazanıldı".into(),
                "Kaybedildi".into(),
                "Keşif".into(),
            ],
            stage_kind: vec!["open".into(), "won".into(), "lost".into(), "open".into()],
            stage_probability: vec!["50".into(), String::new(), String::new(), "yirmi".into()],
            stage_rotting: vec![String::new(); 4],
            stage_order: vec!["2".into(), "3".into(), "4".into(), "1".into()],
            stage_remove: vec!["2".into()],
            ..PipelineForm::default()
        }
    }

    #[test]
    fn rows_are_ordered_removed_rows_dropped_and_blank_rows_ignored() {
        let (draft, rows) = form().draft();
        let names: Vec<&str> = draft.stages.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Keşif", "Teklif", "Kazanıldı"]);
        assert_eq!(rows, [3, 0, 1]);
        assert_eq!(draft.stages[1].id, Some(7));
        assert_eq!(
            draft.stages[0].probability,
            Some(-1),
            "not a number: refused by the range"
        );
        assert_eq!(form().rows().len(), 4 + BLANK_ROWS);
    }

    #[test]
    fn a_stored_stage_whose_name_was_cleared_is_refused_not_removed() {
        let mut cleared = form();
        cleared.stage_name[0] = "  ".into();
        let (draft, rows) = cleared.draft();
        assert_eq!(rows, [3, 0, 1]);
        assert_eq!(draft.stages[1].id, Some(7));
        let errors = draft.validate().unwrap_err();
        assert!(errors.get("stages/1/name").is_some(), "{errors:?}");
    }

    #[test]
    fn stage_errors_are_shown_beside_the_row_they_are_about() {
        let errors = HashMap::from([
            ("stages/0/probability".to_string(), "x".to_string()),
            ("name".to_string(), "y".to_string()),
        ]);
        let shown = row_errors(errors, &[3, 0, 1]);
        assert!(shown.contains_key("stages/3/probability"));
        assert!(shown.contains_key("name"));
    }
}
