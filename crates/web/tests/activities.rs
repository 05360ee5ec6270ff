//! Activities through the router, on SQLite and PostgreSQL: `/api/v1/activities` (the
//! contract's round trip: 201 with the links, a person's company added; get, list by record,
//! change with a version, delete), a sales rep reaching none of a colleague's activities by
//! any door, bad input answered as problem documents naming the field; and the activities
//! card of the record pages (logged with htmx or a plain form, refusals kept as typed).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::browser::Browser;
use common::server::TestServer;
use common::{Api, ids};
use rehber_domain::Role;
use rehber_testkit::{CompanyBuilder, Fixtures, PASSWORD, PersonBuilder, both_backends};
use serde_json::json;

both_backends! {
    async fn an_activity_logged_through_the_api_round_trips_with_its_company_linked(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let company = CompanyBuilder::new("Anadolu Tekstil").create(&fx.app, &rep.actor()).await;
        let person = PersonBuilder::new("Işık", "Çağlar").company(company.id).create(&fx.app, &rep.actor()).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;

        let created = api.call(Method::POST, "/api/v1/activities", Some(&token), Some(json!({
            "kind": "call", "subject": "Teklif soruldu", "body": "Fiyat listesi istendi.", "status": "done",
            "starts_at": "2026-12-03T14:30:00+03:00", "ends_at": "2026-12-03T14:45:00+03:00",
            "links": [{"record_type": "person", "record_id": person.id.0}]
        }))).await;
        assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
        let id = created.body["id"].as_i64().unwrap();
        assert_eq!(created.header("location"), Some(format!("/api/v1/activities/{id}").as_str()));
        assert_eq!(created.body["starts_at"], "2026-12-03T11:30:00Z", "stored and answered in UTC");
        assert_eq!(created.body["links"], json!([
            {"record_type": "person", "record_id": person.id.0, "automatic": false},
            {"record_type": "company", "record_id": company.id.0, "automatic": true},
        ]));
        assert_eq!(created.body["owner_id"], rep.id.0);
        assert_eq!(created.body["version"], 1);

        let got = api.call(Method::GET, &format!("/api/v1/activities/{id}"), Some(&token), None).await;
        assert_eq!(got.status, StatusCode::OK);
        assert_eq!(got.header("etag"), Some("\"1\""));
        let listed = api.call(Method::GET, &format!("/api/v1/activities?record_type=company&record_id={}", company.id.0), Some(&token), None).await;
        assert_eq!(ids(&listed), [id]);

        let changed = api.call_raw(Method::PATCH, &format!("/api/v1/activities/{id}"), Some(&token),
            Some(json!({"outcome": "connected", "subject": "Teklif gönderilecek"}).to_string()), &[("if-match", "\"1\"")]).await;
        assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
        assert_eq!((changed.body["subject"].as_str(), changed.body["version"].as_i64()), (Some("Teklif gönderilecek"), Some(2)));
        let stale = api.call_raw(Method::PATCH, &format!("/api/v1/activities/{id}"), Some(&token),
            Some(json!({"subject": "Eski"}).to_string()), &[("if-match", "\"1\"")]).await;
        assert_eq!(stale.status, StatusCode::CONFLICT);

        let deleted = api.call(Method::DELETE, &format!("/api/v1/activities/{id}"), Some(&token), None).await;
        assert_eq!(deleted.status, StatusCode::NO_CONTENT);
        let gone = api.call(Method::GET, &format!("/api/v1/activities/{id}"), Some(&token), None).await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND);
    }

    async fn a_sales_rep_reaches_none_of_a_colleagues_activities_through_the_api(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let person = PersonBuilder::new("Ali", "Kaya").create(&fx.app, &rep_a.actor()).await;
        let api = Api::new(&fx.app);
        let token_a = api.token_for(&rep_a).await;
        let token_b = api.token_for(&rep_b).await;
        let created = api.call(Method::POST, "/api/v1/activities", Some(&token_a), Some(json!({
            "kind": "visit", "status": "planned", "starts_at": "2026-12-10T10:00:00+03:00",
            "links": [{"record_type": "person", "record_id": person.id.0}]
        }))).await;
        assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
        let id = created.body["id"].as_i64().unwrap();
        let one = format!("/api/v1/activities/{id}");

        for (method, uri, body) in [
            (Method::GET, one.clone(), None),
            (Method::PATCH, one.clone(), Some(json!({"subject": "sızma"}))),
            (Method::DELETE, one.clone(), None),
        ] {
            let reply = api.call(method.clone(), &uri, Some(&token_b), body).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} {uri}");
        }
        for uri in ["/api/v1/activities".to_string(), format!("/api/v1/activities?record_type=person&record_id={}", person.id.0)] {
            let reply = api.call(Method::GET, &uri, Some(&token_b), None).await;
            assert_eq!(ids(&reply), Vec::<i64>::new(), "{uri}");
        }
        let linking = api.call(Method::POST, "/api/v1/activities", Some(&token_b), Some(json!({
            "kind": "note", "links": [{"record_type": "person", "record_id": person.id.0}]
        }))).await;
        assert_eq!(linking.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(linking.error_fields(), ["links[0].record_id"]);
        let mine = api.call(Method::GET, "/api/v1/activities", Some(&token_a), None).await;
        assert_eq!(ids(&mine), [id]);
    }

    async fn bad_activity_input_is_a_problem_document_naming_the_field(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await;
        let person = PersonBuilder::new("Ada", "Yıldız").create(&fx.app, &admin.actor()).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&admin).await;
        let link = json!([{"record_type": "person", "record_id": person.id.0}]);
        for (body, field) in [
            (json!({"kind": "meeting", "starts_at": "2026-12-10T10:00:00Z", "ends_at": "2026-12-10T09:00:00Z", "links": link}), "ends_at"),
            (json!({"subject": "no kind", "links": link}), "kind"),
            (json!({"kind": "call"}), "links"),
            (json!({"kind": "call", "links": link, "body": "x".repeat(20_001)}), "body"),
            (json!({"kind": "call", "links": link, "starts_at": "tomorrow"}), "starts_at"),
            (json!({"kind": "call", "links": [{"record_type": "ticket", "record_id": 1}]}), "links[0].record_type"),
            (json!({"kind": "call", "links": link, "colour": "red"}), "colour"),
        ] {
            let reply = api.call(Method::POST, "/api/v1/activities", Some(&token), Some(body.clone())).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {:?}", reply.body);
            assert_eq!(reply.content_type, "application/problem+json");
            assert_eq!(reply.error_fields(), [field], "{body}");
        }
        for (uri, status, field) in [
            ("/api/v1/activities?record_id=1", StatusCode::UNPROCESSABLE_ENTITY, "record_type"),
            ("/api/v1/activities?record_type=ticket&record_id=1", StatusCode::UNPROCESSABLE_ENTITY, "record_type"),
            ("/api/v1/activities?kind=fax", StatusCode::UNPROCESSABLE_ENTITY, "kind"),
            ("/api/v1/activities?from=yesterday", StatusCode::UNPROCESSABLE_ENTITY, "from"),
            ("/api/v1/activities?limit=500", StatusCode::UNPROCESSABLE_ENTITY, "limit"),
            ("/api/v1/activities?cursor=zzz", StatusCode::UNPROCESSABLE_ENTITY, "cursor"),
            ("/api/v1/activities?record_id=abc", StatusCode::BAD_REQUEST, "record_id"),
        ] {
            let reply = api.call(Method::GET, uri, Some(&token), None).await;
            assert_eq!(reply.status, status, "{uri}: {:?}", reply.body);
            assert_eq!(reply.error_fields(), [field], "{uri}");
        }
        let missing = api.call(Method::GET, "/api/v1/activities/999999", Some(&token), None).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
    }

    async fn the_record_pages_log_activities_and_show_them_to_whoever_sees_the_record(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let company = CompanyBuilder::new("Anadolu Tekstil").create(&fx.app, &rep_a.actor()).await;
        let person = PersonBuilder::new("Işık", "Çağlar").company(company.id).create(&fx.app, &rep_a.actor()).await;
        let server = TestServer::spawn(&fx.app);
        let browser = Browser::signed_in(&server, &rep_a, PASSWORD).await;
        let person_page = format!("/people/{}", person.id.0);
        let action = format!("{person_page}/activities");

        let page = browser.get(&person_page).await;
        assert!(page.body.contains(r#"id="card-activities""#), "{}", page.body);
        assert!(page.body.contains(r#"class="timeline-item timeline-change change""#), "the record's creation is its first entry");

        // With htmx: the card comes back with the new activity and an empty form.
        let card = browser.htmx_post(&action, &[("kind", "call"), ("status", "done"), ("subject", "Fiyat soruldu"), ("body", "Katalog istendi."), ("starts_at", "2026-12-03T14:30")]).await;
        assert_eq!(card.status, StatusCode::OK);
        assert!(card.body.starts_with("<section"), "only the card: {}", card.body);
        assert!(card.body.contains("Fiyat soruldu") && card.body.contains("Katalog istendi."));
        assert!(card.body.contains(r#"datetime="2026-12-03T11:30:00Z""#), "14:30 in Istanbul: {}", card.body);
        // Without JavaScript: back to the record page.
        let plain = browser.post(&action, &[("kind", "visit"), ("status", "planned"), ("subject", "Fabrika ziyareti"), ("starts_at", "2026-12-10T10:00")]).await;
        assert_eq!(plain.status, StatusCode::SEE_OTHER);
        assert!(plain.location().starts_with(&person_page), "{}", plain.location());
        // The company's page shows both: they were logged against its person.
        let company_page = browser.get(&format!("/companies/{}", company.id.0)).await;
        assert!(company_page.body.contains("Fiyat soruldu") && company_page.body.contains("Fabrika ziyareti"));

        // A refusal keeps what was typed and names the field, with htmx and without.
        let refused = browser.htmx_post(&action, &[("kind", "call"), ("subject", "Tarihi yanlış"), ("starts_at", "dün")]).await;
        assert_eq!(refused.status, StatusCode::OK, "htmx swaps the card with its messages");
        assert!(refused.body.contains("Tarihi yanlış") && refused.body.contains("field-error"), "{}", refused.body);
        let refused = browser.post(&action, &[("kind", "call"), ("subject", "Tarihi yanlış"), ("starts_at", "dün")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("Tarihi yanlış") && refused.body.contains("<nav"), "a whole page");

        // Another rep can neither log against the person nor see what was logged.
        let other = Browser::signed_in(&server, &rep_b, PASSWORD).await;
        let denied = other.htmx_post(&action, &[("kind", "note"), ("subject", "sızma")]).await;
        assert_eq!(denied.status, StatusCode::NOT_FOUND);
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep_b).await;
        let listed = api.call(Method::GET, "/api/v1/activities", Some(&token), None).await;
        assert_eq!(ids(&listed), Vec::<i64>::new());
    }
}
