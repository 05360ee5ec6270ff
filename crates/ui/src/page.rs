//! What every page template receives: the language, the signed-in user, the CSRF token,
//! which navigation entry is active, and a one-time notice.

use rehber_app::User;
use rehber_web_core::auth::{RequestSession, SignedIn};
use rehber_web_core::i18n::Lang;

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

    /// A page for whoever is asking: signed in when there is a session, else anonymous
    /// (with the pre-session CSRF token when the browser has one). Used for error pages.
    pub fn from_context(context: &RequestSession, title_key: &str, nav: &'static str) -> Page {
        match &context.session {
            Some(session) => Page {
                lang: context.lang,
                title: context.lang.t(title_key),
                user: Some(session.user.clone()),
                csrf: session.csrf_token.clone(),
                nav,
                notice: None,
            },
            None => Page::anonymous(
                context,
                title_key,
                context.pre_session_csrf.clone().unwrap_or_default(),
            ),
        }
    }

    /// A notice from a `notice` query parameter: only keys starting with `notice-` that
    /// exist are shown, so a link cannot inject text.
    pub fn with_notice_key(mut self, key: Option<&str>) -> Page {
        self.notice = key
            .filter(|k| k.starts_with("notice-") && self.lang.has(k))
            .map(|k| self.lang.t(k));
        self
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

    /// A translation with one named argument: `{{ page.t1("key", "name", value) }}`.
    pub fn t1(&self, key: &str, name: &str, value: &str) -> String {
        self.lang.t_args(key, &[(name, value.to_string())])
    }

    /// A moment in the user's language: `23.11.2026 14:05` / `23 Nov 2026, 14:05`.
    pub fn datetime(&self, at: &jiff::Timestamp) -> String {
        self.lang.datetime(*at)
    }

    /// A number with the locale's grouping.
    pub fn number(&self, n: &i64) -> String {
        self.lang.number(*n)
    }

    /// The localized name of a role identifier (`sales_rep` → "Satış temsilcisi").
    pub fn role_name(&self, role: &str) -> String {
        self.lang.t(&format!("role-{role}"))
    }

    /// The signed-in user's display name and role label, for the sidebar.
    pub fn user_name(&self) -> &str {
        self.user.as_ref().map(|u| u.name.as_str()).unwrap_or("")
    }

    pub fn user_role(&self) -> String {
        self.user
            .as_ref()
            .map(|u| self.role_name(u.role.as_str()))
            .unwrap_or_default()
    }

    /// Initials for the avatar (first letters of the first two words).
    pub fn user_initials(&self) -> String {
        self.user_name()
            .split_whitespace()
            .take(2)
            .filter_map(|w| w.chars().next())
            .flat_map(char::to_uppercase)
            .collect()
    }
}
