//! Conversions between domain values and their stored form (JSON text arrays, microsecond
//! timestamps), shared by the repositories.

use crate::StoreError;
use serde::Serialize;
use serde::de::DeserializeOwned;

pub(crate) fn to_json<T: Serialize>(value: &T) -> String {
    // Serializing plain vectors of strings cannot fail.
    serde_json::to_string(value).unwrap_or_else(|_| "[]".to_string())
}

pub(crate) fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(crate) fn timestamp(micros: i64) -> Result<jiff::Timestamp, StoreError> {
    jiff::Timestamp::from_microsecond(micros).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(crate) fn parse_stored<T>(
    value: Option<&str>,
    parse: fn(&str) -> Option<T>,
) -> Result<Option<T>, StoreError> {
    match value {
        None => Ok(None),
        Some(text) => parse(text)
            .map(Some)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown stored value {text:?}"))),
    }
}
