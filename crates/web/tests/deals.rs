//! Deals through the API, on SQLite and PostgreSQL: the contract's create, read, change and
//! delete, the stage move (a lost stage without a reason is 422 and leaves the deal as it
//! was), the board with its TRY totals, exchange rates by hand and from the central bank's
//! file, and a sales rep who cannot reach a colleague's deal through any of these doors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::Api;
use rehber_domain::Role;
use rehber_testkit::{Fixtures, both_backends};
use serde_json::{Value, json};

/// The seeded pipeline's id and its stages' ids by name.
async fn pipeline(api: &Api, token: &str) -> (i64, Vec<(String, i64)>) {
    let reply = api
        .call(Method::GET, "/api/v1/pipelines", Some(token), None)
        .await;
    let first = &reply.body["items"][0];
    let stages = first["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["id"].as_i64().unwrap(),
            )
        })
        .collect();
    (first["id"].as_i64().unwrap(), stages)
}

fn id_of(stages: &[(String, i64)], name: &str) -> i64 {
    stages.iter().find(|(n, _)| n == name).unwrap().1
}

fn names(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap().to_string())
        .collect()
}

both_backends! {
    async fn a_deal_is_created_moved_and_lost_only_with_a_reason(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep", Role::SalesRep, Some("Kuzey")).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;
        let (pipeline_id, stages) = pipeline(&api, &token).await;
        let first = id_of(&stages, "Yeni fırsat");

        let reply = api.call(Method::POST, "/api/v1/deals", Some(&token), Some(json!({
            "name": "Fırın hattı yenileme",
            "pipeline_id": pipeline_id,
            "stage_id": first,
            "amount": {"minor": 125_000_050, "currency": "TRY"},
            "expected_close": "2027-01-31"
        }))).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        let id = reply.body["id"].as_i64().unwrap();
        assert_eq!(reply.body["amount"], json!({"minor": 125_000_050, "currency": "TRY"}));
        assert_eq!(reply.body["expected_close"], "2027-01-31");
        let version = reply.body["version"].as_i64().unwrap();

        // Lost without a reason: 422 naming the field, and nothing changed.
        let lost = id_of(&stages, "Kaybedildi");
        let reply = api.call(Method::POST, &format!("/api/v1/deals/{id}/stage"), Some(&token), Some(json!({
            "stage_id": lost
        }))).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.body["errors"][0]["field"], "lost_reason_id", "{:?}", reply.body);
        let reply = api.call(Method::GET, &format!("/api/v1/deals/{id}"), Some(&token), None).await;
        assert_eq!(reply.body["stage_id"], first);
        assert_eq!(reply.body["version"], version);

        let reasons = api.call(Method::GET, "/api/v1/lost-reasons", Some(&token), None).await;
        let reason = reasons.body["items"][0]["id"].as_i64().unwrap();
        let reply = api.call(Method::POST, &format!("/api/v1/deals/{id}/stage"), Some(&token), Some(json!({
            "stage_id": lost, "lost_reason_id": reason, "version": version
        }))).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.body["lost_reason_id"], reason);

        // A second drop drawn at the old version is refused.
        let reply = api.call(Method::POST, &format!("/api/v1/deals/{id}/stage"), Some(&token), Some(json!({
            "stage_id": first, "version": version
        }))).await;
        assert_eq!(reply.status, StatusCode::CONFLICT);

        // Won with its final amount.
        let won = id_of(&stages, "Kazanıldı");
        let reply = api.call(Method::POST, &format!("/api/v1/deals/{id}/stage"), Some(&token), Some(json!({
            "stage_id": won, "amount": {"minor": 120_000_000}, "expected_close": "2026-12-01"
        }))).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.body["amount"]["minor"], 120_000_000);
        assert_eq!(reply.body["lost_reason_id"], Value::Null);

        let reply = api.call(Method::PATCH, &format!("/api/v1/deals/{id}"), Some(&token), Some(json!({
            "probability": 140, "currency": "TRY"
        }))).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "unknown field and bad probability");
        let reply = api.call(Method::PATCH, &format!("/api/v1/deals/{id}"), Some(&token), Some(json!({
            "probability": 140
        }))).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.body["errors"][0]["field"], "probability");

        // The timeline shows the stage moves by name.
        let reply = api.call(Method::GET, &format!("/api/v1/deals/{id}/timeline?kind=change"), Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let text = reply.body.to_string();
        assert!(text.contains("Kaybedildi") && text.contains("Kazanıldı"), "{text}");

        let reply = api.call(Method::GET, &format!("/api/v1/deals?pipeline_id={pipeline_id}&stage_id={won}"), Some(&token), None).await;
        assert_eq!(names(&reply.body), ["Fırın hattı yenileme"]);
        let reply = api.call(Method::GET, "/api/v1/deals?city=İzmir", Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "deals have no city");

        let reply = api.call(Method::DELETE, &format!("/api/v1/deals/{id}"), Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::NO_CONTENT);
    }

    async fn the_board_totals_in_try_and_a_rep_sees_only_their_deals(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await;
        let rep = fx.user("rep", Role::SalesRep, Some("Kuzey")).await;
        let colleague = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;
        let theirs = api.token_for(&colleague).await;
        let admin_token = api.token_for(&admin).await;
        let (pipeline_id, stages) = pipeline(&api, &token).await;
        let first = id_of(&stages, "Yeni fırsat");
        for (who, name, amount) in [
            (&token, "Lira", json!({"minor": 100_000})),
            (&token, "Euro", json!({"minor": 10_000, "currency": "EUR"})),
            (&theirs, "Gizli fırsat", json!({"minor": 999_900})),
        ] {
            let reply = api.call(Method::POST, "/api/v1/deals", Some(who), Some(json!({
                "name": name, "pipeline_id": pipeline_id, "stage_id": first, "amount": amount
            }))).await;
            assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        }
        let secret = api.call(Method::GET, "/api/v1/deals", Some(&theirs), None).await;
        let secret_id = secret.body["items"][0]["id"].as_i64().unwrap();

        let board = api.call(Method::GET, &format!("/api/v1/deals/board?pipeline_id={pipeline_id}"), Some(&token), None).await;
        assert_eq!(board.status, StatusCode::OK, "{:?}", board.body);
        let column = &board.body["stages"][0];
        assert_eq!(column["count"], 2);
        assert_eq!(column["total"], json!({"minor": 100_000, "currency": "TRY"}));
        assert_eq!(column["unpriced"], 1);
        assert_eq!(board.body["missing_rates"], json!(["EUR"]));
        assert!(!board.body.to_string().contains("Gizli"), "the board leaks a colleague's deal");

        let reply = api.call(Method::POST, "/api/v1/exchange-rates", Some(&token), Some(json!({
            "currency": "EUR", "date": "2026-01-02", "rate": "49,4123"
        }))).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        let reply = api.call(Method::POST, "/api/v1/exchange-rates", Some(&admin_token), Some(json!({
            "currency": "EUR", "date": "2026-01-02", "rate": "49,4123"
        }))).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        assert_eq!(reply.body["rate"], "49.4123");
        let board = api.call(Method::GET, &format!("/api/v1/deals/board?pipeline_id={pipeline_id}"), Some(&token), None).await;
        assert_eq!(board.body["stages"][0]["total"]["minor"], 100_000 + 494_123);
        assert_eq!(board.body["stages"][0]["unpriced"], 0);

        // Every door to the colleague's deal is shut.
        for path in [
            format!("/api/v1/deals/{secret_id}"),
            format!("/api/v1/deals/{secret_id}/timeline"),
            format!("/api/v1/deals/{secret_id}/comments"),
        ] {
            let reply = api.call(Method::GET, &path, Some(&token), None).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        }
        let reply = api.call(Method::GET, "/api/v1/deals?q=gizli", Some(&token), None).await;
        assert_eq!(names(&reply.body), Vec::<String>::new());
        let reply = api.call(Method::POST, &format!("/api/v1/deals/{secret_id}/stage"), Some(&token), Some(json!({
            "stage_id": id_of(&stages, "Nitelikli")
        }))).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        let reply = api.call(Method::PATCH, &format!("/api/v1/deals/{secret_id}"), Some(&token), Some(json!({"name": "x"}))).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        let reply = api.call(Method::GET, "/api/v1/search?q=gizli", Some(&token), None).await;
        assert!(!reply.body.to_string().contains("Gizli"));

        let reply = api.call(Method::GET, "/api/v1/deals/board", Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        let reply = api.call(Method::GET, "/api/v1/deals/board?pipeline_id=999", Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
    }

    async fn a_lead_is_converted_once_and_only_by_whoever_sees_it(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep", Role::SalesRep, Some("Kuzey")).await;
        let colleague = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;
        let theirs = api.token_for(&colleague).await;
        let reply = api.call(Method::POST, "/api/v1/companies", Some(&token), Some(json!({"name": "Güney Gıda Ltd. Şti."}))).await;
        let company = reply.body["id"].as_i64().unwrap();
        let path = format!("/api/v1/companies/{company}/convert");
        let reply = api.call(Method::POST, &path, Some(&theirs), Some(json!({}))).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "another rep's lead");
        let reply = api.call(Method::POST, &path, Some(&token), Some(json!({"amount": {"minor": 990_000}}))).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        let deal = reply.body["id"].as_i64().unwrap();
        assert_eq!(reply.body["company_id"], company);
        assert_eq!(reply.body["name"], "Güney Gıda Ltd. Şti.");
        let reply = api.call(Method::POST, &path, Some(&token), Some(json!({}))).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.body["id"], deal);
        let reply = api.call(Method::GET, &format!("/api/v1/companies/{company}"), Some(&token), None).await;
        assert_eq!(reply.body["lifecycle_stage"], "opportunity");
        let reply = api.call(Method::POST, &path, Some(&token), Some(json!({"converted_from": "person:1"}))).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "no request sets where a deal came from");
    }

    async fn the_central_banks_file_is_uploaded_as_xml(db) {
        let fx = Fixtures::new(db);
        let manager = fx.user("manager", Role::SalesManager, Some("Kuzey")).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&manager).await;
        let file = include_str!("../../app/tests/data/tcmb-today.xml");
        let xml = [("content-type", "application/xml")];
        let reply = api.send(Method::POST, "/api/v1/exchange-rates/tcmb", Some(&token), Body::from(file), &xml).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        assert_eq!(reply.body["items"].as_array().unwrap().len(), 3);
        let reply = api.send(Method::POST, "/api/v1/exchange-rates/tcmb", Some(&token), Body::from("not xml"), &xml).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        let reply = api.call(Method::GET, "/api/v1/exchange-rates", Some(&token), None).await;
        assert_eq!(reply.body["items"][0]["date"], "2026-12-04");
    }
}
