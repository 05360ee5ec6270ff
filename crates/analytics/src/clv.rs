//! Customer lifetime value from the fitted BG/NBD (how many purchases) and Gamma-Gamma (how
//! much each) models, as a discounted cash flow over weekly or monthly steps.
//!
//! Owns the discounting convention; the models own their expectations. For the simple
//! "average order value × frequency × lifespan" CLV see `metrics`.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::bgnbd::{BgNbdParams, Observation};
use crate::gamma_gamma::{GammaGammaParams, SpendObservation};
use crate::{AnalyticsError, summary::CustomerSummary};

/// Weeks in a year: 365.25 days / 7. Time in the models is in weeks.
pub const WEEKS_PER_YEAR: f64 = 365.25 / 7.0;

/// Length of one discounting step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum CashFlowStep {
    /// One week.
    #[default]
    Weekly,
    /// One twelfth of a year (365.25 / 12 days ≈ 4.35 weeks).
    Monthly,
}

impl CashFlowStep {
    /// The step in weeks.
    pub fn weeks(self) -> f64 {
        match self {
            Self::Weekly => 1.0,
            Self::Monthly => WEEKS_PER_YEAR / 12.0,
        }
    }
}

/// How far ahead to look and how to discount.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ClvOptions {
    /// Horizon in weeks from the calibration end.
    pub horizon_weeks: f64,
    /// Yearly discount rate, e.g. 0.1 for 10 %; converted to each step by compounding.
    pub annual_discount_rate: f64,
    /// Step of the cash-flow sum.
    pub step: CashFlowStep,
    /// Share of revenue kept as profit (1.0 for revenue CLV).
    pub margin: f64,
}

/// One customer's value estimate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CustomerValue {
    /// The caller's customer index.
    pub customer: u32,
    /// P(alive) at the calibration end.
    pub p_alive: f64,
    /// Expected purchases within the horizon.
    pub expected_purchases: f64,
    /// Expected value of one future transaction (Gamma-Gamma).
    pub expected_average_value: f64,
    /// Discounted expected value of the purchases within the horizon, times the margin.
    pub clv: f64,
}

/// Step end points t₁ < … < t_K = horizon, each a whole step except possibly the last.
fn step_ends(options: &ClvOptions) -> Result<Vec<f64>, AnalyticsError> {
    if !(options.horizon_weeks.is_finite() && options.horizon_weeks >= 0.0) {
        return Err(AnalyticsError::invalid(
            "horizon_weeks",
            "must be a non-negative number",
        ));
    }
    if !(options.annual_discount_rate.is_finite() && options.annual_discount_rate > -1.0) {
        return Err(AnalyticsError::invalid(
            "annual_discount_rate",
            "must be a number above -1",
        ));
    }
    if !(options.margin.is_finite() && options.margin >= 0.0) {
        return Err(AnalyticsError::invalid(
            "margin",
            "must be a non-negative number",
        ));
    }
    let step = options.step.weeks();
    let count = (options.horizon_weeks / step - 1e-9).ceil().max(0.0) as usize;
    Ok((1..=count)
        .map(|k| (k as f64 * step).min(options.horizon_weeks))
        .collect())
}

/// CLVᵢ = margin × E[Zᵢ] × Σₖ (E[Yᵢ(tₖ)] − E[Yᵢ(tₖ₋₁)]) × (1 + R)^(−tₖ / 52.18):
/// the purchases expected in each step are valued at the customer's expected transaction
/// value and discounted from the end of the step at the annual rate R.
pub fn customer_lifetime_values(
    purchases: &BgNbdParams,
    spend: &GammaGammaParams,
    summaries: &[CustomerSummary],
    options: &ClvOptions,
) -> Result<Vec<CustomerValue>, AnalyticsError> {
    let ends = step_ends(options)?;
    let discounts: Vec<f64> = ends
        .iter()
        .map(|t| (1.0 + options.annual_discount_rate).powf(-t / WEEKS_PER_YEAR))
        .collect();
    // Customers sharing (x, t_x, T) share every purchase expectation: compute each once.
    let mut index: HashMap<(u32, u64, u64), usize> = HashMap::new();
    let mut distinct: Vec<Observation> = Vec::new();
    let slots: Vec<usize> = summaries
        .iter()
        .map(|s| {
            let o = Observation::from(s);
            *index
                .entry((o.frequency, o.recency.to_bits(), o.age.to_bits()))
                .or_insert_with(|| {
                    distinct.push(o);
                    distinct.len() - 1
                })
        })
        .collect();
    let flows: Vec<(f64, f64)> = distinct
        .par_iter()
        .map(|o| -> Result<(f64, f64), AnalyticsError> {
            let mut previous = 0.0;
            let mut discounted = 0.0;
            for (t, d) in ends.iter().zip(&discounts) {
                let cumulative = purchases.conditional_expected_purchases(o, *t)?;
                discounted += (cumulative - previous) * d;
                previous = cumulative;
            }
            Ok((previous, discounted))
        })
        .collect::<Result<_, _>>()?;
    summaries
        .iter()
        .zip(slots)
        .map(|(s, slot)| {
            let value = spend.expected_average_value(&SpendObservation::from(s))?;
            let (expected_purchases, discounted) = flows[slot];
            Ok(CustomerValue {
                customer: s.customer,
                p_alive: purchases.p_alive(&Observation::from(s)),
                expected_purchases,
                expected_average_value: value,
                clv: options.margin * value * discounted,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn customer(frequency: u32, recency: f64, age: f64, monetary_value: f64) -> CustomerSummary {
        CustomerSummary {
            customer: 0,
            first_purchase: date(2024, 1, 1),
            frequency,
            recency,
            age,
            monetary_value,
            frequency_holdout: 0,
            monetary_holdout_total: 0.0,
        }
    }

    const BG: BgNbdParams = BgNbdParams {
        r: 0.242595,
        alpha: 4.413603,
        a: 0.792922,
        b: 2.425906,
    };
    const GG: GammaGammaParams = GammaGammaParams {
        p: 6.24957,
        q: 3.74422,
        gamma: 15.44352,
    };

    #[test]
    fn undiscounted_clv_is_expected_purchases_times_expected_value() {
        let s = [customer(2, 30.43, 38.86, 22.35)];
        let options = ClvOptions {
            horizon_weeks: 39.0,
            annual_discount_rate: 0.0,
            step: CashFlowStep::Weekly,
            margin: 1.0,
        };
        let v = customer_lifetime_values(&BG, &GG, &s, &options).unwrap()[0];
        assert!((v.expected_purchases - 1.226).abs() < 1e-3, "{v:?}");
        assert!(
            (v.clv - v.expected_purchases * v.expected_average_value).abs() < 1e-9,
            "{v:?}"
        );
    }

    #[test]
    fn discounting_and_margin_lower_clv_and_monthly_steps_discount_less_finely() {
        let s = [customer(5, 20.0, 30.0, 40.0)];
        let base = ClvOptions {
            horizon_weeks: 52.0,
            annual_discount_rate: 0.0,
            step: CashFlowStep::Weekly,
            margin: 1.0,
        };
        let flat = customer_lifetime_values(&BG, &GG, &s, &base).unwrap()[0].clv;
        let weekly = customer_lifetime_values(
            &BG,
            &GG,
            &s,
            &ClvOptions {
                annual_discount_rate: 0.2,
                ..base
            },
        )
        .unwrap()[0]
            .clv;
        let monthly = customer_lifetime_values(
            &BG,
            &GG,
            &s,
            &ClvOptions {
                annual_discount_rate: 0.2,
                step: CashFlowStep::Monthly,
                ..base
            },
        )
        .unwrap()[0]
            .clv;
        let half = customer_lifetime_values(
            &BG,
            &GG,
            &s,
            &ClvOptions {
                margin: 0.5,
                ..base
            },
        )
        .unwrap()[0]
            .clv;
        assert!(
            weekly < flat && monthly < weekly && monthly > 0.9 * weekly,
            "{flat} {weekly} {monthly}"
        );
        assert!((half - flat / 2.0).abs() < 1e-9);
    }

    #[test]
    fn step_ends_cover_the_horizon_with_a_short_last_step() {
        let options = ClvOptions {
            horizon_weeks: 10.0,
            annual_discount_rate: 0.1,
            step: CashFlowStep::Monthly,
            margin: 1.0,
        };
        let ends = step_ends(&options).unwrap();
        assert_eq!(ends.len(), 3);
        assert_eq!(ends[2], 10.0);
        assert!(
            step_ends(&ClvOptions {
                horizon_weeks: -1.0,
                ..options
            })
            .is_err()
        );
    }
}
