//! Measures lead scoring on the demo company: every score worked out again (the night's
//! job, and the job after a change of the rules) with the default rules and a field rule on
//! a custom field, first when every score changes and then when none does, and one
//! person's score on save.
//!
//! ```text
//! cargo run --release -p rehber-web --example scoring_recalc -- sqlite 100000
//! cargo run --release -p rehber-web --example scoring_recalc -- postgres 100000
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use rehber_app::demo::DemoOptions;
use rehber_domain::activity::ActivityInput;
use rehber_domain::party::People;
use rehber_domain::scoring::RuleDraft;
use rehber_testkit::{Backend, Fixtures, TestDb};
use serde_json::json;
use std::time::Instant;

#[tokio::main]
async fn main() {
    let backend = match std::env::args().nth(1).as_deref() {
        Some("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    };
    let people: usize = std::env::args()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let db = TestDb::new(backend).await;
    let fx = Fixtures::new(&db);
    let app = fx.app.clone();
    let admin = fx.admin().await.actor();
    let started = Instant::now();
    app.generate_demo(
        &DemoOptions {
            people,
            ..DemoOptions::default()
        },
        &mut |_| {},
    )
    .await
    .expect("demo data");
    println!(
        "demo data: {people} people in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // A meeting with every 50th person, three days ago.
    let started = Instant::now();
    let three_days_ago =
        (jiff::Timestamp::now() - jiff::SignedDuration::from_hours(72)).to_string();
    let mut meetings = 0;
    for id in (1..=people as i64).step_by(50) {
        let input = ActivityInput {
            kind: "meeting".into(),
            status: "done".into(),
            subject: "Ziyaret".into(),
            starts_at: three_days_ago.clone(),
            outcome: "held".into(),
            links: vec![("person".into(), id)],
            ..ActivityInput::default()
        };
        if app.create_activity(&admin, &input).await.is_ok() {
            meetings += 1;
        }
    }
    println!(
        "{meetings} meetings logged in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let field = RuleDraft {
        record_type: "person".into(),
        name: "Müşteri".into(),
        kind: "field".into(),
        condition: json!({"any": [{"field": "lifecycle_stage", "op": "eq", "value": "customer"},
                                  {"field": "city", "op": "eq", "value": "İzmir"}]}),
        window_days: None,
        points: Some(30),
        active: true,
    };
    app.create_scoring_rule(&admin, &field).await.expect("rule");

    for pass in ["every score changes", "no score changes"] {
        let started = Instant::now();
        let scored = app.rescore_everyone(None).await.expect("recalculation");
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "{backend:?}, {pass}: {scored} records in {seconds:.1} s ({:.0} records/s)",
            scored as f64 / seconds
        );
    }

    let mut timings = Vec::new();
    for id in (1..=people as i64).step_by((people / 200).max(1)).take(200) {
        let person = rehber_domain::PersonId(id);
        let started = Instant::now();
        let patch = rehber_domain::party::PersonPatch {
            notes: Some(format!("Not {id}")),
            ..Default::default()
        };
        if app
            .update::<People>(&admin, person, None, patch, Default::default())
            .await
            .is_ok()
        {
            timings.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    timings.sort_by(f64::total_cmp);
    let at = |q: f64| timings[((timings.len() as f64 - 1.0) * q) as usize];
    println!(
        "{backend:?}, a person saved and scored ({} saves): p50 {:.2} ms, p99 {:.2} ms",
        timings.len(),
        at(0.5),
        at(0.99)
    );
    db.cleanup().await;
}
