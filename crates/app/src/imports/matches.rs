//! Rows that match a kept record, when an import updates or skips matches (see
//! [`rehber_domain::import::OnMatch`]): which record each row matches, and for an update,
//! the record's content with the row's values laid over it, checked by the form's rules,
//! and what changes.
//!
//! A row matches a record when one of its keys (an e-mail, a phone, a national ID or tax
//! number) is that record's. A row whose keys are two records' is an error, and so is a
//! second row for a record already updated by an earlier one. Records outside the
//! importer's view are never updated nor named.

use super::Importable;
use super::check::{Context, Said, column_of, message};
use crate::App;
use crate::changes::diff;
use crate::error::{AppError, AppResult};
use rehber_domain::import::{FieldChange, OnMatch, RowUpdate, SKIPPED_MATCH};
use rehber_domain::party::MatchKey;
use rehber_domain::scoring::check_bant_gate;
use rehber_store::{BulkRow, ImportUpdate};
use std::collections::{HashMap, HashSet};

/// The rows of a check, side by side, as the matching reads and marks them.
pub(super) struct Rows<'r, K: Importable> {
    pub lines: Vec<usize>,
    /// Each row's keys.
    pub keys: &'r [Vec<String>],
    pub said: &'r mut [Said],
    /// The records the rows would create: a matching row creates none.
    pub valid: &'r mut [Option<BulkRow<K::Fields>>],
    /// Each row's form and the places its cells fill (matches updated only).
    pub given: &'r [Option<(K::Form, Vec<String>)>],
}

/// The kept records rows update, by the row's index (in the rows' order), with what the
/// report shows; and how many rows matched a record that holds their values already.
pub(super) struct Matched<F> {
    pub updates: Vec<(usize, ImportUpdate<F>, RowUpdate)>,
    pub unchanged: u64,
}

impl<F> Default for Matched<F> {
    fn default() -> Self {
        Matched {
            updates: Vec::new(),
            unchanged: 0,
        }
    }
}

impl App {
    /// Finds the record each row matches and, for an import updating matches, what the
    /// row changes there (see the module).
    pub(super) async fn match_rows<K: Importable>(
        &self,
        cx: &Context<'_>,
        taken: &HashMap<String, i64>,
        visible: &HashSet<i64>,
        rows: Rows<'_, K>,
    ) -> AppResult<Matched<K::Fields>> {
        let column = |field: &str| column_of(cx.header, cx.mapping, field);
        let mut claimed: HashMap<i64, usize> = HashMap::new();
        let mut wanted: Vec<(usize, i64)> = Vec::new();
        for (index, keys) in rows.keys.iter().enumerate() {
            let mut records: Vec<i64> = keys.iter().filter_map(|k| taken.get(k)).copied().collect();
            records.sort_unstable();
            records.dedup();
            let out = &mut rows.said[index];
            let [record] = records[..] else {
                if records.len() > 1 {
                    let named: Vec<String> = records
                        .iter()
                        .filter(|id| visible.contains(id))
                        .map(ToString::to_string)
                        .collect();
                    out.error(message(
                        "row",
                        "invalid-import-matches-several",
                        None,
                        Some(named.join(", ")).filter(|n| !n.is_empty()),
                    ));
                    rows.valid[index] = None;
                }
                continue;
            };
            // A row matching a record never creates another.
            rows.valid[index] = None;
            let in_view = visible.contains(&record);
            let field = keys
                .iter()
                .find(|k| taken.get(*k) == Some(&record))
                .map_or("row", |k| MatchKey::stored(k.clone()).field());
            if cx.on_match == OnMatch::Skip {
                let detail = in_view.then(|| record.to_string());
                out.warning(message(field, SKIPPED_MATCH, column(field), detail));
                continue;
            }
            if !in_view {
                out.error(message(
                    field,
                    "invalid-duplicate-record",
                    column(field),
                    None,
                ));
                continue;
            }
            if out.error {
                continue;
            }
            if let Some(first) = claimed.get(&record) {
                out.error(message(
                    field,
                    "invalid-import-same-record",
                    column(field),
                    Some(first.to_string()),
                ));
                continue;
            }
            claimed.insert(record, rows.lines[index]);
            wanted.push((index, record));
        }
        let ids: Vec<K::Id> = wanted.iter().map(|(_, id)| K::id(*id)).collect();
        let records: HashMap<i64, K::Record> = self
            .store
            .scoped(cx.actor)
            .get_many::<K>(&ids)
            .await?
            .into_iter()
            .map(|r| (K::raw(K::record_id(&r)), r))
            .collect();
        let mut matched = Matched::default();
        for (index, record_id) in wanted {
            let out = &mut rows.said[index];
            let given = rows.given.get(index).and_then(Option::as_ref);
            let (Some(record), Some((form, filled))) = (records.get(&record_id), given) else {
                // Gone from view since the keys were read.
                out.error(message("row", "invalid-duplicate-record", None, None));
                continue;
            };
            let current = K::fields(record);
            let before = K::Form::from(current);
            let overlaid = K::overlay(&before, form, filled)
                .ok_or_else(|| AppError::Internal("a form is not plain data".into()))?;
            let fields = match K::validate(&overlaid, cx.today) {
                Ok(fields) => fields,
                Err(errors) => {
                    for e in errors.0 {
                        out.error(message(&e.field, &e.code, column(&e.field), None));
                    }
                    continue;
                }
            };
            let (stage, bant) = K::qualification(&fields);
            let was = K::qualification(current).0;
            if let Err(errors) = check_bant_gate(cx.bant_gate, Some(was), stage, bant) {
                for e in errors.0 {
                    out.error(message(&e.field, &e.code, column(&e.field), None));
                }
                continue;
            }
            let mut changes = diff(&before, &K::Form::from(&fields));
            if changes.is_empty() {
                matched.unchanged += 1;
                continue;
            }
            K::name_links(self, &mut changes).await?;
            let shown = RowUpdate {
                record_id,
                title: K::title(record),
                changes: changes
                    .iter()
                    .map(|c| FieldChange {
                        field: c.field.clone(),
                        from: c.from.clone(),
                        to: c.to.clone(),
                    })
                    .collect(),
            };
            let update = ImportUpdate {
                record_id,
                version: K::meta(record).version,
                fields,
                ownership: K::ownership(record),
                before: K::form_json(&before),
                changes,
            };
            matched.updates.push((index, update, shown));
        }
        Ok(matched)
    }
}
