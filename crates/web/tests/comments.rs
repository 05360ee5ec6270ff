//! Comments, mentions and notifications through the router, on SQLite and PostgreSQL: the
//! contract's round trip (`POST /api/v1/{people|companies}/{id}/comments`, the mention's
//! notification, marking read one or all), a mention of someone who cannot see the record
//! refused with nothing stored, a sales rep reaching no colleague's comments or
//! notifications by any door; and the composer's comment tab, the `@` autocomplete and the
//! bell on the pages.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::Api;
use common::browser::Browser;
use common::server::TestServer;
use rehber_domain::Role;
use rehber_testkit::{CompanyBuilder, Fixtures, PASSWORD, PersonBuilder, both_backends};
use serde_json::json;

both_backends! {
    async fn a_comment_with_a_mention_round_trips_and_rings_the_mentioned_users_bell(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let manager = fx.user("manager-n", Role::SalesManager, Some("Kuzey")).await;
        let company = CompanyBuilder::new("Güney Gıda").create(&fx.app, &rep.actor()).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;
        let manager_token = api.token_for(&manager).await;

        let uri = format!("/api/v1/companies/{}/comments", company.id.0);
        let created = api.call(Method::POST, &uri, Some(&token), Some(json!({
            "body": "@manager-n iskonto oranını onaylar mısın?", "mentions": [manager.id.0]
        }))).await;
        assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
        assert_eq!(created.body["record_type"], "company");
        assert_eq!(created.body["author_id"], rep.id.0);
        assert_eq!(created.body["mentions"], json!([{"id": manager.id.0, "name": manager.name}]));
        let comment_id = created.body["id"].as_i64().unwrap();

        let listed = api.call(Method::GET, &uri, Some(&token), None).await;
        assert_eq!(listed.body["items"][0]["id"], comment_id);
        let timeline = api.call(Method::GET, &format!("/api/v1/companies/{}/timeline?kind=comment", company.id.0), Some(&token), None).await;
        assert_eq!(timeline.body["items"][0]["kind"], "comment");
        assert_eq!((timeline.body["items"][0]["source_type"].as_str(), timeline.body["items"][0]["source_id"].as_i64()), (Some("comment"), Some(comment_id)));
        assert_eq!(timeline.body["items"][0]["comment"]["body"], "@manager-n iskonto oranını onaylar mısın?");

        let unread = api.call(Method::GET, "/api/v1/notifications?unread=true", Some(&manager_token), None).await;
        assert_eq!(unread.status, StatusCode::OK, "{:?}", unread.body);
        assert_eq!(unread.body["unread_count"], 1);
        let item = &unread.body["items"][0];
        assert_eq!((item["kind"].as_str(), item["record_type"].as_str(), item["record_id"].as_i64()), (Some("mention"), Some("company"), Some(company.id.0)));
        assert_eq!((item["title"].as_str(), item["comment_id"].as_i64(), item["read"].as_bool()), (Some("Güney Gıda"), Some(comment_id), Some(false)));
        assert!(api.call(Method::GET, "/api/v1/notifications", Some(&token), None).await.body["items"].as_array().unwrap().is_empty(), "the author is not notified");

        // The manager's bell shows it on every page.
        let server = TestServer::spawn(&fx.app);
        let browser = Browser::signed_in(&server, &manager, PASSWORD).await;
        let home = browser.get("/today").await;
        assert!(home.body.contains("hx-get=\"/notifications/count\""), "the bell asks for its count");
        let bell = browser.htmx_get("/notifications/count").await;
        assert!(bell.body.contains("data-unread=\"1\""), "{}", bell.body);
        let page = browser.get("/notifications").await;
        assert!(page.body.contains("notification-unread") && page.body.contains("Güney Gıda"), "{}", page.body);
        assert!(page.body.contains("iskonto oranını"), "the comment is quoted");
        let id = item["id"].as_i64().unwrap();
        let opened = browser.get(&format!("/notifications/{id}/open")).await;
        assert_eq!(opened.location(), format!("/companies/{}", company.id.0));
        assert!(!browser.htmx_get("/notifications/count").await.body.contains("data-unread"), "opening marks it read");

        let id = item["id"].as_i64().unwrap();
        assert_eq!(api.call(Method::POST, &format!("/api/v1/notifications/{id}/read"), Some(&manager_token), None).await.status, StatusCode::NO_CONTENT);
        api.call(Method::POST, &uri, Some(&token), Some(json!({"body": "bir daha", "mentions": [manager.id.0]}))).await;
        let all = api.call(Method::POST, "/api/v1/notifications/read-all", Some(&manager_token), None).await;
        assert_eq!((all.status, all.body["marked"].as_i64()), (StatusCode::OK, Some(1)));
        let after = api.call(Method::GET, "/api/v1/notifications?unread=true", Some(&manager_token), None).await;
        assert_eq!(after.body["unread_count"], 0);

        assert_eq!(api.call(Method::DELETE, &format!("/api/v1/comments/{comment_id}"), Some(&manager_token), None).await.status, StatusCode::FORBIDDEN);
        assert_eq!(api.call(Method::DELETE, &format!("/api/v1/comments/{comment_id}"), Some(&token), None).await.status, StatusCode::NO_CONTENT);
    }

    async fn mention_of_user_without_access_is_rejected_and_nothing_is_saved(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let person = PersonBuilder::new("Sevgi", "Öztürk").create(&fx.app, &rep_a.actor()).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep_a).await;
        let uri = format!("/api/v1/people/{}/comments", person.id.0);

        let refused = api.call(Method::POST, &uri, Some(&token), Some(json!({"body": "@rep-b bak", "mentions": [rep_b.id.0]}))).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", refused.body);
        assert_eq!(refused.content_type, "application/problem+json");
        assert_eq!(refused.error_fields(), ["mentions[0]"]);
        assert!(api.call(Method::GET, &uri, Some(&token), None).await.body["items"].as_array().unwrap().is_empty());
        let b_token = api.token_for(&rep_b).await;
        assert_eq!(api.call(Method::GET, "/api/v1/notifications", Some(&b_token), None).await.body["unread_count"], 0);

        for (body, field) in [
            (json!({"body": "   "}), "body"),
            (json!({"body": "x".repeat(20_001)}), "body"),
            (json!({"body": "x", "mention": [1]}), "mention"),
        ] {
            let reply = api.call(Method::POST, &uri, Some(&token), Some(body)).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", reply.body);
            assert_eq!(reply.error_fields(), [field]);
        }
        let unreadable = api.call(Method::POST, &uri, Some(&token), Some(json!({"body": "x", "mentions": "all"}))).await;
        assert_eq!(unreadable.status, StatusCode::BAD_REQUEST);
        let bad_flag = api.call(Method::GET, "/api/v1/notifications?unread=maybe", Some(&token), None).await;
        assert!(bad_flag.status.is_client_error());
    }

    async fn a_sales_rep_reaches_no_colleagues_comments_or_notifications_by_any_door(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let manager = fx.user("manager-n", Role::SalesManager, Some("Kuzey")).await;
        let person = PersonBuilder::new("Sevgi", "Öztürk").create(&fx.app, &rep_a.actor()).await;
        let secret = fx.app.add_comment(&rep_a.actor(), rehber_domain::activity::Link {
            record_type: rehber_domain::activity::LinkType::Person, record_id: person.id.0,
        }, &rehber_domain::comment::CommentInput { body: "gizli iskonto".into(), mentions: vec![manager.id.0] }).await.unwrap();
        let api = Api::new(&fx.app);
        let b = api.token_for(&rep_b).await;
        let base = format!("/api/v1/people/{}", person.id.0);
        for (method, uri, body) in [
            (Method::GET, format!("{base}/comments"), None),
            (Method::POST, format!("{base}/comments"), Some(json!({"body": "sızma"}))),
            (Method::GET, format!("{base}/mentionable-users"), None),
            (Method::DELETE, format!("/api/v1/comments/{}", secret.id), None),
        ] {
            let reply = api.call(method.clone(), &uri, Some(&b), body).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} {uri}: {:?}", reply.body);
        }
        let timeline = api.call(Method::GET, &format!("{base}/timeline"), Some(&b), None).await;
        assert_eq!(timeline.status, StatusCode::NOT_FOUND);
        let theirs = api.call(Method::GET, "/api/v1/notifications", Some(&api.token_for(&manager).await), None).await;
        let id = theirs.body["items"][0]["id"].as_i64().unwrap();
        assert_eq!(api.call(Method::POST, &format!("/api/v1/notifications/{id}/read"), Some(&b), None).await.status, StatusCode::NOT_FOUND);
        assert!(api.call(Method::GET, "/api/v1/notifications", Some(&b), None).await.body["items"].as_array().unwrap().is_empty());

        // The pages: no autocomplete, no deleting, no opening someone else's notification.
        let server = TestServer::spawn(&fx.app);
        let browser = Browser::signed_in(&server, &rep_b, PASSWORD).await;
        assert_eq!(browser.htmx_get(&format!("/people/{}/mentions?q=", person.id.0)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(browser.post(&format!("/comments/{}/delete", secret.id), &[]).await.status, StatusCode::NOT_FOUND);
        assert_eq!(browser.get(&format!("/notifications/{id}/open")).await.status, StatusCode::NOT_FOUND);
        assert!(!browser.get("/notifications").await.body.contains("gizli"));
        assert_eq!(fx.app.unread_notifications(&manager.actor()).await.unwrap(), 1, "still unread");
    }

    async fn the_composers_comment_tab_posts_a_comment_with_its_mentions(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let other = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let manager = fx.user("manager-n", Role::SalesManager, Some("Kuzey")).await;
        let person = PersonBuilder::new("Işık", "Çağlar").create(&fx.app, &rep.actor()).await;
        let server = TestServer::spawn(&fx.app);
        let browser = Browser::signed_in(&server, &rep, PASSWORD).await;
        let base = format!("/people/{}", person.id.0);

        let choices = browser.htmx_get(&format!("{base}/mentions?q=man")).await;
        assert_eq!(choices.status, StatusCode::OK);
        assert!(choices.body.contains(&format!("data-mention-id=\"{}\"", manager.id.0)), "{}", choices.body);
        let everyone = browser.htmx_get(&format!("{base}/mentions?q=")).await;
        assert!(!everyone.body.contains(&format!("data-mention-id=\"{}\"", other.id.0)), "a colleague who cannot see the record is not offered");

        let mention = manager.id.0.to_string();
        let card = browser.htmx_post(&format!("{base}/activities"), &[("kind", "comment"), ("body", "@manager-n fiyat onayı lazım"), ("mentions", &mention)]).await;
        assert_eq!(card.status, StatusCode::OK, "{}", card.body);
        assert!(card.body.contains("timeline-comment") && card.body.contains("<span class=\"mention\">@manager-n</span>"), "{}", card.body);
        assert_eq!(fx.app.unread_notifications(&manager.actor()).await.unwrap(), 1);

        let refused_mention = other.id.0.to_string();
        let refused = browser.htmx_post(&format!("{base}/activities"), &[("kind", "comment"), ("body", "@rep-b bak"), ("mentions", &refused_mention)]).await;
        assert_eq!(refused.status, StatusCode::OK, "htmx swaps the card with its messages");
        assert!(refused.body.contains("@rep-b bak"), "the text is kept");
        assert!(refused.body.contains(&format!("name=\"mentions\" value=\"{}\"", other.id.0)), "and the mention, to fix");
        assert!(refused.body.contains("cannot be mentioned") || refused.body.contains("anılamaz"), "{}", refused.body);
        assert_eq!(fx.app.unread_notifications(&other.actor()).await.unwrap(), 0);
    }
}
