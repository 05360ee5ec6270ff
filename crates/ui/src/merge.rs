//! The merge screen: two possible duplicates field by field, the one kept on the left.
//! Where both hold a different value the person merging picks one; where one is empty the
//! other's fills it; lists (e-mails, phones, tags) are joined and the pick says whose come
//! first. The merge itself and its rules are `rehber_app::merge`'s; a refusal shows the
//! screen again, saying why.

use crate::custom::{UiKind, field_view};
use crate::duplicates;
use crate::error::{UiError, UiResultExt, form_messages, render};
use crate::page::Page;
use crate::records::party::Party;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::Form;
use rehber_domain::party::{Companies, People, Person};
use rehber_web_core::auth::SignedIn;
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;
use serde::Deserialize;
use serde_json::{Map, Value};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/people/{id}/merge", get(compare_people).post(merge_person))
        .route(
            "/companies/{id}/merge",
            get(compare_companies).post(merge_company),
        )
}

/// A kind the merge screen shows: the fields in the order of its form, and the values it
/// shows otherwise than typed.
pub(crate) trait Mergeable: UiKind
where
    Self::Fields: Party,
{
    /// The form's fields, as the screen lists them (before the custom fields).
    const FIELDS: &'static [&'static str];
    /// Values read better from the record than from the form (a person's company by name).
    fn shown(_record: &Self::Record) -> Vec<(&'static str, String)> {
        Vec::new()
    }
}

impl Mergeable for People {
    const FIELDS: &'static [&'static str] = &[
        "first_name",
        "last_name",
        "company_id",
        "job_title",
        "emails",
        "phones",
        "address",
        "birthday",
        "national_id",
        "lifecycle_stage",
        "lead_status",
        "lead_source",
        "unqualified_reason",
        "tags",
        "notes",
    ];

    fn shown(record: &Person) -> Vec<(&'static str, String)> {
        vec![(
            "company_id",
            record.company_name.clone().unwrap_or_default(),
        )]
    }
}

impl Mergeable for Companies {
    // `e_invoice` is kept when either side says so, as the BANT checks are.
    const FIELDS: &'static [&'static str] = &[
        "name",
        "website",
        "industry",
        "size",
        "annual_revenue",
        "tax_office",
        "tax_number",
        "national_id",
        "trade_registry_number",
        "emails",
        "phones",
        "address",
        "lifecycle_stage",
        "lead_status",
        "lead_source",
        "unqualified_reason",
        "tags",
        "notes",
    ];
}

/// One field of the two records.
pub struct MergeRow {
    /// The field as `take` names it (`job_title`, `custom.sektor`).
    pub key: String,
    pub label: String,
    pub kept: String,
    pub other: String,
    /// Both hold a value and they differ: the person merging picks.
    pub choice: bool,
    /// A list: both are kept, the pick says whose come first.
    pub list: bool,
    /// The pick posted back after a refusal: the other's.
    pub take_other: bool,
}

/// A record of the two, by name.
pub struct MergeSide {
    pub id: i64,
    pub href: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "duplicates/merge.html")]
struct MergePage {
    page: Page,
    /// `/people` or `/companies`.
    base: &'static str,
    record_type: &'static str,
    kept: MergeSide,
    other: MergeSide,
    rows: Vec<MergeRow>,
    error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CompareQuery {
    duplicate_id: String,
}

/// A value of a form as the screen shows it.
fn shown(lang: Lang, key: &str, value: &Value, form: &Map<String, Value>) -> String {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_string();
    match value {
        Value::String(s) if s.trim().is_empty() => String::new(),
        Value::String(s) => match key {
            "lifecycle_stage" => lang.t(&format!("lifecycle-{s}")),
            "lead_status" => lang.t(&format!("lead-status-{s}")),
            "lead_source" => lang.t(&format!("lead-source-{s}")),
            "size" => lang.t(&format!("size-{s}")),
            "birthday" => s
                .parse::<jiff::civil::Date>()
                .map(|d| lang.date(d))
                .unwrap_or_else(|_| s.clone()),
            "annual_revenue" => format!("{s} {}", text(form.get("currency"))),
            _ => s.clone(),
        },
        Value::Array(items) => {
            let items: Vec<String> = items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            match key {
                "phones" => crate::records::readable_phones(&items).join(", "),
                _ => items.join(", "),
            }
        }
        Value::Object(address) => ["street", "district", "city", "postal_code", "country"]
            .iter()
            .map(|part| text(address.get(*part)))
            .filter(|part| !part.trim().is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}

fn form_of<K: UiKind>(who: &SignedIn, record: &K::Record) -> Result<Map<String, Value>, UiError> {
    match serde_json::to_value(K::Form::from(K::fields(record))) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(UiError::signed_in(
            who,
            rehber_app::AppError::Internal("a form is not plain data".into()),
        )),
    }
}

/// The rows of the two records (`taken`: the picks posted back after a refusal).
async fn rows<K: Mergeable>(
    state: &AppState,
    who: &SignedIn,
    (kept, other): (&K::Record, &K::Record),
    taken: &[String],
) -> Result<Vec<MergeRow>, UiError>
where
    K::Fields: Party,
{
    let lang = who.lang;
    let (kept_form, other_form) = (form_of::<K>(who, kept)?, form_of::<K>(who, other)?);
    let (kept_shown, other_shown) = (K::shown(kept), K::shown(other));
    let mut rows = Vec::new();
    for key in K::FIELDS {
        let (a, b) = (
            kept_form.get(*key).unwrap_or(&Value::Null),
            other_form.get(*key).unwrap_or(&Value::Null),
        );
        let instead = |list: &[(&'static str, String)], value: &Value| {
            list.iter()
                .find(|(k, _)| k == key)
                .map(|(_, s)| s.clone())
                .filter(|s| !s.is_empty() || value.as_str().is_none_or(str::is_empty))
        };
        let kept_text = instead(&kept_shown, a).unwrap_or_else(|| shown(lang, key, a, &kept_form));
        let other_text =
            instead(&other_shown, b).unwrap_or_else(|| shown(lang, key, b, &other_form));
        let label = match *key {
            "address" => lang.t("merge-address"),
            "company_id" => lang.t("field-company_id"),
            other => lang.t(&format!("field-{other}")),
        };
        rows.push(row(
            key.to_string(),
            label,
            (kept_text, other_text),
            a != b,
            taken,
        ));
        if let Some(last) = rows.last_mut() {
            last.list = a.is_array();
        }
    }
    let fields = state
        .app
        .custom_fields(Some(K::TYPE), false)
        .await
        .ui(who)?;
    let custom = |form: &Map<String, Value>| match form.get("custom") {
        Some(Value::Object(values)) => values.clone(),
        _ => Map::new(),
    };
    let (kept_custom, other_custom) = (custom(&kept_form), custom(&other_form));
    for field in &fields {
        let (a, b) = (kept_custom.get(&field.key), other_custom.get(&field.key));
        let view = |value: Option<&Value>| match value {
            Some(value) => field_view(lang, field, Some(value)).shown,
            None => String::new(),
        };
        let texts = (view(a), view(b));
        let label = field_view(lang, field, None).label;
        rows.push(row(
            format!("custom.{}", field.key),
            label,
            texts,
            a != b,
            taken,
        ));
    }
    rows.retain(|r| !r.kept.is_empty() || !r.other.is_empty());
    Ok(rows)
}

fn row(
    key: String,
    label: String,
    (kept, other): (String, String),
    differ: bool,
    taken: &[String],
) -> MergeRow {
    MergeRow {
        choice: differ && !kept.is_empty() && !other.is_empty(),
        take_other: taken.contains(&key),
        key,
        label,
        kept,
        other,
        list: false,
    }
}

fn side<K: UiKind>(record: &K::Record) -> MergeSide {
    let id = K::raw(K::record_id(record));
    MergeSide {
        id,
        href: format!("{}/{id}", K::BASE),
        name: K::title(record),
    }
}

/// The screen for keeping `kept` and merging `other` into it.
async fn screen<K: Mergeable>(
    state: &AppState,
    who: &SignedIn,
    (kept, other): (i64, i64),
    taken: &[String],
    error: Option<String>,
) -> Result<MergePage, UiError>
where
    K::Fields: Party,
{
    let actor = who.actor();
    let kept = state.app.get::<K>(&actor, K::id(kept)).await.ui(who)?;
    let other = state.app.get::<K>(&actor, K::id(other)).await.ui(who)?;
    let rows = rows::<K>(state, who, (&kept, &other), taken).await?;
    Ok(MergePage {
        page: Page::signed_in(who, "merge-title", K::NAV),
        base: K::BASE,
        record_type: K::TYPE,
        kept: side::<K>(&kept),
        other: side::<K>(&other),
        rows,
        error,
    })
}

async fn compare<K: Mergeable>(
    state: &AppState,
    who: &SignedIn,
    id: &str,
    query: CompareQuery,
) -> Result<Response, UiError>
where
    K::Fields: Party,
{
    let kept = crate::paths::path_id(who, id)?;
    let other = crate::paths::path_id(who, &query.duplicate_id)?;
    if kept == other {
        return Err(UiError::not_found(who));
    }
    Ok(render(
        &screen::<K>(state, who, (kept, other), &[], None).await?,
    ))
}

async fn compare_people(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Query(query): Query<CompareQuery>,
) -> Result<Response, UiError> {
    compare::<People>(&state, &who, &id, query).await
}

async fn compare_companies(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Query(query): Query<CompareQuery>,
) -> Result<Response, UiError> {
    compare::<Companies>(&state, &who, &id, query).await
}

/// What a merge form posts: `duplicate_id`, and `take.<field>` = `other` for each value
/// picked from the other record (a revenue comes with its currency).
fn posted(form: &[(String, String)]) -> (i64, Vec<String>) {
    let mut other = 0;
    let mut take = Vec::new();
    for (name, value) in form {
        if name == "duplicate_id" {
            other = value.trim().parse::<i64>().unwrap_or(0);
        } else if let Some(field) = name.strip_prefix("take.")
            && value == "other"
        {
            take.push(field.to_string());
            if field == "annual_revenue" {
                take.push("currency".to_string());
            }
        }
    }
    (other, take)
}

/// After a merge: the record kept, with a notice; a refusal: the screen again (or, when a
/// record cannot be shown, the review list), saying why.
async fn merged<K: Mergeable>(
    state: &AppState,
    who: &SignedIn,
    id: &str,
    form: Vec<(String, String)>,
) -> Result<Response, UiError>
where
    K::Fields: Party,
    K::Form: serde::de::DeserializeOwned,
{
    let survivor = crate::paths::path_id(who, id)?;
    let (other, take) = posted(&form);
    let result = state
        .app
        .merge::<K>(&who.actor(), K::id(survivor), K::id(other), &take)
        .await;
    let error = match result {
        Ok(_) => {
            return Ok(
                Redirect::to(&format!("{}/{survivor}?notice=notice-merged", K::BASE))
                    .into_response(),
            );
        }
        Err(e) => e,
    };
    let Some(message) = form_messages(who.lang, &error).and_then(|m| m.into_values().next()) else {
        return Err(UiError::signed_in(who, error));
    };
    let again = match screen::<K>(state, who, (survivor, other), &take, Some(message.clone())).await
    {
        Ok(view) => render(&view),
        Err(_) => render(&duplicates::page(state, who, K::TYPE, None, Some(message)).await?),
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, again).into_response())
}

async fn merge_person(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    merged::<People>(&state, &who, &id, form).await
}

async fn merge_company(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    merged::<Companies>(&state, &who, &id, form).await
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn the_form_names_the_values_taken_from_the_other_record() {
        let form: Vec<(String, String)> = [
            ("_csrf", "x"),
            ("duplicate_id", " 12 "),
            ("take.first_name", "other"),
            ("take.job_title", "kept"),
            ("take.annual_revenue", "other"),
            ("take.custom.sektor", "other"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .to_vec();
        assert_eq!(
            posted(&form),
            (
                12,
                ["first_name", "annual_revenue", "currency", "custom.sektor"]
                    .map(String::from)
                    .to_vec()
            )
        );
    }

    #[test]
    fn values_are_shown_in_the_readers_words() {
        let form = Map::new();
        let lang = Lang::En;
        assert_eq!(
            shown(lang, "lifecycle_stage", &Value::from("customer"), &form),
            "Customer"
        );
        let address = serde_json::json!({"street": "Kordon 1", "district": "", "city": "İzmir",
            "postal_code": "", "country": "Türkiye"});
        assert_eq!(
            shown(lang, "address", &address, &form),
            "Kordon 1, İzmir, Türkiye"
        );
        assert_eq!(
            shown(
                lang,
                "emails",
                &serde_json::json!(["a@x.com", "b@x.com"]),
                &form
            ),
            "a@x.com, b@x.com"
        );
        assert_eq!(shown(lang, "notes", &Value::from("  "), &form), "");
    }
}
