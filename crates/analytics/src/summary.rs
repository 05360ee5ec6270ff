//! Transactions → per-customer calibration summary, exactly as the customer-base literature
//! computes it (Fader, Hardie & Lee 2005; the CDNOW reference files).
//!
//! Owns the same-day merge, the repeat frequency x, recency t_x and age T in weeks, the mean
//! repeat spend and the calibration/holdout split. Knows nothing about models.

use jiff::civil::Date;

use crate::{AnalyticsError, Transaction, dates::day_number};

/// Days per week: t_x and T are calendar-day differences divided by seven.
const DAYS_PER_WEEK: f64 = 7.0;

/// Where the calibration period ends and (optionally) where the holdout period ends.
///
/// Both ends are inclusive calendar days. Purchases after the holdout end (or after the
/// calibration end when there is no holdout) are ignored; a customer whose first purchase
/// falls after the calibration end is not part of the calibration cohort and is left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Periods {
    /// Last day of the calibration period (the "now" of the fitted models).
    pub calibration_end: Date,
    /// Last day of the holdout period, if the caller wants holdout counts.
    pub holdout_end: Option<Date>,
}

/// One customer's purchase history condensed to the statistics the models need.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CustomerSummary {
    /// The caller's customer index.
    pub customer: u32,
    /// Day of the first purchase.
    pub first_purchase: Date,
    /// x: number of distinct purchase days in calibration minus one (repeat purchases).
    pub frequency: u32,
    /// t_x: weeks between the first and the last calibration purchase day.
    pub recency: f64,
    /// T: weeks between the first purchase day and the calibration end.
    pub age: f64,
    /// z̄: mean amount of the x repeat purchase days (the first purchase excluded); 0 when x = 0.
    pub monetary_value: f64,
    /// Number of distinct purchase days in the holdout period.
    pub frequency_holdout: u32,
    /// Total amount spent in the holdout period.
    pub monetary_holdout_total: f64,
}

/// Condenses transactions into one summary per customer of the calibration cohort, in
/// ascending customer index.
///
/// Rows of one customer on the same calendar day are one transaction whose amount is the sum;
/// zero-amount rows still count as purchases. Amounts must be finite and not negative.
pub fn summarize(
    transactions: &[Transaction],
    periods: Periods,
) -> Result<Vec<CustomerSummary>, AnalyticsError> {
    if transactions.is_empty() {
        return Err(AnalyticsError::Empty("no transactions"));
    }
    let cal_end = day_number(periods.calibration_end);
    let last_day = periods.holdout_end.map_or(cal_end, day_number);
    if last_day < cal_end {
        return Err(AnalyticsError::invalid(
            "holdout_end",
            "is before the calibration end",
        ));
    }
    let mut rows = Vec::with_capacity(transactions.len());
    for t in transactions {
        if !t.amount.is_finite() || t.amount < 0.0 {
            return Err(AnalyticsError::invalid(
                "amount",
                format!("{} is not a non-negative number", t.amount),
            ));
        }
        let day = day_number(t.date);
        if day <= last_day {
            rows.push(Row {
                customer: t.customer,
                day,
                amount: t.amount,
                date: t.date,
            });
        }
    }
    // Sorting by (customer, day) puts each customer's days together in order. Same-day rows
    // are summed, so their relative order only matters to the last bit of a float sum.
    rows.sort_unstable_by_key(|r| (r.customer, r.day));

    let mut out = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let customer = rows[i].customer;
        let mut j = i;
        while j < rows.len() && rows[j].customer == customer {
            j += 1;
        }
        if let Some(s) = summarize_customer(&rows[i..j], cal_end) {
            out.push(s);
        }
        i = j;
    }
    if out.is_empty() {
        return Err(AnalyticsError::Empty(
            "no customer made a first purchase by the calibration end",
        ));
    }
    Ok(out)
}

/// A transaction with its day number, for sorting and merging.
struct Row {
    customer: u32,
    day: i32,
    amount: f64,
    date: Date,
}

/// Summarises one customer's rows, sorted by day. `None` when the first purchase is after the
/// calibration end.
fn summarize_customer(rows: &[Row], cal_end: i32) -> Option<CustomerSummary> {
    let first = rows.first()?;
    let (customer, first_day, first_purchase) = (first.customer, first.day, first.date);
    if first_day > cal_end {
        return None;
    }
    let mut days = 0u32;
    let mut last_cal_day = first_day;
    let mut repeat_total = 0.0;
    let mut holdout_days = 0u32;
    let mut holdout_total = 0.0;
    let mut k = 0;
    while k < rows.len() {
        let day = rows[k].day;
        let mut amount = 0.0;
        while k < rows.len() && rows[k].day == day {
            amount += rows[k].amount;
            k += 1;
        }
        if day <= cal_end {
            if days > 0 {
                repeat_total += amount;
            }
            days += 1;
            last_cal_day = day;
        } else {
            holdout_days += 1;
            holdout_total += amount;
        }
    }
    let frequency = days - 1;
    Some(CustomerSummary {
        customer,
        first_purchase,
        frequency,
        recency: f64::from(last_cal_day - first_day) / DAYS_PER_WEEK,
        age: f64::from(cal_end - first_day) / DAYS_PER_WEEK,
        monetary_value: if frequency > 0 {
            repeat_total / f64::from(frequency)
        } else {
            0.0
        },
        frequency_holdout: holdout_days,
        monetary_holdout_total: holdout_total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_data::{cdnow_expected_summary, cdnow_periods, cdnow_transactions};
    use jiff::civil::date;

    #[test]
    fn cdnow_summary_matches_the_full_precision_reference_row_for_row() {
        let got = summarize(&cdnow_transactions(), cdnow_periods()).unwrap();
        let want = cdnow_expected_summary();
        assert_eq!(got.len(), want.len());
        let close = |a: f64, b: &str| (a - b.parse::<f64>().unwrap()).abs() <= 1e-6;
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g.customer.to_string(), w[0]);
            assert_eq!(g.first_purchase.to_string(), w[1]);
            assert_eq!(g.frequency.to_string(), w[2], "customer {}", w[0]);
            assert!(
                close(g.recency, &w[3]) && close(g.age, &w[4]) && close(g.monetary_value, &w[5]),
                "customer {}: {g:?}",
                w[0]
            );
            assert_eq!(g.frequency_holdout.to_string(), w[6], "customer {}", w[0]);
            assert!(
                close(g.monetary_holdout_total, &w[7]),
                "customer {}: {g:?}",
                w[0]
            );
        }
    }

    #[test]
    fn same_day_rows_merge_and_zero_amounts_still_count() {
        let t = |customer, d, amount| Transaction {
            customer,
            date: d,
            amount,
        };
        let rows = [
            t(0, date(2024, 1, 1), 10.0),
            t(0, date(2024, 1, 1), 5.0),
            t(0, date(2024, 1, 8), 0.0),
            t(0, date(2024, 1, 15), 30.0),
        ];
        let periods = Periods {
            calibration_end: date(2024, 1, 29),
            holdout_end: None,
        };
        let s = summarize(&rows, periods).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(
            (s[0].frequency, s[0].recency, s[0].age, s[0].monetary_value),
            (2, 2.0, 4.0, 15.0)
        );
    }

    #[test]
    fn customers_starting_after_calibration_are_left_out_and_negative_amounts_refused() {
        let t = |customer, d, amount| Transaction {
            customer,
            date: d,
            amount,
        };
        let periods = Periods {
            calibration_end: date(2024, 1, 31),
            holdout_end: Some(date(2024, 3, 1)),
        };
        let s = summarize(
            &[t(0, date(2024, 1, 1), 1.0), t(1, date(2024, 2, 1), 1.0)],
            periods,
        )
        .unwrap();
        assert_eq!(s.iter().map(|s| s.customer).collect::<Vec<_>>(), [0]);
        assert!(summarize(&[t(0, date(2024, 1, 1), -1.0)], periods).is_err());
        assert!(matches!(
            summarize(&[], periods),
            Err(AnalyticsError::Empty(_))
        ));
    }
}
