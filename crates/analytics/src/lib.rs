//! Pure analytical CRM algorithms over plain slices and vectors.
//!
//! This crate owns the mathematics (customer summaries, RFM, ABC, CLV, BG/NBD, Gamma-Gamma,
//! churn, association rules, chi-square). It must not do I/O, read clocks or know about the
//! database: callers pass data and "now".
//!
//! Amounts are `f64` here, unlike the rest of Rehber where money is exact: every figure this
//! crate returns is a statistical estimate (a mean, a model expectation, a share), computed
//! from amounts the caller converted once at the boundary. Nothing here is booked back into an
//! account.
//!
//! Customers are identified by a dense `u32` index chosen by the caller (the CLI interns the
//! ids it reads in order of first appearance); results come back in ascending index order.

pub mod abc;
pub mod bgnbd;
pub mod chi_square;
pub mod churn;
pub mod clv;
pub mod cohort;
mod dates;
mod error;
pub mod gamma_gamma;
mod hypergeometric;
pub mod metrics;
mod optimize;
mod orders;
pub mod rfm;
pub mod rules;
#[cfg(any(test, feature = "simulate"))]
pub mod simulate;
pub mod summary;
#[cfg(test)]
mod test_data;

pub use dates::day_number;
pub use error::AnalyticsError;
pub use optimize::FitDiagnostics;

/// One purchase: who, on which calendar day, for how much (in the caller's currency).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transaction {
    /// Dense customer index chosen by the caller.
    pub customer: u32,
    /// Calendar day of the purchase (no time zone: the caller already chose the local day).
    pub date: jiff::civil::Date,
    /// Amount of the purchase; zero counts as a purchase.
    pub amount: f64,
}
