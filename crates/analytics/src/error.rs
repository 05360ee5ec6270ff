//! The one error type of the crate: every failure is bad input or a model that cannot be fitted,
//! never a panic.

/// Why an analytical computation could not produce a result.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnalyticsError {
    /// There is nothing to compute on (no customers, no orders, an empty table).
    #[error("no data: {0}")]
    Empty(&'static str),
    /// An argument is outside its domain (a negative horizon, a support above 1, ...).
    #[error("invalid argument {name}: {reason}")]
    InvalidArgument {
        /// Name of the argument as the caller knows it.
        name: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The maximum-likelihood optimiser did not reach a finite optimum.
    #[error("the {model} fit did not converge: {reason}")]
    NotConverged {
        /// Model being fitted.
        model: &'static str,
        /// What went wrong.
        reason: String,
    },
}

impl AnalyticsError {
    pub(crate) fn invalid(name: &'static str, reason: impl Into<String>) -> Self {
        Self::InvalidArgument {
            name,
            reason: reason.into(),
        }
    }
}
