//! The deal kind's own rules and use cases. A deal's stage must be one of its pipeline's; a
//! deal in a lost stage names why (an active reason of the administrators' list); its person
//! and company must be ones the actor can see. Moving a deal to another stage is an update
//! like any other, so it keeps its version check and its line in the history ("stage:
//! Nitelikli → Kaybedildi"), which the deal's timeline shows.
//!
//! A pipeline's board: each stage's cards and its totals in TRY, through the actor's scope.

use crate::App;
use crate::error::AppResult;
use crate::ownership::OwnershipRequest;
use crate::rates::RateBook;
use crate::records::ServiceKind;
use rehber_domain::activity::{Link, LinkType};
use rehber_domain::deal::{Deal, DealFields, DealPatch, Deals};
use rehber_domain::party::People;
use rehber_domain::pipeline::{Pipeline, Stage, StageKind};
use rehber_domain::rate::to_try;
use rehber_domain::{Actor, CompanyId, DealId, Error, PersonId};
use rehber_store::{AuditChange, StageSum, StoreError};
use std::collections::HashMap;

impl ServiceKind for Deals {
    async fn check_links(
        app: &App,
        actor: &Actor,
        before: Option<&DealFields>,
        fields: &DealFields,
    ) -> AppResult<()> {
        let pipeline = match app.store.pipeline(fields.pipeline_id).await {
            Ok(pipeline) => pipeline,
            Err(StoreError::NotFound) => {
                return Err(Error::field("pipeline_id", "invalid-pipeline").into());
            }
            Err(other) => return Err(other.into()),
        };
        let Some(stage) = pipeline.stages.iter().find(|s| s.id == fields.stage_id) else {
            return Err(Error::field("stage_id", "invalid-stage").into());
        };
        let changed = |same: fn(&DealFields, &DealFields) -> bool| {
            before.is_none_or(|before| !same(before, fields))
        };
        if stage.kind == StageKind::Lost {
            let Some(reason) = fields.lost_reason_id else {
                return Err(Error::field("lost_reason_id", "invalid-lost-reason-required").into());
            };
            if changed(|a, b| a.lost_reason_id == b.lost_reason_id) {
                let reasons = app.store.lost_reasons().await?;
                if !reasons.iter().any(|r| r.id == reason && r.active) {
                    return Err(Error::field("lost_reason_id", "invalid-lost-reason").into());
                }
            }
        }
        if changed(|a, b| a.company_id == b.company_id) {
            app.check_company_visible(actor, fields.company_id).await?;
        }
        if changed(|a, b| a.person_id == b.person_id)
            && let Some(person) = fields.person_id
        {
            match app.store.scoped(actor).get::<People>(person).await {
                Ok(_) => {}
                Err(StoreError::NotFound) => {
                    return Err(Error::field("person_id", "invalid-person").into());
                }
                Err(other) => return Err(other.into()),
            }
        }
        Ok(())
    }

    /// Stages, pipelines, reasons and linked records are named in the history by their names
    /// at the time of the change.
    async fn name_links(app: &App, changes: &mut [AuditChange]) -> AppResult<()> {
        let pipelines = app.store.pipelines().await?;
        let reasons = app.store.lost_reasons().await?;
        for change in changes.iter_mut() {
            for value in [&mut change.from, &mut change.to] {
                let Ok(id) = value.parse::<i64>() else {
                    continue;
                };
                let name = match change.field.as_str() {
                    "pipeline_id" => pipelines
                        .iter()
                        .find(|p| p.id == id)
                        .map(|p| p.name.clone()),
                    "stage_id" => pipelines
                        .iter()
                        .flat_map(|p| &p.stages)
                        .find(|s| s.id == id)
                        .map(|s| s.name.clone()),
                    "lost_reason_id" => reasons.iter().find(|r| r.id == id).map(|r| r.name.clone()),
                    "company_id" => Some(app.company_name(CompanyId(id)).await?),
                    "person_id" => Some(app.person_name(PersonId(id)).await?),
                    _ => continue,
                };
                *value = name.unwrap_or_else(|| format!("#{id}"));
            }
        }
        Ok(())
    }
}

/// A move of a deal to another stage (a drop on the board). A lost stage needs a reason; a
/// won stage may set the final amount and the close date in the same step.
#[derive(Debug, Clone, Default)]
pub struct StageMove {
    pub stage_id: i64,
    pub lost_reason_id: Option<i64>,
    pub lost_note: Option<String>,
    /// A decimal amount as typed, and its currency (the deal's when `None`).
    pub amount: Option<String>,
    pub currency: Option<String>,
    /// `YYYY-MM-DD`.
    pub expected_close: Option<String>,
    pub version: Option<i64>,
}

/// A card of the board.
#[derive(Debug, Clone)]
pub struct BoardCard {
    pub deal: Deal,
    /// The company's name, else the person's (as far as the actor can see them).
    pub party: String,
    /// The probability it closes (its own or its stage's).
    pub probability: u8,
    /// Longer in its open stage than the stage allows.
    pub rotting: bool,
}

/// A stage's column: its cards (the most recently changed first) and its totals in TRY.
#[derive(Debug, Clone)]
pub struct BoardColumn {
    pub stage: Stage,
    pub cards: Vec<BoardCard>,
    /// Every deal of the stage the actor can see (more than the cards shown, maybe).
    pub count: i64,
    /// The sum of the priced deals, in kuruş.
    pub total_minor: i64,
    /// The sum weighted by each deal's probability, in kuruş.
    pub weighted_minor: i64,
    /// Deals counted but not in the sums: no amount, or no rate for their currency.
    pub unpriced: i64,
}

/// A pipeline's board.
#[derive(Debug, Clone)]
pub struct Board {
    pub pipeline: Pipeline,
    pub columns: Vec<BoardColumn>,
    /// The rates used, by currency: `(day, TRY per unit × 10^6)`.
    pub rates: Vec<(String, jiff::civil::Date, i64)>,
    /// Currencies of deals on the board with no rate on or before today.
    pub missing_rates: Vec<String>,
}

/// Cards a column shows unless asked otherwise.
pub const BOARD_CARDS: u64 = 50;

impl App {
    /// Moves a deal to another stage of its pipeline: a lost stage without a reason is
    /// refused and the deal left as it was; a stage that is not lost clears the reason.
    pub async fn move_deal(&self, actor: &Actor, id: DealId, step: StageMove) -> AppResult<Deal> {
        let stages = match self.get::<Deals>(actor, id).await {
            Ok(deal) => self.store.pipeline(deal.fields.pipeline_id).await?.stages,
            Err(e) => return Err(e),
        };
        let lost = stages
            .iter()
            .find(|s| s.id == step.stage_id)
            .is_some_and(|s| s.kind == StageKind::Lost);
        let patch = DealPatch {
            stage_id: Some(step.stage_id.to_string()),
            lost_reason_id: Some(if lost {
                step.lost_reason_id
                    .map(|r| r.to_string())
                    .unwrap_or_default()
            } else {
                String::new()
            }),
            lost_note: if lost {
                step.lost_note
            } else {
                Some(String::new())
            },
            amount: step.amount,
            currency: step.currency,
            expected_close: step.expected_close,
            ..DealPatch::default()
        };
        self.update::<Deals>(actor, id, step.version, patch, OwnershipRequest::default())
            .await
    }

    /// The board of a pipeline: every stage with up to `cards` cards and its totals, over
    /// the deals the actor can see. Amounts in other currencies are converted at the latest
    /// rate on or before today; a deal without an amount or a rate is counted, not summed.
    pub async fn deal_board(
        &self,
        actor: &Actor,
        pipeline_id: i64,
        cards: u64,
    ) -> AppResult<Board> {
        let pipeline = self.store.pipeline(pipeline_id).await?;
        let scoped = self.store.scoped(actor);
        let sums = scoped.stage_sums(pipeline_id).await?;
        let today = self.today();
        let mut book = RateBook::on(today);
        for sum in &sums {
            book.learn(self, &sum.currency).await?;
        }
        let rates = &book.known;
        let mut columns = Vec::with_capacity(pipeline.stages.len());
        let mut stage_deals = Vec::new();
        for stage in &pipeline.stages {
            let deals = scoped.stage_cards(stage.id, cards).await?;
            let mut column = BoardColumn {
                stage: stage.clone(),
                cards: Vec::new(),
                count: 0,
                total_minor: 0,
                weighted_minor: 0,
                unpriced: 0,
            };
            for sum in sums.iter().filter(|s| s.stage_id == stage.id) {
                add_sum(&mut column, sum, stage, rates);
            }
            columns.push(column);
            stage_deals.push(deals);
        }
        let links: Vec<Link> = stage_deals
            .iter()
            .flatten()
            .flat_map(|d| {
                let company = d.fields.company_id.map(|c| Link {
                    record_type: LinkType::Company,
                    record_id: c.0,
                });
                let person = d.fields.person_id.map(|p| Link {
                    record_type: LinkType::Person,
                    record_id: p.0,
                });
                company.into_iter().chain(person)
            })
            .collect();
        let titles = scoped.link_titles(&links).await?;
        for (column, deals) in columns.iter_mut().zip(stage_deals) {
            column.cards = deals
                .into_iter()
                .map(|deal| board_card(deal, &column.stage, &titles, today))
                .collect();
        }
        Ok(Board {
            pipeline,
            columns,
            rates: book.used(),
            missing_rates: book.missing(),
        })
    }
}

/// Adds one group of a stage's deals to its column's totals. Amounts are capped
/// (`deal::MAX_AMOUNT_MINOR`) so that sums fit; they saturate rather than wrap if not.
fn add_sum(
    column: &mut BoardColumn,
    sum: &StageSum,
    stage: &Stage,
    rates: &HashMap<String, Option<(jiff::civil::Date, i64)>>,
) {
    column.count += sum.count;
    column.unpriced += sum.unpriced;
    let priced = sum.count - sum.unpriced;
    let amount = if sum.currency == "TRY" {
        Some(sum.amount_minor)
    } else {
        rates
            .get(&sum.currency)
            .copied()
            .flatten()
            .map(|(_, rate)| to_try(sum.amount_minor, rate).unwrap_or(i64::MAX))
    };
    let Some(amount) = amount else {
        column.unpriced += priced;
        return;
    };
    let probability = i64::from(sum.probability.unwrap_or(stage.probability));
    let weighted = (i128::from(amount) * i128::from(probability) * 2 + 100) / 200;
    column.total_minor = column.total_minor.saturating_add(amount);
    column.weighted_minor = column
        .weighted_minor
        .saturating_add(i64::try_from(weighted).unwrap_or(i64::MAX));
}

fn board_card(
    deal: Deal,
    stage: &Stage,
    titles: &HashMap<Link, String>,
    today: jiff::civil::Date,
) -> BoardCard {
    let title = |record_type, id: Option<i64>| {
        id.and_then(|record_id| {
            titles
                .get(&Link {
                    record_type,
                    record_id,
                })
                .cloned()
        })
    };
    let party = title(LinkType::Company, deal.fields.company_id.map(|c| c.0))
        .or_else(|| title(LinkType::Person, deal.fields.person_id.map(|p| p.0)))
        .unwrap_or_default();
    let rotting = stage.rots(deal.fields.stage_entered_on, today);
    BoardCard {
        probability: deal.fields.probability_or(stage.probability),
        party,
        rotting,
        deal,
    }
}
