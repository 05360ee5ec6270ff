//! Sales pipelines: a named sequence of stages a deal moves through. A stage is open (the
//! deal is being worked), won or lost, and carries the probability a deal in it closes and,
//! for open stages, the age after which a deal in it is "rotting" (untouched too long).
//!
//! A pipeline needs at least one open, one won and one lost stage, so every deal can be
//! worked, won and lost in it. Won stages are certain (100 %) and lost ones hopeless (0 %).

use crate::error::FieldErrors;
use crate::money::is_currency;
use serde::Serialize;

/// The longest pipeline name, in characters.
pub const MAX_NAME: usize = 100;
/// The longest stage name, in characters.
pub const MAX_STAGE_NAME: usize = 60;
/// The most stages one pipeline has.
pub const MAX_STAGES: usize = 30;
/// The longest rotting age, in days (a year).
pub const MAX_ROTTING_DAYS: i64 = 365;

/// What reaching a stage means for a deal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StageKind {
    Open,
    Won,
    Lost,
}

impl StageKind {
    pub fn parse(text: &str) -> Option<StageKind> {
        match text {
            "open" => Some(StageKind::Open),
            "won" => Some(StageKind::Won),
            "lost" => Some(StageKind::Lost),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StageKind::Open => "open",
            StageKind::Won => "won",
            StageKind::Lost => "lost",
        }
    }
}

/// A stage as typed; `id` names a stored stage that is kept (absent: a new one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StageDraft {
    pub id: Option<i64>,
    pub name: String,
    pub kind: String,
    /// 0–100; absent: spread over the open stages, 100 when won, 0 when lost.
    pub probability: Option<i64>,
    /// Open stages only: days without a change after which a deal is rotting.
    pub rotting_days: Option<i64>,
}

/// A pipeline as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PipelineDraft {
    pub name: String,
    /// ISO 4217; empty is TRY.
    pub currency: String,
    pub stages: Vec<StageDraft>,
}

/// A checked stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageFields {
    pub id: Option<i64>,
    pub name: String,
    pub kind: StageKind,
    pub probability: u8,
    pub rotting_days: Option<u32>,
}

/// A checked pipeline: its stages in their order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PipelineFields {
    pub name: String,
    pub currency: String,
    pub stages: Vec<StageFields>,
}

/// A stored stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stage {
    pub id: i64,
    pub name: String,
    pub kind: StageKind,
    pub probability: u8,
    pub rotting_days: Option<u32>,
    pub position: i64,
}

impl Stage {
    /// Whether a deal that entered this stage on `entered` has stood still too long by
    /// `today`: only open stages with a rotting age rot.
    pub fn rots(&self, entered: jiff::civil::Date, today: jiff::civil::Date) -> bool {
        self.kind == StageKind::Open
            && self
                .rotting_days
                .is_some_and(|days| i64::from((today - entered).get_days()) > i64::from(days))
    }
}

/// A stored pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pipeline {
    pub id: i64,
    pub name: String,
    pub currency: String,
    pub position: i64,
    pub stages: Vec<Stage>,
    pub version: i64,
    pub created_at: jiff::Timestamp,
    pub updated_at: jiff::Timestamp,
}

impl Pipeline {
    /// The draft that would store it again (the start of a change).
    pub fn draft(&self) -> PipelineDraft {
        PipelineDraft {
            name: self.name.clone(),
            currency: self.currency.clone(),
            stages: self
                .stages
                .iter()
                .map(|s| StageDraft {
                    id: Some(s.id),
                    name: s.name.clone(),
                    kind: s.kind.as_str().into(),
                    probability: Some(i64::from(s.probability)),
                    rotting_days: s.rotting_days.map(i64::from),
                })
                .collect(),
        }
    }
}

/// The longest lost reason, in characters.
pub const MAX_REASON: usize = 100;

/// Why a deal was lost: one of a list administrators keep. Never deleted, only made
/// inactive, so lost deals keep naming their reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LostReason {
    pub id: i64,
    pub name: String,
    pub position: i64,
    pub active: bool,
}

/// A lost reason's name as typed, checked.
pub fn check_reason(text: &str) -> Result<String, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = check_name(text, MAX_REASON, "name", &mut errors);
    if errors.is_empty() {
        Ok(name)
    } else {
        Err(errors)
    }
}

fn check_name(text: &str, max: usize, field: &str, errors: &mut FieldErrors) -> String {
    let name = text.trim().to_string();
    if name.is_empty() {
        errors.add(field, "invalid-required");
    } else if name.chars().count() > max {
        errors.add(field, "invalid-too-long");
    } else if name.chars().any(char::is_control) {
        errors.add(field, "invalid-control-character");
    }
    name
}

impl PipelineDraft {
    /// Checks every field at once; stage errors are named `stages/<i>/<field>`.
    pub fn validate(&self) -> Result<PipelineFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = check_name(&self.name, MAX_NAME, "name", &mut errors);
        let currency = match self.currency.trim().to_ascii_uppercase() {
            empty if empty.is_empty() => "TRY".to_string(),
            code => {
                if !is_currency(&code) {
                    errors.add("currency", "invalid-currency");
                }
                code
            }
        };
        if self.stages.len() > MAX_STAGES {
            errors.add("stages", "invalid-too-many-stages");
            return Err(errors);
        }
        let kinds: Vec<Option<StageKind>> = self
            .stages
            .iter()
            .map(|s| StageKind::parse(s.kind.trim()))
            .collect();
        let open_count = kinds
            .iter()
            .filter(|k| **k == Some(StageKind::Open))
            .count();
        let mut open_seen = 0;
        let mut names: Vec<String> = Vec::new();
        let mut stages = Vec::new();
        for (index, (draft, kind)) in self.stages.iter().zip(&kinds).enumerate() {
            let at = |field: &str| format!("stages/{index}/{field}");
            let stage_name = check_name(&draft.name, MAX_STAGE_NAME, &at("name"), &mut errors);
            let folded = crate::validate::text::search_key(&stage_name);
            if !folded.is_empty() && names.contains(&folded) {
                errors.add(at("name"), "invalid-stage-name-repeated");
            }
            names.push(folded);
            let Some(kind) = *kind else {
                errors.add(at("kind"), "invalid-unknown-value");
                continue;
            };
            if kind == StageKind::Open {
                open_seen += 1;
            }
            let probability = match (kind, draft.probability) {
                (_, Some(p)) if !(0..=100).contains(&p) => {
                    errors.add(at("probability"), "invalid-percent");
                    0
                }
                (StageKind::Won, Some(p)) if p != 100 => {
                    errors.add(at("probability"), "invalid-stage-probability");
                    100
                }
                (StageKind::Lost, Some(p)) if p != 0 => {
                    errors.add(at("probability"), "invalid-stage-probability");
                    0
                }
                (_, Some(p)) => p as u8,
                (StageKind::Won, None) => 100,
                (StageKind::Lost, None) => 0,
                // Spread evenly: with four open stages, 20, 40, 60, 80.
                (StageKind::Open, None) => (100 * open_seen / (open_count + 1)) as u8,
            };
            let rotting_days = match (kind, draft.rotting_days) {
                (_, None) => None,
                (StageKind::Open, Some(days)) if (1..=MAX_ROTTING_DAYS).contains(&days) => {
                    Some(days as u32)
                }
                (StageKind::Open, Some(_)) => {
                    errors.add(at("rotting_days"), "invalid-rotting-days");
                    None
                }
                (_, Some(_)) => {
                    errors.add(at("rotting_days"), "invalid-rotting-closed-stage");
                    None
                }
            };
            stages.push(StageFields {
                id: draft.id,
                name: stage_name,
                kind,
                probability,
                rotting_days,
            });
        }
        let has = |wanted: StageKind| kinds.contains(&Some(wanted));
        if !(has(StageKind::Open) && has(StageKind::Won) && has(StageKind::Lost)) {
            errors.add("stages", "invalid-stages-incomplete");
        }
        let mut ids: Vec<i64> = self.stages.iter().filter_map(|s| s.id).collect();
        ids.sort_unstable();
        if ids.windows(2).any(|w| w[0] == w[1]) {
            errors.add("stages", "invalid-stage-repeated");
        }
        if errors.is_empty() {
            Ok(PipelineFields {
                name,
                currency,
                stages,
            })
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn stage(name: &str, kind: &str) -> StageDraft {
        StageDraft {
            name: name.into(),
            kind: kind.into(),
            ..StageDraft::default()
        }
    }

    fn sales() -> PipelineDraft {
        PipelineDraft {
            name: "Satış".into(),
            currency: String::new(),
            stages: vec![
                stage("Yeni", "open"),
                stage("Teklif", "open"),
                stage("Pazarlık", "open"),
                stage("Kazanıldı", "won"),
                stage("Kaybedildi", "lost"),
            ],
        }
    }

    fn refused(draft: &PipelineDraft) -> Vec<(String, String)> {
        draft
            .validate()
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn open_stages_get_spread_probabilities_and_closed_ones_certainty() {
        let fields = sales().validate().unwrap();
        assert_eq!(fields.currency, "TRY");
        let probabilities: Vec<u8> = fields.stages.iter().map(|s| s.probability).collect();
        assert_eq!(probabilities, [25, 50, 75, 100, 0]);
    }

    #[test]
    fn a_pipeline_needs_an_open_a_won_and_a_lost_stage() {
        let mut draft = sales();
        draft.stages.truncate(3);
        assert_eq!(
            refused(&draft),
            [(
                "stages".to_string(),
                "invalid-stages-incomplete".to_string()
            )]
        );
    }

    #[test]
    fn each_bad_stage_field_is_named_by_its_pointer() {
        let mut draft = sales();
        draft.name = " ".into();
        draft.currency = "TL".into();
        draft.stages[1].name = "yeni".into();
        draft.stages[2].probability = Some(120);
        draft.stages[3].probability = Some(90);
        draft.stages[4].rotting_days = Some(7);
        draft.stages[0].rotting_days = Some(0);
        draft.stages.push(stage("Beklemede", "paused"));
        let named: Vec<String> = refused(&draft).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            named,
            [
                "name",
                "currency",
                "stages/0/rotting_days",
                "stages/1/name",
                "stages/2/probability",
                "stages/3/probability",
                "stages/4/rotting_days",
                "stages/5/kind",
            ]
        );
    }

    #[test]
    fn a_stored_pipeline_gives_back_the_draft_that_stores_it() {
        let fields = sales().validate().unwrap();
        let stored = Pipeline {
            id: 1,
            name: fields.name.clone(),
            currency: fields.currency.clone(),
            position: 1,
            stages: fields
                .stages
                .iter()
                .enumerate()
                .map(|(i, s)| Stage {
                    id: i as i64 + 10,
                    name: s.name.clone(),
                    kind: s.kind,
                    probability: s.probability,
                    rotting_days: s.rotting_days,
                    position: i as i64,
                })
                .collect(),
            version: 1,
            created_at: jiff::Timestamp::UNIX_EPOCH,
            updated_at: jiff::Timestamp::UNIX_EPOCH,
        };
        let again = stored.draft().validate().unwrap();
        assert_eq!(again.stages.len(), 5);
        assert_eq!(again.stages[0].id, Some(10));
        assert_eq!(again.stages[0].probability, 25);
    }
}
