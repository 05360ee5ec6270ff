//! Rehber's use cases. The web pages and the JSON API are two thin skins over these
//! services: each call takes the acting user, checks what they may do, validates through the
//! domain, and asks the store to read (through its scope filter) or write (with the audit
//! entry in the same transaction).
//!
//! No HTTP and no SQL here.

pub mod account;
pub mod activities;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod calendar;
mod changes;
pub mod comments;
mod companies;
pub mod consents;
pub mod convert;
pub mod custom_fields;
pub mod deals;
pub mod demo;
pub mod duplicates;
mod error;
pub mod events;
pub mod export;
pub mod filter;
pub mod forecast;
pub mod imports;
pub mod invoices;
pub mod iys;
pub mod jobs;
pub mod ledger;
mod links;
pub mod list;
pub mod list_exports;
pub mod mail;
mod merge;
pub mod notifications;
pub mod orders;
pub mod ownership;
mod people;
pub mod pipelines;
pub mod price_lists;
pub mod pricing;
pub mod privacy;
pub mod products;
pub mod quote_send;
mod quote_steps;
pub mod quotes;
pub mod rates;
pub mod records;
mod retry;
pub mod scoring;
pub mod search;
mod secrets;
pub mod targets;
pub mod tasks;
pub mod throttle;
pub mod timeline;
pub mod tokens;
pub mod users;
pub mod views;

pub use error::AppError;
pub use rehber_store::{
    ActivityFilter, AgingRow, ApiTokenRow, AuditChange, AuditEvent, AuditFilter, ExchangeRate,
    InvoiceFilter, JobRow, LIST_CURRENCY, MAX_ACTIVITY_PAGE, MAX_PRODUCT_PAGE, MAX_QUOTE_PAGE,
    MAX_STATEMENT_ENTRIES, MAX_TASK_PAGE, Page, PageRequest, PartyFilter, PartySort, ProductFilter,
    QuoteFilter, SortDirection, Store, TaskFilter, Team, User,
};
pub use throttle::SignInPolicy;

/// Tunables of the services (from the server's configuration).
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long a session lives without use.
    pub session_ttl: jiff::SignedDuration,
    /// How failed sign-ins are slowed down (see `throttle`).
    pub sign_in: SignInPolicy,
    /// Cheaper password hashing for tests only (never in production).
    pub fast_password_hashing: bool,
    /// E-mail a notification still unread this long after it was written; `None` when
    /// e-mail is off (no mail server configured).
    pub email_unread_after: Option<jiff::SignedDuration>,
    /// The address people reach Rehber at (`https://crm.firma.com.tr`), for links in
    /// e-mails.
    pub public_url: String,
    /// The largest attachment accepted, in bytes.
    pub max_upload_bytes: u64,
    /// The seller as quotes print it.
    pub letterhead: Letterhead,
}

/// The seller's details printed at the head and foot of quotes (the `[company]` table of
/// the configuration file).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Letterhead {
    pub name: String,
    pub address: String,
    pub tax_office: String,
    /// VKN.
    pub tax_number: String,
    pub phone: String,
    pub email: String,
    pub iban: String,
    /// Terms printed on every quote that has none of its own.
    pub terms: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            session_ttl: jiff::SignedDuration::from_hours(12),
            sign_in: SignInPolicy::default(),
            fast_password_hashing: false,
            email_unread_after: None,
            public_url: "http://127.0.0.1:8080".to_string(),
            max_upload_bytes: attachments::DEFAULT_MAX_UPLOAD_BYTES,
            letterhead: Letterhead::default(),
        }
    }
}

/// The service layer: a store, its settings and what background jobs do. Cheap to clone.
#[derive(Debug, Clone)]
pub struct App {
    pub store: Store,
    pub settings: Settings,
    pub jobs: jobs::JobHandlers,
    /// This instance's bus of change events (see `events`).
    pub events: events::Events,
    /// Where e-mail goes out; `None` when no mail server is configured.
    pub mailer: Option<std::sync::Arc<dyn mail::Mailer>>,
    /// Where attachments' bytes are kept (in memory until the server names a folder).
    pub files: rehber_files::Files,
}

impl App {
    pub fn new(store: Store, settings: Settings) -> Self {
        App {
            store,
            settings,
            jobs: jobs::JobHandlers::builtin(),
            events: events::Events::default(),
            mailer: None,
            files: rehber_files::Files::in_memory(),
        }
    }

    /// Today's date in Rehber's home zone, for validations such as "birthday not in the future".
    pub fn today(&self) -> jiff::civil::Date {
        jiff::Timestamp::now().to_zoned_datetime(home_zone()).date()
    }
}

/// A list's position from the `next_cursor` a page gave (`None` for the first page); a
/// cursor `parse` does not read is refused, naming `cursor`.
pub(crate) fn read_cursor<T>(
    cursor: Option<&str>,
    parse: fn(&str) -> Option<T>,
) -> Result<Option<T>, AppError> {
    match cursor.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(text) => parse(text)
            .map(Some)
            .ok_or_else(|| rehber_domain::Error::field("cursor", "invalid-cursor").into()),
    }
}

/// The current instant (for the skins, which do not depend on the time crate).
pub fn now() -> jiff::Timestamp {
    jiff::Timestamp::now()
}

/// The zone dates are judged in when the user has not chosen one.
pub fn home_zone() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("Europe/Istanbul").unwrap_or(jiff::tz::TimeZone::UTC)
}
