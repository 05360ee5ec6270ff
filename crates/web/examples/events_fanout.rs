//! Benchmark of the event stream's fan-out: serves Rehber (the real router and event relay)
//! on a throwaway database, opens 500 streams (`GET /api/v1/events`) as 63 administrators
//! (at most 8 streams per user), then creates 200 people one after the other, 20 ms apart,
//! and measures how long each change takes to reach every stream: from the start of the
//! write to the moment a stream has read the event.
//!
//! ```text
//! cargo run --release -p rehber-web --example events_fanout -- sqlite
//! cargo run --release -p rehber-web --example events_fanout -- postgres [STREAMS] [WRITES]
//! ```
//!
//! PostgreSQL runs at 127.0.0.1:5432 with trust authentication (`REHBER_TEST_POSTGRES_URL`
//! overrides); events travel through `NOTIFY` and the instance's listener, as with several
//! instances. Prints a Markdown table row for docs/benchmarks.md.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use axum::body::Body;
use axum::http::{Request, header};
use http_body_util::BodyExt;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use rehber_app::users::UserInput;
use rehber_domain::party::People;
use rehber_testkit::{Backend, TestDb, test_app};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// When each stream read each person's `record.created`, by person id.
type Arrivals = Arc<Mutex<HashMap<i64, Vec<Instant>>>>;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let backend = match args.next().as_deref() {
        Some("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    };
    let streams: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(500);
    let writes: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let db = TestDb::new(backend).await;
    let app = test_app(&db);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = rehber_web::router(app.clone(), rehber_web::WebConfig::default());
    tokio::spawn(rehber_web::listener::serve(
        listener,
        router,
        std::future::pending(),
    ));
    let relaying = app.clone();
    tokio::spawn(async move { relaying.relay_events().await });

    // 8 streams per user: enough administrators for every stream.
    let users = streams.div_ceil(rehber_app::events::MAX_STREAMS_PER_USER);
    let mut tokens = Vec::new();
    for n in 0..users {
        let created = app
            .create_user(
                None,
                &UserInput {
                    email: format!("yonetici{n}@rehber.test"),
                    name: format!("Yönetici {n}"),
                    role: "administrator".into(),
                    team: String::new(),
                    password: "Gizli-Parola-2024".into(),
                },
            )
            .await
            .unwrap();
        tokens.push(
            app.issue_token(&created.user, "bench")
                .await
                .unwrap()
                .secret,
        );
    }
    let writer = app.user_by_email("yonetici0@rehber.test").await.unwrap();

    let arrivals: Arrivals = Arc::default();
    let client: Client<_, Body> = Client::builder(TokioExecutor::new()).build_http();
    let opened = Instant::now();
    for n in 0..streams {
        let request = Request::get(format!("http://{addr}/api/v1/events"))
            .header(header::AUTHORIZATION, format!("Bearer {}", tokens[n / 8]))
            .body(Body::empty())
            .unwrap();
        let response = client.request(request).await.unwrap();
        assert!(
            response.status().is_success(),
            "stream {n}: {}",
            response.status()
        );
        let arrivals = arrivals.clone();
        tokio::spawn(async move {
            let mut body = response.into_body();
            let mut buffer = String::new();
            while let Some(Ok(frame)) = body.frame().await {
                let now = Instant::now();
                let Ok(bytes) = frame.into_data() else {
                    continue;
                };
                buffer.push_str(&String::from_utf8_lossy(&bytes));
                while let Some(end) = buffer.find("\n\n") {
                    let block: String = buffer.drain(..end + 2).collect();
                    let Some(data) = block.lines().find_map(|l| l.strip_prefix("data:")) else {
                        continue;
                    };
                    let Ok(event) = serde_json::from_str::<serde_json::Value>(data.trim()) else {
                        continue;
                    };
                    if event["type"] == "record.created"
                        && let Some(id) = event["id"].as_i64()
                    {
                        arrivals.lock().unwrap().entry(id).or_default().push(now);
                    }
                }
            }
        });
    }
    let open_time = opened.elapsed();
    while backend == Backend::Postgres && !app.events.listening() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;

    let mut started: HashMap<i64, Instant> = HashMap::new();
    let actor = writer.actor();
    for n in 0..writes {
        let at = Instant::now();
        let patch = rehber_domain::party::PersonPatch {
            first_name: Some(format!("Kişi{n}")),
            last_name: Some("Yayın".into()),
            ..Default::default()
        };
        let person = app
            .create::<People>(&actor, patch, Default::default())
            .await
            .unwrap();
        started.insert(person.id.0, at);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let expected = streams * writes;
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let delivered: usize = arrivals.lock().unwrap().values().map(Vec::len).sum();
        if delivered >= expected || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let mut latencies: Vec<Duration> = Vec::with_capacity(expected);
    for (id, times) in arrivals.lock().unwrap().iter() {
        if let Some(start) = started.get(id) {
            latencies.extend(times.iter().map(|t| t.saturating_duration_since(*start)));
        }
    }
    latencies.sort();
    let pick = |q: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * q).round() as usize)
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "| {} | {streams} | {writes} | {} of {expected} | {:.1} | {:.1} | {:.1} | {:.1} | {:.2} s |",
        match backend {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        },
        latencies.len(),
        pick(0.5),
        pick(0.95),
        pick(0.99),
        pick(1.0),
        open_time.as_secs_f64(),
    );
    db.cleanup().await;
}
