//! Serves Rehber's web UI on a throw-away SQLite database filled with the demo company, for
//! looking at the record pages while the server binary is not at hand:
//!
//! ```text
//! cargo run -p rehber-web --example records_demo -- 127.0.0.1:8092
//! ```
//!
//! Signs in as `admin@rehber.test` or `rep@rehber.test` with the password
//! `Gizli-Parola-2024` (the demo staff get a generated one, printed at start).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use rehber_app::users::UserInput;
use rehber_app::{App, Settings};

#[tokio::main]
async fn main() {
    let listen = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8092".to_string());
    let path = std::env::temp_dir().join(format!("rehber-records-demo-{}.db", std::process::id()));
    let store = rehber_store::Store::connect(&format!("sqlite://{}", path.display()), 5)
        .await
        .expect("database");
    store.migrate().await.expect("migrations");
    let app = App::new(
        store,
        Settings {
            fast_password_hashing: true,
            ..Settings::default()
        },
    );
    let report = app
        .generate_demo(&rehber_app::demo::DemoOptions::default(), &mut |_| {})
        .await
        .expect("demo data");
    for (email, role, team) in [
        ("admin@rehber.test", "administrator", ""),
        ("rep@rehber.test", "sales_rep", "Satış İstanbul"),
        ("manager@rehber.test", "sales_manager", "Satış İstanbul"),
    ] {
        app.create_user(
            None,
            &UserInput {
                email: email.to_string(),
                name: email.split('@').next().unwrap_or(email).to_string(),
                role: role.to_string(),
                team: team.to_string(),
                password: "Gizli-Parola-2024".to_string(),
            },
        )
        .await
        .expect("user");
    }
    println!(
        "{} people, {} companies in {}; demo staff password {}",
        report.people,
        report.companies,
        path.display(),
        report.password
    );
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .expect("listen");
    println!("listening on http://{listen}");
    axum::serve(
        listener,
        rehber_web::router(app, rehber_web::WebConfig::default()),
    )
    .await
    .expect("serve");
}
