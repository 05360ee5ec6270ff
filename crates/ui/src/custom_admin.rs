//! Administration → Custom fields: the fields of every record kind, a form to define one,
//! and per field a form to rename it, edit its options and settings, archive or restore it.
//! Options are edited as lines `key | Türkçe | English`; a line left out archives its option
//! (records keep the key), a line without a key gets one made from its Turkish label.

use crate::admin::require_admin;
use crate::error::{UiError, UiResultExt, form_messages, render};
use crate::page::Page;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use rehber_app::custom_fields::{FieldPatch, RECORD_TYPES};
use rehber_domain::custom::{CustomField, FieldDraft, FieldOption, FieldType, KEY_MAX};
use rehber_domain::validate::text::search_key;
use rehber_web_core::auth::SignedIn;
use rehber_web_core::state::AppState;
use serde::Deserialize;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/custom-fields", get(list).post(create))
        .route("/admin/custom-fields/{id}", get(edit).post(update))
        .route("/admin/custom-fields/{id}/archive", post(archive))
        .route("/admin/custom-fields/{id}/restore", post(restore))
}

/// A slug from a label: `Gıda ürünleri` → `gida_urunleri`.
fn slug(label: &str) -> String {
    let folded: String = search_key(label)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let mut key = folded.trim_matches('_').to_string();
    if !key.starts_with(|c: char| c.is_ascii_lowercase()) {
        key = format!("f_{key}");
    }
    key.truncate(KEY_MAX);
    key
}

/// Option lines as typed, into options (a line without `|` is a Turkish label).
fn parse_options(text: &str) -> Vec<FieldOption> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let parts: Vec<&str> = line.split('|').map(str::trim).collect();
            let (key, tr, en) = match parts.as_slice() {
                [label] => (slug(label), *label, *label),
                [key, tr] => (key.to_string(), *tr, *tr),
                [key, tr, en, ..] => (key.to_string(), *tr, *en),
                [] => (String::new(), "", ""),
            };
            let key = if key.is_empty() { slug(tr) } else { key };
            FieldOption {
                key,
                label_tr: tr.to_string(),
                label_en: if en.is_empty() { tr } else { en }.to_string(),
                archived: false,
            }
        })
        .collect()
}

/// The active options as lines for the textarea.
fn option_lines(options: &[FieldOption]) -> String {
    options
        .iter()
        .filter(|o| !o.archived)
        .map(|o| format!("{} | {} | {}", o.key, o.label_tr, o.label_en))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The definition form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct FieldForm {
    pub record_type: String,
    pub key: String,
    pub field_type: String,
    pub label_tr: String,
    pub label_en: String,
    pub required: Option<String>,
    pub options: String,
    pub decimals: String,
    pub position: String,
    pub in_list: Option<String>,
    pub filterable: Option<String>,
}

impl FieldForm {
    fn of(field: &CustomField) -> FieldForm {
        FieldForm {
            record_type: field.record_type.clone(),
            key: field.key.clone(),
            field_type: field.field_type.as_str().to_string(),
            label_tr: field.label_tr.clone(),
            label_en: field.label_en.clone(),
            required: field.required.then(|| "on".into()),
            options: option_lines(&field.options),
            decimals: field.decimals.to_string(),
            position: field.position.to_string(),
            in_list: field.in_list.then(|| "on".into()),
            filterable: field.filterable.then(|| "on".into()),
        }
    }

    fn draft(&self) -> FieldDraft {
        let key = if self.key.trim().is_empty() {
            slug(&self.label_tr)
        } else {
            self.key.trim().to_string()
        };
        FieldDraft {
            key,
            field_type: self.field_type.clone(),
            label_tr: self.label_tr.clone(),
            label_en: self.label_en.clone(),
            required: self.required.is_some(),
            options: parse_options(&self.options),
            decimals: self.decimals.trim().parse().unwrap_or(0),
            section: String::new(),
            position: self.position.trim().parse().unwrap_or(0),
            in_list: self.in_list.is_some(),
            filterable: self.filterable.is_some(),
            archived: false,
        }
    }

    pub fn checked(&self, name: &str) -> bool {
        match name {
            "required" => self.required.is_some(),
            "in_list" => self.in_list.is_some(),
            "filterable" => self.filterable.is_some(),
            _ => false,
        }
    }
}

/// A row of the fields table.
pub struct FieldRow {
    pub id: i64,
    pub kind_label: String,
    pub key: String,
    pub label: String,
    pub type_label: String,
    pub required: bool,
    pub in_list: bool,
    pub archived: bool,
    pub options: String,
}

/// A `<select>` choice.
pub struct Pick {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "admin/custom_fields.html")]
struct ListPage {
    page: Page,
    rows: Vec<FieldRow>,
    form: FieldForm,
    errors: HashMap<String, String>,
    kinds: Vec<Pick>,
    types: Vec<Pick>,
}

#[derive(Template)]
#[template(path = "admin/custom_field.html")]
struct EditPage {
    page: Page,
    field: CustomField,
    form: FieldForm,
    errors: HashMap<String, String>,
    type_label: String,
    kind_label: String,
}

fn kind_label(page: &Page, record_type: &str) -> String {
    page.t(&format!("custom-kind-{record_type}"))
}

fn type_label(page: &Page, field_type: &str) -> String {
    page.t(&format!("custom-type-{}", field_type.replace('_', "-")))
}

async fn list_page(
    state: &AppState,
    who: &SignedIn,
    form: FieldForm,
    errors: HashMap<String, String>,
    notice: Option<&str>,
) -> Result<ListPage, UiError> {
    let page =
        Page::signed_in(who, "custom-admin-title", "admin-custom-fields").with_notice_key(notice);
    let fields = state.app.custom_fields(None, true).await.ui(who)?;
    let lang = who.lang;
    let rows = fields
        .iter()
        .map(|f| FieldRow {
            id: f.id,
            kind_label: kind_label(&page, &f.record_type),
            key: f.key.clone(),
            label: f.label(lang.code()).to_string(),
            type_label: type_label(&page, f.field_type.as_str()),
            required: f.required,
            in_list: f.in_list,
            archived: f.archived,
            options: f
                .options
                .iter()
                .filter(|o| !o.archived)
                .map(|o| o.label(lang.code()).to_string())
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    Ok(ListPage {
        kinds: RECORD_TYPES
            .iter()
            .map(|t| Pick {
                value: (*t).to_string(),
                label: kind_label(&page, t),
            })
            .collect(),
        types: FieldType::ALL
            .iter()
            .map(|t| Pick {
                value: t.as_str().to_string(),
                label: type_label(&page, t.as_str()),
            })
            .collect(),
        page,
        rows,
        form,
        errors,
    })
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
    let form = FieldForm {
        record_type: "person".into(),
        field_type: "text".into(),
        filterable: Some("on".into()),
        ..FieldForm::default()
    };
    let page = list_page(&state, &who, form, HashMap::new(), query.notice.as_deref()).await?;
    Ok(render(&page))
}

async fn create(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<FieldForm>,
) -> Result<Response, UiError> {
    require_admin(&who)?;
    let result = state
        .app
        .create_custom_field(&who.actor(), &form.record_type, form.draft())
        .await;
    match result {
        Ok(_) => Ok(
            Redirect::to("/admin/custom-fields?notice=notice-custom-field-created").into_response(),
        ),
        Err(e) => match form_messages(who.lang, &e) {
            Some(errors) => {
                let page = list_page(&state, &who, form, errors, None).await?;
                Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
            }
            None => Err(UiError::signed_in(&who, e)),
        },
    }
}

fn parse_id(who: &SignedIn, id: &str) -> Result<i64, UiError> {
    id.trim()
        .parse()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| UiError::not_found(who))
}

fn edit_page(
    who: &SignedIn,
    field: CustomField,
    form: FieldForm,
    errors: HashMap<String, String>,
) -> EditPage {
    let mut page = Page::signed_in(who, "custom-admin-title", "admin-custom-fields");
    page.title = format!("{} · {}", field.label(who.lang.code()), page.title);
    EditPage {
        type_label: type_label(&page, field.field_type.as_str()),
        kind_label: kind_label(&page, &field.record_type),
        page,
        field,
        form,
        errors,
    }
}

async fn edit(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    require_admin(&who)?;
    let field = state
        .app
        .custom_field(parse_id(&who, &id)?)
        .await
        .ui(&who)?;
    let form = FieldForm::of(&field);
    Ok(render(&edit_page(&who, field, form, HashMap::new())))
}

async fn update(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<FieldForm>,
) -> Result<Response, UiError> {
    require_admin(&who)?;
    let id = parse_id(&who, &id)?;
    let field = state.app.custom_field(id).await.ui(&who)?;
    let draft = form.draft();
    let patch = FieldPatch {
        label_tr: Some(draft.label_tr),
        label_en: Some(draft.label_en),
        required: Some(draft.required),
        options: field.field_type.has_options().then_some(draft.options),
        decimals: (field.field_type == FieldType::Number).then_some(draft.decimals),
        position: Some(draft.position),
        in_list: Some(draft.in_list),
        filterable: Some(draft.filterable),
        ..FieldPatch::default()
    };
    match state
        .app
        .update_custom_field(&who.actor(), id, None, patch)
        .await
    {
        Ok(_) => Ok(Redirect::to("/admin/custom-fields?notice=notice-saved").into_response()),
        Err(e) => match form_messages(who.lang, &e) {
            Some(errors) => {
                let body = render(&edit_page(&who, field, form, errors));
                Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
            }
            None => Err(UiError::signed_in(&who, e)),
        },
    }
}

async fn set_archived(
    state: &AppState,
    who: &SignedIn,
    id: &str,
    archived: bool,
) -> Result<Response, UiError> {
    require_admin(who)?;
    let id = parse_id(who, id)?;
    let patch = FieldPatch {
        archived: Some(archived),
        ..FieldPatch::default()
    };
    match state
        .app
        .update_custom_field(&who.actor(), id, None, patch)
        .await
    {
        Ok(_) => {
            let notice = if archived {
                "notice-custom-field-archived"
            } else {
                "notice-custom-field-restored"
            };
            Ok(Redirect::to(&format!("/admin/custom-fields?notice={notice}")).into_response())
        }
        Err(e) => match form_messages(who.lang, &e) {
            Some(errors) => {
                let field = state.app.custom_field(id).await.ui(who)?;
                let form = FieldForm::of(&field);
                let body = render(&edit_page(who, field, form, errors));
                Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
            }
            None => Err(UiError::signed_in(who, e)),
        },
    }
}

async fn archive(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    set_archived(&state, &who, &id, true).await
}

async fn restore(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    set_archived(&state, &who, &id, false).await
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn option_lines_take_keys_or_make_them_from_labels() {
        let options = parse_options("tekstil | Tekstil | Textiles\nGıda ürünleri\n\n x | İnşaat ");
        let keys: Vec<&str> = options.iter().map(|o| o.key.as_str()).collect();
        assert_eq!(keys, ["tekstil", "gida_urunleri", "x"]);
        assert_eq!(options[1].label_en, "Gıda ürünleri");
        assert_eq!(options[2].label_en, "İnşaat");
        assert_eq!(slug("1. Çeyrek"), "f_1_ceyrek");
    }
}
