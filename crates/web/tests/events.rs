//! The event stream (`GET /api/v1/events`) on SQLite and PostgreSQL: a change reaches the
//! streams of those who may see it within two seconds and never anyone else's; a browser
//! session opens it as a token does; a user holds at most eight; and with two Rehber
//! instances on one PostgreSQL database, a change made through one reaches a stream opened
//! on the other.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::Api;
use common::browser::Browser;
use common::server::TestServer;
use http_body_util::BodyExt;
use rehber_domain::Role;
use rehber_testkit::{Backend, Fixtures, PASSWORD, TestDb, both_backends, test_app};
use serde_json::{Value, json};
use std::time::Duration;

/// Within this, a change must reach a stream.
const WITHIN: Duration = Duration::from_secs(2);

/// An open event stream, read message by message.
struct Stream {
    body: Body,
    buffer: String,
}

/// One message: its `event:` name (empty for a change) and its `data`.
#[derive(Debug)]
struct Message {
    event: String,
    data: Value,
}

impl Stream {
    async fn open(server: &TestServer, token: &str) -> Stream {
        let request = Request::get("/api/v1/events")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        let response = server.open(request).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "text/event-stream"
        );
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-cache");
        Stream {
            body: response.into_body(),
            buffer: String::new(),
        }
    }

    /// The next message within `wait`, skipping keep-alive comments.
    async fn next(&mut self, wait: Duration) -> Option<Message> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = String::new();
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(name) = line.strip_prefix("event:") {
                        event = name.trim().to_string();
                    } else if let Some(text) = line.strip_prefix("data:") {
                        data.push_str(text.trim());
                    }
                }
                if data.is_empty() && event.is_empty() {
                    continue; // a comment (keep-alive)
                }
                return Some(Message {
                    event,
                    data: serde_json::from_str(&data).unwrap(),
                });
            }
            let frame = tokio::time::timeout_at(deadline, self.body.frame())
                .await
                .ok()??
                .ok()?;
            if let Ok(bytes) = frame.into_data() {
                self.buffer.push_str(&String::from_utf8_lossy(&bytes));
            }
        }
    }

    /// The next change (skipping resyncs) within `wait`.
    async fn next_change(&mut self, wait: Duration) -> Option<Value> {
        loop {
            let message = self.next(wait).await?;
            if message.event.is_empty() {
                return Some(message.data);
            }
        }
    }
}

/// On PostgreSQL, waits until the server's relay listens for the database's events.
async fn ready(server: &TestServer, db: &TestDb) {
    if db.backend() == Backend::Postgres {
        for _ in 0..100 {
            if server.app.events.listening() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the relay never listened");
    }
}

both_backends! {
    async fn a_change_reaches_the_streams_that_may_see_it_within_two_seconds_and_no_other(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let manager = fx.user("manager-n", Role::SalesManager, Some("Kuzey")).await;
        let api = Api::new(&fx.app);
        let (a, b, m) = (api.token_for(&rep_a).await, api.token_for(&rep_b).await, api.token_for(&manager).await);
        let mut stream_a = Stream::open(&api.server, &a).await;
        let mut stream_b = Stream::open(&api.server, &b).await;
        let mut stream_m = Stream::open(&api.server, &m).await;
        ready(&api.server, db).await;

        let started = tokio::time::Instant::now();
        let created = api.call(Method::POST, "/api/v1/people", Some(&a), Some(json!({"first_name": "Sevgi", "last_name": "Öztürk"}))).await;
        assert_eq!(created.status, StatusCode::CREATED);
        let person = created.body["id"].as_i64().unwrap();
        let seen = stream_a.next_change(WITHIN).await.expect("within two seconds");
        assert!(started.elapsed() < WITHIN);
        assert_eq!(seen, json!({"type": "record.created", "record_type": "person", "id": person, "records": [{"record_type": "person", "record_id": person}]}));
        let by_manager = stream_m.next_change(WITHIN).await.unwrap();
        assert_eq!(by_manager["id"], person, "the team's manager sees it");

        // A call and a comment on rep A's customer: only those who see the customer hear.
        let call = api.call(Method::POST, "/api/v1/activities", Some(&a), Some(json!({
            "kind": "call", "subject": "Fiyat", "starts_at": "2026-12-04T10:00:00Z",
            "links": [{"record_type": "person", "record_id": person}]
        }))).await;
        let call_id = call.body["id"].as_i64().unwrap();
        let heard = stream_a.next_change(WITHIN).await.unwrap();
        assert_eq!((heard["type"].as_str(), heard["id"].as_i64()), (Some("activity.created"), Some(call_id)));
        api.call(Method::POST, &format!("/api/v1/people/{person}/comments"), Some(&a), Some(json!({"body": "@manager-n bakar mısın?", "mentions": [manager.id.0]}))).await;
        let comment = stream_a.next_change(WITHIN).await.unwrap();
        assert_eq!(comment["type"], "comment.created", "the author's own page hears of it; the notification is the manager's alone");
        let mut manager_heard = Vec::new();
        for _ in 0..3 {
            let change = stream_m.next_change(WITHIN).await.unwrap();
            manager_heard.push(change["type"].as_str().unwrap().to_string());
        }
        manager_heard.sort();
        assert_eq!(manager_heard, ["activity.created", "comment.created", "notification"]);

        // Rep B hears of nothing of that: the first change B's stream carries is B's own.
        let own = api.call(Method::POST, "/api/v1/people", Some(&b), Some(json!({"first_name": "Bora", "last_name": "Ak"}))).await;
        let first_for_b = stream_b.next_change(WITHIN).await.unwrap();
        assert_eq!((first_for_b["type"].as_str(), first_for_b["id"].as_i64()), (Some("record.created"), own.body["id"].as_i64()));
        assert!(stream_b.next_change(Duration::from_millis(300)).await.is_none());
        let for_a = stream_a.next_change(Duration::from_millis(300)).await;
        assert!(for_a.is_none(), "rep A hears nothing of rep B's customer: {for_a:?}");
    }

    async fn a_browser_session_opens_the_stream_and_a_user_holds_at_most_eight(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let server = TestServer::spawn(&fx.app);
        let browser = Browser::signed_in(&server, &rep, PASSWORD).await;
        let cookie = browser.cookie("rehber_session").expect("signed in");
        let mut open = Vec::new();
        for _ in 0..8 {
            let request = Request::get("/api/v1/events").header(header::COOKIE, format!("rehber_session={cookie}")).body(Body::empty()).unwrap();
            let response = server.open(request).await;
            assert_eq!(response.status(), StatusCode::OK);
            open.push(response);
        }
        let ninth = server.send(Request::get("/api/v1/events").header(header::COOKIE, format!("rehber_session={cookie}")).body(Body::empty()).unwrap()).await;
        assert_eq!(ninth.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(ninth.headers()[header::CONTENT_TYPE], "application/problem+json");
        drop(open.pop());
        // The closed stream's place is free once the server notices.
        let mut reopened = false;
        for _ in 0..50 {
            let again = server.open(Request::get("/api/v1/events").header(header::COOKIE, format!("rehber_session={cookie}")).body(Body::empty()).unwrap()).await;
            if again.status() == StatusCode::OK {
                reopened = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(reopened);
        let anonymous = server.send(Request::get("/api/v1/events").body(Body::empty()).unwrap()).await;
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    }
}

/// Two instances on one PostgreSQL database: what one writes reaches the other's streams.
#[tokio::test]
async fn change_on_instance_a_reaches_sse_client_on_instance_b() {
    let db = TestDb::new(Backend::Postgres).await;
    {
        let fx = Fixtures::new(&db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let instance_a = Api::new(&fx.app);
        let instance_b = TestServer::spawn(&test_app(&db));
        let token = instance_a.token_for(&rep).await;
        let mut stream = Stream::open(&instance_b, &token).await;
        ready(&instance_b, &db).await;
        let started = tokio::time::Instant::now();
        let created = instance_a
            .call(
                Method::POST,
                "/api/v1/companies",
                Some(&token),
                Some(json!({"name": "Güney Gıda"})),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED);
        let heard = stream
            .next_change(WITHIN)
            .await
            .expect("within two seconds, on the other instance");
        assert!(started.elapsed() < WITHIN);
        assert_eq!(
            (
                heard["type"].as_str(),
                heard["record_type"].as_str(),
                heard["id"].as_i64()
            ),
            (
                Some("record.created"),
                Some("company"),
                created.body["id"].as_i64()
            )
        );
    }
    db.cleanup().await;
}
