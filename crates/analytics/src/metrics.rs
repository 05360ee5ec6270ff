//! The simple customer metrics of the founding documents, each a plain formula: average order
//! value, purchase frequency, customer lifespan, simple CLV, churn and retention rate, CAC,
//! ACV and repeat-purchase rate.
//!
//! Owns these definitions (repeated in docs/analytics.md). Rates are percentages (0–100).
//! Model-based CLV and churn risk live in `clv` and `churn`.

use jiff::civil::Date;
use serde::Serialize;

use crate::orders::customer_orders;
use crate::{AnalyticsError, Transaction, dates::day_number};

fn ratio(name: &'static str, numerator: f64, denominator: f64) -> Result<f64, AnalyticsError> {
    if !(numerator.is_finite() && denominator.is_finite()) || denominator <= 0.0 || numerator < 0.0
    {
        return Err(AnalyticsError::invalid(
            name,
            format!(
                "needs a non-negative numerator and a positive denominator, got {numerator} / {denominator}"
            ),
        ));
    }
    Ok(numerator / denominator)
}

/// Average order value = revenue / orders.
pub fn average_order_value(revenue: f64, orders: u64) -> Result<f64, AnalyticsError> {
    ratio("orders", revenue, orders as f64)
}

/// Purchase frequency = orders / distinct customers (over the same period).
pub fn purchase_frequency(orders: u64, customers: u64) -> Result<f64, AnalyticsError> {
    ratio("customers", orders as f64, customers as f64)
}

/// Customer lifespan implied by a churn rate: 1 / (churn rate / 100), in the churn rate's
/// period (a 20 % yearly churn means customers stay 5 years on average).
pub fn lifespan_from_churn_rate(churn_rate_percent: f64) -> Result<f64, AnalyticsError> {
    ratio("churn_rate", 100.0, churn_rate_percent)
}

/// Simple CLV = average order value × purchase frequency × lifespan × margin − CAC.
/// Frequency and lifespan must use the same period (e.g. orders per year and years);
/// `margin` is 1.0 for revenue CLV, `cac` 0.0 to ignore acquisition cost.
pub fn simple_clv(
    average_order_value: f64,
    purchase_frequency: f64,
    lifespan: f64,
    margin: f64,
    cac: f64,
) -> f64 {
    average_order_value * purchase_frequency * lifespan * margin - cac
}

/// Churn rate = lost customers / customers at period start × 100.
pub fn churn_rate(customers_at_start: u64, lost: u64) -> Result<f64, AnalyticsError> {
    if lost > customers_at_start {
        return Err(AnalyticsError::invalid(
            "lost",
            "cannot exceed the customers at period start",
        ));
    }
    Ok(ratio("customers_at_start", lost as f64, customers_at_start as f64)? * 100.0)
}

/// Retention rate = (customers at end − new customers) / customers at start × 100.
pub fn retention_rate(
    customers_at_start: u64,
    customers_at_end: u64,
    new_customers: u64,
) -> Result<f64, AnalyticsError> {
    let kept = customers_at_end.checked_sub(new_customers).ok_or_else(|| {
        AnalyticsError::invalid("new_customers", "cannot exceed the customers at period end")
    })?;
    Ok(ratio("customers_at_start", kept as f64, customers_at_start as f64)? * 100.0)
}

/// Customer acquisition cost = marketing spend / new customers.
pub fn customer_acquisition_cost(
    marketing_spend: f64,
    new_customers: u64,
) -> Result<f64, AnalyticsError> {
    ratio("new_customers", marketing_spend, new_customers as f64)
}

/// Annual contract value: the mean over contracts of total contract value / contract years.
pub fn annual_contract_value(contracts: &[(f64, f64)]) -> Result<f64, AnalyticsError> {
    if contracts.is_empty() {
        return Err(AnalyticsError::Empty("no contracts"));
    }
    let mut sum = 0.0;
    for &(value, years) in contracts {
        sum += ratio("contract_years", value, years)?;
    }
    Ok(sum / contracts.len() as f64)
}

/// Activity of a customer base over a period, derived from transactions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PeriodMetrics {
    /// Customers with at least one order in the period.
    pub customers: u64,
    /// Orders (purchase days) in the period.
    pub orders: u64,
    /// Sum of amounts in the period.
    pub revenue: f64,
    /// revenue / orders.
    pub average_order_value: f64,
    /// orders / customers.
    pub purchase_frequency: f64,
    /// Customers with two or more orders / customers × 100.
    pub repeat_purchase_rate: f64,
    /// Mean days between a customer's first and last order in the period.
    pub average_observed_lifespan_days: f64,
}

/// Metrics of the inclusive period `[from, to]`.
pub fn period_metrics(
    transactions: &[Transaction],
    from: Date,
    to: Date,
) -> Result<PeriodMetrics, AnalyticsError> {
    let customers = customer_orders(transactions, Some(from), Some(to))?;
    if customers.is_empty() {
        return Err(AnalyticsError::Empty("no order in the period"));
    }
    let n = customers.len() as u64;
    let orders: u64 = customers.iter().map(|c| u64::from(c.orders)).sum();
    let revenue: f64 = customers.iter().map(|c| c.revenue).sum();
    let repeaters = customers.iter().filter(|c| c.orders >= 2).count() as f64;
    let span: f64 = customers
        .iter()
        .map(|c| f64::from(c.last_day - c.first_day))
        .sum();
    Ok(PeriodMetrics {
        customers: n,
        orders,
        revenue,
        average_order_value: average_order_value(revenue, orders)?,
        purchase_frequency: purchase_frequency(orders, n)?,
        repeat_purchase_rate: repeaters / n as f64 * 100.0,
        average_observed_lifespan_days: span / n as f64,
    })
}

/// Churn over a period, from transactions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PeriodChurn {
    /// Customers active at the period start.
    pub customers_at_start: u64,
    /// Of those, customers not active at the period end.
    pub lost: u64,
    /// lost / customers at start × 100.
    pub churn_rate: f64,
    /// 100 − churn rate: the share of the starting customers still active at the end.
    pub retention_rate: f64,
}

/// Churn between `start` and `end` with activity defined by a window: a customer is *active*
/// on a day if they ordered within the `window_days` days before it (the day itself
/// excluded). Customers active on `start` who are not active on `end` are lost; customers
/// acquired during the period are not counted (the retention rate of the founding documents
/// excludes new customers).
pub fn period_churn(
    transactions: &[Transaction],
    start: Date,
    end: Date,
    window_days: u32,
) -> Result<PeriodChurn, AnalyticsError> {
    if window_days == 0 || day_number(end) <= day_number(start) {
        return Err(AnalyticsError::invalid(
            "period",
            "needs start < end and a positive window",
        ));
    }
    let active = |day: Date| -> Result<Vec<u32>, AnalyticsError> {
        let shift = |days: i64| {
            day.checked_sub(jiff::Span::new().days(days))
                .map_err(|e| AnalyticsError::invalid("period", e.to_string()))
        };
        let (first, last) = (shift(i64::from(window_days))?, shift(1)?);
        Ok(customer_orders(transactions, Some(first), Some(last))?
            .into_iter()
            .map(|c| c.customer)
            .collect())
    };
    let at_start = active(start)?;
    let at_end = active(end)?;
    // Both lists come sorted by customer index.
    let lost = at_start
        .iter()
        .filter(|c| at_end.binary_search(c).is_err())
        .count() as u64;
    let customers_at_start = at_start.len() as u64;
    let rate = churn_rate(customers_at_start, lost)?;
    Ok(PeriodChurn {
        customers_at_start,
        lost,
        churn_rate: rate,
        retention_rate: 100.0 - rate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn formulas_follow_the_founding_documents() {
        assert_eq!(average_order_value(1000.0, 40).unwrap(), 25.0);
        assert_eq!(purchase_frequency(40, 10).unwrap(), 4.0);
        assert_eq!(lifespan_from_churn_rate(20.0).unwrap(), 5.0);
        assert_eq!(simple_clv(25.0, 4.0, 5.0, 1.0, 0.0), 500.0);
        assert_eq!(simple_clv(25.0, 4.0, 5.0, 0.3, 50.0), 100.0);
        assert_eq!(churn_rate(200, 30).unwrap(), 15.0);
        assert_eq!(retention_rate(200, 220, 50).unwrap(), 85.0);
        assert_eq!(customer_acquisition_cost(5000.0, 100).unwrap(), 50.0);
        assert_eq!(
            annual_contract_value(&[(30000.0, 3.0), (5000.0, 1.0)]).unwrap(),
            7500.0
        );
    }

    #[test]
    fn impossible_inputs_are_errors_not_infinities() {
        assert!(average_order_value(10.0, 0).is_err());
        assert!(churn_rate(0, 0).is_err());
        assert!(churn_rate(10, 11).is_err());
        assert!(retention_rate(10, 5, 6).is_err());
        assert!(annual_contract_value(&[]).is_err());
    }

    #[test]
    fn period_metrics_count_purchase_days_and_repeaters() {
        let t = |customer, d, amount| Transaction {
            customer,
            date: d,
            amount,
        };
        let rows = [
            t(0, date(2024, 1, 1), 10.0),
            t(0, date(2024, 1, 1), 10.0),
            t(0, date(2024, 1, 11), 40.0),
            t(1, date(2024, 1, 5), 30.0),
            t(2, date(2023, 1, 5), 99.0),
        ];
        let m = period_metrics(&rows, date(2024, 1, 1), date(2024, 1, 31)).unwrap();
        assert_eq!((m.customers, m.orders, m.revenue), (2, 3, 90.0));
        assert_eq!(
            (
                m.average_order_value,
                m.purchase_frequency,
                m.repeat_purchase_rate
            ),
            (30.0, 1.5, 50.0)
        );
        assert_eq!(m.average_observed_lifespan_days, 5.0);
    }

    #[test]
    fn period_churn_counts_starting_customers_who_went_quiet_and_ignores_new_ones() {
        let t = |customer, d| Transaction {
            customer,
            date: d,
            amount: 1.0,
        };
        // Window of 90 days. Active at 2024-01-01: 0, 1, 2 (ordered in Oct–Dec 2023).
        // Active at 2024-04-01: 0 and 3 (new). Lost: 1 and 2.
        let rows = [
            t(0, date(2023, 11, 1)),
            t(0, date(2024, 3, 1)),
            t(1, date(2023, 12, 31)),
            t(2, date(2023, 10, 10)),
            t(3, date(2024, 2, 1)),
            t(4, date(2023, 1, 1)),
        ];
        let c = period_churn(&rows, date(2024, 1, 1), date(2024, 4, 1), 90).unwrap();
        assert_eq!((c.customers_at_start, c.lost), (3, 2));
        assert!(
            (c.churn_rate - 200.0 / 3.0).abs() < 1e-12
                && (c.retention_rate - 100.0 / 3.0).abs() < 1e-12
        );
    }
}
