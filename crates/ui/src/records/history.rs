//! A record's history for its page: audit entries with localized actions, field names and
//! choice values (`lifecycle_stage: Lead → Customer`).

use super::choice_label;
use rehber_app::AuditEvent;
use rehber_domain::custom::CustomField;
use rehber_web_core::i18n::Lang;

/// One audit entry as shown.
#[derive(Debug, Clone)]
pub struct HistoryRow {
    pub at: String,
    /// Machine-readable time for `<time datetime>`.
    pub at_iso: String,
    pub actor: String,
    /// `created`, `updated`, … (for the badge colour).
    pub action_code: String,
    pub action: String,
    pub changes: Vec<ChangeRow>,
}

/// One changed field.
#[derive(Debug, Clone)]
pub struct ChangeRow {
    pub field: String,
    pub from: String,
    pub to: String,
}

/// The rows of a record's history, newest first (as the service returns them).
/// `custom` names the kind's custom fields (`custom.sektor` → "Sektör", option keys → labels).
pub fn history_rows(
    lang: Lang,
    events: Vec<AuditEvent>,
    custom: &[CustomField],
) -> Vec<HistoryRow> {
    events
        .into_iter()
        .map(|event| {
            let action_key = format!("action-{}", event.action);
            HistoryRow {
                at: lang.datetime(event.at),
                at_iso: event.at.to_string(),
                actor: event.actor_name.unwrap_or_else(|| lang.t("history-system")),
                action: if lang.has(&action_key) {
                    lang.t(&action_key)
                } else {
                    event.action.clone()
                },
                action_code: event.action,
                changes: event
                    .changes
                    .into_iter()
                    .map(|c| match custom_field(custom, &c.field) {
                        Some(f) => ChangeRow {
                            field: f.label(lang.code()).to_string(),
                            from: custom_value(lang, f, &c.from),
                            to: custom_value(lang, f, &c.to),
                        },
                        None => ChangeRow {
                            field: field_name(lang, &c.field),
                            from: value(lang, &c.field, &c.from),
                            to: value(lang, &c.field, &c.to),
                        },
                    })
                    .collect(),
            }
        })
        .collect()
}

fn custom_field<'a>(fields: &'a [CustomField], name: &str) -> Option<&'a CustomField> {
    let key = name.strip_prefix("custom.")?;
    fields.iter().find(|f| f.key == key)
}

/// A custom value as the audit log keeps it (option keys comma-separated), for reading.
fn custom_value(lang: Lang, field: &CustomField, raw: &str) -> String {
    if !field.field_type.has_options() {
        return value(lang, "", raw);
    }
    raw.split(", ")
        .filter(|k| !k.is_empty())
        .map(|k| {
            field
                .option(k)
                .map_or(k, |o| o.label(lang.code()))
                .to_string()
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn field_name(lang: Lang, field: &str) -> String {
    let key = format!("field-{field}");
    if lang.has(&key) {
        lang.t(&key)
    } else {
        field.to_string()
    }
}

fn value(lang: Lang, field: &str, raw: &str) -> String {
    match raw {
        "true" => lang.t("value-true"),
        "false" => lang.t("value-false"),
        _ => choice_label(lang, field, raw),
    }
}
