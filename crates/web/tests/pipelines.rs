//! Sales pipelines through the API, on SQLite and PostgreSQL: the pipeline every
//! installation starts with, administrators creating and reshaping pipelines under their
//! version, stages named by JSON pointer when wrong, and everyone else reading only.
//! Pipelines are shared configuration, not records anyone owns: every signed-in user sees
//! the same ones.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::Api;
use rehber_domain::Role;
use rehber_testkit::{Fixtures, both_backends};
use serde_json::{Value, json};

fn stage_names(pipeline: &Value) -> Vec<String> {
    pipeline["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{}:{}:{}",
                s["name"].as_str().unwrap(),
                s["kind"].as_str().unwrap(),
                s["probability"]
            )
        })
        .collect()
}

both_backends! {
    async fn an_installation_starts_with_a_sales_pipeline_everyone_reads(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep", Role::SalesRep, None).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;
        let reply = api.call(Method::GET, "/api/v1/pipelines", Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let items = reply.body["items"].as_array().unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0]["name"], "Satış");
        assert_eq!(items[0]["currency"], "TRY");
        assert_eq!(
            stage_names(&items[0]),
            [
                "Yeni fırsat:open:10",
                "Nitelikli:open:25",
                "Teklif verildi:open:50",
                "Pazarlık:open:75",
                "Kazanıldı:won:100",
                "Kaybedildi:lost:0",
            ]
        );
        let reply = api.call(Method::POST, "/api/v1/pipelines", Some(&token), Some(json!({
            "name": "Bayi", "stages": [{"name": "A", "kind": "open"}, {"name": "B", "kind": "won"}, {"name": "C", "kind": "lost"}]
        }))).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "only administrators shape pipelines");
        let id = items[0]["id"].as_i64().unwrap();
        let reply = api.call(Method::PATCH, &format!("/api/v1/pipelines/{id}"), Some(&token), Some(json!({"name": "Benim"}))).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        let reply = api.call(Method::DELETE, &format!("/api/v1/pipelines/{id}"), Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
    }

    async fn an_administrator_creates_reshapes_and_deletes_a_pipeline_under_its_version(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let token = api.token_for(&fx.admin().await).await;
        let reply = api.call(Method::POST, "/api/v1/pipelines", Some(&token), Some(json!({
            "name": "Kurumsal satış",
            "currency": "eur",
            "stages": [
                {"name": "Keşif", "kind": "open", "rotting_days": 30},
                {"name": "Demo", "kind": "open"},
                {"name": "Kazanıldı", "kind": "won"},
                {"name": "Kaybedildi", "kind": "lost"}
            ]
        }))).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        let id = reply.body["id"].as_i64().unwrap();
        assert_eq!(reply.headers["location"], format!("/api/v1/pipelines/{id}"));
        assert_eq!(reply.headers["etag"], "\"1\"");
        assert_eq!(reply.body["currency"], "EUR");
        assert_eq!(stage_names(&reply.body), ["Keşif:open:33", "Demo:open:66", "Kazanıldı:won:100", "Kaybedildi:lost:0"]);
        assert_eq!(reply.body["stages"][0]["rotting_days"], 30);
        assert_eq!(reply.body["position"], 2, "after the pipeline every installation has");
        let discovery = reply.body["stages"][0]["id"].clone();
        let won = reply.body["stages"][2]["id"].clone();
        let lost = reply.body["stages"][3]["id"].clone();

        // Reordered, one stage dropped, one added, a probability set; the version moves on.
        let uri = format!("/api/v1/pipelines/{id}");
        let reshaped = json!({"name": "Kurumsal", "stages": [
            {"id": discovery, "name": "Keşif görüşmesi", "kind": "open", "probability": 20},
            {"name": "Teklif", "kind": "open", "probability": 60},
            {"id": won, "name": "Kazanıldı", "kind": "won"},
            {"id": lost, "name": "Kaybedildi", "kind": "lost"}
        ]});
        let reply = api.call_raw(Method::PATCH, &uri, Some(&token), Some(reshaped.to_string()), &[("if-match", "\"1\"")]).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.body["version"], 2);
        assert_eq!(stage_names(&reply.body), ["Keşif görüşmesi:open:20", "Teklif:open:60", "Kazanıldı:won:100", "Kaybedildi:lost:0"]);
        assert_eq!(reply.body["stages"][0]["id"], discovery, "a kept stage keeps its id");
        let reply = api.call_raw(Method::PATCH, &uri, Some(&token), Some(json!({"name": "Eski"}).to_string()), &[("if-match", "\"1\"")]).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "a stale version is refused: {:?}", reply.body);
        let reply = api.call(Method::GET, &uri, Some(&token), None).await;
        assert_eq!(reply.body["name"], "Kurumsal", "and changes nothing");

        let audit = fx.app.store.audit_log(&rehber_app::AuditFilter { actor: None, record_type: Some("pipeline".into()), before_id: None, limit: 10 }).await.unwrap();
        assert_eq!(audit.len(), 2, "created and changed, both audited");

        let reply = api.call(Method::DELETE, &uri, Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::NO_CONTENT);
        let reply = api.call(Method::GET, &uri, Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        let first = api.call(Method::GET, "/api/v1/pipelines", Some(&token), None).await.body["items"][0]["id"].as_i64().unwrap();
        let reply = api.call_raw(Method::DELETE, &format!("/api/v1/pipelines/{first}"), Some(&token), None, &[("accept-language", "tr")]).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", reply.body);
        assert!(reply.body["detail"].as_str().unwrap().starts_with("Son süreç silinemez"), "{:?}", reply.body);
    }

    async fn bad_pipelines_are_named_field_by_field(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let token = api.token_for(&fx.admin().await).await;
        let reply = api.call(Method::POST, "/api/v1/pipelines", Some(&token), Some(json!({
            "name": "",
            "currency": "TL",
            "stages": [
                {"name": "Açık", "kind": "open"},
                {"name": "açık", "kind": "won", "probability": 80},
                {"name": "Bekliyor", "kind": "paused"}
            ]
        }))).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", reply.body);
        assert_eq!(reply.content_type, "application/problem+json");
        assert_eq!(reply.error_fields(), ["name", "currency", "stages/1/name", "stages/1/probability", "stages/2/kind", "stages"]);
        let first = api.call(Method::GET, "/api/v1/pipelines", Some(&token), None).await.body["items"][0].clone();
        let uri = format!("/api/v1/pipelines/{}", first["id"]);
        let reply = api.call(Method::PATCH, &uri, Some(&token), Some(json!({"stages": [
            {"id": 999_999, "name": "Başka", "kind": "open"},
            {"name": "K", "kind": "won"},
            {"name": "L", "kind": "lost"}
        ]}))).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", reply.body);
        assert_eq!(reply.error_fields(), ["stages/0/id"]);
        let reply = api.call(Method::GET, "/api/v1/pipelines/999999", Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        let reply = api.call(Method::POST, "/api/v1/pipelines", Some(&token), Some(json!({"name": "X", "colour": "red"}))).await;
        assert_eq!(reply.error_fields(), ["colour"]);
    }

    async fn administrators_keep_the_lost_reasons_and_everyone_reads_them(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep", Role::SalesRep, None).await;
        let api = Api::new(&fx.app);
        let admin_token = api.token_for(&fx.admin().await).await;
        let rep_token = api.token_for(&rep).await;
        let reply = api.call(Method::GET, "/api/v1/lost-reasons", Some(&rep_token), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let names: Vec<&str> = reply.body["items"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Fiyat yüksek bulundu", "Rakip tercih edildi", "Bütçe yok", "Zamanlama uygun değil", "Yanıt alınamadı", "Diğer"]);

        // Every seeded name is unique the way a typed one is: ignoring Turkish case.
        for taken in ["BÜTÇE YOK", "diğer", "yanit alinamadi"] {
            let reply = api.call(Method::POST, "/api/v1/lost-reasons", Some(&admin_token), Some(json!({"name": taken}))).await;
            assert_eq!(reply.status, StatusCode::CONFLICT, "{taken}: {:?}", reply.body);
            assert_eq!(reply.error_fields(), ["name"]);
        }
        let reply = api.call(Method::POST, "/api/v1/lost-reasons", Some(&admin_token), Some(json!({"name": "Teslim süresi uzun"}))).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        assert_eq!(reply.body["position"], 7);
        let id = reply.body["id"].as_i64().unwrap();
        let reply = api.call(Method::PATCH, &format!("/api/v1/lost-reasons/{id}"), Some(&admin_token), Some(json!({"active": false}))).await;
        assert_eq!((reply.status, reply.body["active"].clone(), reply.body["name"].clone()), (StatusCode::OK, json!(false), json!("Teslim süresi uzun")));

        let reply = api.call(Method::POST, "/api/v1/lost-reasons", Some(&rep_token), Some(json!({"name": "Benim nedenim"}))).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        let reply = api.call(Method::PATCH, &format!("/api/v1/lost-reasons/{id}"), Some(&rep_token), Some(json!({"active": true}))).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        let reply = api.call(Method::POST, "/api/v1/lost-reasons", Some(&admin_token), Some(json!({"name": " "}))).await;
        assert_eq!(reply.error_fields(), ["name"]);
        let reply = api.call(Method::PATCH, "/api/v1/lost-reasons/999999", Some(&admin_token), Some(json!({"active": true}))).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
    }
}
