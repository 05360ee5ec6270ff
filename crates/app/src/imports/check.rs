//! The check of an import's rows, shared by the dry run and the commit: every row made into
//! the form a user would type and validated by the same rules, its company and owner found
//! by name, and its keys (e-mails, phones, national ID, tax number) compared with the rows
//! before it and with the records already kept. Errors never stop the check: each row gets
//! all of its messages.

use super::Importable;
use super::matches::{Matched, Rows};
use crate::App;
use crate::error::AppResult;
use rehber_domain::custom::{CustomField, CustomValues, apply_values};
use rehber_domain::import::{
    ImportCounts, Lexicon, Mapping, OnMatch, ReportRow, RowMessage, RowStatus, RowUpdate, Target,
};
use rehber_domain::party::{Companies, Ownership};
use rehber_domain::scoring::check_bant_gate;
use rehber_domain::validate::text::{search_key, sort_key};
use rehber_domain::{Actor, UserId};
use rehber_sheets::SourceTable;
use rehber_store::{BulkRow, ImportUpdate};
use std::collections::{HashMap, HashSet};

/// A checked file: what each row with something to say was told, the counts, and what a
/// commit would write (the rows without errors): the records to create, each with its keys,
/// and the kept records to update.
#[derive(Debug)]
pub struct Checked<F> {
    pub counts: ImportCounts,
    pub report: Vec<ReportRow>,
    /// The rows that create a record, with the line each came from.
    pub rows: Vec<(usize, BulkRow<F>)>,
    /// Each such row's keys, with the row's index in `rows`.
    pub keys: Vec<(String, usize)>,
    /// The rows that update a kept record, with the line each came from.
    pub updates: Vec<(usize, ImportUpdate<F>)>,
    /// Each update's row's keys, with its index in `updates`.
    pub update_keys: Vec<(String, usize)>,
}

/// The messages of one row, and whether any is an error.
#[derive(Default)]
pub(super) struct Said {
    messages: Vec<RowMessage>,
    pub(super) error: bool,
}

impl Said {
    pub(super) fn error(&mut self, message: RowMessage) {
        self.error = true;
        self.messages.push(message);
    }

    pub(super) fn warning(&mut self, message: RowMessage) {
        self.messages.push(message);
    }

    fn into_report(self, line: usize, update: Option<RowUpdate>) -> Option<ReportRow> {
        let update = update.filter(|_| !self.error);
        let status = if self.error {
            RowStatus::Error
        } else if self.messages.is_empty() {
            update.as_ref()?;
            RowStatus::Ok
        } else {
            RowStatus::Warning
        };
        Some(ReportRow {
            line,
            status,
            messages: self.messages,
            update,
        })
    }
}

/// The header of the column a field came from, for messages.
pub(super) fn column_of(header: &[String], mapping: &Mapping, field: &str) -> Option<String> {
    let base = field.split(['[', '.']).next().unwrap_or(field);
    let wanted = if field.starts_with("custom.") {
        field.to_string()
    } else {
        base.to_string()
    };
    let target_code = |t: &Target| t.code();
    mapping
        .iter()
        .position(|t| {
            t.as_ref().is_some_and(|t| {
                let code = target_code(t);
                code == wanted
                    || (base == "first_name" || base == "last_name") && code == "full_name"
            })
        })
        .and_then(|i| header.get(i).cloned())
}

/// A message about `field`, named as the mapping names fields: `emails`, not the form's
/// `emails[1]`.
pub(super) fn message(
    field: &str,
    code: &str,
    column: Option<String>,
    detail: Option<String>,
) -> RowMessage {
    let field = field.split('[').next().unwrap_or(field);
    RowMessage {
        field: field.to_string(),
        code: code.to_string(),
        column,
        detail,
    }
}

/// Who a row's owner cell names: users by e-mail and by folded name.
struct Owners {
    by_key: HashMap<String, (UserId, Option<rehber_domain::TeamId>)>,
    may_assign: bool,
    actor: UserId,
}

impl Owners {
    async fn load(app: &App, actor: &Actor) -> AppResult<Owners> {
        let mut by_key = HashMap::new();
        for user in app
            .store
            .list_users()
            .await?
            .into_iter()
            .filter(|u| u.active)
        {
            let owner = (user.id, user.team_id);
            by_key.insert(user.email.to_lowercase(), owner);
            by_key.entry(search_key(&user.name)).or_insert(owner);
        }
        Ok(Owners {
            by_key,
            may_assign: actor.role.can_reassign(),
            actor: actor.user_id,
        })
    }

    fn find(&self, cell: &str) -> Option<(UserId, Option<rehber_domain::TeamId>)> {
        self.by_key
            .get(&cell.trim().to_lowercase())
            .or_else(|| self.by_key.get(&search_key(cell)))
            .copied()
    }
}

/// What a check reads once, before the rows.
pub(crate) struct Context<'a> {
    pub actor: &'a Actor,
    pub header: &'a [String],
    pub mapping: &'a Mapping,
    pub custom: Vec<CustomField>,
    pub lexicon: &'a Lexicon,
    pub default_owner: Ownership,
    pub bant_gate: u8,
    pub today: jiff::civil::Date,
    pub now: jiff::Timestamp,
    pub on_match: OnMatch,
}

impl App {
    /// Checks every row of `table` as `K`, writing its progress (in percent) on import
    /// `track` as it goes, when given.
    pub(crate) async fn check_rows<K: Importable>(
        &self,
        cx: &Context<'_>,
        table: &SourceTable,
        track: Option<i64>,
    ) -> AppResult<Checked<K::Fields>> {
        let progress = async |percent: usize| -> AppResult<()> {
            if let Some(id) = track {
                self.store
                    .import_progress(id, percent.min(100) as u8)
                    .await?;
            }
            Ok(())
        };
        let drafts: Vec<_> = table
            .rows
            .iter()
            .map(|row| K::draft(cx.mapping, &row.cells, &cx.custom, cx.lexicon))
            .collect();
        progress(10).await?;
        let companies = self.companies_named(cx.actor, &drafts).await?;
        let owners = Owners::load(self, cx.actor).await?;
        let column = |field: &str| column_of(cx.header, cx.mapping, field);
        let mut said: Vec<Said> = Vec::with_capacity(drafts.len());
        let mut valid: Vec<Option<BulkRow<K::Fields>>> = Vec::with_capacity(drafts.len());
        let mut first_line_of: HashMap<String, usize> = HashMap::new();
        let mut row_keys: Vec<Vec<String>> = Vec::with_capacity(drafts.len());
        // What an update lays over the record a row matches: the row's form and the
        // places its cells fill (kept only when matches are updated).
        let mut given: Vec<Option<(K::Form, Vec<String>)>> = Vec::new();
        let total = drafts.len().max(1);
        for (index, (draft, row)) in drafts.into_iter().zip(&table.rows).enumerate() {
            if index % 2_000 == 0 {
                progress(10 + index * 70 / total).await?;
            }
            let mut out = Said::default();
            // Cells beyond the header belong to no column: a value with an unquoted
            // delimiter in it ("Atatürk Cd. No:5, Kadıköy") has shifted the row.
            if row.cells[cx.header.len().min(row.cells.len())..]
                .iter()
                .any(|c| !c.trim().is_empty())
            {
                out.error(message("row", "invalid-import-extra-cells", None, None));
            }
            let mut form = draft.form;
            let mut filled = draft.filled;
            for (field, code) in &draft.unreadable {
                out.error(message(field, code, column(field), None));
            }
            if let Some(name) = &draft.company {
                match companies.get(&sort_key(name)).map(Vec::as_slice) {
                    Some([id]) => {
                        K::link_company(&mut form, *id);
                        filled.push(K::COMPANY_FIELD.to_string());
                    }
                    Some([first, ..]) => {
                        K::link_company(&mut form, *first);
                        filled.push(K::COMPANY_FIELD.to_string());
                        out.warning(message(
                            "company",
                            "import-company-ambiguous",
                            column("company"),
                            Some(name.clone()),
                        ));
                    }
                    _ => out.warning(message(
                        "company",
                        "import-company-not-found",
                        column("company"),
                        Some(name.clone()),
                    )),
                }
            }
            let mut ownership = cx.default_owner;
            if let Some(cell) = &draft.owner {
                match owners.find(cell) {
                    Some((user, team)) if owners.may_assign => {
                        ownership = Ownership {
                            owner_id: Some(user),
                            team_id: team,
                        };
                    }
                    Some((user, _)) if user == owners.actor => {}
                    Some(_) => out.warning(message(
                        "owner",
                        "import-owner-not-yours",
                        column("owner"),
                        Some(cell.clone()),
                    )),
                    None => out.warning(message(
                        "owner",
                        "import-owner-unknown",
                        column("owner"),
                        Some(cell.clone()),
                    )),
                }
            }
            match apply_values(&cx.custom, &CustomValues::default(), &draft.custom, true) {
                Ok(values) => K::set_custom(&mut form, values),
                Err(errors) => {
                    for e in errors.0 {
                        out.error(message(&e.field, &e.code, column(&e.field), None));
                    }
                }
            }
            let fields = match K::validate(&form, cx.today) {
                Ok(fields) => {
                    let (stage, bant) = K::qualification(&fields);
                    if let Err(errors) = check_bant_gate(cx.bant_gate, None, stage, bant) {
                        for e in errors.0 {
                            out.error(message(&e.field, &e.code, column(&e.field), None));
                        }
                    }
                    Some(fields)
                }
                Err(errors) => {
                    for e in errors.0 {
                        out.error(message(&e.field, &e.code, column(&e.field), None));
                    }
                    None
                }
            };
            let mut keys = Vec::new();
            if let Some(fields) = &fields {
                for key in K::match_keys(fields) {
                    let text = key.as_str().to_string();
                    match first_line_of.get(&text) {
                        Some(first) => out.error(message(
                            key.field(),
                            "invalid-duplicate-in-file",
                            column(key.field()),
                            Some(first.to_string()),
                        )),
                        None => {
                            first_line_of.insert(text.clone(), row.line);
                        }
                    }
                    keys.push(text);
                }
            }
            if cx.on_match == OnMatch::Update {
                given.push(Some((form, filled)));
            }
            let importable = fields.filter(|_| !out.error);
            valid.push(importable.map(|fields| BulkRow {
                fields,
                ownership,
                created_at: cx.now,
            }));
            row_keys.push(keys);
            said.push(out);
        }
        progress(80).await?;
        // The rows' keys against the records already kept, in view or not: a row that
        // repeats a record its importer cannot see is refused without naming it.
        let all: Vec<String> = first_line_of.into_keys().collect();
        let taken = self.store.taken_keys(K::TYPE, &all).await?;
        let mut repeated: Vec<i64> = taken.values().copied().collect();
        repeated.sort_unstable();
        repeated.dedup();
        // In slices, so that no statement carries more values than a database takes.
        let mut visible: HashSet<i64> = HashSet::new();
        for slice in repeated.chunks(500) {
            let ids: Vec<K::Id> = slice.iter().map(|id| K::id(*id)).collect();
            let seen = self.store.scoped(cx.actor).visible::<K>(&ids).await?;
            visible.extend(seen.into_iter().map(K::raw));
        }
        let mut matched = Matched::default();
        if cx.on_match == OnMatch::Refuse {
            for ((keys, out), row) in row_keys.iter().zip(said.iter_mut()).zip(valid.iter_mut()) {
                for key in keys {
                    let Some(id) = taken.get(key) else {
                        continue;
                    };
                    let field = rehber_domain::party::MatchKey::stored(key.clone()).field();
                    out.error(message(
                        field,
                        "invalid-duplicate-record",
                        column(field),
                        visible.contains(id).then(|| id.to_string()),
                    ));
                    *row = None;
                }
            }
        } else {
            let rows = Rows {
                lines: table.rows.iter().map(|r| r.line).collect(),
                keys: &row_keys,
                said: &mut said,
                valid: &mut valid,
                given: &given,
            };
            matched = self.match_rows::<K>(cx, &taken, &visible, rows).await?;
        }
        progress(95).await?;
        let mut report = Vec::new();
        let mut rows = Vec::new();
        let mut keys = Vec::new();
        let mut updates = Vec::new();
        let mut update_keys = Vec::new();
        let mut pending = matched.updates.into_iter().peekable();
        for (index, (((out, row), row_keys), source)) in said
            .into_iter()
            .zip(valid)
            .zip(row_keys)
            .zip(&table.rows)
            .enumerate()
        {
            let line = source.line;
            let error = out.error;
            let update = pending.next_if(|(at, _, _)| *at == index);
            let shown = update.as_ref().map(|(_, _, shown)| shown.clone());
            if let Some(entry) = out.into_report(line, shown) {
                report.push(entry);
            }
            if let (false, Some((_, update, _))) = (error, update) {
                update_keys.extend(row_keys.iter().map(|k| (k.clone(), updates.len())));
                updates.push((line, update));
            }
            if let (false, Some(row)) = (error, row) {
                keys.extend(row_keys.into_iter().map(|k| (k, rows.len())));
                rows.push((line, row));
            }
        }
        let mut counts = ImportCounts::of(table.rows.len(), &report);
        counts.unchanged = matched.unchanged;
        Ok(Checked {
            counts,
            report,
            rows,
            keys,
            updates,
            update_keys,
        })
    }

    /// The companies in the actor's view named in people's rows: folded name → ids.
    async fn companies_named<F>(
        &self,
        actor: &Actor,
        drafts: &[rehber_domain::import::RowDraft<F>],
    ) -> AppResult<HashMap<String, Vec<i64>>> {
        let mut names: Vec<String> = drafts.iter().filter_map(|d| d.company.clone()).collect();
        if names.is_empty() {
            return Ok(HashMap::new());
        }
        names.sort();
        names.dedup();
        Ok(self
            .store
            .scoped(actor)
            .ids_by_name::<Companies>(&names)
            .await?)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_column_the_field_came_from() {
        let header = vec![
            "Ad Soyad".to_string(),
            "Mail".to_string(),
            "Sektör".to_string(),
        ];
        let mapping = vec![
            Some(Target::Field("full_name")),
            Some(Target::Field("emails")),
            Some(Target::Custom("sektor".into())),
        ];
        assert_eq!(
            column_of(&header, &mapping, "emails[1]").as_deref(),
            Some("Mail")
        );
        assert_eq!(
            column_of(&header, &mapping, "first_name").as_deref(),
            Some("Ad Soyad")
        );
        assert_eq!(
            column_of(&header, &mapping, "custom.sektor").as_deref(),
            Some("Sektör")
        );
        assert_eq!(column_of(&header, &mapping, "phones"), None);
    }
}
