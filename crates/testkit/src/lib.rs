//! Dev-only helpers for Rehber's tests: a fresh database per test on SQLite or PostgreSQL
//! ([`TestDb`]), the [`both_backends!`] macro that runs one test body on both, the service
//! layer on a test database ([`test_app`]) and fixture builders for users, companies and
//! people ([`Fixtures`], [`PersonBuilder`], [`CompanyBuilder`]), and a walk over a whole list
//! ([`walk_people`]).
//!
//! Never a dependency of production code: only `[dev-dependencies]` name this crate.
//!
//! PostgreSQL is reached through `REHBER_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`). When it cannot be reached the PostgreSQL half
//! of every test fails with a message saying so: a suite that skips a backend in silence
//! would let the second database rot.

// A test helper that cannot do its job must stop the test loudly, with the reason.
#![allow(clippy::panic, clippy::expect_used, clippy::unwrap_used)]

mod db;
mod fixtures;
mod pages;
mod refusals;
mod smtp;

pub use db::{DEFAULT_POSTGRES_URL, POSTGRES_URL_VARIABLE, TestDb};
pub use fixtures::{
    CompanyBuilder, DealBuilder, Fixtures, PASSWORD, PersonBuilder, RecordBuilder, test_app,
    test_settings,
};
pub use pages::walk_people;
pub use refusals::{field_errors, refusal};
pub use rehber_store::Backend;
pub use smtp::{Received, SmtpSink};

// The web crate's end-to-end `TestApp` (the router served on 127.0.0.1 port 0 over a
// `TestDb`, built with `test_app`) belongs here, in its own module `app_server`, next to
// the helpers above. It is left to the web crate's engineers.

/// Expands each async test body into a module with two `#[tokio::test]`s, `sqlite` and
/// `postgres`, each on a fresh, migrated database that is dropped after the body.
///
/// ```ignore
/// both_backends! {
///     /// Test names are sentences.
///     async fn people_round_trip_with_turkish_letters(db) {
///         let store = &db.store;
///         // …
///     }
/// }
/// ```
///
/// `db` is a `&TestDb`. The crate using the macro needs `tokio` (with `macros` and `rt`)
/// among its dev-dependencies. The database is dropped after the body, and also when the
/// body panics (see `TestDb`'s `Drop`).
#[macro_export]
macro_rules! both_backends {
    ($($(#[$attr:meta])* async fn $name:ident($db:ident) $body:block)+) => {$(
        $(#[$attr])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[::tokio::test]
            async fn sqlite() {
                let test_db = $crate::TestDb::new($crate::Backend::Sqlite).await;
                {
                    let $db: &$crate::TestDb = &test_db;
                    $body
                }
                test_db.cleanup().await;
            }

            #[::tokio::test]
            async fn postgres() {
                let test_db = $crate::TestDb::new($crate::Backend::Postgres).await;
                {
                    let $db: &$crate::TestDb = &test_db;
                    $body
                }
                test_db.cleanup().await;
            }
        }
    )+};
}
