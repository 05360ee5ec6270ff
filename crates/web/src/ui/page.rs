//! What every page template receives: the language, the signed-in user, the CSRF token,
//! which navigation entry is active, and a one-time notice.

use crate::auth::{RequestSession, SignedIn};
use crate::i18n::Lang;
use rehber_app::User;

/// The frame of a page (`templates/shell.html` reads it as `page`).
#[derive(Debug, Clone)]
pub struct Page {
    pub lang: Lang,
    pub title: String,
    pub user: Option<User>,
    /// Put into every form as `_csrf` and into htmx requests as `X-CSRF-Token`.
    pub csrf: String,
    /// The navigation entry to highlight: `people`, `companies`, `admin-users`, …
    pub nav: &'static str,
    /// A notice shown once at the top (after a redirect, from the `notice` query parameter key).
    pub notice: Option<String>,
}

impl Page {
    /// A page for a signed-in user.
    pub fn signed_in(who: &SignedIn, title_key: &str, nav: &'static str) -> Page {
        Page {
            lang: who.lang,
            title: who.lang.t(title_key),
            user: Some(who.session.user.clone()),
            csrf: who.session.csrf_token.clone(),
            nav,
            notice: None,
        }
    }

    /// A page before signing in (login, setup); `csrf` is the pre-session token.
    pub fn anonymous(context: &RequestSession, title_key: &str, csrf: String) -> Page {
        Page {
            lang: context.lang,
            title: context.lang.t(title_key),
            user: None,
            csrf,
            nav: "",
            notice: None,
        }
    }

    pub fn with_notice(mut self, notice: Option<String>) -> Page {
        self.notice = notice;
        self
    }

    /// Translation shortcut for templates: `{{ page.t("key") }}`.
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.is_admin())
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }
}
