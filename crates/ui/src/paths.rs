//! Small pieces of addresses the pages share: a numeric id from a path (anything else is
//! "not found", as an id outside the user's scope is) and the page of a person or company.

use crate::error::UiError;
use rehber_domain::Error;
use rehber_domain::activity::Link;
use rehber_web_core::auth::SignedIn;

/// A positive id from a path segment.
pub(crate) fn path_id(who: &SignedIn, text: &str) -> Result<i64, UiError> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| UiError::signed_in(who, rehber_app::AppError::from(Error::NotFound)))
}

/// The page of the record a link names (`/people/12`).
pub(crate) fn record_href(link: Link) -> String {
    format!("/{}/{}", link.record_type.plural(), link.record_id)
}
