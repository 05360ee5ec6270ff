//! A list's parameters (`q`, `owner_id`, `team_id`, `lifecycle_stage`, `tag`, `city`,
//! `created_from`, `created_to`, `company_id`, `custom.<key>…`, `combine`, `filter`, `sort`,
//! `cursor`, `limit`),
//! read once for both skins into one service request ([`ListRequest`]): the API reads them
//! strictly (an unknown or repeated name is refused), the UI's address bar leniently (its
//! own parameters — the page number, a notice — pass by, and empty inputs ask for nothing).
//! Every problem is collected in [`QueryErrors`]: the API answers them, the UI shows them
//! above the list.

use crate::query::{self, QueryErrors, QueryParams};
use rehber_app::filter;
use rehber_app::list::{CustomParam, ListRequest};
use rehber_app::{PageRequest, PartyFilter, PartySort, SortDirection};
use rehber_domain::filter::Draft;
use rehber_domain::party::{LifecycleStage, limits};
use rehber_domain::{CompanyId, TeamId, UserId};

/// The longest `filter` rule, in characters (twenty tests with long values fit).
const MAX_FILTER: usize = 8_000;

/// The largest page a list hands out.
pub const MAX_PAGE: u32 = 200;
/// The longest cursor a list hands out, with room to spare.
pub const MAX_CURSOR: usize = 4_100;

/// The names every list takes (the API documents them as `ListParams`).
pub const LIST_PARAMS: &[&str] = &[
    "q",
    "owner_id",
    "team_id",
    "lifecycle_stage",
    "tag",
    "city",
    "created_from",
    "created_to",
    "sort",
    "limit",
    "cursor",
    "deleted",
    "combine",
    "filter",
];

/// Records per page unless a request asks for another size (the UI always shows this many).
pub const DEFAULT_PAGE: u32 = 50;

/// How strictly a list's parameters are read.
#[derive(Debug, Clone, Copy)]
pub enum Reading<'a> {
    /// The API: the list parameters and the kind's `own`, nothing else, each at most once.
    Strict { own: &'a [&'a str] },
    /// The UI: whatever else the address holds is ignored (the first of a repeated name wins).
    Lenient,
}

/// Reads a list's parameters into a service request, every problem into `errors` (what
/// could not be read is left out of the request).
pub fn read(raw: Option<&str>, reading: Reading<'_>, errors: &mut QueryErrors) -> ListRequest {
    let strict = matches!(reading, Reading::Strict { .. });
    let query = match reading {
        Reading::Strict { own } => {
            QueryParams::parse(raw, &[LIST_PARAMS, own, &[query::CUSTOM_PARAMS]], errors)
        }
        Reading::Lenient => QueryParams::parse_lenient(raw),
    };
    let id = |name: &str, errors: &mut QueryErrors| query.integer(name, 1..=i64::MAX, errors);
    let lifecycle_stage = query.text("lifecycle_stage", 50, errors).and_then(|s| {
        let stage = LifecycleStage::parse(&s);
        if stage.is_none() {
            errors
                .invalid
                .add("lifecycle_stage", "invalid-unknown-value");
        }
        stage
    });
    let day = |field: &str, next_day: bool, errors: &mut QueryErrors| -> Option<i64> {
        let text = query.text(field, 10, errors)?;
        let start = filter::list_date(&text).and_then(|d| filter::day_start(d, next_day));
        if start.is_none() {
            errors.invalid.add(field, "invalid-date");
        }
        start
    };
    let created_from = day("created_from", false, errors);
    let created_to = day("created_to", true, errors);
    let mut sort_custom = None;
    let (sort, direction) = match query.text("sort", 60, errors) {
        None => (PartySort::Name, SortDirection::Asc),
        Some(s) => {
            let (name, direction) = match s.strip_prefix('-') {
                Some(rest) => (rest, SortDirection::Desc),
                None => (s.as_str(), SortDirection::Asc),
            };
            if let Some(key) = name.strip_prefix("custom.") {
                sort_custom = Some(key.to_string());
            }
            match PartySort::parse(name) {
                _ if sort_custom.is_some() => (PartySort::Name, direction),
                Some(sort) => (sort, direction),
                None => {
                    errors.invalid.add("sort", "invalid-unknown-value");
                    (PartySort::Name, SortDirection::Asc)
                }
            }
        }
    };
    let filter = PartyFilter {
        q: query.text("q", limits::SEARCH, errors),
        owner: id("owner_id", errors).map(UserId),
        team: id("team_id", errors).map(TeamId),
        lifecycle_stage,
        tag: query.text("tag", limits::TAG, errors),
        city: query.text("city", limits::PLACE, errors),
        created_from,
        created_to,
        company: id("company_id", errors).map(CompanyId),
        pipeline: id("pipeline_id", errors),
        stage: id("stage_id", errors),
        // The trash is its own page in the UI.
        deleted: strict && query.boolean("deleted", errors).unwrap_or(false),
        rule: None,
    };
    let combine_any = match query.text("combine", 3, errors).as_deref() {
        None | Some("all") => false,
        Some("any") => true,
        Some(_) => {
            errors.invalid.add("combine", "invalid-unknown-value");
            false
        }
    };
    let rule =
        query
            .json("filter", MAX_FILTER, errors)
            .and_then(|json| match Draft::parse(&json) {
                Ok(draft) => Some(draft),
                Err(code) => {
                    errors.invalid.add("filter", code);
                    None
                }
            });
    let custom = query
        .custom(errors)
        .into_iter()
        // A filter form sends its empty inputs too: an empty value asks for nothing.
        .filter(|(_, value)| strict || !value.is_empty())
        .map(|(name, value)| CustomParam { name, value })
        .collect();
    let limit = if strict {
        query.integer("limit", 1..=i64::from(MAX_PAGE), errors)
    } else {
        None
    };
    let after = query.text("cursor", MAX_CURSOR, errors);
    ListRequest {
        filter,
        sort,
        direction,
        page: PageRequest {
            after,
            limit: limit.map_or(DEFAULT_PAGE, |l| l as u32),
        },
        custom,
        sort_custom,
        rule,
        combine_any,
    }
}
