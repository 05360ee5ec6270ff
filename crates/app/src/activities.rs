//! Activities: logging and planning calls, e-mails, SMS, meetings, visits and notes against
//! people and companies.
//!
//! The rules: whoever may write records may log an activity (read-only users may not),
//! against records they can see (any other is "unknown", as if it did not exist); the
//! activity takes the owner and team of the record it is first linked to, so it is seen by
//! whoever sees that record; logging against a person who works at a company links the
//! company too, at that time, so the company's history keeps it if the person moves on.

use crate::App;
use crate::error::AppResult;
use rehber_domain::access::RecordKind;
use rehber_domain::activity::{Activity, ActivityInput, ActivityPatch, audit_values};
use rehber_domain::ids::ActivityId;
use rehber_domain::{Actor, Error};
use rehber_store::{ActivityFilter, AuditEntry, Page, PageRequest, parse_activity_cursor};

const RECORD_TYPE: &str = "activity";

impl App {
    /// Logs or plans an activity; its links as given plus the companies of linked people.
    pub async fn create_activity(
        &self,
        actor: &Actor,
        input: &ActivityInput,
    ) -> AppResult<Activity> {
        if !actor.role.can_write(RecordKind::Activity) {
            return Err(Error::Forbidden.into());
        }
        let fields = input
            .validate(jiff::Timestamp::now())
            .map_err(Error::Validation)?;
        let (links, ownership) = self.resolve_links(actor, &fields.links, &[]).await?;
        let changes = crate::audit::created_changes(audit_values(&fields));
        let entry = AuditEntry {
            actor: Some(actor.user_id),
            record_type: RECORD_TYPE,
            record_id: 0,
            action: "created",
            changes,
        };
        let id = self
            .store
            .insert_activity(&fields, &links, ownership, actor.user_id, entry)
            .await?;
        let activity = self.store.unscoped().activity(id).await?;
        self.rescore_linked(&activity.links).await;
        self.announce_activity("activity.created", &activity).await;
        Ok(activity)
    }

    /// One live activity the actor can see; any other is not found.
    pub async fn activity(&self, actor: &Actor, id: ActivityId) -> AppResult<Activity> {
        Ok(self.store.scoped(actor).activity(id).await?)
    }

    /// A page of the activities the actor can see, latest first. `cursor` is the
    /// `next_cursor` of the page before.
    pub async fn activities(
        &self,
        actor: &Actor,
        filter: &ActivityFilter,
        cursor: Option<&str>,
        limit: u32,
    ) -> AppResult<Page<Activity>> {
        let after = crate::read_cursor(cursor, parse_activity_cursor)?;
        let page = PageRequest { after: None, limit };
        Ok(self
            .store
            .scoped(actor)
            .activities(filter, after, &page)
            .await?)
    }

    /// Changes the fields a patch mentions. `expected_version` (an `If-Match`, a form's
    /// version) must be current; `None` applies to the current version.
    pub async fn update_activity(
        &self,
        actor: &Actor,
        id: ActivityId,
        expected_version: Option<i64>,
        patch: ActivityPatch,
    ) -> AppResult<Activity> {
        let before = self.activity(actor, id).await?;
        if !actor.role.can_write(RecordKind::Activity) {
            return Err(Error::Forbidden.into());
        }
        let version = expected_version.unwrap_or(before.meta.version);
        if version != before.meta.version {
            return Err(Error::StaleVersion.into());
        }
        let mut input = ActivityInput::from_fields(&before.fields);
        patch.apply(&mut input);
        let fields = input
            .validate(jiff::Timestamp::now())
            .map_err(Error::Validation)?;
        // Links left as they were are kept as stored (the automatic ones with them), even if
        // a linked record has since gone to the trash or out of the actor's sight.
        let links = if fields.links == before.fields.links {
            before.links.clone()
        } else {
            self.resolve_links(actor, &fields.links, &before.links)
                .await?
                .0
        };
        let changes =
            crate::audit::changed_fields(audit_values(&before.fields), audit_values(&fields));
        let entry = AuditEntry {
            actor: Some(actor.user_id),
            record_type: RECORD_TYPE,
            record_id: id.0,
            action: "updated",
            changes,
        };
        self.store
            .update_activity(id, version, &fields, &links, entry)
            .await?;
        let activity = self.store.unscoped().activity(id).await?;
        self.rescore_linked(&[before.links, activity.links.clone()].concat())
            .await;
        self.announce_activity("activity.updated", &activity).await;
        Ok(activity)
    }

    /// Moves an activity the actor can see to the trash.
    pub async fn delete_activity(&self, actor: &Actor, id: ActivityId) -> AppResult<()> {
        let activity = self.activity(actor, id).await?;
        if !actor.role.can_delete(RecordKind::Activity) {
            return Err(Error::Forbidden.into());
        }
        let entry = AuditEntry {
            actor: Some(actor.user_id),
            record_type: RECORD_TYPE,
            record_id: id.0,
            action: "deleted",
            changes: Vec::new(),
        };
        self.store.delete_activity(id, entry).await?;
        self.rescore_linked(&activity.links).await;
        self.announce_activity("activity.deleted", &activity).await;
        Ok(())
    }

    /// Tells whoever may see an activity, and the pages of its records, that it changed.
    async fn announce_activity(&self, kind: &str, activity: &Activity) {
        let records = activity.links.iter().map(|l| l.link).collect();
        let event = crate::events::scoped(
            kind,
            RECORD_TYPE,
            activity.id.0,
            (RecordKind::Activity, activity.ownership),
            records,
        );
        self.publish(event).await;
    }
}
