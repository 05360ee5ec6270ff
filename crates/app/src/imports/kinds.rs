//! The kinds an import creates, and how a row of each becomes its form.

use crate::records::ServiceKind;
use rehber_domain::custom::CustomField;
use rehber_domain::import::{
    ImportKind, Lexicon, Mapping, RowDraft, company_row, overlay_form, person_row,
};
use rehber_domain::party::{Bant, Companies, LifecycleStage, People};

/// A kind an import creates: how a row becomes its form.
pub trait Importable: ServiceKind {
    const IMPORT: ImportKind;

    fn draft(
        mapping: &Mapping,
        cells: &[String],
        custom: &[CustomField],
        lexicon: &Lexicon,
    ) -> RowDraft<Self::Form>;

    /// Links the form to the company a cell named (people only).
    fn link_company(_form: &mut Self::Form, _company: i64) {}

    /// The place in the form the company a cell names fills.
    const COMPANY_FIELD: &'static str = "company_id";

    /// `record` with the places `filled` taken from `row` (an update).
    fn overlay(record: &Self::Form, row: &Self::Form, filled: &[String]) -> Option<Self::Form>;

    /// A form as kept for an undo.
    fn form_json(form: &Self::Form) -> String {
        serde_json::to_string(form).unwrap_or_default()
    }

    /// A form kept for an undo, read back.
    fn form_from_json(text: &str) -> Option<Self::Form>;

    /// The stage and BANT the organisation's qualification rule looks at.
    fn qualification(fields: &Self::Fields) -> (LifecycleStage, Bant);
}

impl Importable for People {
    const IMPORT: ImportKind = ImportKind::People;

    fn draft(
        mapping: &Mapping,
        cells: &[String],
        custom: &[CustomField],
        lexicon: &Lexicon,
    ) -> RowDraft<Self::Form> {
        person_row(mapping, cells, custom, lexicon)
    }

    fn link_company(form: &mut Self::Form, company: i64) {
        form.company_id = company.to_string();
    }

    fn overlay(record: &Self::Form, row: &Self::Form, filled: &[String]) -> Option<Self::Form> {
        overlay_form(record, row, filled)
    }

    fn form_from_json(text: &str) -> Option<Self::Form> {
        serde_json::from_str(text).ok()
    }

    fn qualification(fields: &Self::Fields) -> (LifecycleStage, Bant) {
        (fields.lifecycle_stage, fields.bant)
    }
}

impl Importable for Companies {
    const IMPORT: ImportKind = ImportKind::Companies;

    fn draft(
        mapping: &Mapping,
        cells: &[String],
        custom: &[CustomField],
        lexicon: &Lexicon,
    ) -> RowDraft<Self::Form> {
        company_row(mapping, cells, custom, lexicon)
    }

    fn overlay(record: &Self::Form, row: &Self::Form, filled: &[String]) -> Option<Self::Form> {
        overlay_form(record, row, filled)
    }

    fn form_from_json(text: &str) -> Option<Self::Form> {
        serde_json::from_str(text).ok()
    }

    fn qualification(fields: &Self::Fields) -> (LifecycleStage, Bant) {
        (fields.lifecycle_stage, fields.bant)
    }
}
