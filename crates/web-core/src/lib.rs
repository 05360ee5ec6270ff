//! What both web skins share: who is calling (sessions, CSRF, bearer tokens), the language
//! of a request and its texts, problem documents, security headers, a list's parameters and
//! the state every handler receives. The JSON API (`rehber-api`) and the server-rendered UI
//! (`rehber-ui`) build on this and not on each other, so the two compile side by side and a
//! change to a page does not rebuild the API. No SQL here.

pub mod auth;
pub mod changes;
pub mod documents;
pub mod export;
pub mod export_job;
pub mod i18n;
pub mod imports;
pub mod list_params;
pub mod mail;
pub mod problem;
pub mod query;
pub mod security;
pub mod state;
pub mod statement;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (when served over HTTPS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// Trust `X-Forwarded-For` for the client address (behind a reverse proxy).
    pub trust_proxy: bool,
    /// The longest a request may take, body included; a slower one gets 408.
    pub request_timeout: std::time::Duration,
    /// The same for an attachment's upload, which may be large and come over a phone's
    /// slow connection.
    pub upload_timeout: std::time::Duration,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            trust_proxy: false,
            request_timeout: REQUEST_TIMEOUT,
            upload_timeout: UPLOAD_TIMEOUT,
        }
    }
}

/// How long a request may take by default, body included.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);
/// How long an upload may take by default: 25 MB at about 250 kbit/s.
pub const UPLOAD_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15 * 60);
