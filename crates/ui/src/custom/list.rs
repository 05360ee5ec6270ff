//! Custom fields in lists, written once for every kind: the filter bar's inputs for the
//! filterable fields, the columns (with sort headers) of the fields shown in lists, their
//! cells, and a list request's custom filters checked (and money ranges read in TRY).

use super::{OptionView, UiKind, field_view};
use crate::error::{UiError, UiResultExt};
use crate::records::list::{ListQuery, SortHeader};
use rehber_domain::custom::{CustomField, CustomValues, FieldType};
use rehber_domain::{Error, Money};
use rehber_web_core::auth::SignedIn;
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;

/// One custom-field filter of a list's filter bar: a choice (`custom.<key>`), a text that
/// must be contained (`custom.<key>_contains`) or a range (`custom.<key>_gte` / `_lte`).
#[derive(Debug, Clone)]
pub struct CustomFilter {
    pub label: String,
    /// `select`, `text`, `number` or `date`.
    pub control: &'static str,
    pub name: String,
    pub value: String,
    pub options: Vec<OptionView>,
    /// For ranges: the upper bound's input.
    pub max_name: String,
    pub max_value: String,
    pub min_label: String,
    pub max_label: String,
}

/// The filters of a list for the kind's filterable fields, holding the values asked.
pub(crate) fn list_filters(
    lang: Lang,
    fields: &[CustomField],
    query: &ListQuery,
) -> Vec<CustomFilter> {
    fields
        .iter()
        .filter(|f| f.filterable)
        .map(|f| {
            let label = f.label(lang.code()).to_string();
            let key = &f.key;
            let range = |control: &'static str| CustomFilter {
                control,
                name: format!("custom.{key}_gte"),
                value: query.custom_value(&format!("{key}_gte")).to_string(),
                options: Vec::new(),
                max_name: format!("custom.{key}_lte"),
                max_value: query.custom_value(&format!("{key}_lte")).to_string(),
                min_label: lang.t_args("custom-filter-min", &[("label", label.clone())]),
                max_label: lang.t_args("custom-filter-max", &[("label", label.clone())]),
                label: label.clone(),
            };
            let single = |control: &'static str, name: String, options: Vec<OptionView>| {
                let value = query
                    .custom_value(name.trim_start_matches("custom."))
                    .to_string();
                CustomFilter {
                    label: label.clone(),
                    control,
                    options: options
                        .into_iter()
                        .map(|o| OptionView {
                            selected: o.key == value,
                            ..o
                        })
                        .collect(),
                    name,
                    value,
                    max_name: String::new(),
                    max_value: String::new(),
                    min_label: String::new(),
                    max_label: String::new(),
                }
            };
            match f.field_type {
                FieldType::Number | FieldType::Money => range("number"),
                FieldType::Date => range("date"),
                FieldType::Choice | FieldType::MultiChoice => single(
                    "select",
                    format!("custom.{key}"),
                    f.options
                        .iter()
                        .filter(|o| !o.archived)
                        .map(|o| OptionView {
                            key: o.key.clone(),
                            label: o.label(lang.code()).to_string(),
                            selected: false,
                        })
                        .collect(),
                ),
                FieldType::Boolean => single(
                    "select",
                    format!("custom.{key}"),
                    vec![
                        OptionView {
                            key: "true".into(),
                            label: lang.t("value-true"),
                            selected: false,
                        },
                        OptionView {
                            key: "false".into(),
                            label: lang.t("value-false"),
                            selected: false,
                        },
                    ],
                ),
                FieldType::Phone => single("text", format!("custom.{key}"), Vec::new()),
                _ => single("text", format!("custom.{key}_contains"), Vec::new()),
            }
        })
        .collect()
}

/// The sort headers of the fields shown as list columns.
pub(crate) fn list_columns(
    lang: Lang,
    fields: &[CustomField],
    query: &ListQuery,
    base: &str,
) -> Vec<SortHeader> {
    fields
        .iter()
        .filter(|f| f.in_list)
        .map(|f| {
            let name = format!("custom.{}", f.key);
            let current = query.sort.trim();
            let active = current.trim_start_matches('-') == name;
            let descending = current.starts_with('-');
            let mut next = query.clone();
            next.cursor.clear();
            next.sort = if active && !descending {
                format!("-{name}")
            } else {
                name.clone()
            };
            let (class, aria) = match (active, descending) {
                (false, _) => ("sort", "none"),
                (true, false) => ("sort is-asc", "ascending"),
                (true, true) => ("sort is-desc", "descending"),
            };
            SortHeader {
                label: f.label(lang.code()).to_string(),
                href: if f.field_type.is_sortable() {
                    next.href(base, None)
                } else {
                    String::new()
                },
                class,
                aria,
            }
        })
        .collect()
}

/// The list cells of a record's column fields, as the record page shows them.
pub(crate) fn list_cells(lang: Lang, fields: &[CustomField], values: &CustomValues) -> Vec<String> {
    fields
        .iter()
        .filter(|f| f.in_list)
        .map(|f| field_view(lang, f, values.get(&f.key)).shown)
        .collect()
}

/// A list request's custom filters and sort checked against the kind's fields: problems
/// become messages of the list (and the filter is dropped) rather than an error page. Gives
/// the filter to count with and the kind's active fields (for the filter bar and columns).
pub(crate) async fn checked_request<K: UiKind>(
    state: &AppState,
    who: &SignedIn,
    request: &mut rehber_app::list::ListRequest,
    problems: &mut Vec<String>,
) -> Result<(rehber_app::PartyFilter, Vec<CustomField>), UiError> {
    // Money ranges are typed in the currency's units in the reader's locale (`1.250.000`);
    // the services compare minor units, as the API does.
    let fields = state
        .app
        .custom_fields(Some(K::TYPE), false)
        .await
        .ui(who)?;
    for param in &mut request.custom {
        let money = fields.iter().any(|f| {
            f.field_type == FieldType::Money
                && (param.name == format!("{}_gte", f.key)
                    || param.name == format!("{}_lte", f.key))
        });
        if money && let Ok(m) = Money::parse(&param.value, "TRY") {
            param.value = m.minor.to_string();
        }
    }
    if request.sort_custom.is_none() && !K::SORTS.contains(&request.sort.as_str()) {
        // An order this list does not have (a company's "company"): the name order instead.
        problems.push(format!(
            "{}: {}",
            who.lang.t("records-sort"),
            who.lang.t("invalid-unknown-value")
        ));
        request.sort = rehber_app::PartySort::Name;
    }
    match state.app.resolve_list::<K>(request).await {
        Ok((filter, _)) => Ok((filter, fields)),
        Err(e) => match e.domain() {
            Some(Error::Validation(errors)) => {
                for error in &errors.0 {
                    problems.push(format!("{}: {}", error.field, who.lang.t(&error.code)));
                }
                // What could not be resolved is left out; the rest of the list still shows.
                request.custom.clear();
                request.sort_custom = None;
                request.rule = None;
                Ok((request.filter.clone(), fields))
            }
            _ => Err(UiError::signed_in(who, e)),
        },
    }
}
