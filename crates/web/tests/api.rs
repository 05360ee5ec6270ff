//! The JSON API end to end through the router, on SQLite and PostgreSQL: authentication,
//! problem documents, normalization, Turkish search, pagination, optimistic versioning, and
//! the permission matrix (a sales rep cannot reach another rep's records by any endpoint).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{Api, ids};
use rehber_domain::Role;
use rehber_testkit::{Fixtures, both_backends};
use serde_json::json;

both_backends! {
    async fn requests_without_a_valid_token_get_401_problem_documents(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let reply = api.call(Method::GET, "/api/v1/people", None, None).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert_eq!(reply.content_type, "application/problem+json");
        assert_eq!(reply.body["status"], 401);
        let reply = api.call(Method::GET, "/api/v1/people", Some("rhb_not-a-token"), None).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        let admin = fx.admin().await;
        let issued = fx.app.issue_token(&admin, "revoked").await.unwrap();
        fx.app.revoke_token(&admin, issued.row.id).await.unwrap();
        let reply = api.call(Method::GET, "/api/v1/people", Some(&issued.secret), None).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }

    async fn created_records_come_back_normalized(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let token = api.token_for(&fx.admin().await).await;
        let company = api.call(Method::POST, "/api/v1/companies", Some(&token), Some(json!({
            "name": "Çağlar Tekstil A.Ş.", "tax_office": "Kadıköy", "tax_number": "1234567890",
            "trade_registry_number": "123456-5", "city": "İstanbul", "phone": "+90 (212) 555 12 12",
            "annual_revenue": "1.250.000,50", "e_invoice": true
        }))).await;
        assert_eq!(company.status, StatusCode::CREATED, "{:?}", company.body);
        assert_eq!(company.body["phones"][0], "+902125551212");
        assert_eq!(company.body["annual_revenue"], "1250000.50");
        let company_id = company.body["id"].as_i64().unwrap();
        let person = api.call(Method::POST, "/api/v1/people", Some(&token), Some(json!({
            "first_name": "Işık", "last_name": "Çağlar", "email": "isik@caglar.com.tr",
            "phones": ["0532 123 45 67", "0212 555 12 13"], "city": "İstanbul",
            "company_id": company_id, "national_id": "10000000146", "birthday": "1985-04-23"
        }))).await;
        assert_eq!(person.status, StatusCode::CREATED, "{:?}", person.body);
        assert_eq!(person.body["phone"], "+905321234567");
        assert_eq!(person.body["phones"][1], "+902125551213");
        assert_eq!(person.body["company_name"], "Çağlar Tekstil A.Ş.");
        assert_eq!(person.body["version"], 1);
    }

    async fn invalid_fields_are_422_problems_naming_each_field(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let token = api.token_for(&fx.admin().await).await;
        let reply = api.call(Method::POST, "/api/v1/companies", Some(&token), Some(json!({
            "name": "", "tax_number": "1234567891", "national_id": "12345678901", "email": "not-an-email"
        }))).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.content_type, "application/problem+json");
        let fields: Vec<&str> = reply.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        for field in ["name", "tax_number", "national_id", "emails[0]"] {
            assert!(fields.contains(&field), "{field} missing in {fields:?}");
        }
        assert!(reply.body["errors"][0]["message"].as_str().unwrap().len() > 5);
        let reply = api.call(Method::POST, "/api/v1/people", Some(&token), Some(json!({"first_name": "Ali", "phone": "12"}))).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.body["errors"][0]["field"], "phones[0]");
    }

    async fn unreadable_bodies_and_parameters_are_400_problems(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let token = api.token_for(&fx.admin().await).await;
        let reply = api.call_raw(Method::POST, "/api/v1/people", Some(&token), Some("{not json".into()), &[]).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert_eq!(reply.content_type, "application/problem+json");
        let reply = api.call(Method::POST, "/api/v1/people", Some(&token), Some(json!({"first_name": 42}))).await;
        assert!(reply.status.is_client_error());
        assert_eq!(reply.content_type, "application/problem+json");
        let reply = api.call(Method::GET, "/api/v1/people?limit=abc", Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        let reply = api.call(Method::GET, "/api/v1/people?lifecycle_stage=royalty&sort=shoe", Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        let reply = api.call(Method::GET, "/api/v1/people/not-a-number", Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        let reply = api.call(Method::GET, "/api/v1/nothing-here", Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        assert_eq!(reply.content_type, "application/problem+json");
    }

    async fn search_is_turkish_aware_across_names_emails_phones_and_companies(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let token = api.token_for(&fx.admin().await).await;
        let company = api.call(Method::POST, "/api/v1/companies", Some(&token), Some(json!({"name": "İstanbul Lojistik"}))).await;
        let company_id = company.body["id"].as_i64().unwrap();
        let person = api.call(Method::POST, "/api/v1/people", Some(&token), Some(json!({
            "first_name": "Işık", "last_name": "Çağlar", "email": "isik.caglar@ornek.com.tr",
            "phone": "0532 123 45 67", "company_id": company_id
        }))).await;
        let id = person.body["id"].as_i64().unwrap();
        api.call(Method::POST, "/api/v1/people", Some(&token), Some(json!({"first_name": "Zeynep", "last_name": "Kaya"}))).await;
        for q in ["ISIK", "ışık", "Işık", "isik", "caglar", "isik%20caglar", "istanbul", "%C4%B0stanbul", "isik.caglar%40ornek", "0532%20123", "%2B905321234567", "5321234567"] {
            let reply = api.call(Method::GET, &format!("/api/v1/people?q={q}"), Some(&token), None).await;
            assert_eq!(reply.status, StatusCode::OK, "{q}");
            assert_eq!(ids(&reply), vec![id], "query {q}");
        }
    }

    async fn cursor_pagination_walks_every_person_once_in_turkish_order(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let token = api.token_for(&fx.admin().await).await;
        let names = ["Zeynep", "Çağlar", "Cem", "Ilgaz", "İlker", "Öykü", "Osman", "Şule", "Sibel", "Ümit", "Umut"];
        for name in names {
            api.call(Method::POST, "/api/v1/people", Some(&token), Some(json!({"first_name": name}))).await;
        }
        let mut seen = Vec::new();
        let mut uri = "/api/v1/people?limit=3".to_string();
        loop {
            let reply = api.call(Method::GET, &uri, Some(&token), None).await;
            assert_eq!(reply.status, StatusCode::OK);
            for p in reply.body["items"].as_array().unwrap() {
                seen.push(p["first_name"].as_str().unwrap().to_string());
            }
            match reply.body["next_cursor"].as_str() {
                Some(cursor) => uri = format!("/api/v1/people?limit=3&cursor={cursor}"),
                None => break,
            }
        }
        assert_eq!(seen, ["Cem", "Çağlar", "Ilgaz", "İlker", "Osman", "Öykü", "Sibel", "Şule", "Umut", "Ümit", "Zeynep"]);
    }

    async fn a_stale_version_is_refused_with_409(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let token = api.token_for(&fx.admin().await).await;
        let person = api.call(Method::POST, "/api/v1/people", Some(&token), Some(json!({"first_name": "Ayşe"}))).await;
        let id = person.body["id"].as_i64().unwrap();
        let uri = format!("/api/v1/people/{id}");
        let first = api.call(Method::PATCH, &uri, Some(&token), Some(json!({"last_name": "Yılmaz", "version": 1}))).await;
        assert_eq!(first.status, StatusCode::OK);
        assert_eq!(first.body["version"], 2);
        let stale = api.call(Method::PATCH, &uri, Some(&token), Some(json!({"last_name": "Demir", "version": 1}))).await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        assert_eq!(stale.content_type, "application/problem+json");
        let stale = api
            .call_raw(Method::PATCH, &uri, Some(&token), Some(json!({"last_name": "Demir"}).to_string()), &[("if-match", "\"1\"")])
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        let now = api.call(Method::GET, &uri, Some(&token), None).await;
        assert_eq!(now.body["last_name"], "Yılmaz");
    }

    async fn a_sales_rep_cannot_reach_another_reps_records_through_any_endpoint(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let rep_c = fx.user("rep-c", Role::SalesRep, Some("Güney")).await;
        let manager = fx.user("manager-kuzey", Role::SalesManager, Some("Kuzey")).await;
        let (ta, tb, tc, tm) = (api.token_for(&rep_a).await, api.token_for(&rep_b).await, api.token_for(&rep_c).await, api.token_for(&manager).await);
        let company = api.call(Method::POST, "/api/v1/companies", Some(&ta), Some(json!({"name": "Gizli Müşteri A.Ş."}))).await;
        let company_id = company.body["id"].as_i64().unwrap();
        let person = api.call(Method::POST, "/api/v1/people", Some(&ta), Some(json!({"first_name": "Gizli", "last_name": "Kişi", "company_id": company_id}))).await;
        let person_id = person.body["id"].as_i64().unwrap();

        for token in [&tb, &tc] {
            for uri in [format!("/api/v1/people/{person_id}"), format!("/api/v1/companies/{company_id}"), format!("/api/v1/companies/{company_id}/people")] {
                assert_eq!(api.call(Method::GET, &uri, Some(token), None).await.status, StatusCode::NOT_FOUND, "{uri}");
            }
            let patch = api.call(Method::PATCH, &format!("/api/v1/people/{person_id}"), Some(token), Some(json!({"first_name": "Ele geçirildi"}))).await;
            assert_eq!(patch.status, StatusCode::NOT_FOUND);
            let patch = api.call(Method::PATCH, &format!("/api/v1/companies/{company_id}"), Some(token), Some(json!({"name": "Ele geçirildi"}))).await;
            assert_eq!(patch.status, StatusCode::NOT_FOUND);
            assert_eq!(api.call(Method::DELETE, &format!("/api/v1/people/{person_id}"), Some(token), None).await.status, StatusCode::NOT_FOUND);
            assert_eq!(api.call(Method::DELETE, &format!("/api/v1/companies/{company_id}"), Some(token), None).await.status, StatusCode::NOT_FOUND);
            for uri in ["/api/v1/people", "/api/v1/people?q=gizli", "/api/v1/companies", "/api/v1/companies?q=gizli", "/api/v1/people?company_id=1"] {
                let reply = api.call(Method::GET, uri, Some(token), None).await;
                assert_eq!(reply.status, StatusCode::OK);
                assert!(ids(&reply).is_empty(), "{uri} leaked {:?}", reply.body);
            }
            let link = api.call(Method::POST, "/api/v1/people", Some(token), Some(json!({"first_name": "Bağlı", "company_id": company_id}))).await;
            assert_eq!(link.status, StatusCode::UNPROCESSABLE_ENTITY);
        }
        // The manager of the team sees the rep's records; the other team's rep does not.
        assert_eq!(api.call(Method::GET, &format!("/api/v1/people/{person_id}"), Some(&tm), None).await.status, StatusCode::OK);
        let reply = api.call(Method::GET, "/api/v1/people?q=gizli", Some(&tm), None).await;
        assert_eq!(ids(&reply), vec![person_id]);
        // Still intact for the owner.
        let own = api.call(Method::GET, &format!("/api/v1/people/{person_id}"), Some(&ta), None).await;
        assert_eq!(own.body["first_name"], "Gizli");
        let _ = rep_c;
    }

    async fn read_only_users_can_read_but_not_write(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let admin = api.token_for(&fx.admin().await).await;
        let viewer = api.token_for(&fx.user("viewer", Role::ReadOnly, None).await).await;
        let person = api.call(Method::POST, "/api/v1/people", Some(&admin), Some(json!({"first_name": "Ömer"}))).await;
        let id = person.body["id"].as_i64().unwrap();
        assert_eq!(api.call(Method::GET, &format!("/api/v1/people/{id}"), Some(&viewer), None).await.status, StatusCode::OK);
        let create = api.call(Method::POST, "/api/v1/people", Some(&viewer), Some(json!({"first_name": "X"}))).await;
        assert_eq!(create.status, StatusCode::FORBIDDEN);
        let patch = api.call(Method::PATCH, &format!("/api/v1/people/{id}"), Some(&viewer), Some(json!({"first_name": "X"}))).await;
        assert_eq!(patch.status, StatusCode::FORBIDDEN);
        assert_eq!(api.call(Method::DELETE, &format!("/api/v1/people/{id}"), Some(&viewer), None).await.status, StatusCode::FORBIDDEN);
    }

    async fn deleted_records_disappear_and_administrators_restore_them(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let admin = api.token_for(&fx.admin().await).await;
        let person = api.call(Method::POST, "/api/v1/people", Some(&admin), Some(json!({"first_name": "Gülşen"}))).await;
        let id = person.body["id"].as_i64().unwrap();
        assert_eq!(api.call(Method::DELETE, &format!("/api/v1/people/{id}"), Some(&admin), None).await.status, StatusCode::NO_CONTENT);
        assert_eq!(api.call(Method::GET, &format!("/api/v1/people/{id}"), Some(&admin), None).await.status, StatusCode::NOT_FOUND);
        let trash = api.call(Method::GET, "/api/v1/people?deleted=true", Some(&admin), None).await;
        assert_eq!(ids(&trash), vec![id]);
        let restored = api.call(Method::POST, &format!("/api/v1/people/{id}/restore"), Some(&admin), None).await;
        assert_eq!(restored.status, StatusCode::OK);
        assert_eq!(api.call(Method::GET, &format!("/api/v1/people/{id}"), Some(&admin), None).await.status, StatusCode::OK);
    }

    async fn the_openapi_document_describes_every_route(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let doc = api.call(Method::GET, "/api/v1/openapi.json", None, None).await;
        assert_eq!(doc.status, StatusCode::OK);
        assert!(doc.body["openapi"].as_str().unwrap().starts_with("3."));
        for path in ["/people", "/people/{id}", "/companies", "/companies/{id}", "/me"] {
            assert!(doc.body["paths"][path].is_object(), "{path} undocumented");
        }
        let page = api.server.send(Request::get("/api/docs").body(Body::empty()).unwrap()).await;
        assert_eq!(page.status(), StatusCode::OK);
        let html = String::from_utf8(page.body().to_vec()).unwrap();
        assert!(html.contains("/api/v1/people/{id}"));
    }
}

/// Sabotage: with the database gone, the API answers 500 with a generic problem document
/// that names a request id and not the cause.
#[tokio::test]
async fn a_broken_database_gives_a_generic_500_problem() {
    let db = rehber_testkit::TestDb::new(rehber_testkit::Backend::Sqlite).await;
    let fx = Fixtures::new(&db);
    let api = Api::new(&fx.app);
    let token = api.token_for(&fx.admin().await).await;
    // Closing the pool breaks every query after authentication's own.
    let reply_ok = api
        .call(Method::GET, "/api/v1/people", Some(&token), None)
        .await;
    assert_eq!(reply_ok.status, StatusCode::OK);
    fx.app.store.close().await;
    let reply = api
        .call(Method::GET, "/api/v1/people", Some(&token), None)
        .await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(reply.content_type, "application/problem+json");
    let detail = reply.body["detail"].as_str().unwrap();
    assert!(detail.contains("request id"), "{detail}");
    assert!(!detail.to_lowercase().contains("pool"), "{detail}");
}
