//! Backup and restore on SQLite and PostgreSQL: a demo database with custom fields,
//! attachments and ledger rows comes back table for table and file for file; a backup taken
//! while writes go on is whole; a restore refuses while a server serves the database, a
//! database that holds data without `force`, a backup of the other backend or of a newer
//! schema, and a damaged archive, changing nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::ledger::{pay, posted_invoice, today};
use common::{Api, content_type, multipart};
use rehber_app::App;
use rehber_app::backup::{BackupError, RestoreOptions, ServeLock, Target, restore};
use rehber_app::demo::DemoOptions;
use rehber_domain::Role;
use rehber_files::Files;
use rehber_store::{Backend, Store, TableDigest};
use rehber_testkit::{Fixtures, TestDb, both_backends};
use serde_json::json;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// An app on `db` whose files are kept in a folder of `dir`.
fn app_with_files(fx: &Fixtures, dir: &Path) -> App {
    let mut app = fx.app.clone();
    app.files = Files::local(&dir.join("files")).unwrap();
    app
}

fn target(db: &TestDb) -> Target {
    match db.backend() {
        Backend::Sqlite => Target::Sqlite(PathBuf::from(db.url())),
        Backend::Postgres => Target::Postgres(db.url()),
    }
}

async fn restore_into(
    db: &TestDb,
    from: &Path,
    files: &Files,
    aside: &Path,
    force: bool,
) -> Result<rehber_app::backup::RestoreReport, BackupError> {
    restore(RestoreOptions {
        from,
        target: target(db),
        files,
        aside_dir: aside,
        force,
    })
    .await
}

/// What the database at `db`'s URL holds now, read through a new connection (a restore
/// replaces what the test's own pool was opened on).
async fn digest_now(db: &TestDb) -> BTreeMap<String, TableDigest> {
    let store = Store::connect(&db.url(), 2).await.unwrap();
    let digest = store.canonical_digest().await.unwrap();
    store.close().await;
    digest
}

async fn file_bytes(files: &Files) -> BTreeMap<String, Vec<u8>> {
    use futures_util::TryStreamExt;
    let mut all = BTreeMap::new();
    for key in files.keys().await.unwrap() {
        let chunks: Vec<bytes::Bytes> = files.get(&key).await.unwrap().try_collect().await.unwrap();
        all.insert(key, chunks.concat());
    }
    all
}

/// The demo company with a custom field, two attachments, a posted invoice and a payment.
async fn fill(fx: &Fixtures, app: &App) {
    let options = DemoOptions {
        people: 40,
        ..DemoOptions::default()
    };
    app.generate_demo(&options, &mut |_| {}).await.unwrap();
    let admin = fx.user("yonetici", Role::Administrator, None).await;
    let api = Api::new(app);
    let token = api.token_for(&admin).await;
    let field = json!({"record_type": "person", "key": "sicil", "type": "text", "label_tr": "Sicil", "label_en": "Registry"});
    let reply = api
        .call(
            Method::POST,
            "/api/v1/custom-fields",
            Some(&token),
            Some(field),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let person = json!({"first_name": "Işıl", "last_name": "Çağlayan", "emails": ["isil@ornek.com.tr"], "custom": {"sicil": "İST-0042"}});
    let reply = api
        .call(Method::POST, "/api/v1/people", Some(&token), Some(person))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let person = reply.body["id"].as_i64().unwrap();
    for (name, bytes) in [
        ("Şubat teklifi.pdf", &b"%PDF-1.7\nteklif\n%%EOF\n"[..]),
        ("not.txt", &b"g\xc3\xb6r\xc3\xbc\xc5\x9fme notu"[..]),
    ] {
        let uri = format!("/api/v1/people/{person}/attachments");
        let body = Body::from(multipart("file", name, bytes));
        let reply = api
            .send(
                Method::POST,
                &uri,
                Some(&token),
                body,
                &[("content-type", &content_type())],
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    }
    let company = json!({"name": "Yedek Tekstil A.Ş."});
    let reply = api
        .call(
            Method::POST,
            "/api/v1/companies",
            Some(&token),
            Some(company),
        )
        .await;
    let company = reply.body["id"].as_i64().unwrap();
    posted_invoice(&api, &token, company, -5, 10_000).await;
    let payment = json!({"company_id": company, "amount": {"minor": 4_000, "currency": "TRY"}, "method": "cash", "received_at": today().to_string()});
    let (status, body) = pay(&api, &token, payment).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

/// Rewrites the archive at `from` to `to` with its manifest changed by `change`.
fn with_manifest(from: &Path, to: &Path, change: impl Fn(&mut serde_json::Value)) {
    let mut source = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    let options = zip::write::SimpleFileOptions::default().large_file(true);
    for i in 0..source.len() {
        let mut entry = source.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if name == "manifest.json" {
            let mut manifest: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            change(&mut manifest);
            bytes = serde_json::to_vec(&manifest).unwrap();
        }
        out.start_file(name, options).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap();
}

both_backends! {
    async fn scheduled_backups_keep_the_newest_and_leave_other_files_alone(db) {
        let dir = tempfile::tempdir().unwrap();
        let fx = Fixtures::new(db);
        let app = app_with_files(&fx, dir.path());
        let folder = dir.path().join("backups");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("elle-alinan.zip"), b"PK").unwrap();
        let mut written = Vec::new();
        for _ in 0..3 {
            let done = app.scheduled_backup(&db.url(), &folder, 2).await.unwrap();
            assert!(done.report.bytes > 0 && done.report.tables > 10, "{:?}", done.report);
            written.push(done.report.path.clone());
            if written.len() == 3 {
                assert_eq!(done.removed, vec![written[0].clone()], "the oldest goes");
            } else {
                assert!(done.removed.is_empty());
            }
        }
        let mut names: Vec<String> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        names.sort();
        assert_eq!(names.len(), 3, "{names:?}");
        assert_eq!(names[0], "elle-alinan.zip", "a file not made by the schedule stays");
        assert!(names[1..].iter().all(|n| n.starts_with("rehber-backup-") && n.ends_with(".zip")), "{names:?}");
        assert!(written[1..].iter().all(|p| p.exists()));
        // The newest is a whole backup: its manifest names this database's schema.
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&written[2]).unwrap()).unwrap();
        let mut manifest = String::new();
        zip.by_name("manifest.json").unwrap().read_to_string(&mut manifest).unwrap();
        let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
        assert_eq!(manifest["schema_version"], Store::known_schema_version(db.backend()));
    }
}

both_backends! {
    async fn a_backup_brings_back_every_table_and_file_as_it_was(db) {
        let dir = tempfile::tempdir().unwrap();
        let fx = Fixtures::new(db);
        let app = app_with_files(&fx, dir.path());
        fill(&fx, &app).await;
        let before = db.store.canonical_digest().await.unwrap();
        assert!(before["ledger_entries"].rows >= 2 && before["attachments"].rows == 2, "{before:?}");
        let files_before = file_bytes(&app.files).await;
        assert_eq!(files_before.len(), 2);

        let out = dir.path().join("yedek.rehber-backup");
        let report = app.backup(&db.url(), &out).await.unwrap();
        assert!(report.bytes > 0 && report.files == 2, "{report:?}");
        assert_eq!(report.schema_version, Store::known_schema_version(db.backend()));
        assert!(!dir.path().join("yedek.rehber-backup.partial").exists(), "no work file is left");

        // Work goes on after the backup, then the backup is restored over it.
        let api = Api::new(&app);
        let admin = fx.user("sonradan", Role::Administrator, None).await;
        let token = api.token_for(&admin).await;
        api.call(Method::POST, "/api/v1/people", Some(&token), Some(json!({"first_name": "Sonradan", "last_name": "Gelen"}))).await;
        assert_ne!(db.store.canonical_digest().await.unwrap(), before);

        let restored_files = Files::local(&dir.path().join("restored-files")).unwrap();
        let aside = dir.path().join("aside");
        let refused = restore_into(db, &out, &restored_files, &aside, false).await.unwrap_err();
        assert!(matches!(&refused, BackupError::Refused(m) if m.contains("--force")), "{refused:?}");
        assert!(restored_files.keys().await.unwrap().is_empty(), "a refused restore changes nothing");

        db.store.close().await;
        let restored = restore_into(db, &out, &restored_files, &aside, true).await.unwrap();
        assert_eq!(restored.files, 2);
        assert_eq!(restored.migrated_to, report.schema_version);
        let kept = restored.kept_aside.expect("the replaced database is kept");
        assert!(kept.exists(), "{kept:?}");
        assert_eq!(digest_now(db).await, before, "every table holds what it held");
        assert_eq!(file_bytes(&restored_files).await, files_before, "every file comes back");
    }

    async fn a_backup_taken_while_writes_go_on_is_whole(db) {
        let dir = tempfile::tempdir().unwrap();
        let fx = Fixtures::new(db);
        let app = app_with_files(&fx, dir.path());
        // Five teams per statement: a copy of one moment holds a multiple of five.
        let stop = std::sync::atomic::AtomicBool::new(false);
        let out = dir.path().join("canli.rehber-backup");
        let backup = async {
            let report = app.backup(&db.url(), &out).await;
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            report
        };
        let writer = async {
            let mut batch = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) || batch < 3 {
                let values: Vec<String> = (0..5).map(|i| format!("('yazan-{batch}-{i}', 0)")).collect();
                let sql = format!("INSERT INTO teams (name, created_at) VALUES {}", values.join(", "));
                db.try_execute(&sql).await.unwrap();
                batch += 1;
                tokio::task::yield_now().await;
            }
            batch
        };
        let (report, batches) = tokio::join!(backup, writer);
        let report = report.unwrap();
        assert!(report.rows > 0);

        // The copy restores into a new database and holds whole statements only.
        let fresh = TestDb::new(db.backend()).await;
        let files = Files::local(&dir.path().join("fresh-files")).unwrap();
        let restored = restore_into(&fresh, &out, &files, &dir.path().join("aside"), false).await.unwrap();
        assert_eq!(restored.rows, report.rows);
        let store = Store::connect(&fresh.url(), 2).await.unwrap();
        let teams = store.row_counts().await.unwrap()["teams"];
        store.close().await;
        assert_eq!(teams % 5, 0, "{teams} teams: a statement was torn");
        assert!(teams <= batches * 5, "{teams} of {batches} batches");
        assert!(store_problems(&fresh).await.is_empty());
        fresh.cleanup().await;
    }

    async fn a_restore_waits_for_no_server_and_refuses_what_does_not_fit(db) {
        let dir = tempfile::tempdir().unwrap();
        let fx = Fixtures::new(db);
        let app = app_with_files(&fx, dir.path());
        fx.user("yonetici", Role::Administrator, None).await;
        let out = dir.path().join("yedek.rehber-backup");
        app.backup(&db.url(), &out).await.unwrap();
        let before = digest_now(db).await;
        let files = Files::local(&dir.path().join("files-2")).unwrap();
        let aside = dir.path().join("aside");
        let sqlite = (db.backend() == Backend::Sqlite).then(|| PathBuf::from(db.url()));

        let mut serving = ServeLock::for_serving(sqlite.as_deref()).unwrap();
        serving.hold(&db.store).await.unwrap();
        let refused = restore_into(db, &out, &files, &aside, true).await.unwrap_err();
        assert!(matches!(&refused, BackupError::Refused(m) if m.contains("server (or a backup) is running")), "{refused:?}");
        // …and a server does not start while a restore holds the database.
        drop(serving);
        let restoring = ServeLock::for_restore(sqlite.as_deref()).await;
        if let Some(path) = &sqlite {
            let _restoring = restoring.unwrap();
            let refused = ServeLock::for_serving(Some(path)).unwrap_err();
            assert!(matches!(&refused, BackupError::Refused(m) if m.contains("restore is running")), "{refused:?}");
        } else {
            // The serving lock's connection was dropped, not closed: PostgreSQL lets go of
            // its advisory lock once it notices, a moment later under load.
            let mut restoring = ServeLock::for_restore_postgres(&db.store).await;
            for _ in 0..50 {
                if restoring.is_ok() {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                restoring = ServeLock::for_restore_postgres(&db.store).await;
            }
            let restoring = restoring.unwrap();
            let mut serving = ServeLock::for_serving(None).unwrap();
            let refused = serving.hold(&db.store).await.unwrap_err();
            assert!(matches!(&refused, BackupError::Refused(m) if m.contains("restore is running")), "{refused:?}");
            drop(restoring);
        }

        let newer = dir.path().join("newer.rehber-backup");
        with_manifest(&out, &newer, |m| m["schema_version"] = json!(99_999));
        let refused = restore_into(db, &newer, &files, &aside, true).await.unwrap_err();
        assert!(matches!(&refused, BackupError::Refused(m) if m.contains("newer Rehber")), "{refused:?}");

        let other = dir.path().join("other.rehber-backup");
        let other_backend = if db.backend() == Backend::Sqlite { "postgres" } else { "sqlite" };
        with_manifest(&out, &other, |m| m["backend"] = json!(other_backend));
        let refused = restore_into(db, &other, &files, &aside, true).await.unwrap_err();
        assert!(matches!(&refused, BackupError::Refused(m) if m.contains("cannot be restored")), "{refused:?}");

        let damaged = dir.path().join("damaged.rehber-backup");
        with_manifest(&out, &damaged, |m| m["database"]["sha256"] = json!("0".repeat(64)));
        let refused = restore_into(db, &damaged, &files, &aside, true).await.unwrap_err();
        assert!(matches!(&refused, BackupError::Damaged(m) if m.contains("SHA-256")), "{refused:?}");

        let miscounted = dir.path().join("miscounted.rehber-backup");
        with_manifest(&out, &miscounted, |m| m["tables"]["users"] = json!(7));
        let refused = restore_into(db, &miscounted, &files, &aside, true).await.unwrap_err();
        assert!(matches!(&refused, BackupError::Damaged(m) if m.contains("users")), "{refused:?}");

        let cut = dir.path().join("cut.rehber-backup");
        let bytes = std::fs::read(&out).unwrap();
        std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
        let refused = restore_into(db, &cut, &files, &aside, true).await.unwrap_err();
        assert!(matches!(&refused, BackupError::Damaged(m) if m.contains("damaged")), "{refused:?}");

        let odd = dir.path().join("odd.rehber-backup");
        with_manifest(&out, &odd, |m| m["tables"]["x\"; DROP TABLE users; --"] = json!(1));
        let refused = restore_into(db, &odd, &files, &aside, true).await.unwrap_err();
        assert!(matches!(&refused, BackupError::Damaged(m) if m.contains("never makes")), "{refused:?}");

        let not_a_backup = dir.path().join("notlar.txt");
        std::fs::write(&not_a_backup, "bu bir yedek değil").unwrap();
        let refused = restore_into(db, &not_a_backup, &files, &aside, true).await.unwrap_err();
        assert!(matches!(&refused, BackupError::Refused(m) if m.contains("not a Rehber backup")), "{refused:?}");

        assert_eq!(digest_now(db).await, before, "nothing was changed");

        // With the server gone and the archive sound, the restore goes through (the test's
        // own connections closed first, as a server's are when it stops).
        db.store.close().await;
        restore_into(db, &out, &files, &aside, true).await.unwrap();
        assert_eq!(digest_now(db).await, before);
    }
}

async fn store_problems(db: &TestDb) -> Vec<String> {
    let store = Store::connect(&db.url(), 1).await.unwrap();
    let problems = store.integrity_problems().await.unwrap();
    store.close().await;
    problems
}
