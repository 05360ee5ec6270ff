//! Per-customer order counts and revenue within a date range, shared by RFM, ABC and the
//! simple metrics. An order is a customer's purchase day (rows of the same customer on the same
//! day merge, as in `summary`), so every module counts purchases the same way.

use jiff::civil::Date;

use crate::{AnalyticsError, Transaction, dates::day_number};

/// A customer's activity within a range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct CustomerOrders {
    pub customer: u32,
    /// Distinct purchase days.
    pub orders: u32,
    /// Sum of amounts.
    pub revenue: f64,
    /// Day number of the first purchase in the range.
    pub first_day: i32,
    /// Day number of the last purchase in the range.
    pub last_day: i32,
    /// Date of the first purchase in the range.
    pub first_date: Date,
}

/// Activity per customer with a purchase in `[from, to]` (inclusive, either end open when
/// `None`), in ascending customer index. Amounts must be finite and not negative.
pub(crate) fn customer_orders(
    transactions: &[Transaction],
    from: Option<Date>,
    to: Option<Date>,
) -> Result<Vec<CustomerOrders>, AnalyticsError> {
    let (from, to) = (
        from.map_or(i32::MIN, day_number),
        to.map_or(i32::MAX, day_number),
    );
    let mut rows: Vec<(u32, i32, f64, Date)> = Vec::with_capacity(transactions.len());
    for t in transactions {
        if !t.amount.is_finite() || t.amount < 0.0 {
            return Err(AnalyticsError::invalid(
                "amount",
                format!("{} is not a non-negative number", t.amount),
            ));
        }
        let day = day_number(t.date);
        if (from..=to).contains(&day) {
            rows.push((t.customer, day, t.amount, t.date));
        }
    }
    rows.sort_unstable_by_key(|r| (r.0, r.1));
    let mut out: Vec<CustomerOrders> = Vec::new();
    for (customer, day, amount, date) in rows {
        match out.last_mut() {
            Some(last) if last.customer == customer => {
                if last.last_day != day {
                    last.orders += 1;
                    last.last_day = day;
                }
                last.revenue += amount;
            }
            _ => out.push(CustomerOrders {
                customer,
                orders: 1,
                revenue: amount,
                first_day: day,
                last_day: day,
                first_date: date,
            }),
        }
    }
    Ok(out)
}
