//! The search across every kind through the router, on SQLite and PostgreSQL: the API's
//! `GET /api/v1/search` and the `/search` page behind the search box of every page, each in
//! the caller's scope (a sales rep never finds a colleague's records), with bad queries
//! answered as problem documents.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::Api;
use common::browser::Browser;
use common::server::TestServer;
use rehber_domain::Role;
use rehber_testkit::{CompanyBuilder, Fixtures, PASSWORD, PersonBuilder, both_backends};
use serde_json::Value;

/// `record_type:title` of each item of a search reply.
fn titles(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            format!(
                "{}:{}",
                i["record_type"].as_str().unwrap(),
                i["title"].as_str().unwrap()
            )
        })
        .collect()
}

both_backends! {
    async fn the_api_searches_people_and_companies_in_the_callers_scope(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let company = CompanyBuilder::new("Çağlar Tekstil").city("Bursa").create(&fx.app, &rep_a.actor()).await;
        let person = PersonBuilder::new("Işık", "Çağlar").company(company.id).create(&fx.app, &rep_a.actor()).await;
        PersonBuilder::new("Ömer", "Çağlar").create(&fx.app, &rep_b.actor()).await;
        let api = Api::new(&fx.app);
        let token_a = api.token_for(&rep_a).await;
        let token_b = api.token_for(&rep_b).await;

        let reply = api.call(Method::GET, "/api/v1/search?q=caglar", Some(&token_a), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(titles(&reply.body), ["person:Işık Çağlar", "company:Çağlar Tekstil"]);
        assert_eq!(reply.body["query"], "caglar");
        let first = &reply.body["items"][0];
        assert_eq!(first["id"], person.id.0);
        assert_eq!(first["subtitle"], "Çağlar Tekstil");
        assert_eq!(first["url"], format!("/api/v1/people/{}", person.id.0));
        assert_eq!(reply.body["items"][1]["url"], format!("/api/v1/companies/{}", company.id.0));
        assert_eq!(reply.body["more"], serde_json::json!([]));

        let reply = api.call(Method::GET, "/api/v1/search?q=%C3%A7a%C4%9Flar", Some(&token_b), None).await;
        assert_eq!(titles(&reply.body), ["person:Ömer Çağlar"], "rep B finds none of rep A's records");
        let reply = api.call(Method::GET, "/api/v1/search?q=Tekstil", Some(&token_b), None).await;
        assert_eq!(titles(&reply.body), Vec::<String>::new());
    }

    async fn the_api_answers_bad_search_queries_with_problem_documents(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let token = api.token_for(&fx.admin().await).await;
        for (uri, status, field) in [
            ("/api/v1/search", StatusCode::UNPROCESSABLE_ENTITY, "q"),
            ("/api/v1/search?q=", StatusCode::UNPROCESSABLE_ENTITY, "q"),
            ("/api/v1/search?q=ali&limit=0", StatusCode::UNPROCESSABLE_ENTITY, "limit"),
            ("/api/v1/search?q=ali&limit=51", StatusCode::UNPROCESSABLE_ENTITY, "limit"),
            ("/api/v1/search?q=ali&limit=many", StatusCode::BAD_REQUEST, "limit"),
            ("/api/v1/search?q=ali&kind=person", StatusCode::UNPROCESSABLE_ENTITY, "kind"),
        ] {
            let reply = api.call(Method::GET, uri, Some(&token), None).await;
            assert_eq!(reply.status, status, "{uri}: {:?}", reply.body);
            assert_eq!(reply.content_type, "application/problem+json", "{uri}");
            assert_eq!(reply.error_fields(), [field], "{uri}");
        }
        let long = format!("/api/v1/search?q={}", "a".repeat(201));
        let reply = api.call(Method::GET, &long, Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        let reply = api.call(Method::GET, "/api/v1/search?q=ali", None, None).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }

    async fn the_search_page_lists_what_the_caller_may_see_and_links_to_it(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let company = CompanyBuilder::new("Yıldız Lojistik").create(&fx.app, &rep_a.actor()).await;
        let person = PersonBuilder::new("Ada", "Yıldız").create(&fx.app, &rep_a.actor()).await;
        PersonBuilder::new("Gizli", "Yıldız").create(&fx.app, &rep_b.actor()).await;
        let server = TestServer::spawn(&fx.app);
        let browser = Browser::signed_in(&server, &rep_a, PASSWORD).await;

        let home = browser.get("/today").await;
        assert!(home.body.contains(r#"action="/search""#), "every page has the search box");
        assert!(home.body.contains("data-search-shortcut"));

        let page = browser.get("/search?q=yildiz").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(&format!(r#"href="/people/{}""#, person.id.0)), "{}", page.body);
        assert!(page.body.contains(&format!(r#"href="/companies/{}""#, company.id.0)));
        assert!(page.body.contains("Ada Yıldız"));
        assert!(!page.body.contains("Gizli"), "another rep's person is not found");
        assert!(page.body.contains("People") && page.body.contains("Companies"));

        let none = browser.get("/search?q=zzzz").await;
        assert!(none.body.contains("Nothing found"), "{}", none.body);
        let empty = browser.get("/search").await;
        assert_eq!(empty.status, StatusCode::OK);
        assert!(!empty.body.contains("Nothing found"), "no query, no verdict");
    }
}
