//! Record kinds as the domain sees them: a kind names its permission identity and audit name,
//! its typed id, and how a request's patch becomes validated fields ([`Kind`]). The store
//! adds how the kind is stored (`rehber_store::StoredKind`); the services, the API and the UI
//! are generic over both.
//!
//! Built-in kinds keep their own Rust types for fields, forms and patches; this trait is the
//! seam generic code reads them through.

use crate::access::RecordKind;
use crate::custom::CustomValues;
use crate::error::FieldErrors;
use crate::party::{Ownership, RecordMeta};
use serde::Serialize;

/// One kind of record.
pub trait Kind: Send + Sync + 'static {
    /// The permission identity: which role sees and changes how much of it.
    const ACCESS: RecordKind;
    /// The kind's name in the audit log, URLs and messages (`person`, `company`).
    const TYPE: &'static str;
    /// The built-in fields a list rule may test ([`crate::filter`]), by the names the list
    /// parameters use.
    const FILTERS: &'static [&'static str] = crate::filter::OWNED_FILTERS;
    /// The built-in orders a list of it may take, by the names the `sort` parameter uses.
    const SORTS: &'static [&'static str] = &["name", "created_at", "updated_at"];

    /// Its typed id (`PersonId`).
    type Id: Copy + Send + Sync + Eq + std::fmt::Debug + std::fmt::Display;
    /// Validated content.
    type Fields: Clone + Send + Sync + PartialEq + std::fmt::Debug;
    /// Content as typed, every field raw: what a form shows again with its errors, and what
    /// the audit log compares.
    type Form: Clone + Send + Sync + Serialize + for<'a> From<&'a Self::Fields>;
    /// The fields a request mentions; the others stay.
    type Patch: Clone + Default + Send + Sync + std::fmt::Debug;
    /// A stored record.
    type Record: Clone + Send + Sync + std::fmt::Debug;

    fn id(raw: i64) -> Self::Id;
    fn raw(id: Self::Id) -> i64;

    /// A new record's form before the request's patch.
    fn blank() -> Self::Form;
    fn apply(form: &mut Self::Form, patch: Self::Patch);
    /// Checks every field; `today` bounds dates that cannot be in the future.
    fn validate(form: &Self::Form, today: jiff::civil::Date) -> Result<Self::Fields, FieldErrors>;
    /// A patch that sets the tags (bulk tagging).
    fn tags_patch(tags: Vec<String>) -> Self::Patch;

    fn record_id(record: &Self::Record) -> Self::Id;
    fn fields(record: &Self::Record) -> &Self::Fields;
    fn ownership(record: &Self::Record) -> Ownership;
    fn meta(record: &Self::Record) -> &RecordMeta;
    /// What names the record in a list of several kinds (a person's full name, a company's
    /// name): search results, links, notifications.
    fn title(record: &Self::Record) -> String;
    /// A second line that tells records of the same title apart (a person's company).
    fn subtitle(record: &Self::Record) -> Option<String>;
    /// The tags of a record's content.
    fn tags(fields: &Self::Fields) -> &[String];

    /// The custom values of a record's content.
    fn custom(fields: &Self::Fields) -> &CustomValues;
    /// Takes a request's custom values out of its patch (the services check them against
    /// the kind's definitions, which the domain does not hold).
    fn take_custom(patch: &mut Self::Patch) -> Option<serde_json::Map<String, serde_json::Value>>;
    /// A patch that sets only these custom values (the record page's custom-field card).
    fn custom_patch(values: serde_json::Map<String, serde_json::Value>) -> Self::Patch;
    /// Puts checked custom values into a form.
    fn set_custom(form: &mut Self::Form, values: CustomValues);
}
