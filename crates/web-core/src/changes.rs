//! A changed field as people read it, wherever changes are shown (a record's history, an
//! import's lines of what it updates, `rehber import`): the field's localized name, a
//! choice's label instead of its code, a custom field's label and options.

use crate::i18n::Lang;
use rehber_domain::custom::CustomField;

/// One changed field, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadableChange {
    pub field: String,
    pub from: String,
    pub to: String,
}

/// The change of `field` from `from` to `to` as read: `custom` names the kind's custom
/// fields (`custom.sektor` → "Sektör", option keys → labels).
pub fn readable_change(
    lang: Lang,
    custom: &[CustomField],
    field: &str,
    from: &str,
    to: &str,
) -> ReadableChange {
    match custom_field(custom, field) {
        Some(f) => ReadableChange {
            field: f.label(lang.code()).to_string(),
            from: custom_value(lang, f, from),
            to: custom_value(lang, f, to),
        },
        None => ReadableChange {
            field: field_name(lang, field),
            from: value(lang, field, from),
            to: value(lang, field, to),
        },
    }
}

/// The localized label of a choice value (`lifecycle_stage` + `lead` → "Lead"); the value
/// itself when the field is not a choice or the value is unknown.
pub fn choice_label(lang: Lang, field: &str, value: &str) -> String {
    if value.is_empty() {
        return String::new();
    }
    let key = match field {
        "lifecycle_stage" => format!("lifecycle-{value}"),
        "lead_status" => format!("lead-status-{value}"),
        "lead_source" => format!("lead-source-{value}"),
        "size" => format!("size-{}", value.replace('+', "plus")),
        _ => return value.to_string(),
    };
    if lang.has(&key) {
        lang.t(&key)
    } else {
        value.to_string()
    }
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

/// A field's name for the reader (`city` → "İl"), or the name itself.
pub fn field_name(lang: Lang, field: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choice_values_get_their_localized_labels() {
        assert_eq!(choice_label(Lang::En, "lifecycle_stage", "lead"), "Lead");
        assert_eq!(choice_label(Lang::En, "size", "1000+"), "1000+ employees");
        assert_eq!(choice_label(Lang::En, "city", "İzmir"), "İzmir");
        assert_eq!(
            choice_label(Lang::En, "lead_status", "nonsense"),
            "nonsense"
        );
    }

    #[test]
    fn a_change_reads_with_labels() {
        let stage = readable_change(Lang::En, &[], "lifecycle_stage", "lead", "customer");
        assert_eq!(
            (stage.field.as_str(), stage.from.as_str(), stage.to.as_str()),
            ("Lifecycle stage", "Lead", "Customer")
        );
        let unknown = readable_change(Lang::Tr, &[], "custom.bolge", "", "ege");
        assert_eq!(
            unknown.field, "custom.bolge",
            "a field no longer defined keeps its key"
        );
    }
}
