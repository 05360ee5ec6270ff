//! `/api/v1/{people|companies}/{id}/timeline` through the router, on SQLite and PostgreSQL:
//! the contract's shape (kind, at, source_type, source_id, next_cursor; newest first), paging
//! by cursor, a colleague's record answered 404, bad parameters as problem documents.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::Api;
use rehber_domain::Role;
use rehber_testkit::{CompanyBuilder, Fixtures, PersonBuilder, both_backends};
use serde_json::json;

both_backends! {
    async fn a_records_timeline_answers_the_contract_newest_first_and_pages_by_cursor(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let company = CompanyBuilder::new("Anadolu Tekstil").create(&fx.app, &rep_a.actor()).await;
        let person = PersonBuilder::new("Işık", "Çağlar").company(company.id).create(&fx.app, &rep_a.actor()).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep_a).await;
        let call = api.call(Method::POST, "/api/v1/activities", Some(&token), Some(json!({
            "kind": "call", "subject": "Teklif soruldu", "starts_at": "2030-01-01T10:00:00Z",
            "links": [{"record_type": "person", "record_id": person.id.0}]
        }))).await;
        let task = api.call(Method::POST, "/api/v1/tasks", Some(&token), Some(json!({
            "title": "Teklifi hazırla", "due_date": "2026-12-07", "links": [{"record_type": "company", "record_id": company.id.0}]
        }))).await;

        let uri = format!("/api/v1/companies/{}/timeline", company.id.0);
        let page = api.call(Method::GET, &uri, Some(&token), None).await;
        assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
        let items = page.body["items"].as_array().unwrap();
        let kinds: Vec<&str> = items.iter().map(|i| i["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["activity", "task", "change"], "the call is in 2030; the task after the company's creation");
        assert_eq!((items[0]["source_type"].as_str(), items[0]["source_id"].as_i64()), (Some("activity"), call.body["id"].as_i64()));
        assert_eq!(items[0]["at"], "2030-01-01T10:00:00Z");
        assert_eq!(items[0]["activity"]["subject"], "Teklif soruldu");
        assert_eq!((items[1]["source_type"].as_str(), items[1]["source_id"].as_i64()), (Some("task"), task.body["id"].as_i64()));
        assert_eq!(items[2]["change"]["action"], "created");
        assert_eq!(items[2]["source_type"], "audit_event");
        assert!(page.body["next_cursor"].is_null());

        let first = api.call(Method::GET, &format!("{uri}?limit=2"), Some(&token), None).await;
        let cursor = first.body["next_cursor"].as_str().unwrap().to_string();
        let rest = api.call(Method::GET, &format!("{uri}?limit=2&cursor={cursor}"), Some(&token), None).await;
        assert_eq!(rest.body["items"].as_array().unwrap().len(), 1);
        assert_eq!(rest.body["items"][0]["kind"], "change");
        let only_tasks = api.call(Method::GET, &format!("{uri}?kind=task"), Some(&token), None).await;
        assert_eq!(only_tasks.body["items"].as_array().unwrap().len(), 1);

        let token_b = api.token_for(&rep_b).await;
        for uri in [uri.clone(), format!("/api/v1/people/{}/timeline", person.id.0)] {
            let denied = api.call(Method::GET, &uri, Some(&token_b), None).await;
            assert_eq!(denied.status, StatusCode::NOT_FOUND, "{uri}");
            assert_eq!(denied.content_type, "application/problem+json");
        }
        for (query, field) in [("kind=deal", "kind"), ("limit=0", "limit"), ("cursor=zzz", "cursor"), ("colour=red", "colour")] {
            let reply = api.call(Method::GET, &format!("{uri}?{query}"), Some(&token), None).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {:?}", reply.body);
            assert_eq!(reply.error_fields(), [field], "{query}");
        }
    }
}

mod card {
    use super::common::browser::Browser;
    use super::common::server::TestServer;
    use axum::http::StatusCode;
    use rehber_domain::Role;
    use rehber_domain::activity::ActivityInput;
    use rehber_testkit::{Fixtures, PASSWORD, PersonBuilder, both_backends};

    both_backends! {
        async fn the_record_pages_timeline_adds_tasks_filters_by_kind_and_loads_older_entries(db) {
            let fx = Fixtures::new(db);
            let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
            let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
            let person = PersonBuilder::new("Işık", "Çağlar").create(&fx.app, &rep_a.actor()).await;
            for n in 0..25 {
                let call = ActivityInput {
                    kind: "call".into(), subject: format!("Arama {n:02}"),
                    starts_at: format!("2026-11-{:02}T10:00:00Z", n + 1),
                    links: vec![("person".into(), person.id.0)], ..ActivityInput::default()
                };
                fx.app.create_activity(&rep_a.actor(), &call).await.unwrap();
            }
            let server = TestServer::spawn(&fx.app);
            let browser = Browser::signed_in(&server, &rep_a, PASSWORD).await;
            let base = format!("/people/{}", person.id.0);

            // The composer's task tab adds a task, shown at the top of the card.
            let card = browser.htmx_post(&format!("{base}/activities"), &[("kind", "task"), ("subject", "Numune gönder"), ("starts_at", "2026-12-10T09:00")]).await;
            assert_eq!(card.status, StatusCode::OK);
            assert!(card.body.starts_with("<section"), "only the card: {}", card.body);
            let first = card.body.find("timeline-item").unwrap();
            assert!(card.body[first..].trim_start().contains("Numune gönder"), "newest first");
            let tasks = fx.app.tasks(&rep_a.actor(), &rehber_app::TaskFilter::default(), None, 10).await.unwrap();
            assert_eq!(tasks.items[0].fields.due.map(|d| d.starts(&rehber_app::home_zone()).to_string()), Some("2026-12-10T06:00:00Z".into()));
            let refused = browser.htmx_post(&format!("{base}/activities"), &[("kind", "task"), ("subject", ""), ("body", "başlıksız")]).await;
            assert!(refused.body.contains("activity-subject-error") && refused.body.contains("başlıksız"), "{}", refused.body);

            // Twenty entries, then "load older" appends the rest in place.
            let page = browser.get(&base).await;
            assert_eq!(page.body.matches("class=\"timeline-item timeline-").count(), 20);
            let older = page.body.split("hx-get=\"").filter_map(|s| s.split('"').next()).find(|href| href.contains("cursor=")).unwrap().replace("&amp;", "&");
            let more = browser.htmx_get(&older).await;
            assert_eq!(more.status, StatusCode::OK);
            assert!(more.body.trim_start().starts_with("<li"), "{}", more.body);
            assert_eq!(more.body.matches("class=\"timeline-item timeline-").count(), 7, "25 calls, a task and the creation: 27 in all");
            assert!(more.body.contains("Arama 00") && !more.body.contains("timeline-older"));

            // A chip narrows the card to one kind.
            let changes = browser.htmx_get(&format!("{base}/timeline?kind=change")).await;
            assert!(changes.body.starts_with("<section"));
            assert_eq!(changes.body.matches("class=\"timeline-item timeline-").count(), 1);
            assert!(changes.body.contains("aria-current=\"true\">Changes"));
            let plain = browser.get(&format!("{base}/timeline?kind=task")).await;
            assert!(plain.body.contains("<nav") && plain.body.contains("Numune gönder"), "a page of its own without htmx");

            let other = Browser::signed_in(&server, &rep_b, PASSWORD).await;
            for uri in [format!("{base}/timeline"), older.clone()] {
                assert_eq!(other.htmx_get(&uri).await.status, StatusCode::NOT_FOUND, "{uri}");
            }
        }
    }
}

mod feed {
    use super::common::Api;
    use axum::http::{Method, StatusCode};
    use rehber_domain::Role;
    use rehber_testkit::{Fixtures, both_backends};

    both_backends! {
        async fn a_calendar_feed_address_answers_without_a_session_until_a_new_one_replaces_it(db) {
            let fx = Fixtures::new(db);
            let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
            let api = Api::new(&fx.app);
            let token = api.token_for(&rep).await;
            let made = api.call(Method::POST, "/api/v1/me/calendar-feed", Some(&token), None).await;
            assert_eq!(made.status, StatusCode::OK, "{:?}", made.body);
            let url = made.body["url"].as_str().unwrap().to_string();
            assert!(url.starts_with("http://") && url.ends_with(".ics"), "{url}");
            let path = &url[url.find("/api/v1/").unwrap()..];

            let feed = api.call(Method::GET, path, None, None).await;
            assert_eq!(feed.status, StatusCode::OK);
            assert_eq!(feed.content_type, "text/calendar; charset=utf-8");
            let again = api.call(Method::POST, "/api/v1/me/calendar-feed", Some(&token), None).await;
            assert_ne!(again.body["url"], made.body["url"]);
            let revoked = api.call(Method::GET, path, None, None).await;
            assert_eq!(revoked.status, StatusCode::NOT_FOUND);
            assert_eq!(revoked.content_type, "application/problem+json");
            for made_up in ["/api/v1/calendar/rcf_0.ics", "/api/v1/calendar/nothing", "/api/v1/calendar/.ics"] {
                assert_eq!(api.call(Method::GET, made_up, None, None).await.status, StatusCode::NOT_FOUND, "{made_up}");
            }
            let anonymous = api.call(Method::POST, "/api/v1/me/calendar-feed", None, None).await;
            assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
        }
    }
}

mod calendar_page {
    use super::common::browser::Browser;
    use super::common::server::TestServer;
    use axum::http::StatusCode;
    use rehber_domain::Role;
    use rehber_domain::activity::ActivityInput;
    use rehber_domain::task::TaskInput;
    use rehber_testkit::{Fixtures, PASSWORD, PersonBuilder, both_backends};

    both_backends! {
        async fn the_calendar_shows_a_month_and_a_week_of_ones_own_entries_only(db) {
            let fx = Fixtures::new(db);
            let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
            let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
            let mine = PersonBuilder::new("Işık", "Çağlar").create(&fx.app, &rep_a.actor()).await;
            let theirs = PersonBuilder::new("Bora", "Kaya").create(&fx.app, &rep_b.actor()).await;
            let plan = |person: i64, subject: &str, at: &str| ActivityInput {
                kind: "visit".into(), status: "planned".into(), subject: subject.into(), starts_at: at.into(),
                links: vec![("person".into(), person)], ..ActivityInput::default()
            };
            fx.app.create_activity(&rep_a.actor(), &plan(mine.id.0, "Fabrika ziyareti", "2026-12-07T14:00:00+03:00")).await.unwrap();
            fx.app.create_activity(&rep_b.actor(), &plan(theirs.id.0, "B'nin ziyareti", "2026-12-07T10:00:00+03:00")).await.unwrap();
            fx.app.create_task(&rep_a.actor(), &TaskInput { title: "Yıl sonu raporu".into(), due_date: "2026-12-31".into(), ..TaskInput::default() }).await.unwrap();
            let server = TestServer::spawn(&fx.app);
            let browser = Browser::signed_in(&server, &rep_a, PASSWORD).await;

            let month = browser.get("/calendar?date=2026-12-15").await;
            assert_eq!(month.status, StatusCode::OK);
            assert!(month.body.contains("December 2026"), "{}", month.body);
            assert_eq!(month.body.matches("role=\"gridcell\"").count(), 35, "five weeks, Monday first");
            let seventh = month.body.split("data-date=\"2026-12-07\"").nth(1).unwrap().split("role=\"gridcell\"").next().unwrap();
            assert!(seventh.contains("<time>14:00</time> Fabrika ziyareti"), "{seventh}");
            assert!(seventh.contains(&format!("href=\"/people/{}\"", mine.id.0)));
            assert!(month.body.contains("Yıl sonu raporu"));
            assert!(!month.body.contains("B'nin ziyareti"), "a colleague's visit never shows");
            let peek = browser.get(&format!("/calendar?date=2026-12-15&who={}", rep_b.id.0)).await;
            assert!(!peek.body.contains("B'nin ziyareti"));

            let week = browser.get("/calendar?view=week&date=2026-12-09").await;
            assert_eq!(week.body.matches("role=\"gridcell\"").count(), 7);
            assert!(week.body.contains("Fabrika ziyareti") && !week.body.contains("Yıl sonu raporu"));
            assert!(week.body.contains("href=\"/calendar?view=week&amp;date=2026-12-16&amp;who=me\""), "next week");
            let odd = browser.get("/calendar?view=week&date=2026-12-09&who=%3Cb%3E").await;
            assert_eq!(odd.status, StatusCode::OK);
            assert!(odd.body.contains("&amp;who=me\"") && !odd.body.contains("who=&lt;b"), "an unknown filter reads as mine");
        }
    }
}
