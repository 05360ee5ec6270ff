//! Saved views through the services on SQLite and PostgreSQL: a user keeps their own, only
//! administrators, managers and marketers share one, nobody opens or deletes a colleague's
//! private view, and a shared view lists only what its reader may see.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rehber_app::views::{MAX_VIEWS, ViewInput};
use rehber_domain::party::{Companies, People};
use rehber_domain::{Error, Role};
use rehber_testkit::{Fixtures, both_backends, field_errors, refusal};

fn input(name: &str, query: &str, shared: bool) -> ViewInput {
    ViewInput {
        name: name.into(),
        query: query.into(),
        columns: r#"{"city": false, "custom.ciro": true}"#.into(),
        shared,
    }
}

both_backends! {
    async fn views_are_private_unless_shared_and_only_their_owner_changes_them(db) {
        let fx = Fixtures::new(db);
        let app = &fx.app;
        let admin = fx.admin().await.actor();
        let manager = fx.user("mudur", Role::SalesManager, Some("Kuzey")).await.actor();
        let rep_a = fx.user("rep_a", Role::SalesRep, Some("Kuzey")).await.actor();
        let rep_b = fx.user("rep_b", Role::SalesRep, Some("Kuzey")).await.actor();

        let mine = app.save_view::<People>(&rep_a, &input("İzmir", "city=izmir", false)).await.unwrap();
        let shared = app.save_view::<People>(&manager, &input("Sıcak adaylar", "lifecycle_stage=lead&sort=-created_at", true)).await.unwrap();
        app.save_view::<Companies>(&rep_a, &input("Firmalarım", "tag=vip", false)).await.unwrap();

        let names = |views: Vec<rehber_store::SavedView>| views.into_iter().map(|v| v.name).collect::<Vec<_>>();
        assert_eq!(names(app.views::<People>(&rep_a).await.unwrap()), ["İzmir", "Sıcak adaylar"]);
        assert_eq!(names(app.views::<People>(&rep_b).await.unwrap()), ["Sıcak adaylar"], "a colleague's private view is not listed");
        assert_eq!(names(app.views::<Companies>(&rep_b).await.unwrap()), Vec::<String>::new());
        assert_eq!(refusal(app.view::<People>(&rep_b, mine).await), Error::NotFound, "nor opened");
        assert_eq!(refusal(app.view::<Companies>(&rep_a, mine).await), Error::NotFound, "a view belongs to its list");
        let opened = app.view::<People>(&rep_b, shared).await.unwrap();
        assert_eq!(opened.query, "lifecycle_stage=lead&sort=-created_at");
        assert_eq!(opened.owner_name, "mudur");

        // Saving again under the same name replaces the view.
        let again = app.save_view::<People>(&rep_a, &input("İzmir", "city=izmir&sort=name", false)).await.unwrap();
        assert_eq!(again, mine);
        assert_eq!(app.view::<People>(&rep_a, mine).await.unwrap().query, "city=izmir&sort=name");

        // Sharing is for administrators, managers and marketers; deleting for the owner (and
        // administrators, for shared views).
        assert_eq!(refusal(app.save_view::<People>(&rep_a, &input("Herkese", "", true)).await), Error::Forbidden);
        assert_eq!(refusal(app.delete_view::<People>(&rep_b, shared).await), Error::Forbidden);
        assert_eq!(refusal(app.delete_view::<People>(&rep_b, mine).await), Error::NotFound);
        assert_eq!(refusal(app.delete_view::<People>(&admin, mine).await), Error::NotFound, "a private view is its owner's alone");
        app.delete_view::<People>(&admin, shared).await.unwrap();
        app.delete_view::<People>(&rep_a, mine).await.unwrap();
        assert!(app.views::<People>(&rep_a).await.unwrap().is_empty());
    }

    async fn a_view_is_refused_by_field_when_it_cannot_be_kept(db) {
        let fx = Fixtures::new(db);
        let app = &fx.app;
        let rep = fx.user("rep_a", Role::SalesRep, None).await.actor();
        assert_eq!(field_errors(app.save_view::<People>(&rep, &input("  ", "", false)).await), ["name=invalid-required"]);
        assert_eq!(field_errors(app.save_view::<People>(&rep, &input(&"a".repeat(81), "", false)).await), ["name=invalid-too-long"]);
        let bad_columns = ViewInput { columns: "[1, 2]".into(), ..input("Sütunlar", "", false) };
        assert_eq!(field_errors(app.save_view::<People>(&rep, &bad_columns).await), ["columns=invalid-json"]);
        for i in 0..MAX_VIEWS {
            app.save_view::<People>(&rep, &input(&format!("Görünüm {i}"), "", false)).await.unwrap();
        }
        assert_eq!(field_errors(app.save_view::<People>(&rep, &input("Bir tane daha", "", false)).await), ["name=invalid-too-many-views"]);
        app.save_view::<People>(&rep, &input("Görünüm 7", "q=ali", false)).await.unwrap();
    }
}
