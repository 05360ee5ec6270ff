//! RFM analysis: recency, frequency and monetary value per customer as of a date, quintile
//! scores 1–5 and the usual named segments.
//!
//! Owns the tie rule and the segment map (both below, and in docs/analytics.md). Orders are
//! purchase days, as everywhere in this crate.

use jiff::civil::Date;
use serde::Serialize;

use crate::orders::customer_orders;
use crate::{AnalyticsError, Transaction, dates::day_number};

/// Named RFM segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    /// Bought recently, buy often and spend the most.
    Champions,
    /// Buy often and spend well, fairly recently.
    Loyal,
    /// Recent customers with average frequency and spend.
    PotentialLoyalists,
    /// Bought most recently, but not often.
    New,
    /// Recent shoppers who have not spent much.
    Promising,
    /// Average on every axis.
    NeedAttention,
    /// Below average recency and frequency.
    AboutToSleep,
    /// Spent and bought often, but long ago.
    AtRisk,
    /// Made the biggest and most frequent purchases, long ago.
    CantLoseThem,
    /// Last purchase long ago, few orders, little spend.
    Hibernating,
    /// Lowest recency, frequency and monetary scores.
    Lost,
}

impl Segment {
    /// Stable snake_case name used in CSV output.
    pub fn name(self) -> &'static str {
        match self {
            Self::Champions => "champions",
            Self::Loyal => "loyal",
            Self::PotentialLoyalists => "potential_loyalists",
            Self::New => "new",
            Self::Promising => "promising",
            Self::NeedAttention => "need_attention",
            Self::AboutToSleep => "about_to_sleep",
            Self::AtRisk => "at_risk",
            Self::CantLoseThem => "cant_lose_them",
            Self::Hibernating => "hibernating",
            Self::Lost => "lost",
        }
    }

    /// The segment map, on the recency score R and FM = round-half-up((F + M) / 2):
    ///
    /// | R \ FM | 1 | 2 | 3 | 4 | 5 |
    /// |---|---|---|---|---|---|
    /// | 5 | new | potential loyalists | potential loyalists | champions | champions |
    /// | 4 | promising | potential loyalists | potential loyalists | loyal | loyal |
    /// | 3 | about to sleep | about to sleep | need attention | loyal | loyal |
    /// | 2 | hibernating | hibernating | at risk | at risk | can't lose them |
    /// | 1 | lost | hibernating | at risk | at risk | can't lose them |
    pub fn from_scores(r: u8, f: u8, m: u8) -> Self {
        // Scores outside 1–5 are clamped so every input has a segment.
        let (r, fm) = (r.clamp(1, 5), (f.clamp(1, 5) + m.clamp(1, 5)).div_ceil(2));
        match (r, fm) {
            (5, 4 | 5) => Self::Champions,
            (3 | 4, 4 | 5) => Self::Loyal,
            (4 | 5, 2 | 3) => Self::PotentialLoyalists,
            (5, _) => Self::New,
            (4, _) => Self::Promising,
            (3, 3) => Self::NeedAttention,
            (3, _) => Self::AboutToSleep,
            (_, 5) => Self::CantLoseThem,
            (_, 3 | 4) => Self::AtRisk,
            (1, 1) => Self::Lost,
            _ => Self::Hibernating,
        }
    }
}

/// One customer's RFM row.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RfmScore {
    /// The caller's customer index.
    pub customer: u32,
    /// Days from the last purchase to the as-of date.
    pub recency_days: i32,
    /// Number of orders (purchase days) up to the as-of date.
    pub frequency: u32,
    /// Total amount up to the as-of date.
    pub monetary: f64,
    /// Recency score, 5 = most recent.
    pub r_score: u8,
    /// Frequency score, 5 = most orders.
    pub f_score: u8,
    /// Monetary score, 5 = most spent.
    pub m_score: u8,
    /// Named segment from the map in [`Segment::from_scores`].
    pub segment: Segment,
}

/// Quintile scores with the lowest-rank tie rule: score = 1 + ⌊5 · w / n⌋, where w is the
/// number of customers with a strictly worse value. Equal values always get equal scores (the
/// score of the first position the value takes in a worst-to-best ranking), so a value shared
/// by many customers can lift the next value by more than one quintile. `better(a, b)` says
/// whether a is strictly better than b.
pub fn quintile_scores<T: PartialOrd + Copy>(
    values: &[T],
    better: impl Fn(T, T) -> bool,
) -> Vec<u8> {
    let n = values.len();
    let mut order: Vec<usize> = (0..n).collect();
    // Worst first, so "strictly worse" counts are positions of the first equal value.
    order.sort_by(|&i, &j| {
        if better(values[j], values[i]) {
            std::cmp::Ordering::Less
        } else if better(values[i], values[j]) {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    });
    let mut scores = vec![0u8; n];
    let mut worse = 0;
    for (position, &i) in order.iter().enumerate() {
        if position > 0 && better(values[i], values[order[position - 1]]) {
            worse = position;
        }
        scores[i] = 1 + (5 * worse / n) as u8;
    }
    scores
}

/// RFM rows for every customer with a purchase on or before `as_of`, in ascending customer
/// index. Scores are relative to those customers.
pub fn rfm(transactions: &[Transaction], as_of: Date) -> Result<Vec<RfmScore>, AnalyticsError> {
    let customers = customer_orders(transactions, None, Some(as_of))?;
    if customers.is_empty() {
        return Err(AnalyticsError::Empty(
            "no purchase on or before the as-of date",
        ));
    }
    let today = day_number(as_of);
    let recency: Vec<i32> = customers.iter().map(|c| today - c.last_day).collect();
    let frequency: Vec<u32> = customers.iter().map(|c| c.orders).collect();
    let monetary: Vec<f64> = customers.iter().map(|c| c.revenue).collect();
    let r = quintile_scores(&recency, |a, b| a < b);
    let f = quintile_scores(&frequency, |a, b| a > b);
    let m = quintile_scores(&monetary, |a, b| a > b);
    Ok(customers
        .iter()
        .enumerate()
        .map(|(i, c)| RfmScore {
            customer: c.customer,
            recency_days: recency[i],
            frequency: frequency[i],
            monetary: monetary[i],
            r_score: r[i],
            f_score: f[i],
            m_score: m[i],
            segment: Segment::from_scores(r[i], f[i], m[i]),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn quintiles_of_ten_distinct_values_pair_up() {
        let v: Vec<u32> = (1..=10).collect();
        assert_eq!(
            quintile_scores(&v, |a, b| a > b),
            [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
        );
    }

    #[test]
    fn tied_values_share_the_score_of_their_lowest_rank() {
        // Six customers with one order and four with more: the ties all score 1, and the
        // next value starts at rank 6 of 10 → 1 + ⌊5·6/10⌋ = 4.
        let v = [1, 1, 1, 1, 1, 1, 2, 3, 3, 9];
        assert_eq!(
            quintile_scores(&v, |a, b| a > b),
            [1, 1, 1, 1, 1, 1, 4, 4, 4, 5]
        );
        // Everyone equal: everyone gets 1.
        assert_eq!(quintile_scores(&[7, 7, 7], |a, b| a > b), [1, 1, 1]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Scores stay in 1–5, never decrease with a better value, tie for equal values, and
        /// the strictly best value scores 5 whenever it is unique among 5 or more customers.
        #[test]
        fn quintile_scores_are_monotone_and_tie_equal_values(values in proptest::collection::vec(0u32..20, 1..60)) {
            let scores = quintile_scores(&values, |a, b| a > b);
            for (i, &vi) in values.iter().enumerate() {
                proptest::prop_assert!((1..=5).contains(&scores[i]));
                for (j, &vj) in values.iter().enumerate() {
                    if vi > vj {
                        proptest::prop_assert!(scores[i] >= scores[j]);
                    }
                    if vi == vj {
                        proptest::prop_assert_eq!(scores[i], scores[j]);
                    }
                }
            }
            let max = values.iter().copied().max().unwrap_or(0);
            if values.len() >= 5 && values.iter().filter(|&&v| v == max).count() == 1 {
                let best = values.iter().position(|&v| v == max).unwrap();
                proptest::prop_assert_eq!(scores[best], 5);
            }
        }
    }

    #[test]
    fn recency_scores_favour_fewer_days() {
        assert_eq!(
            quintile_scores(&[100, 1, 50, 10, 30], |a, b| a < b),
            [1, 5, 2, 4, 3]
        );
    }

    #[test]
    fn segment_map_covers_every_score_combination_and_matches_the_table() {
        assert_eq!(Segment::from_scores(5, 5, 5), Segment::Champions);
        assert_eq!(Segment::from_scores(5, 1, 1), Segment::New);
        assert_eq!(Segment::from_scores(4, 1, 1), Segment::Promising);
        assert_eq!(Segment::from_scores(3, 3, 3), Segment::NeedAttention);
        assert_eq!(Segment::from_scores(3, 2, 1), Segment::AboutToSleep);
        assert_eq!(Segment::from_scores(3, 5, 4), Segment::Loyal);
        assert_eq!(Segment::from_scores(4, 3, 2), Segment::PotentialLoyalists);
        assert_eq!(Segment::from_scores(2, 4, 3), Segment::AtRisk);
        assert_eq!(Segment::from_scores(1, 5, 5), Segment::CantLoseThem);
        assert_eq!(Segment::from_scores(2, 1, 1), Segment::Hibernating);
        assert_eq!(Segment::from_scores(1, 1, 1), Segment::Lost);
        assert_eq!(Segment::from_scores(1, 2, 2), Segment::Hibernating);
        let mut seen = std::collections::BTreeSet::new();
        for r in 1..=5 {
            for f in 1..=5 {
                for m in 1..=5 {
                    seen.insert(Segment::from_scores(r, f, m));
                }
            }
        }
        assert_eq!(seen.len(), 11);
    }

    #[test]
    fn rfm_counts_purchase_days_up_to_the_as_of_date() {
        let t = |customer, d, amount| Transaction {
            customer,
            date: d,
            amount,
        };
        let rows = [
            t(0, date(2024, 1, 1), 10.0),
            t(0, date(2024, 1, 1), 5.0),
            t(0, date(2024, 3, 1), 20.0),
            t(1, date(2024, 2, 1), 100.0),
            t(1, date(2024, 5, 1), 1.0),
        ];
        let got = rfm(&rows, date(2024, 3, 31)).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(
            (got[0].recency_days, got[0].frequency, got[0].monetary),
            (30, 2, 35.0)
        );
        assert_eq!(
            (got[1].recency_days, got[1].frequency, got[1].monetary),
            (59, 1, 100.0)
        );
        assert_eq!((got[0].r_score, got[0].f_score, got[0].m_score), (3, 3, 1));
        assert_eq!((got[1].r_score, got[1].f_score, got[1].m_score), (1, 1, 3));
        assert!(rfm(&rows, date(2023, 1, 1)).is_err());
    }
}
