//! Sales pipelines as use cases: everyone signed in reads them (a deal shows its stage);
//! administrators create, reshape and delete them, each change audited. A change names the
//! version it was made on, so two administrators editing one pipeline never overwrite each
//! other silently.

use crate::App;
use crate::error::AppResult;
use rehber_domain::pipeline::{LostReason, Pipeline, PipelineDraft, StageDraft, check_reason};
use rehber_domain::{Actor, Error, FieldErrors};
use rehber_store::AuditEntry;

/// What a change may give; `None` keeps the stored value. Stages, when given, replace the
/// list: a stage with the `id` of a stored one keeps it, one without is new, and a stored
/// stage left out is removed.
#[derive(Debug, Clone, Default)]
pub struct PipelinePatch {
    pub name: Option<String>,
    pub currency: Option<String>,
    pub stages: Option<Vec<StageDraft>>,
}

fn admin_only(actor: &Actor) -> AppResult<()> {
    if actor.role.is_admin() {
        Ok(())
    } else {
        Err(Error::Forbidden.into())
    }
}

fn entry(actor: &Actor, id: i64, action: &'static str) -> AuditEntry {
    AuditEntry {
        actor: Some(actor.user_id),
        record_type: "pipeline",
        record_id: id,
        action,
        changes: Vec::new(),
    }
}

impl App {
    /// Every pipeline with its stages, in their order.
    pub async fn pipelines(&self, _actor: &Actor) -> AppResult<Vec<Pipeline>> {
        Ok(self.store.pipelines().await?)
    }

    pub async fn pipeline(&self, _actor: &Actor, id: i64) -> AppResult<Pipeline> {
        Ok(self.store.pipeline(id).await?)
    }

    /// Creates a pipeline after the others (administrators only).
    pub async fn create_pipeline(
        &self,
        actor: &Actor,
        draft: &PipelineDraft,
    ) -> AppResult<Pipeline> {
        admin_only(actor)?;
        if draft.stages.iter().any(|s| s.id.is_some()) {
            let mut errors = FieldErrors::new();
            for (index, stage) in draft.stages.iter().enumerate() {
                if stage.id.is_some() {
                    errors.add(format!("stages/{index}/id"), "invalid-unknown-value");
                }
            }
            return Err(Error::Validation(errors).into());
        }
        let fields = draft.validate().map_err(Error::Validation)?;
        let mut audit = entry(actor, 0, "create");
        audit.changes = crate::changes::diff(&None, &Some(fields.clone()));
        let id = self.store.insert_pipeline(&fields, audit).await?;
        Ok(self.store.pipeline(id).await?)
    }

    /// Changes a pipeline (administrators only) if it is still at `version` (the stored one
    /// when `None`).
    pub async fn update_pipeline(
        &self,
        actor: &Actor,
        id: i64,
        version: Option<i64>,
        patch: PipelinePatch,
    ) -> AppResult<Pipeline> {
        admin_only(actor)?;
        let stored = self.store.pipeline(id).await?;
        let mut draft = stored.draft();
        if let Some(name) = patch.name {
            draft.name = name;
        }
        if let Some(currency) = patch.currency {
            draft.currency = currency;
        }
        if let Some(stages) = patch.stages {
            draft.stages = stages;
        }
        let mut errors = FieldErrors::new();
        for (index, stage) in draft.stages.iter().enumerate() {
            if let Some(stage_id) = stage.id
                && !stored.stages.iter().any(|s| s.id == stage_id)
            {
                errors.add(format!("stages/{index}/id"), "invalid-unknown-value");
            }
        }
        let fields = match draft.validate() {
            Ok(fields) if errors.is_empty() => fields,
            Ok(_) => return Err(Error::Validation(errors).into()),
            Err(more) => {
                errors.0.extend(more.0);
                return Err(Error::Validation(errors).into());
            }
        };
        for removed in stored
            .stages
            .iter()
            .filter(|s| !fields.stages.iter().any(|kept| kept.id == Some(s.id)))
        {
            if self.store.deals_in_stage(removed.id).await? > 0 {
                return Err(Error::InvalidState("stage-has-deals").into());
            }
        }
        let before = stored.draft().validate().ok();
        let mut audit = entry(actor, id, "update");
        audit.changes = crate::changes::diff(&before, &Some(fields.clone()));
        self.store
            .update_pipeline(id, version.unwrap_or(stored.version), &fields, audit)
            .await?;
        Ok(self.store.pipeline(id).await?)
    }

    /// Deletes a pipeline and its stages (administrators only); the last one stays, so
    /// deals always have somewhere to go.
    pub async fn delete_pipeline(&self, actor: &Actor, id: i64) -> AppResult<()> {
        admin_only(actor)?;
        let all = self.store.pipelines().await?;
        if !all.iter().any(|p| p.id == id) {
            return Err(Error::NotFound.into());
        }
        if all.len() == 1 {
            return Err(Error::InvalidState("last-pipeline").into());
        }
        for stage in all.iter().filter(|p| p.id == id).flat_map(|p| &p.stages) {
            if self.store.deals_in_stage(stage.id).await? > 0 {
                return Err(Error::InvalidState("pipeline-has-deals").into());
            }
        }
        Ok(self
            .store
            .delete_pipeline(id, entry(actor, id, "delete"))
            .await?)
    }

    /// Every lost reason in its order, inactive ones too.
    pub async fn lost_reasons(&self, _actor: &Actor) -> AppResult<Vec<LostReason>> {
        Ok(self.store.lost_reasons().await?)
    }

    /// Adds a lost reason after the others (administrators only); a name already used
    /// (ignoring Turkish case) is refused on `name`.
    pub async fn create_lost_reason(&self, actor: &Actor, name: &str) -> AppResult<LostReason> {
        admin_only(actor)?;
        let name = check_reason(name).map_err(Error::Validation)?;
        let mut audit = entry(actor, 0, "create");
        audit.record_type = "lost_reason";
        let id = self.store.insert_lost_reason(&name, audit).await?;
        self.lost_reason(id).await
    }

    /// Renames or (de)activates a lost reason (administrators only).
    pub async fn update_lost_reason(
        &self,
        actor: &Actor,
        id: i64,
        name: Option<&str>,
        active: Option<bool>,
    ) -> AppResult<LostReason> {
        admin_only(actor)?;
        let stored = self.lost_reason(id).await?;
        let name = match name {
            Some(typed) => check_reason(typed).map_err(Error::Validation)?,
            None => stored.name.clone(),
        };
        let active = active.unwrap_or(stored.active);
        let mut audit = entry(actor, id, "update");
        audit.record_type = "lost_reason";
        audit.changes = crate::changes::diff(
            &stored,
            &LostReason {
                name: name.clone(),
                active,
                ..stored.clone()
            },
        );
        self.store
            .update_lost_reason(id, &name, active, audit)
            .await?;
        self.lost_reason(id).await
    }

    async fn lost_reason(&self, id: i64) -> AppResult<LostReason> {
        self.store
            .lost_reasons()
            .await?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| Error::NotFound.into())
    }
}
