//! Reading a service refusal in a test: the domain error inside, and a validation error's
//! fields as `field=code` strings.

use rehber_app::AppError;
use rehber_domain::Error;

/// The domain refusal inside a service error (an internal error fails the test).
pub fn refusal<T: std::fmt::Debug>(result: Result<T, AppError>) -> Error {
    match result {
        Err(AppError::Domain(error)) => error,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// The field error codes of a validation refusal, as `field=code`.
pub fn field_errors<T: std::fmt::Debug>(result: Result<T, AppError>) -> Vec<String> {
    match refusal(result) {
        Error::Validation(errors) => errors
            .0
            .iter()
            .map(|e| format!("{}={}", e.field, e.code))
            .collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}
