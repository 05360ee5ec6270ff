//! Writes under concurrency, on SQLite (where the process's writers share a batch and one
//! commit) and PostgreSQL (where each has its own transaction): every acknowledged write is
//! there, a failing write is rolled back alone, and a write whose caller gives up halfway
//! is all there or not at all and stalls nobody.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rehber_domain::access::Visibility;
use rehber_domain::party::{Ownership, People};
use rehber_domain::{PersonId, Role};
use rehber_store::{AuditEntry, PartyFilter, Store, StoreError};
use rehber_testkit::{Fixtures, PersonBuilder, both_backends};
use std::time::Duration;

fn created() -> AuditEntry {
    AuditEntry {
        actor: None,
        record_type: "person",
        record_id: 0,
        action: "created",
        changes: Vec::new(),
    }
}

async fn people_named(store: &Store, last_name: &str) -> i64 {
    let filter = PartyFilter {
        q: Some(last_name.to_string()),
        ..PartyFilter::default()
    };
    store
        .scoped_to(Visibility::All)
        .count::<People>(&filter, 10_000)
        .await
        .unwrap()
}

async fn create(store: &Store, first: &str, last: &str) -> Result<PersonId, StoreError> {
    let fields = PersonBuilder::new(first, last).fields();
    store
        .insert::<People>(&fields, Ownership::default(), created())
        .await
}

both_backends! {
    /// Forty creates at once and ten updates naming a stale version: every create is
    /// acknowledged and stored, every stale update is refused and changed nothing.
    async fn a_failing_write_is_rolled_back_alone_and_the_others_commit(db) {
        let fx = Fixtures::new(db);
        let owner = fx.user("rep-a", Role::SalesRep, None).await;
        let ownership = Ownership { owner_id: Some(owner.id), team_id: None };
        let target = PersonBuilder::new("Sabit", "Kayıt").insert(&db.store, ownership).await;
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..40 {
            let store = db.store.clone();
            tasks.spawn(async move { create(&store, &format!("Toplu{i}"), "Yığın").await.map(|_| ()) });
            if i % 4 == 0 {
                let store = db.store.clone();
                tasks.spawn(async move {
                    let fields = PersonBuilder::new("Bayat", "Sürüm").fields();
                    match store.update::<People>(target, 99, &fields, ownership, created()).await {
                        Err(StoreError::StaleVersion) => Ok(()),
                        other => panic!("a stale update was not refused: {other:?}"),
                    }
                });
            }
        }
        while let Some(result) = tasks.join_next().await {
            result.unwrap().unwrap();
        }
        assert_eq!(people_named(&db.store, "yigin").await, 40);
        assert_eq!(people_named(&db.store, "surum").await, 0, "no stale update applied");
        let kept = db.store.scoped_to(Visibility::All).get::<People>(target).await.unwrap();
        assert_eq!(kept.fields.full_name(), "Sabit Kayıt");
    }

    /// Creates whose callers give up at every stage (before the turn, inside the transaction,
    /// waiting for the commit): each is stored whole or not at all, and the writes after them
    /// go through at once.
    async fn a_write_abandoned_halfway_is_all_or_nothing_and_stalls_nobody(db) {
        for attempt in 0..30u64 {
            let store = db.store.clone();
            let delay = Duration::from_micros(attempt * 50);
            let _ = tokio::time::timeout(delay, create(&store, &format!("Yarım{attempt}"), "Terk")).await;
            let after = tokio::time::timeout(
                Duration::from_secs(5),
                create(&db.store, &format!("Sonra{attempt}"), "Ardıl"),
            )
            .await
            .expect("a write after an abandoned one waited");
            after.unwrap();
        }
        assert_eq!(people_named(&db.store, "ardil").await, 30);
        // An abandoned create is whole or absent: no person without her search text (the
        // full-text row is written with the person, in the same transaction).
        let abandoned = people_named(&db.store, "terk").await;
        let all = db
            .store
            .scoped_to(Visibility::All)
            .count::<People>(&PartyFilter::default(), 10_000)
            .await
            .unwrap();
        assert_eq!(all, 30 + abandoned, "every stored person is found by her name");
    }
}
