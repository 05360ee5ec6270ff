//! A search page is found one of two ways: by reading the list in order and keeping matching
//! rows (when matches are dense), or through the full-text index (when they are sparse). The
//! pages must be the same either way, for every page size, direction, scope and filter; and a
//! sales rep sees none of another rep's records through either.
//!
//! The probe reads a window of 200 rows per row of the page (one more than the page size,
//! at most 20,000). On these 1,200 people a page of 2 reads a window of 600 rows: dense
//! searches fill it from the window, sparse ones (a rare company, an e-mail domain, nothing)
//! go to the full-text index. A page of 500 reads the whole list in its window. Comparing
//! walks in pages of 2, 5 and 50 with one walk in pages of 500 compares the ways.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rehber_domain::access::Visibility;
use rehber_domain::party::Ownership;
use rehber_domain::party::People;
use rehber_domain::{PersonId, Role};
use rehber_store::{AuditEntry, PartyFilter, PartySort, SortDirection, Store, User};
use rehber_testkit::{CompanyBuilder, Fixtures, PersonBuilder, both_backends, walk_people};

fn own(user: &User) -> Ownership {
    Ownership {
        owner_id: Some(user.id),
        team_id: user.team_id,
    }
}

/// Every matching person id, walking the pages of `limit`.
async fn walk(
    store: &Store,
    visibility: Visibility,
    filter: &PartyFilter,
    sort: PartySort,
    direction: SortDirection,
    limit: u32,
) -> Vec<PersonId> {
    walk_people(store, visibility, filter, sort, direction, limit)
        .await
        .iter()
        .map(|p| p.id)
        .collect()
}

const FIRST_NAMES: [&str; 6] = ["Ayşe", "Çağlar", "Işık", "Zeynep", "Ömer", "Ali"];
const LAST_NAMES: [&str; 5] = ["Yılmaz", "Yıldız", "Kaya", "Şahin", "Çağlayan"];

both_backends! {
    async fn dense_and_sparse_searches_give_the_same_pages_either_way(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let rep_c = fx.user("rep-c", Role::SalesRep, Some("Güney")).await;
        let reps = [&rep_a, &rep_b, &rep_c];
        let company = CompanyBuilder::new("Yıldız Lojistik").insert(&db.store, own(&rep_a)).await;
        let mut ids = Vec::new();
        for i in 0..1200usize {
            let first = FIRST_NAMES[i % FIRST_NAMES.len()];
            let last = LAST_NAMES[(i / 7) % LAST_NAMES.len()];
            // Sparse words: a rare surname and a rare company.
            let mut person = PersonBuilder::new(first, last);
            if i % 71 == 0 {
                person = person.company(company);
            }
            if i % 13 == 0 {
                person = person.email(&format!("kisi{i}@caglayan.com.tr"));
            }
            ids.push(person.insert(&db.store, own(reps[i % 3])).await);
        }
        for &id in ids.iter().step_by(97) {
            let entry = AuditEntry { actor: None, record_type: "person", record_id: id.0, action: "deleted", changes: Vec::new() };
            db.store.set_deleted::<People>(id, true, entry).await.unwrap();
        }

        let searches = ["cag", "caglar", "ayse yil", "a yil", "z", "yildiz lojistik", "y lojistik", "caglayan com", "zz"];
        let scopes = [
            Visibility::All,
            Visibility::Team(rep_a.team_id.unwrap()),
            Visibility::Owner(rep_b.id),
        ];
        for q in searches {
            for visibility in scopes {
                for (sort, direction) in [
                    (PartySort::Name, SortDirection::Desc),
                    (PartySort::Created, SortDirection::Asc),
                ] {
                    let filter = PartyFilter { q: Some(q.to_string()), ..PartyFilter::default() };
                    let whole = walk(&db.store, visibility, &filter, sort, direction, 500).await;
                    for limit in [2, 5, 50] {
                        let paged = walk(&db.store, visibility, &filter, sort, direction, limit).await;
                        assert_eq!(paged, whole, "{q:?} {visibility:?} {sort:?} {direction:?} pages of {limit}");
                    }
                    let counted = db.store.scoped_to(visibility).count::<People>(&filter, 10_000).await.unwrap();
                    assert_eq!(counted, whole.len() as i64, "{q:?} {visibility:?}: the count agrees with the pages");
                    let visible: Vec<PersonId> = walk(&db.store, visibility, &PartyFilter::default(), sort, direction, 500).await;
                    assert!(whole.iter().all(|id| visible.contains(id)), "a search never widens the scope");
                }
            }
        }

        // The searches above are not vacuous: dense ones fill pages, sparse ones find a few.
        let count = |q: &str, visibility| {
            let store = db.store.clone();
            let filter = PartyFilter { q: Some(q.to_string()), ..PartyFilter::default() };
            async move { walk(&store, visibility, &filter, PartySort::Name, SortDirection::Asc, 500).await.len() }
        };
        assert_eq!(count("caglar", Visibility::All).await, 198, "200 Çağlars, two of them deleted");
        assert!(count("yil", Visibility::All).await > 50);
        assert_eq!(count("yildiz lojistik", Visibility::All).await, 16, "17 at the company, one deleted");
        assert_eq!(count("y lojistik", Visibility::All).await, 16, "a letter checked on rows beside an indexed word");
        assert!(count("z", Visibility::All).await > 100, "one letter alone reads the list");
        assert_eq!(count("zz", Visibility::All).await, 0);

        // A rep's dense search shows only their own people, on every page.
        let mine = walk(&db.store, Visibility::Owner(rep_b.id), &PartyFilter { q: Some("yil".into()), ..PartyFilter::default() }, PartySort::Name, SortDirection::Asc, 2).await;
        assert!(!mine.is_empty());
        for id in mine {
            let person = db.store.scoped_to(Visibility::All).get::<People>(id).await.unwrap();
            assert_eq!(person.ownership.owner_id, Some(rep_b.id));
        }
    }
}
