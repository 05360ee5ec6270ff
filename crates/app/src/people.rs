//! People use cases: list and search, read, create, update with optimistic versioning,
//! soft delete and restore, bulk actions, history. Every read goes through the store's scope
//! filter with the actor's visibility.

use crate::App;
use crate::changes::{diff, initial};
use crate::error::AppResult;
use crate::ownership::OwnershipRequest;
use rehber_domain::access::{RecordKind, Visibility};
use rehber_domain::party::{Ownership, Person, PersonForm, PersonPatch};
use rehber_domain::{Actor, CompanyId, Error, PersonId, UserId};
use rehber_store::{
    AuditEntry, AuditEvent, Page, PageRequest, PartyFilter, PartySort, SortDirection, StoreError,
};

const KIND: RecordKind = RecordKind::Person;
const RECORD_TYPE: &str = "person";
/// Counts stop here; the UI shows "10,000+".
pub const COUNT_CAP: u32 = 10_000;
/// Searches count up to fewer: every counted match is a row read, and a search-as-you-type
/// list is counted again at each pause in typing.
pub const SEARCH_COUNT_CAP: u32 = 1_000;

/// Up to how many matches a list with this filter is counted ("1,000+" beyond).
pub fn count_cap(filter: &PartyFilter) -> u32 {
    if filter.q.as_deref().is_some_and(|q| !q.trim().is_empty()) {
        SEARCH_COUNT_CAP
    } else {
        COUNT_CAP
    }
}

/// A list request.
#[derive(Debug, Clone, Default)]
pub struct ListRequest {
    pub filter: PartyFilter,
    pub sort: PartySort,
    pub direction: SortDirection,
    pub page: PageRequest,
}

impl ListRequest {
    /// A cursor is only ever one a list handed out; anything else is refused by name rather
    /// than read as "from the start".
    pub fn check_cursor(&self) -> Result<(), Error> {
        match self.page.after.as_deref() {
            Some(cursor) if !rehber_store::cursor_is_valid(self.sort, cursor) => {
                Err(Error::field("cursor", "invalid-cursor"))
            }
            _ => Ok(()),
        }
    }
}

/// Outcome of a bulk action: how many records changed, how many were skipped (invisible,
/// not allowed or changed meanwhile).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BulkOutcome {
    pub changed: usize,
    pub skipped: usize,
}

/// At most this many records per bulk action.
pub const BULK_LIMIT: usize = 1000;

impl BulkOutcome {
    /// Counts one step: a refusal by role stops the batch, a per-record problem (changed
    /// meanwhile, invalid) skips that record, an internal failure stops everything.
    pub(crate) fn count(&mut self, result: AppResult<()>) -> AppResult<()> {
        match result {
            Ok(()) => self.changed += 1,
            Err(crate::AppError::Domain(Error::Forbidden)) => return Err(Error::Forbidden.into()),
            Err(crate::AppError::Domain(_)) => self.skipped += 1,
            Err(other) => return Err(other),
        }
        Ok(())
    }
}

impl App {
    pub async fn list_people(
        &self,
        actor: &Actor,
        request: &ListRequest,
    ) -> AppResult<Page<Person>> {
        if request.filter.deleted && !actor.role.is_admin() {
            return Err(Error::Forbidden.into());
        }
        request.check_cursor()?;
        Ok(self
            .store
            .list_people(
                actor.visibility(KIND),
                &request.filter,
                request.sort,
                request.direction,
                &request.page,
            )
            .await?)
    }

    pub async fn count_people(&self, actor: &Actor, filter: &PartyFilter) -> AppResult<i64> {
        if filter.deleted && !actor.role.is_admin() {
            return Err(Error::Forbidden.into());
        }
        Ok(self
            .store
            .count_people(actor.visibility(KIND), filter, count_cap(filter))
            .await?)
    }

    /// One person; another rep's person is "not found", as if it did not exist.
    pub async fn get_person(&self, actor: &Actor, id: PersonId) -> AppResult<Person> {
        Ok(self
            .store
            .get_person(actor.visibility(KIND), id, false)
            .await?)
    }

    /// A deleted person (administrators, for restore).
    pub async fn get_deleted_person(&self, actor: &Actor, id: PersonId) -> AppResult<Person> {
        if !actor.role.is_admin() {
            return Err(Error::NotFound.into());
        }
        Ok(self
            .store
            .get_person(actor.visibility(KIND), id, true)
            .await?)
    }

    pub async fn create_person(
        &self,
        actor: &Actor,
        patch: PersonPatch,
        ownership: OwnershipRequest,
    ) -> AppResult<Person> {
        if !actor.role.can_write(KIND) {
            return Err(Error::Forbidden.into());
        }
        let mut form = PersonForm::blank();
        form.apply(patch);
        let fields = form.validate(self.today()).map_err(Error::Validation)?;
        self.check_company_visible(actor, fields.company_id).await?;
        let ownership = self.resolve_ownership(actor, None, ownership).await?;
        let entry = AuditEntry {
            actor: Some(actor.user_id),
            record_type: RECORD_TYPE,
            record_id: 0,
            action: "created",
            changes: initial(&PersonForm::from(&fields)),
        };
        let id = self.store.insert_person(&fields, ownership, entry).await?;
        self.written_person(id).await
    }

    /// Applies a patch. `expected_version` (from the form or an `If-Match`) must be current;
    /// `None` means "whatever is current" (API PATCH without a version): a concurrent change
    /// makes it start again on the new version rather than fail (see `retry`).
    pub async fn update_person(
        &self,
        actor: &Actor,
        id: PersonId,
        expected_version: Option<i64>,
        patch: PersonPatch,
        ownership: OwnershipRequest,
    ) -> AppResult<Person> {
        crate::retry::unless_versioned(expected_version.is_some(), || {
            self.update_person_once(actor, id, expected_version, patch.clone(), ownership)
        })
        .await
    }

    /// One read-overlay-write of [`Self::update_person`].
    async fn update_person_once(
        &self,
        actor: &Actor,
        id: PersonId,
        expected_version: Option<i64>,
        patch: PersonPatch,
        ownership: OwnershipRequest,
    ) -> AppResult<Person> {
        let current = self.get_person(actor, id).await?;
        if !actor.role.can_write(KIND) {
            return Err(Error::Forbidden.into());
        }
        if expected_version.is_some_and(|v| v != current.meta.version) {
            return Err(Error::StaleVersion.into());
        }
        let before = PersonForm::from(&current.fields);
        let mut form = before.clone();
        form.apply(patch);
        let fields = form.validate(self.today()).map_err(Error::Validation)?;
        if fields.company_id != current.fields.company_id {
            self.check_company_visible(actor, fields.company_id).await?;
        }
        let ownership = self
            .resolve_ownership(actor, Some(current.ownership), ownership)
            .await?;
        let mut changes = diff(&before, &PersonForm::from(&fields));
        changes.extend(self.ownership_changes(current.ownership, ownership).await?);
        if changes.is_empty() {
            return Ok(current);
        }
        let entry = AuditEntry {
            actor: Some(actor.user_id),
            record_type: RECORD_TYPE,
            record_id: id.0,
            action: "updated",
            changes,
        };
        self.store
            .update_person(id, current.meta.version, &fields, ownership, entry)
            .await?;
        self.written_person(id).await
    }

    /// Reads back a person the actor has just been allowed to write. Not through the actor's
    /// scope: a manager who hands a customer to another team, or creates one for it, gets the
    /// saved record rather than a "not found" for a write that succeeded.
    async fn written_person(&self, id: PersonId) -> AppResult<Person> {
        Ok(self.store.get_person(Visibility::All, id, false).await?)
    }

    pub async fn delete_person(&self, actor: &Actor, id: PersonId) -> AppResult<()> {
        self.get_person(actor, id).await?;
        if !actor.role.can_delete(KIND) {
            return Err(Error::Forbidden.into());
        }
        let entry = AuditEntry {
            actor: Some(actor.user_id),
            record_type: RECORD_TYPE,
            record_id: id.0,
            action: "deleted",
            changes: Vec::new(),
        };
        Ok(self.store.set_person_deleted(id, true, entry).await?)
    }

    /// Brings a deleted person back (administrators only).
    pub async fn restore_person(&self, actor: &Actor, id: PersonId) -> AppResult<Person> {
        if !actor.role.is_admin() {
            return Err(Error::Forbidden.into());
        }
        let entry = AuditEntry {
            actor: Some(actor.user_id),
            record_type: RECORD_TYPE,
            record_id: id.0,
            action: "restored",
            changes: Vec::new(),
        };
        self.store.set_person_deleted(id, false, entry).await?;
        self.get_person(actor, id).await
    }

    /// The audit history of a person the actor can see.
    pub async fn person_history(&self, actor: &Actor, id: PersonId) -> AppResult<Vec<AuditEvent>> {
        self.get_person(actor, id).await?;
        Ok(self.store.record_history(RECORD_TYPE, id.0).await?)
    }

    /// Assigns an owner to several people at once (each change audited).
    pub async fn bulk_assign_people(
        &self,
        actor: &Actor,
        ids: &[PersonId],
        owner: UserId,
    ) -> AppResult<BulkOutcome> {
        let request = OwnershipRequest {
            owner_id: Some(owner),
            team_id: None,
        };
        let mut outcome = BulkOutcome::default();
        for id in self.visible_people(actor, ids, &mut outcome).await? {
            let result = self
                .update_person(actor, id, None, PersonPatch::default(), request)
                .await
                .map(|_| ());
            outcome.count(result)?;
        }
        Ok(outcome)
    }

    /// Adds a tag to several people.
    pub async fn bulk_tag_people(
        &self,
        actor: &Actor,
        ids: &[PersonId],
        tag: &str,
    ) -> AppResult<BulkOutcome> {
        if tag.trim().is_empty() {
            return Err(Error::field("tag", "invalid-required").into());
        }
        let mut outcome = BulkOutcome::default();
        for id in self.visible_people(actor, ids, &mut outcome).await? {
            let person = self.get_person(actor, id).await?;
            let mut tags = person.fields.tags.clone();
            tags.push(tag.trim().to_string());
            let patch = PersonPatch {
                tags: Some(tags),
                ..PersonPatch::default()
            };
            let result = self
                .update_person(actor, id, None, patch, OwnershipRequest::default())
                .await
                .map(|_| ());
            outcome.count(result)?;
        }
        Ok(outcome)
    }

    pub async fn bulk_delete_people(
        &self,
        actor: &Actor,
        ids: &[PersonId],
    ) -> AppResult<BulkOutcome> {
        let mut outcome = BulkOutcome::default();
        for id in self.visible_people(actor, ids, &mut outcome).await? {
            outcome.count(self.delete_person(actor, id).await)?;
        }
        Ok(outcome)
    }

    async fn visible_people(
        &self,
        actor: &Actor,
        ids: &[PersonId],
        outcome: &mut BulkOutcome,
    ) -> AppResult<Vec<PersonId>> {
        let ids: Vec<PersonId> = ids.iter().copied().take(BULK_LIMIT).collect();
        let visible = self
            .store
            .visible_person_ids(actor.visibility(KIND), &ids)
            .await?;
        outcome.skipped += ids.len() - visible.len();
        Ok(visible)
    }

    /// A person may only be linked to a company the actor can see.
    async fn check_company_visible(
        &self,
        actor: &Actor,
        company: Option<CompanyId>,
    ) -> AppResult<()> {
        let Some(company) = company else {
            return Ok(());
        };
        match self
            .store
            .get_company(actor.visibility(RecordKind::Company), company, false)
            .await
        {
            Ok(_) => Ok(()),
            Err(StoreError::NotFound) => Err(Error::field("company_id", "invalid-company").into()),
            Err(other) => Err(other.into()),
        }
    }

    /// Audit lines for an ownership change, with user and team names.
    pub(crate) async fn ownership_changes(
        &self,
        before: Ownership,
        after: Ownership,
    ) -> AppResult<Vec<rehber_store::AuditChange>> {
        let mut changes = Vec::new();
        if before.owner_id != after.owner_id {
            changes.push(rehber_store::AuditChange {
                field: "owner".into(),
                from: self.user_name(before.owner_id).await?,
                to: self.user_name(after.owner_id).await?,
            });
        }
        if before.team_id != after.team_id {
            let teams = self.store.list_teams().await?;
            let name = |t: Option<rehber_domain::TeamId>| {
                t.and_then(|t| teams.iter().find(|x| x.id == t))
                    .map(|t| t.name.clone())
                    .unwrap_or_default()
            };
            changes.push(rehber_store::AuditChange {
                field: "team".into(),
                from: name(before.team_id),
                to: name(after.team_id),
            });
        }
        Ok(changes)
    }

    async fn user_name(&self, id: Option<UserId>) -> AppResult<String> {
        match id {
            None => Ok(String::new()),
            Some(id) => Ok(self
                .store
                .get_user(id)
                .await
                .map(|u| u.name)
                .unwrap_or_default()),
        }
    }
}
