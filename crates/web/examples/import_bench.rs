//! Measures an import of many people from a Turkish Excel CSV (windows-1254, `;`): the
//! upload (read and mapped), the check of every row, the commit of all of them in one
//! transaction, and then the people list of that size written as XLSX. Then a second file
//! of the same people with a job title and another city, imported updating the matches
//! (check, commit, and the undo putting every record back); last, the undo of an import of a
//! fifth as many new people (each record looked up for links made since).
//!
//! ```text
//! cargo run --release -p rehber-web --example import_bench -- sqlite 100000
//! cargo run --release -p rehber-web --example import_bench -- postgres 100000
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use axum::body::Bytes;
use rehber_app::imports::{ImportOptions, OnMatch};
use rehber_app::list::ListRequest;
use rehber_domain::import::ImportKind;
use rehber_testkit::{Backend, Fixtures, TestDb};
use rehber_web::export::{ExportFormat, ExportKind, export_list};
use rehber_web::i18n::Lang;
use rehber_web::imports::lexicon;
use std::time::Instant;

const CITIES: [&str; 8] = [
    "İstanbul",
    "Ankara",
    "İzmir",
    "Bursa",
    "Antalya",
    "Muğla",
    "Eskişehir",
    "Diyarbakır",
];
const FIRST: [&str; 8] = [
    "Işıl", "Çağlar", "Şükrü", "Ayşe", "Ümit", "Gül", "İbrahim", "Öykü",
];
const LAST: [&str; 8] = [
    "Çelik", "Öztürk", "Yılmaz", "Kaya", "Güneş", "Şahin", "Aydın", "Işık",
];

/// A file of `rows` people (numbered from `from`) as Excel on a Turkish Windows saves it.
fn people_file(from: usize, rows: usize) -> Vec<u8> {
    let mut text = String::from("Adı;Soyadı;E-posta;GSM;İl;İlçe;Doğum Tarihi;Etiket;Aşama\r\n");
    for i in from..from + rows {
        let day = 1 + i % 28;
        let month = 1 + i % 12;
        text.push_str(&format!(
            "{};{};kisi{i}@ornek.com.tr;05{:09};{};Merkez;{day:02}.{month:02}.19{};müşteri adayı;Aday\r\n",
            FIRST[i % 8],
            LAST[(i / 8) % 8],
            320_000_000 + i,
            CITIES[i % 8],
            50 + i % 50,
        ));
    }
    let (bytes, _, _) = encoding_rs::WINDOWS_1254.encode(&text);
    bytes.into_owned()
}

/// The same people with a job title and another city: every row updates its record.
fn update_file(rows: usize) -> Vec<u8> {
    let mut text = String::from("Adı;Soyadı;E-posta;Unvan;İl\r\n");
    for i in 0..rows {
        text.push_str(&format!(
            "{};{};kisi{i}@ornek.com.tr;Satın alma;{}\r\n",
            FIRST[i % 8],
            LAST[(i / 8) % 8],
            CITIES[(i + 1) % 8],
        ));
    }
    let (bytes, _, _) = encoding_rs::WINDOWS_1254.encode(&text);
    bytes.into_owned()
}

/// Seconds since `started`.
fn since(started: Instant) -> f64 {
    started.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let backend = match std::env::args().nth(1).as_deref() {
        Some("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    };
    let rows: usize = std::env::args()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let db = TestDb::new(backend).await;
    let fx = Fixtures::new(&db);
    let app = fx.app.clone();
    let admin = fx.admin().await;
    let actor = admin.actor();
    let bytes = Bytes::from(people_file(0, rows));
    println!(
        "{backend:?}: {rows} people, a {:.1} MB windows-1254 CSV",
        bytes.len() as f64 / 1e6
    );

    let started = Instant::now();
    let import = app
        .upload_import(
            &actor,
            ImportKind::People,
            "kisiler.csv",
            bytes,
            &ImportOptions::default(),
        )
        .await
        .expect("upload");
    println!(
        "upload (stored, read, mapped): {:.2} s",
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let checked = app
        .check_import(&actor, import.id, lexicon())
        .await
        .expect("check");
    let check = started.elapsed().as_secs_f64();
    println!(
        "check: {check:.2} s ({:.0} rows/s); {} ok, {} errors",
        rows as f64 / check,
        checked.counts.ok,
        checked.counts.errors
    );
    assert_eq!(checked.counts.errors, 0, "{:?}", checked.report.first());

    let started = Instant::now();
    let committed = app
        .commit_import(&actor, import.id, lexicon(), false)
        .await
        .expect("commit");
    let commit = started.elapsed().as_secs_f64();
    println!(
        "commit (checked again, then written in one transaction): {commit:.2} s ({:.0} rows/s); {} created",
        rows as f64 / commit,
        committed.rows_created
    );

    let started = Instant::now();
    let file = export_list(
        &app,
        Lang::Tr,
        &actor,
        ExportKind::People,
        &ListRequest::default(),
        ExportFormat::Xlsx,
        "",
    )
    .await
    .expect("export");
    println!(
        "export of {} people as XLSX: {:.2} s, {:.1} MB",
        file.rows,
        started.elapsed().as_secs_f64(),
        file.bytes.len() as f64 / 1e6
    );

    let options = ImportOptions {
        on_match: OnMatch::Update,
        ..ImportOptions::default()
    };
    let bytes = Bytes::from(update_file(rows));
    let update = app
        .upload_import(&actor, ImportKind::People, "guncel.csv", bytes, &options)
        .await
        .expect("upload of the updates");
    let started = Instant::now();
    let checked = app
        .check_import(&actor, update.id, lexicon())
        .await
        .expect("check of the updates");
    let check = since(started);
    println!(
        "update check: {check:.2} s ({:.0} rows/s); {} updates, {} errors",
        rows as f64 / check,
        checked.counts.updates,
        checked.counts.errors
    );
    assert_eq!(checked.counts.updates as usize, rows);
    let started = Instant::now();
    let committed = app
        .commit_import(&actor, update.id, lexicon(), false)
        .await
        .expect("commit of the updates");
    let commit = since(started);
    println!(
        "update commit: {commit:.2} s ({:.0} rows/s); {} updated",
        rows as f64 / commit,
        committed.rows_updated
    );
    let started = Instant::now();
    let (_, undone) = app
        .undo_import(&actor, update.id)
        .await
        .expect("undo of the updates");
    println!(
        "undo of the updates: {:.2} s; {} put back, {} kept",
        since(started),
        undone.restored,
        undone.kept
    );

    let more = rows / 5;
    let bytes = Bytes::from(people_file(rows, more));
    let created = app
        .upload_import(
            &actor,
            ImportKind::People,
            "yeni.csv",
            bytes,
            &ImportOptions::default(),
        )
        .await
        .expect("upload of new people");
    app.check_import(&actor, created.id, lexicon())
        .await
        .expect("check of new people");
    app.commit_import(&actor, created.id, lexicon(), false)
        .await
        .expect("commit of new people");
    let started = Instant::now();
    let (_, undone) = app
        .undo_import(&actor, created.id)
        .await
        .expect("undo of new people");
    println!(
        "undo of {more} new people: {:.2} s; {} trashed, {} kept",
        since(started),
        undone.trashed,
        undone.kept
    );
    db.cleanup().await;
}
