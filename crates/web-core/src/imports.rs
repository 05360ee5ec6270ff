//! What the API, the pages and `rehber import` share about imports: the labels of choice
//! fields a file may use (an export writes "Müşteri" or "Customer"), a row's messages in the
//! reader's language, and the error report: the rows with something to say, with their
//! original line and values and a last column of what to fix.

use crate::changes::{field_name, readable_change};
use crate::i18n::Lang;
use rehber_domain::custom::CustomField;
use rehber_domain::import::{ImportCounts, Lexicon, ReportRow, RowMessage, RowStatus, RowUpdate};
use rehber_domain::party::{LeadSource, LeadStatus, LifecycleStage};
use rehber_sheets::{Cell, SourceTable, Table};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The labels of the lifecycle stages, lead statuses and lead sources in both languages.
pub fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut lexicon = Lexicon::default();
        for lang in [Lang::Tr, Lang::En] {
            for stage in LifecycleStage::ALL {
                let code = stage.as_str();
                lexicon.add(
                    "lifecycle_stage",
                    &lang.t(&format!("lifecycle-{code}")),
                    code,
                );
            }
            for status in LeadStatus::ALL {
                let code = status.as_str();
                lexicon.add("lead_status", &lang.t(&format!("lead-status-{code}")), code);
            }
            for source in LeadSource::ALL {
                let code = source.as_str();
                lexicon.add("lead_source", &lang.t(&format!("lead-source-{code}")), code);
            }
        }
        lexicon
    })
}

/// A row's message as a sentence: the column it is about, then what is wrong.
pub fn describe(lang: Lang, message: &RowMessage) -> String {
    let detail = message.detail.clone().unwrap_or_default();
    let text = match (message.code.as_str(), message.detail.is_some()) {
        ("invalid-duplicate-in-file", _) => {
            lang.t_args("import-duplicate-in-file", &[("line", detail)])
        }
        ("invalid-duplicate-record", true) => {
            lang.t_args("import-duplicate-record", &[("id", detail)])
        }
        ("invalid-import-same-record", true) => {
            lang.t_args("import-same-record", &[("line", detail)])
        }
        ("invalid-import-matches-several", true) => {
            lang.t_args("import-matches-several", &[("ids", detail)])
        }
        (rehber_domain::import::SKIPPED_MATCH, true) => {
            lang.t_args("import-match-skipped-record", &[("id", detail)])
        }
        (
            code @ ("import-company-not-found"
            | "import-company-ambiguous"
            | "import-owner-unknown"
            | "import-owner-not-yours"),
            _,
        ) => lang.t_args(code, &[("name", detail)]),
        (code, _) => lang.t(code),
    };
    let label = message
        .column
        .clone()
        .unwrap_or_else(|| field_name(lang, &message.field));
    format!("{label}: {text}")
}

/// What a row changes on the record it updates, in one line: "Işıl Çağlar (#12): İl:
/// “İzmir” → “Ankara”; …". `custom` names the kind's custom fields.
pub fn describe_update(lang: Lang, update: &RowUpdate, custom: &[CustomField]) -> String {
    let changes: Vec<String> = update
        .changes
        .iter()
        .map(|c| {
            let readable = readable_change(lang, custom, &c.field, &c.from, &c.to);
            lang.t_args(
                "import-change",
                &[
                    ("field", readable.field),
                    ("from", readable.from),
                    ("to", readable.to),
                ],
            )
        })
        .collect();
    format!(
        "{} {}",
        lang.t_args(
            "import-update-line",
            &[
                ("title", update.title.clone()),
                ("id", update.record_id.to_string()),
            ],
        ),
        changes.join("; ")
    )
}

/// A report row's messages in one line, after what it updates (when it does). `custom`
/// names the kind's custom fields.
pub fn describe_row(lang: Lang, row: &ReportRow, custom: &[CustomField]) -> String {
    row.update
        .iter()
        .map(|u| describe_update(lang, u, custom))
        .chain(row.messages.iter().map(|m| describe(lang, m)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// What the rows of an import matching kept records do, in a sentence (an import that
/// updates or skips matches).
pub fn matches_text(lang: Lang, counts: &ImportCounts) -> String {
    lang.t_args(
        "import-counts-matches",
        &[
            ("creates", lang.number(counts.creates() as i64)),
            ("updates", lang.number(counts.updates as i64)),
            ("unchanged", lang.number(counts.unchanged as i64)),
            ("skipped", lang.number(counts.skipped as i64)),
        ],
    )
}

/// The error report: the rows of `table` the check had something to say about (errors
/// first, or only errors when `errors_only`), each with its line, its original cells and a
/// last column "Hatalar"/"Problems". Fixed in a spreadsheet, it imports again as it is:
/// the line column is not mapped to anything.
pub fn error_report(
    lang: Lang,
    table: &SourceTable,
    (report, custom): (&[ReportRow], &[CustomField]),
    errors_only: bool,
) -> Table {
    let by_line: HashMap<usize, &[String]> = table
        .rows
        .iter()
        .map(|r| (r.line, r.cells.as_slice()))
        .collect();
    let mut header = vec![lang.t("import-report-line")];
    header.extend(table.header.iter().cloned());
    header.push(lang.t("import-report-problems"));
    let width = table.header.len();
    let mut rows: Vec<&ReportRow> = report
        .iter()
        // A row that only updates a record has nothing to fix.
        .filter(|r| !r.messages.is_empty())
        .filter(|r| !errors_only || r.status == RowStatus::Error)
        .collect();
    rows.sort_by_key(|r| (r.status != RowStatus::Error, r.line));
    let rows = rows
        .into_iter()
        .map(|row| {
            let mut cells = vec![Cell::Integer(row.line as i64)];
            let original = by_line.get(&row.line).copied().unwrap_or_default();
            cells.extend((0..width).map(|i| {
                original
                    .get(i)
                    .filter(|c| !c.is_empty())
                    .map_or(Cell::Empty, |c| Cell::Text(c.clone()))
            }));
            cells.push(Cell::Text(describe_row(lang, row, custom)));
            cells
        })
        .collect();
    Table {
        name: lang.t("import-report-sheet"),
        header,
        rows,
        bold_rows: Vec::new(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use rehber_sheets::{SourceFormat, SourceRow};

    fn message(field: &str, code: &str, column: Option<&str>, detail: Option<&str>) -> RowMessage {
        RowMessage {
            field: field.into(),
            code: code.into(),
            column: column.map(str::to_string),
            detail: detail.map(str::to_string),
        }
    }

    #[test]
    fn messages_read_as_sentences_in_both_languages() {
        let m = message(
            "emails",
            "invalid-duplicate-in-file",
            Some("Mail"),
            Some("7"),
        );
        assert!(describe(Lang::Tr, &m).starts_with("Mail: "));
        assert!(describe(Lang::Tr, &m).contains('7'));
        assert!(
            describe(Lang::En, &m).contains("line 7"),
            "{}",
            describe(Lang::En, &m)
        );
        let m = message("first_name", "invalid-required", None, None);
        assert_eq!(
            describe(Lang::En, &m),
            format!("First name: {}", Lang::En.t("invalid-required"))
        );
    }

    #[test]
    fn labels_of_either_language_become_codes() {
        let header = vec!["Ad".to_string(), "Aşama".to_string()];
        let mapping = rehber_domain::import::suggest_mapping(
            rehber_domain::import::ImportKind::People,
            &header,
            &[],
        );
        for label in [
            Lang::Tr.t("lifecycle-customer"),
            Lang::En.t("lifecycle-customer"),
        ] {
            let cells = vec!["Ayşe".to_string(), label.to_uppercase()];
            let draft = rehber_domain::import::person_row(&mapping, &cells, &[], lexicon());
            assert_eq!(draft.form.lifecycle_stage, "customer", "{label}");
        }
    }

    #[test]
    fn an_update_line_names_fields_and_choices_as_the_reader_knows_them() {
        use rehber_domain::custom::{FieldOption, FieldType};
        use rehber_domain::import::FieldChange;
        let sector = CustomField {
            id: 1,
            record_type: "person".into(),
            key: "sektor".into(),
            field_type: FieldType::Choice,
            label_tr: "Sektör".into(),
            label_en: "Sector".into(),
            required: false,
            options: vec![FieldOption {
                key: "gida".into(),
                label_tr: "Gıda".into(),
                label_en: "Food".into(),
                archived: false,
            }],
            decimals: 0,
            section: String::new(),
            position: 0,
            in_list: false,
            filterable: true,
            archived: false,
            version: 1,
        };
        let change = |field: &str, from: &str, to: &str| FieldChange {
            field: field.into(),
            from: from.into(),
            to: to.into(),
        };
        let update = RowUpdate {
            record_id: 12,
            title: "Işıl Çağlar".into(),
            changes: vec![
                change("custom.sektor", "", "gida"),
                change("lifecycle_stage", "lead", "customer"),
            ],
        };
        let custom = [sector];
        let tr = describe_update(Lang::Tr, &update, &custom);
        assert!(tr.contains("Sektör") && tr.contains("Gıda"), "{tr}");
        assert!(
            !tr.contains("custom.sektor") && !tr.contains("gida"),
            "{tr}"
        );
        assert!(tr.contains(&Lang::Tr.t("lifecycle-customer")), "{tr}");
        let en = describe_update(Lang::En, &update, &custom);
        assert!(
            en.contains("Sector") && en.contains("Food") && en.contains("Customer"),
            "{en}"
        );
    }

    #[test]
    fn the_error_report_keeps_original_lines_and_values() {
        let table = SourceTable {
            format: SourceFormat::Csv,
            encoding: Some("UTF-8"),
            delimiter: Some(';'),
            sheet: None,
            header: vec!["Ad".into(), "E-posta".into()],
            rows: vec![
                SourceRow {
                    line: 2,
                    cells: vec!["Ali".into(), "ali@x.co".into()],
                },
                SourceRow {
                    line: 4,
                    cells: vec!["".into(), "bozuk".into()],
                },
            ],
        };
        let report = vec![ReportRow {
            line: 4,
            status: RowStatus::Error,
            messages: vec![message("emails", "invalid-email", Some("E-posta"), None)],
            update: None,
        }];
        let sheet = error_report(Lang::Tr, &table, (&report, &[]), false);
        assert_eq!(sheet.header.len(), 4);
        assert_eq!(sheet.rows.len(), 1);
        assert_eq!(sheet.rows[0][0], Cell::Integer(4));
        assert_eq!(sheet.rows[0][2], Cell::Text("bozuk".into()));
        assert!(matches!(&sheet.rows[0][3], Cell::Text(t) if t.starts_with("E-posta: ")));
    }
}
