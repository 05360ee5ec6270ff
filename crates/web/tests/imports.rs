//! Imports through the API, on SQLite and PostgreSQL: the committed fixtures (a Turkish
//! Excel CSV in windows-1254, UTF-8 with a byte-order mark, UTF-16, an XLSX with date
//! cells) read with their Turkish letters exact; the check that reports every bad row with
//! its line and writes nothing; the error report; the re-import of the fixed rows; commit
//! all or nothing (a conflict in row 9,999 of 10,000 leaves nothing); a second commit
//! refused; undo keeping what was changed since; bad files refused with nothing kept; and
//! no door to another rep's imports or records.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::browser::Browser;
use common::server::TestServer;
use common::{Api, Reply, content_type, multipart_fields};
use rehber_app::list::ListRequest;
use rehber_domain::Role;
use rehber_domain::party::People;
use rehber_testkit::{CompanyBuilder, Fixtures, PASSWORD, PersonBuilder, both_backends};
use serde_json::{Value, json};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/imports/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

async fn upload(api: &Api, token: &str, kind: &str, name: &str, bytes: &[u8]) -> Reply {
    let body = multipart_fields(&[("kind", None, kind.as_bytes()), ("file", Some(name), bytes)]);
    api.send(
        Method::POST,
        "/api/v1/imports",
        Some(token),
        Body::from(body),
        &[("content-type", &content_type())],
    )
    .await
}

async fn step(api: &Api, token: &str, id: i64, step: &str) -> Reply {
    api.call(
        Method::POST,
        &format!("/api/v1/imports/{id}/{step}"),
        Some(token),
        None,
    )
    .await
}

/// Uploads and checks a file; the checked import.
async fn checked(api: &Api, token: &str, kind: &str, name: &str, bytes: &[u8]) -> Value {
    let created = upload(api, token, kind, name, bytes).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["id"].as_i64().unwrap();
    let reply = step(api, token, id, "check").await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body
}

/// A list request for every record of a small test.
fn everyone() -> ListRequest {
    let mut request = ListRequest::default();
    request.page.limit = 200;
    request
}

async fn people_named(
    fx: &Fixtures,
    actor: &rehber_domain::Actor,
) -> Vec<(String, String, String)> {
    let page = fx.app.list::<People>(actor, &everyone()).await.unwrap();
    let mut people: Vec<_> = page
        .items
        .iter()
        .map(|p| {
            (
                p.fields.first_name.clone(),
                p.fields.last_name.clone(),
                p.fields.address.city.clone(),
            )
        })
        .collect();
    people.sort();
    people
}

both_backends! {
    async fn a_turkish_excel_csv_in_windows_1254_imports_istanbul_exactly(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let company = CompanyBuilder::new("Çağlar Tekstil").create(&fx.app, &rep.actor()).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;

        let created = upload(&api, &token, "people", "kisiler.csv", &fixture("kisiler-excel-1254.csv")).await;
        assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
        let id = created.body["id"].as_i64().unwrap();
        assert_eq!(created.headers["location"], format!("/api/v1/imports/{id}").as_str());
        assert_eq!(created.body["status"], "uploaded");
        assert_eq!((created.body["encoding"].as_str(), created.body["delimiter"].as_str()), (Some("windows-1254"), Some(";")));
        let fields: Vec<Value> = created.body["columns"].as_array().unwrap().iter().map(|c| c["field"].clone()).collect();
        assert_eq!(fields, vec![json!("first_name"), json!("last_name"), json!("emails"), json!("phones"), json!("company"), json!("city"), json!("district"), json!("birthday"), json!("tags"), json!("lifecycle_stage")]);
        assert_eq!(created.body["columns"][5]["header"], "İl", "the header read in its encoding");

        // A commit before the check is refused.
        assert_eq!(step(&api, &token, id, "commit").await.status, StatusCode::UNPROCESSABLE_ENTITY);

        // The check reports every bad row with its line, and writes no record.
        let check = step(&api, &token, id, "check").await;
        assert_eq!(check.status, StatusCode::OK, "{:?}", check.body);
        let body = &check.body;
        assert_eq!(body["status"], "checked");
        assert_eq!(body["progress"], 100);
        assert_eq!(body["counts"], json!({"total": 6, "ok": 3, "warnings": 0, "errors": 3}), "{body:?}");
        let errors: Vec<(i64, String, String)> = body["rows"].as_array().unwrap().iter().map(|r| (
            r["line"].as_i64().unwrap(),
            r["messages"][0]["field"].as_str().unwrap().to_string(),
            r["messages"][0]["code"].as_str().unwrap().to_string(),
        )).collect();
        assert_eq!(errors, vec![
            (4, "emails".into(), "invalid-email".into()),
            (5, "birthday".into(), "invalid-date".into()),
            (6, "emails".into(), "invalid-duplicate-in-file".into()),
        ]);
        assert_eq!(body["rows"][2]["messages"][0]["detail"], "2", "the earlier line");
        assert_eq!(body["rows"][2]["messages"][0]["column"], "E-posta");
        assert!(body["rows"][2]["messages"][0]["message"].as_str().unwrap().contains("line 2"));
        assert!(people_named(&fx, &rep.actor()).await.is_empty(), "a check writes nothing");

        // Rows with errors stop the commit; nothing is written.
        let refused = step(&api, &token, id, "commit").await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", refused.body);
        assert!(people_named(&fx, &rep.actor()).await.is_empty());

        // The error report: the original line and values, and what to fix.
        let report = api.call(Method::GET, &format!("/api/v1/imports/{id}/error-report"), Some(&token), None).await;
        assert_eq!(report.status, StatusCode::OK);
        let text = String::from_utf8(report.bytes[3..].to_vec()).unwrap();
        let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert!(lines[0].starts_with("Line;Adı;Soyadı;E-posta;"), "{text}");
        assert!(lines[1].starts_with("4;Ayşe;Güneş;ayse.gunes@ornek;"), "{text}");
        assert!(lines[3].starts_with("6;Gül;Kaya;ISIL.CAGLAR@ornek.com.tr;"), "{text}");
        let xlsx = api.call(Method::GET, &format!("/api/v1/imports/{id}/error-report?format=xlsx"), Some(&token), None).await;
        assert!(xlsx.bytes.starts_with(b"PK"));

        // The good rows alone (the report's rows left out) import, then the fixed ones.
        let good: Vec<u8> = {
            let all = fixture("kisiler-excel-1254.csv");
            let lines: Vec<&[u8]> = all.split(|b| *b == b'\n').collect();
            [0, 1, 2, 6].iter().flat_map(|i| { let mut l = lines[*i].to_vec(); l.push(b'\n'); l }).collect()
        };
        let first = checked(&api, &token, "people", "iyi-satirlar.csv", &good).await;
        assert_eq!(first["counts"], json!({"total": 3, "ok": 3, "warnings": 0, "errors": 0}), "{first:?}");
        // The same rows go in from the first file when its bad rows are left out.
        let skipped = step(&api, &token, id, "commit?skip_errors=true").await;
        assert_eq!(skipped.status, StatusCode::OK, "{:?}", skipped.body);
        assert_eq!(skipped.body["rows_created"], 3);
        let undone = step(&api, &token, id, "undo").await;
        assert_eq!(undone.body["undo"], json!({"trashed": 3, "kept": 0}));
        let first_id = first["id"].as_i64().unwrap();
        let committed = step(&api, &token, first_id, "commit").await;
        assert_eq!(committed.status, StatusCode::OK, "{:?}", committed.body);
        assert_eq!(committed.body["status"], "committed");
        assert_eq!(committed.body["rows_created"], 3);
        assert!(committed.body["undo_until"].is_string());
        let again = step(&api, &token, first_id, "commit").await;
        assert_eq!(again.status, StatusCode::CONFLICT, "a double commit is refused: {:?}", again.body);
        assert_eq!(again.content_type, "application/problem+json");

        let fixed = checked(&api, &token, "people", "duzeltilmis.csv", &fixture("kisiler-duzeltilmis-1254.csv")).await;
        assert_eq!(fixed["counts"]["errors"], 0, "{fixed:?}");
        assert_eq!(step(&api, &token, fixed["id"].as_i64().unwrap(), "commit").await.status, StatusCode::OK);

        assert_eq!(people_named(&fx, &rep.actor()).await, vec![
            ("Ayşe".to_string(), "Güneş".to_string(), "Ankara".to_string()),
            ("Gül".into(), "Kaya".into(), "Antalya".into()),
            ("Işıl".into(), "Çağlar".into(), "İstanbul".into()),
            ("Ümit".into(), "Yılmaz".into(), "Bursa".into()),
            ("İbrahim".into(), "Çelik".into(), "Muğla".into()),
            ("Şükrü".into(), "Öztürk".into(), "İzmir".into()),
        ]);
        let page = fx.app.list::<People>(&rep.actor(), &everyone()).await.unwrap();
        let isil = page.items.iter().find(|p| p.fields.first_name == "Işıl").unwrap();
        assert_eq!(isil.fields.company_id, Some(company.id), "linked to the company by its name");
        assert_eq!(isil.fields.phones[0].as_str(), "+905321112233");
        assert_eq!(isil.fields.birthday, Some(jiff::civil::date(1990, 4, 9)));
        assert_eq!(isil.fields.lifecycle_stage.as_str(), "customer", "\"Müşteri\" is the customer stage");
        assert_eq!(isil.ownership.owner_id, Some(rep.id), "the importer's");
        let history = fx.app.history::<People>(&rep.actor(), isil.id).await.unwrap();
        assert_eq!(history.last().unwrap().action, "created");
        assert_eq!(history.last().unwrap().changes[0].to, format!("#{first_id}"));

        // Importing the same people again finds them in the database.
        let repeat = checked(&api, &token, "people", "tekrar.csv", &good).await;
        assert_eq!(repeat["counts"]["errors"], 3);
        assert_eq!(repeat["rows"][0]["messages"][0]["code"], "invalid-duplicate-record");
        assert_eq!(repeat["rows"][0]["messages"][0]["detail"], isil.id.0.to_string());
    }
}

both_backends! {
    async fn utf8_utf16_and_a_workbook_with_dates_import(db) {
        let fx = Fixtures::new(db);
        let admin = fx.user("admin", Role::Administrator, None).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&admin).await;

        let utf8 = checked(&api, &token, "people", "people.csv", &fixture("people-utf8-bom.csv")).await;
        assert_eq!((utf8["encoding"].as_str(), utf8["delimiter"].as_str()), (Some("UTF-8"), Some(",")));
        assert_eq!(utf8["columns"][0]["header"], "First name", "the mark is not part of the header");
        assert_eq!(utf8["counts"]["errors"], 0, "{utf8:?}");
        assert_eq!(step(&api, &token, utf8["id"].as_i64().unwrap(), "commit").await.status, StatusCode::OK);

        let utf16 = checked(&api, &token, "people", "kisiler.txt", &fixture("kisiler-utf16.csv")).await;
        assert_eq!((utf16["encoding"].as_str(), utf16["delimiter"].as_str()), (Some("UTF-16LE"), Some("\t")));
        assert_eq!(utf16["counts"]["errors"], 0, "{utf16:?}");
        assert_eq!(step(&api, &token, utf16["id"].as_i64().unwrap(), "commit").await.status, StatusCode::OK);

        let xlsx = checked(&api, &token, "people", "kisiler.xlsx", &fixture("kisiler-tarihli.xlsx")).await;
        assert_eq!(xlsx["sheet"], "Kişiler");
        assert_eq!(xlsx["encoding"], Value::Null);
        assert_eq!(xlsx["counts"]["errors"], 0, "{xlsx:?}");
        assert_eq!(step(&api, &token, xlsx["id"].as_i64().unwrap(), "commit").await.status, StatusCode::OK);

        let page = fx.app.list::<People>(&admin.actor(), &everyone()).await.unwrap();
        let find = |first: &str, last: &str| page.items.iter().find(|p| p.fields.first_name == first && p.fields.last_name == last).unwrap_or_else(|| panic!("{first} {last}"));
        let caglar = find("Çağlar", "Işık");
        assert_eq!(caglar.fields.address.city, "İstanbul");
        assert_eq!(caglar.fields.tags, vec!["2026".to_string(), "key account".into()]);
        assert_eq!(caglar.fields.lifecycle_stage.as_str(), "customer", "an English label");
        assert_eq!(find("Oğuz", "Şahin").fields.address.country, "Türkiye", "an empty cell keeps the default");
        let hulya = find("Hülya", "Ağaoğlu");
        assert_eq!(hulya.fields.phones[0].as_str(), "+902125551020");
        assert_eq!(hulya.fields.address.city, "İstanbul");
        let isil = find("Işıl", "Çağlar");
        assert_eq!(isil.fields.birthday, Some(jiff::civil::date(1988, 3, 14)), "an Excel date serial");
        assert_eq!(isil.fields.phones[0].as_str(), "+905321234567", "a phone typed as a number");
        assert_eq!(isil.fields.national_id.as_ref().unwrap().to_string(), "10000000146");
        assert_eq!(find("Nur", "Şen").fields.birthday, Some(jiff::civil::date(2001, 1, 31)));
    }
}

both_backends! {
    async fn bad_files_are_refused_with_422_and_nothing_is_kept(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let reader = fx.user("okur", Role::ReadOnly, None).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;

        let many_columns: String = (0..201).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",") + "\n";
        for (name, bytes, code) in [
            ("bos.csv", b"".to_vec(), "invalid-import-empty"),
            ("bosluk.csv", b"\r\n \r\n".to_vec(), "invalid-import-empty"),
            ("bozuk.xlsx", b"PK\x03\x04 this is no workbook".to_vec(), "invalid-import-unreadable"),
            ("parolali.xlsx", fixture("kisiler-parolali.xlsx"), "invalid-import-password"),
            ("genis.csv", many_columns.into_bytes(), "invalid-import-too-many-columns"),
            ("adsiz.csv", b"E-posta;Telefon\nali@ornek.com;0532 111 22 33\n".to_vec(), "invalid-import-unmapped-required"),
        ] {
            let reply = upload(&api, &token, "people", name, &bytes).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {:?}", reply.body);
            assert_eq!(reply.content_type, "application/problem+json");
            assert_eq!(reply.body["errors"][0]["code"], code, "{name}: {:?}", reply.body);
            assert!(!reply.body["errors"][0]["message"].as_str().unwrap_or_default().is_empty(), "{name}");
        }
        let no_kind = api.send(Method::POST, "/api/v1/imports", Some(&token), Body::from(multipart_fields(&[("file", Some("a.csv"), b"Ad\nAli\n")])), &[("content-type", &content_type())]).await;
        assert_eq!(no_kind.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(no_kind.body["errors"][0]["field"], "kind");
        let wrong_kind = upload(&api, &token, "deals", "a.csv", b"Ad\nAli\n").await;
        assert_eq!(wrong_kind.body["errors"][0]["code"], "invalid-import-kind");
        let no_file = api.send(Method::POST, "/api/v1/imports", Some(&token), Body::from(multipart_fields(&[("kind", None, b"people")])), &[("content-type", &content_type())]).await;
        assert_eq!(no_file.body["errors"][0]["field"], "file");
        let bad_mapping = api.send(Method::POST, "/api/v1/imports", Some(&token), Body::from(multipart_fields(&[
            ("kind", None, b"people"), ("mapping", None, br#"{"Ad": "shoe_size"}"#), ("file", Some("a.csv"), b"Ad\nAli\n"),
        ])), &[("content-type", &content_type())]).await;
        assert_eq!(bad_mapping.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad_mapping.body["errors"][0]["field"], "mapping.Ad");
        let reader_token = api.token_for(&reader).await;
        assert_eq!(upload(&api, &reader_token, "people", "a.csv", b"Ad\nAli\n").await.status, StatusCode::FORBIDDEN);
        assert_eq!(db.scalar("SELECT COUNT(*) FROM imports").await, 0, "nothing kept");

        // A value with an unquoted comma shifts its row: the row is an error, not a guess.
        let shifted = checked(&api, &token, "people", "kayik.csv", "Ad,Adres,İl\nAli,Atatürk Cd. No:5, Kadıköy,İstanbul\nVeli,Cumhuriyet Cd.,İzmir\n".as_bytes()).await;
        assert_eq!(shifted["counts"]["errors"], 1, "{shifted:?}");
        assert_eq!(shifted["rows"][0]["line"], 2);
        assert_eq!(shifted["rows"][0]["messages"][0]["code"], "invalid-import-extra-cells");
        db.try_execute("DELETE FROM imports").await.unwrap();

        // A written mapping fills a column the headers do not name.
        let mapped = api.send(Method::POST, "/api/v1/imports", Some(&token), Body::from(multipart_fields(&[
            ("kind", None, b"people"), ("mapping", None, br#"{"Kolon A": "first_name", "2": "phones"}"#), ("file", Some("a.csv"), b"Kolon A;Kolon B\nAli;0532 111 22 33\n"),
        ])), &[("content-type", &content_type())]).await;
        assert_eq!(mapped.status, StatusCode::CREATED, "{:?}", mapped.body);
        assert_eq!(mapped.body["columns"][1]["field"], "phones");
        // And a new mapping may replace it before the commit.
        let id = mapped.body["id"].as_i64().unwrap();
        let remapped = api.call(Method::PUT, &format!("/api/v1/imports/{id}/mapping"), Some(&token), Some(json!({"mapping": {"Kolon B": null}}))).await;
        assert_eq!(remapped.status, StatusCode::OK, "{:?}", remapped.body);
        assert_eq!(remapped.body["columns"][1]["field"], Value::Null);
        let unnamed = api.call(Method::PUT, &format!("/api/v1/imports/{id}/mapping"), Some(&token), Some(json!({"mapping": {"Kolon A": null}}))).await;
        assert_eq!(unnamed.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

both_backends! {
    async fn commit_is_all_or_nothing_when_row_9999_of_10000_conflicts(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let other = fx.user("rep-b", Role::SalesRep, Some("Güney")).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;
        let mut file = String::from("Ad;Soyad;E-posta;İl\n");
        for i in 1..=10_000 {
            file.push_str(&format!("Kişi{i};Soyadı{i};kisi{i}@ornek.com.tr;İstanbul\n"));
        }
        let import = checked(&api, &token, "people", "on-bin.csv", file.as_bytes()).await;
        assert_eq!(import["counts"], json!({"total": 10000, "ok": 10000, "warnings": 0, "errors": 0}));
        let id = import["id"].as_i64().unwrap();

        // Between the check and the commit another rep keeps the e-mail of row 9,999 (line
        // 10,000 of the file).
        PersonBuilder::new("Başka", "Biri").email("KISI9999@ornek.com.tr").create(&fx.app, &other.actor()).await;
        let failed = step(&api, &token, id, "commit").await;
        assert_eq!(failed.status, StatusCode::CONFLICT, "{:?}", failed.body);
        assert_eq!(db.scalar("SELECT COUNT(*) FROM people").await, 1, "nothing of the file was written");
        assert_eq!(db.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'created' AND record_type = 'person'").await, 1);
        let shown = api.call(Method::GET, &format!("/api/v1/imports/{id}"), Some(&token), None).await;
        assert_eq!(shown.body["status"], "failed");
        assert!(shown.body["failure"].as_str().unwrap().contains("line 10000"), "{:?}", shown.body);

        // Checked again, the row is reported (without naming a record the rep cannot see)
        // and nothing else stops; the store's own check inside the commit's transaction
        // refuses the same row even when the services' check missed it.
        let again = step(&api, &token, id, "check").await;
        assert_eq!(again.body["counts"]["errors"], 1);
        assert_eq!(again.body["rows"][0]["line"], 10_000);
        assert_eq!(again.body["rows"][0]["messages"][0]["code"], "invalid-duplicate-record");
        assert_eq!(again.body["rows"][0]["messages"][0]["detail"], Value::Null, "another rep's record is not named");

        let rows: Vec<rehber_store::BulkPerson> = (1..=10_000).map(|i| rehber_store::BulkRow {
            fields: PersonBuilder::new(&format!("Kişi{i}"), "X").email(&format!("kisi{i}@ornek.com.tr")).fields(),
            ownership: rehber_domain::party::Ownership { owner_id: Some(rep.id), team_id: rep.team_id },
            created_at: jiff::Timestamp::now(),
        }).collect();
        let keys: Vec<(String, usize)> = (0..10_000).map(|i| (format!("e:kisi{}@ornek.com.tr", i + 1), i)).collect();
        assert!(fx.store().move_import(id, &[rehber_domain::import::ImportStatus::Checked], rehber_domain::import::ImportStatus::Committing).await.unwrap());
        let entry = rehber_store::AuditEntry { actor: Some(rep.id), record_type: "import", record_id: id, action: "committed", changes: vec![] };
        let conflict = fx.store().commit_import::<People>(id, (&rows, &[]), &keys, &entry).await.unwrap().unwrap_err();
        assert_eq!(conflict.row, 9_998);
        assert_eq!(db.scalar("SELECT COUNT(*) FROM people").await, 1);
    }
}

both_backends! {
    async fn undo_trashes_what_was_not_changed_since_and_keeps_the_rest(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;
        let import = checked(&api, &token, "people", "people.csv", &fixture("people-utf8-bom.csv")).await;
        let id = import["id"].as_i64().unwrap();
        assert_eq!(step(&api, &token, id, "undo").await.status, StatusCode::CONFLICT, "not committed yet");
        assert_eq!(step(&api, &token, id, "commit").await.status, StatusCode::OK);

        let page = fx.app.list::<People>(&rep.actor(), &everyone()).await.unwrap();
        let zeynep = page.items.iter().find(|p| p.fields.first_name == "Zeynep").unwrap();
        let patch = rehber_domain::party::PersonPatch { job_title: Some("Satın alma".into()), ..Default::default() };
        fx.app.update::<People>(&rep.actor(), zeynep.id, None, patch, Default::default()).await.unwrap();

        let undone = step(&api, &token, id, "undo").await;
        assert_eq!(undone.status, StatusCode::OK, "{:?}", undone.body);
        assert_eq!(undone.body["status"], "undone");
        assert_eq!(undone.body["undo"], json!({"trashed": 2, "kept": 1}));
        let left = people_named(&fx, &rep.actor()).await;
        assert_eq!(left, vec![("Zeynep".to_string(), "Özgür".to_string(), "İzmir".to_string())], "the one changed since stays");
        assert_eq!(step(&api, &token, id, "undo").await.status, StatusCode::CONFLICT, "an undo happens once");
        assert_eq!(db.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'deleted' AND record_type = 'person'").await, 2);

        // An undo moves records to the trash: a role that may not delete may not undo.
        let marketer = fx.user("pazarlama", Role::Marketer, None).await;
        let marketer_token = api.token_for(&marketer).await;
        let theirs = checked(&api, &marketer_token, "people", "tek.csv", b"Ad;E-posta\nMert;mert@ornek.com.tr\n").await;
        let theirs_id = theirs["id"].as_i64().unwrap();
        assert_eq!(step(&api, &marketer_token, theirs_id, "commit").await.status, StatusCode::OK);
        assert_eq!(step(&api, &marketer_token, theirs_id, "undo").await.status, StatusCode::FORBIDDEN);

        // After seven days an undo is refused.
        let second = checked(&api, &token, "people", "kisiler.txt", &fixture("kisiler-utf16.csv")).await;
        let second_id = second["id"].as_i64().unwrap();
        assert_eq!(step(&api, &token, second_id, "commit").await.status, StatusCode::OK);
        let eight_days = 8 * 24 * 3_600 * 1_000_000i64;
        db.try_execute(&format!("UPDATE imports SET committed_at = committed_at - {eight_days} WHERE id = {second_id}")).await.unwrap();
        let late = step(&api, &token, second_id, "undo").await;
        assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", late.body);

        // A check cut short by a stopped process is found and marked failed; it may then be
        // checked again.
        let third = upload(&api, &token, "people", "kisiler.txt", &fixture("kisiler-utf16.csv")).await;
        let third_id = third.body["id"].as_i64().unwrap();
        let an_hour_ago = rehber_store::now_micros() - 3_600 * 1_000_000;
        db.try_execute(&format!("UPDATE imports SET status = 'checking', step_at = {an_hour_ago} WHERE id = {third_id}")).await.unwrap();
        assert_eq!(step(&api, &token, third_id, "check").await.status, StatusCode::CONFLICT, "a check is running");
        assert_eq!(fx.store().fail_stalled_imports(rehber_store::now_micros() - 60_000_000).await.unwrap(), 1);
        let shown = api.call(Method::GET, &format!("/api/v1/imports/{third_id}"), Some(&token), None).await;
        assert_eq!((shown.body["status"].as_str(), shown.body["failure"].as_str()), (Some("failed"), Some("interrupted")));
        assert_eq!(step(&api, &token, third_id, "check").await.status, StatusCode::OK);
    }
}

both_backends! {
    async fn a_rep_cannot_see_another_reps_imports_or_records_through_them(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Güney")).await;
        let admin = fx.user("admin", Role::Administrator, None).await;
        let api = Api::new(&fx.app);
        let (token_a, token_b, token_admin) = (api.token_for(&rep_a).await, api.token_for(&rep_b).await, api.token_for(&admin).await);
        let import = checked(&api, &token_a, "people", "people.csv", &fixture("people-utf8-bom.csv")).await;
        let id = import["id"].as_i64().unwrap();

        for (method, path) in [
            (Method::GET, format!("/api/v1/imports/{id}")),
            (Method::GET, format!("/api/v1/imports/{id}/error-report")),
            (Method::POST, format!("/api/v1/imports/{id}/check")),
            (Method::POST, format!("/api/v1/imports/{id}/commit")),
            (Method::POST, format!("/api/v1/imports/{id}/undo")),
        ] {
            let reply = api.call(method.clone(), &path, Some(&token_b), None).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} {path}");
        }
        let listed = api.call(Method::GET, "/api/v1/imports", Some(&token_b), None).await;
        assert_eq!(listed.body["items"], json!([]));
        let all = api.call(Method::GET, "/api/v1/imports", Some(&token_admin), None).await;
        assert_eq!(all.body["items"][0]["id"], id, "administrators see every import");

        assert_eq!(step(&api, &token_a, id, "commit").await.status, StatusCode::OK);
        assert_eq!(people_named(&fx, &rep_b.actor()).await, vec![], "rep B sees none of rep A's imported people");
        assert_eq!(people_named(&fx, &rep_a.actor()).await.len(), 3);

        // Rep B importing the same people learns that they exist, not who they are.
        let theirs = checked(&api, &token_b, "people", "people.csv", &fixture("people-utf8-bom.csv")).await;
        assert_eq!(theirs["counts"]["errors"], 3);
        for row in theirs["rows"].as_array().unwrap() {
            assert_eq!(row["messages"][0]["code"], "invalid-duplicate-record");
            assert_eq!(row["messages"][0]["detail"], Value::Null, "{row:?}");
        }
    }
}

both_backends! {
    async fn custom_fields_leave_in_an_export_and_come_back_in_an_import(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&admin).await;
        for body in [
            json!({"record_type": "person", "key": "sektor", "type": "choice", "label_tr": "Sektör", "label_en": "Industry", "options": [
                {"key": "tekstil", "label_tr": "Tekstil", "label_en": "Textile"}, {"key": "gida", "label_tr": "Gıda", "label_en": "Food"}]}),
            json!({"record_type": "person", "key": "butce", "type": "money", "label_tr": "Bütçe", "label_en": "Budget"}),
            json!({"record_type": "person", "key": "ilk_temas", "type": "date", "label_tr": "İlk temas", "label_en": "First contact"}),
            json!({"record_type": "person", "key": "bayi", "type": "boolean", "label_tr": "Bayi", "label_en": "Dealer"}),
        ] {
            let reply = api.call(Method::POST, "/api/v1/custom-fields", Some(&token), Some(body)).await;
            assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        }
        let custom = json!({"sektor": "tekstil", "butce": {"minor": 125050, "currency": "TRY"}, "ilk_temas": "2026-03-01", "bayi": true});
        let created = api.call(Method::POST, "/api/v1/people", Some(&token), Some(json!({
            "first_name": "Işıl", "last_name": "Çağlar", "emails": ["isil@caglar.com.tr"], "phones": ["0532 111 22 33"], "custom": custom,
        }))).await;
        assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
        let mut id = created.body["id"].as_i64().unwrap();

        // Out as the Turkish Excel CSV and as an English workbook, in again after the person
        // went to the trash: the same person, custom values included.
        for (query, lang, name) in [("format=csv&profile=excel-tr", "tr", "kisiler.csv"), ("format=xlsx", "en", "people.xlsx")] {
            let file = api.call_raw(Method::GET, &format!("/api/v1/people/export?{query}"), Some(&token), None, &[("accept-language", lang)]).await;
            assert_eq!(file.status, StatusCode::OK);
            if lang == "tr" {
                let text = String::from_utf8(file.bytes[3..].to_vec()).unwrap();
                let lines: Vec<&str> = text.split("\r\n").collect();
                assert!(lines[0].ends_with(";Sektör;Bütçe;İlk temas;Bayi"), "{}", lines[0]);
                assert!(lines[1].ends_with(";Tekstil;1250,50;01.03.2026;Evet"), "{}", lines[1]);
            }
            assert_eq!(api.call(Method::DELETE, &format!("/api/v1/people/{id}"), Some(&token), None).await.status, StatusCode::NO_CONTENT);
            let import = checked(&api, &token, "people", name, &file.bytes).await;
            assert_eq!(import["counts"]["errors"], 0, "{import:?}");
            assert_eq!(import["counts"]["warnings"], 0, "{import:?}");
            let done = step(&api, &token, import["id"].as_i64().unwrap(), "commit").await;
            assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
            let page = fx.app.list::<People>(&admin.actor(), &everyone()).await.unwrap();
            assert_eq!(page.items.len(), 1, "{name}");
            let back = &page.items[0];
            assert_ne!(back.id.0, id);
            id = back.id.0;
            assert_eq!((back.fields.first_name.as_str(), back.fields.last_name.as_str()), ("Işıl", "Çağlar"));
            assert_eq!(back.fields.phones[0].as_str(), "+905321112233");
            assert_eq!(serde_json::to_value(&back.fields.custom).unwrap(), custom, "{name}");
            assert_eq!(back.ownership.owner_id, Some(admin.id), "the owner column names the administrator");
        }
    }
}

both_backends! {
    async fn the_import_pages_walk_a_file_through_and_keep_it_to_its_importer(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let other = fx.user("rep-b", Role::SalesRep, Some("Güney")).await;
        let server = TestServer::spawn(&fx.app);
        let browser = Browser::signed_in(&server, &rep, PASSWORD).await;
        let form = || Request::post("/imports").header("content-type", content_type());

        let page = browser.send(form(), Body::from(multipart_fields(&[
            ("kind", None, b"people"), ("encoding", None, b""), ("file", Some("kisiler.csv"), &fixture("kisiler-excel-1254.csv")),
        ]))).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let at = page.location();
        assert!(at.starts_with("/imports/"), "{at}");
        let shown = browser.get(&at).await;
        assert_eq!(shown.status, StatusCode::OK);
        assert!(shown.body.contains("windows-1254") && shown.body.contains("İstanbul") && shown.body.contains("Işıl"), "{}", shown.body);

        let checked = browser.post(&format!("{at}/check"), &[]).await;
        assert_eq!(checked.location(), format!("{at}?notice=notice-import-checked"));
        let shown = browser.get(&checked.location()).await;
        assert!(shown.body.contains("6 rows: 2 ok, 1 with warnings, 3 with errors"), "{}", shown.body);
        assert!(shown.body.contains("data-line=\"6\""));
        let report = browser.get(&format!("{at}/report?format=csv")).await;
        assert_eq!(report.status, StatusCode::OK);
        assert!(report.body.contains("4;Ayşe;Güneş;ayse.gunes@ornek;"), "{}", report.body);

        let refused = browser.post(&format!("{at}/commit"), &[]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "rows with errors stop a commit");
        let committed = browser.post(&format!("{at}/commit"), &[("skip_errors", "true")]).await;
        assert_eq!(committed.location(), format!("{at}?notice=notice-import-committed"));
        let shown = browser.get(&committed.location()).await;
        assert!(shown.body.contains("3 records were created"), "{}", shown.body);

        // A form sent without a file chosen, and a file that is no workbook, are named.
        let none = browser.send(form(), Body::from(multipart_fields(&[("kind", None, b"people"), ("file", Some(""), b"")]))).await;
        assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(none.body.contains("Choose a file."), "{}", none.body);
        let broken = browser.send(form(), Body::from(multipart_fields(&[("kind", None, b"people"), ("file", Some("x.xlsx"), b"PK\x03\x04 no")]))).await;
        assert_eq!(broken.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(broken.body.contains("cannot be read as CSV"), "{}", broken.body);

        // Another rep finds no door to the import, its file or its report.
        let theirs = Browser::signed_in(&server, &other, PASSWORD).await;
        for path in [at.clone(), format!("{at}/report?format=csv")] {
            let page = theirs.get(&path).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
            assert!(!page.body.contains("Işıl"), "{path}");
        }
        assert_eq!(theirs.post(&format!("{at}/undo"), &[]).await.status, StatusCode::NOT_FOUND);
        let list = theirs.get("/imports").await;
        assert!(!list.body.contains("kisiler.csv"));
        assert!(browser.get("/imports").await.body.contains("kisiler.csv"));
    }
}
