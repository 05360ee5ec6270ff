//! Deals (opportunities): what a sales team expects to sell, to whom, for how much and by
//! when, moving through the stages of a pipeline. A deal's amount may be in any currency
//! (boards convert it to TRY at the latest rate); its probability is its stage's unless
//! overridden; its forecast category follows the stage kind unless set.
//!
//! Whether the pipeline, stage, lost reason and linked records exist and fit together is the
//! services' check (the domain does not hold them); here every field is read as typed.

use crate::access::RecordKind;
use crate::custom::CustomValues;
use crate::error::FieldErrors;
use crate::fields::{line, names, optional_choice, text};
use crate::ids::{CompanyId, DealId, PersonId};
use crate::kind::Kind;
use crate::money::{Money, is_currency};
use crate::party::{Ownership, RecordMeta, normalize_tags};
use crate::pipeline::StageKind;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The longest deal name, in characters.
pub const MAX_NAME: usize = 200;
/// The longest note on why a deal was lost, in characters.
pub const MAX_LOST_NOTE: usize = 1_000;
/// The largest amount, in minor units (a hundred billion): a board's sum of a hundred
/// thousand such deals still fits.
pub const MAX_AMOUNT_MINOR: i64 = 10_000_000_000_000;
/// The longest notes, in characters.
pub const MAX_NOTES: usize = 10_000;

names! {
    /// Where a deal counts in the forecast.
    ForecastCategory {
        Pipeline = "pipeline", BestCase = "best_case", Commit = "commit", Closed = "closed",
        Omitted = "omitted",
    }
}

impl ForecastCategory {
    /// The category a deal in a stage of this kind has unless set.
    pub fn of_stage(kind: StageKind) -> ForecastCategory {
        match kind {
            StageKind::Open => ForecastCategory::Pipeline,
            StageKind::Won => ForecastCategory::Closed,
            StageKind::Lost => ForecastCategory::Omitted,
        }
    }
}

/// Validated deal content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealFields {
    pub name: String,
    pub pipeline_id: i64,
    pub stage_id: i64,
    pub amount: Option<Money>,
    /// Overrides the stage's probability (percent).
    pub probability: Option<u8>,
    pub expected_close: Option<Date>,
    pub person_id: Option<PersonId>,
    pub company_id: Option<CompanyId>,
    pub lost_reason_id: Option<i64>,
    pub lost_note: String,
    /// Overrides the category of the stage's kind.
    pub forecast_category: Option<ForecastCategory>,
    /// The day the deal entered its stage (how long it has stood still, for rotting).
    pub stage_entered_on: Date,
    /// The lead it was converted from (`person:12`, `company:3`), when it was.
    pub converted_from: Option<String>,
    pub tags: Vec<String>,
    pub notes: String,
    #[serde(default)]
    pub custom: CustomValues,
}

impl DealFields {
    /// The probability it closes: its own, else its stage's.
    pub fn probability_or(&self, stage_probability: u8) -> u8 {
        self.probability.unwrap_or(stage_probability)
    }
}

/// A stored deal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deal {
    pub id: DealId,
    pub fields: DealFields,
    pub ownership: Ownership,
    pub meta: RecordMeta,
}

/// A deal as typed: every field raw, ready to re-display with errors.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealForm {
    pub name: String,
    pub pipeline_id: String,
    pub stage_id: String,
    /// A decimal amount (`1.250,50` or `1250.50`); empty: not known yet.
    pub amount: String,
    pub currency: String,
    /// Percent; empty: the stage's.
    pub probability: String,
    pub expected_close: String,
    pub person_id: String,
    pub company_id: String,
    pub lost_reason_id: String,
    pub lost_note: String,
    pub forecast_category: String,
    /// Kept out of the history: the stage change itself is written there.
    #[serde(skip)]
    pub stage_entered_on: String,
    /// Set by a conversion only (no form or request offers it).
    pub converted_from: String,
    pub tags: Vec<String>,
    pub notes: String,
    #[serde(default)]
    pub custom: CustomValues,
}

/// The fields a request mentions; `None` keeps the current value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealPatch {
    pub name: Option<String>,
    pub pipeline_id: Option<String>,
    pub stage_id: Option<String>,
    pub amount: Option<String>,
    pub currency: Option<String>,
    pub probability: Option<String>,
    pub expected_close: Option<String>,
    pub person_id: Option<String>,
    pub company_id: Option<String>,
    pub lost_reason_id: Option<String>,
    pub lost_note: Option<String>,
    pub forecast_category: Option<String>,
    pub tags: Option<Vec<String>>,
    pub notes: Option<String>,
    /// The lead a conversion makes the deal from; no form or request sets it.
    pub converted_from: Option<String>,
    #[serde(default)]
    pub custom: Option<serde_json::Map<String, serde_json::Value>>,
}

impl DealForm {
    pub fn blank() -> DealForm {
        DealForm {
            currency: "TRY".into(),
            ..DealForm::default()
        }
    }

    /// Overlays a patch. A new stage restarts the deal's time in stage.
    pub fn apply(&mut self, patch: DealPatch) {
        if let Some(stage) = &patch.stage_id
            && stage.trim() != self.stage_id.trim()
        {
            self.stage_entered_on.clear();
        }
        crate::fields::put_given!(patch => self:
            name, pipeline_id, stage_id, amount, currency, probability, expected_close,
            person_id, company_id, lost_reason_id, lost_note, forecast_category, tags, notes,
            converted_from,
        );
    }

    /// Checks every field; a deal entering its stage today when none is recorded.
    pub fn validate(&self, today: Date) -> Result<DealFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = line(&mut errors, "name", &self.name, MAX_NAME).unwrap_or_default();
        if name.is_empty() && errors.get("name").is_none() {
            errors.add("name", "invalid-required");
        }
        let pipeline_id = required_id(&mut errors, "pipeline_id", &self.pipeline_id);
        let stage_id = required_id(&mut errors, "stage_id", &self.stage_id);
        let currency = match self.currency.trim().to_ascii_uppercase() {
            empty if empty.is_empty() => "TRY".to_string(),
            code => {
                if !is_currency(&code) {
                    errors.add("currency", "invalid-currency");
                }
                code
            }
        };
        let amount = if self.amount.trim().is_empty() {
            None
        } else {
            match Money::parse(&self.amount, &currency) {
                Ok(money) if money.minor < 0 => {
                    errors.add("amount", "invalid-negative");
                    None
                }
                Ok(money) if money.minor > MAX_AMOUNT_MINOR => {
                    errors.add("amount", "invalid-amount-too-large");
                    None
                }
                Ok(money) => Some(money),
                Err(invalid) => {
                    errors.add("amount", invalid.code());
                    None
                }
            }
        };
        let probability = match self.probability.trim() {
            "" => None,
            typed => match typed.trim_end_matches('%').trim().parse::<u8>() {
                Ok(p) if p <= 100 => Some(p),
                _ => {
                    errors.add("probability", "invalid-probability");
                    None
                }
            },
        };
        let expected_close = optional_date(&mut errors, "expected_close", &self.expected_close);
        let stage_entered_on = match self.stage_entered_on.trim() {
            "" => today,
            typed => typed.parse().unwrap_or(today),
        };
        let person_id = optional_id(&mut errors, "person_id", &self.person_id).map(PersonId);
        let company_id = optional_id(&mut errors, "company_id", &self.company_id).map(CompanyId);
        let lost_reason_id = optional_id(&mut errors, "lost_reason_id", &self.lost_reason_id);
        let lost_note =
            text(&mut errors, "lost_note", &self.lost_note, MAX_LOST_NOTE).unwrap_or_default();
        let forecast_category = optional_choice(
            &mut errors,
            "forecast_category",
            &self.forecast_category,
            ForecastCategory::parse,
        );
        let tags = normalize_tags(&mut errors, "tags", &self.tags);
        let notes = text(&mut errors, "notes", &self.notes, MAX_NOTES).unwrap_or_default();
        let converted_from = match self.converted_from.trim() {
            "" => None,
            lead => {
                let valid = lead.split_once(':').is_some_and(|(kind, id)| {
                    matches!(kind, "person" | "company") && id.parse::<i64>().is_ok_and(|id| id > 0)
                });
                if !valid {
                    errors.add("converted_from", "invalid-unknown-record");
                }
                Some(lead.to_string())
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(DealFields {
            name,
            pipeline_id: pipeline_id.unwrap_or_default(),
            stage_id: stage_id.unwrap_or_default(),
            amount,
            probability,
            expected_close,
            person_id,
            company_id,
            lost_reason_id,
            lost_note,
            forecast_category,
            stage_entered_on,
            converted_from,
            tags,
            notes,
            custom: self.custom.clone(),
        })
    }
}

fn optional_id(errors: &mut FieldErrors, field: &str, input: &str) -> Option<i64> {
    let input = input.trim();
    if input.is_empty() {
        return None;
    }
    match input.parse::<i64>() {
        Ok(id) if id > 0 => Some(id),
        _ => {
            errors.add(field, "invalid-unknown-record");
            None
        }
    }
}

fn required_id(errors: &mut FieldErrors, field: &str, input: &str) -> Option<i64> {
    if input.trim().is_empty() {
        errors.add(field, "invalid-required");
        return None;
    }
    optional_id(errors, field, input)
}

fn optional_date(errors: &mut FieldErrors, field: &str, input: &str) -> Option<Date> {
    let input = input.trim();
    if input.is_empty() {
        return None;
    }
    match input.parse::<Date>() {
        Ok(date) if (1900..=2999).contains(&date.year()) => Some(date),
        _ => {
            errors.add(field, "invalid-close-date");
            None
        }
    }
}

impl From<&DealFields> for DealForm {
    fn from(f: &DealFields) -> DealForm {
        let id = |id: Option<i64>| id.map(|id| id.to_string()).unwrap_or_default();
        DealForm {
            name: f.name.clone(),
            pipeline_id: f.pipeline_id.to_string(),
            stage_id: f.stage_id.to_string(),
            amount: f
                .amount
                .as_ref()
                .map(Money::to_decimal_string)
                .unwrap_or_default(),
            currency: f
                .amount
                .as_ref()
                .map(|m| m.currency.clone())
                .unwrap_or_else(|| "TRY".into()),
            probability: f.probability.map(|p| p.to_string()).unwrap_or_default(),
            expected_close: f.expected_close.map(|d| d.to_string()).unwrap_or_default(),
            person_id: id(f.person_id.map(|p| p.0)),
            company_id: id(f.company_id.map(|c| c.0)),
            lost_reason_id: id(f.lost_reason_id),
            lost_note: f.lost_note.clone(),
            forecast_category: f
                .forecast_category
                .map(|c| c.as_str().to_string())
                .unwrap_or_default(),
            stage_entered_on: f.stage_entered_on.to_string(),
            converted_from: f.converted_from.clone().unwrap_or_default(),
            tags: f.tags.clone(),
            notes: f.notes.clone(),
            custom: f.custom.clone(),
        }
    }
}

/// The deal kind (opportunities).
pub struct Deals;

/// The built-in filters of a deal list.
const DEAL_FILTERS: &[&str] = &[
    "name",
    "owner_id",
    "team_id",
    "tag",
    "created_at",
    "company_id",
    "pipeline_id",
    "stage_id",
];

impl Kind for Deals {
    const ACCESS: RecordKind = RecordKind::Deal;
    const TYPE: &'static str = "deal";
    const FILTERS: &'static [&'static str] = DEAL_FILTERS;
    const SORTS: &'static [&'static str] = &["name", "created_at", "updated_at"];
    type Id = DealId;
    type Fields = DealFields;
    type Form = DealForm;
    type Patch = DealPatch;
    type Record = Deal;

    fn id(raw: i64) -> DealId {
        DealId(raw)
    }
    fn raw(id: DealId) -> i64 {
        id.0
    }
    fn blank() -> DealForm {
        DealForm::blank()
    }
    fn apply(form: &mut DealForm, patch: DealPatch) {
        form.apply(patch);
    }
    fn validate(form: &DealForm, today: Date) -> Result<DealFields, FieldErrors> {
        form.validate(today)
    }
    fn tags_patch(tags: Vec<String>) -> DealPatch {
        DealPatch {
            tags: Some(tags),
            ..DealPatch::default()
        }
    }
    fn record_id(record: &Deal) -> DealId {
        record.id
    }
    fn fields(record: &Deal) -> &DealFields {
        &record.fields
    }
    fn ownership(record: &Deal) -> Ownership {
        record.ownership
    }
    fn meta(record: &Deal) -> &RecordMeta {
        &record.meta
    }
    fn title(record: &Deal) -> String {
        record.fields.name.clone()
    }
    fn subtitle(record: &Deal) -> Option<String> {
        record.fields.amount.as_ref().map(|m| {
            let whole = m.minor / 100;
            format!("{whole} {}", m.currency)
        })
    }
    fn tags(fields: &DealFields) -> &[String] {
        &fields.tags
    }
    fn custom(fields: &DealFields) -> &CustomValues {
        &fields.custom
    }
    fn take_custom(patch: &mut DealPatch) -> Option<serde_json::Map<String, serde_json::Value>> {
        patch.custom.take()
    }
    fn custom_patch(values: serde_json::Map<String, serde_json::Value>) -> DealPatch {
        DealPatch {
            custom: Some(values),
            ..DealPatch::default()
        }
    }
    fn set_custom(form: &mut DealForm, values: CustomValues) {
        form.custom = values;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn today() -> Date {
        jiff::civil::date(2026, 12, 5)
    }

    fn form() -> DealForm {
        let mut form = DealForm::blank();
        form.apply(DealPatch {
            name: Some("Yıllık bakım sözleşmesi".into()),
            pipeline_id: Some("1".into()),
            stage_id: Some("2".into()),
            amount: Some("125.000,50".into()),
            ..DealPatch::default()
        });
        form
    }

    #[test]
    fn a_typed_deal_is_read_with_its_defaults() {
        let fields = form().validate(today()).unwrap();
        assert_eq!(fields.amount.as_ref().unwrap().minor, 12_500_050);
        assert_eq!(fields.amount.as_ref().unwrap().currency, "TRY");
        assert_eq!(fields.probability, None);
        assert_eq!(fields.probability_or(25), 25);
        assert_eq!(fields.stage_entered_on, today());
        let again = DealForm::from(&form().validate(today()).unwrap());
        assert_eq!(
            again.validate(today()).unwrap(),
            form().validate(today()).unwrap()
        );
    }

    #[test]
    fn every_wrong_field_is_named_at_once() {
        let mut form = DealForm::blank();
        form.apply(DealPatch {
            amount: Some("-5".into()),
            currency: Some("XYZ".into()),
            probability: Some("140".into()),
            expected_close: Some("2026-13-01".into()),
            person_id: Some("abc".into()),
            forecast_category: Some("maybe".into()),
            ..DealPatch::default()
        });
        let errors = form.validate(today()).unwrap_err();
        for field in [
            "name",
            "pipeline_id",
            "stage_id",
            "currency",
            "probability",
            "expected_close",
            "person_id",
            "forecast_category",
        ] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
    }

    #[test]
    fn a_new_stage_restarts_the_time_in_stage_and_the_same_one_keeps_it() {
        let mut stored = DealForm::from(&form().validate(jiff::civil::date(2026, 11, 1)).unwrap());
        stored.apply(DealPatch {
            stage_id: Some("2".into()),
            ..DealPatch::default()
        });
        assert_eq!(
            stored.validate(today()).unwrap().stage_entered_on,
            jiff::civil::date(2026, 11, 1)
        );
        stored.apply(DealPatch {
            stage_id: Some("3".into()),
            ..DealPatch::default()
        });
        assert_eq!(stored.validate(today()).unwrap().stage_entered_on, today());
    }

    #[test]
    fn the_forecast_category_follows_the_stage_kind() {
        assert_eq!(
            ForecastCategory::of_stage(StageKind::Won),
            ForecastCategory::Closed
        );
        assert_eq!(
            ForecastCategory::of_stage(StageKind::Open),
            ForecastCategory::Pipeline
        );
    }
}
