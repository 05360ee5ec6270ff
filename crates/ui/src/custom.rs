//! Custom fields on record pages, written once for every kind: the "Custom fields" card
//! (values with labels in the reader's language), its inline edit form, and the save that
//! goes through the kind's update service like any other card. Inputs are read in the
//! reader's locale (`1.250,50` in Turkish, `1,250.50` in English) and sent to the services
//! as the values the API takes.

use crate::error::{UiError, UiResultExt, field_messages, render, wants_partial};
use crate::page::Page;
use askama::Template;
use axum::Router;
use axum::extract::{Path, RawForm, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rehber_app::records::ServiceKind;
use rehber_domain::custom::{CustomField, CustomValues, FieldType};
use rehber_domain::party::{Companies, People};
use rehber_domain::{Error, FieldErrors, Money};
use rehber_web_core::auth::{SignedIn, redirect};
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;
use serde_json::{Map, Value};

mod list;

pub(crate) use list::{CustomFilter, checked_request, list_cells, list_columns, list_filters};

/// A record kind as its pages show it.
pub(crate) trait UiKind: ServiceKind {
    /// Where its pages live (`/people`).
    const BASE: &'static str;
    /// The page title key and the navigation entry.
    const NAV: &'static str;
}

impl UiKind for People {
    const BASE: &'static str = "/people";
    const NAV: &'static str = "people";
}

impl UiKind for Companies {
    const BASE: &'static str = "/companies";
    const NAV: &'static str = "companies";
}

impl UiKind for rehber_domain::deal::Deals {
    const BASE: &'static str = "/deals";
    const NAV: &'static str = "deals";
}

/// The custom-field card routes of a kind.
pub(crate) fn router<K: UiKind>() -> Router<AppState> {
    Router::new()
        .route(
            &format!("{}/{{id}}/custom", K::BASE),
            get(view_card::<K>).post(save::<K>),
        )
        .route(
            &format!("{}/{{id}}/custom/edit", K::BASE),
            get(edit_card::<K>),
        )
}

/// One option of a choice in a form.
#[derive(Debug, Clone)]
pub struct OptionView {
    pub key: String,
    pub label: String,
    pub selected: bool,
}

/// One custom field on a record page: its value shown, and as typed in the edit form.
pub struct FieldView {
    pub key: String,
    pub label: String,
    pub kind: &'static str,
    pub required: bool,
    /// The value for reading (empty: none).
    pub shown: String,
    /// A link for URLs, e-mails and phones.
    pub href: String,
    /// The value as the edit form shows it.
    pub input: String,
    pub currency: String,
    pub options: Vec<OptionView>,
    pub error: String,
}

impl FieldView {
    pub fn name(&self) -> String {
        format!("custom.{}", self.key)
    }

    /// The currencies a money field offers, with the value's own marked (and kept when it
    /// is none of the usual ones).
    pub fn currency_options(&self) -> Vec<(String, bool)> {
        let mut codes: Vec<String> = ["TRY", "USD", "EUR", "GBP"].map(String::from).to_vec();
        if !codes.contains(&self.currency) {
            codes.push(self.currency.clone());
        }
        codes
            .into_iter()
            .map(|c| {
                let chosen = c == self.currency;
                (c, chosen)
            })
            .collect()
    }
}

/// The custom-field card of one record.
pub struct CustomCard {
    pub base: &'static str,
    pub id: i64,
    pub version: i64,
    pub fields: Vec<FieldView>,
    pub can_write: bool,
    pub editing: bool,
    pub stale: bool,
    pub summary: Vec<String>,
}

impl CustomCard {
    pub fn href(&self) -> String {
        format!("{}/{}", self.base, self.id)
    }
}

#[derive(Template)]
#[template(path = "records/custom_card.html")]
struct CardTemplate {
    page: Page,
    card: CustomCard,
}

/// A number in the reader's locale with the field's decimals.
fn local_number(lang: Lang, n: f64, decimals: u8) -> String {
    let text = format!("{n:.*}", usize::from(decimals));
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let grouped = lang.number(whole.parse::<i64>().unwrap_or(0));
    let grouped = if whole.starts_with('-') && !grouped.starts_with('-') {
        format!("-{grouped}")
    } else {
        grouped
    };
    if fraction.is_empty() {
        return grouped;
    }
    let mark = if lang == Lang::Tr { ',' } else { '.' };
    format!("{grouped}{mark}{fraction}")
}

/// Money in the reader's locale without the symbol, for editing (`1.250,00`).
pub(crate) fn local_amount(lang: Lang, minor: i64) -> String {
    lang.amount(minor)
}

pub(crate) fn field_view(lang: Lang, field: &CustomField, value: Option<&Value>) -> FieldView {
    let text = value
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let mut view = FieldView {
        key: field.key.clone(),
        label: field.label(lang.code()).to_string(),
        kind: field.field_type.as_str(),
        required: field.required,
        shown: text.clone(),
        href: String::new(),
        input: text.clone(),
        currency: "TRY".into(),
        options: Vec::new(),
        error: String::new(),
    };
    match (field.field_type, value) {
        (FieldType::Number, Some(Value::Number(n))) => {
            let n = n.as_f64().unwrap_or(0.0);
            view.shown = local_number(lang, n, field.decimals);
            view.input = view.shown.clone();
        }
        (FieldType::Money, Some(Value::Object(o))) => {
            let minor = o.get("minor").and_then(Value::as_i64).unwrap_or(0);
            let currency = o.get("currency").and_then(Value::as_str).unwrap_or("TRY");
            view.shown = lang.money(minor, currency);
            view.input = local_amount(lang, minor);
            view.currency = currency.to_string();
        }
        (FieldType::Boolean, Some(Value::Bool(b))) => {
            view.shown = lang.t(if *b { "value-true" } else { "value-false" });
            view.input = b.to_string();
        }
        (FieldType::Date, Some(Value::String(d))) => {
            if let Ok(date) = d.parse::<jiff::civil::Date>() {
                view.shown = lang.date(date);
            }
        }
        (FieldType::Url, Some(_)) => view.href = text.clone(),
        (FieldType::Email, Some(_)) => view.href = format!("mailto:{text}"),
        (FieldType::Phone, Some(_)) => {
            view.href = format!("tel:{text}");
            view.shown = crate::records::format_phone(&text);
            view.input = view.shown.clone();
        }
        _ => {}
    }
    if field.field_type.has_options() {
        let chosen: Vec<&str> = match value {
            Some(Value::String(k)) => vec![k.as_str()],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        view.shown = chosen
            .iter()
            .map(|k| {
                field
                    .option(k)
                    .map_or_else(|| (*k).to_string(), |o| o.label(lang.code()).to_string())
            })
            .collect::<Vec<_>>()
            .join(", ");
        // Archived options stay offered only where a record still has them.
        view.options = field
            .options
            .iter()
            .filter(|o| !o.archived || chosen.contains(&o.key.as_str()))
            .map(|o| OptionView {
                key: o.key.clone(),
                label: o.label(lang.code()).to_string(),
                selected: chosen.contains(&o.key.as_str()),
            })
            .collect();
    }
    view
}

/// The card of a record with these custom values, in the reader's language.
pub(crate) async fn card_for<K: UiKind>(
    state: &AppState,
    who: &SignedIn,
    record: &K::Record,
) -> Result<CustomCard, UiError> {
    let fields = state
        .app
        .custom_fields(Some(K::TYPE), false)
        .await
        .ui(who)?;
    Ok(card_from::<K>(who, record, &fields))
}

/// The card of a record from the kind's definitions (archived ones are left out).
pub(crate) fn card_from<K: UiKind>(
    who: &SignedIn,
    record: &K::Record,
    fields: &[CustomField],
) -> CustomCard {
    let values: &CustomValues = K::custom(K::fields(record));
    CustomCard {
        base: K::BASE,
        id: K::raw(K::record_id(record)),
        version: K::meta(record).version,
        fields: fields
            .iter()
            .filter(|f| !f.archived)
            .map(|f| field_view(who.lang, f, values.get(&f.key)))
            .collect(),
        can_write: who.actor().role.can_write(K::ACCESS),
        editing: false,
        stale: false,
        summary: Vec::new(),
    }
}

/// A record id from a URL; anything else is "not found".
pub(crate) fn parse_id<K: UiKind>(who: &SignedIn, text: &str) -> Result<K::Id, UiError> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(K::id)
        .ok_or_else(|| UiError::not_found(who))
}

async fn show_card<K: UiKind>(
    state: &AppState,
    who: &SignedIn,
    id: &str,
    editing: bool,
) -> Result<Response, UiError> {
    let id = parse_id::<K>(who, id)?;
    let actor = who.actor();
    let record = state.app.get::<K>(&actor, id).await.ui(who)?;
    if editing && !actor.role.can_write(K::ACCESS) {
        return Err(UiError::forbidden(who));
    }
    let mut card = card_for::<K>(state, who, &record).await?;
    card.editing = editing;
    Ok(render(&CardTemplate {
        page: Page::signed_in(who, K::NAV, K::NAV),
        card,
    }))
}

async fn view_card<K: UiKind>(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    show_card::<K>(&state, &who, &id, false).await
}

async fn edit_card<K: UiKind>(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    if !wants_partial(&headers) {
        return Ok(redirect(
            &headers,
            &format!("{}/{}?edit=custom#card-custom", K::BASE, id.trim()),
        ));
    }
    show_card::<K>(&state, &who, &id, true).await
}

/// The posted form: every `custom.<key>` input (several for a multi-choice), its currency
/// (`custom.<key>.currency`) and the version.
struct Posted {
    pairs: Vec<(String, String)>,
}

impl Posted {
    fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
            .collect()
    }

    fn one(&self, name: &str) -> &str {
        self.all(name).first().copied().unwrap_or("")
    }

    fn version(&self) -> Option<i64> {
        self.one("version").parse().ok()
    }
}

/// A number typed in the reader's locale (`1.234,5` in Turkish, `1,234.5` in English).
fn parse_local_number(lang: Lang, text: &str) -> Option<f64> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let plain = match lang {
        Lang::Tr => compact.replace('.', "").replace(',', "."),
        Lang::En => compact.replace(',', ""),
    };
    plain.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// The posted values of every active field as the services take them (`null` clears), and
/// the inputs that could not even be read as their type.
fn posted_values(
    lang: Lang,
    fields: &[CustomField],
    posted: &Posted,
) -> (Map<String, Value>, FieldErrors) {
    let mut values = Map::new();
    let mut errors = FieldErrors::new();
    for field in fields {
        let name = format!("custom.{}", field.key);
        let raw = posted.one(&name);
        let value = match field.field_type {
            FieldType::MultiChoice => Value::Array(
                posted
                    .all(&name)
                    .into_iter()
                    .map(|k| Value::String(k.to_string()))
                    .collect(),
            ),
            _ if raw.is_empty() => Value::Null,
            FieldType::Number => match parse_local_number(lang, raw) {
                Some(n) => serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number),
                None => {
                    errors.add(name, "invalid-number");
                    continue;
                }
            },
            FieldType::Money => {
                let currency = match posted.one(&format!("{name}.currency")) {
                    "" => "TRY",
                    c => c,
                };
                match Money::parse(raw, currency) {
                    Ok(m) => serde_json::json!({"minor": m.minor, "currency": m.currency}),
                    Err(invalid) => {
                        errors.add(name, invalid.code());
                        continue;
                    }
                }
            }
            FieldType::Boolean => Value::Bool(raw == "true"),
            _ => Value::String(raw.to_string()),
        };
        values.insert(field.key.clone(), value);
    }
    (values, errors)
}

async fn save<K: UiKind>(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawForm(body): RawForm,
) -> Result<Response, UiError> {
    let id = parse_id::<K>(&who, &id)?;
    let actor = who.actor();
    let lang = who.lang;
    let posted = Posted {
        pairs: form_urlencoded::parse(&body).into_owned().collect(),
    };
    let current = state.app.get::<K>(&actor, id).await.ui(&who)?;
    let fields = state
        .app
        .custom_fields(Some(K::TYPE), false)
        .await
        .ui(&who)?;
    let (values, unreadable) = posted_values(lang, &fields, &posted);
    let result = if unreadable.is_empty() {
        state
            .app
            .update::<K>(
                &actor,
                id,
                posted.version(),
                K::custom_patch(values),
                Default::default(),
            )
            .await
    } else {
        Err(Error::Validation(unreadable).into())
    };
    let inline = wants_partial(&headers);
    let (record, problem) = match result {
        Ok(record) if inline => (record, None),
        Ok(_) => {
            return Ok(redirect(
                &headers,
                &format!("{}/{}?notice=notice-saved", K::BASE, K::raw(id)),
            ));
        }
        Err(e) => match e.domain() {
            Some(Error::Validation(errors)) => (current, Some(Ok(errors.clone()))),
            Some(Error::StaleVersion) => (current, Some(Err(()))),
            _ => return Err(UiError::signed_in(&who, e)),
        },
    };
    let mut card = card_for::<K>(&state, &who, &record).await?;
    let Some(problem) = problem else {
        return Ok(render(&CardTemplate {
            page: Page::signed_in(&who, K::NAV, K::NAV),
            card,
        }));
    };
    // Shown again as typed, with the messages under their fields.
    card.editing = true;
    card.version = posted.version().unwrap_or(card.version);
    let status = match problem {
        Err(()) => {
            card.stale = true;
            StatusCode::CONFLICT
        }
        Ok(errors) => {
            let messages = field_messages(lang, &errors);
            for view in &mut card.fields {
                let name = view.name();
                view.input = posted.one(&name).to_string();
                if let Some(c) = posted.all(&format!("{name}.currency")).first() {
                    view.currency = (*c).to_string();
                }
                let chosen = posted.all(&name);
                for option in &mut view.options {
                    option.selected = chosen.contains(&option.key.as_str());
                }
                if let Some(message) = messages.get(&name) {
                    view.error = message.clone();
                    card.summary.push(format!("{}: {message}", view.label));
                }
            }
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    let body = render(&CardTemplate {
        page: Page::signed_in(&who, K::NAV, K::NAV),
        card,
    });
    Ok((crate::records::form_status(&headers, status), body).into_response())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_and_shown_in_the_readers_locale() {
        assert_eq!(parse_local_number(Lang::Tr, "1.234,5"), Some(1234.5));
        assert_eq!(parse_local_number(Lang::En, "1,234.5"), Some(1234.5));
        assert_eq!(parse_local_number(Lang::En, "abc"), None);
        assert_eq!(local_number(Lang::Tr, 1234.5, 2), "1.234,50");
        assert_eq!(local_number(Lang::En, -1234.5, 1), "-1,234.5");
        assert_eq!(
            local_amount(Lang::Tr, 1_525_080_000_000),
            "15.250.800.000,00"
        );
    }
}
