//! The search across every kind on SQLite and PostgreSQL: people and companies at once,
//! Turkish-aware, in the caller's scope (a sales rep never finds a colleague's records),
//! with "more" when a kind holds more matches than asked, and bad queries refused.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rehber_app::App;
use rehber_app::search::{SearchGroup, SearchHit};
use rehber_domain::{Actor, Role};
use rehber_testkit::{CompanyBuilder, Fixtures, PersonBuilder, both_backends, field_errors};

/// `(record_type, title, subtitle)` of every hit, kind by kind.
async fn found(
    app: &App,
    actor: &Actor,
    q: &str,
    per_kind: u32,
) -> Vec<(&'static str, String, Option<String>)> {
    let groups: Vec<SearchGroup> = app.search_everything(actor, q, per_kind).await.unwrap();
    groups
        .into_iter()
        .flat_map(|g| g.hits)
        .map(
            |SearchHit {
                 record_type,
                 title,
                 subtitle,
                 ..
             }| (record_type, title, subtitle),
        )
        .collect()
}

both_backends! {
    async fn one_search_finds_people_and_companies_turkish_aware_in_the_callers_scope(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let support = fx.user("support", Role::SupportAgent, None).await;
        let app = fx.app.clone();
        let company = CompanyBuilder::new("Çağlar Tekstil A.Ş.").city("İzmir").create(&app, &rep_a.actor()).await;
        PersonBuilder::new("Işık", "Çağlar").company(company.id).create(&app, &rep_a.actor()).await;
        PersonBuilder::new("Ömer", "Çağlar").job_title("Satın alma").create(&app, &rep_b.actor()).await;
        CompanyBuilder::new("Caglar Gıda").create(&app, &rep_b.actor()).await;

        let rep_a_sees = found(&app, &rep_a.actor(), "caglar", 10).await;
        assert_eq!(rep_a_sees, [
            ("person", "Işık Çağlar".to_string(), Some("Çağlar Tekstil A.Ş.".to_string())),
            ("company", "Çağlar Tekstil A.Ş.".to_string(), Some("İzmir".to_string())),
        ]);
        let rep_b_sees = found(&app, &rep_b.actor(), "ÇAĞLAR", 10).await;
        assert_eq!(rep_b_sees, [
            ("person", "Ömer Çağlar".to_string(), Some("Satın alma".to_string())),
            ("company", "Caglar Gıda".to_string(), None),
        ]);
        let everyone = found(&app, &support.actor(), "çağ", 10).await;
        assert_eq!(everyone.len(), 4, "{everyone:?}");
    }

    async fn a_search_says_which_kinds_hold_more_than_it_returned(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await;
        let app = fx.app.clone();
        for first in ["Ada", "Bora", "Cem"] {
            PersonBuilder::new(first, "Yıldız").create(&app, &admin.actor()).await;
        }
        CompanyBuilder::new("Yıldız Lojistik").create(&app, &admin.actor()).await;
        let groups = app.search_everything(&admin.actor(), "yildiz", 2).await.unwrap();
        let summary: Vec<(&str, usize, bool)> = groups.iter().map(|g| (g.record_type, g.hits.len(), g.more)).collect();
        assert_eq!(summary, [("person", 2, true), ("company", 1, false)]);
        let names: Vec<&str> = groups[0].hits.iter().map(|h| h.title.as_str()).collect();
        assert_eq!(names, ["Ada Yıldız", "Bora Yıldız"], "in the list's order");
    }

    async fn an_empty_query_finds_nothing_and_an_overlong_one_is_refused(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await;
        let app = fx.app.clone();
        PersonBuilder::new("Ada", "Yıldız").create(&app, &admin.actor()).await;
        let groups = app.search_everything(&admin.actor(), "   ", 10).await.unwrap();
        assert!(groups.is_empty());
        let refused = app.search_everything(&admin.actor(), &"a".repeat(201), 10).await;
        assert_eq!(field_errors(refused), ["q=invalid-too-long"]);
    }
}
