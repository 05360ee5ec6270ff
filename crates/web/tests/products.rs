//! The product catalogue through the API, on SQLite and PostgreSQL: administrators and sales
//! managers add and change products under their version, a SKU is unique ignoring case,
//! everyone reads and searches the catalogue page by page, and sales reps change nothing.
//! Products are shared configuration, not records anyone owns.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::Api;
use rehber_domain::Role;
use rehber_testkit::{Fixtures, both_backends};
use serde_json::{Value, json};

fn skus(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["sku"].as_str().unwrap().to_string())
        .collect()
}

both_backends! {
    async fn a_manager_keeps_the_catalogue_and_a_rep_reads_it(db) {
        let fx = Fixtures::new(db);
        let manager = fx.user("manager", Role::SalesManager, None).await;
        let rep = fx.user("rep", Role::SalesRep, None).await;
        let api = Api::new(&fx.app);
        let manager_token = api.token_for(&manager).await;
        let rep_token = api.token_for(&rep).await;

        let oven = json!({"sku": "FRN-200", "name": "Endüstriyel fırın", "vat_rate": 20, "price": {"minor": 12_500_000}});
        let reply = api.call(Method::POST, "/api/v1/products", Some(&manager_token), Some(oven)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        let id = reply.body["id"].as_i64().unwrap();
        assert_eq!(reply.body["unit"], "C62");
        assert_eq!(reply.body["price"], json!({"minor": 12_500_000, "currency": "TRY"}));
        assert_eq!(reply.body["active"], true);
        assert_eq!(reply.headers["location"], format!("/api/v1/products/{id}"));
        for (sku, name, vat, code) in [("srv-1", "Servis saati", 20, None), ("IHR-9", "İhraç kalemi", 0, Some("301")), ("Çay-1", "Çay ocağı", 10, None)] {
            let mut body = json!({"sku": sku, "name": name, "vat_rate": vat, "unit": "HUR", "price": {"minor": 150_000, "currency": "TRY"}});
            if let Some(code) = code {
                body["vat_exemption_code"] = json!(code);
            }
            let reply = api.call(Method::POST, "/api/v1/products", Some(&manager_token), Some(body)).await;
            assert_eq!(reply.status, StatusCode::CREATED, "{sku}: {:?}", reply.body);
        }

        // A SKU is unique ignoring case.
        let again = json!({"sku": "frn-200", "name": "Başka", "vat_rate": 20, "price": {"minor": 1}});
        let reply = api.call(Method::POST, "/api/v1/products", Some(&manager_token), Some(again)).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{:?}", reply.body);
        assert_eq!(reply.error_fields(), ["sku"]);

        // Everyone reads, by name; a search finds the SKU or the name, Turkish-aware.
        let reply = api.call(Method::GET, "/api/v1/products", Some(&rep_token), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(skus(&reply.body), ["Çay-1", "FRN-200", "IHR-9", "srv-1"]);
        let reply = api.call(Method::GET, "/api/v1/products?q=firin", Some(&rep_token), None).await;
        assert_eq!(skus(&reply.body), ["FRN-200"]);
        let reply = api.call(Method::GET, "/api/v1/products?q=ihr", Some(&rep_token), None).await;
        assert_eq!(skus(&reply.body), ["IHR-9"]);
        let first = api.call(Method::GET, "/api/v1/products?limit=2", Some(&rep_token), None).await;
        assert_eq!(skus(&first.body), ["Çay-1", "FRN-200"]);
        let cursor = first.body["next_cursor"].as_str().unwrap().to_string();
        let second = api.call(Method::GET, &format!("/api/v1/products?limit=2&cursor={cursor}"), Some(&rep_token), None).await;
        assert_eq!(skus(&second.body), ["IHR-9", "srv-1"]);
        assert_eq!(second.body["next_cursor"], Value::Null);

        // A rep changes nothing.
        let body = json!({"sku": "X-1", "name": "X", "vat_rate": 20, "price": {"minor": 1}});
        let reply = api.call(Method::POST, "/api/v1/products", Some(&rep_token), Some(body)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        let uri = format!("/api/v1/products/{id}");
        let reply = api.call(Method::PATCH, &uri, Some(&rep_token), Some(json!({"name": "Ucuz fırın"}))).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);

        // The manager retires it under its version; a stale change is refused.
        let reply = api.call_raw(Method::PATCH, &uri, Some(&manager_token), Some(json!({"active": false, "price": {"minor": 13_000_000}}).to_string()), &[("if-match", "\"1\"")]).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!((reply.body["active"].clone(), reply.body["version"].clone()), (json!(false), json!(2)));
        assert_eq!(reply.body["price"]["minor"], 13_000_000);
        let reply = api.call_raw(Method::PATCH, &uri, Some(&manager_token), Some(json!({"name": "Eski"}).to_string()), &[("if-match", "\"1\"")]).await;
        assert_eq!(reply.status, StatusCode::CONFLICT);
        let reply = api.call(Method::GET, "/api/v1/products?active=true", Some(&rep_token), None).await;
        assert_eq!(skus(&reply.body), ["Çay-1", "IHR-9", "srv-1"], "a retired product is not offered");
        let reply = api.call(Method::GET, &uri, Some(&rep_token), None).await;
        assert_eq!(reply.body["name"], "Endüstriyel fırın", "but still read");
    }

    async fn bad_products_are_named_field_by_field(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let token = api.token_for(&fx.admin().await).await;
        let body = json!({"sku": "FRN 200", "name": "", "unit": "adet", "vat_rate": 0, "price": {"minor": -5, "currency": "TL"}});
        let reply = api.call(Method::POST, "/api/v1/products", Some(&token), Some(body)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", reply.body);
        assert_eq!(reply.error_fields(), ["sku", "name", "unit", "vat_exemption_code", "price", "price"]);
        let body = json!({"sku": "A", "name": "A", "vat_rate": i64::MAX, "price": {"minor": 1}});
        let reply = api.call(Method::POST, "/api/v1/products", Some(&token), Some(body)).await;
        assert_eq!(reply.error_fields(), ["vat_rate"]);
        let reply = api.call(Method::POST, "/api/v1/products", Some(&token), Some(json!({"sku": "A"}))).await;
        assert_eq!(reply.error_fields(), ["name", "vat_rate", "price"]);
        for uri in ["/api/v1/products?limit=0", "/api/v1/products?cursor=p999999", "/api/v1/products?cursor=abc", "/api/v1/products?sort=name"] {
            let reply = api.call(Method::GET, uri, Some(&token), None).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}: {:?}", reply.body);
        }
        let reply = api.call(Method::GET, "/api/v1/products/999999", Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
    }
}
