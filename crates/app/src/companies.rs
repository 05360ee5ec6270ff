//! Company use cases, mirroring people: list and search, read, create, update with
//! optimistic versioning, soft delete and restore, bulk actions, history, and the people
//! who work there (through the people scope filter).

use crate::App;
use crate::changes::{diff, initial};
use crate::error::AppResult;
use crate::ownership::OwnershipRequest;
use crate::people::{BULK_LIMIT, BulkOutcome, ListRequest, count_cap};
use rehber_domain::access::{RecordKind, Visibility};
use rehber_domain::party::{Company, CompanyForm, CompanyPatch, Person};
use rehber_domain::{Actor, CompanyId, Error, UserId};
use rehber_store::{
    AuditEntry, AuditEvent, Page, PageRequest, PartyFilter, PartySort, SortDirection,
};

const KIND: RecordKind = RecordKind::Company;
const RECORD_TYPE: &str = "company";

impl App {
    pub async fn list_companies(
        &self,
        actor: &Actor,
        request: &ListRequest,
    ) -> AppResult<Page<Company>> {
        if request.filter.deleted && !actor.role.is_admin() {
            return Err(Error::Forbidden.into());
        }
        request.check_cursor()?;
        Ok(self
            .store
            .list_companies(
                actor.visibility(KIND),
                &request.filter,
                request.sort,
                request.direction,
                &request.page,
            )
            .await?)
    }

    pub async fn count_companies(&self, actor: &Actor, filter: &PartyFilter) -> AppResult<i64> {
        if filter.deleted && !actor.role.is_admin() {
            return Err(Error::Forbidden.into());
        }
        Ok(self
            .store
            .count_companies(actor.visibility(KIND), filter, count_cap(filter))
            .await?)
    }

    pub async fn get_company(&self, actor: &Actor, id: CompanyId) -> AppResult<Company> {
        Ok(self
            .store
            .get_company(actor.visibility(KIND), id, false)
            .await?)
    }

    pub async fn get_deleted_company(&self, actor: &Actor, id: CompanyId) -> AppResult<Company> {
        if !actor.role.is_admin() {
            return Err(Error::NotFound.into());
        }
        Ok(self
            .store
            .get_company(actor.visibility(KIND), id, true)
            .await?)
    }

    /// Visible companies matching a prefix, for pickers.
    pub async fn company_choices(
        &self,
        actor: &Actor,
        q: &str,
    ) -> AppResult<Vec<(CompanyId, String)>> {
        Ok(self
            .store
            .company_choices(actor.visibility(KIND), q, 20)
            .await?)
    }

    /// The people of a company, as far as the actor may see them.
    pub async fn company_people(&self, actor: &Actor, id: CompanyId) -> AppResult<Page<Person>> {
        self.get_company(actor, id).await?;
        let request = ListRequest {
            filter: PartyFilter {
                company: Some(id),
                ..PartyFilter::default()
            },
            sort: PartySort::Name,
            direction: SortDirection::Asc,
            page: PageRequest {
                after: None,
                limit: 200,
            },
        };
        self.list_people(actor, &request).await
    }

    pub async fn create_company(
        &self,
        actor: &Actor,
        patch: CompanyPatch,
        ownership: OwnershipRequest,
    ) -> AppResult<Company> {
        if !actor.role.can_write(KIND) {
            return Err(Error::Forbidden.into());
        }
        let mut form = CompanyForm::blank();
        form.apply(patch);
        let fields = form.validate().map_err(Error::Validation)?;
        let ownership = self.resolve_ownership(actor, None, ownership).await?;
        let entry = AuditEntry {
            actor: Some(actor.user_id),
            record_type: RECORD_TYPE,
            record_id: 0,
            action: "created",
            changes: initial(&CompanyForm::from(&fields)),
        };
        let id = self.store.insert_company(&fields, ownership, entry).await?;
        self.written_company(id).await
    }

    pub async fn update_company(
        &self,
        actor: &Actor,
        id: CompanyId,
        expected_version: Option<i64>,
        patch: CompanyPatch,
        ownership: OwnershipRequest,
    ) -> AppResult<Company> {
        crate::retry::unless_versioned(expected_version.is_some(), || {
            self.update_company_once(actor, id, expected_version, patch.clone(), ownership)
        })
        .await
    }

    /// One read-overlay-write of [`Self::update_company`].
    async fn update_company_once(
        &self,
        actor: &Actor,
        id: CompanyId,
        expected_version: Option<i64>,
        patch: CompanyPatch,
        ownership: OwnershipRequest,
    ) -> AppResult<Company> {
        let current = self.get_company(actor, id).await?;
        if !actor.role.can_write(KIND) {
            return Err(Error::Forbidden.into());
        }
        if expected_version.is_some_and(|v| v != current.meta.version) {
            return Err(Error::StaleVersion.into());
        }
        let before = CompanyForm::from(&current.fields);
        let mut form = before.clone();
        form.apply(patch);
        let fields = form.validate().map_err(Error::Validation)?;
        let ownership = self
            .resolve_ownership(actor, Some(current.ownership), ownership)
            .await?;
        let mut changes = diff(&before, &CompanyForm::from(&fields));
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
            .update_company(id, current.meta.version, &fields, ownership, entry)
            .await?;
        self.written_company(id).await
    }

    /// Reads back a company the actor has just been allowed to write (see
    /// `written_person`: the result may already be outside the actor's scope).
    async fn written_company(&self, id: CompanyId) -> AppResult<Company> {
        Ok(self.store.get_company(Visibility::All, id, false).await?)
    }

    pub async fn delete_company(&self, actor: &Actor, id: CompanyId) -> AppResult<()> {
        self.get_company(actor, id).await?;
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
        Ok(self.store.set_company_deleted(id, true, entry).await?)
    }

    pub async fn restore_company(&self, actor: &Actor, id: CompanyId) -> AppResult<Company> {
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
        self.store.set_company_deleted(id, false, entry).await?;
        self.get_company(actor, id).await
    }

    pub async fn company_history(
        &self,
        actor: &Actor,
        id: CompanyId,
    ) -> AppResult<Vec<AuditEvent>> {
        self.get_company(actor, id).await?;
        Ok(self.store.record_history(RECORD_TYPE, id.0).await?)
    }

    pub async fn bulk_assign_companies(
        &self,
        actor: &Actor,
        ids: &[CompanyId],
        owner: UserId,
    ) -> AppResult<BulkOutcome> {
        let request = OwnershipRequest {
            owner_id: Some(owner),
            team_id: None,
        };
        let mut outcome = BulkOutcome::default();
        for id in self.visible_companies(actor, ids, &mut outcome).await? {
            outcome.count(
                self.update_company(actor, id, None, CompanyPatch::default(), request)
                    .await
                    .map(|_| ()),
            )?;
        }
        Ok(outcome)
    }

    pub async fn bulk_tag_companies(
        &self,
        actor: &Actor,
        ids: &[CompanyId],
        tag: &str,
    ) -> AppResult<BulkOutcome> {
        if tag.trim().is_empty() {
            return Err(Error::field("tag", "invalid-required").into());
        }
        let mut outcome = BulkOutcome::default();
        for id in self.visible_companies(actor, ids, &mut outcome).await? {
            let company = self.get_company(actor, id).await?;
            let mut tags = company.fields.tags.clone();
            tags.push(tag.trim().to_string());
            let patch = CompanyPatch {
                tags: Some(tags),
                ..CompanyPatch::default()
            };
            outcome.count(
                self.update_company(actor, id, None, patch, OwnershipRequest::default())
                    .await
                    .map(|_| ()),
            )?;
        }
        Ok(outcome)
    }

    pub async fn bulk_delete_companies(
        &self,
        actor: &Actor,
        ids: &[CompanyId],
    ) -> AppResult<BulkOutcome> {
        let mut outcome = BulkOutcome::default();
        for id in self.visible_companies(actor, ids, &mut outcome).await? {
            outcome.count(self.delete_company(actor, id).await)?;
        }
        Ok(outcome)
    }

    async fn visible_companies(
        &self,
        actor: &Actor,
        ids: &[CompanyId],
        outcome: &mut BulkOutcome,
    ) -> AppResult<Vec<CompanyId>> {
        let ids: Vec<CompanyId> = ids.iter().copied().take(BULK_LIMIT).collect();
        let visible = self
            .store
            .visible_company_ids(actor.visibility(KIND), &ids)
            .await?;
        outcome.skipped += ids.len() - visible.len();
        Ok(visible)
    }
}
