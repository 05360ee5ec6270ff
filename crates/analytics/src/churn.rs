//! Churn risk from the fitted BG/NBD: risk = 1 − P(alive), sorted into bands.
//!
//! Owns the band thresholds; the probability comes from `bgnbd`. For the book-keeping churn
//! *rate* of a period see `metrics`.

use serde::Serialize;

use crate::bgnbd::{BgNbdParams, Observation};
use crate::{AnalyticsError, summary::CustomerSummary};

/// Risk band of a customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskBand {
    /// Risk below the `medium` threshold.
    Low,
    /// Risk at or above `medium` and below `high`.
    Medium,
    /// Risk at or above `high`.
    High,
}

/// Band thresholds on the risk 1 − P(alive). Defaults: medium from 0.3, high from 0.7.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RiskBands {
    /// Lowest risk counted as medium.
    pub medium: f64,
    /// Lowest risk counted as high.
    pub high: f64,
}

impl Default for RiskBands {
    fn default() -> Self {
        Self {
            medium: 0.3,
            high: 0.7,
        }
    }
}

impl RiskBands {
    /// Band of a risk value.
    pub fn band(&self, risk: f64) -> RiskBand {
        if risk >= self.high {
            RiskBand::High
        } else if risk >= self.medium {
            RiskBand::Medium
        } else {
            RiskBand::Low
        }
    }
}

/// One customer's churn risk.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ChurnRisk {
    /// The caller's customer index.
    pub customer: u32,
    /// P(alive) at the calibration end.
    pub p_alive: f64,
    /// 1 − P(alive).
    pub risk: f64,
    /// Band of the risk.
    pub band: RiskBand,
}

/// Churn risk of every customer.
pub fn churn_risks(
    params: &BgNbdParams,
    summaries: &[CustomerSummary],
    bands: &RiskBands,
) -> Result<Vec<ChurnRisk>, AnalyticsError> {
    if !(0.0..=1.0).contains(&bands.medium) || !(bands.medium..=1.0).contains(&bands.high) {
        return Err(AnalyticsError::invalid(
            "bands",
            "need 0 <= medium <= high <= 1",
        ));
    }
    Ok(summaries
        .iter()
        .map(|s| {
            let p_alive = params.p_alive(&Observation::from(s));
            let risk = 1.0 - p_alive;
            ChurnRisk {
                customer: s.customer,
                p_alive,
                risk,
                band: bands.band(risk),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_include_their_lower_threshold() {
        let b = RiskBands::default();
        assert_eq!(
            [
                b.band(0.0),
                b.band(0.29),
                b.band(0.3),
                b.band(0.69),
                b.band(0.7),
                b.band(1.0)
            ],
            [
                RiskBand::Low,
                RiskBand::Low,
                RiskBand::Medium,
                RiskBand::Medium,
                RiskBand::High,
                RiskBand::High
            ]
        );
    }

    #[test]
    fn a_long_silent_frequent_buyer_is_high_risk_and_a_one_time_buyer_is_not() {
        let params = BgNbdParams {
            r: 0.24,
            alpha: 4.41,
            a: 0.79,
            b: 2.43,
        };
        let s = |frequency, recency| crate::summary::CustomerSummary {
            customer: 0,
            first_purchase: jiff::civil::date(2024, 1, 1),
            frequency,
            recency,
            age: 40.0,
            monetary_value: 10.0,
            frequency_holdout: 0,
            monetary_holdout_total: 0.0,
        };
        let risks = churn_risks(&params, &[s(10, 2.0), s(0, 0.0)], &RiskBands::default()).unwrap();
        assert_eq!(risks[0].band, RiskBand::High);
        assert_eq!((risks[1].risk, risks[1].band), (0.0, RiskBand::Low));
        assert!(
            churn_risks(
                &params,
                &[],
                &RiskBands {
                    medium: 0.8,
                    high: 0.2
                }
            )
            .is_err()
        );
    }
}
