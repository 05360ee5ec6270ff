//! The product catalogue through the API, on SQLite and PostgreSQL: administrators and sales
//! managers add and change products under their version, a SKU is unique ignoring case,
//! everyone reads and searches the catalogue page by page, and sales reps change nothing.
//! Products are shared configuration, not records anyone owns. Price lists: a quote line
//! takes the customer's list (with its quantity breaks), then the default list of the quote's
//! currency (net of KDV when the list includes it), then the product's price, converted at
//! the latest rate; without a rate it is refused.

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

/// A quote's first line priced for `customer` (`company_id`) in `currency`: the reply.
async fn price_of(
    api: &Api,
    token: &str,
    customer: Option<i64>,
    currency: &str,
    product: i64,
    quantity: &str,
) -> common::Reply {
    let body = json!({"company_id": customer, "currency": currency, "lines": [{"product_id": product, "quantity": quantity}]});
    api.call(Method::POST, "/api/v1/quotes", Some(token), Some(body))
        .await
}

both_backends! {
    async fn a_quote_line_takes_the_customer_list_then_the_default_list_then_the_product_price(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await;
        let rep = fx.user("rep", Role::SalesRep, Some("Kuzey")).await;
        let other = fx.user("other", Role::SalesRep, Some("Güney")).await;
        let api = Api::new(&fx.app);
        let (admin_token, token, other_token) = (api.token_for(&admin).await, api.token_for(&rep).await, api.token_for(&other).await);
        let product = api.call(Method::POST, "/api/v1/products", Some(&admin_token), Some(json!({
            "sku": "VLF-10", "name": "Vana", "vat_rate": 20, "price": {"minor": 10_000}
        }))).await.body["id"].as_i64().unwrap();
        let dealer = rehber_testkit::CompanyBuilder::new("Bayi Makina").create(&fx.app, &rep.actor()).await.id.0;
        let walk_in = rehber_testkit::CompanyBuilder::new("Perakende Müşteri").create(&fx.app, &rep.actor()).await.id.0;

        let list = json!({
            "name": "Bayi fiyatları", "currency": "TRY",
            "items": [
                {"product_id": product, "unit_price": {"minor": 9_000}},
                {"product_id": product, "min_quantity": "10", "unit_price": {"minor": 8_000}}
            ],
            "company_ids": [dealer]
        });
        let reply = api.call(Method::POST, "/api/v1/price-lists", Some(&token), Some(list.clone())).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "reps do not set prices");
        let reply = api.call(Method::POST, "/api/v1/price-lists", Some(&admin_token), Some(list)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        assert_eq!(reply.body["items"][1]["min_quantity"], "10");
        let shelf = json!({
            "name": "Euro raf fiyatı", "currency": "EUR", "vat_included": true, "is_default": true,
            "items": [{"product_id": product, "unit_price": {"minor": 1_200}}]
        });
        let reply = api.call(Method::POST, "/api/v1/price-lists", Some(&admin_token), Some(shelf)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);

        let unit = |reply: &common::Reply| reply.body["lines"][0]["unit_price"]["minor"].as_i64();
        assert_eq!(unit(&price_of(&api, &token, Some(dealer), "TRY", product, "5").await), Some(9_000), "the dealer's list");
        assert_eq!(unit(&price_of(&api, &token, Some(dealer), "TRY", product, "12").await), Some(8_000), "its quantity break");
        assert_eq!(unit(&price_of(&api, &token, Some(walk_in), "TRY", product, "12").await), Some(10_000), "no list: the product's price");
        // The EUR default list is KDV-included: 12,00 € with 20 % is 10,00 € net.
        assert_eq!(unit(&price_of(&api, &token, Some(walk_in), "EUR", product, "1").await), Some(1_000));
        // In dollars there is no list and no rate for the product's lira price.
        let refused = price_of(&api, &token, Some(walk_in), "USD", product, "1").await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", refused.body);
        assert_eq!(refused.error_fields(), ["lines/0/unit_price"]);
        api.call(Method::POST, "/api/v1/exchange-rates", Some(&admin_token), Some(json!({"currency": "USD", "date": "2026-01-02", "rate": "40"}))).await;
        assert_eq!(unit(&price_of(&api, &token, Some(walk_in), "USD", product, "1").await), Some(250), "100,00 ₺ at 40 ₺ a dollar");

        // A colleague's preview with the dealer's id does not reveal the dealer's prices.
        let preview = json!({"company_id": dealer, "lines": [{"product_id": product, "quantity": "5"}]});
        let reply = api.call(Method::POST, "/api/v1/quotes/preview-totals", Some(&other_token), Some(preview)).await;
        assert_eq!(reply.body["lines"][0]["unit_price"]["minor"], 10_000, "{:?}", reply.body);
        let lists = api.call(Method::GET, "/api/v1/price-lists", Some(&other_token), None).await;
        assert_eq!(lists.body["items"].as_array().unwrap().len(), 2, "everyone reads the lists");
    }
}
