//! Sales targets and the forecast they are measured against.
//!
//! A target is what one rep or one team is to reach in a period, by one measure: the amount
//! won, the number of deals won, or the number of new customers (customers whose first won
//! deal closed in the period). The forecast of a period puts beside it what is closed won,
//! what is committed, the best case and the weighted pipeline; a target whose period is
//! not the one viewed counts by the days the two share.

use crate::error::{Error, FieldErrors};
use crate::fields::{names, required_choice};
use crate::ids::{TeamId, UserId};
use crate::money::{Money, is_currency};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The largest target, in minor units or in deals/customers.
pub const MAX_TARGET: i64 = 1_000_000_000_000_000;
/// The longest period a target may cover, in days (a leap year).
pub const MAX_PERIOD_DAYS: i64 = 366;

names! {
    /// What a target measures.
    TargetMetric {
        WonAmount = "won_amount", WonCount = "won_count", NewCustomers = "new_customers",
    }
}

impl TargetMetric {
    /// Whether the target is an amount of money (in its currency) rather than a count.
    pub fn is_amount(self) -> bool {
        self == TargetMetric::WonAmount
    }
}

/// Whose target it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetSubject {
    User(UserId),
    Team(TeamId),
}

/// The days from `start` to `end`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    pub start: Date,
    pub end: Date,
}

names! {
    /// How long a forecast period is.
    PeriodKind { Month = "month", Quarter = "quarter" }
}

impl Period {
    /// The period of this kind that holds `day`.
    pub fn of(kind: PeriodKind, day: Date) -> Period {
        let months = match kind {
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 3,
        };
        let first_month = (day.month() - 1) / months * months + 1;
        let start = Date::new(day.year(), first_month, 1).unwrap_or(day);
        let end = start
            .checked_add(i32::from(months).months())
            .and_then(|next| next.yesterday())
            .unwrap_or(day);
        Period { start, end }
    }

    /// The period of the same kind just before (`-1`) or after (`1`) this one.
    pub fn step(self, kind: PeriodKind, by: i32) -> Period {
        let months = match kind {
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 3,
        };
        let day = self
            .start
            .checked_add((months * by).months())
            .unwrap_or(self.start);
        Period::of(kind, day)
    }

    /// The days it covers.
    pub fn days(self) -> i64 {
        i64::from((self.end - self.start).get_days()) + 1
    }

    /// The days this period and `other` share.
    pub fn overlap_days(self, other: Period) -> i64 {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        if start > end {
            0
        } else {
            Period { start, end }.days()
        }
    }
}

/// A target's validated content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetFields {
    pub period: Period,
    pub subject: TargetSubject,
    pub metric: TargetMetric,
    /// Minor units of `currency` for an amount, else a count.
    pub target: i64,
    /// The currency of an amount; `None` for a count.
    pub currency: Option<String>,
}

impl TargetFields {
    /// The part of this target that falls in `period`: all of it when its period lies
    /// inside, else in proportion to the days they share, rounded half away from zero.
    pub fn share_in(&self, period: Period) -> i64 {
        prorate(self.target, self.period, period)
    }
}

/// `target × shared days / target's days`, rounded half away from zero.
pub fn prorate(target: i64, of: Period, within: Period) -> i64 {
    let shared = i128::from(of.overlap_days(within));
    let days = i128::from(of.days().max(1));
    let share = (i128::from(target) * shared * 2 + days) / (days * 2);
    i64::try_from(share).unwrap_or(i64::MAX)
}

/// A stored target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesTarget {
    pub id: i64,
    pub fields: TargetFields,
    pub version: i64,
}

/// A target as typed: the amount as decimal text (`1.250.000` or `1250000.50`) for the won
/// amount, a whole number for a count.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TargetForm {
    pub period_start: String,
    pub period_end: String,
    pub user_id: String,
    pub team_id: String,
    pub metric: String,
    pub target: String,
    pub currency: String,
}

impl TargetForm {
    /// Reads every field, naming each one that is wrong.
    pub fn parse(&self) -> Result<TargetFields, Error> {
        let mut errors = FieldErrors::new();
        let date = |errors: &mut FieldErrors, field: &str, text: &str| {
            let parsed = text.trim().parse::<Date>().ok();
            if parsed.is_none() {
                let code = if text.trim().is_empty() {
                    "invalid-required"
                } else {
                    "invalid-date"
                };
                errors.add(field, code);
            }
            parsed
        };
        let start = date(&mut errors, "period_start", &self.period_start);
        let end = date(&mut errors, "period_end", &self.period_end);
        let period = match (start, end) {
            (Some(start), Some(end)) if start > end => {
                errors.add("period_end", "invalid-period-order");
                None
            }
            (Some(start), Some(end)) => {
                let period = Period { start, end };
                if period.days() > MAX_PERIOD_DAYS {
                    errors.add("period_end", "invalid-period-too-long");
                }
                Some(period)
            }
            _ => None,
        };
        let id = |errors: &mut FieldErrors, field: &str, text: &str| -> Option<i64> {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            let parsed = text.parse::<i64>().ok().filter(|id| *id > 0);
            if parsed.is_none() {
                errors.add(field, "invalid-unknown-value");
            }
            parsed
        };
        let user = id(&mut errors, "user_id", &self.user_id);
        let team = id(&mut errors, "team_id", &self.team_id);
        let subject = match (user, team) {
            (Some(user), None) => Some(TargetSubject::User(UserId(user))),
            (None, Some(team)) => Some(TargetSubject::Team(TeamId(team))),
            (Some(_), Some(_)) => {
                errors.add("team_id", "invalid-target-subject");
                None
            }
            (None, None) => {
                if errors.get("user_id").is_none() && errors.get("team_id").is_none() {
                    errors.add("user_id", "invalid-target-subject");
                }
                None
            }
        };
        let metric = required_choice(&mut errors, "metric", &self.metric, TargetMetric::parse);
        let (target, currency) = match metric {
            Some(TargetMetric::WonAmount) => {
                let currency = match self.currency.trim() {
                    "" => "TRY".to_string(),
                    code => code.to_ascii_uppercase(),
                };
                if !is_currency(&currency) {
                    errors.add("currency", "invalid-currency");
                }
                let amount = errors.check("target", Money::parse(&self.target, &currency));
                (amount.map(|m| m.minor), Some(currency))
            }
            Some(_) => {
                let text = self.target.trim();
                let count = text.parse::<i64>().ok();
                if count.is_none() {
                    let code = if text.is_empty() {
                        "invalid-required"
                    } else {
                        "invalid-number"
                    };
                    errors.add("target", code);
                }
                (count, None)
            }
            None => (None, None),
        };
        if let Some(target) = target
            && !(0..=MAX_TARGET).contains(&target)
        {
            errors.add("target", "invalid-target-range");
        }
        errors.into_result()?;
        match (period, subject, metric, target) {
            (Some(period), Some(subject), Some(metric), Some(target)) => Ok(TargetFields {
                period,
                subject,
                metric,
                target,
                currency,
            }),
            _ => Err(Error::field("target", "invalid-required")),
        }
    }
}

/// One row of a forecast: a rep, a team or everyone, over one period, amounts in minor
/// units of the forecast's currency (TRY).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForecastLine {
    /// The won-amount target; `None` when no target covers the period.
    pub target: Option<i64>,
    /// Won deals whose close day is in the period.
    pub closed_won: i64,
    /// Open deals expected to close in the period and committed.
    pub commit: i64,
    /// Commit plus the open deals in the best case.
    pub best_case: i64,
    /// Every open deal expected to close in the period, times its probability.
    pub weighted: i64,
    pub won_count: i64,
    pub won_count_target: Option<i64>,
    pub new_customers: i64,
    pub new_customers_target: Option<i64>,
    /// Deals counted but not in the sums: no amount, or no rate for their currency.
    pub unpriced: i64,
}

/// How an open deal counts in the forecast, by its category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenDealCount {
    Commit,
    BestCase,
    Pipeline,
    /// Left out of every figure.
    Omitted,
}

impl OpenDealCount {
    pub fn of(category: crate::deal::ForecastCategory) -> OpenDealCount {
        use crate::deal::ForecastCategory as C;
        match category {
            C::Commit | C::Closed => OpenDealCount::Commit,
            C::BestCase => OpenDealCount::BestCase,
            C::Pipeline => OpenDealCount::Pipeline,
            C::Omitted => OpenDealCount::Omitted,
        }
    }
}

impl ForecastLine {
    /// The target minus what is closed won (negative: the target is passed).
    pub fn gap(&self) -> Option<i64> {
        self.target.map(|t| t.saturating_sub(self.closed_won))
    }

    /// Adds a won deal's amount (in the forecast's currency).
    pub fn add_won(&mut self, amount: i64) {
        self.closed_won = self.closed_won.saturating_add(amount);
    }

    /// Adds an open deal's amount (in the forecast's currency) at its probability.
    pub fn add_open(&mut self, count: OpenDealCount, amount: i64, probability: u8) {
        if count == OpenDealCount::Omitted {
            return;
        }
        if count == OpenDealCount::Commit {
            self.commit = self.commit.saturating_add(amount);
        }
        if matches!(count, OpenDealCount::Commit | OpenDealCount::BestCase) {
            self.best_case = self.best_case.saturating_add(amount);
        }
        let weighted = (i128::from(amount) * i128::from(probability) * 2 + 100) / 200;
        self.weighted = self
            .weighted
            .saturating_add(i64::try_from(weighted).unwrap_or(i64::MAX));
    }

    /// Adds another line's figures to this one (a team's total of its reps); targets add
    /// when either has one.
    pub fn add(&mut self, other: &ForecastLine) {
        let sum = |a: Option<i64>, b: Option<i64>| match (a, b) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0).saturating_add(b.unwrap_or(0))),
        };
        self.target = sum(self.target, other.target);
        self.won_count_target = sum(self.won_count_target, other.won_count_target);
        self.new_customers_target = sum(self.new_customers_target, other.new_customers_target);
        self.closed_won = self.closed_won.saturating_add(other.closed_won);
        self.commit = self.commit.saturating_add(other.commit);
        self.best_case = self.best_case.saturating_add(other.best_case);
        self.weighted = self.weighted.saturating_add(other.weighted);
        self.won_count = self.won_count.saturating_add(other.won_count);
        self.new_customers = self.new_customers.saturating_add(other.new_customers);
        self.unpriced = self.unpriced.saturating_add(other.unpriced);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::deal::ForecastCategory;
    use jiff::civil::date;

    fn period(start: Date, end: Date) -> Period {
        Period { start, end }
    }

    #[test]
    fn months_and_quarters_hold_the_day() {
        let q = Period::of(PeriodKind::Quarter, date(2026, 11, 17));
        assert_eq!(q, period(date(2026, 10, 1), date(2026, 12, 31)));
        assert_eq!(q.days(), 92);
        let m = Period::of(PeriodKind::Month, date(2028, 2, 10));
        assert_eq!(m, period(date(2028, 2, 1), date(2028, 2, 29)));
        assert_eq!(
            q.step(PeriodKind::Quarter, 1),
            period(date(2027, 1, 1), date(2027, 3, 31))
        );
        assert_eq!(
            m.step(PeriodKind::Month, -1),
            period(date(2028, 1, 1), date(2028, 1, 31))
        );
    }

    #[test]
    fn a_target_counts_by_the_days_it_shares() {
        let quarter = period(date(2026, 10, 1), date(2026, 12, 31));
        let october = period(date(2026, 10, 1), date(2026, 10, 31));
        // A quarter's target viewed by month: 31 of 92 days.
        assert_eq!(prorate(92_000, quarter, october), 31_000);
        // A month's target viewed by its quarter: all of it.
        assert_eq!(prorate(5_000, october, quarter), 5_000);
        // No shared day: nothing.
        let january = period(date(2027, 1, 1), date(2027, 1, 31));
        assert_eq!(prorate(5_000, october, january), 0);
        // Half away from zero: 3 × 1/2 = 1.5 → 2.
        let two_days = period(date(2026, 10, 1), date(2026, 10, 2));
        let one_day = period(date(2026, 10, 2), date(2026, 10, 2));
        assert_eq!(prorate(3, two_days, one_day), 2);
    }

    #[test]
    fn a_form_names_every_wrong_field() {
        let form = TargetForm {
            period_start: "2026-12-31".into(),
            period_end: "2026-10-01".into(),
            metric: "revenue".into(),
            ..TargetForm::default()
        };
        let Err(Error::Validation(errors)) = form.parse() else {
            panic!("refused");
        };
        for field in ["period_end", "user_id", "metric"] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
        let amount = TargetForm {
            period_start: "2026-10-01".into(),
            period_end: "2026-12-31".into(),
            user_id: "4".into(),
            metric: "won_amount".into(),
            target: "1.250.000,50".into(),
            ..TargetForm::default()
        }
        .parse()
        .unwrap();
        assert_eq!(amount.target, 125_000_050);
        assert_eq!(amount.currency.as_deref(), Some("TRY"));
        assert_eq!(amount.subject, TargetSubject::User(UserId(4)));
        let count = TargetForm {
            metric: "won_count".into(),
            target: "12".into(),
            team_id: "2".into(),
            user_id: String::new(),
            ..amount_form()
        }
        .parse()
        .unwrap();
        assert_eq!((count.target, count.currency), (12, None));
        let both = TargetForm {
            team_id: "2".into(),
            ..amount_form()
        };
        assert!(both.parse().is_err());
        let too_long = TargetForm {
            period_end: "2027-12-31".into(),
            ..amount_form()
        };
        assert!(too_long.parse().is_err());
    }

    fn amount_form() -> TargetForm {
        TargetForm {
            period_start: "2026-10-01".into(),
            period_end: "2026-12-31".into(),
            user_id: "4".into(),
            metric: "won_amount".into(),
            target: "1000".into(),
            ..TargetForm::default()
        }
    }

    #[test]
    fn open_deals_count_by_their_category() {
        let mut line = ForecastLine {
            target: Some(10_000),
            ..ForecastLine::default()
        };
        line.add_won(4_000);
        line.add_open(OpenDealCount::of(ForecastCategory::Commit), 1_000, 80);
        line.add_open(OpenDealCount::of(ForecastCategory::BestCase), 2_000, 50);
        line.add_open(OpenDealCount::of(ForecastCategory::Pipeline), 3_000, 10);
        line.add_open(OpenDealCount::of(ForecastCategory::Omitted), 9_000, 90);
        assert_eq!(line.commit, 1_000);
        assert_eq!(line.best_case, 3_000);
        assert_eq!(line.weighted, 800 + 1_000 + 300);
        assert_eq!(line.gap(), Some(6_000));
        let mut team = ForecastLine::default();
        team.add(&line);
        team.add(&ForecastLine::default());
        assert_eq!(team.target, Some(10_000));
        assert_eq!(team.won_count_target, None);
    }
}
