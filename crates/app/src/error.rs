//! The service error: a domain refusal the skins show to the user, or an internal failure
//! they log and answer with a generic message.

use rehber_domain::Error as DomainError;
use rehber_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => AppError::Domain(DomainError::NotFound),
            StoreError::StaleVersion => AppError::Domain(DomainError::StaleVersion),
            StoreError::Unique(constraint) if constraint == rehber_store::TARGET_OVERLAP => {
                AppError::Domain(DomainError::Conflict("target-overlap"))
            }
            StoreError::Unique(constraint) => AppError::Domain(DomainError::Taken {
                field: field_of(&constraint),
            }),
            StoreError::ForeignKey => AppError::Domain(DomainError::InvalidState("reference")),
            StoreError::Unstorable(cause) => {
                tracing::warn!(%cause, "a value passed validation but cannot be stored");
                AppError::Domain(DomainError::InvalidState("unstorable"))
            }
            StoreError::Refused { field, code } => {
                AppError::Domain(DomainError::field(&field, code))
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// The input field a unique constraint guards (names are identical on both backends).
fn field_of(constraint: &str) -> String {
    match constraint {
        "users_email_key" => "email",
        "teams_name_key" => "name",
        "companies_tax_number_key" => "tax_number",
        "custom_fields_record_type_key" => "key",
        "products_sku_key_key" => "sku",
        "lost_reasons_name_key_key" => "name",
        "deals_converted_from_key" => "converted_from",
        "orders_quote_id_key" => "quote_id",
        "price_lists_name_key_key" => "name",
        "invoices_number_key" => "number",
        _ => "id",
    }
    .to_string()
}

impl AppError {
    pub fn domain(&self) -> Option<&DomainError> {
        match self {
            AppError::Domain(e) => Some(e),
            AppError::Internal(_) => None,
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
