//! Quotes through the API, on SQLite and PostgreSQL: the running total of a quote as it is
//! typed (`POST /api/v1/quotes/preview-totals`) by the money rule, bad lines named by JSON
//! pointer, and nothing stored.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::Api;
use rehber_domain::Role;
use rehber_testkit::{Fixtures, both_backends};
use serde_json::json;

both_backends! {
    async fn a_quote_is_priced_line_by_line_and_summed_by_kdv_rate(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep", Role::SalesRep, None).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;
        let body = json!({
            "currency": "TRY",
            "lines": [
                {"description": "Fırın bakımı", "quantity": "2.5", "unit_price": {"minor": 12345}, "discount_percent": "10", "vat_rate": 20},
                {"description": "Yedek parça", "quantity": 3, "unit_price": {"minor": 333, "currency": "TRY"}, "vat_rate": 10},
                {"description": "İhracat", "quantity": "1", "unit_price": {"minor": 7000}, "vat_rate": 0, "vat_exemption_code": "301"}
            ]
        });
        let reply = api.call(Method::POST, "/api/v1/quotes/preview-totals", Some(&token), Some(body)).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let first = &reply.body["lines"][0];
        // 2.5 × 123,45 = 308,625 → 308,63; 10 % → 30,86; net 277,77; KDV 20 % → 55,55.
        assert_eq!(first["subtotal"]["minor"], 30_863);
        assert_eq!(first["discount"]["minor"], 3_086);
        assert_eq!(first["net"]["minor"], 27_777);
        assert_eq!(first["vat"]["minor"], 5_555);
        assert_eq!(first["gross"]["minor"], 33_332);
        assert_eq!(first["quantity"], "2.5");
        assert_eq!(reply.body["lines"][1]["vat"]["minor"], 100);
        assert_eq!(reply.body["lines"][2]["vat_exemption_code"], "301");
        let totals = &reply.body["totals"];
        assert_eq!(totals["net"], json!({"minor": 27_777 + 999 + 7_000, "currency": "TRY"}));
        assert_eq!(totals["vat"]["minor"], 5_555 + 100);
        assert_eq!(totals["gross"]["minor"], 27_777 + 999 + 7_000 + 5_555 + 100);
        let rates: Vec<i64> = reply.body["vat_summary"].as_array().unwrap().iter().map(|s| s["vat_rate"].as_i64().unwrap()).collect();
        assert_eq!(rates, [20, 10, 0]);
        assert!(reply.body["in_words"].as_str().unwrap().starts_with("Yalnız "));

        // A full discount is exactly zero.
        let free = json!({"lines": [{"quantity": "7", "unit_price": {"minor": 9_999}, "discount_percent": "100", "vat_rate": 20}]});
        let reply = api.call(Method::POST, "/api/v1/quotes/preview-totals", Some(&token), Some(free)).await;
        assert_eq!(reply.body["totals"]["gross"]["minor"], 0);
        assert_eq!(reply.body["currency"], "TRY");
    }

    async fn bad_quote_lines_are_named_by_pointer_and_never_a_server_error(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let token = api.token_for(&fx.admin().await).await;
        let body = json!({
            "currency": "TL",
            "lines": [
                {"quantity": "0", "unit_price": {"minor": 100}, "vat_rate": 20},
                {"quantity": "1.2345", "unit_price": {"minor": 100}, "discount_percent": "101", "vat_rate": 18},
                {"quantity": "1", "unit_price": {"minor": 100, "currency": "EUR"}, "vat_rate": 0}
            ]
        });
        let reply = api.call(Method::POST, "/api/v1/quotes/preview-totals", Some(&token), Some(body)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", reply.body);
        assert_eq!(reply.content_type, "application/problem+json");
        assert_eq!(
            reply.error_fields(),
            [
                "currency",
                "lines/2/unit_price/currency",
                "lines/0/quantity",
                "lines/1/quantity",
                "lines/1/discount_percent",
                "lines/1/vat_rate",
                "lines/2/vat_exemption_code",
            ]
        );
        let huge = json!({"lines": [{"quantity": "999999", "unit_price": {"minor": i64::MAX}, "vat_rate": 20}]});
        let reply = api.call(Method::POST, "/api/v1/quotes/preview-totals", Some(&token), Some(huge)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", reply.body);
        assert_eq!(reply.error_fields(), ["lines/0/unit_price"]);
        // Found by the fuzzer: a rate near the largest integer was multiplied before it was
        // compared.
        let absurd = json!({"lines": [{"quantity": "1", "unit_price": {"minor": 1}, "vat_rate": i64::MAX - 1}]});
        let reply = api.call(Method::POST, "/api/v1/quotes/preview-totals", Some(&token), Some(absurd)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", reply.body);
        assert_eq!(reply.error_fields(), ["lines/0/vat_rate"]);
        let unknown = json!({"lines": [], "discount": 5});
        let reply = api.call(Method::POST, "/api/v1/quotes/preview-totals", Some(&token), Some(unknown)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", reply.body);
        assert_eq!(reply.error_fields(), ["discount"]);
        let reply = api.call(Method::POST, "/api/v1/quotes/preview-totals", None, Some(json!({"lines": []}))).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
}
