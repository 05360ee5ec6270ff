//! Custom fields as use cases: administrators define them per record kind; everyone reads
//! the definitions; records' values are checked against them on every write
//! ([`App::custom_values`]), and lists' custom filters and sort are resolved through them
//! ([`App::resolve_list`]).

use crate::App;
use crate::error::{AppError, AppResult};
use crate::list::ListRequest;
use rehber_domain::custom::{
    CustomField, CustomValues, FieldDraft, FieldOption, MAX_ACTIVE_FIELDS, apply_values,
};
use rehber_domain::filter::Rule;
use rehber_domain::{Actor, Error, FieldErrors, Kind};
use rehber_store::{
    AuditChange, AuditEntry, CustomFieldRefusal, CustomSort, PartyFilter, PartySort,
};
use serde_json::{Map, Value};

/// The record kinds that take custom fields.
pub const RECORD_TYPES: [&str; 3] = ["person", "company", "deal"];

/// The settings an update may change; `None` keeps the stored one.
#[derive(Debug, Clone, Default)]
pub struct FieldPatch {
    pub label_tr: Option<String>,
    pub label_en: Option<String>,
    pub required: Option<bool>,
    pub options: Option<Vec<FieldOption>>,
    pub decimals: Option<u8>,
    pub section: Option<String>,
    pub position: Option<i64>,
    pub in_list: Option<bool>,
    pub filterable: Option<bool>,
    pub archived: Option<bool>,
}

impl FieldPatch {
    fn apply(self, draft: &mut FieldDraft) {
        fn set<T>(slot: &mut T, value: Option<T>) {
            if let Some(v) = value {
                *slot = v;
            }
        }
        set(&mut draft.label_tr, self.label_tr);
        set(&mut draft.label_en, self.label_en);
        set(&mut draft.required, self.required);
        set(&mut draft.options, self.options);
        set(&mut draft.decimals, self.decimals);
        set(&mut draft.section, self.section);
        set(&mut draft.position, self.position);
        set(&mut draft.in_list, self.in_list);
        set(&mut draft.filterable, self.filterable);
        set(&mut draft.archived, self.archived);
    }
}

fn refusal(error: CustomFieldRefusal) -> AppError {
    match error {
        CustomFieldRefusal::TooMany => Error::field("key", "invalid-too-many-fields").into(),
        CustomFieldRefusal::Store(e) => e.into(),
    }
}

/// The audit entry of a definition change, naming the settings that changed.
fn entry(
    actor: &Actor,
    id: i64,
    action: &'static str,
    before: &FieldDraft,
    after: &FieldDraft,
) -> AuditEntry {
    let mut changes = crate::changes::diff(before, after);
    changes.retain(|c: &AuditChange| c.field != "key" && c.field != "field_type");
    AuditEntry {
        actor: Some(actor.user_id),
        record_type: "custom_field",
        record_id: id,
        action,
        changes,
    }
}

impl App {
    /// The definitions of a kind (or of every kind), in their order; archived ones when asked.
    pub async fn custom_fields(
        &self,
        record_type: Option<&str>,
        include_archived: bool,
    ) -> AppResult<Vec<CustomField>> {
        Ok(match record_type {
            Some(t) => self.store.custom_fields(t, include_archived).await?,
            None => self.store.all_custom_fields(include_archived).await?,
        })
    }

    pub async fn custom_field(&self, id: i64) -> AppResult<CustomField> {
        Ok(self.store.custom_field(id).await?)
    }

    /// Defines a field (administrators only).
    pub async fn create_custom_field(
        &self,
        actor: &Actor,
        record_type: &str,
        draft: FieldDraft,
    ) -> AppResult<CustomField> {
        if !actor.role.is_admin() {
            return Err(Error::Forbidden.into());
        }
        let mut errors = FieldErrors::new();
        if !RECORD_TYPES.contains(&record_type) {
            errors.add("record_type", "invalid-unknown-value");
        }
        let valid = draft.validate(None);
        if let Err(e) = &valid {
            errors.0.extend(e.0.iter().cloned());
        }
        let valid = match valid {
            Ok(v) if errors.is_empty() => v,
            _ => return Err(Error::Validation(errors).into()),
        };
        let created = entry(actor, 0, "created", &FieldDraft::default(), &valid.draft);
        let id = self
            .store
            .create_custom_field(record_type, &valid, MAX_ACTIVE_FIELDS, created)
            .await
            .map_err(refusal)?;
        self.custom_field(id).await
    }

    /// Changes a field's settings (administrators only); its key and type stay. An option left
    /// out is archived, never removed.
    pub async fn update_custom_field(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: Option<i64>,
        patch: FieldPatch,
    ) -> AppResult<CustomField> {
        if !actor.role.is_admin() {
            return Err(Error::Forbidden.into());
        }
        let before = self.custom_field(id).await?;
        if expected_version.is_some_and(|v| v != before.version) {
            return Err(Error::StaleVersion.into());
        }
        let old = FieldDraft::from(&before);
        let mut draft = old.clone();
        patch.apply(&mut draft);
        let valid = draft.validate(Some(&before)).map_err(Error::Validation)?;
        if valid.draft == old {
            return Ok(before);
        }
        let action = match (before.archived, valid.draft.archived) {
            (false, true) => "archived",
            (true, false) => "restored",
            _ => "updated",
        };
        let changed = entry(actor, id, action, &old, &valid.draft);
        self.store
            .update_custom_field(&before, before.version, &valid, MAX_ACTIVE_FIELDS, changed)
            .await
            .map_err(refusal)?;
        self.custom_field(id).await
    }

    /// Archives a field: it leaves forms, filters and the column choice and can no longer be
    /// written; records keep their values (the API still shows them), and restoring the field
    /// (`archived: false`) brings it back as it was.
    pub async fn archive_custom_field(&self, actor: &Actor, id: i64) -> AppResult<CustomField> {
        let patch = FieldPatch {
            archived: Some(true),
            ..FieldPatch::default()
        };
        self.update_custom_field(actor, id, None, patch).await
    }

    /// A record's custom values after a request's (`None`: unchanged), checked against the
    /// kind's definitions; on a create, required fields must be given.
    pub(crate) async fn custom_values<K: Kind>(
        &self,
        current: &CustomValues,
        patch: Option<Map<String, Value>>,
        creating: bool,
    ) -> AppResult<Result<CustomValues, FieldErrors>> {
        if patch.is_none() && !creating {
            return Ok(Ok(current.clone()));
        }
        let fields = self.store.custom_fields(K::TYPE, true).await?;
        Ok(apply_values(
            &fields,
            current,
            &patch.unwrap_or_default(),
            creating,
        ))
    }

    /// A list request's rule, custom filters and sort, resolved through the kind's built-in
    /// filters and active custom fields into the store's filter and sort. Unknown fields and
    /// values that do not suit their field are refused under `custom.<name>` (a parameter)
    /// or `filter.<field>` (a test of the rule).
    pub async fn resolve_list<K: Kind>(
        &self,
        request: &ListRequest,
    ) -> AppResult<(PartyFilter, PartySort)> {
        let mut filter = request.filter.clone();
        let mut sort = request.sort;
        // A shorthand filter the kind has no field for (a deal's city) is refused, not run.
        let shorthand = [
            ("lifecycle_stage", filter.lifecycle_stage.is_some()),
            ("city", filter.city.is_some()),
            ("company_id", filter.company.is_some()),
            ("pipeline_id", filter.pipeline.is_some()),
            ("stage_id", filter.stage.is_some()),
        ];
        for (name, given) in shorthand {
            if given && !K::FILTERS.contains(&name) {
                return Err(Error::field(name, "invalid-filter-field").into());
            }
        }
        if request.sort_custom.is_none() && !K::SORTS.contains(&sort.as_str()) {
            return Err(Error::field("sort", "invalid-unknown-value").into());
        }
        let plain = request.custom.is_empty() && request.rule.is_none() && !request.combine_any;
        if plain && request.sort_custom.is_none() {
            return Ok((filter, sort));
        }
        let fields = self.store.custom_fields(K::TYPE, false).await?;
        let mut errors = FieldErrors::new();
        let mut tests = Vec::new();
        for param in &request.custom {
            match crate::filter::custom_param(&fields, &param.name, &param.value) {
                Ok(c) => tests.push(c),
                Err(code) => errors.add(format!("custom.{}", param.name), code),
            }
        }
        let joined = if request.combine_any {
            let mut all = filter.take_shorthand();
            all.extend(tests);
            Rule::any_by_field(all)
        } else {
            Rule::all(tests.into_iter().map(Rule::Test))
        };
        let resolved = request
            .rule
            .as_ref()
            .and_then(|draft| crate::filter::resolve(draft, K::FILTERS, &fields, &mut errors));
        filter.rule = Rule::all(filter.rule.take().into_iter().chain(joined).chain(resolved));
        if let Some(key) = &request.sort_custom {
            match fields
                .iter()
                .find(|f| &f.key == key && f.field_type.is_sortable())
            {
                Some(f) => {
                    sort = PartySort::Custom(CustomSort {
                        field_id: f.id,
                        numeric: f.field_type.is_numeric(),
                    })
                }
                None => errors.add("sort", "invalid-unknown-value"),
            }
        }
        errors.into_result()?;
        Ok((filter, sort))
    }
}
