//! Reads on someone's behalf: the store hands out a [`Scoped`] handle for a caller, and every
//! read of a record kind goes through it, narrowed to what the caller may see of that kind.
//!
//! - [`Store::scoped`] — for a user (the visibility comes from their role, per kind);
//! - [`Store::unscoped`] — the system's own reads outside any user's scope (reading back a
//!   record just written, housekeeping). Each use is a place to review: `grep -rn unscoped`;
//! - [`Store::scoped_to`] — a visibility already resolved (tests; services that hold one).
//!
//! There is no other public way to read a record kind; writes are the services' decision and
//! take no scope (they read through a handle first).

use crate::audit::AuditEvent;
use crate::kind::StoredKind;
use crate::listing::{Page, PageRequest, PartyFilter, PartySort, SortDirection};
use crate::{Store, StoreError};
use rehber_domain::access::{Actor, Visibility};

/// Whose reads these are.
#[derive(Debug, Clone, Copy)]
enum Viewer<'a> {
    Actor(&'a Actor),
    Resolved(Visibility),
}

/// A caller's view of the store (see the module documentation).
#[derive(Debug, Clone, Copy)]
pub struct Scoped<'a> {
    pub(crate) store: &'a Store,
    viewer: Viewer<'a>,
}

impl Store {
    /// Reads for `actor`: each kind narrowed to what the actor's role may see of it.
    pub fn scoped<'a>(&'a self, actor: &'a Actor) -> Scoped<'a> {
        Scoped {
            store: self,
            viewer: Viewer::Actor(actor),
        }
    }

    /// Reads with a visibility the caller already resolved.
    pub fn scoped_to(&self, visibility: Visibility) -> Scoped<'_> {
        Scoped {
            store: self,
            viewer: Viewer::Resolved(visibility),
        }
    }

    /// Reads outside any user's scope, for the system's own work. Never for answering a
    /// user's request about records they may not see.
    pub fn unscoped(&self) -> Scoped<'_> {
        self.scoped_to(Visibility::All)
    }
}

impl Scoped<'_> {
    /// What this viewer may see of kind `K`.
    pub fn visibility<K: StoredKind>(&self) -> Visibility {
        self.visibility_of(K::ACCESS)
    }

    /// What this viewer may see of records of `kind`.
    pub fn visibility_of(&self, kind: rehber_domain::access::RecordKind) -> Visibility {
        match self.viewer {
            Viewer::Actor(actor) => actor.visibility(kind),
            Viewer::Resolved(visibility) => visibility,
        }
    }

    pub(crate) fn store(&self) -> &Store {
        self.store
    }

    /// One live record; one outside the view is [`StoreError::NotFound`], as if it did not
    /// exist.
    pub async fn get<K: StoredKind>(&self, id: K::Id) -> Result<K::Record, StoreError> {
        self.store.get::<K>(self.visibility::<K>(), id, false).await
    }

    /// The live ones of `ids` in view, in no set order (those outside it are left out).
    pub async fn get_many<K: StoredKind>(
        &self,
        ids: &[K::Id],
    ) -> Result<Vec<K::Record>, StoreError> {
        let raw: Vec<i64> = ids.iter().map(|id| K::raw(*id)).collect();
        self.store.get_many::<K>(self.visibility::<K>(), &raw).await
    }

    /// One record, live or in the trash.
    pub async fn get_including_deleted<K: StoredKind>(
        &self,
        id: K::Id,
    ) -> Result<K::Record, StoreError> {
        self.store.get::<K>(self.visibility::<K>(), id, true).await
    }

    /// One page of records, filtered, sorted and keyset-paginated.
    pub async fn list<K: StoredKind>(
        &self,
        filter: &PartyFilter,
        sort: PartySort,
        direction: SortDirection,
        page: &PageRequest,
    ) -> Result<Page<K::Record>, StoreError> {
        self.store
            .list::<K>(self.visibility::<K>(), filter, sort, direction, page)
            .await
    }

    /// How many records match, counted up to `cap`.
    pub async fn count<K: StoredKind>(
        &self,
        filter: &PartyFilter,
        cap: u32,
    ) -> Result<i64, StoreError> {
        self.store
            .count::<K>(self.visibility::<K>(), filter, cap)
            .await
    }

    /// The ones of `ids` that are live and in view.
    pub async fn visible<K: StoredKind>(&self, ids: &[K::Id]) -> Result<Vec<K::Id>, StoreError> {
        self.store.visible::<K>(self.visibility::<K>(), ids).await
    }

    /// One page of the audit history of a live record in view, newest first, before
    /// `(at, id)` when given.
    pub async fn changes<K: StoredKind>(
        &self,
        id: K::Id,
        after: Option<(i64, i64)>,
        limit: u32,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        self.get::<K>(id).await?;
        self.store
            .record_changes(K::TYPE, K::raw(id), after, limit)
            .await
    }

    /// The audit history of a live record in view.
    pub async fn history<K: StoredKind>(&self, id: K::Id) -> Result<Vec<AuditEvent>, StoreError> {
        self.get::<K>(id).await?;
        self.store.record_history(K::TYPE, K::raw(id)).await
    }
}
