//! The record pages of every kind ([`pages`]) and what they are made of: choice lists with
//! localized labels, the user and team directory for owner pickers, display formatting
//! (phones, counts, dates), the list query and its URLs ([`list`]), the table ([`table`]),
//! the record head and form state ([`view`]), the record form input and its sections
//! ([`form`]), what people and companies share ([`party`]), and the history rows
//! ([`history`]).
//!
//! Nothing here talks to the store: handlers fetch through the services and hand the results
//! to these helpers for display.

pub mod export;
pub mod form;
pub mod history;
pub mod list;
pub mod pages;
pub mod party;
pub mod picker;
pub mod table;
pub mod view;

use crate::error::{UiError, UiResultExt};
use axum::http::{HeaderMap, StatusCode};
use rehber_app::{Team, User};
use rehber_domain::access::RecordKind;
use rehber_domain::party::{CompanySize, LeadSource, LeadStatus, LifecycleStage};
use rehber_domain::validate::text::sort_key;
use rehber_domain::{Actor, Scope, TeamId, UserId};
use rehber_web_core::auth::SignedIn;
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;
use std::collections::HashMap;
use table::Cell;

/// Rows per list page.
pub const PAGE_SIZE: u32 = rehber_web_core::list_params::DEFAULT_PAGE;

/// One option of a `<select>`: the submitted value and its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Choice {
        Choice {
            value: value.into(),
            label: label.into(),
        }
    }
}

/// The lifecycle stages with their localized names.
pub fn lifecycle_choices(lang: Lang) -> Vec<Choice> {
    LifecycleStage::ALL
        .iter()
        .map(|s| Choice::new(s.as_str(), lang.t(&format!("lifecycle-{s}"))))
        .collect()
}

pub fn lead_status_choices(lang: Lang) -> Vec<Choice> {
    LeadStatus::ALL
        .iter()
        .map(|s| Choice::new(s.as_str(), lang.t(&format!("lead-status-{s}"))))
        .collect()
}

pub fn lead_source_choices(lang: Lang) -> Vec<Choice> {
    LeadSource::ALL
        .iter()
        .map(|s| Choice::new(s.as_str(), lang.t(&format!("lead-source-{s}"))))
        .collect()
}

pub fn size_choices(lang: Lang) -> Vec<Choice> {
    CompanySize::ALL
        .iter()
        .map(|s| Choice::new(s.as_str(), size_label(lang, s.as_str())))
        .collect()
}

/// The message key of a company size (`1000+` is `size-1000plus`).
pub fn size_label(lang: Lang, size: &str) -> String {
    lang.t(&format!("size-{}", size.replace('+', "plus")))
}

pub use rehber_web_core::changes::choice_label;

/// Currencies offered for amounts (the typed one is kept when it is another).
pub const CURRENCIES: [&str; 4] = ["TRY", "USD", "EUR", "GBP"];

/// Users and teams, loaded once per request, for owner names and pickers.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    pub users: Vec<User>,
    pub teams: Vec<Team>,
    /// Every pipeline stage's name, by id (a deal list's stage column).
    pub stages: Vec<(i64, String)>,
    /// The listed customers' TRY balance and overdue part, by id (people and company lists).
    pub receivables: HashMap<i64, (i64, i64)>,
}

impl Directory {
    /// A listed customer's balance and overdue cells (empty when they owe nothing).
    pub fn receivable_cells(&self, lang: Lang, id: i64) -> [Cell; 2] {
        let (balance, overdue) = self.receivables.get(&id).copied().unwrap_or((0, 0));
        let money = |minor: i64| {
            if minor == 0 {
                Cell::text(String::new())
            } else {
                Cell::Mono(lang.money(minor, rehber_app::LIST_CURRENCY))
            }
        };
        [money(balance), money(overdue)]
    }

    pub fn stage_name(&self, id: i64) -> String {
        self.stages
            .iter()
            .find(|(stage, _)| *stage == id)
            .map(|(_, name)| name.clone())
            .unwrap_or_default()
    }

    pub fn user_name(&self, id: Option<UserId>) -> String {
        id.and_then(|id| self.users.iter().find(|u| u.id == id))
            .map(|u| u.name.clone())
            .unwrap_or_default()
    }

    pub fn team_name(&self, id: Option<TeamId>) -> String {
        id.and_then(|id| self.teams.iter().find(|t| t.id == id))
            .map(|t| t.name.clone())
            .unwrap_or_default()
    }

    /// The users `actor` may hand records of `kind` to, as choices sorted the Turkish way
    /// (Ömer after Zeynep is wrong): active users whose role may own records, within the
    /// actor's reach (everyone for administrators, their team for managers, themselves for
    /// the others), plus `keep`, the current owner, even when outside that set.
    pub fn owner_choices(
        &self,
        actor: &Actor,
        kind: RecordKind,
        keep: Option<UserId>,
    ) -> Vec<Choice> {
        let reach = |u: &User| match actor.role.scope(kind) {
            Scope::All => true,
            Scope::Team => actor.team_id.is_some() && u.team_id == actor.team_id,
            Scope::Own => u.id == actor.user_id,
        };
        let mut users: Vec<&User> = self
            .users
            .iter()
            .filter(|u| Some(u.id) == keep || (u.active && u.role.can_write(kind) && reach(u)))
            .collect();
        users.sort_by_cached_key(|u| sort_key(&u.name));
        users
            .into_iter()
            .map(|u| Choice::new(u.id.to_string(), u.name.clone()))
            .collect()
    }

    /// The teams `actor` may hand records to (their own for managers), sorted the Turkish way.
    pub fn team_choices(&self, actor: &Actor, kind: RecordKind) -> Vec<Choice> {
        let mut teams: Vec<&Team> = self
            .teams
            .iter()
            .filter(|t| actor.role.scope(kind) == Scope::All || Some(t.id) == actor.team_id)
            .collect();
        teams.sort_by_cached_key(|t| sort_key(&t.name));
        teams
            .into_iter()
            .map(|t| Choice::new(t.id.to_string(), t.name.clone()))
            .collect()
    }

    /// Whether records handed to `owner` stay in `actor`'s view (their team follows the
    /// owner).
    pub fn stays_in_view(&self, actor: &Actor, kind: RecordKind, owner: UserId) -> bool {
        let team = self
            .users
            .iter()
            .find(|u| u.id == owner)
            .and_then(|u| u.team_id);
        actor.sees(kind, Some(owner), team)
    }
}

/// Loads users and teams for owner names and pickers.
pub async fn directory(state: &AppState, who: &SignedIn) -> Result<Directory, UiError> {
    // All at once: a page waits for the slowest, not for their sum.
    let actor = who.actor();
    let (users, teams, pipelines) = tokio::join!(
        state.app.list_users(),
        state.app.list_teams(),
        state.app.pipelines(&actor)
    );
    Ok(Directory {
        users: users.ui(who)?,
        teams: teams.ui(who)?,
        stages: pipelines
            .ui(who)?
            .into_iter()
            .flat_map(|p| p.stages.into_iter().map(|s| (s.id, s.name)))
            .collect(),
        receivables: HashMap::new(),
    })
}

/// What a list page hands to [`list_view`].
pub struct ListParts<'a> {
    pub base: &'static str,
    pub lang: Lang,
    pub actor: &'a Actor,
    pub kind: RecordKind,
    pub count_label: String,
    /// How many records match and the cap they were counted up to.
    pub count: (i64, u32),
    pub query: list::ListQuery,
    pub problems: Vec<String>,
    pub next_cursor: Option<String>,
    pub directory: &'a Directory,
    /// Company filter choices (people only).
    pub companies: Vec<Choice>,
    pub partial: bool,
    pub custom_filters: Vec<crate::custom::CustomFilter>,
    pub views: pages::ViewMenu,
    pub export_href: Option<String>,
}

/// The filter bar, bulk bar and pager state of a list page.
pub fn list_view(parts: ListParts<'_>) -> list::ListView {
    let ListParts {
        base,
        lang,
        actor,
        kind,
        count_label,
        count,
        query,
        problems,
        next_cursor,
        directory,
        companies,
        partial,
        custom_filters,
        views,
        export_href,
    } = parts;
    let on_later_page = !query.cursor.trim().is_empty();
    list::ListView {
        base,
        count_label,
        problems,
        notice: query.notice(lang),
        next_href: next_cursor.as_deref().map(|c| query.next_href(base, c)),
        previous_href: query.previous_href(base),
        first_href: on_later_page.then(|| query.href(base, None)),
        page_label: page_label(lang, query.page_number(), count),
        matching: count.0,
        matching_label: lang.number(count.0),
        too_many_for_bulk: count.0 > rehber_app::list::BULK_LIMIT as i64,
        owners: directory.owner_choices(actor, kind, None),
        teams: directory.team_choices(actor, kind),
        stages: match kind {
            RecordKind::Deal => directory
                .stages
                .iter()
                .map(|(id, name)| Choice::new(id.to_string(), name.clone()))
                .collect(),
            _ => lifecycle_choices(lang),
        },
        show_company_filter: matches!(kind, RecordKind::Person | RecordKind::Deal),
        deals: kind == RecordKind::Deal,
        companies,
        show_owner_filter: actor.role.scope(kind) != Scope::Own,
        can_write: actor.role.can_write(kind),
        can_delete: actor.role.can_delete(kind),
        can_reassign: actor.role.can_reassign(),
        partial,
        query,
        custom_filters,
        views,
        export_href,
    }
}

/// "Sayfa 2 / 14" from the page number and the count ("14+" when the count stopped at its
/// cap); empty when everything fits on one page.
pub fn page_label(lang: Lang, page: u32, (count, cap): (i64, u32)) -> String {
    let size = i64::from(PAGE_SIZE);
    let pages = ((count + size - 1) / size).max(1);
    if pages <= 1 && page <= 1 {
        return String::new();
    }
    let mut total = lang.number(pages.max(i64::from(page)));
    if count >= i64::from(cap) {
        total.push('+');
    }
    lang.t_args(
        "records-page-of",
        &[("page", lang.number(i64::from(page))), ("pages", total)],
    )
}

/// A phone number in E.164 for reading: `+905321234567` → `+90 532 123 45 67`,
/// `+12125550100` → `+1 212 555 0100`, other countries grouped by threes.
pub fn format_phone(e164: &str) -> String {
    let Some(digits) = e164.strip_prefix('+') else {
        return e164.to_string();
    };
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return e164.to_string();
    }
    let groups = |rest: &str, sizes: &[usize]| -> Vec<String> {
        let mut out = Vec::new();
        let mut at = 0;
        for size in sizes {
            if at >= rest.len() {
                break;
            }
            let end = (at + size).min(rest.len());
            out.push(rest[at..end].to_string());
            at = end;
        }
        if at < rest.len() {
            out.push(rest[at..].to_string());
        }
        out
    };
    let (code, rest, sizes): (&str, &str, &[usize]) = if let Some(rest) = digits.strip_prefix("90")
    {
        ("90", rest, &[3, 3, 2, 2])
    } else if let Some(rest) = digits.strip_prefix('1') {
        ("1", rest, &[3, 3, 4])
    } else if digits.len() > 2 {
        let rest = &digits[2..];
        let sizes: &[usize] = if rest.len() == 10 {
            &[3, 3, 4]
        } else {
            &[3, 3, 3]
        };
        (&digits[..2], rest, sizes)
    } else {
        return e164.to_string();
    };
    format!("+{code} {}", groups(rest, sizes).join(" "))
}

/// Stored E.164 phones grouped for editing (`+90 532 123 45 67` reads back to the same
/// number).
pub fn readable_phones(phones: &[String]) -> Vec<String> {
    phones.iter().map(|p| format_phone(p)).collect()
}

/// "1.234 kişi" / "1,234 people"; counts at the cap they were counted up to read "10.000+".
pub fn count_label(lang: Lang, count: i64, cap: u32, key: &str) -> String {
    let cap = i64::from(cap);
    let number = if count >= cap {
        format!("{}+", lang.number(cap))
    } else {
        lang.number(count)
    };
    let key = if count == 1 {
        format!("{key}-one")
    } else {
        key.to_string()
    };
    lang.t_args(&key, &[("count", number)])
}

/// The calendar date of a moment in the home zone, in the user's format.
pub fn local_date(lang: Lang, at: jiff::Timestamp) -> String {
    lang.date(at.to_zoned_datetime(rehber_app::home_zone()).date())
}

/// The status of a re-rendered form. htmx does not swap 4xx answers with the frame's
/// configuration, so an inline form inside the page gets its errors with 200; full pages
/// (and clients without JavaScript) get the real status (422 invalid, 409 stale).
pub fn form_status(headers: &HeaderMap, status: StatusCode) -> StatusCode {
    if crate::error::wants_partial(headers) {
        StatusCode::OK
    } else {
        status
    }
}

impl list::ListView {
    /// The record type whose changes reload this list live (`events.js`).
    pub fn live_type(&self) -> &'static str {
        if self.base == "/companies" {
            "company"
        } else {
            "person"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_grouped_for_reading() {
        assert_eq!(format_phone("+905321234567"), "+90 532 123 45 67");
        assert_eq!(format_phone("+902125551212"), "+90 212 555 12 12");
        assert_eq!(format_phone("+12125550100"), "+1 212 555 0100");
        assert_eq!(format_phone("+442079460958"), "+44 207 946 0958");
        assert_eq!(format_phone("not a phone"), "not a phone");
    }

    #[test]
    fn counts_are_grouped_and_capped() {
        assert_eq!(
            count_label(Lang::En, 1234, 10_000, "people-count"),
            "1,234 people"
        );
        assert_eq!(
            count_label(Lang::Tr, 1234, 10_000, "people-count"),
            "1.234 kişi"
        );
        assert_eq!(
            count_label(Lang::Tr, 10_000, 10_000, "people-count"),
            "10.000+ kişi"
        );
        assert_eq!(count_label(Lang::En, 1, 10_000, "people-count"), "1 person");
    }

    fn user(id: i64, name: &str, role: rehber_domain::Role, team: Option<i64>) -> User {
        User {
            id: UserId(id),
            email: format!("u{id}@ornek.com.tr"),
            name: name.to_string(),
            role,
            team_id: team.map(TeamId),
            team_name: None,
            locale: None,
            active: true,
            created_at: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn owners_are_the_users_in_reach_who_may_own_records_in_turkish_order() {
        use rehber_domain::Role::{Administrator, ReadOnly, SalesManager, SalesRep};
        let directory = Directory {
            users: vec![
                user(1, "Zeynep Kaya", SalesRep, Some(1)),
                user(2, "Ömer Demir", SalesRep, Some(1)),
                user(3, "İlker Şahin", SalesManager, Some(1)),
                user(4, "Şule Arslan", SalesRep, Some(2)),
                user(5, "Öykü Yılmaz", ReadOnly, Some(1)),
                user(6, "Ilgaz Çelik", Administrator, None),
            ],
            teams: Vec::new(),
            stages: Vec::new(),
            receivables: HashMap::new(),
        };
        let names = |actor: &Actor| -> Vec<String> {
            directory
                .owner_choices(actor, RecordKind::Person, None)
                .into_iter()
                .map(|c| c.label)
                .collect()
        };
        let admin = directory.users[5].actor();
        assert_eq!(
            names(&admin),
            [
                "Ilgaz Çelik",
                "İlker Şahin",
                "Ömer Demir",
                "Şule Arslan",
                "Zeynep Kaya"
            ],
            "everyone who may own records, read-only users left out, Turkish order"
        );
        let manager = directory.users[2].actor();
        assert_eq!(
            names(&manager),
            ["İlker Şahin", "Ömer Demir", "Zeynep Kaya"],
            "a manager hands records only within the team"
        );
        assert!(directory.stays_in_view(&manager, RecordKind::Person, UserId(1)));
        assert!(!directory.stays_in_view(&manager, RecordKind::Person, UserId(4)));
        let rep = directory.users[0].actor();
        assert_eq!(names(&rep), ["Zeynep Kaya"]);
    }
}
