//! The person kind's own rules: a person may only be linked to a company the actor can see.
//! Everything else people share with every kind (see `records`). Also the audit lines of an
//! ownership change, which every kind's updates write.

use crate::App;
use crate::error::AppResult;
use crate::records::ServiceKind;
use rehber_domain::party::Ownership;
use rehber_domain::party::{Companies, People, PersonFields};
use rehber_domain::{Actor, CompanyId, Error, PersonId, UserId};
use rehber_store::{AuditChange, StoreError};

impl ServiceKind for People {
    fn match_keys(fields: &PersonFields) -> Vec<rehber_domain::party::MatchKey> {
        rehber_domain::party::person_keys(fields)
    }

    fn merge_refusal(survivor: &PersonFields, other: &PersonFields) -> Option<&'static str> {
        match (&survivor.national_id, &other.national_id) {
            (Some(a), Some(b)) if a != b => Some("invalid-merge-tckn"),
            _ => None,
        }
    }

    async fn check_links(
        app: &App,
        actor: &Actor,
        before: Option<&PersonFields>,
        fields: &PersonFields,
    ) -> AppResult<()> {
        if before.is_some_and(|b| b.company_id == fields.company_id) {
            return Ok(());
        }
        app.check_company_visible(actor, fields.company_id).await
    }

    async fn check_rules(
        app: &App,
        before: Option<&PersonFields>,
        fields: &PersonFields,
    ) -> AppResult<()> {
        app.check_qualification(
            before.map(|b| b.lifecycle_stage),
            fields.lifecycle_stage,
            fields.bant,
        )
        .await
    }

    async fn after_save(app: &App, id: PersonId) {
        app.rescore::<People>(&[id.0]).await;
    }

    /// A person's company is named in the audit log by its name (at the time of the change),
    /// not its id.
    async fn name_links(app: &App, changes: &mut [AuditChange]) -> AppResult<()> {
        for change in changes.iter_mut().filter(|c| c.field == "company_id") {
            for value in [&mut change.from, &mut change.to] {
                if let Ok(id) = value.parse::<i64>() {
                    *value = app.company_name(CompanyId(id)).await?;
                }
            }
        }
        Ok(())
    }
}

impl App {
    /// A company's name for the audit log, trash included; `#id` if it is gone. Not through
    /// the actor's scope: the person's page already names a company its reader cannot open.
    pub(crate) async fn company_name(&self, id: CompanyId) -> AppResult<String> {
        match self
            .store
            .unscoped()
            .get_including_deleted::<Companies>(id)
            .await
        {
            Ok(company) => Ok(company.fields.name),
            Err(StoreError::NotFound) => Ok(format!("#{}", id.0)),
            Err(other) => Err(other.into()),
        }
    }

    /// A person's full name for the audit log, trash included; `#id` if they are gone.
    pub(crate) async fn person_name(&self, id: PersonId) -> AppResult<String> {
        match self
            .store
            .unscoped()
            .get_including_deleted::<People>(id)
            .await
        {
            Ok(person) => Ok(person.fields.full_name()),
            Err(StoreError::NotFound) => Ok(format!("#{}", id.0)),
            Err(other) => Err(other.into()),
        }
    }

    /// A person may only be linked to a company the actor can see.
    pub(crate) async fn check_company_visible(
        &self,
        actor: &Actor,
        company: Option<CompanyId>,
    ) -> AppResult<()> {
        let Some(company) = company else {
            return Ok(());
        };
        match self.store.scoped(actor).get::<Companies>(company).await {
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

    /// A user's name for the audit log; a user who no longer exists is shown by id (a store
    /// failure is an error, never an empty name).
    async fn user_name(&self, id: Option<UserId>) -> AppResult<String> {
        match id {
            None => Ok(String::new()),
            Some(id) => match self.store.get_user(id).await {
                Ok(user) => Ok(user.name),
                Err(StoreError::NotFound) => Ok(format!("#{}", id.0)),
                Err(other) => Err(other.into()),
            },
        }
    }
}
