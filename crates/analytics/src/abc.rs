//! ABC (Pareto) classification by revenue share, top-N % customers, declining customers and
//! lapsed customers.
//!
//! Owns the boundary rules (documented on each function). Orders are purchase days and
//! revenue is the sum of amounts, as in `rfm`.

use jiff::civil::Date;
use serde::Serialize;

use crate::orders::customer_orders;
use crate::{AnalyticsError, Transaction, dates::day_number};

/// ABC class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum AbcClass {
    /// The customers making the first `a` share of revenue.
    A,
    /// The next customers, up to the `b` cumulative share.
    B,
    /// The rest.
    C,
}

/// Cumulative revenue shares closing classes A and B. Default: A = 80 %, B = 95 % (the next 15 %).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AbcThresholds {
    /// Cumulative share closing class A.
    pub a: f64,
    /// Cumulative share closing class B.
    pub b: f64,
}

impl Default for AbcThresholds {
    fn default() -> Self {
        Self { a: 0.8, b: 0.95 }
    }
}

/// A customer's ABC class with the figures behind it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AbcRow {
    /// The caller's customer index.
    pub customer: u32,
    /// Revenue in the range.
    pub revenue: f64,
    /// Share of total revenue of this customer and everyone ranked before them.
    pub cumulative_share: f64,
    /// The class.
    pub class: AbcClass,
}

/// Ranks customers by revenue (highest first, ties by ascending index) and classifies them.
///
/// Boundary rule: a customer belongs to A when the cumulative share *before* them is below
/// `a`, so the customer who crosses the threshold is still in A and A is the smallest set
/// making at least `a` of revenue; likewise for B. Customers with zero revenue are always C.
pub fn abc_classes(
    revenue: &[(u32, f64)],
    thresholds: AbcThresholds,
) -> Result<Vec<AbcRow>, AnalyticsError> {
    if !(0.0 <= thresholds.a && thresholds.a <= thresholds.b && thresholds.b <= 1.0) {
        return Err(AnalyticsError::invalid(
            "thresholds",
            "need 0 <= a <= b <= 1",
        ));
    }
    if revenue.iter().any(|r| !(r.1.is_finite() && r.1 >= 0.0)) {
        return Err(AnalyticsError::invalid(
            "revenue",
            "must be non-negative numbers",
        ));
    }
    let total: f64 = revenue.iter().map(|r| r.1).sum();
    if revenue.is_empty() || total <= 0.0 {
        return Err(AnalyticsError::Empty("no revenue to classify"));
    }
    let mut ranked = revenue.to_vec();
    ranked.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    let mut before = 0.0;
    Ok(ranked
        .into_iter()
        .map(|(customer, revenue)| {
            let share_before = before / total;
            before += revenue;
            let class = if revenue <= 0.0 {
                AbcClass::C
            } else if share_before < thresholds.a {
                AbcClass::A
            } else if share_before < thresholds.b {
                AbcClass::B
            } else {
                AbcClass::C
            };
            AbcRow {
                customer,
                revenue,
                cumulative_share: before / total,
                class,
            }
        })
        .collect())
}

/// Revenue per customer with a purchase in `[from, to]`, in ascending customer index.
pub fn revenue_by_customer(
    transactions: &[Transaction],
    from: Option<Date>,
    to: Option<Date>,
) -> Result<Vec<(u32, f64)>, AnalyticsError> {
    Ok(customer_orders(transactions, from, to)?
        .into_iter()
        .map(|c| (c.customer, c.revenue))
        .collect())
}

/// The top `percent` % of customers by revenue: ⌈n · percent / 100⌉ customers, ties broken by
/// ascending index (e.g. "the top 5 % by last year's sales").
pub fn top_customers(
    revenue: &[(u32, f64)],
    percent: f64,
) -> Result<Vec<(u32, f64)>, AnalyticsError> {
    if !(0.0..=100.0).contains(&percent) {
        return Err(AnalyticsError::invalid(
            "percent",
            "must be between 0 and 100",
        ));
    }
    let mut ranked = revenue.to_vec();
    ranked.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    let keep = (ranked.len() as f64 * percent / 100.0 - 1e-9)
        .ceil()
        .max(0.0) as usize;
    ranked.truncate(keep);
    Ok(ranked)
}

/// A customer who ordered less in the current period than in the previous one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DecliningCustomer {
    /// The caller's customer index.
    pub customer: u32,
    /// Orders in the previous period.
    pub previous_orders: u32,
    /// Orders in the current period (possibly zero).
    pub current_orders: u32,
}

/// Customers with fewer orders (purchase days) in `current` than in `previous`; each period
/// is an inclusive `(first day, last day)` pair. Customers who stopped entirely are included
/// with zero current orders.
pub fn declining_customers(
    transactions: &[Transaction],
    previous: (Date, Date),
    current: (Date, Date),
) -> Result<Vec<DecliningCustomer>, AnalyticsError> {
    let before = customer_orders(transactions, Some(previous.0), Some(previous.1))?;
    let now = customer_orders(transactions, Some(current.0), Some(current.1))?;
    let mut out = Vec::new();
    let mut j = 0;
    for b in before {
        while j < now.len() && now[j].customer < b.customer {
            j += 1;
        }
        let current_orders = now
            .get(j)
            .filter(|n| n.customer == b.customer)
            .map_or(0, |n| n.orders);
        if current_orders < b.orders {
            out.push(DecliningCustomer {
                customer: b.customer,
                previous_orders: b.orders,
                current_orders,
            });
        }
    }
    Ok(out)
}

/// Customers whose last purchase on or before `as_of` is at least `days` days old, i.e. who
/// have no order within the last `days` days ending on `as_of`, with the days since their
/// last purchase.
pub fn lapsed_customers(
    transactions: &[Transaction],
    as_of: Date,
    days: u32,
) -> Result<Vec<(u32, i32)>, AnalyticsError> {
    let today = day_number(as_of);
    Ok(customer_orders(transactions, None, Some(as_of))?
        .into_iter()
        .map(|c| (c.customer, today - c.last_day))
        .filter(|&(_, since)| i64::from(since) >= i64::from(days))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_customer_crossing_the_a_threshold_is_still_a() {
        let rows = abc_classes(
            &[(0, 50.0), (1, 35.0), (2, 10.0), (3, 5.0)],
            AbcThresholds::default(),
        )
        .unwrap();
        let classes: Vec<_> = rows.iter().map(|r| (r.customer, r.class)).collect();
        // before-shares: 0, 0.5, 0.85, 0.95 → A, A, B, C
        assert_eq!(
            classes,
            [
                (0, AbcClass::A),
                (1, AbcClass::A),
                (2, AbcClass::B),
                (3, AbcClass::C)
            ]
        );
    }

    #[test]
    fn reaching_a_threshold_exactly_closes_the_class() {
        let rows = abc_classes(
            &[(0, 80.0), (1, 15.0), (2, 5.0), (3, 0.0)],
            AbcThresholds::default(),
        )
        .unwrap();
        let classes: Vec<_> = rows.iter().map(|r| r.class).collect();
        assert_eq!(
            classes,
            [AbcClass::A, AbcClass::B, AbcClass::C, AbcClass::C]
        );
        assert!((rows[1].cumulative_share - 0.95).abs() < 1e-12);
        assert!(abc_classes(&[(0, 0.0)], AbcThresholds::default()).is_err());
    }

    #[test]
    fn top_five_percent_of_forty_customers_is_two_and_ties_go_to_the_lower_index() {
        let revenue: Vec<(u32, f64)> = (0..40)
            .map(|i| (i, if i < 3 { 100.0 } else { 1.0 }))
            .collect();
        assert_eq!(
            top_customers(&revenue, 5.0).unwrap(),
            [(0, 100.0), (1, 100.0)]
        );
        assert_eq!(top_customers(&revenue, 0.0).unwrap(), []);
    }

    #[test]
    fn declining_and_lapsed_customers_follow_their_definitions() {
        let t = |customer, d| Transaction {
            customer,
            date: d,
            amount: 1.0,
        };
        let rows = [
            t(0, date(2023, 3, 1)),
            t(0, date(2023, 4, 1)),
            t(0, date(2024, 3, 1)),
            t(1, date(2023, 3, 1)),
            t(1, date(2024, 3, 1)),
            t(2, date(2023, 3, 1)),
        ];
        let previous = (date(2023, 1, 1), date(2023, 12, 31));
        let current = (date(2024, 1, 1), date(2024, 12, 31));
        let declining = declining_customers(&rows, previous, current).unwrap();
        assert_eq!(
            declining,
            [
                DecliningCustomer {
                    customer: 0,
                    previous_orders: 2,
                    current_orders: 1
                },
                DecliningCustomer {
                    customer: 2,
                    previous_orders: 1,
                    current_orders: 0
                }
            ]
        );
        // 2024-03-01 is 30 days before 2024-03-31: lapsed at 30 days, not at 31.
        let as_of = date(2024, 3, 31);
        assert_eq!(
            lapsed_customers(&rows, as_of, 30).unwrap(),
            [(0, 30), (1, 30), (2, 396)]
        );
        assert_eq!(lapsed_customers(&rows, as_of, 31).unwrap(), [(2, 396)]);
    }
}
