//! The customer ledger through the API, on SQLite and PostgreSQL: invoices posted with
//! numbers, payments allocated oldest-first or by hand with the rest on account, the
//! statement's running balance, aging at any date adding up to the balance, cancelling by a
//! reversing entry, the lock date, the append-only entries in the database itself, and what
//! a sales rep and a support agent cannot reach.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::Api;
use common::ledger::{days, pay, posted_invoice, today};
use jiff::civil::Date;
use rehber_domain::Role;
use rehber_testkit::{CompanyBuilder, Fixtures, PersonBuilder, both_backends};
use serde_json::{Value, json};

fn aging_row(report: &Value, company: i64) -> Option<&Value> {
    report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["company_id"] == company)
}

fn minor(value: &Value) -> i64 {
    value["minor"].as_i64().unwrap()
}

both_backends! {
    async fn an_invoice_is_collected_in_parts_and_the_statement_and_aging_follow(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep", Role::SalesRep, Some("Kuzey")).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;
        let company = CompanyBuilder::new("Ege Makine A.Ş.").create(&fx.app, &rep.actor()).await.id.0;

        let first = posted_invoice(&api, &token, company, -60, 100_000).await;
        assert_eq!(first["totals"]["gross"]["minor"], 120_000);
        assert_eq!(first["due_date"], days(-30).to_string(), "30 days of terms by default");
        assert_eq!(first["number"], format!("FTR-{}-000001", days(-60).year()));
        assert_eq!(first["open"]["minor"], 120_000);
        let second = posted_invoice(&api, &token, company, -10, 25_000).await;
        assert_eq!(second["totals"]["gross"]["minor"], 30_000);
        let (first_id, second_id) = (first["id"].as_i64().unwrap(), second["id"].as_i64().unwrap());

        // Without allocations a payment goes to the oldest due invoice first.
        let (status, payment) = pay(&api, &token, json!({"company_id": company, "amount": {"minor": 100_000, "currency": "TRY"}, "method": "cash", "received_at": days(-5).to_string()})).await;
        assert_eq!(status, StatusCode::CREATED, "{payment:?}");
        assert!(payment["number"].as_str().unwrap().starts_with("THS-"));
        assert_eq!(payment["allocations"], json!([{"invoice_id": first_id, "invoice_number": first["number"], "amount": {"minor": 100_000, "currency": "TRY"}}]));
        assert_eq!(payment["unallocated"]["minor"], 0);
        assert_eq!(payment["collected_by"], rep.id.0);

        // By hand: never more than is open of an invoice; the rest stays on account.
        let (status, refused) = pay(&api, &token, json!({"company_id": company, "amount": {"minor": 40_000}, "method": "cheque", "reference": "ÇEK-0042", "due_date": days(30).to_string(), "allocations": [{"invoice_id": second_id, "amount": {"minor": 40_000}}]})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused:?}");
        assert_eq!(refused["errors"][0]["field"], "allocations/0/amount");
        let (status, payment) = pay(&api, &token, json!({"company_id": company, "amount": {"minor": 40_000}, "method": "cheque", "reference": "ÇEK-0042", "due_date": days(30).to_string(), "allocations": [{"invoice_id": second_id, "amount": {"minor": 10_000}}]})).await;
        assert_eq!(status, StatusCode::CREATED, "{payment:?}");
        assert_eq!(payment["unallocated"]["minor"], 30_000);
        assert_eq!(payment["received_at"], today().to_string());
        let reply = api.call(Method::GET, &format!("/api/v1/invoices/{first_id}"), Some(&token), None).await;
        assert_eq!(reply.body["open"]["minor"], 20_000);
        let reply = api.call(Method::GET, &format!("/api/v1/invoices?company_id={company}&open=true"), Some(&token), None).await;
        assert_eq!(reply.body["items"].as_array().unwrap().len(), 2);

        // The statement: every entry with its running balance, positive while the customer owes.
        let url = format!("/api/v1/companies/{company}/ledger?from={}&to={}&currency=TRY", days(-90), today());
        let reply = api.call(Method::GET, &url, Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let statement = &reply.body;
        assert_eq!(minor(&statement["opening_balance"]), 0);
        let balances: Vec<i64> = statement["entries"].as_array().unwrap().iter().map(|e| minor(&e["balance"])).collect();
        assert_eq!(balances, [120_000, 150_000, 50_000, 10_000]);
        let entry = &statement["entries"][0];
        assert_eq!(entry["document"], first["number"]);
        assert_eq!(entry["date"], days(-60).to_string());
        assert_eq!(entry["due_date"], days(-30).to_string());
        assert_eq!(minor(&entry["debit"]), 120_000);
        assert_eq!(minor(&statement["entries"][3]["credit"]), 40_000);
        assert_eq!(minor(&statement["closing_balance"]), 10_000);
        assert_eq!(statement["closing_side"], "B");
        // A later start brings the earlier entries forward (Devir).
        let url = format!("/api/v1/companies/{company}/ledger?from={}&to={}", days(-7), today());
        let reply = api.call(Method::GET, &url, Some(&token), None).await;
        assert_eq!(minor(&reply.body["opening_balance"]), 150_000);
        assert_eq!(reply.body["entries"].as_array().unwrap().len(), 2);
        assert_eq!(minor(&reply.body["closing_balance"]), 10_000);

        // Aging: the columns add up to the balance at any date; a payment received after
        // the date does not count yet.
        let aging_at = |day: Date| {
            let api = &api;
            let token = token.clone();
            async move {
                let reply = api.call(Method::GET, &format!("/api/v1/reports/aging?as_of={day}"), Some(&token), None).await;
                assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
                reply.body
            }
        };
        let now = aging_at(today()).await;
        let row = aging_row(&now, company).expect("the customer is in the report");
        assert_eq!(row["name"], "Ege Makine A.Ş.");
        assert_eq!(minor(&row["days_0_30"]), 20_000, "the first invoice is 30 days late");
        assert_eq!(minor(&row["not_due"]), 20_000);
        assert_eq!(minor(&row["unallocated"]), -30_000);
        assert_eq!(minor(&row["balance"]), 10_000);
        let before_payment = aging_at(days(-6)).await;
        let row = aging_row(&before_payment, company).unwrap();
        assert_eq!((minor(&row["days_0_30"]), minor(&row["not_due"]), minor(&row["unallocated"])), (120_000, 30_000, 0));
        assert_eq!(minor(&row["balance"]), 150_000);
        let early = aging_at(days(-40)).await;
        let row = aging_row(&early, company).unwrap();
        assert_eq!((minor(&row["not_due"]), minor(&row["balance"])), (120_000, 120_000));
        let late = aging_at(days(70)).await;
        let row = aging_row(&late, company).unwrap();
        assert_eq!((minor(&row["days_over_90"]), minor(&row["days_31_60"])), (20_000, 20_000));
        for report in [&now, &before_payment, &early, &late] {
            for row in report["rows"].as_array().unwrap() {
                let sum: i64 = ["not_due", "days_0_30", "days_31_60", "days_61_90", "days_over_90", "unallocated"].iter().map(|c| minor(&row[*c])).sum();
                assert_eq!(sum, minor(&row["balance"]), "{row:?}");
            }
        }

        // An invoice with payments cannot be cancelled; one without is reversed.
        let reply = api.call(Method::POST, &format!("/api/v1/invoices/{first_id}/cancel"), Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", reply.body);
        assert_eq!(reply.error_fields(), ["status"]);
        let third = posted_invoice(&api, &token, company, -1, 5_000).await;
        let third_id = third["id"].as_i64().unwrap();
        let reply = api.call(Method::POST, &format!("/api/v1/invoices/{third_id}/cancel"), Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!((reply.body["status"].as_str(), reply.body["cancelled_on"].as_str()), (Some("cancelled"), Some(today().to_string().as_str())));
        let reply = api.call(Method::POST, &format!("/api/v1/invoices/{third_id}/cancel"), Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::CONFLICT);
        let url = format!("/api/v1/companies/{company}/ledger?from={}", days(-2));
        let reply = api.call(Method::GET, &url, Some(&token), None).await;
        let kinds: Vec<&str> = reply.body["entries"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["invoice", "payment", "reversal"]);
        assert_eq!(minor(&reply.body["closing_balance"]), 10_000, "the reversal undoes the invoice");
        // A credit note lowers the balance and counts as credit on the account.
        let body = json!({"kind": "credit_note", "company_id": company, "lines": [{"description": "İade", "quantity": "1", "unit_price": {"minor": 2_500}, "vat_rate": 20}]});
        let reply = api.call(Method::POST, "/api/v1/invoices", Some(&token), Some(body)).await;
        let note = reply.body["id"].as_i64().unwrap();
        let reply = api.call(Method::POST, &format!("/api/v1/invoices/{note}/post"), Some(&token), None).await;
        assert!(reply.body["number"].as_str().unwrap().starts_with("IAD-"), "{:?}", reply.body);
        let row = aging_row(&aging_at(today()).await, company).unwrap().clone();
        assert_eq!((minor(&row["balance"]), minor(&row["unallocated"])), (7_000, -33_000));

        // The statement as a file, in the caller's language.
        let csv = api.call_raw(Method::GET, &format!("/api/v1/companies/{company}/ledger/statement.csv?from={}", days(-90)), Some(&token), None, &[("accept-language", "tr")]).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.content_type.starts_with("text/csv"), "{}", csv.content_type);
        let text = String::from_utf8(csv.bytes).unwrap();
        assert!(text.starts_with("Tarih,Belge no,Açıklama,Vade,Borç,Alacak,Bakiye"), "{text}");
        assert!(text.contains("Devir") && text.contains("1200.00") && text.contains(",70.00,B"), "{text}");

        // The same statement printed (the quotes' renderer) and as a workbook.
        let pdf = api.call_raw(Method::GET, &format!("/api/v1/companies/{company}/ledger/statement.pdf?from={}", days(-90)), Some(&token), None, &[("accept-language", "tr")]).await;
        assert_eq!((pdf.status, pdf.content_type.as_str()), (StatusCode::OK, "application/pdf"));
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), &pdf.bytes).unwrap();
        let output = std::process::Command::new("pdftotext")
            .args(["-enc", "UTF-8", "-layout"])
            .arg(file.path())
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils; .ci/run installs it)");
        let text = String::from_utf8(output.stdout).unwrap();
        for expected in ["HESAP EKSTRESİ", "Ege Makine A.Ş.", "Devir", "Toplam borç", "70,00 TRY (B)", "Sayfa 1 / 1"] {
            assert!(text.contains(expected), "{expected}: {text}");
        }
        let xlsx = api.call(Method::GET, &format!("/api/v1/companies/{company}/ledger/statement.xlsx"), Some(&token), None).await;
        assert_eq!(xlsx.status, StatusCode::OK);
        assert!(xlsx.content_type.contains("spreadsheetml"), "{}", xlsx.content_type);
        assert!(xlsx.bytes.starts_with(b"PK"), "an XLSX file is a ZIP archive");
        assert!(xlsx.header("content-disposition").unwrap().contains(".xlsx"));

        // Ledger entries are append-only in the database itself.
        for sql in ["UPDATE ledger_entries SET debit_minor = 0", "DELETE FROM ledger_entries"] {
            let refused = db.try_execute(sql).await.expect_err(sql);
            assert!(refused.contains("append-only"), "{sql}: {refused}");
        }
        let reply = api.call(Method::GET, &format!("/api/v1/companies/{company}/ledger?from={}", days(-90)), Some(&token), None).await;
        assert_eq!(minor(&reply.body["closing_balance"]), 7_000);
    }

    async fn the_lock_date_closes_periods(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await;
        let rep = fx.user("rep", Role::SalesRep, None).await;
        let api = Api::new(&fx.app);
        let admin_token = api.token_for(&admin).await;
        let token = api.token_for(&rep).await;
        let company = CompanyBuilder::new("Kapalı Dönem Ltd.").create(&fx.app, &rep.actor()).await.id.0;
        let draft = json!({"company_id": company, "issue_date": days(-3).to_string(), "lines": [{"description": "Hizmet", "quantity": "1", "unit_price": {"minor": 1_000}, "vat_rate": 20}]});
        let reply = api.call(Method::POST, "/api/v1/invoices", Some(&token), Some(draft)).await;
        let id = reply.body["id"].as_i64().unwrap();

        let lock = json!({"lock_date": days(-2).to_string()});
        let reply = api.call(Method::PUT, "/api/v1/settings/ledger", Some(&token), Some(lock.clone())).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        let reply = api.call(Method::PUT, "/api/v1/settings/ledger", Some(&admin_token), Some(lock.clone())).await;
        assert_eq!((reply.status, &reply.body), (StatusCode::OK, &lock));
        let reply = api.call(Method::GET, "/api/v1/settings/ledger", Some(&token), None).await;
        assert_eq!(reply.body, lock);

        let reply = api.call(Method::POST, &format!("/api/v1/invoices/{id}/post"), Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", reply.body);
        assert_eq!(reply.error_fields(), ["issue_date"]);
        assert_eq!(reply.content_type, "application/problem+json");
        let (status, body) = pay(&api, &token, json!({"company_id": company, "amount": {"minor": 500}, "method": "transfer", "received_at": days(-2).to_string()})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body:?}");
        assert_eq!(body["errors"][0]["field"], "received_at");
        // The draft moves into the open period and posts.
        let reply = api.call(Method::PATCH, &format!("/api/v1/invoices/{id}"), Some(&token), Some(json!({"issue_date": days(-1).to_string()}))).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.body["totals"]["gross"]["minor"], 1_200, "the lines are kept");
        let reply = api.call(Method::POST, &format!("/api/v1/invoices/{id}/post"), Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let reply = api.call(Method::PATCH, &format!("/api/v1/invoices/{id}"), Some(&token), Some(json!({"notes": "geç"}))).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "a posted invoice does not change");
        let reply = api.call(Method::PUT, "/api/v1/settings/ledger", Some(&admin_token), Some(json!({"lock_date": null}))).await;
        assert_eq!(reply.body["lock_date"], Value::Null);
    }

    async fn a_rep_sees_and_collects_only_for_their_own_customers(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Güney")).await;
        let manager = fx.user("manager", Role::SalesManager, Some("Kuzey")).await;
        let support = fx.user("support", Role::SupportAgent, None).await;
        let api = Api::new(&fx.app);
        let (a, b) = (api.token_for(&rep_a).await, api.token_for(&rep_b).await);
        let (m, s) = (api.token_for(&manager).await, api.token_for(&support).await);
        let company = CompanyBuilder::new("Kuzey Tekstil").create(&fx.app, &rep_a.actor()).await.id.0;
        let person = PersonBuilder::new("Ayşe", "Kılıç").create(&fx.app, &rep_a.actor()).await.id.0;
        let own = CompanyBuilder::new("Güney Lojistik").create(&fx.app, &rep_b.actor()).await.id.0;
        let invoice = posted_invoice(&api, &a, company, -5, 10_000).await;
        let invoice_id = invoice["id"].as_i64().unwrap();
        let (_, payment) = pay(&api, &a, json!({"company_id": company, "amount": {"minor": 2_000}, "method": "cash"})).await;
        let payment_id = payment["id"].as_i64().unwrap();
        let body = json!({"person_id": person, "lines": [{"description": "Danışmanlık", "quantity": "1", "unit_price": {"minor": 3_000}, "vat_rate": 20}]});
        let reply = api.call(Method::POST, "/api/v1/invoices", Some(&a), Some(body)).await;
        assert_eq!(reply.body["person_id"], person);
        let person_invoice = reply.body["id"].as_i64().unwrap();
        api.call(Method::POST, &format!("/api/v1/invoices/{person_invoice}/post"), Some(&a), None).await;

        // Another rep reaches none of it, through any door.
        for url in [
            format!("/api/v1/invoices/{invoice_id}"),
            format!("/api/v1/invoices/{person_invoice}"),
            format!("/api/v1/payments/{payment_id}"),
            format!("/api/v1/companies/{company}/ledger"),
            format!("/api/v1/companies/{company}/ledger?limit=1&cursor={}.1", today()),
            format!("/api/v1/companies/{company}/ledger/statement.csv"),
            format!("/api/v1/companies/{company}/ledger/statement.pdf"),
            format!("/api/v1/companies/{company}/ledger/statement.xlsx"),
            format!("/api/v1/people/{person}/ledger"),
            format!("/api/v1/people/{person}/ledger/statement.pdf"),
            format!("/api/v1/people/{person}/ledger/statement.csv"),
            format!("/api/v1/reports/aging?company_id={company}"),
        ] {
            let reply = api.call(Method::GET, &url, Some(&b), None).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{url}: {:?}", reply.body);
        }
        for step in ["post", "cancel"] {
            let reply = api.call(Method::POST, &format!("/api/v1/invoices/{invoice_id}/{step}"), Some(&b), None).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{step}");
        }
        let listed = api.call(Method::GET, "/api/v1/invoices", Some(&b), None).await;
        assert_eq!(listed.body["items"], json!([]));
        let aging = api.call(Method::GET, "/api/v1/reports/aging", Some(&b), None).await;
        assert_eq!(aging.body["rows"], json!([]), "no one else's balances");
        let (status, body) = pay(&api, &b, json!({"company_id": company, "amount": {"minor": 100}, "method": "cash"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["field"], "company_id");
        let (status, body) = pay(&api, &b, json!({"company_id": own, "amount": {"minor": 100}, "method": "cash", "allocations": [{"invoice_id": invoice_id, "amount": {"minor": 100}}]})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "another customer's invoice");
        assert_eq!(body["errors"][0]["field"], "allocations/0/invoice_id");
        let body = json!({"company_id": company, "lines": [{"description": "X", "quantity": "1", "unit_price": {"minor": 1}, "vat_rate": 20}]});
        let reply = api.call(Method::POST, "/api/v1/invoices", Some(&b), Some(body)).await;
        assert_eq!(reply.error_fields(), ["company_id"]);

        // The manager of the team sees it; the support agent sees balances only.
        let reply = api.call(Method::GET, &format!("/api/v1/companies/{company}/ledger"), Some(&m), None).await;
        assert_eq!(reply.status, StatusCode::OK);
        let aging = api.call(Method::GET, "/api/v1/reports/aging", Some(&s), None).await;
        assert_eq!(aging.status, StatusCode::OK);
        assert_eq!(minor(&aging_row(&aging.body, company).unwrap()["balance"]), 10_000);
        let people: Vec<&Value> = aging.body["rows"].as_array().unwrap().iter().filter(|r| r["person_id"] == person).collect();
        assert_eq!(minor(&people[0]["balance"]), 3_600);
        for url in [format!("/api/v1/companies/{company}/ledger"), format!("/api/v1/invoices/{invoice_id}"), format!("/api/v1/payments/{payment_id}")] {
            let reply = api.call(Method::GET, &url, Some(&s), None).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{url}");
        }
        let (status, _) = pay(&api, &s, json!({"company_id": company, "amount": {"minor": 100}, "method": "cash"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }

    async fn bad_ledger_input_is_named_and_never_a_server_error(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep", Role::SalesRep, None).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;
        let company = CompanyBuilder::new("Hatalı Girdi A.Ş.").create(&fx.app, &rep.actor()).await.id.0;

        let body = json!({"kind": "proforma", "issue_date": "1 Mart", "due_date": "2020-13-01", "ettn": "abc", "lines": []});
        let reply = api.call(Method::POST, "/api/v1/invoices", Some(&token), Some(body)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", reply.body);
        let mut fields = reply.error_fields();
        fields.sort();
        assert_eq!(fields, ["company_id", "due_date", "ettn", "issue_date", "kind", "lines"]);
        let body = json!({"company_id": company, "issue_date": "2026-03-10", "due_date": "2026-03-01", "lines": [{"description": "X", "quantity": "1", "unit_price": {"minor": 1}, "vat_rate": 20}]});
        let reply = api.call(Method::POST, "/api/v1/invoices", Some(&token), Some(body)).await;
        assert_eq!(reply.error_fields(), ["due_date"]);
        let huge = json!({"company_id": company, "lines": [{"description": "X", "quantity": "999999", "unit_price": {"minor": i64::MAX}, "vat_rate": 20}]});
        let reply = api.call(Method::POST, "/api/v1/invoices", Some(&token), Some(huge)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "overflow is a refusal");

        let (status, body) = pay(&api, &token, json!({"company_id": company, "amount": {"minor": 0, "currency": "XX"}, "method": "bitcoin", "received_at": days(3).to_string()})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body:?}");
        let mut fields: Vec<String> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect();
        fields.sort();
        assert_eq!(fields, ["amount", "currency", "method", "received_at"]);
        let (status, body) = pay(&api, &token, json!({"company_id": company, "amount": {"minor": 100}, "method": "cash", "allocations": [{"invoice_id": 999_999, "amount": {"minor": 100}}]})).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("allocations/0/invoice_id")));
        let (status, _) = pay(&api, &token, json!({"company_id": company, "amount": {"minor": 100}, "method": "cash", "bonus": 1})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "unknown fields are named");

        for (url, expected) in [
            ("/api/v1/reports/aging?as_of=dün".to_string(), StatusCode::BAD_REQUEST),
            ("/api/v1/reports/aging?colour=red".to_string(), StatusCode::BAD_REQUEST),
            (format!("/api/v1/companies/{company}/ledger?from=2026-02-01&to=2026-01-01"), StatusCode::UNPROCESSABLE_ENTITY),
            (format!("/api/v1/companies/{company}/ledger?currency=LIRA"), StatusCode::UNPROCESSABLE_ENTITY),
            (format!("/api/v1/companies/{company}/ledger/statement.exe"), StatusCode::NOT_FOUND),
            (format!("/api/v1/companies/{company}/ledger?cursor=dün"), StatusCode::UNPROCESSABLE_ENTITY),
            (format!("/api/v1/companies/{company}/ledger?from=2026-01-01&to=2026-01-31&cursor=2025-12-31.1"), StatusCode::UNPROCESSABLE_ENTITY),
            (format!("/api/v1/companies/{company}/ledger?limit=0"), StatusCode::BAD_REQUEST),
            (format!("/api/v1/companies/{company}/ledger?limit=100001"), StatusCode::BAD_REQUEST),
            ("/api/v1/companies/abc/ledger".to_string(), StatusCode::NOT_FOUND),
            ("/api/v1/invoices/0".to_string(), StatusCode::NOT_FOUND),
            ("/api/v1/invoices?status=paid".to_string(), StatusCode::UNPROCESSABLE_ENTITY),
        ] {
            let reply = api.call(Method::GET, &url, Some(&token), None).await;
            assert!(reply.status == expected || (expected == StatusCode::BAD_REQUEST && reply.status == StatusCode::UNPROCESSABLE_ENTITY), "{url}: {} {:?}", reply.status, reply.body);
            assert_eq!(reply.content_type, "application/problem+json", "{url}");
        }
    }

    async fn an_order_is_invoiced_with_its_lines_and_customer(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep", Role::SalesRep, None).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;
        let company = CompanyBuilder::new("Sipariş Gıda").create(&fx.app, &rep.actor()).await.id.0;
        let body = json!({"company_id": company, "lines": [
            {"description": "Fırın", "quantity": "2", "unit_price": {"minor": 150_000}, "vat_rate": 20},
            {"description": "Kurulum", "quantity": "1.5", "unit_price": {"minor": 40_000}, "discount_percent": "10", "vat_rate": 10}
        ]});
        let quote = api.call(Method::POST, "/api/v1/quotes", Some(&token), Some(body)).await.body["id"].as_i64().unwrap();
        for step in ["send", "accept"] {
            let reply = api.call(Method::POST, &format!("/api/v1/quotes/{quote}/{step}"), Some(&token), None).await;
            assert_eq!(reply.status, StatusCode::OK, "{step}: {:?}", reply.body);
        }
        let order = api.call(Method::POST, &format!("/api/v1/quotes/{quote}/order"), Some(&token), None).await.body;
        let reply = api.call(Method::POST, "/api/v1/invoices", Some(&token), Some(json!({"order_id": order["id"]}))).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        let invoice = &reply.body;
        assert_eq!(invoice["company_id"], company);
        assert_eq!(invoice["order_id"], order["id"]);
        assert_eq!(invoice["lines"].as_array().unwrap().len(), 2);
        assert_eq!(invoice["totals"]["gross"], order["totals"]["gross"], "the same money rule");
        let rates: Vec<i64> = invoice["vat_summary"].as_array().unwrap().iter().map(|s| s["vat_rate"].as_i64().unwrap()).collect();
        assert_eq!(rates, [20, 10]);
    }
}

/// An invoice of the random history, as the test remembers it.
struct Billed {
    id: i64,
    issue: Date,
    due: Date,
    gross: i64,
    cancelled_on: Option<Date>,
}

/// A payment of the random history: when it came, how much, and what it was set against.
struct Paid {
    received: Date,
    amount: i64,
    parts: Vec<(i64, i64)>,
}

/// Plays a random history of invoices (some cancelled), payments (backdated, overpaying,
/// allocated oldest-first or by hand) on one company; returns what the test remembers.
async fn random_history(
    api: &Api,
    token: &str,
    company: i64,
    seed: u64,
) -> (Vec<Billed>, Vec<Paid>) {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let (mut billed, mut paid): (Vec<Billed>, Vec<Paid>) = (Vec::new(), Vec::new());
    let open_of = |billed: &[Billed], paid: &[Paid], id: i64| {
        let invoice = billed.iter().find(|b| b.id == id).unwrap();
        invoice.gross
            - paid
                .iter()
                .flat_map(|p| &p.parts)
                .filter(|(i, _)| *i == id)
                .map(|(_, a)| a)
                .sum::<i64>()
    };
    for _ in 0..24 {
        match rng.random_range(0..10) {
            0..=4 => {
                let issue = days(-rng.random_range(0..200));
                let due = issue
                    .checked_add(jiff::Span::new().days(rng.random_range(0..60)))
                    .unwrap();
                let net = rng.random_range(1..5_000) * 100;
                let body = json!({"company_id": company, "issue_date": issue.to_string(), "due_date": due.to_string(),
                    "lines": [{"description": "Hizmet", "quantity": "1", "unit_price": {"minor": net}, "vat_rate": 20}]});
                let reply = api
                    .call(Method::POST, "/api/v1/invoices", Some(token), Some(body))
                    .await;
                let id = reply.body["id"].as_i64().unwrap();
                let reply = api
                    .call(
                        Method::POST,
                        &format!("/api/v1/invoices/{id}/post"),
                        Some(token),
                        None,
                    )
                    .await;
                assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
                billed.push(Billed {
                    id,
                    issue,
                    due,
                    gross: net + net / 5,
                    cancelled_on: None,
                });
            }
            5..=8 => {
                let received = days(-rng.random_range(0..200));
                let amount = rng.random_range(1..8_000) * 100;
                let mut body = json!({"company_id": company, "amount": {"minor": amount}, "method": "transfer", "received_at": received.to_string()});
                let open: Vec<i64> = billed
                    .iter()
                    .filter(|b| b.cancelled_on.is_none() && open_of(&billed, &paid, b.id) > 0)
                    .map(|b| b.id)
                    .collect();
                if rng.random_bool(0.4) && !open.is_empty() {
                    let id = open[rng.random_range(0..open.len())];
                    let part = rng.random_range(1..=open_of(&billed, &paid, id).min(amount));
                    body["allocations"] = json!([{"invoice_id": id, "amount": {"minor": part}}]);
                }
                let reply = api
                    .call(Method::POST, "/api/v1/payments", Some(token), Some(body))
                    .await;
                assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
                let parts = reply.body["allocations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| (a["invoice_id"].as_i64().unwrap(), minor(&a["amount"])))
                    .collect();
                paid.push(Paid {
                    received,
                    amount,
                    parts,
                });
            }
            _ => {
                let unpaid: Vec<usize> = (0..billed.len())
                    .filter(|i| {
                        billed[*i].cancelled_on.is_none()
                            && open_of(&billed, &paid, billed[*i].id) == billed[*i].gross
                    })
                    .collect();
                if let Some(index) = unpaid.first() {
                    let id = billed[*index].id;
                    let reply = api
                        .call(
                            Method::POST,
                            &format!("/api/v1/invoices/{id}/cancel"),
                            Some(token),
                            None,
                        )
                        .await;
                    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
                    billed[*index].cancelled_on = Some(today());
                }
            }
        }
    }
    (billed, paid)
}

both_backends! {
    async fn aging_adds_up_to_the_balance_at_any_past_date_of_a_random_history(db) {
        use rand::{RngExt, SeedableRng};
        let fx = Fixtures::new(db);
        let rep = fx.user("rep", Role::SalesRep, None).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;
        for seed in [7_u64, 2026] {
            let company = CompanyBuilder::new(&format!("Rastgele {seed}")).create(&fx.app, &rep.actor()).await.id.0;
            let (billed, paid) = random_history(&api, &token, company, seed).await;
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed + 1);
            let mut dates: Vec<Date> = (0..8).map(|_| days(-rng.random_range(0..220))).collect();
            dates.push(today());
            for day in dates {
                // What the history says, worked out here from what was done.
                let mut expected = rehber_domain::ledger::Aging::default();
                let mut balance = 0;
                for b in billed.iter().filter(|b| b.issue <= day && b.cancelled_on.is_none_or(|c| c > day)) {
                    let settled: i64 = paid.iter().filter(|p| p.received <= day).flat_map(|p| &p.parts).filter(|(id, _)| *id == b.id).map(|(_, a)| a).sum();
                    expected.add_open(rehber_domain::ledger::AgingBucket::of(b.due, day), b.gross - settled);
                    balance += b.gross;
                }
                balance -= paid.iter().filter(|p| p.received <= day).map(|p| p.amount).sum::<i64>();
                expected.unallocated = balance - expected.balance();

                let reply = api.call(Method::GET, &format!("/api/v1/reports/aging?as_of={day}&company_id={company}"), Some(&token), None).await;
                assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
                let got = match reply.body["rows"].as_array().unwrap().first() {
                    Some(row) => [row["not_due"].clone(), row["days_0_30"].clone(), row["days_31_60"].clone(), row["days_61_90"].clone(), row["days_over_90"].clone(), row["unallocated"].clone(), row["balance"].clone()].map(|v| minor(&v)),
                    None => [0; 7],
                };
                let e = &expected;
                assert_eq!(got, [e.not_due, e.days_0_30, e.days_31_60, e.days_61_90, e.days_over_90, e.unallocated, balance], "seed {seed}, as of {day}");
                assert_eq!(got[..6].iter().sum::<i64>(), got[6], "the columns add up to the balance");

                // The report over every account agrees with the one-account report.
                let reply = api.call(Method::GET, &format!("/api/v1/reports/aging?as_of={day}"), Some(&token), None).await;
                let every = aging_row(&reply.body, company).map_or([0; 7], |row| {
                    ["not_due", "days_0_30", "days_31_60", "days_61_90", "days_over_90", "unallocated", "balance"].map(|c| minor(&row[c]))
                });
                assert_eq!(every, got, "seed {seed}, every account as of {day}");

                // The statement to that day closes on the same balance, and runs from its opening.
                let from = days(-rng.random_range(0..220)).min(day);
                let url = format!("/api/v1/companies/{company}/ledger?from={from}&to={day}");
                let statement = api.call(Method::GET, &url, Some(&token), None).await.body;
                let moved: i64 = statement["entries"].as_array().unwrap().iter().map(|e| minor(&e["debit"]) - minor(&e["credit"])).sum();
                assert_eq!(minor(&statement["opening_balance"]) + moved, minor(&statement["closing_balance"]));
                assert_eq!(minor(&statement["closing_balance"]), balance, "seed {seed}, to {day}");
                assert!(statement["next_cursor"].is_null());

                // Read three entries at a time, each page carries on from the one before and
                // together they are the whole statement.
                let (mut cursor, mut carried, mut pages) = (String::new(), minor(&statement["opening_balance"]), Vec::new());
                loop {
                    let page = api.call(Method::GET, &format!("{url}&limit=3&cursor={cursor}"), Some(&token), None).await.body;
                    let entries = page["entries"].as_array().unwrap();
                    assert!(entries.len() <= 3, "{page:?}");
                    assert_eq!(minor(&page["opening_balance"]), carried, "seed {seed}, page {}", pages.len());
                    let moved: i64 = entries.iter().map(|e| minor(&e["debit"]) - minor(&e["credit"])).sum();
                    carried = minor(&page["closing_balance"]);
                    assert_eq!(minor(&page["opening_balance"]) + moved, carried);
                    pages.extend(entries.iter().cloned());
                    match page["next_cursor"].as_str() {
                        Some(next) => cursor = next.to_string(),
                        None => break,
                    }
                }
                assert_eq!(&pages, statement["entries"].as_array().unwrap(), "seed {seed}, from {from} to {day}");
                assert_eq!(carried, balance);
            }

            // What the database keeps on write matches the ledger it keeps it from.
            let kept = db.scalar(&format!("SELECT balance_minor FROM ledger_balances WHERE company_id = {company} AND currency = 'TRY'")).await;
            let summed = db.scalar(&format!("SELECT CAST(SUM(debit_minor - credit_minor) AS BIGINT) FROM ledger_entries WHERE company_id = {company}")).await;
            assert_eq!(kept, summed, "seed {seed}");
            let astray = db.scalar(&format!("SELECT COUNT(*) FROM invoices WHERE company_id = {company} AND paid_minor <> \
                COALESCE((SELECT SUM(amount_minor) FROM payment_allocations WHERE invoice_id = invoices.id), 0)")).await;
            assert_eq!(astray, 0, "seed {seed}: every invoice's paid amount is its allocations");
        }
    }

    async fn invoices_posted_at_once_are_numbered_without_gaps(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep", Role::SalesRep, None).await;
        let actor = rep.actor();
        let company = CompanyBuilder::new("Aynı Anda Ltd.").create(&fx.app, &actor).await.id.0;
        let mut drafts = Vec::new();
        for _ in 0..16 {
            let draft = rehber_app::invoices::InvoiceDraft {
                company_id: Some(company),
                lines: vec![rehber_domain::pricing::LineDraft {
                    description: "Hizmet".into(),
                    quantity: "1".into(),
                    unit_price: Some(1_000),
                    vat_rate: Some(20),
                    ..Default::default()
                }],
                ..Default::default()
            };
            drafts.push(fx.app.create_invoice(&actor, &draft).await.unwrap().id);
        }
        let posts: Vec<_> = drafts
            .iter()
            .map(|id| {
                let (app, actor, id) = (fx.app.clone(), actor.clone(), *id);
                tokio::spawn(async move { app.post_invoice(&actor, id, None).await.unwrap().number.unwrap() })
            })
            .collect();
        let mut numbers = Vec::new();
        for post in posts {
            numbers.push(post.await.unwrap());
        }
        numbers.sort();
        let year = today().year();
        let expected: Vec<String> = (1..=16).map(|n| format!("FTR-{year}-{n:06}")).collect();
        assert_eq!(numbers, expected);
    }
}

both_backends! {
    async fn a_long_statement_is_read_a_page_at_a_time_on_the_account_page(db) {
        use common::browser::Browser;
        let fx = Fixtures::new(db);
        let rep = fx.user("rep", Role::SalesRep, None).await;
        let other = fx.user("other-rep", Role::SalesRep, None).await;
        let company = CompanyBuilder::new("Uzun Ekstre Ltd.").create(&fx.app, &rep.actor()).await.id.0;
        // 520 entries of 10 lira, written as a bulk load would: the kept balance follows.
        let day = days(-10);
        db.execute(&format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 520) \
             INSERT INTO ledger_entries (company_id, currency, entry_date, kind, document, description, \
             debit_minor, credit_minor, created_at) \
             SELECT {company}, 'TRY', '{day}', 'invoice', 'BLK-' || i, '', 1000, 0, 0 FROM n"
        )).await;
        assert_eq!(db.scalar(&format!("SELECT balance_minor FROM ledger_balances WHERE company_id = {company}")).await, 520_000);

        let server = common::server::TestServer::spawn(&fx.app);
        let browser = Browser::signed_in(&server, &rep, rehber_testkit::PASSWORD).await;
        let first = browser.get(&format!("/companies/{company}/ledger?from={}", days(-30))).await;
        assert_eq!(first.status, StatusCode::OK);
        assert_eq!(first.body.matches("data-entry>").count(), 500);
        assert!(first.body.contains("Brought forward") && first.body.contains("Carried to the next page"), "{}", first.body);
        let next = first.body.split("rel=\"next\"").next().and_then(|head| head.rsplit("href=\"").next()).unwrap().split('"').next().unwrap().replace("&#38;", "&").replace("&amp;", "&");
        assert!(next.contains("cursor="), "{next}");
        let second = browser.get(&format!("/companies/{company}/ledger{next}")).await;
        assert_eq!(second.status, StatusCode::OK);
        assert_eq!(second.body.matches("data-entry>").count(), 20);
        assert!(second.body.contains("Brought forward from the previous page") && second.body.contains("Closing balance"));
        assert!(second.body.contains("First page") && !second.body.contains("rel=\"next\""));

        // A colleague gets nowhere with the same link.
        let colleague = Browser::signed_in(&server, &other, rehber_testkit::PASSWORD).await;
        let reply = colleague.get(&format!("/companies/{company}/ledger{next}")).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
    }
}
