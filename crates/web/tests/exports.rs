//! Lists taken out as files through the API, on SQLite and PostgreSQL: the people and
//! company lists as CSV (both profiles) and XLSX, through the same scope and filters as the
//! lists; sales reps refused until an administrator allows them; every export in the audit
//! log with its parameters and row count; formulas neutralised, validated phones untouched.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::Api;
use rehber_app::AuditFilter;
use rehber_domain::Role;
use rehber_testkit::{CompanyBuilder, Fixtures, PersonBuilder, both_backends};
use serde_json::json;

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

both_backends! {
    async fn a_list_is_exported_as_its_reader_sees_it_and_the_export_is_audited(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await;
        let rep = fx.user("rep", Role::SalesRep, None).await;
        let colleague = fx.user("colleague", Role::SalesRep, None).await;
        let api = Api::new(&fx.app);
        let (a, r) = (api.token_for(&admin).await, api.token_for(&rep).await);
        let firm = CompanyBuilder::new("Çağlar Tekstil San. ve Tic. A.Ş.").city("İstanbul").create(&fx.app, &rep.actor()).await;
        PersonBuilder::new("Işıl", "Çağlar").email("isil@caglar.com.tr").phone("0532 111 22 33").city("İstanbul").company(firm.id).create(&fx.app, &rep.actor()).await;
        PersonBuilder::new("=HYPERLINK(\"x\")", "Kişi").create(&fx.app, &rep.actor()).await;
        PersonBuilder::new("Başka", "Temsilcinin").create(&fx.app, &colleague.actor()).await;

        // Reps are refused until an administrator allows them; only administrators decide.
        let reply = api.call(Method::GET, "/api/v1/people/export", Some(&r), None).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{:?}", reply.body);
        assert_eq!(reply.content_type, "application/problem+json");
        let reply = api.call(Method::PUT, "/api/v1/settings/exports", Some(&r), Some(json!({"sales_reps_allowed": true}))).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        let reply = api.call(Method::PUT, "/api/v1/settings/exports", Some(&a), Some(json!({"sales_reps_allowed": true}))).await;
        assert_eq!((reply.status, &reply.body), (StatusCode::OK, &json!({"sales_reps_allowed": true})));
        let reply = api.call(Method::GET, "/api/v1/settings/exports", Some(&r), None).await;
        assert_eq!(reply.body["sales_reps_allowed"], true);

        // The rep's file: their own people only, Turkish letters as typed, formulas
        // neutralised, the validated phone with its plus.
        let reply = api.call_raw(Method::GET, "/api/v1/people/export?sort=name", Some(&r), None, &[("accept-language", "tr")]).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.content_type, "text/csv; charset=utf-8");
        let disposition = reply.headers["content-disposition"].to_str().unwrap().to_string();
        assert!(disposition.starts_with("attachment; filename=\"kisiler-") && disposition.ends_with(".csv\""), "{disposition}");
        let csv = text(&reply.bytes);
        let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 3, "a header and the rep's two people: {csv}");
        assert!(lines[0].starts_with("No,Ad,Soyad,E-posta"), "{}", lines[0]);
        assert!(csv.contains("Işıl,Çağlar,isil@caglar.com.tr,+905321112233,Çağlar Tekstil San. ve Tic. A.Ş."), "{csv}");
        assert!(csv.contains("İstanbul"));
        assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""), "a formula stays text: {csv}");
        assert!(!csv.contains("Başka"), "another rep's person never leaves through an export");

        // The list's filters apply, and Excel's Turkish profile is spelled as it reads it.
        let reply = api.call(Method::GET, "/api/v1/people/export?q=I%C5%9F%C4%B1l&profile=excel-tr", Some(&r), None).await;
        assert!(reply.bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "a byte-order mark");
        let csv = text(&reply.bytes[3..]);
        assert_eq!(csv.split("\r\n").filter(|l| !l.is_empty()).count(), 2, "{csv}");
        assert!(csv.contains(";Işıl;Çağlar;"), "{csv}");
        let reply = api.call(Method::GET, "/api/v1/companies/export?format=xlsx", Some(&r), None).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.content_type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        assert!(reply.bytes.starts_with(b"PK"), "an XLSX workbook is a ZIP archive");

        // An administrator sees everyone.
        let reply = api.call(Method::GET, "/api/v1/people/export", Some(&a), None).await;
        let csv = text(&reply.bytes);
        assert!(csv.contains("Başka") && csv.contains("Işıl"));

        // Each export is in the audit log: who, which list, how, how many rows.
        let log = fx.store().audit_log(&AuditFilter { record_type: Some("person".into()), limit: 50, ..AuditFilter::default() }).await.unwrap();
        let exports: Vec<_> = log.iter().filter(|e| e.action == "exported").collect();
        assert_eq!(exports.len(), 3, "{exports:?}");
        let first_by_rep = exports.iter().rev().find(|e| e.actor_id == Some(rep.id)).unwrap();
        let change = |field: &str| first_by_rep.changes.iter().find(|c| c.field == field).map(|c| c.to.clone());
        assert_eq!(change("export_rows").as_deref(), Some("2"));
        assert_eq!(change("export_format").as_deref(), Some("csv"));
        assert_eq!(change("export_filter").as_deref(), Some("sort=name"));

        // Turned off again, the rep is refused again.
        api.call(Method::PUT, "/api/v1/settings/exports", Some(&a), Some(json!({"sales_reps_allowed": false}))).await;
        let reply = api.call(Method::GET, "/api/v1/companies/export", Some(&r), None).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
    }
}

both_backends! {
    async fn bad_export_parameters_are_named_and_nothing_is_recorded(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&admin).await;
        for (url, field) in [
            ("/api/v1/people/export?format=pdf", "format"),
            ("/api/v1/people/export?format=xlsx&profile=excel-tr", "format"),
            ("/api/v1/companies/export?format=csv&profile=excel", "format"),
            ("/api/v1/people/export?sort=shoe_size", "sort"),
        ] {
            let reply = api.call(Method::GET, url, Some(&token), None).await;
            assert!(reply.status == StatusCode::UNPROCESSABLE_ENTITY || reply.status == StatusCode::BAD_REQUEST, "{url}: {}", reply.status);
            assert_eq!(reply.content_type, "application/problem+json", "{url}");
            assert!(reply.error_fields().iter().any(|f| f == field), "{url}: {:?}", reply.body);
        }
        let reply = api.call(Method::GET, "/api/v1/people/export?colour=red", Some(&token), None).await;
        assert!(reply.status.is_client_error(), "an unknown parameter is refused");
        let reply = api.call(Method::PUT, "/api/v1/settings/exports", Some(&token), Some(json!({"sales_reps_allowed": "yes"}))).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "a value of the wrong type");
        let log = fx.store().audit_log(&AuditFilter { limit: 50, ..AuditFilter::default() }).await.unwrap();
        assert!(log.iter().all(|e| e.action != "exported"), "a refused export is not an export");
    }
}

both_backends! {
    async fn the_list_page_exports_what_it_shows_and_only_to_those_allowed(db) {
        use common::browser::Browser;
        let fx = Fixtures::new(db);
        let admin = fx.admin().await;
        let rep = fx.user("rep", Role::SalesRep, None).await;
        PersonBuilder::new("Işıl", "Çağlar").city("İstanbul").create(&fx.app, &admin.actor()).await;
        PersonBuilder::new("Ahmet", "Ölmez").city("Ankara").create(&fx.app, &admin.actor()).await;
        PersonBuilder::new("Kendi", "Kişisi").create(&fx.app, &rep.actor()).await;
        let server = common::server::TestServer::spawn(&fx.app);

        let browser = Browser::signed_in(&server, &admin, rehber_testkit::PASSWORD).await;
        let page = browser.get("/people?city=%C4%B0stanbul").await;
        assert_eq!(page.status, StatusCode::OK);
        let start = page.body.find("data-export=\"csv\"").map(|i| page.body[..i].rfind("href=\"").unwrap() + 6).expect("an export link");
        let href = page.body[start..].split('"').next().unwrap().replace("&amp;", "&");
        assert!(href.starts_with("/people/export?city=") && href.ends_with("format=csv"), "{href}");
        let file = browser.get(&href).await;
        assert_eq!(file.status, StatusCode::OK);
        assert!(file.body.contains("Işıl") && !file.body.contains("Ölmez"), "only the filtered list: {}", file.body);

        // A rep sees no export and cannot reach it by its address, until allowed.
        let browser = Browser::signed_in(&server, &rep, rehber_testkit::PASSWORD).await;
        assert!(!browser.get("/people").await.body.contains("data-export="));
        assert_eq!(browser.get("/people/export?format=csv").await.status, StatusCode::FORBIDDEN);
        fx.app.set_reps_may_export(&admin.actor(), true).await.unwrap();
        assert!(browser.get("/people").await.body.contains("data-export=\"xlsx\""));
        let file = browser.get("/people/export?format=csv").await;
        assert!(file.body.contains("Kendi") && !file.body.contains("Işıl"), "the rep's own people only");
    }
}

both_backends! {
    async fn a_list_exported_in_the_background_arrives_as_a_notification_for_its_reader_only(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await;
        let rep = fx.user("rep", Role::SalesRep, None).await;
        let colleague = fx.user("colleague", Role::SalesRep, None).await;
        // The server registers the web layer's jobs, which word the file.
        let mut app = fx.app.clone();
        app.jobs = rehber_web::mail::register(app.jobs);
        let api = Api::new(&app);
        let (a, r, c) = (api.token_for(&admin).await, api.token_for(&rep).await, api.token_for(&colleague).await);
        PersonBuilder::new("Işıl", "Çağlar").email("isil@caglar.com.tr").city("İstanbul").create(&app, &rep.actor()).await;
        PersonBuilder::new("Ilgın", "Çağlar").city("Bursa").create(&app, &rep.actor()).await;
        PersonBuilder::new("Başka", "Temsilcinin").city("İstanbul").create(&app, &colleague.actor()).await;
        let ask = json!({"record_type": "person", "format": "csv", "query": "city=%C4%B0stanbul"});

        let refused = api.call(Method::POST, "/api/v1/exports", Some(&r), Some(ask.clone())).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "reps only when allowed: {:?}", refused.body);
        api.call(Method::PUT, "/api/v1/settings/exports", Some(&a), Some(json!({"sales_reps_allowed": true}))).await;
        for (bad, field) in [
            (json!({"record_type": "deal"}), "record_type"),
            (json!({"format": "csv"}), "record_type"),
            (json!({"record_type": "person", "format": "pdf"}), "format"),
            (json!({"record_type": "person", "query": "bogus=1"}), "bogus"),
        ] {
            let reply = api.call(Method::POST, "/api/v1/exports", Some(&r), Some(bad.clone())).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {:?}", reply.body);
            assert!(reply.error_fields().iter().any(|f| f == field), "{bad}: {:?}", reply.body);
        }
        assert_eq!(db.scalar("SELECT COUNT(*) FROM list_exports").await, 0, "nothing refused is queued");

        let asked = api.call(Method::POST, "/api/v1/exports", Some(&r), Some(ask)).await;
        assert_eq!(asked.status, StatusCode::ACCEPTED, "{:?}", asked.body);
        assert_eq!(asked.body["status"], "queued");
        let id = asked.body["id"].as_i64().unwrap();
        let uri = format!("/api/v1/exports/{id}");
        assert_eq!(api.call(Method::GET, &format!("{uri}/file"), Some(&r), None).await.status, StatusCode::NOT_FOUND, "no file before the job");

        app.drain_jobs("test").await.unwrap();
        let done = api.call(Method::GET, &uri, Some(&r), None).await;
        assert_eq!(done.body["status"], "done", "{:?}", done.body);
        assert_eq!(done.body["rows"], 1, "the rep's own people in İstanbul: {:?}", done.body);
        assert_eq!(done.body["download"], format!("{uri}/file"));
        let file = api.call(Method::GET, &format!("{uri}/file"), Some(&r), None).await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.content_type, "text/csv; charset=utf-8");
        let csv = text(&file.bytes);
        assert!(csv.contains("Işıl,Çağlar,isil@caglar.com.tr") && !csv.contains("Ilgın") && !csv.contains("Başka"), "{csv}");

        // Nobody else follows it or downloads it.
        for path in [uri.clone(), format!("{uri}/file")] {
            assert_eq!(api.call(Method::GET, &path, Some(&c), None).await.status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(api.call(Method::GET, &path, Some(&a), None).await.status, StatusCode::NOT_FOUND, "{path}");
        }
        let theirs = api.call(Method::GET, "/api/v1/exports", Some(&c), None).await;
        assert_eq!(theirs.body["items"], json!([]));
        let mine = api.call(Method::GET, "/api/v1/exports", Some(&r), None).await;
        assert_eq!(mine.body["items"][0]["id"], id);

        // The notification names the file and leads to the exports page.
        let notes = api.call(Method::GET, "/api/v1/notifications", Some(&r), None).await;
        let note = &notes.body["items"][0];
        assert_eq!((note["kind"].as_str(), note["record_type"].as_str()), (Some("export_ready"), Some("export")), "{:?}", notes.body);
        assert!(note["title"].as_str().unwrap().ends_with(".csv"), "{note:?}");
        assert_eq!(note["url"], format!("/exports#export-{id}"));
        let log = fx.store().audit_log(&AuditFilter { record_type: Some("person".into()), limit: 50, ..AuditFilter::default() }).await.unwrap();
        let exported = log.iter().find(|e| e.action == "exported").unwrap();
        assert!(exported.changes.iter().any(|ch| ch.field == "export_rows" && ch.to == "1"), "{exported:?}");

        // A day later the file is gone.
        db.execute("UPDATE list_exports SET finished_at = finished_at - 90000000000").await;
        assert_eq!(app.expire_list_exports().await.unwrap(), 1);
        let expired = api.call(Method::GET, &uri, Some(&r), None).await;
        assert_eq!((expired.body["status"].as_str(), expired.body["download"].as_str()), (Some("expired"), None));
        assert_eq!(api.call(Method::GET, &format!("{uri}/file"), Some(&r), None).await.status, StatusCode::NOT_FOUND);

        // An export whose job gave up is not left "being written" for ever.
        let again = json!({"record_type": "person", "format": "xlsx"});
        let stuck = api.call(Method::POST, "/api/v1/exports", Some(&r), Some(again)).await.body["id"].as_i64().unwrap();
        db.execute(&format!("UPDATE list_exports SET status = 'running', requested_at = requested_at - 10800000000 WHERE id = {stuck}")).await;
        let two_hours = rehber_store::now_micros() - 7_200_000_000;
        assert_eq!(fx.store().fail_stalled_list_exports(two_hours).await.unwrap(), 1);
        let failed = api.call(Method::GET, &format!("/api/v1/exports/{stuck}"), Some(&r), None).await;
        assert_eq!(failed.body["status"], "failed", "{:?}", failed.body);
        assert!(failed.body["failure"].as_str().unwrap().contains("Ask for it again"), "{:?}", failed.body);
    }
}

both_backends! {
    async fn the_exports_page_follows_a_background_export_to_its_file(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await;
        let mut app = fx.app.clone();
        app.jobs = rehber_web::mail::register(app.jobs);
        PersonBuilder::new("Işıl", "Çağlar").create(&app, &admin.actor()).await;
        let server = common::server::TestServer::spawn(&app);
        let browser = common::browser::Browser::signed_in(&server, &admin, rehber_testkit::PASSWORD).await;

        let empty = browser.get("/exports").await;
        assert!(empty.body.contains("No exports yet."), "{}", empty.body);
        let asked = browser.submit("/exports", "/exports", &[("record_type", "person"), ("format", "xlsx"), ("query", "q=I%C5%9F%C4%B1l")]).await;
        assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
        assert_eq!(asked.location(), "/exports?notice=export-queued");
        let waiting = browser.get(&asked.location()).await;
        assert!(waiting.body.contains("The export is being prepared") && waiting.body.contains("Waiting"), "{}", waiting.body);
        assert!(waiting.body.contains("hx-trigger=\"every 3s\""), "the page looks again while one is pending");

        app.drain_jobs("test").await.unwrap();
        let ready = browser.get("/exports").await;
        assert!(ready.body.contains("Ready") && ready.body.contains("/api/v1/exports/") && ready.body.contains(".xlsx"), "{}", ready.body);
        assert!(!ready.body.contains("hx-trigger=\"every 3s\""), "nothing left to wait for");
        let notes = browser.get("/notifications").await;
        assert!(notes.body.contains("Your export is ready: "), "{}", notes.body);
        let bad = browser.submit("/exports", "/exports", &[("record_type", "deal"), ("format", "xlsx")]).await;
        assert_eq!(bad.status, StatusCode::NOT_FOUND);
    }
}
