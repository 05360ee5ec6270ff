//! People and companies as record kinds ([`crate::Kind`]).

use super::*;
use crate::access::RecordKind;
use crate::ids::{CompanyId, PersonId};
use crate::kind::Kind;

/// The person kind (contacts).
pub struct People;

/// The company kind (accounts).
pub struct Companies;

/// The built-in filters of a company list (a rule's field names, as the list parameters
/// spell them).
const COMPANY_FILTERS: &[&str] = &[
    "name",
    "owner_id",
    "team_id",
    "tag",
    "created_at",
    "lifecycle_stage",
    "city",
    "balance",
    "overdue",
];

/// A person list's: a company's, and the company a person works at.
const PERSON_FILTERS: &[&str] = &[
    "name",
    "owner_id",
    "team_id",
    "tag",
    "created_at",
    "lifecycle_stage",
    "city",
    "company_id",
    "balance",
    "overdue",
];

/// The parts of a party's [`Kind`] that are the same for every party: a patch's tags and
/// custom values, and a record's id, fields, ownership and bookkeeping.
macro_rules! party_kind {
    (
        $kind:ident: $access:expr, $name:literal, filters = $filters:expr, sorts = $sorts:expr,
        $id:ident, $fields:ident, $form:ident, $patch:ident, $record:ident,
        validate = $validate:expr
    ) => {
        impl Kind for $kind {
            const ACCESS: RecordKind = $access;
            const TYPE: &'static str = $name;
            const FILTERS: &'static [&'static str] = $filters;
            const SORTS: &'static [&'static str] = $sorts;
            type Id = $id;
            type Fields = $fields;
            type Form = $form;
            type Patch = $patch;
            type Record = $record;

            fn id(raw: i64) -> $id {
                $id(raw)
            }
            fn raw(id: $id) -> i64 {
                id.0
            }
            fn blank() -> $form {
                $form::blank()
            }
            fn apply(form: &mut $form, patch: $patch) {
                form.apply(patch);
            }
            fn validate(form: &$form, today: jiff::civil::Date) -> Result<$fields, FieldErrors> {
                let validate: fn(&$form, jiff::civil::Date) -> Result<$fields, FieldErrors> =
                    $validate;
                validate(form, today)
            }
            fn tags_patch(tags: Vec<String>) -> $patch {
                $patch {
                    tags: Some(tags),
                    ..$patch::default()
                }
            }
            fn record_id(record: &$record) -> $id {
                record.id
            }
            fn fields(record: &$record) -> &$fields {
                &record.fields
            }
            fn ownership(record: &$record) -> Ownership {
                record.ownership
            }
            fn meta(record: &$record) -> &RecordMeta {
                &record.meta
            }
            fn title(record: &$record) -> String {
                record.title()
            }
            fn subtitle(record: &$record) -> Option<String> {
                record.subtitle()
            }
            fn tags(fields: &$fields) -> &[String] {
                &fields.tags
            }
            fn custom(fields: &$fields) -> &CustomValues {
                &fields.custom
            }
            fn take_custom(
                patch: &mut $patch,
            ) -> Option<serde_json::Map<String, serde_json::Value>> {
                patch.custom.take()
            }
            fn custom_patch(values: serde_json::Map<String, serde_json::Value>) -> $patch {
                $patch {
                    custom: Some(values),
                    ..$patch::default()
                }
            }
            fn set_custom(form: &mut $form, values: CustomValues) {
                form.custom = values;
            }
        }
    };
}

party_kind!(
    People: RecordKind::Person, "person", filters = PERSON_FILTERS,
    sorts = &["name", "created_at", "updated_at", "city", "company", "lead_score", "balance", "overdue"],
    PersonId, PersonFields, PersonForm, PersonPatch, Person,
    validate = |form, today| form.validate(today)
);

party_kind!(
    Companies: RecordKind::Company, "company", filters = COMPANY_FILTERS,
    sorts = &["name", "created_at", "updated_at", "city", "lead_score", "balance", "overdue"],
    CompanyId, CompanyFields, CompanyForm, CompanyPatch, Company,
    validate = |form, _today| form.validate()
);
