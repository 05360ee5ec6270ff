//! `/api/v1/custom-fields`: the definitions of administrator-defined fields. Everyone reads
//! them (they are the schema of records' `custom` object); only administrators write.
//! `DELETE` archives a field (its values stay; `PATCH {"archived": false}` restores it).

use super::extract::{ApiBody, ApiId, DocumentedBody};
use super::records::schema_fields;
use super::{etag, expected_version};
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rehber_app::custom_fields::{FieldPatch, RECORD_TYPES};
use rehber_domain::custom::{CustomField, FieldDraft, FieldOption};
use rehber_web_core::auth::ApiUser;
use rehber_web_core::problem::{ApiError, Problem};
use rehber_web_core::query::{QueryErrors, QueryParams};
use rehber_web_core::state::AppState;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use utoipa::{IntoParams, ToSchema};

/// One option of a choice field.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OptionWire {
    /// Stable key records store (a slug); a label can change, the key cannot.
    #[schema(example = "tekstil")]
    pub key: String,
    #[schema(example = "Tekstil")]
    pub label_tr: String,
    #[schema(example = "Textiles")]
    pub label_en: String,
    /// An archived option stays on records that have it but cannot be chosen.
    #[serde(default)]
    pub archived: bool,
}

impl From<OptionWire> for FieldOption {
    fn from(o: OptionWire) -> Self {
        FieldOption {
            key: o.key,
            label_tr: o.label_tr,
            label_en: o.label_en,
            archived: o.archived,
        }
    }
}

/// A field to define (`POST`), or the settings to change (`PATCH`: absent ones stay; `key`,
/// `record_type` and `type` cannot change).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CustomFieldRequest {
    /// `person` or `company`.
    #[schema(example = "person")]
    pub record_type: Option<String>,
    /// Immutable slug: a lower-case letter, then letters, digits or `_` (at most 40).
    #[schema(example = "sektor")]
    pub key: Option<String>,
    /// text, long_text, number, money, date, boolean, choice, multi_choice, url, email, phone
    #[serde(rename = "type")]
    #[schema(example = "choice")]
    pub field_type: Option<String>,
    #[schema(example = "Sektör")]
    pub label_tr: Option<String>,
    #[schema(example = "Industry")]
    pub label_en: Option<String>,
    pub required: Option<bool>,
    /// Options of a choice or multi-choice field. On `PATCH` the full list: an option left
    /// out is archived, never removed.
    pub options: Option<Vec<OptionWire>>,
    /// Decimal places of a number field (0–6).
    pub decimals: Option<u8>,
    /// The record page section it is shown in (empty: "Custom fields").
    pub section: Option<String>,
    pub position: Option<i64>,
    /// Shown as a list column by default.
    pub in_list: Option<bool>,
    /// Offered as a list filter.
    pub filterable: Option<bool>,
    pub archived: Option<bool>,
    /// The version read (or send `If-Match`).
    pub version: Option<i64>,
}

impl DocumentedBody for CustomFieldRequest {
    fn known_fields() -> &'static [String] {
        static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
        FIELDS.get_or_init(schema_fields::<CustomFieldRequest>)
    }
}

impl CustomFieldRequest {
    fn patch(self) -> FieldPatch {
        FieldPatch {
            label_tr: self.label_tr,
            label_en: self.label_en,
            required: self.required,
            options: self
                .options
                .map(|o| o.into_iter().map(FieldOption::from).collect()),
            decimals: self.decimals,
            section: self.section,
            position: self.position,
            in_list: self.in_list,
            filterable: self.filterable,
            archived: self.archived,
        }
    }
}

/// A custom field definition.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CustomFieldResponse {
    pub id: i64,
    pub record_type: String,
    pub key: String,
    #[serde(rename = "type")]
    pub field_type: String,
    pub label_tr: String,
    pub label_en: String,
    pub required: bool,
    pub options: Vec<OptionWire>,
    pub decimals: u8,
    pub section: String,
    pub position: i64,
    pub in_list: bool,
    pub filterable: bool,
    pub archived: bool,
    pub version: i64,
}

impl From<CustomField> for CustomFieldResponse {
    fn from(f: CustomField) -> Self {
        CustomFieldResponse {
            id: f.id,
            record_type: f.record_type,
            key: f.key,
            field_type: f.field_type.as_str().to_string(),
            label_tr: f.label_tr,
            label_en: f.label_en,
            required: f.required,
            options: f
                .options
                .into_iter()
                .map(|o| OptionWire {
                    key: o.key,
                    label_tr: o.label_tr,
                    label_en: o.label_en,
                    archived: o.archived,
                })
                .collect(),
            decimals: f.decimals,
            section: f.section,
            position: f.position,
            in_list: f.in_list,
            filterable: f.filterable,
            archived: f.archived,
            version: f.version,
        }
    }
}

/// The custom fields of one kind or of all.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomFieldList {
    pub items: Vec<CustomFieldResponse>,
}

/// Filters of the definitions list.
#[derive(Debug, Clone, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct CustomFieldParams {
    /// `person` or `company`; all kinds when absent.
    pub record_type: Option<String>,
    /// Include archived fields.
    pub archived: Option<bool>,
}

fn response(field: CustomField) -> Response {
    (etag(field.version), Json(CustomFieldResponse::from(field))).into_response()
}

/// List custom field definitions (every signed-in caller).
#[utoipa::path(get, path = "/custom-fields", tag = "custom-fields", params(CustomFieldParams), responses(
    (status = 200, body = CustomFieldList),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn list(
    State(state): State<AppState>,
    caller: ApiUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<CustomFieldList>, ApiError> {
    let mut errors = QueryErrors::default();
    let query = QueryParams::parse(raw.as_deref(), &[&["record_type", "archived"]], &mut errors);
    let record_type = query.text("record_type", 20, &mut errors);
    if let Some(t) = &record_type
        && !RECORD_TYPES.contains(&t.as_str())
    {
        errors.invalid.add("record_type", "invalid-unknown-value");
    }
    let archived = query.boolean("archived", &mut errors).unwrap_or(false);
    errors
        .into_result()
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let fields = state
        .app
        .custom_fields(record_type.as_deref(), archived)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(Json(CustomFieldList {
        items: fields.into_iter().map(CustomFieldResponse::from).collect(),
    }))
}

/// Define a custom field (administrators).
#[utoipa::path(post, path = "/custom-fields", tag = "custom-fields", request_body = CustomFieldRequest, responses(
    (status = 201, body = CustomFieldResponse),
    (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "The key is taken for this record type", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn create(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiBody(body): ApiBody<CustomFieldRequest>,
) -> Result<Response, ApiError> {
    let record_type = body.record_type.clone().unwrap_or_default();
    let draft = FieldDraft {
        key: body.key.clone().unwrap_or_default(),
        field_type: body.field_type.clone().unwrap_or_default(),
        label_tr: body.label_tr.clone().unwrap_or_default(),
        label_en: body.label_en.clone().unwrap_or_default(),
        required: body.required.unwrap_or(false),
        options: body
            .options
            .clone()
            .unwrap_or_default()
            .into_iter()
            .map(FieldOption::from)
            .collect(),
        decimals: body.decimals.unwrap_or(0),
        section: body.section.clone().unwrap_or_default(),
        position: body.position.unwrap_or(0),
        in_list: body.in_list.unwrap_or(false),
        filterable: body.filterable.unwrap_or(true),
        archived: body.archived.unwrap_or(false),
    };
    let field = state
        .app
        .create_custom_field(&caller.actor(), &record_type, draft)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let location = format!("/api/v1/custom-fields/{}", field.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        response(field),
    )
        .into_response())
}

/// One custom field definition.
#[utoipa::path(get, path = "/custom-fields/{id}", tag = "custom-fields", params(("id" = i64, Path)), responses(
    (status = 200, body = CustomFieldResponse),
    (status = 404, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn get(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Response, ApiError> {
    let field = state
        .app
        .custom_field(id)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(response(field))
}

/// Change a custom field's labels, options and settings (administrators).
#[utoipa::path(patch, path = "/custom-fields/{id}", tag = "custom-fields", params(("id" = i64, Path)), request_body = CustomFieldRequest, responses(
    (status = 200, body = CustomFieldResponse),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn update(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    headers: HeaderMap,
    ApiBody(body): ApiBody<CustomFieldRequest>,
) -> Result<Response, ApiError> {
    let version = expected_version(caller.lang, &headers, body.version)?;
    let actor = caller.actor();
    if !actor.role.is_admin() {
        return Err(ApiError::new(caller.lang, rehber_domain::Error::Forbidden));
    }
    let current = state
        .app
        .custom_field(id)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    let mut fixed = rehber_domain::FieldErrors::new();
    for (name, given, stored) in [
        ("key", body.key.as_deref(), current.key.as_str()),
        (
            "type",
            body.field_type.as_deref(),
            current.field_type.as_str(),
        ),
        (
            "record_type",
            body.record_type.as_deref(),
            current.record_type.as_str(),
        ),
    ] {
        if given.is_some_and(|g| g != stored) {
            fixed.add(name, "invalid-immutable");
        }
    }
    if !fixed.is_empty() {
        return Err(ApiError::new(
            caller.lang,
            rehber_domain::Error::Validation(fixed),
        ));
    }
    let field = state
        .app
        .update_custom_field(&actor, id, version, body.patch())
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(response(field))
}

/// Archive a custom field (administrators): it leaves forms and filters and can no longer
/// be written; records keep their values.
#[utoipa::path(delete, path = "/custom-fields/{id}", tag = "custom-fields", params(("id" = i64, Path)), responses(
    (status = 204, description = "Archived"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json")
))]
pub(super) async fn delete(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<StatusCode, ApiError> {
    state
        .app
        .archive_custom_field(&caller.actor(), id)
        .await
        .map_err(|e| ApiError::new(caller.lang, e))?;
    Ok(StatusCode::NO_CONTENT)
}
