//! A record's history for its page: audit entries with localized actions, field names and
//! choice values (`lifecycle_stage: Lead → Customer`).

use rehber_app::AuditEvent;
use rehber_domain::custom::CustomField;
use rehber_web_core::changes::readable_change;
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
                    .map(|c| {
                        let readable = readable_change(lang, custom, &c.field, &c.from, &c.to);
                        ChangeRow {
                            field: readable.field,
                            from: readable.from,
                            to: readable.to,
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}
