//! Record use cases, written once for every kind: list and search, count, read, create,
//! update with optimistic versioning, soft delete and restore, history, and bulk actions.
//! Every read goes through the actor's scoped store handle; a kind adds only what is its own
//! ([`ServiceKind`]: the records it links to must be visible to the actor).

use crate::App;
use crate::changes::{diff, initial};
use crate::duplicates::Duplicates;
use crate::error::AppResult;
use crate::list::{BULK_LIMIT, BulkOutcome, ListRequest, count_cap};
use crate::ownership::OwnershipRequest;
use rehber_domain::party::MatchKey;
use rehber_domain::{Actor, Error, UserId};
use rehber_store::{AuditChange, AuditEntry, AuditEvent, Page, PartyFilter, StoredKind};
use std::future::Future;

/// A record kind as the services see it: stored ([`StoredKind`]) and with its own checks.
pub trait ServiceKind: StoredKind {
    /// Refuses content that links to records the actor may not see (a person's company).
    /// `before` is the stored content on an update, `None` on a create: only links that
    /// change are checked, so a record keeps a link its editor cannot see.
    fn check_links(
        _app: &App,
        _actor: &Actor,
        _before: Option<&Self::Fields>,
        _fields: &Self::Fields,
    ) -> impl Future<Output = AppResult<()>> + Send {
        async { Ok(()) }
    }

    /// Refuses content the organisation's rules do not allow (a party moving into
    /// "qualified" without enough BANT checks). `before` as for [`ServiceKind::check_links`].
    fn check_rules(
        _app: &App,
        _before: Option<&Self::Fields>,
        _fields: &Self::Fields,
    ) -> impl Future<Output = AppResult<()>> + Send {
        async { Ok(()) }
    }

    /// What follows a save of the record, before it is read back (a party's lead score is
    /// worked out again). Never fails the save.
    fn after_save(_app: &App, _id: Self::Id) -> impl Future<Output = ()> + Send {
        async {}
    }

    /// Rewrites the audit lines of links so that they name the linked records (a person's
    /// `company_id: 1 → 2` becomes the companies' names), as the history will show them.
    fn name_links(
        _app: &App,
        _changes: &mut [AuditChange],
    ) -> impl Future<Output = AppResult<()>> + Send {
        async { Ok(()) }
    }

    /// The keys two records of the kind may not share unless the writer says they may (a
    /// person's e-mail, phone and national ID); none for kinds without duplicates.
    fn match_keys(_fields: &Self::Fields) -> Vec<MatchKey> {
        Vec::new()
    }

    /// Why two records of the kind can never be merged (two companies with different tax
    /// numbers are different legal entities): the refusal's code.
    fn merge_refusal(_survivor: &Self::Fields, _other: &Self::Fields) -> Option<&'static str> {
        None
    }
}

impl App {
    /// One page of the records the actor can see, filtered, sorted and searched. The trash
    /// (`filter.deleted`) is for administrators.
    pub async fn list<K: ServiceKind>(
        &self,
        actor: &Actor,
        request: &ListRequest,
    ) -> AppResult<Page<K::Record>> {
        if request.filter.deleted && !actor.role.is_admin() {
            return Err(Error::Forbidden.into());
        }
        let (filter, sort) = self.resolve_list::<K>(request).await?;
        crate::list::check_cursor(sort, request.page.after.as_deref())?;
        Ok(self
            .store
            .scoped(actor)
            .list::<K>(&filter, sort, request.direction, &request.page)
            .await?)
    }

    /// How many records the actor can see match, up to the list's count cap.
    pub async fn count<K: ServiceKind>(
        &self,
        actor: &Actor,
        filter: &PartyFilter,
    ) -> AppResult<i64> {
        if filter.deleted && !actor.role.is_admin() {
            return Err(Error::Forbidden.into());
        }
        Ok(self
            .store
            .scoped(actor)
            .count::<K>(filter, count_cap(filter))
            .await?)
    }

    /// One live record; another rep's record is "not found", as if it did not exist.
    pub async fn get<K: ServiceKind>(&self, actor: &Actor, id: K::Id) -> AppResult<K::Record> {
        Ok(self.store.scoped(actor).get::<K>(id).await?)
    }

    /// A record in the trash (administrators, for restore).
    pub async fn get_deleted<K: ServiceKind>(
        &self,
        actor: &Actor,
        id: K::Id,
    ) -> AppResult<K::Record> {
        if !actor.role.is_admin() {
            return Err(Error::NotFound.into());
        }
        Ok(self
            .store
            .scoped(actor)
            .get_including_deleted::<K>(id)
            .await?)
    }

    /// Recomputes the derived sort, search and city keys of every person and company (the
    /// `rehber reindex` command, after a release that changes how they are made); returns
    /// how many people and companies were rewritten. A system task: no actor, no audit
    /// entries, records keep their versions.
    pub async fn refresh_derived_keys(&self) -> AppResult<(u64, u64)> {
        let people = self
            .store
            .refresh_derived::<rehber_domain::party::People>()
            .await?;
        let companies = self
            .store
            .refresh_derived::<rehber_domain::party::Companies>()
            .await?;
        Ok((people, companies))
    }

    /// Whether a linked record is in the trash. A record page names its links (a person's
    /// company) even when the viewer cannot open them; a link to a deleted record then says
    /// so instead of suggesting it belongs to someone else. Reads outside the actor's scope
    /// and answers only this one fact.
    pub async fn in_trash<K: ServiceKind>(&self, id: K::Id) -> AppResult<bool> {
        match self.store.unscoped().get_including_deleted::<K>(id).await {
            Ok(record) => Ok(K::meta(&record).deleted_at.is_some()),
            Err(rehber_store::StoreError::NotFound) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Creates a record from a patch over the kind's blank form, owned by the actor unless
    /// the request names another owner (and the actor may reassign).
    pub async fn create<K: ServiceKind>(
        &self,
        actor: &Actor,
        patch: K::Patch,
        ownership: OwnershipRequest,
    ) -> AppResult<K::Record> {
        self.create_with::<K>(actor, patch, ownership, Duplicates::Refuse)
            .await
    }

    /// [`App::create`], saying whether the record may repeat one already kept.
    pub async fn create_with<K: ServiceKind>(
        &self,
        actor: &Actor,
        mut patch: K::Patch,
        ownership: OwnershipRequest,
        duplicates: Duplicates,
    ) -> AppResult<K::Record> {
        if !actor.role.can_write(K::ACCESS) {
            return Err(Error::Forbidden.into());
        }
        let custom = K::take_custom(&mut patch);
        let mut form = K::blank();
        K::apply(&mut form, patch);
        let fields = self
            .checked::<K>(form, &Default::default(), custom, true)
            .await?;
        K::check_links(self, actor, None, &fields).await?;
        K::check_rules(self, None, &fields).await?;
        if duplicates == Duplicates::Refuse {
            self.refuse_duplicate::<K>(actor, &fields, None).await?;
        }
        let ownership = self.resolve_ownership(actor, None, ownership).await?;
        let mut changes = initial(&K::Form::from(&fields));
        K::name_links(self, &mut changes).await?;
        let entry = AuditEntry {
            actor: Some(actor.user_id),
            record_type: K::TYPE,
            record_id: 0,
            action: "created",
            changes,
        };
        let id = self.store.insert::<K>(&fields, ownership, entry).await?;
        K::after_save(self, id).await;
        let record = self.written::<K>(id).await?;
        self.announce::<K>("record.created", id, K::ownership(&record))
            .await;
        Ok(record)
    }

    /// Applies a patch. `expected_version` (from the form or an `If-Match`) must be current;
    /// `None` means "whatever is current" (API PATCH without a version): a concurrent change
    /// makes it start again on the new version rather than fail (see `retry`).
    pub async fn update<K: ServiceKind>(
        &self,
        actor: &Actor,
        id: K::Id,
        expected_version: Option<i64>,
        patch: K::Patch,
        ownership: OwnershipRequest,
    ) -> AppResult<K::Record> {
        let write = (expected_version, Duplicates::Refuse);
        self.update_with::<K>(actor, id, write, patch, ownership)
            .await
    }

    /// [`App::update`], saying whether a key the patch adds may repeat another record's.
    pub async fn update_with<K: ServiceKind>(
        &self,
        actor: &Actor,
        id: K::Id,
        (expected_version, duplicates): (Option<i64>, Duplicates),
        patch: K::Patch,
        ownership: OwnershipRequest,
    ) -> AppResult<K::Record> {
        crate::retry::unless_versioned(expected_version.is_some(), || {
            let write = (expected_version, duplicates);
            self.update_once::<K>(actor, id, write, patch.clone(), ownership)
        })
        .await
    }

    /// One read-overlay-write of [`App::update`].
    async fn update_once<K: ServiceKind>(
        &self,
        actor: &Actor,
        id: K::Id,
        (expected_version, duplicates): (Option<i64>, Duplicates),
        patch: K::Patch,
        ownership: OwnershipRequest,
    ) -> AppResult<K::Record> {
        let current = self.get::<K>(actor, id).await?;
        if !actor.role.can_write(K::ACCESS) {
            return Err(Error::Forbidden.into());
        }
        let version = K::meta(&current).version;
        if expected_version.is_some_and(|v| v != version) {
            return Err(Error::StaleVersion.into());
        }
        let before = K::Form::from(K::fields(&current));
        let mut form = before.clone();
        let mut patch = patch;
        let custom = K::take_custom(&mut patch);
        K::apply(&mut form, patch);
        let fields = self
            .checked::<K>(form, K::custom(K::fields(&current)), custom, false)
            .await?;
        K::check_links(self, actor, Some(K::fields(&current)), &fields).await?;
        K::check_rules(self, Some(K::fields(&current)), &fields).await?;
        if duplicates == Duplicates::Refuse {
            self.refuse_duplicate::<K>(actor, &fields, Some(&current))
                .await?;
        }
        let current_ownership = K::ownership(&current);
        let ownership = self
            .resolve_ownership(actor, Some(current_ownership), ownership)
            .await?;
        let mut changes = diff(&before, &K::Form::from(&fields));
        K::name_links(self, &mut changes).await?;
        changes.extend(self.ownership_changes(current_ownership, ownership).await?);
        if changes.is_empty() {
            return Ok(current);
        }
        let entry = AuditEntry {
            actor: Some(actor.user_id),
            record_type: K::TYPE,
            record_id: K::raw(id),
            action: "updated",
            changes,
        };
        self.store
            .update::<K>(id, version, &fields, ownership, entry)
            .await?;
        K::after_save(self, id).await;
        let record = self.written::<K>(id).await?;
        self.announce::<K>("record.updated", id, K::ownership(&record))
            .await;
        Ok(record)
    }

    /// A form's fields and its custom values checked together, so a refusal names every
    /// problem at once.
    async fn checked<K: ServiceKind>(
        &self,
        mut form: K::Form,
        current_custom: &rehber_domain::custom::CustomValues,
        custom: Option<serde_json::Map<String, serde_json::Value>>,
        creating: bool,
    ) -> AppResult<K::Fields> {
        let mut errors = rehber_domain::FieldErrors::new();
        match self
            .custom_values::<K>(current_custom, custom, creating)
            .await?
        {
            Ok(values) => K::set_custom(&mut form, values),
            Err(e) => errors = e,
        }
        match K::validate(&form, self.today()) {
            Ok(fields) if errors.is_empty() => Ok(fields),
            Ok(_) => Err(Error::Validation(errors).into()),
            Err(mut own) => {
                own.0.extend(errors.0);
                Err(Error::Validation(own).into())
            }
        }
    }

    /// Reads back a record the actor has just been allowed to write. Not through the actor's
    /// scope: a manager who hands a customer to another team, or creates one for it, gets the
    /// saved record rather than a "not found" for a write that succeeded.
    pub(crate) async fn written<K: ServiceKind>(&self, id: K::Id) -> AppResult<K::Record> {
        Ok(self.store.unscoped().get::<K>(id).await?)
    }

    /// Moves a record the actor can see to the trash (roles that may delete).
    pub async fn delete<K: ServiceKind>(&self, actor: &Actor, id: K::Id) -> AppResult<()> {
        let record = self.get::<K>(actor, id).await?;
        if !actor.role.can_delete(K::ACCESS) {
            return Err(Error::Forbidden.into());
        }
        let entry = self.action_entry::<K>(actor, id, "deleted");
        self.store.set_deleted::<K>(id, true, entry).await?;
        self.announce::<K>("record.deleted", id, K::ownership(&record))
            .await;
        Ok(())
    }

    /// Brings a record back from the trash (administrators only).
    pub async fn restore<K: ServiceKind>(&self, actor: &Actor, id: K::Id) -> AppResult<K::Record> {
        if !actor.role.is_admin() {
            return Err(Error::Forbidden.into());
        }
        let entry = self.action_entry::<K>(actor, id, "restored");
        self.store.set_deleted::<K>(id, false, entry).await?;
        let record = self.get::<K>(actor, id).await?;
        self.announce::<K>("record.created", id, K::ownership(&record))
            .await;
        Ok(record)
    }

    /// Tells whoever may see it that a person or company changed.
    pub(crate) async fn announce<K: ServiceKind>(
        &self,
        kind: &str,
        id: K::Id,
        ownership: rehber_domain::party::Ownership,
    ) {
        let raw = K::raw(id);
        let records = rehber_domain::activity::LinkType::parse(K::TYPE)
            .map(|record_type| rehber_domain::activity::Link {
                record_type,
                record_id: raw,
            })
            .into_iter()
            .collect();
        let event = crate::events::scoped(kind, K::TYPE, raw, (K::ACCESS, ownership), records);
        self.publish(event).await;
    }

    fn action_entry<K: ServiceKind>(
        &self,
        actor: &Actor,
        id: K::Id,
        action: &'static str,
    ) -> AuditEntry {
        AuditEntry {
            actor: Some(actor.user_id),
            record_type: K::TYPE,
            record_id: K::raw(id),
            action,
            changes: Vec::new(),
        }
    }

    /// The audit history of a record the actor can see, newest first.
    pub async fn history<K: ServiceKind>(
        &self,
        actor: &Actor,
        id: K::Id,
    ) -> AppResult<Vec<AuditEvent>> {
        Ok(self.store.scoped(actor).history::<K>(id).await?)
    }

    /// Assigns an owner to several records at once (each change audited).
    pub async fn bulk_assign<K: ServiceKind>(
        &self,
        actor: &Actor,
        ids: &[K::Id],
        owner: UserId,
    ) -> AppResult<BulkOutcome> {
        let request = OwnershipRequest {
            owner_id: Some(owner),
            team_id: None,
        };
        let mut outcome = BulkOutcome::default();
        for id in self.visible::<K>(actor, ids, &mut outcome).await? {
            let result = self
                .update::<K>(actor, id, None, K::Patch::default(), request)
                .await
                .map(|_| ());
            outcome.count(result)?;
        }
        Ok(outcome)
    }

    /// Adds a tag to several records.
    pub async fn bulk_tag<K: ServiceKind>(
        &self,
        actor: &Actor,
        ids: &[K::Id],
        tag: &str,
    ) -> AppResult<BulkOutcome> {
        if tag.trim().is_empty() {
            return Err(Error::field("tag", "invalid-required").into());
        }
        let mut outcome = BulkOutcome::default();
        for id in self.visible::<K>(actor, ids, &mut outcome).await? {
            let record = self.get::<K>(actor, id).await?;
            let mut tags = K::tags(K::fields(&record)).to_vec();
            tags.push(tag.trim().to_string());
            let result = self
                .update::<K>(
                    actor,
                    id,
                    None,
                    K::tags_patch(tags),
                    OwnershipRequest::default(),
                )
                .await
                .map(|_| ());
            outcome.count(result)?;
        }
        Ok(outcome)
    }

    /// Moves several records to the trash.
    pub async fn bulk_delete<K: ServiceKind>(
        &self,
        actor: &Actor,
        ids: &[K::Id],
    ) -> AppResult<BulkOutcome> {
        let mut outcome = BulkOutcome::default();
        for id in self.visible::<K>(actor, ids, &mut outcome).await? {
            outcome.count(self.delete::<K>(actor, id).await)?;
        }
        Ok(outcome)
    }

    /// The ones of `ids` (at most [`BULK_LIMIT`]) the actor can see; the rest count as skipped.
    async fn visible<K: ServiceKind>(
        &self,
        actor: &Actor,
        ids: &[K::Id],
        outcome: &mut BulkOutcome,
    ) -> AppResult<Vec<K::Id>> {
        let ids: Vec<K::Id> = ids.iter().copied().take(BULK_LIMIT).collect();
        let visible = self.store.scoped(actor).visible::<K>(&ids).await?;
        outcome.skipped += ids.len() - visible.len();
        Ok(visible)
    }
}
