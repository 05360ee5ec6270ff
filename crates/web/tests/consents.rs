//! A person's consents (KVKK and İYS) through the router, on SQLite and PostgreSQL: the
//! contract's round trip (`POST` → 201, `GET` with the current answers and the history),
//! the audit line, the refusals (a date in the future or before the latest answer, a missing
//! source, an address or evidence that is not the person's) with nothing kept, no door to
//! another rep's person, the database refusing to rewrite an answer, and the person's page
//! with its chips and the form that records an answer.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::browser::Browser;
use common::server::TestServer;
use common::{Api, content_type, multipart};
use rehber_app::AuditFilter;
use rehber_domain::Role;
use rehber_testkit::{Fixtures, PASSWORD, PersonBuilder, both_backends};
use serde_json::json;

both_backends! {
    async fn a_consent_is_recorded_and_the_latest_answer_given_counts(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let person = PersonBuilder::new("Işıl", "Çağlar").email("Isil@Caglar.com.tr").phone("0532 111 22 33").create(&fx.app, &rep.actor()).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;
        let uri = format!("/api/v1/people/{}/consents", person.id.0);

        let created = api.call(Method::POST, &uri, Some(&token), Some(json!({
            "channel": "email", "status": "granted", "source": "HS_WEB", "given_at": "2026-11-01T10:00:00+03:00"
        }))).await;
        assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
        let body = &created.body;
        assert_eq!((body["channel"].as_str(), body["status"].as_str(), body["source"].as_str()), (Some("email"), Some("granted"), Some("HS_WEB")));
        assert_eq!(body["given_at"], "2026-11-01T07:00:00Z");
        assert_eq!(body["purpose"], "commercial");
        assert_eq!(body["address"], "Isil@caglar.com.tr", "the person's first e-mail");
        assert_eq!((body["person_id"].as_i64(), body["recorded_by"].as_i64()), (Some(person.id.0), Some(rep.id.0)));

        // SMS granted, then denied later; an e-mail denial given later still; a KVKK purpose.
        for (channel, status, at) in [("sms", "granted", "2026-11-02T09:00:00Z"), ("sms", "denied", "2026-11-20T09:00:00Z"), ("email", "denied", "2026-11-21T09:00:00Z")] {
            let reply = api.call(Method::POST, &uri, Some(&token), Some(json!({"channel": channel, "status": status, "source": "HS_CAGRI_MERKEZI", "given_at": at}))).await;
            assert_eq!(reply.status, StatusCode::CREATED, "{channel} {status}: {:?}", reply.body);
        }
        let kvkk = api.call(Method::POST, &uri, Some(&token), Some(json!({"purpose": "kvkk_profiling", "status": "granted", "source": "HS_ISLAK_IMZA", "given_at": "2026-11-03T09:00:00Z"}))).await;
        assert_eq!(kvkk.status, StatusCode::CREATED, "{:?}", kvkk.body);
        assert_eq!(kvkk.body["channel"], serde_json::Value::Null);

        let listed = api.call(Method::GET, &uri, Some(&token), None).await;
        assert_eq!(listed.status, StatusCode::OK);
        assert_eq!(listed.body["items"].as_array().unwrap().len(), 5, "every answer is kept");
        assert_eq!(listed.body["items"][0]["given_at"], "2026-11-21T09:00:00Z", "the latest given first");
        let current: Vec<(String, String, String)> = listed.body["current"].as_array().unwrap().iter().map(|c| (
            c["purpose"].as_str().unwrap().to_string(),
            c["channel"].as_str().unwrap_or("-").to_string(),
            c["status"].as_str().unwrap().to_string(),
        )).collect();
        assert_eq!(current, vec![
            ("commercial".into(), "email".into(), "denied".into()),
            ("commercial".into(), "sms".into(), "denied".into()),
            ("kvkk_profiling".into(), "-".into(), "granted".into()),
        ]);

        // Each answer is on the person's audit log.
        let log = fx.store().audit_log(&AuditFilter { record_type: Some("person".into()), limit: 50, ..AuditFilter::default() }).await.unwrap();
        let consents: Vec<_> = log.iter().filter(|e| e.action == "consent" && e.record_id == person.id.0).collect();
        assert_eq!(consents.len(), 5);
        assert_eq!(consents.last().unwrap().changes[0].to, "commercial email: granted (HS_WEB, 2026-11-01T07:00:00Z)");

        // The answer cannot be rewritten or removed, even in SQL.
        let id = created.body["id"].as_i64().unwrap();
        db.try_execute(&format!("UPDATE consents SET status = 'denied' WHERE id = {id}")).await.expect_err("an answer is kept as given");
        assert_eq!(db.try_execute(&format!("UPDATE consents SET address = 'redacted' WHERE id = {id}")).await, Ok(1), "an erasure may redact the address");
        db.try_execute(&format!("DELETE FROM consents WHERE id = {id}")).await.expect_err("history is never deleted");
    }
}

both_backends! {
    async fn bad_consent_input_is_refused_by_name_and_nothing_is_kept(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let person = PersonBuilder::new("Çağlar", "Işık").email("caglar@example.com").phone("0532 111 22 33").create(&fx.app, &rep.actor()).await;
        let other = PersonBuilder::new("Başka", "Kişi").create(&fx.app, &rep.actor()).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;
        let uri = format!("/api/v1/people/{}/consents", person.id.0);
        let good = json!({"channel": "sms", "status": "granted", "source": "HS_WEB", "given_at": "2026-11-10T10:00:00Z"});
        assert_eq!(api.call(Method::POST, &uri, Some(&token), Some(good.clone())).await.status, StatusCode::CREATED);

        // Evidence of another person's: an attachment uploaded to them.
        let upload = api.send(Method::POST, &format!("/api/v1/people/{}/attachments", other.id.0), Some(&token), Body::from(multipart("file", "form.pdf", b"%PDF-1.4 signed")), &[("content-type", &content_type())]).await;
        assert_eq!(upload.status, StatusCode::CREATED, "{:?}", upload.body);
        let foreign_file = upload.body["id"].as_i64().unwrap();

        let with = |field: &str, value: serde_json::Value| {
            let mut body = good.clone();
            body[field] = value;
            body
        };
        let mut without_source = good.clone();
        without_source.as_object_mut().unwrap().remove("source");
        for (body, field, code) in [
            (with("given_at", json!("2099-01-01T00:00:00Z")), "given_at", "invalid-consent-future"),
            (without_source, "source", "invalid-required"),
            (with("source", json!("   ")), "source", "invalid-required"),
            (with("given_at", json!("10.11.2026")), "given_at", "invalid-datetime"),
            (with("given_at", json!("2026-11-09T10:00:00Z")), "given_at", "invalid-consent-older"),
            (with("channel", json!("fax")), "channel", "invalid-unknown-value"),
            (with("status", json!("maybe")), "status", "invalid-unknown-value"),
            (with("address", json!("+905559998877")), "address", "invalid-consent-address"),
            (with("evidence_attachment_id", json!(foreign_file)), "evidence_attachment_id", "invalid-consent-evidence"),
        ] {
            let reply = api.call(Method::POST, &uri, Some(&token), Some(body.clone())).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {:?}", reply.body);
            assert_eq!(reply.content_type, "application/problem+json");
            assert!(reply.error_fields().iter().any(|f| f == field), "{body}: {:?}", reply.body);
            assert!(reply.body.to_string().contains(code), "{code}: {:?}", reply.body);
        }
        let reply = api.call(Method::POST, &uri, Some(&token), Some(with("given_at", json!(20261110)))).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "a value of the wrong type");
        let reply = api.call(Method::POST, &uri, Some(&token), Some(with("colour", json!("red")))).await;
        assert!(reply.status.is_client_error(), "an unknown field is refused");
        assert_eq!(db.scalar("SELECT COUNT(*) FROM consents").await, 1, "nothing refused was kept");

        // The same answer typed as the person's own phone in another form is theirs.
        let reply = api.call(Method::POST, &uri, Some(&token), Some(with("address", json!("0 (532) 111 22 33")))).await;
        assert_eq!((reply.status, reply.body["address"].as_str()), (StatusCode::CREATED, Some("+905321112233")));
    }
}

both_backends! {
    async fn another_reps_person_has_no_consent_door(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let colleague = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let reader = fx.user("reader", Role::ReadOnly, None).await;
        let person = PersonBuilder::new("Gizli", "Müşteri").email("gizli@example.com").create(&fx.app, &rep.actor()).await;
        let api = Api::new(&fx.app);
        let (own, other, read_only) = (api.token_for(&rep).await, api.token_for(&colleague).await, api.token_for(&reader).await);
        let uri = format!("/api/v1/people/{}/consents", person.id.0);
        let answer = json!({"channel": "email", "status": "granted", "source": "HS_WEB", "given_at": "2026-11-10T10:00:00Z"});
        assert_eq!(api.call(Method::POST, &uri, Some(&own), Some(answer.clone())).await.status, StatusCode::CREATED);

        let reply = api.call(Method::GET, &uri, Some(&other), None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{:?}", reply.body);
        assert!(!reply.body.to_string().contains("gizli@example.com"));
        let reply = api.call(Method::POST, &uri, Some(&other), Some(answer.clone())).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        let reply = api.call(Method::POST, &uri, Some(&read_only), Some(answer)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "reading is not recording");
        assert_eq!(api.call(Method::GET, &uri, Some(&read_only), None).await.status, StatusCode::OK);
        assert_eq!(db.scalar("SELECT COUNT(*) FROM consents").await, 1);

        let server = TestServer::spawn(&fx.app);
        let browser = Browser::signed_in(&server, &colleague, PASSWORD).await;
        let page = browser.get(&format!("/people/{}/consents", person.id.0)).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(!page.body.contains("gizli@example.com"));
    }
}

both_backends! {
    async fn the_persons_page_shows_the_chips_and_records_an_answer(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let person = PersonBuilder::new("Işıl", "Çağlar").email("isil@example.com").phone("0532 111 22 33").create(&fx.app, &rep.actor()).await;
        let server = TestServer::spawn(&fx.app);
        let browser = Browser::signed_in(&server, &rep, PASSWORD).await;

        let page = browser.get(&format!("/people/{}", person.id.0)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("id=\"card-consents\""), "the consents card");
        assert!(page.body.contains("No answer"), "no answer yet on any channel");
        let form = format!("/people/{}/consents", person.id.0);
        let page = browser.get(&form).await;
        assert!(page.body.contains("data-consent-form") && page.body.contains("Wet signature"), "the form with İYS sources");

        // A date in the future is refused with the form kept as typed.
        let refused = browser.submit(&form, &form, &[("purpose", "commercial"), ("channel", "sms"), ("status", "denied"), ("source", "HS_CAGRI_MERKEZI"), ("given_at", "2099-01-01T10:00")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("The date cannot be in the future."), "{}", refused.body);
        assert!(refused.body.contains("value=\"2099-01-01T10:00\""));

        let saved = browser.submit(&form, &form, &[("purpose", "commercial"), ("channel", "sms"), ("status", "denied"), ("source", "HS_CAGRI_MERKEZI"), ("given_at", "2026-11-15T14:30")]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let page = browser.get(&saved.location()).await;
        assert!(page.body.contains("The answer is recorded."));
        assert!(page.body.contains("Call centre") && page.body.contains("+905321112233"), "the history names the source and the address");
        assert!(page.body.contains("15 Nov 2026, 14:30"), "the date given, in the home zone");
        let history = fx.app.consents(&rep.actor(), person.id).await.unwrap();
        assert_eq!(history[0].fields.given_at.to_string(), "2026-11-15T11:30:00Z");
        let page = browser.get(&format!("/people/{}", person.id.0)).await;
        assert!(page.body.contains("badge badge-danger"), "the SMS chip shows the denial");
    }
}
