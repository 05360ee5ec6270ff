//! People and companies as record kinds ([`crate::Kind`]).

use super::*;
use crate::access::RecordKind;
use crate::ids::{CompanyId, PersonId};
use crate::kind::Kind;

/// The person kind (contacts).
pub struct People;

/// The company kind (accounts).
pub struct Companies;

impl Kind for People {
    const ACCESS: RecordKind = RecordKind::Person;
    const TYPE: &'static str = "person";
    type Id = PersonId;
    type Fields = PersonFields;
    type Form = PersonForm;
    type Patch = PersonPatch;
    type Record = Person;

    fn id(raw: i64) -> PersonId {
        PersonId(raw)
    }
    fn raw(id: PersonId) -> i64 {
        id.0
    }
    fn blank() -> PersonForm {
        PersonForm::blank()
    }
    fn apply(form: &mut PersonForm, patch: PersonPatch) {
        form.apply(patch);
    }
    fn validate(form: &PersonForm, today: jiff::civil::Date) -> Result<PersonFields, FieldErrors> {
        form.validate(today)
    }
    fn tags_patch(tags: Vec<String>) -> PersonPatch {
        PersonPatch {
            tags: Some(tags),
            ..PersonPatch::default()
        }
    }
    fn record_id(record: &Person) -> PersonId {
        record.id
    }
    fn fields(record: &Person) -> &PersonFields {
        &record.fields
    }
    fn ownership(record: &Person) -> Ownership {
        record.ownership
    }
    fn meta(record: &Person) -> &RecordMeta {
        &record.meta
    }
    fn tags(fields: &PersonFields) -> &[String] {
        &fields.tags
    }
    fn custom(fields: &PersonFields) -> &CustomValues {
        &fields.custom
    }
    fn take_custom(patch: &mut PersonPatch) -> Option<serde_json::Map<String, serde_json::Value>> {
        patch.custom.take()
    }
    fn custom_patch(values: serde_json::Map<String, serde_json::Value>) -> PersonPatch {
        PersonPatch {
            custom: Some(values),
            ..PersonPatch::default()
        }
    }
    fn set_custom(form: &mut PersonForm, values: CustomValues) {
        form.custom = values;
    }
}

impl Kind for Companies {
    const ACCESS: RecordKind = RecordKind::Company;
    const TYPE: &'static str = "company";
    type Id = CompanyId;
    type Fields = CompanyFields;
    type Form = CompanyForm;
    type Patch = CompanyPatch;
    type Record = Company;

    fn id(raw: i64) -> CompanyId {
        CompanyId(raw)
    }
    fn raw(id: CompanyId) -> i64 {
        id.0
    }
    fn blank() -> CompanyForm {
        CompanyForm::blank()
    }
    fn apply(form: &mut CompanyForm, patch: CompanyPatch) {
        form.apply(patch);
    }
    fn validate(
        form: &CompanyForm,
        _today: jiff::civil::Date,
    ) -> Result<CompanyFields, FieldErrors> {
        form.validate()
    }
    fn tags_patch(tags: Vec<String>) -> CompanyPatch {
        CompanyPatch {
            tags: Some(tags),
            ..CompanyPatch::default()
        }
    }
    fn record_id(record: &Company) -> CompanyId {
        record.id
    }
    fn fields(record: &Company) -> &CompanyFields {
        &record.fields
    }
    fn ownership(record: &Company) -> Ownership {
        record.ownership
    }
    fn meta(record: &Company) -> &RecordMeta {
        &record.meta
    }
    fn tags(fields: &CompanyFields) -> &[String] {
        &fields.tags
    }
    fn custom(fields: &CompanyFields) -> &CustomValues {
        &fields.custom
    }
    fn take_custom(patch: &mut CompanyPatch) -> Option<serde_json::Map<String, serde_json::Value>> {
        patch.custom.take()
    }
    fn custom_patch(values: serde_json::Map<String, serde_json::Value>) -> CompanyPatch {
        CompanyPatch {
            custom: Some(values),
            ..CompanyPatch::default()
        }
    }
    fn set_custom(form: &mut CompanyForm, values: CustomValues) {
        form.custom = values;
    }
}
