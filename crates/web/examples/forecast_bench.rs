//! Measures the forecast over many deals: 100,000 deals of 20 reps in two teams, spread
//! over three years of expected closes (about 8,000 in a quarter) across every stage, some
//! in US dollars, on 1,000 customers; the quarter's forecast for everyone (an
//! administrator), for a team (its manager) and for one rep, and a month's for a rep.
//!
//! ```text
//! cargo run --release -p rehber-web --example forecast_bench -- sqlite
//! cargo run --release -p rehber-web --example forecast_bench -- postgres
//! ```
//!
//! The deals are written with one SQL statement (a recursive row generator), not through
//! the services: the point is reading them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use rehber_app::demo::DemoOptions;
use rehber_domain::Role;
use rehber_domain::target::{PeriodKind, TargetForm};
use rehber_testkit::{Backend, Fixtures, TestDb};
use std::time::Instant;

#[path = "common/timing.rs"]
mod timing;
use timing::time;

const DEALS: i64 = 100_000;
const REPS: i64 = 20;
const RUNS: usize = 30;

#[tokio::main]
async fn main() {
    let backend = match std::env::args().nth(1).as_deref() {
        Some("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    };
    let db = TestDb::new(backend).await;
    let fx = Fixtures::new(&db);
    let app = fx.app.clone();
    let admin = fx.admin().await;
    app.generate_demo(
        &DemoOptions {
            people: 6_000,
            ..DemoOptions::default()
        },
        &mut |_| {},
    )
    .await
    .expect("demo data");
    let manager = fx
        .user("bench-manager", Role::SalesManager, Some("Kuzey"))
        .await;
    let mut reps = Vec::new();
    for n in 0..REPS {
        let team = if n % 2 == 0 { "Kuzey" } else { "Güney" };
        reps.push(
            fx.user(&format!("bench-rep-{n}"), Role::SalesRep, Some(team))
                .await,
        );
    }
    let first = reps[0].id.0;
    assert!(
        reps.iter()
            .enumerate()
            .all(|(n, r)| r.id.0 == first + n as i64),
        "the reps' ids follow each other"
    );
    let (kuzey, guney) = (reps[0].team_id.unwrap().0, reps[1].team_id.unwrap().0);

    let started = Instant::now();
    let close = match backend {
        Backend::Sqlite => "date('2024-01-01', '+' || (i % 1095) || ' days')".to_string(),
        Backend::Postgres => "to_char(DATE '2024-01-01' + (i % 1095)::int, 'YYYY-MM-DD')".into(),
    };
    db.execute(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {DEALS}) \
         INSERT INTO deals (name, sort_key, search_key, pipeline_id, stage_id, amount_minor, currency, \
         probability, expected_close, company_id, lost_note, forecast_category, stage_entered_on, tags, \
         notes, owner_id, team_id, version, created_at, updated_at) \
         SELECT 'Fırsat ' || i, 'firsat ' || i, 'firsat ' || i, \
         (SELECT MIN(id) FROM pipelines), \
         (SELECT id FROM pipeline_stages WHERE position = 1 + i % 6 AND pipeline_id = (SELECT MIN(id) FROM pipelines)), \
         100000 + (i % 97) * 10000, CASE WHEN i % 10 = 0 THEN 'USD' ELSE 'TRY' END, \
         NULL, {close}, 1 + i % 1000, '', \
         CASE i % 4 WHEN 0 THEN 'commit' WHEN 1 THEN 'best_case' ELSE NULL END, {close}, '[]', '', \
         {first} + i % {REPS}, CASE WHEN i % 2 = 0 THEN {kuzey} ELSE {guney} END, 1, 0, 0 FROM n"
    ))
    .await;
    if backend == Backend::Postgres {
        db.execute("ANALYZE").await;
    }
    println!(
        "{DEALS} deals written in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    app.put_rate(&admin.actor(), "USD", &app.today().to_string(), "42,50")
        .await
        .unwrap();
    let quarter_day = "2026-11-15".parse().unwrap();
    let form = TargetForm {
        period_start: "2026-10-01".into(),
        period_end: "2026-12-31".into(),
        user_id: first.to_string(),
        metric: "won_amount".into(),
        target: "5000000".into(),
        ..TargetForm::default()
    };
    app.create_target(&admin.actor(), &form).await.unwrap();

    let cases = [
        (
            "everyone (administrator)",
            admin.actor(),
            None,
            PeriodKind::Quarter,
        ),
        (
            "a team (its manager)",
            manager.actor(),
            None,
            PeriodKind::Quarter,
        ),
        ("one rep", reps[0].actor(), None, PeriodKind::Quarter),
        ("one rep, a month", reps[0].actor(), None, PeriodKind::Month),
    ];
    for (name, actor, subject, kind) in cases {
        let (p50, p99) = time(RUNS, || async {
            let forecast = app
                .forecast(&actor, kind, quarter_day, subject)
                .await
                .unwrap();
            assert!(forecast.total.closed_won > 0 && forecast.overdue_count > 0);
        })
        .await;
        println!("forecast, {name}: p50 {p50:.1} ms, p99 {p99:.1} ms");
    }
    db.cleanup().await;
}
