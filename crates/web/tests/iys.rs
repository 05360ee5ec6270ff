//! Handing commercial permissions to İYS through the router, on SQLite and PostgreSQL: the
//! pending answers with their last business day (weekends, fixed holidays and the listed
//! ones skipped), İYS's bulk file with the phone's `+` kept and Turkey's time, marking a
//! file as uploaded without touching an answer recorded after it, an erased person's
//! answers never listed, the refusals by name, and no door for anyone but administrators.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::Api;
use common::browser::Browser;
use common::server::TestServer;
use rehber_app::AuditFilter;
use rehber_domain::Role;
use rehber_testkit::{Fixtures, PASSWORD, PersonBuilder, both_backends};
use serde_json::{Value, json};

const PENDING: &str = "/api/v1/consents/iys-pending";

async fn answer(api: &Api, token: &str, person: i64, body: Value) -> i64 {
    let uri = format!("/api/v1/people/{person}/consents");
    let reply = api.call(Method::POST, &uri, Some(token), Some(body)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["id"].as_i64().unwrap()
}

/// A moment `hours` before now, as RFC 3339.
fn hours_ago(hours: i64) -> String {
    (jiff::Timestamp::now() - jiff::SignedDuration::from_hours(hours)).to_string()
}

both_backends! {
    async fn pending_permissions_are_listed_filed_and_marked_as_uploaded(db) {
        let fx = Fixtures::new(db);
        let admin = fx.user("admin", Role::Administrator, None).await;
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let isil = PersonBuilder::new("Işıl", "Çağlar").email("isil@ornek.com.tr").phone("0532 111 22 33").create(&fx.app, &rep.actor()).await;
        let sukru = PersonBuilder::new("Şükrü", "Öğüt").phone("0533 444 55 66").create(&fx.app, &rep.actor()).await;
        let gone = PersonBuilder::new("Silinecek", "Kişi").email("gone@example.com").create(&fx.app, &rep.actor()).await;
        let api = Api::new(&fx.app);
        let rep_token = api.token_for(&rep).await;
        let token = api.token_for(&admin).await;

        // Monday 2 November 2026, noon in Istanbul: due by Thursday the 5th, long past.
        let late = answer(&api, &rep_token, isil.id.0, json!({"channel": "email", "status": "granted", "source": "HS_WEB", "given_at": "2026-11-02T09:00:00Z"})).await;
        let sms = answer(&api, &rep_token, isil.id.0, json!({"channel": "sms", "status": "denied", "source": "=HYPERLINK(\"x\")", "given_at": hours_ago(1)})).await;
        answer(&api, &rep_token, isil.id.0, json!({"purpose": "kvkk_profiling", "status": "granted", "source": "HS_ISLAK_IMZA", "given_at": hours_ago(2)})).await;
        let call = answer(&api, &rep_token, sukru.id.0, json!({"channel": "call", "status": "granted", "source": "HS_ISLAK_IMZA", "given_at": hours_ago(3)})).await;
        answer(&api, &rep_token, gone.id.0, json!({"channel": "email", "status": "granted", "source": "HS_WEB", "given_at": hours_ago(4)})).await;
        let erased = api.call(Method::POST, &format!("/api/v1/people/{}/erase?preview=false", gone.id.0), Some(&token), None).await;
        assert_eq!(erased.status, StatusCode::OK, "{:?}", erased.body);

        let listed = api.call(Method::GET, PENDING, Some(&token), None).await;
        assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);
        let items = listed.body["items"].as_array().unwrap();
        let ids: Vec<i64> = items.iter().map(|i| i["id"].as_i64().unwrap()).collect();
        assert_eq!(ids, vec![late, sms, call], "commercial answers only, the erased person's left out");
        assert_eq!(listed.body["through_id"], call);
        assert_eq!(listed.body["truncated"], false);
        let first = &items[0];
        assert_eq!((first["iys_type"].as_str(), first["deadline"].as_str(), first["overdue"].as_bool()), (Some("EPOSTA"), Some("2026-11-05"), Some(true)));
        assert_eq!((first["person_name"].as_str(), first["address"].as_str()), (Some("Işıl Çağlar"), Some("isil@ornek.com.tr")));
        assert_eq!(first["recorded_by_name"], rep.name.as_str());
        assert!(items[1..].iter().all(|i| i["overdue"] == false), "given today, due in three business days");

        // A holiday listed by the administrator moves the last day on.
        let put = api.call(Method::PUT, "/api/v1/settings/iys", Some(&token), Some(json!({"holidays": ["2026-11-04", "2026-11-04"]}))).await;
        assert_eq!((put.status, put.body["holidays"].clone()), (StatusCode::OK, json!(["2026-11-04"])));
        let listed = api.call(Method::GET, PENDING, Some(&token), None).await;
        assert_eq!(listed.body["items"][0]["deadline"], "2026-11-06");
        let refused = api.call(Method::PUT, "/api/v1/settings/iys", Some(&token), Some(json!({"holidays": ["04.11.2026"]}))).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused.error_fields(), vec!["holidays".to_string()]);
        let kept = api.call(Method::GET, "/api/v1/settings/iys", Some(&token), None).await;
        assert_eq!(kept.body["holidays"], json!(["2026-11-04"]), "a refused list changes nothing");

        // İYS's bulk file: the oldest given first, Turkey's time, a phone's `+` kept, typed
        // text that a spreadsheet would run neutralised.
        let file = api.call_raw(Method::GET, &format!("{PENDING}/file?format=csv"), Some(&token), None, &[]).await;
        assert_eq!(file.status, StatusCode::OK);
        assert!(file.content_type.starts_with("text/csv"), "{}", file.content_type);
        assert_eq!(file.header("x-rehber-iys-through-id"), Some(call.to_string().as_str()));
        let csv = String::from_utf8(file.bytes.clone()).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "type,source,recipient,status,consentDate,recipientType");
        assert_eq!(lines[1], "EPOSTA,HS_WEB,isil@ornek.com.tr,ONAY,2026-11-02 12:00:00,BIREYSEL");
        assert_eq!(lines.len(), 4, "{csv}");
        assert!(lines[2].starts_with("ARAMA,HS_ISLAK_IMZA,+905334445566,ONAY,"), "{csv}");
        assert!(lines[3].starts_with("MESAJ,\"'=HYPERLINK(\"\"x\"\")\",+905321112233,RET,"), "{csv}");
        let xlsx = api.call_raw(Method::GET, &format!("{PENDING}/file?format=xlsx"), Some(&token), None, &[]).await;
        assert_eq!(xlsx.status, StatusCode::OK);
        assert!(xlsx.bytes.starts_with(b"PK"), "an XLSX workbook");
        let log = fx.store().audit_log(&AuditFilter { record_type: Some("consent".into()), limit: 10, ..AuditFilter::default() }).await.unwrap();
        let exports: Vec<_> = log.iter().filter(|e| e.action == "exported").collect();
        assert_eq!(exports.len(), 2, "every file is on the audit log");
        assert!(exports[0].changes.iter().any(|c| c.field == "export_rows" && c.to == "3"));

        // An answer recorded after the file stays pending when the file is marked, even
        // marked from the list drawn again since (its highest id is the new answer's): only
        // what a downloaded file held is marked.
        let file_id: i64 = file.header("x-rehber-iys-file-id").unwrap().parse().unwrap();
        assert_eq!(db.scalar(&format!("SELECT COUNT(*) FROM iys_file_consents WHERE file_id = {file_id}")).await, 3);
        let after = answer(&api, &rep_token, sukru.id.0, json!({"channel": "sms", "status": "granted", "source": "HS_MESAJ", "given_at": hours_ago(0)})).await;
        let relisted = api.call(Method::GET, PENDING, Some(&token), None).await;
        assert_eq!(relisted.body["through_id"], after);
        let marked = api.call(Method::POST, &format!("{PENDING}/sent"), Some(&token), Some(json!({"through_id": after}))).await;
        assert_eq!((marked.status, marked.body["marked"].as_i64()), (StatusCode::OK, Some(3)), "{:?}", marked.body);
        let listed = api.call(Method::GET, PENDING, Some(&token), None).await;
        let ids: Vec<i64> = listed.body["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
        assert_eq!(ids, vec![after]);
        assert_eq!(db.scalar("SELECT COUNT(*) FROM consents WHERE iys_status = 'sent'").await, 3);
        assert_eq!(db.scalar(&format!("SELECT COUNT(*) FROM consents WHERE iys_status = 'sent' AND iys_sent_by = {} AND iys_sent_at IS NOT NULL", admin.id.0)).await, 3);
        let again = api.call(Method::POST, &format!("{PENDING}/sent"), Some(&token), Some(json!({"through_id": after}))).await;
        assert_eq!(again.body["marked"], 0, "marking twice marks nothing more");
        let log = fx.store().audit_log(&AuditFilter { record_type: Some("consent".into()), limit: 10, ..AuditFilter::default() }).await.unwrap();
        assert_eq!(log.iter().filter(|e| e.action == "iys_sent").count(), 1);

        // A file named by its id marks exactly its answers.
        let next = api.call_raw(Method::GET, &format!("{PENDING}/file?format=xlsx"), Some(&token), None, &[]).await;
        let next_id: i64 = next.header("x-rehber-iys-file-id").unwrap().parse().unwrap();
        assert!(next_id > file_id);
        let later = answer(&api, &rep_token, isil.id.0, json!({"channel": "call", "status": "granted", "source": "HS_CAGRI_MERKEZI", "given_at": hours_ago(0)})).await;
        let marked = api.call(Method::POST, &format!("{PENDING}/sent"), Some(&token), Some(json!({"file_id": next_id}))).await;
        assert_eq!((marked.status, marked.body["marked"].as_i64()), (StatusCode::OK, Some(1)), "{:?}", marked.body);
        let listed = api.call(Method::GET, PENDING, Some(&token), None).await;
        assert_eq!(listed.body["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect::<Vec<_>>(), vec![later]);
        let unknown = api.call(Method::POST, &format!("{PENDING}/sent"), Some(&token), Some(json!({"file_id": next_id + 100}))).await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{:?}", unknown.body);
        let neither = api.call(Method::POST, &format!("{PENDING}/sent"), Some(&token), Some(json!({}))).await;
        assert_eq!((neither.status, neither.error_fields()), (StatusCode::UNPROCESSABLE_ENTITY, vec!["file_id".to_string()]));

        // Bad input, by name, and nothing marked.
        let bad = api.call(Method::GET, &format!("{PENDING}/file?format=pdf"), Some(&token), None).await;
        assert_eq!((bad.status, bad.error_fields()), (StatusCode::UNPROCESSABLE_ENTITY, vec!["format".to_string()]));
        let bad = api.call(Method::GET, &format!("{PENDING}/file?colour=red"), Some(&token), None).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let bad = api.call(Method::POST, &format!("{PENDING}/sent"), Some(&token), Some(json!({"through_id": 0}))).await;
        assert_eq!((bad.status, bad.error_fields()), (StatusCode::UNPROCESSABLE_ENTITY, vec!["through_id".to_string()]));
        let bad = api.call(Method::POST, &format!("{PENDING}/sent"), Some(&token), Some(json!({"through_id": "all"}))).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert_eq!(bad.content_type, "application/problem+json");
        assert_eq!(db.scalar("SELECT COUNT(*) FROM consents WHERE iys_status = 'pending' AND address NOT LIKE 'sha256:%'").await, 1);
    }
}

both_backends! {
    async fn only_administrators_reach_the_iys_hand_over(db) {
        let fx = Fixtures::new(db);
        let admin = fx.user("admin", Role::Administrator, None).await;
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let colleague = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let manager = fx.user("manager", Role::SalesManager, Some("Kuzey")).await;
        let person = PersonBuilder::new("Gizli", "Müşteri").email("gizli@example.com").create(&fx.app, &rep.actor()).await;
        let api = Api::new(&fx.app);
        let rep_token = api.token_for(&rep).await;
        let id = answer(&api, &rep_token, person.id.0, json!({"channel": "email", "status": "granted", "source": "HS_WEB", "given_at": "2026-11-02T09:00:00Z"})).await;

        for user in [&rep, &colleague, &manager] {
            let token = api.token_for(user).await;
            for (method, uri, body) in [
                (Method::GET, PENDING.to_string(), None),
                (Method::GET, format!("{PENDING}/file?format=csv"), None),
                (Method::POST, format!("{PENDING}/sent"), Some(json!({"through_id": id}))),
                (Method::GET, "/api/v1/settings/iys".to_string(), None),
                (Method::PUT, "/api/v1/settings/iys".to_string(), Some(json!({"holidays": []}))),
            ] {
                let reply = api.call(method.clone(), &uri, Some(&token), body).await;
                assert_eq!(reply.status, StatusCode::FORBIDDEN, "{} {method} {uri}", user.name);
                assert!(!reply.body.to_string().contains("gizli@example.com"));
            }
        }
        assert_eq!(db.scalar("SELECT COUNT(*) FROM consents WHERE iys_status = 'pending'").await, 1);

        let server = TestServer::spawn(&fx.app);
        let browser = Browser::signed_in(&server, &colleague, PASSWORD).await;
        let page = browser.get("/admin/iys").await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        assert!(!page.body.contains("gizli@example.com"));
        let refused = browser.submit("/settings", "/admin/iys/sent", &[("through_id", &id.to_string())]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(db.scalar("SELECT COUNT(*) FROM consents WHERE iys_status = 'pending'").await, 1);

        // The administrator's page: the late answer, the files, and the mark.
        let browser = Browser::signed_in(&server, &admin, PASSWORD).await.english();
        let page = browser.get("/admin/iys").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("gizli@example.com") && page.body.contains("Gizli Müşteri"));
        assert!(page.body.contains("Late: due 5 Nov 2026") && page.body.contains("data-iys-overdue"), "{}", page.body);
        assert!(page.body.contains("/api/v1/consents/iys-pending/file?format=xlsx"));
        let odd = browser.get("/admin/iys?marked=%C3%A7ok&holidays_saved=evet").await;
        assert_eq!(odd.status, StatusCode::OK, "an odd address still shows the page");
        assert!(!odd.body.contains("data-iys-notice"));
        let bad = browser.submit("/admin/iys", "/admin/iys/holidays", &[("holidays", "27 May")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("Write each date as YYYY-MM-DD") && bad.body.contains("27 May"), "the list kept as typed");
        let early = browser.submit("/admin/iys", "/admin/iys/sent", &[("through_id", &id.to_string())]).await;
        let page = browser.get(&early.location()).await;
        assert!(page.body.contains("Nothing was marked: only answers that were in a downloaded file"), "not downloaded yet: {}", page.body);
        let file = browser.get("/api/v1/consents/iys-pending/file?format=csv").await;
        assert!(file.body.contains("gizli@example.com"), "the page's download, with the session");
        let marked = browser.submit("/admin/iys", "/admin/iys/sent", &[("through_id", &id.to_string())]).await;
        assert_eq!(marked.status, StatusCode::SEE_OTHER, "{}", marked.body);
        let page = browser.get(&marked.location()).await;
        assert!(page.body.contains("Marked as uploaded to İYS: 1.") && page.body.contains("data-iys-empty"), "{}", page.body);
    }
}
