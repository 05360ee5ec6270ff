//! The test kit cleans up after itself, also after a failing test.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rehber_testkit::{Backend, TestDb};
use sqlx::Connection;

async fn database_exists(name: &str) -> bool {
    let mut admin = sqlx::PgConnection::connect(&TestDb::postgres_server_url())
        .await
        .unwrap();
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pg_database WHERE datname = $1")
        .bind(name)
        .fetch_one(&mut admin)
        .await
        .unwrap();
    count == 1
}

#[tokio::test]
async fn cleanup_drops_the_postgres_database() {
    let db = TestDb::new(Backend::Postgres).await;
    let name = db.postgres_database().unwrap().to_string();
    assert!(database_exists(&name).await);
    db.cleanup().await;
    assert!(!database_exists(&name).await);
}

#[test]
fn a_test_that_panics_still_drops_its_postgres_database() {
    let (sender, receiver) = std::sync::mpsc::channel();
    let failed = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let db = TestDb::new(Backend::Postgres).await;
            sender
                .send(db.postgres_database().unwrap().to_string())
                .unwrap();
            panic!("this panic is part of the test: the database must still be dropped");
        });
    })
    .join();
    assert!(failed.is_err());
    let name = receiver.recv().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    assert!(!runtime.block_on(database_exists(&name)));
}
