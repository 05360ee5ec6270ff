//! Measures the customer ledger on a large account and many customers: the statement of one
//! company with 100,000 entries (its first and last page, the whole period at once, and one
//! month of it), aging as of today
//! over every account (10,000 customers with five invoices each, some paid in part) as an
//! administrator and as a sales rep, and taking a payment allocated oldest-first.
//!
//! ```text
//! cargo run --release -p rehber-web --example ledger_bench -- sqlite
//! cargo run --release -p rehber-web --example ledger_bench -- postgres
//! ```
//!
//! The entries, invoices and payments are written with one SQL statement each (a recursive
//! row generator), not through the services: the point is reading them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use rehber_app::demo::DemoOptions;
use rehber_app::ledger::PaymentDraft;
use rehber_domain::ledger::Account;
use rehber_domain::{CompanyId, Role};
use rehber_testkit::{Backend, Fixtures, TestDb};
use std::time::Instant;

#[path = "common/timing.rs"]
mod timing;
use timing::time;

const ENTRIES: i64 = 100_000;
const CUSTOMERS: i64 = 10_000;
const RUNS: usize = 100;
/// Entries on a page of the statement (the API's default).
const PAGE: u32 = 1_000;

/// `n` rows numbered 1… as `n(i)`.
fn series(n: i64) -> String {
    format!("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n})")
}

/// The date `days` after 2024-01-01, as ISO text, in each dialect.
fn date_plus(backend: Backend, days: &str) -> String {
    match backend {
        Backend::Sqlite => format!("date('2024-01-01', '+' || ({days}) || ' days')"),
        Backend::Postgres => format!("to_char(DATE '2024-01-01' + ({days})::int, 'YYYY-MM-DD')"),
    }
}

#[tokio::main]
async fn main() {
    let backend = match std::env::args().nth(1).as_deref() {
        Some("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    };
    let db = TestDb::new(backend).await;
    let fx = Fixtures::new(&db);
    let app = fx.app.clone();
    let admin_user = fx.admin().await;
    let admin = admin_user.actor();
    let started = Instant::now();
    app.generate_demo(
        &DemoOptions {
            people: 61_000,
            ..DemoOptions::default()
        },
        &mut |_| {},
    )
    .await
    .expect("demo data");
    println!("demo data in {:.1} s", started.elapsed().as_secs_f64());

    // One company's 100,000 entries: invoices and payments alternating, 100 a day
    // (2024-01-01 to 2026-09-27).
    let started = Instant::now();
    let day = date_plus(backend, "i / 100");
    db.execute(&format!(
        "{} INSERT INTO ledger_entries (company_id, currency, entry_date, kind, document, description, \
         due_date, debit_minor, credit_minor, created_at) \
         SELECT 1, 'TRY', {day}, CASE WHEN i % 2 = 0 THEN 'invoice' ELSE 'payment' END, \
         'DOC-' || i, '', NULL, CASE WHEN i % 2 = 0 THEN 125000 ELSE 0 END, \
         CASE WHEN i % 2 = 0 THEN 0 ELSE 100000 END, 0 FROM n",
        series(ENTRIES)
    ))
    .await;
    println!(
        "{ENTRIES} entries written in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // 10,000 customers (companies 2…) with five posted invoices each, and one payment each
    // allocated to its first invoice.
    let started = Instant::now();
    let invoices = CUSTOMERS * 5;
    let issue = date_plus(backend, "(i % 700)");
    let due = date_plus(backend, "(i % 700) + 30");
    db.execute(&format!(
        "{} INSERT INTO invoices (kind, number, status, company_id, currency, issue_date, due_date, \
         subtotal_minor, discount_minor, net_minor, vat_minor, gross_minor, posted_at, created_at, updated_at) \
         SELECT 'invoice', 'FTR-B-' || i, 'posted', 2 + (i - 1) / 5, 'TRY', {issue}, {due}, \
         100000, 0, 100000, 20000, 120000, 1, 0, 0 FROM n",
        series(invoices)
    ))
    .await;
    db.execute(
        "INSERT INTO ledger_entries (company_id, currency, entry_date, kind, document, description, \
         due_date, debit_minor, credit_minor, invoice_id, created_at) \
         SELECT company_id, currency, issue_date, 'invoice', number, '', due_date, gross_minor, 0, id, 0 \
         FROM invoices WHERE number LIKE 'FTR-B-%'",
    )
    .await;
    db.execute(&format!(
        "{} INSERT INTO payments (number, company_id, currency, amount_minor, method, received_at, created_at) \
         SELECT 'THS-B-' || i, 1 + i, 'TRY', 150000, 'transfer', {}, 0 FROM n",
        series(CUSTOMERS),
        date_plus(backend, "(i % 700) + 10")
    ))
    .await;
    db.execute(
        "INSERT INTO payment_allocations (payment_id, invoice_id, amount_minor) \
         SELECT p.id, (SELECT MIN(i.id) FROM invoices i WHERE i.company_id = p.company_id), 120000 \
         FROM payments p WHERE p.number LIKE 'THS-B-%'",
    )
    .await;
    db.execute(
        "INSERT INTO ledger_entries (company_id, currency, entry_date, kind, document, description, \
         debit_minor, credit_minor, payment_id, created_at) \
         SELECT company_id, currency, received_at, 'payment', number, '', 0, amount_minor, id, 0 \
         FROM payments WHERE number LIKE 'THS-B-%'",
    )
    .await;
    if backend == Backend::Postgres {
        // What autovacuum would have done by the time anyone reads the report: statistics,
        // and the visibility map of the freshly loaded tables.
        db.execute("VACUUM ANALYZE").await;
    }
    println!(
        "{invoices} invoices and {CUSTOMERS} payments on {CUSTOMERS} customers written in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let account = Account::Company(CompanyId(1));
    let today = app.today();
    let from = "2024-01-01".parse().unwrap();
    // The API and the account page read a long period a page at a time: the first page,
    // and the last one (which brings forward the 99,000 entries before it).
    let (p50, p99) = time(RUNS, || async {
        let page = app
            .statement_page(&admin, account, "TRY", (from, today), None, PAGE)
            .await
            .unwrap();
        assert_eq!(page.statement.lines.len(), PAGE as usize);
    })
    .await;
    println!(
        "statement, first page of {PAGE} of {ENTRIES} entries: p50 {p50:.1} ms, p99 {p99:.1} ms"
    );
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    let started = Instant::now();
    let last_cursor = loop {
        let page = app
            .statement_page(
                &admin,
                account,
                "TRY",
                (from, today),
                cursor.as_deref(),
                PAGE,
            )
            .await
            .unwrap();
        pages += 1;
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break cursor.expect("more than one page"),
        }
    };
    println!(
        "statement, all {pages} pages one after another: {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    let (p50, p99) = time(RUNS, || async {
        let page = app
            .statement_page(
                &admin,
                account,
                "TRY",
                (from, today),
                Some(&last_cursor),
                PAGE,
            )
            .await
            .unwrap();
        assert!(page.next_cursor.is_none() && page.statement.opening > 0);
    })
    .await;
    println!(
        "statement, last page of {PAGE} (balance brought forward over 99,000 entries): p50 {p50:.1} ms, p99 {p99:.1} ms"
    );
    let (p50, p99) = time(RUNS, || async {
        let s = app
            .statement(&admin, account, "TRY", from, today)
            .await
            .unwrap();
        assert_eq!(s.lines.len() as i64, ENTRIES);
    })
    .await;
    println!(
        "statement, all {ENTRIES} entries at once (the files): p50 {p50:.1} ms, p99 {p99:.1} ms"
    );
    let month_from = "2025-06-01".parse().unwrap();
    let month_to = "2025-06-30".parse().unwrap();
    let (p50, p99) = time(RUNS, || async {
        let s = app
            .statement(&admin, account, "TRY", month_from, month_to)
            .await
            .unwrap();
        assert!(s.opening > 0 && !s.lines.is_empty());
    })
    .await;
    println!(
        "statement, one month (3,000 entries, balance brought forward): p50 {p50:.1} ms, p99 {p99:.1} ms"
    );

    let (p50, p99) = time(RUNS, || async {
        let rows = app.aging(&admin, today, None).await.unwrap();
        assert!(rows.len() as i64 > CUSTOMERS);
    })
    .await;
    println!(
        "aging, every account ({} customers): p50 {p50:.1} ms, p99 {p99:.1} ms",
        CUSTOMERS + 1
    );
    let rep = fx.user("bench-rep", Role::SalesRep, None).await;
    db.execute(&format!(
        "UPDATE companies SET owner_id = {} WHERE id % 10 = 0",
        rep.id.0
    ))
    .await;
    let rep_actor = rep.actor();
    let (p50, p99) = time(RUNS, || async {
        let rows = app.aging(&rep_actor, today, None).await.unwrap();
        assert!(!rows.is_empty());
    })
    .await;
    println!("aging, a sales rep's accounts (one in ten): p50 {p50:.1} ms, p99 {p99:.1} ms");
    let (p50, p99) = time(RUNS, || async {
        app.account_summary(&admin, Account::Company(CompanyId(7)))
            .await
            .unwrap();
    })
    .await;
    println!("one customer's balance card: p50 {p50:.1} ms, p99 {p99:.1} ms");

    let mut company = 2;
    let (p50, p99) = time(200, || {
        company += 1;
        let draft = PaymentDraft {
            company_id: Some(company),
            amount_minor: Some(50_000),
            method: "cash".into(),
            ..PaymentDraft::default()
        };
        let app = app.clone();
        let admin = admin.clone();
        async move {
            app.record_payment(&admin, &draft).await.unwrap();
        }
    })
    .await;
    println!(
        "a payment taken and allocated oldest-first (200 payments): p50 {p50:.2} ms, p99 {p99:.2} ms"
    );
    db.cleanup().await;
}
