//! The list pages' query: parameters as typed in the URL (`q, owner_id, team_id,
//! lifecycle_stage, tag, city, created_from, created_to, company_id, sort, cursor` — the same
//! names as the API), read into a service [`ListRequest`] by the reader the API uses
//! ([`rehber_web_core::list_params`], leniently), the URLs of sort headers and pages, and the bulk
//! action form.

use super::Choice;
use rehber_app::list::{BulkOutcome, ListRequest};
use rehber_app::{PartySort, SortDirection};
use rehber_domain::UserId;
use rehber_web_core::auth::percent_encode;
use rehber_web_core::i18n::Lang;
use serde::Deserialize;

/// The list parameters as typed (all text, so a bad value is reported, not a 400).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub owner_id: String,
    pub team_id: String,
    pub lifecycle_stage: String,
    pub tag: String,
    pub city: String,
    pub created_from: String,
    pub created_to: String,
    pub company_id: String,
    /// Deals: of this pipeline, in this stage.
    pub pipeline_id: String,
    pub stage_id: String,
    /// `any`: one of the filters is enough (see the API's `combine`).
    pub combine: String,
    /// A rule as JSON (the API's `filter`), kept from a link or a saved address.
    pub filter: String,
    pub sort: String,
    pub cursor: String,
    /// The page number the cursor leads to (1 for the first), for "page 3 of 12".
    pub page: String,
    /// The cursors of the pages before this one, oldest first (`-` for the first page),
    /// comma-separated: what "previous page" walks back through.
    pub back: String,
    /// After a bulk action: which one, and how many records changed or were skipped.
    pub done: String,
    pub changed: String,
    pub skipped: String,
    /// A `notice-…` message key after a redirect.
    pub notice: String,
    /// The saved view just opened (its columns are handed to the column chooser).
    pub view: String,
    /// `custom.<name>=<value>` filters (serde cannot name them; see [`ListQuery::with_custom`]).
    #[serde(skip)]
    pub custom: Vec<(String, String)>,
}

/// How many earlier pages "previous page" can walk back through.
const MAX_TRAIL: usize = 20;

/// The filter parameters, in URL order.
const FILTERS: [&str; 12] = [
    "q",
    "owner_id",
    "team_id",
    "lifecycle_stage",
    "tag",
    "city",
    "created_from",
    "created_to",
    "company_id",
    "pipeline_id",
    "stage_id",
    "filter",
];

impl ListQuery {
    fn filter_value(&self, name: &str) -> &str {
        match name {
            "q" => &self.q,
            "owner_id" => &self.owner_id,
            "team_id" => &self.team_id,
            "lifecycle_stage" => &self.lifecycle_stage,
            "tag" => &self.tag,
            "city" => &self.city,
            "created_from" => &self.created_from,
            "created_to" => &self.created_to,
            "company_id" => &self.company_id,
            "pipeline_id" => &self.pipeline_id,
            "stage_id" => &self.stage_id,
            "filter" => &self.filter,
            _ => "",
        }
    }

    /// Reads the `custom.<name>` filters of a raw query string (empty values left out).
    pub fn with_custom(mut self, raw: Option<&str>) -> Self {
        self.custom = form_urlencoded::parse(raw.unwrap_or("").as_bytes())
            .filter_map(|(name, value)| {
                let name = name.strip_prefix("custom.")?.to_string();
                let value = value.trim().to_string();
                // What no filter holds (control characters, novels) is left out here.
                let readable = !value.contains(char::is_control) && value.chars().count() <= 500;
                (!name.is_empty() && !value.is_empty() && readable).then_some((name, value))
            })
            .take(50)
            .collect();
        self
    }

    /// The value of one custom filter (`ciro_gte`), empty when absent.
    pub fn custom_value(&self, name: &str) -> &str {
        self.custom
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Whether one of the filters is enough (`combine=any`).
    pub fn combines_any(&self) -> bool {
        self.combine == "any"
    }

    /// Whether any filter narrows the list (the empty state then says "no matches").
    pub fn is_filtered(&self) -> bool {
        FILTERS
            .iter()
            .any(|f| !self.filter_value(f).trim().is_empty())
            || !self.custom.is_empty()
    }

    /// The query string of the filters and sort, without the page (`q=…&sort=…`).
    pub fn filters_query(&self) -> String {
        let mut pairs: Vec<String> = FILTERS
            .iter()
            .filter(|f| !self.filter_value(f).trim().is_empty())
            .map(|f| format!("{f}={}", percent_encode(self.filter_value(f).trim())))
            .collect();
        pairs.extend(
            self.custom
                .iter()
                .map(|(n, v)| format!("custom.{}={}", percent_encode(n), percent_encode(v))),
        );
        if self.combines_any() {
            pairs.push("combine=any".into());
        }
        if !self.sort.is_empty() {
            pairs.push(format!("sort={}", percent_encode(&self.sort)));
        }
        pairs.join("&")
    }

    /// `base` with the filters, the sort and, when given, a cursor.
    pub fn href(&self, base: &str, cursor: Option<&str>) -> String {
        let mut query = self.filters_query();
        if let Some(cursor) = cursor {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str("cursor=");
            query.push_str(&percent_encode(cursor));
        }
        if query.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{query}")
        }
    }

    /// This page's number (1 on the first page, whatever the URL says).
    pub fn page_number(&self) -> u32 {
        if self.cursor.trim().is_empty() {
            return 1;
        }
        self.page
            .trim()
            .parse()
            .ok()
            .filter(|n| *n > 1)
            .unwrap_or(2)
    }

    fn trail(&self) -> Vec<&str> {
        self.back
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect()
    }

    /// A page's URL with its number and the trail back to the first page (the last
    /// [`MAX_TRAIL`] pages; earlier ones are reached through "first page").
    fn page_href(&self, base: &str, cursor: Option<&str>, page: u32, trail: &[&str]) -> String {
        let href = self.href(base, cursor);
        if cursor.is_none() {
            return href;
        }
        let from = trail.len().saturating_sub(MAX_TRAIL);
        let back = trail[from..].join(",");
        let joiner = if href.contains('?') { '&' } else { '?' };
        format!("{href}{joiner}page={page}&back={}", percent_encode(&back))
    }

    /// The next page after this one, which ends at `next_cursor`.
    pub fn next_href(&self, base: &str, next_cursor: &str) -> String {
        let mut trail = self.trail();
        let here = self.cursor.trim();
        trail.push(if here.is_empty() { "-" } else { here });
        self.page_href(base, Some(next_cursor), self.page_number() + 1, &trail)
    }

    /// The page before this one, when the trail remembers it.
    pub fn previous_href(&self, base: &str) -> Option<String> {
        if self.cursor.trim().is_empty() {
            return None;
        }
        let mut trail = self.trail();
        let previous = trail.pop()?;
        let cursor = (previous != "-").then_some(previous);
        Some(self.page_href(base, cursor, self.page_number() - 1, &trail))
    }

    /// The sort column and direction in effect (name ascending by default).
    pub fn sort_state(&self) -> (PartySort, SortDirection) {
        let s = self.sort.trim();
        let (name, direction) = match s.strip_prefix('-') {
            Some(rest) => (rest, SortDirection::Desc),
            None => (s, SortDirection::Asc),
        };
        match PartySort::parse(name) {
            Some(sort) => (sort, direction),
            // A custom sort is resolved by the services; its direction holds.
            None if name.starts_with("custom.") => (PartySort::Name, direction),
            None => (PartySort::Name, SortDirection::Asc),
        }
    }

    /// The notice after a bulk action ("12 updated, 3 skipped") or a redirect, if any.
    pub fn notice(&self, lang: Lang) -> Option<String> {
        if matches!(
            self.done.as_str(),
            "assign" | "assign-away" | "tag" | "delete"
        ) {
            let count = |text: &str| lang.number(text.parse::<i64>().unwrap_or(0));
            return Some(lang.t_args(
                &format!("bulk-result-{}", self.done),
                &[
                    ("changed", count(&self.changed)),
                    ("skipped", count(&self.skipped)),
                ],
            ));
        }
        let key = self.notice.as_str();
        (key.starts_with("notice-") && lang.has(key)).then(|| lang.t(key))
    }
}

/// A sortable column header: its link, its state and the `aria-sort` value.
#[derive(Debug, Clone)]
pub struct SortHeader {
    pub label: String,
    pub href: String,
    /// `sort is-asc`, `sort is-desc` or `sort`.
    pub class: &'static str,
    /// `ascending`, `descending` or `none`.
    pub aria: &'static str,
}

/// The header of a sortable column: the first click sorts names A→Z and dates newest first;
/// clicking the active column reverses it.
pub fn sort_header(query: &ListQuery, base: &str, column: PartySort, label: String) -> SortHeader {
    let (current, direction) = query.sort_state();
    let active = current == column;
    // Dates start with the newest, scores with the highest; names and places from A.
    let next_desc = if active {
        direction == SortDirection::Asc
    } else {
        matches!(
            column,
            PartySort::Created | PartySort::Updated | PartySort::Score
        )
    };
    let mut next = query.clone();
    next.sort = if next_desc {
        format!("-{}", column.as_str())
    } else {
        column.as_str().to_string()
    };
    let (class, aria) = match (active, direction) {
        (false, _) => ("sort", "none"),
        (true, SortDirection::Asc) => ("sort is-asc", "ascending"),
        (true, SortDirection::Desc) => ("sort is-desc", "descending"),
    };
    SortHeader {
        label,
        href: next.href(base, None),
        class,
        aria,
    }
}

/// Everything the filter bar, the bulk bar and the pager of a list need.
#[derive(Debug, Clone)]
pub struct ListView {
    /// `/people` or `/companies`.
    pub base: &'static str,
    pub query: ListQuery,
    pub count_label: String,
    pub problems: Vec<String>,
    pub notice: Option<String>,
    pub next_href: Option<String>,
    pub previous_href: Option<String>,
    pub first_href: Option<String>,
    /// "Sayfa 2 / 14" (empty on a list of one page).
    pub page_label: String,
    /// How many records match (what "select all matching" acts on), and whether that is
    /// more than one bulk action may change.
    pub matching: i64,
    pub matching_label: String,
    pub too_many_for_bulk: bool,
    pub owners: Vec<Choice>,
    pub teams: Vec<Choice>,
    pub stages: Vec<Choice>,
    /// Company filter (people only; empty for companies).
    pub companies: Vec<Choice>,
    pub show_company_filter: bool,
    /// A deal list: a stage filter instead of the lifecycle stage and the city.
    pub deals: bool,
    /// Owner and team filters (hidden for roles that only see their own records).
    pub show_owner_filter: bool,
    pub can_write: bool,
    pub can_delete: bool,
    pub can_reassign: bool,
    /// Rendered as an htmx fragment (the count is then swapped out of band).
    pub partial: bool,
    /// Filters on the kind's filterable custom fields.
    pub custom_filters: Vec<crate::custom::CustomFilter>,
    /// The saved views menu.
    pub views: crate::records::pages::ViewMenu,
    /// The list as a file, with its filters (`/people/export?city=…`), when the kind can be
    /// exported and the viewer may.
    pub export_href: Option<String>,
}

impl ListView {
    /// A list this long is exported in the background and handed over as a notification.
    pub fn export_in_background(&self) -> bool {
        self.matching > rehber_app::list_exports::BACKGROUND_EXPORT_ROWS as i64
    }

    /// The kind and filters a background export asks for (`person`, `city=…`).
    pub fn export_request(&self) -> (&'static str, String) {
        let record_type = match self.base {
            "/companies" => "company",
            _ => "person",
        };
        let query = self
            .export_href
            .as_deref()
            .and_then(|href| href.split_once('?'))
            .map(|(_, query)| query.to_string())
            .unwrap_or_default();
        (record_type, query)
    }

    /// The review list of possible duplicates, for people and companies, to those who may
    /// merge them (edit and delete).
    pub fn duplicates_href(&self) -> Option<&'static str> {
        if !(self.can_write && self.can_delete) {
            return None;
        }
        match self.base {
            "/people" => Some("/duplicates?record_type=person"),
            "/companies" => Some("/duplicates?record_type=company"),
            _ => None,
        }
    }

    /// The import wizard for this kind, to those who may create its records.
    pub fn import_href(&self) -> Option<&'static str> {
        if !self.can_write {
            return None;
        }
        match self.base {
            "/people" => Some("/imports?kind=people"),
            "/companies" => Some("/imports?kind=companies"),
            _ => None,
        }
    }

    /// The query string to come back to after a bulk action.
    pub fn return_query(&self) -> String {
        self.query.filters_query()
    }

    pub fn has_bulk(&self) -> bool {
        self.can_write
    }

    pub fn filtered(&self) -> bool {
        self.query.is_filtered()
    }

    /// The list as it is, without the address's filter rule.
    pub fn without_rule_href(&self) -> String {
        let query = ListQuery {
            filter: String::new(),
            ..self.query.clone()
        };
        query.href(self.base, None)
    }

    /// Whether any filter other than the search box is set (the filter panel opens then).
    pub fn has_filters(&self) -> bool {
        FILTERS[1..]
            .iter()
            .any(|f| !self.query.filter_value(f).trim().is_empty())
            || !self.query.custom.is_empty()
    }
}

/// The bulk form: selected ids, the action and its argument, and where to return.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct BulkInput {
    pub ids: Vec<String>,
    /// `1` when the action is for every record matching the list's filters, not only the
    /// ticked rows.
    pub all: String,
    pub action: String,
    pub owner_id: String,
    pub tag: String,
    pub return_to: String,
}

/// What a bulk action asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkAction {
    Assign(UserId),
    Tag(String),
    Delete,
}

impl BulkInput {
    /// The selected ids (unreadable ones are ignored: they cannot name a record).
    pub fn ids(&self) -> Vec<i64> {
        self.ids
            .iter()
            .filter_map(|id| id.trim().parse().ok())
            .collect()
    }

    /// The requested action, or the `notice-…` key explaining why there is none.
    pub fn action(&self) -> Result<BulkAction, &'static str> {
        match self.action.as_str() {
            "assign" => self
                .owner_id
                .trim()
                .parse()
                .map(|id| BulkAction::Assign(UserId(id)))
                .map_err(|_| "notice-bulk-owner-required"),
            "tag" if self.tag.trim().is_empty() => Err("notice-bulk-tag-required"),
            "tag" => Ok(BulkAction::Tag(self.tag.trim().to_string())),
            "delete" => Ok(BulkAction::Delete),
            _ => Err("notice-bulk-unknown"),
        }
    }

    /// Whether the action is for every record the list's filters match.
    pub fn all_matching(&self) -> bool {
        self.all.trim() == "1"
    }

    /// The list's query the form came from, parsed again from `return_to` (custom filters
    /// included).
    pub fn list_query(&self, base: &str) -> ListQuery {
        let uri = format!("{base}?{}", self.return_to);
        uri.parse::<axum::http::Uri>()
            .ok()
            .and_then(|uri| axum::extract::Query::<ListQuery>::try_from_uri(&uri).ok())
            .map(|q| q.0)
            .unwrap_or_default()
            .with_custom(Some(&self.return_to))
    }

    /// The list URL to return to, rebuilt from the parsed filters (never a raw redirect
    /// target), with `extra` parameters appended.
    pub fn return_href(&self, base: &str, extra: &str) -> String {
        let query = self.list_query(base);
        let mut href = query.href(base, None);
        href.push(if href.contains('?') { '&' } else { '?' });
        href.push_str(extra);
        href
    }
}

/// The parameters reporting a bulk outcome on the list.
pub fn outcome_params(action: &BulkAction, outcome: BulkOutcome) -> String {
    let name = match action {
        BulkAction::Assign(_) => "assign",
        BulkAction::Tag(_) => "tag",
        BulkAction::Delete => "delete",
    };
    format!(
        "done={name}&changed={}&skipped={}",
        outcome.changed, outcome.skipped
    )
}

/// A list page's address as a service request (read by the same reader as the API's, but
/// leniently), with a localized line for each value that could not be used: what cannot be
/// read is left out of the filter, never a reason to refuse the page.
pub fn list_request(lang: Lang, raw: Option<&str>) -> (ListRequest, Vec<String>) {
    let mut errors = rehber_web_core::query::QueryErrors::default();
    let request = rehber_web_core::list_params::read(
        raw,
        rehber_web_core::list_params::Reading::Lenient,
        &mut errors,
    );
    let problems = errors
        .unreadable
        .0
        .iter()
        .chain(errors.invalid.0.iter())
        .map(|e| {
            let label = match e.field.as_str() {
                "created_from" => lang.t("records-created-from"),
                "created_to" => lang.t("records-created-to"),
                "filter" => lang.t("records-rule"),
                "combine" => lang.t("records-combine"),
                field => lang.t(&format!("field-{field}")),
            };
            format!("{label}: {}", lang.t(&e.code))
        })
        .collect();
    (request, problems)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
