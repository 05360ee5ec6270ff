//! One search across every record kind (the search box on every page, `GET /api/v1/search`):
//! each kind's own list search, in the caller's scope and Turkish-aware like the lists, its
//! first matches in the list's order.

use crate::App;
use crate::error::AppResult;
use crate::list::ListRequest;
use crate::records::ServiceKind;
use rehber_domain::party::{Companies, People};
use rehber_domain::validate::Invalid;
use rehber_domain::{Actor, Error};
use rehber_store::{PageRequest, PartyFilter};

/// The most matches of one kind a search returns.
pub const MAX_PER_KIND: u32 = 50;
/// The longest query, in characters (a search box, not a document).
pub const MAX_QUERY_CHARS: usize = 200;

/// One record found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    /// The kind's name (`person`, `company`).
    pub record_type: &'static str,
    pub id: i64,
    pub title: String,
    pub subtitle: Option<String>,
}

/// The matches of one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchGroup {
    pub record_type: &'static str,
    pub hits: Vec<SearchHit>,
    /// More matched than were returned (the kind's list holds them all).
    pub more: bool,
}

impl App {
    /// The first `per_kind` matches of `q` in every kind the actor can read, kind by kind.
    /// An empty query finds nothing; a query longer than [`MAX_QUERY_CHARS`] is refused.
    pub async fn search_everything(
        &self,
        actor: &Actor,
        q: &str,
        per_kind: u32,
    ) -> AppResult<Vec<SearchGroup>> {
        let q = q.trim();
        if q.chars().count() > MAX_QUERY_CHARS {
            return Err(Error::field("q", Invalid::TooLong.code()).into());
        }
        if q.is_empty() {
            return Ok(Vec::new());
        }
        let per_kind = per_kind.clamp(1, MAX_PER_KIND);
        Ok(vec![
            self.search_kind::<People>(actor, q, per_kind).await?,
            self.search_kind::<Companies>(actor, q, per_kind).await?,
        ])
    }

    async fn search_kind<K: ServiceKind>(
        &self,
        actor: &Actor,
        q: &str,
        per_kind: u32,
    ) -> AppResult<SearchGroup> {
        let request = ListRequest {
            filter: PartyFilter {
                q: Some(q.to_string()),
                ..PartyFilter::default()
            },
            page: PageRequest {
                after: None,
                limit: per_kind,
            },
            ..ListRequest::default()
        };
        let page = self.list::<K>(actor, &request).await?;
        let hits = page
            .items
            .iter()
            .map(|record| SearchHit {
                record_type: K::TYPE,
                id: K::raw(K::record_id(record)),
                title: K::title(record),
                subtitle: K::subtitle(record),
            })
            .collect();
        Ok(SearchGroup {
            record_type: K::TYPE,
            hits,
            more: page.next_cursor.is_some(),
        })
    }
}
