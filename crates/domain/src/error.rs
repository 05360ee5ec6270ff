//! The domain error: what a use case can refuse, without any storage or protocol types.

use crate::validate::Invalid;
use serde::Serialize;

/// One refused field: `field` is the input name, `code` a message key the UI translates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: String,
}

/// All the field errors of one input, collected so the user sees every problem at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<String>, code: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            code: code.into(),
        });
    }

    /// Records the outcome of a parse: the value when valid, the error under `field` otherwise.
    pub fn check<T>(&mut self, field: &str, result: Result<T, Invalid>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(invalid) => {
                self.add(field, invalid.code());
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.field == field)
    }

    /// `Ok(())` when nothing was refused, the validation error otherwise.
    pub fn into_result(self) -> Result<(), Error> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(self))
        }
    }
}

/// What a use case can answer instead of a result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("invalid input")]
    Validation(FieldErrors),
    /// Input that could not even be read as the type it must have (a number that is not a
    /// number); the fields name where. The API answers 400 rather than 422.
    #[error("unreadable input")]
    Unreadable(FieldErrors),
    #[error("not found")]
    NotFound,
    /// The record changed since the caller read it (optimistic versioning).
    #[error("the record was changed by someone else")]
    StaleVersion,
    /// A unique value is already taken; `field` names the input.
    #[error("already taken: {field}")]
    Taken { field: String },
    /// The record would repeat one already kept (a shared e-mail address, phone, national
    /// ID or tax number; `field` names the input): 409, naming the record it matches, and
    /// its name only when the caller may see it.
    #[error("repeats record {id} by {field}")]
    Duplicate {
        field: String,
        id: i64,
        name: Option<String>,
    },
    #[error("not allowed")]
    Forbidden,
    #[error("not signed in")]
    Unauthenticated,
    /// Too many attempts: the caller may try again after this many seconds.
    #[error("too many attempts; try again in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("invalid state: {0}")]
    InvalidState(&'static str),
    /// The record's state does not allow the step asked (a quote that is no longer a
    /// draft edited, an accepted quote cancelled): 409, with the reason under the key
    /// `invalid-state-<what>`.
    #[error("conflicts with the record's state: {0}")]
    Conflict(&'static str),
    /// An upload over the size allowed; nothing of it was kept.
    #[error("larger than {limit_bytes} bytes")]
    TooLarge { limit_bytes: u64 },
}

impl Error {
    pub fn field(field: &str, code: &str) -> Error {
        let mut errors = FieldErrors::new();
        errors.add(field, code);
        Error::Validation(errors)
    }
}
