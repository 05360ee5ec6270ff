//! Search within a people or company list: the folded words a user typed, and the two ways a
//! page of matching records is found.
//!
//! A search page is a top-k question: the first page of matches in the list's order (name,
//! or a date). Two ways answer it, and they cost opposite things:
//!
//! - **Reading the list in order** and keeping the rows whose search text holds every word
//!   costs one index entry per row read (the list's sort indexes carry the search text, so no
//!   table row is visited): cheap when matches are dense — `caglar` is one person in twenty,
//!   so a page turns up within a thousand rows — hopeless when they are rare.
//! - **The full-text index** (FTS5 on SQLite, a GIN-indexed `tsvector` on PostgreSQL: a
//!   dialect gap) finds every match, and every match must then be fetched and sorted: cheap
//!   when matches are rare, slow for tens of thousands.
//!
//! So a search first *probes*: it reads a bounded window of the list in order. When the
//! window holds a page of matches, that is the page (the window is the list's own prefix).
//! When the window reached the end of the list, its matches are the page. Otherwise matches
//! are rare and the full-text index answers. Both ways give the same rows and both carry the
//! same scope filter.
//!
//! The probe starts with a *sample*, the list's first rows ([`SAMPLE_ROWS_PER_PAGE_ROW`] per
//! row of the page). A dense query finds its page there. Otherwise the matches the sample
//! holds are a bounded count that costs nothing extra, and they size the rest: a window
//! long enough, at the sample's density, for a page and half as much again, when that is at
//! most [`PROBE_MAX_ROWS`]; else, or when the sample found nothing, the index straight away.
//! Rare queries no longer read a window first (the cost that kept rare multi-word searches
//! over 50 ms at a million people), and queries of middling density (`istanbul ali`, one row
//! in three hundred) read a longer window instead of collecting thousands of matches from
//! the index. A count through the full-text index (`MATCH … LIMIT n`) was measured too:
//! 0.1–1.6 ms for rare queries but 7 ms for a dense two-word query, which the sample answers
//! in about one.

//! Words are folded to `[a-z0-9]` before they reach SQL, so no query language (FTS5's, or
//! `tsquery`'s) can be injected through them.

use super::{
    ListAsk, ListTable, PartySort, SortDirection, filter_conditions, paginate, placeholder,
};
use crate::Backend;
use rehber_domain::validate::text::search_key;
use sea_query::{Alias, Cond, Expr, ExprTrait, Order, Query, SelectStatement};

/// Rows the sample reads per row of the page: 2,040 for a page of 50.
const SAMPLE_ROWS_PER_PAGE_ROW: u64 = 40;
/// The longest window of the list a search reads (about 16 ms on SQLite at a million
/// people); a query too rare to fill a page within it goes to the full-text index.
const PROBE_MAX_ROWS: u64 = 40_000;
/// Only the name-sorted indexes carry the search text; in date order each window row is a
/// visit to the table, several times the cost of an index entry, so date-ordered windows
/// are this many times shorter.
const DATE_WINDOW_DIVISOR: u64 = 4;
/// Words shorter than this are checked on each row instead of being looked up: neither
/// index keeps one-letter prefixes, and one letter begins a word of almost every record.
const MIN_INDEXED_LEN: usize = 2;
/// The longest prefix PostgreSQL's search terms spell out (`rehber_search_terms` in the
/// migrations); a longer word is looked up as a prefix of whole words.
const MAX_PREFIX_TERM_LEN: usize = 6;
/// The alias of the probe's window in SQL.
const WINDOW: &str = "probe_window";

/// The words of a typed query, folded: each must begin a word of a record's search text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SearchTerms(Vec<String>);

impl SearchTerms {
    /// `None` when the query holds no word. A query of digits and phone punctuation becomes
    /// one word, so `0532 123` finds `05321234567`.
    pub(crate) fn parse(q: &str) -> Option<SearchTerms> {
        let looks_like_phone = q.chars().any(|c| c.is_ascii_digit())
            && q.chars()
                .all(|c| c.is_ascii_digit() || " +-().".contains(c));
        let words: Vec<String> = if looks_like_phone {
            vec![q.chars().filter(char::is_ascii_digit).collect()]
        } else {
            search_key(q)
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect()
        };
        (!words.is_empty()).then_some(SearchTerms(words))
    }

    fn indexed(&self) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .map(String::as_str)
            .filter(|w| w.len() >= MIN_INDEXED_LEN)
    }

    fn unindexed(&self) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .map(String::as_str)
            .filter(|w| w.len() < MIN_INDEXED_LEN)
    }

    /// The row check: every word begins a word of `column`, the search text (its words
    /// with a leading space each, so finding `' ' || word` is a prefix match).
    fn row_match<'a>(backend: Backend, column: &str, words: impl Iterator<Item = &'a str>) -> Cond {
        let function = match backend {
            Backend::Sqlite => "instr",
            Backend::Postgres => "strpos",
        };
        words.fold(Cond::all(), |cond, word| {
            cond.add(Expr::cust_with_values(
                format!("{function}({column}, {}) > 0", placeholder(backend)),
                [format!(" {word}")],
            ))
        })
    }

    /// Selects the matching rows of the table into `query` through the full-text index: the
    /// FROM clause and the match, plus a row check of the words too short to look up. With
    /// no word long enough, the row check alone.
    pub(crate) fn select_matching(
        &self,
        query: &mut SelectStatement,
        backend: Backend,
        t: &ListTable,
    ) {
        let table = Alias::new(t.table);
        let search_text = format!("{}.search_text", t.table);
        let indexed: Vec<&str> = self.indexed().collect();
        if indexed.is_empty() {
            query.from(table).cond_where(Self::row_match(
                backend,
                &search_text,
                self.0.iter().map(String::as_str),
            ));
            return;
        }
        match backend {
            Backend::Sqlite => {
                // The full-text table drives the join (CROSS JOIN fixes SQLite's join order):
                // otherwise SQLite may walk a scope index and probe the index once per row.
                let matcher = indexed
                    .iter()
                    .map(|w| format!("\"{w}\"*"))
                    .collect::<Vec<_>>()
                    .join(" AND ");
                query
                    .from(Alias::new(t.fts_table))
                    .cross_join(table)
                    .and_where(Expr::cust(format!(
                        "{}.id = {}.rowid",
                        t.table, t.fts_table
                    )))
                    .and_where(Expr::cust_with_values(
                        format!("{} MATCH {}", t.fts_table, placeholder(backend)),
                        [matcher],
                    ));
            }
            Backend::Postgres => {
                // Short words are looked up as spelled-out prefix terms (`cag~`), longer ones
                // as prefixes of whole words (few words share seven letters).
                let matcher = indexed
                    .iter()
                    .map(|w| {
                        if w.len() <= MAX_PREFIX_TERM_LEN {
                            format!("'{w}~'")
                        } else {
                            format!("'{w}':*")
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" & ");
                query.from(table).and_where(Expr::cust_with_values(
                    format!(
                        "{}.search_tsv @@ CAST({} AS tsquery)",
                        t.table,
                        placeholder(backend)
                    ),
                    [matcher],
                ));
            }
        }
        query.cond_where(Self::row_match(backend, &search_text, self.unindexed()));
    }
}

/// The statements of one search page, run in turn until one has the answer.
pub(crate) struct SearchPlan {
    /// The list's first rows.
    pub sample: Window,
    /// The page through the full-text index.
    pub indexed: SelectStatement,
    pub limit: usize,
    /// The longest window this list's order allows.
    max_window: u64,
}

/// A bounded prefix of the list, read in the list's order.
pub(crate) struct Window {
    /// The page's matches within the window (one more than the limit, if found).
    pub probe: SelectStatement,
    /// The id of the window's last row: absent when the window reached the end of the list.
    pub end: SelectStatement,
    pub rows: u64,
}

impl SearchPlan {
    /// How many rows of the list to read after the sample found `sample_matches` (fewer
    /// than a page, the list going on): enough, at the sample's density, for a page and half
    /// as much again. `None` when the sample found none or the window would be longer than
    /// the list's order allows: the index answers.
    pub(crate) fn window_rows(&self, sample_matches: usize) -> Option<u64> {
        if sample_matches == 0 {
            return None;
        }
        let wanted = (self.limit as u64 + 1) * self.sample.rows * 3 / (2 * sample_matches as u64);
        let rows = std::cmp::max(wanted, self.sample.rows * 2);
        (rows <= self.max_window).then_some(rows)
    }
}

/// Plans a search page of `columns` from the table.
pub(crate) fn search_plan(
    backend: Backend,
    t: &ListTable,
    columns: &'static str,
    ask: &ListAsk<'_>,
    terms: &SearchTerms,
) -> SearchPlan {
    let limit = ask.limit();
    // Only name-like orders read their search text from the sort index; a date order visits
    // the table for each row, several times the cost.
    let divisor = match ask.sort {
        PartySort::Name | PartySort::City | PartySort::Company => 1,
        PartySort::Created
        | PartySort::Updated
        | PartySort::Score
        | PartySort::Balance
        | PartySort::Overdue
        | PartySort::Custom(_) => DATE_WINDOW_DIVISOR,
    };
    let sample_rows = std::cmp::max(
        (limit as u64 + 1) * SAMPLE_ROWS_PER_PAGE_ROW / divisor,
        limit as u64 + 1,
    );
    let indexed = match backend {
        Backend::Sqlite => {
            let mut indexed = Query::select();
            indexed
                .expr(Expr::cust(columns))
                .cond_where(filter_conditions(
                    backend,
                    t,
                    ask.visibility,
                    ask.filter,
                    ask.dense,
                ));
            terms.select_matching(&mut indexed, backend, t);
            paginate(&mut indexed, t.table, ask.sort, ask.direction, ask.page);
            indexed
        }
        Backend::Postgres => fenced_page(t, columns, ask, terms),
    };

    SearchPlan {
        sample: list_window(backend, t, ask, terms, columns, sample_rows),
        indexed,
        limit,
        max_window: PROBE_MAX_ROWS / divisor,
    }
}

/// The first `rows` rows of the list, and the page's matches among them.
pub(crate) fn list_window(
    backend: Backend,
    t: &ListTable,
    ask: &ListAsk<'_>,
    terms: &SearchTerms,
    columns: &'static str,
    rows: u64,
) -> Window {
    let limit = ask.limit();
    let table = Alias::new(t.table);
    let id = Expr::col((table.clone(), Alias::new("id")));
    let filters = || filter_conditions(backend, t, ask.visibility, ask.filter, ask.dense);

    // The window: the next rows of the list in order, read from a sort index that carries the
    // search text. The middle query keeps the first matches in the window's order without an
    // ORDER BY of its own: both engines stream a subquery in its order, and an ORDER BY there
    // would make SQLite read the whole window before sorting it. The outer query sorts the
    // page again (a page is small) and takes the full rows.
    let mut window = Query::select();
    window
        .expr(id.clone())
        .expr(Expr::col((table.clone(), Alias::new("search_text"))))
        .from(table.clone())
        .cond_where(filters());
    paginate(&mut window, t.table, ask.sort, ask.direction, ask.page);
    window.limit(rows);
    let mut matches = Query::select();
    matches
        .expr(Expr::col((Alias::new(WINDOW), Alias::new("id"))))
        .from_subquery(window, Alias::new(WINDOW))
        .cond_where(SearchTerms::row_match(
            backend,
            &format!("{WINDOW}.search_text"),
            terms.0.iter().map(String::as_str),
        ))
        .limit(limit as u64 + 1);
    let mut probe = Query::select();
    probe
        .expr(Expr::cust(columns))
        .from(table.clone())
        .and_where(id.clone().in_subquery(matches));
    paginate(&mut probe, t.table, ask.sort, ask.direction, ask.page);

    let mut window_end = Query::select();
    window_end.expr(id).from(table).cond_where(filters());
    paginate(&mut window_end, t.table, ask.sort, ask.direction, ask.page);
    window_end.limit(1).offset(rows - 1);

    Window {
        probe,
        end: window_end,
        rows,
    }
}

/// PostgreSQL's page through the full-text index: every match first, then the page of them.
///
/// Asked for the first 51 matches in name order, PostgreSQL may estimate that walking the
/// name index and testing each row finds them soon, and for a rare word it then tests every
/// row of the table (seconds on a million). This path runs only when matches are rare, so the
/// matches are collected in a subquery the planner cannot merge into the page (`OFFSET 0` is
/// PostgreSQL's documented optimization fence) and there the GIN index is the cheap way.
fn fenced_page(
    t: &ListTable,
    columns: &'static str,
    ask: &ListAsk<'_>,
    terms: &SearchTerms,
) -> SelectStatement {
    const MATCHES: &str = "search_matches";
    let table = Alias::new(t.table);
    let sort_column = ask.sort.column();
    let mut matches = Query::select();
    matches
        .expr(Expr::col((table.clone(), Alias::new("id"))))
        .expr(Expr::col((table.clone(), Alias::new(sort_column))))
        .cond_where(filter_conditions(
            Backend::Postgres,
            t,
            ask.visibility,
            ask.filter,
            ask.dense,
        ));
    terms.select_matching(&mut matches, Backend::Postgres, t);
    paginate(&mut matches, t.table, ask.sort, ask.direction, ask.page);
    matches.clear_order_by().reset_limit().offset(0);
    let order = match ask.direction {
        SortDirection::Asc => Order::Asc,
        SortDirection::Desc => Order::Desc,
    };
    let mut page_ids = Query::select();
    page_ids
        .expr(Expr::col((Alias::new(MATCHES), Alias::new("id"))))
        .from_subquery(matches, Alias::new(MATCHES))
        .order_by(
            (Alias::new(MATCHES), Alias::new(sort_column)),
            order.clone(),
        )
        .order_by((Alias::new(MATCHES), Alias::new("id")), order)
        .limit(ask.limit() as u64 + 1);
    let mut page = Query::select();
    page.expr(Expr::cust(columns))
        .from(table.clone())
        .and_where(Expr::col((table, Alias::new("id"))).in_subquery(page_ids));
    paginate(&mut page, t.table, ask.sort, ask.direction, ask.page);
    page
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::listing::{PageRequest, PartyFilter};
    use rehber_domain::access::Visibility;
    use sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};

    const T: ListTable = ListTable {
        table: "people",
        fts_table: "people_fts",
        tag_table: "person_tags",
        tag_key: "person_id",
    };

    fn words(q: &str) -> Vec<String> {
        SearchTerms::parse(q).map(|t| t.0).unwrap_or_default()
    }

    #[test]
    fn queries_fold_into_words_and_phone_numbers_into_one() {
        assert_eq!(words("Işık Çağlar"), vec!["isik", "caglar"]);
        assert_eq!(words("0532 123-45"), vec!["053212345"]);
        assert_eq!(words("+90 (212) 555"), vec!["90212555"]);
        assert_eq!(words("  - "), Vec::<String>::new());
        assert!(SearchTerms::parse("").is_none());
    }

    fn plan(backend: Backend, q: &str, limit: u32) -> SearchPlan {
        let filter = PartyFilter {
            q: Some(q.to_string()),
            ..PartyFilter::default()
        };
        let page = PageRequest { after: None, limit };
        let ask = ListAsk {
            visibility: Visibility::Owner(rehber_domain::UserId(7)),
            filter: &filter,
            dense: &[],
            sort: PartySort::Name,
            direction: SortDirection::Asc,
            page: &page,
        };
        let terms = SearchTerms::parse(q).unwrap();
        search_plan(backend, &T, "people.id", &ask, &terms)
    }

    #[test]
    fn the_sample_reads_the_first_rows_of_the_scoped_list_and_checks_every_word() {
        let p = plan(Backend::Sqlite, "Çağlar a", 50);
        let probe = p.sample.probe.to_string(SqliteQueryBuilder);
        assert!(probe.contains("LIMIT 2040"), "{probe}");
        assert!(probe.contains("\"people\".\"owner_id\" = 7"), "{probe}");
        assert!(
            probe.contains("instr(probe_window.search_text, ' caglar') > 0"),
            "{probe}"
        );
        assert!(
            probe.contains("instr(probe_window.search_text, ' a') > 0"),
            "{probe}"
        );
        assert!(!probe.contains("MATCH"), "{probe}");
        let end = p.sample.end.to_string(SqliteQueryBuilder);
        assert!(end.contains("LIMIT 1 OFFSET 2039"), "{end}");
        assert_eq!(p.limit, 50);
    }

    #[test]
    fn the_sample_sizes_the_window_or_sends_the_query_to_the_index() {
        let p = plan(Backend::Sqlite, "istanbul ali", 50);
        assert_eq!(p.window_rows(0), None, "none in the sample: rare");
        // 51 rows at the sample's density, and half as much again.
        assert_eq!(p.window_rows(7), Some(51 * 2040 * 3 / 14));
        assert_eq!(p.window_rows(3), None, "over 40,000 rows: the index");
        assert_eq!(
            p.window_rows(50),
            Some(4080),
            "never shorter than two samples"
        );
    }

    #[test]
    fn the_index_looks_up_words_of_two_letters_or_more_and_checks_the_rest_on_rows() {
        let sqlite = plan(Backend::Sqlite, "Çağlar a yı", 50)
            .indexed
            .to_string(SqliteQueryBuilder);
        assert!(
            sqlite.contains("FROM \"people_fts\" CROSS JOIN \"people\""),
            "{sqlite}"
        );
        assert!(
            sqlite.contains("MATCH '\"caglar\"* AND \"yi\"*'"),
            "{sqlite}"
        );
        assert!(
            sqlite.contains("instr(people.search_text, ' a') > 0"),
            "{sqlite}"
        );
        assert!(sqlite.contains("\"people\".\"owner_id\" = 7"), "{sqlite}");

        let postgres = plan(Backend::Postgres, "Çağlayanlar a yı", 50)
            .indexed
            .to_string(PostgresQueryBuilder);
        assert!(
            postgres
                .contains(r"people.search_tsv @@ CAST(E'\'caglayanlar\':* & \'yi~\'' AS tsquery)"),
            "{postgres}"
        );
        assert!(
            postgres.contains("OFFSET 0) AS \"search_matches\""),
            "PostgreSQL collects the matches behind a fence: {postgres}"
        );
        assert!(
            postgres.contains("strpos(people.search_text, ' a') > 0"),
            "{postgres}"
        );

        let letters_only = plan(Backend::Postgres, "a b", 50)
            .indexed
            .to_string(PostgresQueryBuilder);
        assert!(!letters_only.contains("tsquery"), "{letters_only}");
        assert!(
            letters_only.contains("strpos(people.search_text, ' b') > 0"),
            "{letters_only}"
        );
    }
}
