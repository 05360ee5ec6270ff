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
