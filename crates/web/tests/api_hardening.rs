//! The API against careless and hostile clients, on SQLite and PostgreSQL: every reproducer
//! the hardening probe found is here and gets a 4xx problem document, never a 500 — unknown
//! and misspelt parameters, text no database could store, cursors no list handed out,
//! oversized lists, bodies and addresses, the HTTP layer's own refusals, strict `If-Match`
//! with `ETag`, and versionless PATCHes under concurrent writers.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::{Body, Bytes};
use axum::http::{Method, StatusCode};
use common::Api;
use http_body_util::channel::Channel;
use rehber_domain::Role;
use rehber_testkit::{Fixtures, PersonBuilder, both_backends};
use rehber_web::WebConfig;
use serde_json::json;

const PROBLEM: &str = "application/problem+json";

both_backends! {
    async fn unknown_and_misspelt_list_parameters_are_refused_by_name(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let token = api.token_for(&fx.admin().await).await;
        // The company list has no company filter; the document no longer claims one.
        let reply = api.call(Method::GET, "/api/v1/companies?company_id=1", Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.content_type, PROBLEM);
        assert_eq!(reply.error_fields(), ["company_id"]);
        assert_eq!(reply.body["errors"][0]["code"], "invalid-unknown-parameter");
        let reply = api.call(Method::GET, "/api/v1/people?compnay_id=1&q=a&q=b", Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.error_fields(), ["compnay_id", "q"]);
        let reply = api.call(Method::GET, "/api/v1/companies/1/people?limit=5", Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        // Values that are not of their type are unreadable (400), out of range invalid (422).
        let reply = api.call(Method::GET, "/api/v1/people?deleted=yes&limit=abc", Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert_eq!(reply.error_fields(), ["deleted", "limit"]);
        let reply = api.call(Method::GET, "/api/v1/people?limit=201&owner_id=0", Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.error_fields(), ["owner_id", "limit"]);
        let reply = api.call(Method::GET, "/api/v1/people?city=%00&tag=%1B", Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.error_fields(), ["tag", "city"]);
        let reply = api.call(Method::GET, "/api/v1/people?limit=200&sort=-created_at&deleted=false", Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::OK);
    }

    async fn text_no_database_could_store_gets_422_on_both(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let token = api.token_for(&fx.admin().await).await;
        let reply = api.call(Method::POST, "/api/v1/people", Some(&token), Some(json!({"first_name": "a\u{0}b"}))).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
        assert_eq!(reply.body["errors"][0]["code"], "invalid-control-character");
        let reply = api.call(Method::POST, "/api/v1/companies", Some(&token), Some(json!({"name": "Kaya", "notes": "bir\niki\u{7}"}))).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.error_fields(), ["notes"]);
        let emails: Vec<String> = (0..1000).map(|i| format!("a{i}@ornek.com.tr")).collect();
        let reply = api.call(Method::POST, "/api/v1/people", Some(&token), Some(json!({"first_name": "Ali", "emails": emails}))).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.body["errors"][0]["code"], "invalid-too-many");
        let tags: Vec<String> = (0..10_000).map(|i| format!("etiket {i}")).collect();
        let reply = api.call(Method::POST, "/api/v1/people", Some(&token), Some(json!({"first_name": "Ali", "tags": tags}))).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.error_fields(), ["tags"]);
        let list = api.call(Method::GET, "/api/v1/people", Some(&token), None).await;
        assert_eq!(list.body["items"], json!([]), "nothing was stored");
    }

    async fn a_cursor_no_list_handed_out_gets_422(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let token = api.token_for(&fx.admin().await).await;
        for cursor in ["1.00", "1.c3bc", "x", "0.61", "1.zz"] {
            let reply = api.call(Method::GET, &format!("/api/v1/people?cursor={cursor}"), Some(&token), None).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{cursor}");
            assert_eq!(reply.error_fields(), ["cursor"], "{cursor}");
            assert_eq!(reply.body["errors"][0]["code"], "invalid-cursor");
        }
    }

    async fn get_sends_an_etag_and_if_match_is_read_strictly(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let other = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let token = api.token_for(&rep).await;
        let created = api.call(Method::POST, "/api/v1/people", Some(&token), Some(json!({"first_name": "Işık"}))).await;
        assert_eq!(created.status, StatusCode::CREATED);
        assert_eq!(created.header("etag"), Some("\"1\""));
        let id = created.body["id"].as_i64().unwrap();
        assert_eq!(created.header("location"), Some(format!("/api/v1/people/{id}").as_str()));
        let uri = format!("/api/v1/people/{id}");
        let got = api.call(Method::GET, &uri, Some(&token), None).await;
        assert_eq!(got.header("etag"), Some("\"1\""));

        let patch = Some(json!({"city": "İzmir"}).to_string());
        for unreadable in ["\"abc\"", "*", "\"1\", \"2\"", "W/\"1\"", "", "\"\"", "\"-1\""] {
            let reply = api.call_raw(Method::PATCH, &uri, Some(&token), patch.clone(), &[("if-match", unreadable)]).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "If-Match: {unreadable}");
            assert_eq!(reply.content_type, PROBLEM);
            assert_eq!(reply.error_fields(), ["If-Match"]);
        }
        let disagreeing = Some(json!({"city": "İzmir", "version": 2}).to_string());
        let reply = api.call_raw(Method::PATCH, &uri, Some(&token), disagreeing, &[("if-match", "\"1\"")]).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "a header and a body that disagree");
        let unchanged = api.call(Method::GET, &uri, Some(&token), None).await;
        assert_eq!(unchanged.body["version"], 1, "no refused PATCH applied");

        let reply = api.call_raw(Method::PATCH, &uri, Some(&token), patch.clone(), &[("if-match", "\"1\"")]).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.header("etag"), Some("\"2\""));
        let reply = api.call_raw(Method::PATCH, &uri, Some(&token), patch.clone(), &[("if-match", "\"1\"")]).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "stale");
        assert_eq!(reply.body["type"], "https://rehber.dev/problems/stale-version");

        // Another rep gets 404 and no ETag: a version says nothing about a record out of scope.
        let stranger = api.token_for(&other).await;
        let reply = api.call(Method::GET, &uri, Some(&stranger), None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        assert_eq!(reply.header("etag"), None);
    }

    async fn patches_without_a_version_all_apply_under_concurrent_writers(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let token = api.token_for(&rep).await;
        let person = PersonBuilder::new("Işık", "Çağlar").create(&fx.app, &rep.actor()).await;
        let uri = format!("/api/v1/people/{}", person.id.0);
        let mut writers = tokio::task::JoinSet::new();
        for i in 0..40 {
            let (api, uri, token) = (api.clone(), uri.clone(), token.clone());
            let field = if i % 2 == 0 { "job_title" } else { "city" };
            writers.spawn(async move {
                let body = json!({ field: format!("Değer {i}") });
                api.call(Method::PATCH, &uri, Some(&token), Some(body)).await.status
            });
        }
        let statuses = writers.join_all().await;
        assert!(statuses.iter().all(|s| *s == StatusCode::OK), "{statuses:?}");
        let after = api.call(Method::GET, &uri, Some(&token), None).await;
        assert!(after.body["version"].as_i64().unwrap() >= 2);
    }

    async fn a_body_field_the_endpoint_does_not_know_is_refused_by_name_and_nothing_is_saved(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let token = api.token_for(&fx.admin().await).await;
        let body = json!({"first_name": "Ali", "job_titel": "Müdür"});
        let reply = api.call(Method::POST, "/api/v1/people", Some(&token), Some(body)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.content_type, PROBLEM);
        assert_eq!(reply.error_fields(), ["job_titel"]);
        assert_eq!(reply.body["errors"][0]["code"], "invalid-unknown-field");
        let list = api.call(Method::GET, "/api/v1/people", Some(&token), None).await;
        assert_eq!(list.body["items"], json!([]), "nothing was stored");

        let created = api.call(Method::POST, "/api/v1/companies", Some(&token), Some(json!({"name": "Kaya"}))).await;
        let uri = format!("/api/v1/companies/{}", created.body["id"]);
        let reply = api.call(Method::PATCH, &uri, Some(&token), Some(json!({"nmae": "Kaya A.Ş.", "city": "İzmir"}))).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.error_fields(), ["nmae"]);
        let unchanged = api.call(Method::GET, &uri, Some(&token), None).await;
        assert_eq!(unchanged.body["city"], "", "the known fields of a refused body are not saved either");
        let reply = api.call(Method::POST, "/api/v1/people", Some(&token), Some(json!(["Ali"]))).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "not an object");
    }

    async fn the_http_layers_own_refusals_are_problem_documents(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let token = api.token_for(&fx.admin().await).await;
        // A declared body over the limit.
        let big = "x".repeat(rehber_web::problem::MAX_BODY_BYTES + 1);
        let json = [("content-type", "application/json")];
        let reply = api.send_refused(Method::POST, "/api/v1/people", Some(&token), || Body::from(big.clone()), &json).await;
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(reply.content_type, PROBLEM);
        assert_eq!(reply.body["status"], 413);
        assert!(reply.body["detail"].as_str().unwrap().contains("2097152"), "{}", reply.body);
        // A chunked body of 10 MB, with no length announced.
        let chunked = || {
            let (mut sender, chunked) = Channel::<Bytes>::new(4);
            tokio::spawn(async move {
                for _ in 0..160 {
                    if sender.send_data(Bytes::from(vec![b' '; 64 * 1024])).await.is_err() {
                        break;
                    }
                }
            });
            Body::new(chunked)
        };
        let reply = api.send_refused(Method::POST, "/api/v1/people", Some(&token), chunked, &json).await;
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(reply.content_type, PROBLEM);
        // An address over 8 KiB (from 64 KiB on the HTTP parser refuses it before Rehber
        // sees it; the binary's tests cover that).
        let long = format!("/api/v1/people?q={}", "a".repeat(20 * 1024));
        let reply = api.call(Method::GET, &long, Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::URI_TOO_LONG);
        assert_eq!(reply.content_type, PROBLEM);
        assert_eq!(reply.body["title"], "The address is too long");
        // A method the route does not have.
        let reply = api.call(Method::PUT, "/api/v1/people", Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(reply.content_type, PROBLEM);
        assert!(reply.header("allow").is_some());
        // A body not declared as JSON.
        let reply = api.send(Method::POST, "/api/v1/people", Some(&token), Body::from("{}"), &[]).await;
        assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(reply.content_type, PROBLEM);
        // In the caller's language.
        let reply = api.send(Method::PUT, "/api/v1/people", Some(&token), Body::empty(), &[("accept-language", "tr")]).await;
        assert_eq!(reply.body["title"], "Bu yöntem burada kullanılamaz");
    }
}

/// A request that takes longer than the timeout gets 408 as a problem document.
#[tokio::test]
async fn a_request_slower_than_the_timeout_gets_a_408_problem() {
    let db = rehber_testkit::TestDb::new(rehber_testkit::Backend::Sqlite).await;
    let fx = Fixtures::new(&db);
    let config = WebConfig {
        request_timeout: std::time::Duration::from_millis(200),
        ..WebConfig::default()
    };
    let api = Api::with_config(&fx.app, config);
    let token = api.token_for(&fx.admin().await).await;
    // A body that never ends: its sender is kept and sends nothing.
    let (_sender, body) = Channel::<Bytes>::new(1);
    let body = Body::new(body);
    let reply = api
        .send(
            Method::POST,
            "/api/v1/people",
            Some(&token),
            body,
            &[("content-type", "application/json")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::REQUEST_TIMEOUT);
    assert_eq!(reply.content_type, PROBLEM);
    db.cleanup().await;
}

/// An upload has its own, longer time: a file arriving slowly over a phone's connection is
/// not cut off by the time other requests get, but one that never ends still is.
#[tokio::test]
async fn an_upload_slower_than_a_request_may_be_still_arrives_within_the_upload_time() {
    let db = rehber_testkit::TestDb::new(rehber_testkit::Backend::Sqlite).await;
    let fx = Fixtures::new(&db);
    let config = WebConfig {
        request_timeout: std::time::Duration::from_millis(200),
        upload_timeout: std::time::Duration::from_millis(1500),
        ..WebConfig::default()
    };
    let api = Api::with_config(&fx.app, config);
    let admin = fx.admin().await;
    let token = api.token_for(&admin).await;
    let person = PersonBuilder::new("Işık", "Çağlar")
        .create(&fx.app, &admin.actor())
        .await;
    let uri = format!("/api/v1/people/{}/attachments", person.id.0);
    let content_type = "multipart/form-data; boundary=yavas";
    let head = "--yavas\r\nContent-Disposition: form-data; name=\"file\"; filename=\"not.txt\"\r\nContent-Type: text/plain\r\n\r\nilk yarı, ";
    let tail = "ikinci yarı\r\n--yavas--\r\n";

    let (mut sender, body) = Channel::<Bytes>::new(2);
    let slow = tokio::spawn(async move {
        sender.send_data(Bytes::from(head)).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        sender.send_data(Bytes::from(tail)).await.unwrap();
    });
    let reply = api
        .send(
            Method::POST,
            &uri,
            Some(&token),
            Body::new(body),
            &[("content-type", content_type)],
        )
        .await;
    slow.await.unwrap();
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    assert_eq!(reply.body["size"], "ilk yarı, ikinci yarı".len());

    let (_sender, endless) = Channel::<Bytes>::new(1);
    let reply = api
        .send(
            Method::POST,
            &uri,
            Some(&token),
            Body::new(endless),
            &[("content-type", content_type)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::REQUEST_TIMEOUT);
    assert_eq!(reply.content_type, PROBLEM);
    db.cleanup().await;
}
