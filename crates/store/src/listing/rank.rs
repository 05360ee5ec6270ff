//! Relevance of a search listed by name (the default order): the records whose whole name is
//! the search come first ("Ayşe Yılmaz" before "Ayşe Nur Yılmaz" and "Ayşegül Yılmazer"),
//! then every other match in name order.
//!
//! A search is typed with or without Turkish letters (`ayse yilmaz`), so an exact name is one
//! of the sort keys the search may spell (`validate::text::sort_key_spellings`), found
//! through the name index. Exact names share one sort key, so in name order they are one
//! block (or a few, one per spelling). When the block is smaller than a page it is moved to
//! the front of the first page and left out of the rest of the list on every page, so keyset
//! pages still walk every match once. A larger block stays where the name order puts it.

use super::{ListAsk, ListTable, PageRequest, PartyFilter, PartySort, SortDirection, matching};
use crate::sql::Row;
use crate::{Store, StoreError};
use rehber_domain::filter::{Condition, Rule};
use rehber_domain::validate::text::sort_key_spellings;
use sea_query::{Alias, Expr, Order};

/// Up to how many spellings of a search (`ayse`: `ayse`, `ayşe`) are looked up as names.
const NAME_SPELLINGS: usize = 64;

impl Store {
    /// The rows of a search's page with its exact names first, or `None` when the list is
    /// not a search by name or no exact name fits on a page.
    pub(super) async fn fetch_exact_first(
        &self,
        t: &ListTable,
        columns: &'static str,
        ask: &ListAsk<'_>,
    ) -> Result<Option<Vec<Row>>, StoreError> {
        if ask.sort != PartySort::Name || ask.direction != SortDirection::Asc {
            return Ok(None);
        }
        let Some(keys) = ask
            .filter
            .q
            .as_deref()
            .filter(|q| super::search::SearchTerms::parse(q).is_some())
            .and_then(|q| sort_key_spellings(q, NAME_SPELLINGS))
            .filter(|keys| keys.iter().any(|k| !k.is_empty()))
        else {
            return Ok(None);
        };
        let limit = ask.limit();
        let name = Rule::Test(Condition::Name(keys));
        // An exact name matches the search's words: the exact block is found through the
        // name index alone. The name test comes last in the rule, after any custom test,
        // so the custom tests' plan (`ask.dense`, in rule order) still fits.
        let exact_filter = PartyFilter {
            q: None,
            rule: Rule::all(ask.filter.rule.clone().into_iter().chain([name.clone()])),
            ..ask.filter.clone()
        };
        let mut query = matching(self.backend(), t, ask.visibility, &exact_filter, ask.dense);
        // In the name index's order (keys, then ids), so both engines read the block off the
        // name index (or the owner's or team's) instead of walking every id in search of it.
        query
            .expr(Expr::cust(columns))
            .order_by((Alias::new(t.table), Alias::new("sort_key")), Order::Asc)
            .order_by((Alias::new(t.table), Alias::new("id")), Order::Asc)
            .limit(limit as u64);
        let exact = self.fetch_rows(&query).await?;
        if exact.is_empty() || exact.len() >= limit {
            return Ok(None);
        }
        let rest_filter = PartyFilter {
            rule: Rule::all(
                ask.filter
                    .rule
                    .clone()
                    .into_iter()
                    .chain([Rule::Not(Box::new(name))]),
            ),
            ..ask.filter.clone()
        };
        let first_page = ask.page.after.is_none();
        let page = PageRequest {
            after: ask.page.after.clone(),
            // The first page holds the block and then the rest up to its size; the page's
            // cursor is then the last row of the rest, from which the next page goes on.
            limit: if first_page {
                (limit - exact.len()) as u32
            } else {
                ask.page.limit
            },
        };
        let rest_ask = ListAsk {
            visibility: ask.visibility,
            filter: &rest_filter,
            dense: ask.dense,
            sort: ask.sort,
            direction: ask.direction,
            page: &page,
        };
        let rest = self.fetch_planned(t, columns, &rest_ask).await?;
        Ok(Some(if first_page {
            exact.into_iter().chain(rest).collect()
        } else {
            rest
        }))
    }
}
