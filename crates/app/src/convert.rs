//! Converting a lead into a deal, in one idempotent step: a person (with their company) or a
//! company becomes the person and company of a new deal in a pipeline's first open stage,
//! and moves to the "opportunity" lifecycle stage unless it is already further (a
//! customer). Converting the same lead again answers the deal it already has, so a double
//! click or a retried request never makes two; the database holds one live deal per lead.

use crate::App;
use crate::error::{AppError, AppResult};
use crate::ownership::OwnershipRequest;
use rehber_domain::activity::{Link, LinkType};
use rehber_domain::deal::{Deal, DealPatch, Deals};
use rehber_domain::party::{Companies, CompanyPatch, LifecycleStage, People, PersonPatch};
use rehber_domain::pipeline::StageKind;
use rehber_domain::{Actor, CompanyId, Error, PersonId};

/// What a conversion may say about the deal; everything has a default.
#[derive(Debug, Clone, Default)]
pub struct Conversion {
    /// The deal's name; the lead's name when empty.
    pub name: Option<String>,
    /// The first pipeline when `None`.
    pub pipeline_id: Option<i64>,
    /// The pipeline's first open stage when `None`.
    pub stage_id: Option<i64>,
    /// A decimal amount as typed, and its currency.
    pub amount: Option<String>,
    pub currency: Option<String>,
    pub expected_close: Option<String>,
}

/// A conversion's outcome: the deal, and whether this call made it.
#[derive(Debug, Clone)]
pub struct Converted {
    pub deal: Deal,
    pub created: bool,
}

/// The lifecycle stages a conversion moves a lead out of (a customer stays a customer).
fn before_opportunity(stage: LifecycleStage) -> bool {
    matches!(
        stage,
        LifecycleStage::Subscriber | LifecycleStage::Lead | LifecycleStage::Qualified
    )
}

impl App {
    /// Converts a person or company the actor can see and change into a deal (see the
    /// module's note).
    pub async fn convert_lead(
        &self,
        actor: &Actor,
        lead: Link,
        conversion: Conversion,
    ) -> AppResult<Converted> {
        let (title, person, company) = match lead.record_type {
            LinkType::Person => {
                let person = self.get::<People>(actor, PersonId(lead.record_id)).await?;
                (
                    person.fields.full_name(),
                    Some(person.id),
                    person.fields.company_id,
                )
            }
            LinkType::Company => {
                let company = self
                    .get::<Companies>(actor, CompanyId(lead.record_id))
                    .await?;
                (company.fields.name.clone(), None, Some(company.id))
            }
            LinkType::Deal => return Err(Error::NotFound.into()),
        };
        if let Some(existing) = self.converted_deal(lead).await? {
            return Ok(Converted {
                deal: existing,
                created: false,
            });
        }
        let pipelines = self.pipelines(actor).await?;
        let pipeline = match conversion.pipeline_id {
            Some(id) => pipelines
                .into_iter()
                .find(|p| p.id == id)
                .ok_or_else(|| Error::field("pipeline_id", "invalid-pipeline"))?,
            None => pipelines
                .into_iter()
                .next()
                .ok_or_else(|| Error::field("pipeline_id", "invalid-pipeline"))?,
        };
        let stage = match conversion.stage_id {
            Some(id) => id,
            None => pipeline
                .stages
                .iter()
                .find(|s| s.kind == StageKind::Open)
                .map(|s| s.id)
                .ok_or_else(|| Error::field("stage_id", "invalid-stage"))?,
        };
        let name = conversion
            .name
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(title);
        let patch = DealPatch {
            name: Some(name),
            pipeline_id: Some(pipeline.id.to_string()),
            stage_id: Some(stage.to_string()),
            amount: conversion.amount,
            currency: conversion.currency,
            expected_close: conversion.expected_close,
            person_id: person.map(|p| p.0.to_string()),
            company_id: company.map(|c| c.0.to_string()),
            converted_from: Some(format!("{}:{}", lead.record_type, lead.record_id)),
            ..DealPatch::default()
        };
        let deal = match self
            .create::<Deals>(actor, patch, OwnershipRequest::default())
            .await
        {
            Ok(deal) => deal,
            // Two conversions at once: the other one's deal is the lead's. On SQLite it may
            // not be committed yet (a refused write returns before the batch it shared with
            // the other commits), so it is looked for a little while.
            Err(AppError::Domain(Error::Taken { .. })) => {
                for _ in 0..40 {
                    if let Some(deal) = self.converted_deal(lead).await? {
                        return Ok(Converted {
                            deal,
                            created: false,
                        });
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(25)).await;
                }
                return Err(Error::StaleVersion.into());
            }
            Err(other) => return Err(other),
        };
        self.promote_to_opportunity(actor, person, company).await?;
        Ok(Converted {
            deal,
            created: true,
        })
    }

    /// The live deal a lead was converted into, whoever owns it.
    async fn converted_deal(&self, lead: Link) -> AppResult<Option<Deal>> {
        let key = format!("{}:{}", lead.record_type, lead.record_id);
        Ok(self.store.converted_deal(&key).await?)
    }

    /// Moves the converted person and their company to "opportunity" unless they are past it.
    async fn promote_to_opportunity(
        &self,
        actor: &Actor,
        person: Option<PersonId>,
        company: Option<CompanyId>,
    ) -> AppResult<()> {
        let opportunity = Some(LifecycleStage::Opportunity.as_str().to_string());
        if let Some(id) = person {
            let current = self.get::<People>(actor, id).await?;
            if before_opportunity(current.fields.lifecycle_stage) {
                let patch = PersonPatch {
                    lifecycle_stage: opportunity.clone(),
                    ..PersonPatch::default()
                };
                self.update::<People>(actor, id, None, patch, OwnershipRequest::default())
                    .await?;
            }
        }
        if let Some(id) = company {
            // A person's company the actor cannot see keeps its stage.
            let Ok(current) = self.get::<Companies>(actor, id).await else {
                return Ok(());
            };
            if before_opportunity(current.fields.lifecycle_stage) {
                let patch = CompanyPatch {
                    lifecycle_stage: opportunity,
                    ..CompanyPatch::default()
                };
                self.update::<Companies>(actor, id, None, patch, OwnershipRequest::default())
                    .await?;
            }
        }
        Ok(())
    }
}
