//! What customers owe, in the people and company lists, on SQLite and PostgreSQL: the TRY
//! balance and its overdue part follow every posted invoice, payment and cancellation; the
//! lists sort and filter by them; the nightly refresh moves the overdue part on as invoices
//! fall due; and a rep sorting by balance still sees only their own customers.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::Api;
use common::browser::{Browser, form_encode};
use common::ledger::{days, pay, posted_invoice};
use common::server::TestServer;
use rehber_domain::Role;
use rehber_testkit::{CompanyBuilder, Fixtures, PASSWORD, PersonBuilder, both_backends};
use serde_json::{Value, json};

fn names(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect()
}

/// `filter=<the rule>`, encoded for an address.
fn filter(rule: &Value) -> String {
    form_encode(&[("filter", &rule.to_string())])
}

both_backends! {
    async fn lists_sort_and_filter_by_what_customers_owe(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep", Role::SalesRep, Some("Kuzey")).await;
        let other = fx.user("other", Role::SalesRep, Some("Kuzey")).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;
        let other_token = api.token_for(&other).await;
        let late = CompanyBuilder::new("Geciken Ticaret").create(&fx.app, &rep.actor()).await.id.0;
        let current = CompanyBuilder::new("Düzenli Ödeyen").create(&fx.app, &rep.actor()).await.id.0;
        CompanyBuilder::new("Borçsuz Ltd.").create(&fx.app, &rep.actor()).await;
        let theirs = CompanyBuilder::new("Komşu Holding").create(&fx.app, &other.actor()).await.id.0;

        // 1,200 due a month ago; 600 due in 25 days; a colleague's customer owes 12,000.
        posted_invoice(&api, &token, late, -60, 100_000).await;
        let due_later = posted_invoice(&api, &token, current, -5, 50_000).await;
        posted_invoice(&api, &other_token, theirs, -90, 1_000_000).await;

        let reply = api.call(Method::GET, "/api/v1/companies?sort=-balance", Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(names(&reply.body), ["Geciken Ticaret", "Düzenli Ödeyen", "Borçsuz Ltd."]);
        let overdue = json!({"field": "overdue", "op": "gte", "value": "0,01"});
        let url = format!("/api/v1/companies?sort=-overdue&{}", filter(&overdue));
        let reply = api.call(Method::GET, &url, Some(&token), None).await;
        assert_eq!(names(&reply.body), ["Geciken Ticaret"], "the colleague's customer is not in sight");
        let owing = json!({"field": "balance", "op": "gte", "value": "1000"});
        let reply = api.call(Method::GET, &format!("/api/v1/companies?{}", filter(&owing)), Some(&token), None).await;
        assert_eq!(names(&reply.body), ["Geciken Ticaret"]);
        let bad = json!({"field": "balance", "op": "gte", "value": "çok"});
        let reply = api.call(Method::GET, &format!("/api/v1/companies?{}", filter(&bad)), Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", reply.body);

        // A payment takes the overdue invoice first; the figures follow at once.
        let (status, _) = pay(&api, &token, json!({"company_id": late, "amount": {"minor": 120_000, "currency": "TRY"}, "method": "cash"})).await;
        assert_eq!(status, StatusCode::CREATED);
        let reply = api.call(Method::GET, &url, Some(&token), None).await;
        assert_eq!(names(&reply.body), Vec::<String>::new());
        let figures = fx.store().scoped(&rep.actor()).receivables(rehber_domain::access::RecordKind::Company, &[late, current, theirs]).await.unwrap();
        assert_eq!(figures.get(&late), Some(&(0, 0)));
        assert_eq!(figures.get(&current), Some(&(60_000, 0)));
        assert_eq!(figures.get(&theirs), None, "outside the rep's view");

        // Forty days on, the other invoice is overdue too (the nightly refresh).
        fx.store().refresh_overdue(days(40)).await.unwrap();
        let reply = api.call(Method::GET, &url, Some(&token), None).await;
        assert_eq!(names(&reply.body), ["Düzenli Ödeyen"]);
        // Cancelling is refused with an allocation, fine without: the figures drop to zero.
        let id = due_later["id"].as_i64().unwrap();
        let reply = api.call(Method::POST, &format!("/api/v1/invoices/{id}/cancel"), Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        fx.store().refresh_overdue(days(40)).await.unwrap();
        let figures = fx.store().scoped(&rep.actor()).receivables(rehber_domain::access::RecordKind::Company, &[current]).await.unwrap();
        assert_eq!(figures.get(&current), Some(&(0, 0)));

        // People's own accounts too, and the list page shows the columns.
        let person = PersonBuilder::new("Deniz", "Öztürk").create(&fx.app, &rep.actor()).await.id.0;
        let body = json!({"person_id": person, "currency": "TRY", "issue_date": days(-45).to_string(), "lines": [{"description": "Danışmanlık", "quantity": "1", "unit_price": {"minor": 10_000}, "vat_rate": 20}]});
        let draft = api.call(Method::POST, "/api/v1/invoices", Some(&token), Some(body)).await;
        let id = draft.body["id"].as_i64().unwrap();
        api.call(Method::POST, &format!("/api/v1/invoices/{id}/post"), Some(&token), None).await;
        let reply = api.call(Method::GET, "/api/v1/people?sort=-overdue", Some(&token), None).await;
        assert_eq!(reply.body["items"][0]["id"], person);
        let server = TestServer::spawn(&fx.app);
        let browser = Browser::signed_in(&server, &rep, PASSWORD).await;
        let page = browser.get("/people?sort=-overdue").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Overdue") && page.body.contains("TRY 120.00"), "{}", page.body);
        let page = browser.get("/companies?sort=-balance").await;
        assert!(page.body.contains("Balance") && !page.body.contains("Komşu Holding"));
    }
}
