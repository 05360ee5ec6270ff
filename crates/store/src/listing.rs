//! List queries for people and companies: the filter, sort and keyset page a caller asks
//! for, and their translation into sea-query statements for the live backend. The filter and
//! its rule are turned into conditions in [`rules`]; searches are planned in [`search`], and a
//! search by name ranks exact names first in [`rank`].
//!
//! Pagination is keyset (`(sort column, id) > (last value, last id)`), never OFFSET, so the
//! thousandth page of a million people costs what the first does.

use crate::sql::Row;
use crate::{Backend, Store, StoreError};
use rehber_domain::access::Visibility;
use sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement};
use search::{SearchTerms, search_plan};

/// The largest page a caller may ask for.
const MAX_PAGE: u32 = 500;

/// How many rows a page holds at most, kept within 1 and [`MAX_PAGE`].
fn page_size(limit: u32) -> u32 {
    limit.clamp(1, MAX_PAGE)
}

mod custom;
mod rank;
mod rules;
mod search;

pub use custom::CustomSort;
use custom::fetch_custom_sorted;
pub use rules::PartyFilter;
pub(crate) use rules::filter_conditions;

/// Sortable columns (each backed by an index), or a custom field. `City` sorts on the folded
/// city and `Company` (people) on the folded company name, so `Çorum` sorts with the Cs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PartySort {
    #[default]
    Name,
    Created,
    Updated,
    City,
    Company,
    /// The lead score (people and companies).
    Score,
    /// The balance of the TRY account (people and companies).
    Balance,
    /// The overdue part of it (people and companies).
    Overdue,
    Custom(CustomSort),
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
            "city" => Some(PartySort::City),
            "company" => Some(PartySort::Company),
            "lead_score" => Some(PartySort::Score),
            "balance" => Some(PartySort::Balance),
            "overdue" => Some(PartySort::Overdue),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PartySort::Name => "name",
            PartySort::Created => "created_at",
            PartySort::Updated => "updated_at",
            PartySort::City => "city",
            PartySort::Company => "company",
            PartySort::Score => "lead_score",
            PartySort::Balance => "balance",
            PartySort::Overdue => "overdue",
            PartySort::Custom(_) => "custom",
        }
    }

    /// The column a list sorts on. A custom sort has none (it is a lookup, see
    /// [`CustomSort`]), and never reaches the search plans, which read this.
    pub(crate) fn column(self) -> &'static str {
        match self {
            PartySort::Name => "sort_key",
            PartySort::Created => "created_at",
            PartySort::City => "city_key",
            PartySort::Company => "company_key",
            PartySort::Score => "lead_score",
            PartySort::Balance => "balance_minor",
            PartySort::Overdue => "overdue_minor",
            PartySort::Updated | PartySort::Custom(_) => "updated_at",
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
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cursor {
    Text(String, i64),
    Number(i64, i64),
    /// A custom field's value (none: the record has no value).
    Custom(Option<CustomValue>, i64),
}

/// The sort value of a custom field in a cursor.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum CustomValue {
    Text(String),
    Number(f64),
}

impl Cursor {
    /// Cursors are `id.hex(sort value)`: opaque to clients, safe in URLs.
    pub(crate) fn encode(sort: PartySort, id: i64, sort_text: &str, sort_number: i64) -> String {
        match sort {
            PartySort::Name | PartySort::City | PartySort::Company => {
                format!("{id}.{}", hex(sort_text.as_bytes()))
            }
            PartySort::Created
            | PartySort::Updated
            | PartySort::Score
            | PartySort::Balance
            | PartySort::Overdue => {
                format!("{id}.{sort_number}")
            }
            PartySort::Custom(_) => format!("{id}.z"),
        }
    }

    /// A custom sort's cursor: `id.n<number>`, `id.t<hex text>` or `id.z` (no value).
    pub(crate) fn encode_custom(id: i64, value: Option<CustomValue>) -> String {
        match value {
            None => format!("{id}.z"),
            Some(CustomValue::Number(n)) => format!("{id}.n{n}"),
            Some(CustomValue::Text(t)) => format!("{id}.t{}", hex(t.as_bytes())),
        }
    }

    /// A cursor that does not decode is treated as "from the start" by the caller's choice;
    /// here it is `None`.
    /// Only what `encode` can produce decodes: a positive id and a sort key spelled in the
    /// sort key alphabet (so no byte a database could choke on reaches a query).
    pub(crate) fn decode(sort: PartySort, text: &str) -> Option<Cursor> {
        let (id, value) = text.split_once('.')?;
        let id: i64 = id.parse().ok().filter(|id| *id > 0)?;
        match sort {
            PartySort::Name | PartySort::City | PartySort::Company => {
                String::from_utf8(unhex(value)?)
                    .ok()
                    .filter(|v| v.len() <= MAX_CURSOR_KEY && v.bytes().all(is_sort_key_byte))
                    .map(|v| Cursor::Text(v, id))
            }
            PartySort::Created
            | PartySort::Updated
            | PartySort::Score
            | PartySort::Balance
            | PartySort::Overdue => value.parse().ok().map(|v| Cursor::Number(v, id)),
            PartySort::Custom(custom) => {
                let decoded = match (value.split_at_checked(1)?, custom.numeric) {
                    (("z", ""), _) => None,
                    (("n", n), true) => Some(CustomValue::Number(
                        n.parse::<f64>().ok().filter(|n| n.is_finite())?,
                    )),
                    (("t", t), false) => Some(CustomValue::Text(
                        String::from_utf8(unhex(t)?).ok().filter(|v| {
                            v.len() <= MAX_CURSOR_KEY && !v.contains(char::is_control)
                        })?,
                    )),
                    _ => return None,
                };
                Some(Cursor::Custom(decoded, id))
            }
        }
    }
}

/// Sort keys are at most 401 bytes (two names of 100 characters, each letter spelled in at
/// most two bytes); older records may have longer ones.
const MAX_CURSOR_KEY: usize = 2_000;

/// The bytes a sort key is spelled in (`validate::text::sort_key`).
fn is_sort_key_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'{' || b == b' '
}

/// Whether a client's cursor is one a list of this sort could have handed out.
pub fn cursor_is_valid(sort: PartySort, text: &str) -> bool {
    Cursor::decode(sort, text).is_some()
}

pub(crate) fn hex(bytes: &[u8]) -> String {
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

/// The table a list reads and how its search index is reached. Both tables have a
/// `search_text` column: the folded words a search looks in, each after a space.
pub struct ListTable {
    pub table: &'static str,
    pub fts_table: &'static str,
    pub tag_table: &'static str,
    pub tag_key: &'static str,
}

/// The placeholder of the first value in a custom sea-query expression. sea-query reads `?`
/// on SQLite but numbered `$1` on PostgreSQL (where a `?` would reach the server verbatim).
pub(crate) fn placeholder(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "?",
        Backend::Postgres => "$1",
    }
}

/// The rows of a list, as a statement without columns: FROM, the scope and filters, and a
/// search through the full-text index. Keyset and order are the caller's. `dense` says, for
/// each custom condition of the filter's rule in order, whether it is dense (see
/// [`Store::plan_custom`]).
pub(crate) fn matching(
    backend: Backend,
    t: &ListTable,
    visibility: Visibility,
    filter: &PartyFilter,
    dense: &[bool],
) -> SelectStatement {
    let mut query = Query::select();
    query.cond_where(filter_conditions(backend, t, visibility, filter, dense));
    match filter.q.as_deref().and_then(SearchTerms::parse) {
        Some(terms) => terms.select_matching(&mut query, backend, t),
        None => {
            query.from(Alias::new(t.table));
        }
    }
    query
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
            Cursor::Custom(..) => return,
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
    query.limit(u64::from(page_size(page.limit)) + 1);
}

/// What a caller asks of a list: whose view, which rows, in which order, which page.
pub(crate) struct ListAsk<'a> {
    pub visibility: Visibility,
    pub filter: &'a PartyFilter,
    /// Which of the filter's custom conditions are dense ([`Store::plan_custom`]).
    pub dense: &'a [bool],
    pub sort: PartySort,
    pub direction: SortDirection,
    pub page: &'a PageRequest,
}

impl ListAsk<'_> {
    /// The page size, within bounds.
    pub(crate) fn limit(&self) -> usize {
        page_size(self.page.limit) as usize
    }
}

/// A page of records from the rows [`Store::fetch_list`] returned (one more than the limit
/// when a next page exists): the rows up to the limit, each read by `read`, and the cursor
/// after the last (made of the row's `id`, `sort_key`, `created_at` and `updated_at`).
pub(crate) fn page_of<T>(
    mut rows: Vec<Row>,
    limit: u32,
    sort: PartySort,
    read: fn(&Row) -> Result<T, StoreError>,
) -> Result<Page<T>, StoreError> {
    let limit = page_size(limit) as usize;
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next_cursor = match rows.last().filter(|_| more) {
        None => None,
        Some(last) => {
            let id: i64 = last.get("id")?;
            Some(match sort {
                PartySort::Name => Cursor::encode(sort, id, &last.get::<String>("sort_key")?, 0),
                PartySort::City => Cursor::encode(sort, id, &last.get::<String>("city_key")?, 0),
                PartySort::Company => {
                    Cursor::encode(sort, id, &last.get::<String>("company_key")?, 0)
                }
                PartySort::Created => Cursor::encode(sort, id, "", last.get("created_at")?),
                PartySort::Updated => Cursor::encode(sort, id, "", last.get("updated_at")?),
                PartySort::Score => Cursor::encode(sort, id, "", last.get("lead_score")?),
                PartySort::Balance => Cursor::encode(sort, id, "", last.get("balance_minor")?),
                PartySort::Overdue => Cursor::encode(sort, id, "", last.get("overdue_minor")?),
                PartySort::Custom(custom) => Cursor::encode_custom(
                    id,
                    if custom.numeric {
                        last.get::<Option<f64>>("custom_sort")?
                            .map(CustomValue::Number)
                    } else {
                        last.get::<Option<String>>("custom_sort")?
                            .map(CustomValue::Text)
                    },
                ),
            })
        }
    };
    Ok(Page {
        items: rows.iter().map(read).collect::<Result<_, _>>()?,
        next_cursor,
    })
}

impl Store {
    /// The rows of a list page of `columns` (one more than the limit when a next page
    /// exists): scope, filters, search, keyset, order.
    pub(crate) async fn fetch_list(
        &self,
        t: &ListTable,
        columns: &'static str,
        ask: ListAsk<'_>,
    ) -> Result<Vec<Row>, StoreError> {
        let dense = self.plan_custom(ask.filter).await?;
        let ask = ListAsk {
            dense: &dense,
            ..ask
        };
        if let Some(rows) = self.fetch_exact_first(t, columns, &ask).await? {
            return Ok(rows);
        }
        self.fetch_planned(t, columns, &ask).await
    }

    /// [`Store::fetch_list`] once the custom tests are planned, in the list's own order.
    async fn fetch_planned(
        &self,
        t: &ListTable,
        columns: &'static str,
        ask: &ListAsk<'_>,
    ) -> Result<Vec<Row>, StoreError> {
        let backend = self.backend();
        // A custom sort walks its value index (the search, if any, still narrows through the
        // full-text index); the search plans are for the built-in sort indexes.
        if let PartySort::Custom(custom) = ask.sort {
            return fetch_custom_sorted(self, t, columns, ask, custom).await;
        }
        let Some(terms) = ask.filter.q.as_deref().and_then(SearchTerms::parse) else {
            let mut query = matching(backend, t, ask.visibility, ask.filter, ask.dense);
            query.expr(Expr::cust(columns));
            paginate(&mut query, t.table, ask.sort, ask.direction, ask.page);
            return self.fetch_rows(&query).await;
        };
        let plan = search_plan(backend, t, columns, ask, &terms);
        let (found, answered) = self.read_window(&plan.sample, plan.limit).await?;
        if answered {
            return Ok(found);
        }
        if let Some(rows) = plan.window_rows(found.len()) {
            let window = search::list_window(backend, t, ask, &terms, columns, rows);
            let (found, answered) = self.read_window(&window, plan.limit).await?;
            if answered {
                return Ok(found);
            }
        }
        self.fetch_rows(&plan.indexed).await
    }

    /// A window's matches, and whether they are the page: a page plus one found in the
    /// window is what the full query returns (the window is the list's own prefix), and so
    /// is whatever a window that reached the end of the list found.
    async fn read_window(
        &self,
        window: &search::Window,
        limit: usize,
    ) -> Result<(Vec<Row>, bool), StoreError> {
        let found = self.fetch_rows(&window.probe).await?;
        if found.len() > limit {
            return Ok((found, true));
        }
        let reached_the_end = self.fetch_scalars(&window.end).await?.is_empty();
        Ok((found, reached_the_end))
    }

    /// Counts a list's rows up to `cap` (the inner query stops at the cap).
    pub(crate) async fn count_matching(
        &self,
        t: &ListTable,
        visibility: Visibility,
        filter: &PartyFilter,
        cap: u32,
    ) -> Result<i64, StoreError> {
        let dense = self.plan_custom(filter).await?;
        let mut inner = matching(self.backend(), t, visibility, filter, &dense);
        inner.expr(Expr::cust("1")).limit(u64::from(cap));
        let mut outer = Query::select();
        outer
            .expr(Expr::cust("COUNT(*)"))
            .from_subquery(inner, Alias::new("matching"));
        let counts: Vec<i64> = self.fetch_scalars(&outer).await?;
        Ok(counts.first().copied().unwrap_or(0))
    }

    /// The subset of `ids` that are live and visible.
    pub(crate) async fn visible_ids(
        &self,
        t: &ListTable,
        visibility: Visibility,
        ids: &[i64],
    ) -> Result<Vec<i64>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let id = Expr::col((Alias::new(t.table), Alias::new("id")));
        let mut query = matching(self.backend(), t, visibility, &PartyFilter::default(), &[]);
        query
            .expr(id.clone())
            .and_where(id.is_in(ids.iter().copied()));
        self.fetch_scalars(&query).await
    }

    /// The live records of table `t` in view whose sort key (the folded name) is that of
    /// one of `names`: folded name → ids, lowest first.
    pub(crate) async fn ids_by_sort_key(
        &self,
        t: &ListTable,
        visibility: Visibility,
        names: &[String],
    ) -> Result<std::collections::HashMap<String, Vec<i64>>, StoreError> {
        let mut found: std::collections::HashMap<String, Vec<i64>> =
            std::collections::HashMap::new();
        let keys: Vec<String> = names
            .iter()
            .map(|n| rehber_domain::validate::text::sort_key(n))
            .collect();
        for chunk in keys.chunks(500) {
            let sort_key = Expr::col((Alias::new(t.table), Alias::new("sort_key")));
            let id = Expr::col((Alias::new(t.table), Alias::new("id")));
            let mut query = matching(self.backend(), t, visibility, &PartyFilter::default(), &[]);
            query
                .expr_as(sort_key.clone(), Alias::new("sort_key"))
                .expr_as(id.clone(), Alias::new("id"))
                .and_where(sort_key.is_in(chunk.iter().cloned()))
                .order_by_expr(id, Order::Asc);
            for row in self.fetch_rows(&query).await? {
                found
                    .entry(row.get::<String>("sort_key")?)
                    .or_default()
                    .push(row.get::<i64>("id")?);
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(Cursor::decode(PartySort::Name, "1.00"), None, "a NUL byte");
        assert_eq!(
            Cursor::decode(PartySort::Name, "1.c3bc"),
            None,
            "not a sort key"
        );
        assert_eq!(Cursor::decode(PartySort::Name, "0.61"), None, "no record 0");
        assert_eq!(Cursor::decode(PartySort::Name, "-4.61"), None);
        assert_eq!(Cursor::decode(PartySort::Created, "4.x"), None);
        assert!(cursor_is_valid(PartySort::Name, "4.61207b"));
    }
}
