//! Storage errors: not found, a named constraint violated, or something else (logged, never
//! shown to users).

/// What a storage call can fail with.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// An update named a version that is no longer current.
    #[error("stale version")]
    StaleVersion,
    /// A unique constraint was violated; the name is identical on both backends.
    #[error("unique constraint {0} violated")]
    Unique(String),
    /// A foreign key points nowhere.
    #[error("foreign key violated")]
    ForeignKey,
    /// The database cannot store a value (PostgreSQL: a NUL character, an index entry over
    /// its size limit). Validation keeps such values out; this is the net under it, so a
    /// value that slips through is a refusal, not a server error.
    #[error("value cannot be stored: {0}")]
    Unstorable(String),
    /// A write found, inside its transaction, that it may not happen as asked (more
    /// allocated than an invoice has open): the input field and the reason's code.
    #[error("refused: {field} {code}")]
    Refused { field: String, code: &'static str },
    #[error("stored data could not be read: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// The batch of SQLite writes this write belonged to was not committed (see `writer`).
    #[error("the write was not committed: {0}")]
    Commit(String),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) => {
                if db.is_unique_violation() {
                    // SQLite names the columns, not the constraint; map them back so callers
                    // see one name on both backends.
                    let name = db.constraint().map(str::to_string).unwrap_or_else(|| {
                        sqlite_constraint_name(db.message()).unwrap_or_default()
                    });
                    StoreError::Unique(name)
                } else if db.is_foreign_key_violation() {
                    StoreError::ForeignKey
                } else if db
                    .code()
                    .is_some_and(|code| UNSTORABLE_CODES.contains(&&*code))
                {
                    StoreError::Unstorable(db.message().to_string())
                } else {
                    StoreError::Database(error)
                }
            }
            _ => StoreError::Database(error),
        }
    }
}

/// PostgreSQL's SQLSTATEs for values it cannot hold: character_not_in_repertoire (NUL in
/// text), untranslatable_character, program_limit_exceeded (an index entry too large).
const UNSTORABLE_CODES: [&str; 3] = ["22021", "22P05", "54000"];

/// SQLite reports `UNIQUE constraint failed: users.email`; the migrations name each unique
/// constraint `<table>_<column>_key`.
fn sqlite_constraint_name(message: &str) -> Option<String> {
    let columns = message.strip_prefix("UNIQUE constraint failed: ")?;
    let first = columns.split(',').next()?.trim();
    let (table, column) = first.split_once('.')?;
    let column = match (table, column) {
        ("api_tokens", "token_hash") => "hash",
        (_, column) => column,
    };
    Some(format!("{table}_{column}_key"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_unique_messages_map_to_constraint_names() {
        assert_eq!(
            sqlite_constraint_name("UNIQUE constraint failed: users.email").as_deref(),
            Some("users_email_key")
        );
        assert_eq!(
            sqlite_constraint_name("UNIQUE constraint failed: companies.tax_number").as_deref(),
            Some("companies_tax_number_key")
        );
        assert_eq!(sqlite_constraint_name("something else"), None);
    }
}
