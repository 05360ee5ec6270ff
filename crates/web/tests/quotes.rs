//! Quotes through the API, on SQLite and PostgreSQL: the running total of a quote as it is
//! typed (`POST /api/v1/quotes/preview-totals`) by the money rule, bad lines named by JSON
//! pointer, and nothing stored; stored quotes through their life (revisions, sending with the
//! PDF kept, acceptance) to an order shipped in parts and a return; what a sales rep cannot
//! reach; and the PDF's Turkish text as `pdftotext` reads it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::Api;
use rehber_domain::Role;
use rehber_testkit::{CompanyBuilder, Fixtures, PersonBuilder, both_backends};
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

/// A product the administrator adds; its id.
async fn product(api: &Api, token: &str, sku: &str, minor: i64, vat: i64) -> i64 {
    let body = json!({"sku": sku, "name": format!("Ürün {sku}"), "unit": "C62", "vat_rate": vat, "price": {"minor": minor, "currency": "TRY"}});
    let reply = api
        .call(Method::POST, "/api/v1/products", Some(token), Some(body))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["id"].as_i64().unwrap()
}

fn year() -> i16 {
    jiff::Timestamp::now()
        .to_zoned_datetime(rehber_app::home_zone())
        .year()
}

both_backends! {
    async fn a_quote_goes_from_draft_to_an_order_shipped_in_parts(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await;
        let rep = fx.user("rep", Role::SalesRep, Some("Kuzey")).await;
        let api = Api::new(&fx.app);
        let admin_token = api.token_for(&admin).await;
        let token = api.token_for(&rep).await;
        let oven = product(&api, &admin_token, "FRN-200", 150_000, 20).await;
        let company = CompanyBuilder::new("Güney Gıda A.Ş.").email("satinalma@guneygida.com.tr").create(&fx.app, &rep.actor()).await;

        let body = json!({
            "company_id": company.id.0,
            "lines": [
                {"product_id": oven, "quantity": "2"},
                {"description": "Kurulum", "quantity": "1.5", "unit_price": {"minor": 40_000}, "discount_percent": "10", "vat_rate": 20}
            ]
        });
        let reply = api.call(Method::POST, "/api/v1/quotes", Some(&token), Some(body)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        let quote = reply.body.clone();
        let id = quote["id"].as_i64().unwrap();
        assert_eq!(quote["number"], format!("TKF-{}-000001", year()));
        assert_eq!((quote["revision"].as_i64(), quote["status"].as_str()), (Some(1), Some("draft")));
        assert_eq!(quote["lines"][0]["description"], "Ürün FRN-200", "the product's text");
        assert_eq!(quote["lines"][0]["unit_price"]["minor"], 150_000, "the product's price");
        // 1.5 × 400,00 = 600,00; 10 % → 60,00; net 540,00; KDV 108,00.
        assert_eq!(quote["lines"][1]["net"]["minor"], 54_000);
        assert_eq!(quote["totals"]["net"]["minor"], 300_000 + 54_000);
        assert_eq!(quote["totals"]["vat"]["minor"], 60_000 + 10_800);
        assert_eq!(quote["totals"]["gross"]["minor"], 354_000 + 70_800);
        assert_eq!(quote["owner_id"], rep.id.0);

        // A draft changes (lines replace lines); the preview of the same body agrees.
        let change = json!({"lines": [{"product_id": oven, "quantity": "3"}], "version": quote["version"]});
        let reply = api.call(Method::PATCH, &format!("/api/v1/quotes/{id}"), Some(&token), Some(change)).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.body["totals"]["gross"]["minor"], 540_000);
        assert_eq!(reply.body["number"], quote["number"]);

        let pdf = api.call(Method::GET, &format!("/api/v1/quotes/{id}/pdf"), Some(&token), None).await;
        assert_eq!(pdf.status, StatusCode::OK);
        assert_eq!(pdf.content_type, "application/pdf");
        assert!(pdf.bytes.starts_with(b"%PDF-"));

        // Sent: the PDF is kept on the customer (the e-mail itself: tests/mail.rs).
        let reply = api.call(Method::POST, &format!("/api/v1/quotes/{id}/send"), Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.body["status"], "sent");
        assert_eq!(reply.body["sent_to"], serde_json::Value::Null, "no mail server here: marked sent, nothing queued");
        let kept = reply.body["pdf_attachment_id"].as_i64().expect("the PDF is kept");
        let attachment = api.call(Method::GET, &format!("/api/v1/attachments/{kept}/download"), Some(&token), None).await;
        assert_eq!(attachment.status, StatusCode::OK, "{:?}", attachment.body);
        assert!(attachment.bytes.starts_with(b"%PDF-"), "the PDF sent is the one kept");

        let timeline = api.call(Method::GET, &format!("/api/v1/companies/{}/timeline", company.id.0), Some(&token), None).await;
        assert!(timeline.body.to_string().contains(&format!("Quote {} sent", quote["number"].as_str().unwrap())), "logged on the customer's timeline: {:?}", timeline.body);

        let edit = json!({"notes": "geç kalmış değişiklik"});
        let reply = api.call(Method::PATCH, &format!("/api/v1/quotes/{id}"), Some(&token), Some(edit)).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{:?}", reply.body);
        assert_eq!(reply.content_type, "application/problem+json");

        let reply = api.call(Method::POST, &format!("/api/v1/quotes/{id}/order"), Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "not accepted yet");
        let reply = api.call(Method::POST, &format!("/api/v1/quotes/{id}/accept"), Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.body["status"], "accepted");
        for step in ["cancel", "reject", "send", "accept"] {
            let reply = api.call(Method::POST, &format!("/api/v1/quotes/{id}/{step}"), Some(&token), None).await;
            assert_eq!(reply.status, StatusCode::CONFLICT, "{step} on an accepted quote");
        }

        let reply = api.call(Method::POST, &format!("/api/v1/quotes/{id}/order"), Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        let order = reply.body["id"].as_i64().unwrap();
        assert_eq!(reply.body["number"], format!("SIP-{}-000001", year()));
        assert_eq!(reply.body["status"], "confirmed");
        assert_eq!(reply.body["totals"]["gross"]["minor"], 540_000);
        let again = api.call(Method::POST, &format!("/api/v1/quotes/{id}/order"), Some(&token), None).await;
        assert_eq!((again.status, again.body["id"].as_i64()), (StatusCode::OK, Some(order)));

        // Half of the ovens go; then the rest; more than ordered is refused.
        let half = json!({"carrier": "Aras Kargo", "lines": [{"position": 1, "quantity": "1.5"}]});
        let reply = api.call(Method::POST, &format!("/api/v1/orders/{order}/shipments"), Some(&token), Some(half)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        assert_eq!(reply.body["status"], "partially_shipped");
        assert_eq!(reply.body["lines"][0]["shipped"], "1.5");
        let over = json!({"lines": [{"position": 1, "quantity": "2"}]});
        let reply = api.call(Method::POST, &format!("/api/v1/orders/{order}/shipments"), Some(&token), Some(over)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", reply.body);
        assert_eq!(reply.error_fields(), ["lines/0/quantity"]);
        let reply = api.call(Method::POST, &format!("/api/v1/orders/{order}/shipments"), Some(&token), None).await;
        assert_eq!(reply.body["status"], "shipped", "{:?}", reply.body);
        assert_eq!(reply.body["shipments"].as_array().unwrap().len(), 2);

        let back = json!({"reason": "Kapağı kırık geldi", "lines": [{"position": 1, "quantity": "1"}]});
        let reply = api.call(Method::POST, &format!("/api/v1/orders/{order}/returns"), Some(&token), Some(back)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        let returned = reply.body["returns"][0]["id"].as_i64().unwrap();
        assert_eq!(reply.body["returns"][0]["status"], "requested");
        let step = json!({"status": "credited"});
        let reply = api.call(Method::PATCH, &format!("/api/v1/orders/{order}/returns/{returned}"), Some(&token), Some(step)).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "a return is approved and received first");
        let step = json!({"status": "approved"});
        let reply = api.call(Method::PATCH, &format!("/api/v1/orders/{order}/returns/{returned}"), Some(&token), Some(step)).await;
        assert_eq!(reply.body["returns"][0]["status"], "approved", "{:?}", reply.body);

        let delivered = json!({"status": "delivered", "delivery_address": "Organize Sanayi, Konya"});
        let reply = api.call(Method::PATCH, &format!("/api/v1/orders/{order}"), Some(&token), Some(delivered)).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.body["status"], "delivered");
        let cancel = json!({"status": "cancelled"});
        let reply = api.call(Method::PATCH, &format!("/api/v1/orders/{order}"), Some(&token), Some(cancel)).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "a delivered order is not cancelled");
    }

    async fn a_revision_keeps_the_number_and_supersedes_the_quote_when_it_is_sent(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep", Role::SalesRep, None).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;
        let body = json!({"lines": [{"description": "Danışmanlık", "quantity": "1", "unit_price": {"minor": 104_208}, "vat_rate": 20}]});
        let first = api.call(Method::POST, "/api/v1/quotes", Some(&token), Some(body.clone())).await.body;
        let id = first["id"].as_i64().unwrap();
        assert_eq!(first["in_words"], "Yalnız bin iki yüz elli Türk lirası elli kuruş");
        let reply = api.call(Method::POST, &format!("/api/v1/quotes/{id}/revise"), Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "a draft is changed, not revised");
        let sent = api.call(Method::POST, &format!("/api/v1/quotes/{id}/send"), Some(&token), None).await;
        assert_eq!((sent.body["status"].as_str(), sent.body["sent_to"].as_str()), (Some("sent"), None), "no address: no e-mail");

        let reply = api.call(Method::POST, &format!("/api/v1/quotes/{id}/revise"), Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        let revision = reply.body["id"].as_i64().unwrap();
        assert_eq!(reply.body["number"], first["number"]);
        assert_eq!(reply.body["revision"], 2);
        assert_eq!(reply.body["display_number"], format!("{} / R2", first["number"].as_str().unwrap()));
        assert_eq!(reply.body["status"], "draft");
        let old = api.call(Method::GET, &format!("/api/v1/quotes/{id}"), Some(&token), None).await;
        assert_eq!(old.body["status"], "sent", "superseded only once the revision is sent");

        api.call(Method::POST, &format!("/api/v1/quotes/{revision}/send"), Some(&token), None).await;
        let old = api.call(Method::GET, &format!("/api/v1/quotes/{id}"), Some(&token), None).await;
        assert_eq!(old.body["status"], "superseded");
        let reply = api.call(Method::POST, &format!("/api/v1/quotes/{id}/revise"), Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "the latest revision is the one to revise");

        // A new quote takes the next number: a revision took none.
        let next = api.call(Method::POST, "/api/v1/quotes", Some(&token), Some(body)).await.body;
        assert_eq!(next["number"], format!("TKF-{}-000002", year()));
        let reply = api.call(Method::POST, &format!("/api/v1/quotes/{}/cancel", next["id"]), Some(&token), Some(json!({"reason": "Müşteri vazgeçti"}))).await;
        assert_eq!((reply.body["status"].as_str(), reply.body["reject_reason"].as_str()), (Some("cancelled"), Some("Müşteri vazgeçti")));
    }

    async fn a_sales_rep_reaches_quotes_and_orders_of_their_own_customers_only(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let manager = fx.user("manager", Role::SalesManager, Some("Kuzey")).await;
        let api = Api::new(&fx.app);
        let (a, b, m) = (api.token_for(&rep_a).await, api.token_for(&rep_b).await, api.token_for(&manager).await);
        let company = CompanyBuilder::new("Ege Tekstil").create(&fx.app, &rep_a.actor()).await;
        let body = json!({"company_id": company.id.0, "lines": [{"description": "Kumaş", "quantity": "10", "unit_price": {"minor": 5_000}, "vat_rate": 10}]});
        let quote = api.call(Method::POST, "/api/v1/quotes", Some(&a), Some(body.clone())).await.body;
        let id = quote["id"].as_i64().unwrap();

        let refused = api.call(Method::POST, "/api/v1/quotes", Some(&b), Some(body)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused.error_fields(), ["company_id"], "another rep's customer is not theirs to quote");
        for (method, path) in [
            (Method::GET, format!("/api/v1/quotes/{id}")),
            (Method::GET, format!("/api/v1/quotes/{id}/pdf")),
            (Method::POST, format!("/api/v1/quotes/{id}/send")),
            (Method::POST, format!("/api/v1/quotes/{id}/revise")),
            (Method::POST, format!("/api/v1/quotes/{id}/order")),
        ] {
            let reply = api.call(method, &path, Some(&b), None).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        }
        let list = api.call(Method::GET, "/api/v1/quotes", Some(&b), None).await;
        assert_eq!(list.body["items"].as_array().unwrap().len(), 0);
        let list = api.call(Method::GET, "/api/v1/quotes", Some(&m), None).await;
        assert_eq!(list.body["items"][0]["id"], id, "the team's manager sees it");

        api.call(Method::POST, &format!("/api/v1/quotes/{id}/send"), Some(&a), None).await;
        api.call(Method::POST, &format!("/api/v1/quotes/{id}/accept"), Some(&a), None).await;
        let order = api.call(Method::POST, &format!("/api/v1/quotes/{id}/order"), Some(&a), None).await.body["id"].as_i64().unwrap();
        for (method, path) in [
            (Method::GET, format!("/api/v1/orders/{order}")),
            (Method::POST, format!("/api/v1/orders/{order}/shipments")),
        ] {
            let reply = api.call(method, &path, Some(&b), None).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        }
        let orders = api.call(Method::GET, "/api/v1/orders", Some(&b), None).await;
        assert_eq!(orders.body["items"].as_array().unwrap().len(), 0);
        let orders = api.call(Method::GET, "/api/v1/orders", Some(&m), None).await;
        assert_eq!(orders.body["items"][0]["id"], order);
    }

    async fn the_quote_pdf_carries_turkish_text_that_copies_out_exactly(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep", Role::SalesRep, None).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;
        let person = PersonBuilder::new("Işıl Çağlayan", "Şükrü Öğüt").city("İğdır").create(&fx.app, &rep.actor()).await;
        let body = json!({"person_id": person.id.0, "lines": [{"description": "Çay ocağı bakımı", "quantity": "1", "unit_price": {"minor": 104_208}, "vat_rate": 20}]});
        let id = api.call(Method::POST, "/api/v1/quotes", Some(&token), Some(body)).await.body["id"].as_i64().unwrap();
        let pdf = api.call_raw(Method::GET, &format!("/api/v1/quotes/{id}/pdf"), Some(&token), None, &[("accept-language", "tr")]).await;
        assert_eq!(pdf.status, StatusCode::OK);
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), &pdf.bytes).unwrap();
        let output = std::process::Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(file.path())
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils; .ci/run installs it)");
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(text.contains("Işıl Çağlayan Şükrü Öğüt, İğdır"), "{text}");
        assert!(text.contains("Yalnız bin iki yüz elli Türk lirası elli kuruş"), "{text}");
        assert!(text.contains("Sayfa 1 / 1"), "{text}");
    }
}
