//! Cohort retention matrix: customers grouped by the calendar month of their first purchase,
//! counted again in every later month in which they ordered.
//!
//! Owns the month arithmetic of cohorts; nothing else.

use serde::Serialize;

use crate::{AnalyticsError, Transaction};

/// One cohort's row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohortRow {
    /// First-purchase month as `YYYY-MM`.
    pub cohort: String,
    /// Customers whose first purchase fell in this month.
    pub size: u64,
    /// `active[k]`: cohort customers with at least one order in month k after the first
    /// (k = 0 is the first month itself, so `active[0] == size`). The row stops at the last
    /// month present in the data.
    pub active: Vec<u64>,
    /// `active[k] / size × 100`.
    pub retention: Vec<f64>,
}

fn month_index(t: &Transaction) -> i32 {
    i32::from(t.date.year()) * 12 + i32::from(t.date.month()) - 1
}

/// The retention matrix over all transactions, cohorts in calendar order.
pub fn cohort_retention(transactions: &[Transaction]) -> Result<Vec<CohortRow>, AnalyticsError> {
    let mut pairs: Vec<(u32, i32)> = transactions
        .iter()
        .map(|t| (t.customer, month_index(t)))
        .collect();
    if pairs.is_empty() {
        return Err(AnalyticsError::Empty("no transactions"));
    }
    pairs.sort_unstable();
    pairs.dedup();
    let last_month = pairs.iter().map(|p| p.1).max().unwrap_or_default();
    let first_month = pairs.iter().map(|p| p.1).min().unwrap_or_default();
    let months = (last_month - first_month + 1) as usize;
    let mut active = vec![vec![0u64; 0]; months];
    for (c, row) in active.iter_mut().enumerate() {
        row.resize(months - c, 0);
    }
    let mut i = 0;
    while i < pairs.len() {
        let customer = pairs[i].0;
        let cohort = pairs[i].1;
        let row = &mut active[(cohort - first_month) as usize];
        while i < pairs.len() && pairs[i].0 == customer {
            row[(pairs[i].1 - cohort) as usize] += 1;
            i += 1;
        }
    }
    Ok(active
        .into_iter()
        .enumerate()
        .filter(|(_, row)| row[0] > 0)
        .map(|(c, row)| {
            let month = first_month + c as i32;
            let size = row[0];
            CohortRow {
                cohort: format!(
                    "{:04}-{:02}",
                    month.div_euclid(12),
                    month.rem_euclid(12) + 1
                ),
                size,
                retention: row
                    .iter()
                    .map(|&a| a as f64 / size as f64 * 100.0)
                    .collect(),
                active: row,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn cohort_matrix_counts_each_customer_once_per_month_from_their_first_month() {
        let t = |customer, d| Transaction {
            customer,
            date: d,
            amount: 1.0,
        };
        let rows = [
            t(0, date(2024, 1, 5)),
            t(0, date(2024, 1, 20)),
            t(0, date(2024, 3, 1)),
            t(1, date(2024, 1, 31)),
            t(1, date(2024, 2, 1)),
            t(2, date(2024, 2, 10)),
            t(2, date(2024, 3, 10)),
        ];
        let m = cohort_retention(&rows).unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(
            (m[0].cohort.as_str(), m[0].size, m[0].active.as_slice()),
            ("2024-01", 2, [2, 1, 1].as_slice())
        );
        assert_eq!(m[0].retention, [100.0, 50.0, 50.0]);
        assert_eq!(
            (m[1].cohort.as_str(), m[1].size, m[1].active.as_slice()),
            ("2024-02", 1, [1, 1].as_slice())
        );
        assert!(cohort_retention(&[]).is_err());
    }
}
