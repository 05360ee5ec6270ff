//! Duplicates on create and edit: a person or company that shares a key with a live record
//! of its kind (an e-mail address in any case, a phone in any form, a national ID or a tax
//! number) is refused, naming the record it repeats, unless the writer says it may. An edit
//! is checked only for the keys it adds, so a record that already shares a key (an old
//! import) can still be edited.

use crate::App;
use crate::error::AppResult;
use crate::records::ServiceKind;
use rehber_domain::{Actor, Error};

/// The most pairs one page of the review list holds.
pub const MAX_DUPLICATE_PAGE: u64 = 200;

/// Two records that share keys, as the review list shows them: each by id and name (the
/// lower id first), and the fields they share (`emails`, `phones`, `national_id`,
/// `tax_number`, and `name` for a similar name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicatePair {
    pub a: (i64, String),
    pub b: (i64, String),
    pub fields: Vec<&'static str>,
}

/// A page of the pairs, by the lower id then the higher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicatePage {
    pub items: Vec<DuplicatePair>,
    /// Give it back for the next pairs; `None` on the last page.
    pub next_cursor: Option<String>,
}

fn parse_cursor(text: &str) -> Option<(i64, i64)> {
    let (a, b) = text.trim().split_once('.')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// Whether a write may repeat a record already kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Duplicates {
    /// Refused with the record it repeats (the default of every door).
    #[default]
    Refuse,
    /// Saved anyway: the writer has seen the match ("yine de kaydet", `allow_duplicate`).
    Allow,
}

impl App {
    /// Refuses `fields` when a key it adds to `current` (all of them on a create) is held by
    /// another live record of the kind.
    pub(crate) async fn refuse_duplicate<K: ServiceKind>(
        &self,
        actor: &Actor,
        fields: &K::Fields,
        current: Option<&K::Record>,
    ) -> AppResult<()> {
        let known = current
            .map(|c| K::match_keys(K::fields(c)))
            .unwrap_or_default();
        let added: Vec<_> = K::match_keys(fields)
            .into_iter()
            .filter(|key| !known.contains(key))
            .collect();
        let except = current.map(|c| K::raw(K::record_id(c)));
        let Some((id, key)) = self.store.find_by_keys(K::TYPE, &added, except).await? else {
            return Ok(());
        };
        let name = match self.store.scoped(actor).get::<K>(K::id(id)).await {
            Ok(record) => Some(K::title(&record)),
            Err(rehber_store::StoreError::NotFound) => None,
            Err(other) => return Err(other.into()),
        };
        Err(Error::Duplicate {
            field: key.field().to_string(),
            id,
            name,
        }
        .into())
    }

    /// Pairs of live records of the kind, both in the actor's view, that share an e-mail
    /// address, phone, national ID or tax number, or have similar names: the review list of
    /// possible duplicates. A pair that may never be merged (two tax numbers, two national
    /// IDs) is left out (by the store; checked again here with the merge's own rule).
    pub async fn duplicates<K: ServiceKind>(
        &self,
        actor: &Actor,
        cursor: Option<&str>,
        limit: u64,
    ) -> AppResult<DuplicatePage> {
        let after = match cursor {
            None => None,
            Some(text) => {
                Some(parse_cursor(text).ok_or_else(|| Error::field("cursor", "invalid-cursor"))?)
            }
        };
        if !(1..=MAX_DUPLICATE_PAGE).contains(&limit) {
            return Err(Error::field("limit", "invalid-number").into());
        }
        let scoped = self.store.scoped(actor);
        let shared = scoped.shared_keys(K::TYPE, after, limit + 1).await?;
        let more = shared.len() as u64 > limit;
        let mut items = Vec::new();
        let mut last_read = None;
        for pair in shared
            .into_iter()
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
        {
            last_read = Some((pair.a, pair.b));
            let a = scoped.get::<K>(K::id(pair.a)).await?;
            let b = scoped.get::<K>(K::id(pair.b)).await?;
            if K::merge_refusal(K::fields(&a), K::fields(&b)).is_some() {
                continue;
            }
            items.push(DuplicatePair {
                a: (pair.a, K::title(&a)),
                b: (pair.b, K::title(&b)),
                fields: pair.fields,
            });
        }
        let next_cursor = match (more, last_read) {
            (true, Some((a, b))) => Some(format!("{a}.{b}")),
            _ => None,
        };
        Ok(DuplicatePage { items, next_cursor })
    }
}
