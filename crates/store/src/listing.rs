//! List queries for people and companies: the filter, sort and keyset page a caller asks
//! for, and their translation into one sea-query statement for the live backend.
//!
//! Pagination is keyset (`(sort column, id) > (last value, last id)`), never OFFSET, so the
//! thousandth page of a million people costs what the first does.

use crate::Backend;
use crate::scope::scope_condition;
use rehber_domain::access::Visibility;
use rehber_domain::party::LifecycleStage;
use rehber_domain::validate::text::search_key;
use rehber_domain::{CompanyId, TeamId, UserId};
use sea_query::{Alias, Cond, Expr, ExprTrait, Order, SelectStatement};

/// Filters of a people or company list. `company` applies to people only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartyFilter {
    /// Free text: names, e-mails, phones (and company names for people), Turkish-aware.
    pub q: Option<String>,
    pub owner: Option<UserId>,
    pub team: Option<TeamId>,
    pub lifecycle_stage: Option<LifecycleStage>,
    pub tag: Option<String>,
    pub city: Option<String>,
    /// Created at or after (UTC microseconds).
    pub created_from: Option<i64>,
    /// Created before (UTC microseconds).
    pub created_to: Option<i64>,
    pub company: Option<CompanyId>,
    /// List the deleted records (the trash) instead of the live ones.
    pub deleted: bool,
}

/// Sortable columns (each backed by an index).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PartySort {
    #[default]
    Name,
    Created,
    Updated,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortDirection {
    #[default]
    Asc,
    Desc,
}

impl PartySort {
    pub fn parse(input: &str) -> Option<PartySort> {
        match input {
            "name" => Some(PartySort::Name),
            "created_at" | "created" => Some(PartySort::Created),
            "updated_at" | "updated" => Some(PartySort::Updated),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PartySort::Name => "name",
            PartySort::Created => "created_at",
            PartySort::Updated => "updated_at",
        }
    }

    fn column(self) -> &'static str {
        match self {
            PartySort::Name => "sort_key",
            PartySort::Created => "created_at",
            PartySort::Updated => "updated_at",
        }
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Opaque cursor of the next page, when there is one.
    pub next_cursor: Option<String>,
}

/// The requested page: after which cursor, how many rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageRequest {
    pub after: Option<String>,
    pub limit: u32,
}

/// A decoded cursor: the last row's sort value and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cursor {
    Text(String, i64),
    Number(i64, i64),
}

impl Cursor {
    /// Cursors are `id.hex(sort value)`: opaque to clients, safe in URLs.
    pub(crate) fn encode(sort: PartySort, id: i64, sort_text: &str, sort_number: i64) -> String {
        match sort {
            PartySort::Name => format!("{id}.{}", hex(sort_text.as_bytes())),
            PartySort::Created | PartySort::Updated => format!("{id}.{sort_number}"),
        }
    }

    /// A cursor that does not decode is treated as "from the start" by the caller's choice;
    /// here it is `None`.
    pub(crate) fn decode(sort: PartySort, text: &str) -> Option<Cursor> {
        let (id, value) = text.split_once('.')?;
        let id: i64 = id.parse().ok()?;
        match sort {
            PartySort::Name => String::from_utf8(unhex(value)?)
                .ok()
                .map(|v| Cursor::Text(v, id)),
            PartySort::Created | PartySort::Updated => {
                value.parse().ok().map(|v| Cursor::Number(v, id))
            }
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The table a list reads and how its search index is reached.
pub(crate) struct ListTable {
    pub table: &'static str,
    pub fts_table: &'static str,
    pub tag_table: &'static str,
    pub tag_key: &'static str,
}

/// Turns a typed query into folded prefix tokens. A query of digits and phone punctuation
/// becomes one token so `0532 123` finds `05321234567`.
pub(crate) fn search_tokens(q: &str) -> Vec<String> {
    let looks_like_phone = q.chars().any(|c| c.is_ascii_digit())
        && q.chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    if looks_like_phone {
        let digits: String = q.chars().filter(char::is_ascii_digit).collect();
        return vec![digits];
    }
    search_key(q)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// The placeholder of the first value in a custom sea-query expression. sea-query reads `?`
/// on SQLite but numbered `$1` on PostgreSQL (where a `?` would reach the server verbatim).
fn placeholder(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "?",
        Backend::Postgres => "$1",
    }
}

/// Builds the WHERE conditions of a list (scope, filters, search), without keyset or order.
pub(crate) fn conditions(
    backend: Backend,
    t: &ListTable,
    visibility: Visibility,
    filter: &PartyFilter,
) -> Cond {
    let col = |name: &str| Expr::col((Alias::new(t.table), Alias::new(name)));
    let mut cond = Cond::all().add(scope_condition(t.table, visibility));
    cond = if filter.deleted {
        cond.add(col("deleted_at").is_not_null())
    } else {
        cond.add(col("deleted_at").is_null())
    };
    if let Some(q) = filter.q.as_deref() {
        let tokens = search_tokens(q);
        if !tokens.is_empty() {
            // Full-text search is a dialect gap: FTS5 on SQLite, tsvector on PostgreSQL. Tokens
            // are folded to [a-z0-9] so neither query language can be injected.
            let search = match backend {
                Backend::Sqlite => {
                    let matcher = tokens
                        .iter()
                        .map(|t| format!("\"{t}\"*"))
                        .collect::<Vec<_>>()
                        .join(" AND ");
                    Expr::cust_with_values(
                        format!(
                            "{}.id IN (SELECT rowid FROM {} WHERE {} MATCH {})",
                            t.table,
                            t.fts_table,
                            t.fts_table,
                            placeholder(backend)
                        ),
                        [matcher],
                    )
                }
                Backend::Postgres => {
                    let matcher = tokens
                        .iter()
                        .map(|t| format!("{t}:*"))
                        .collect::<Vec<_>>()
                        .join(" & ");
                    Expr::cust_with_values(
                        format!(
                            "{}.search_tsv @@ to_tsquery('simple', {})",
                            t.table,
                            placeholder(backend)
                        ),
                        [matcher],
                    )
                }
            };
            cond = cond.add(search);
        }
    }
    if let Some(owner) = filter.owner {
        cond = cond.add(col("owner_id").eq(owner.0));
    }
    if let Some(team) = filter.team {
        cond = cond.add(col("team_id").eq(team.0));
    }
    if let Some(stage) = filter.lifecycle_stage {
        cond = cond.add(col("lifecycle_stage").eq(stage.as_str()));
    }
    if let Some(city) = filter
        .city
        .as_deref()
        .map(search_key)
        .filter(|c| !c.is_empty())
    {
        cond = cond.add(col("city_key").eq(city));
    }
    if let Some(tag) = filter
        .tag
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let tag = rehber_domain::party::tag_key(tag);
        cond = cond.add(Expr::cust_with_values(
            format!(
                "{}.id IN (SELECT {} FROM {} WHERE tag = {})",
                t.table,
                t.tag_key,
                t.tag_table,
                placeholder(backend)
            ),
            [tag],
        ));
    }
    if let Some(from) = filter.created_from {
        cond = cond.add(col("created_at").gte(from));
    }
    if let Some(to) = filter.created_to {
        cond = cond.add(col("created_at").lt(to));
    }
    if let Some(company) = filter.company {
        cond = cond.add(col("company_id").eq(company.0));
    }
    cond
}

/// Adds keyset position, order and limit (one extra row to know whether a next page exists).
pub(crate) fn paginate(
    query: &mut SelectStatement,
    table: &str,
    sort: PartySort,
    direction: SortDirection,
    page: &PageRequest,
) {
    let sort_col = Expr::col((Alias::new(table), Alias::new(sort.column())));
    let id_col = Expr::col((Alias::new(table), Alias::new("id")));
    if let Some(cursor) = page.after.as_deref().and_then(|c| Cursor::decode(sort, c)) {
        let (value, id): (sea_query::Value, i64) = match cursor {
            Cursor::Text(v, id) => (v.into(), id),
            Cursor::Number(v, id) => (v.into(), id),
        };
        let left = Expr::tuple([sort_col.clone(), id_col.clone()]);
        let right = Expr::tuple([Expr::val(value), Expr::val(id)]);
        query.and_where(match direction {
            SortDirection::Asc => left.gt(right),
            SortDirection::Desc => left.lt(right),
        });
    }
    let order = match direction {
        SortDirection::Asc => Order::Asc,
        SortDirection::Desc => Order::Desc,
    };
    query
        .order_by_expr(sort_col, order.clone())
        .order_by_expr(id_col, order);
    query.limit(u64::from(page.limit.clamp(1, 500)) + 1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_like_queries_become_one_digit_token() {
        assert_eq!(search_tokens("0532 123"), vec!["0532123"]);
        assert_eq!(search_tokens("+90 (212) 555"), vec!["90212555"]);
        assert_eq!(search_tokens("Işık Çağlar"), vec!["isik", "caglar"]);
    }

    #[test]
    fn cursors_round_trip_for_text_and_numbers() {
        let c = Cursor::encode(PartySort::Name, 42, "c{agla r", 0);
        assert_eq!(
            Cursor::decode(PartySort::Name, &c),
            Some(Cursor::Text("c{agla r".into(), 42))
        );
        let c = Cursor::encode(PartySort::Created, 7, "", 1_700_000);
        assert_eq!(
            Cursor::decode(PartySort::Created, &c),
            Some(Cursor::Number(1_700_000, 7))
        );
        assert_eq!(Cursor::decode(PartySort::Name, "garbage"), None);
    }
}
