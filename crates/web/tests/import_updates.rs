//! Imports that update the records their rows match, through the API, on SQLite and
//! PostgreSQL: the check shows per row what will change and writes nothing; the commit
//! updates (and creates the other rows) all or nothing, audited; the undo puts the updated
//! records back and keeps those changed since, and keeps created records someone linked to
//! since; skipping matches; rows matching two records or one record twice; no door to
//! another rep's records (neither updated nor named); a record changed between the last
//! check and the write ends the commit with nothing written; custom values and the copies
//! other records keep follow an update and its undo; and the page choosing the mode and
//! following a long step's progress.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::browser::Browser;
use common::server::TestServer;
use common::{Api, Reply, content_type, multipart_fields};
use rehber_domain::party::{Companies, People};
use rehber_domain::{CompanyId, PersonId, Role};
use rehber_testkit::{CompanyBuilder, Fixtures, PASSWORD, PersonBuilder, both_backends};
use serde_json::{Value, json};

async fn upload(api: &Api, token: &str, kind: &str, on_match: &str, csv: &str) -> Reply {
    let body = multipart_fields(&[
        ("kind", None, kind.as_bytes()),
        ("on_match", None, on_match.as_bytes()),
        ("file", Some("guncelleme.csv"), csv.as_bytes()),
    ]);
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
    let path = format!("/api/v1/imports/{id}/{step}");
    api.call(Method::POST, &path, Some(token), None).await
}

/// Uploads and checks a file; the checked import.
async fn checked(api: &Api, token: &str, kind: &str, on_match: &str, csv: &str) -> Value {
    let created = upload(api, token, kind, on_match, csv).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["on_match"], on_match);
    let id = created.body["id"].as_i64().unwrap();
    let reply = step(api, token, id, "check").await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body
}

/// The changes a report row shows, as `field: from → to`.
fn changes(row: &Value) -> Vec<String> {
    row["update"]["changes"]
        .as_array()
        .unwrap_or_else(|| panic!("no update: {row:?}"))
        .iter()
        .map(|c| {
            format!(
                "{}: {} → {}",
                c["field"].as_str().unwrap(),
                c["from"].as_str().unwrap(),
                c["to"].as_str().unwrap()
            )
        })
        .collect()
}

both_backends! {
    async fn matching_rows_show_their_changes_update_on_commit_and_the_undo_puts_them_back(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;
        let isil = PersonBuilder::new("Işıl", "Çağlar")
            .email("isil@ornek.com.tr")
            .phone("0532 111 22 33")
            .job_title("Muhasebe")
            .city("İzmir")
            .tag("fuar")
            .create(&fx.app, &rep.actor())
            .await;
        let csv = "Ad Soyad;E-posta;Unvan;İl;Etiket;Telefon\n\
                   Işıl Çağlar;ISIL@ornek.com.tr;Satın alma;Ankara;bayi;\n\
                   Zeynep Öz;zeynep@ornek.com.tr;;;;\n\
                   Işıl Çağlar;isil.c@ornek.com.tr;Satın alma;Ankara;bayi;0532 111 22 33\n";
        let import = checked(&api, &token, "people", "update", csv).await;
        let id = import["id"].as_i64().unwrap();
        assert_eq!(import["counts"]["errors"], 1, "{import:?}");
        assert_eq!((import["matches"]["updates"].as_u64(), import["matches"]["creates"].as_u64()), (Some(1), Some(1)));
        let rows = import["rows"].as_array().unwrap();
        let twice = rows.iter().find(|r| r["line"] == 4).unwrap();
        assert_eq!(twice["messages"][0]["code"], "invalid-import-same-record", "{twice:?}");
        assert_eq!(twice["messages"][0]["detail"], "2");
        let update = rows.iter().find(|r| r["line"] == 2).unwrap();
        assert_eq!(update["status"], "ok");
        assert_eq!(update["update"]["record_id"], isil.id.0);
        assert_eq!(update["update"]["title"], "Işıl Çağlar");
        assert_eq!(
            changes(update),
            ["city: İzmir → Ankara", "job_title: Muhasebe → Satın alma", "tags: fuar → bayi, fuar"],
            "an e-mail in capitals is the one kept, not a change"
        );
        let kept = fx.app.get::<People>(&rep.actor(), isil.id).await.unwrap();
        assert_eq!(kept.fields.job_title, "Muhasebe", "a check writes nothing");

        let committed = api.call(Method::POST, &format!("/api/v1/imports/{id}/commit?skip_errors=true"), Some(&token), None).await;
        assert_eq!(committed.status, StatusCode::OK, "{:?}", committed.body);
        assert_eq!((committed.body["rows_created"].as_u64(), committed.body["rows_updated"].as_u64()), (Some(1), Some(1)));
        let updated = fx.app.get::<People>(&rep.actor(), isil.id).await.unwrap();
        assert_eq!(updated.fields.job_title, "Satın alma");
        assert_eq!(updated.fields.address.city, "Ankara");
        assert_eq!(updated.fields.tags, ["bayi", "fuar"], "kept in order, the row's added");
        assert_eq!(updated.fields.emails.len(), 1);
        assert_eq!(updated.ownership.owner_id, Some(rep.id), "the owner stays");
        let audited = format!(
            "SELECT COUNT(*) FROM audit_events WHERE record_type = 'person' AND record_id = {} \
             AND action = 'updated' AND changes LIKE '%Satın alma%' AND changes LIKE '%#{id}%'",
            isil.id.0
        );
        assert_eq!(db.scalar(&audited).await, 1, "the update is audited, naming the import");

        let undone = step(&api, &token, id, "undo").await;
        assert_eq!(undone.status, StatusCode::OK, "{:?}", undone.body);
        assert_eq!(undone.body["undo"], json!({"trashed": 1, "restored": 1, "kept": 0}));
        let back = fx.app.get::<People>(&rep.actor(), isil.id).await.unwrap();
        assert_eq!(
            (back.fields.job_title.as_str(), back.fields.address.city.as_str(), back.fields.tags.clone()),
            ("Muhasebe", "İzmir", vec!["fuar".to_string()])
        );
        assert_eq!(db.scalar("SELECT COUNT(*) FROM people WHERE deleted_at IS NULL").await, 1, "the created one is in the trash");
        // What the undo put back is not kept once no undo can use it.
        assert_eq!(db.scalar("SELECT COUNT(*) FROM import_updates").await, 1);
        assert_eq!(fx.store().forget_import_updates(0).await.unwrap(), 1, "an undone import's copies go");
        assert_eq!(db.scalar("SELECT COUNT(*) FROM import_updates").await, 0);
    }
}

both_backends! {
    async fn an_undo_keeps_what_was_changed_or_linked_to_since(db) {
        let fx = Fixtures::new(db);
        let admin = fx.user("admin", Role::Administrator, None).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&admin).await;
        let anadolu = CompanyBuilder::new("Anadolu Gıda A.Ş.")
            .tax_number("4540536920")
            .city("İstanbul")
            .create(&fx.app, &admin.actor())
            .await;
        let csv = "Firma adı;Vergi No;İl;Web sitesi\n\
                   Anadolu Gıda A.Ş.;4540536920;Bursa;\n\
                   Ege Tekstil;;İzmir;\n\
                   Marmara Lojistik;;Kocaeli;\n";
        let import = checked(&api, &token, "companies", "update", csv).await;
        let id = import["id"].as_i64().unwrap();
        assert_eq!((import["matches"]["updates"].as_u64(), import["matches"]["creates"].as_u64(), import["counts"]["errors"].as_u64()), (Some(1), Some(2), Some(0)), "{import:?}");
        assert_eq!(step(&api, &token, id, "commit").await.status, StatusCode::OK);

        // Since the import: the updated company is edited, and a person joins a created one.
        let patch = rehber_domain::party::CompanyPatch { website: Some("anadolugida.com.tr".into()), ..Default::default() };
        fx.app.update::<Companies>(&admin.actor(), anadolu.id, None, patch, Default::default()).await.unwrap();
        let ege = db.scalar("SELECT id FROM companies WHERE name = 'Ege Tekstil'").await;
        PersonBuilder::new("Deniz", "Ak").company(CompanyId(ege)).create(&fx.app, &admin.actor()).await;

        let undone = step(&api, &token, id, "undo").await;
        assert_eq!(undone.status, StatusCode::OK, "{:?}", undone.body);
        assert_eq!(undone.body["undo"], json!({"trashed": 1, "restored": 0, "kept": 2}));
        let anadolu = fx.app.get::<Companies>(&admin.actor(), anadolu.id).await.unwrap();
        assert_eq!((anadolu.fields.address.city.as_str(), anadolu.fields.website.as_str()), ("Bursa", "https://anadolugida.com.tr"), "changed since: kept as it is");
        assert_eq!(db.scalar(&format!("SELECT COUNT(*) FROM companies WHERE id = {ege} AND deleted_at IS NULL")).await, 1, "a company with a person stays");
        assert_eq!(db.scalar("SELECT COUNT(*) FROM companies WHERE name = 'Marmara Lojistik' AND deleted_at IS NOT NULL").await, 1);
    }
}

both_backends! {
    async fn a_rep_neither_updates_nor_learns_of_another_reps_records(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Güney")).await;
        let api = Api::new(&fx.app);
        let token_a = api.token_for(&rep_a).await;
        let theirs = PersonBuilder::new("Mert", "Kaya").email("mert@ornek.com.tr").job_title("Müdür").create(&fx.app, &rep_b.actor()).await;
        let mine = PersonBuilder::new("Ayşe", "Yıldız").email("ayse@ornek.com.tr").create(&fx.app, &rep_a.actor()).await;
        let other_mine = PersonBuilder::new("Ayşe", "Y.").phone("0532 111 22 33").create(&fx.app, &rep_a.actor()).await;
        let csv = "Ad Soyad;E-posta;Telefon;Unvan\n\
                   Mert Kaya;mert@ornek.com.tr;;Stajyer\n\
                   Ayşe Yıldız;ayse@ornek.com.tr;0532 111 22 33;Satış\n";
        let update = checked(&api, &token_a, "people", "update", csv).await;
        let rows = update["rows"].as_array().unwrap();
        let line = |n: i64| rows.iter().find(|r| r["line"] == n).unwrap_or_else(|| panic!("line {n}: {rows:?}"));
        assert_eq!(line(2)["messages"][0]["code"], "invalid-duplicate-record");
        assert_eq!(line(2)["messages"][0]["detail"], Value::Null, "another rep's record is not named");
        assert!(line(2).get("update").is_none());
        assert_eq!(line(3)["messages"][0]["code"], "invalid-import-matches-several");
        let named = line(3)["messages"][0]["detail"].as_str().unwrap().to_string();
        assert!(named.contains(&mine.id.0.to_string()) && named.contains(&other_mine.id.0.to_string()), "{named}");
        assert_eq!(update["counts"]["errors"], 2);

        let skip = checked(&api, &token_a, "people", "skip", "Ad Soyad;E-posta\nMert Kaya;mert@ornek.com.tr\nNur Şen;nur@ornek.com.tr\n").await;
        assert_eq!((skip["matches"]["skipped"].as_u64(), skip["matches"]["creates"].as_u64(), skip["counts"]["errors"].as_u64()), (Some(1), Some(1), Some(0)), "{skip:?}");
        assert_eq!(skip["rows"][0]["messages"][0]["code"], "import-match-skipped");
        assert_eq!(skip["rows"][0]["messages"][0]["detail"], Value::Null);
        let committed = step(&api, &token_a, skip["id"].as_i64().unwrap(), "commit").await;
        assert_eq!((committed.body["rows_created"].as_u64(), committed.body["rows_updated"].as_u64()), (Some(1), Some(0)));
        let untouched = fx.app.get::<People>(&rep_b.actor(), PersonId(theirs.id.0)).await.unwrap();
        assert_eq!(untouched.fields.job_title, "Müdür");
        assert_eq!(db.scalar("SELECT COUNT(*) FROM people").await, 4);

        // A mode that is none of the three is refused, at the upload and with the mapping.
        let bad = upload(&api, &token_a, "people", "merge", "Ad\nAli\n").await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", bad.body);
        assert_eq!(bad.body["errors"][0]["field"], "on_match", "{:?}", bad.body);
        let id = update["id"].as_i64().unwrap();
        let remap = api.call(Method::PUT, &format!("/api/v1/imports/{id}/mapping"), Some(&token_a), Some(json!({"on_match": "sometimes"}))).await;
        assert_eq!(remap.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", remap.body);
        let remap = api.call(Method::PUT, &format!("/api/v1/imports/{id}/mapping"), Some(&token_a), Some(json!({"on_match": "refuse"}))).await;
        assert_eq!((remap.status, remap.body["on_match"].as_str(), remap.body["status"].as_str()), (StatusCode::OK, Some("refuse"), Some("uploaded")));
    }
}

both_backends! {
    async fn the_page_chooses_what_matches_do_and_follows_a_long_step(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        PersonBuilder::new("Işıl", "Çağlar").email("isil@ornek.com.tr").job_title("Muhasebe").create(&fx.app, &rep.actor()).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;
        let created = upload(&api, &token, "people", "refuse", "Ad Soyad;E-posta;Unvan\nIşıl Çağlar;isil@ornek.com.tr;Satın alma\n").await;
        let id = created.body["id"].as_i64().unwrap();
        let server = TestServer::spawn(&fx.app);
        let browser = Browser::signed_in(&server, &rep, PASSWORD).await;
        let at = format!("/imports/{id}");

        let mapped = browser.post(&format!("{at}/mapping"), &[("column_0", "full_name"), ("column_1", "emails"), ("column_2", "job_title"), ("on_match", "update")]).await;
        assert_eq!(mapped.location(), format!("{at}?notice=notice-import-mapped"));
        let checked = browser.post(&format!("{at}/check"), &[]).await;
        let shown = browser.get(&checked.location()).await;
        assert!(shown.body.contains("Rows creating a record: 0; updating one: 1"), "{}", shown.body);
        assert!(shown.body.contains("Updates Işıl Çağlar") && shown.body.contains("“Muhasebe” → “Satın alma”"), "{}", shown.body);
        assert!(shown.body.contains("data-tone=\"info\""));

        // A step still running: the page shows how far it is and looks again by itself.
        db.execute(&format!("UPDATE imports SET status = 'committing', progress = 40 WHERE id = {id}")).await;
        let running = browser.get(&at).await;
        assert!(running.body.contains("data-import-running") && running.body.contains("value=\"40\""), "{}", running.body);
        assert!(running.body.contains("Writing the records"), "{}", running.body);
        assert!(!running.body.contains("data-import-commit"), "no second commit while one runs");
    }
}

both_backends! {
    async fn an_update_commit_meeting_a_record_changed_since_writes_nothing(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;
        let mut people = Vec::new();
        for (first, email) in [("Işıl", "isil@ornek.com.tr"), ("Çağlar", "caglar@ornek.com.tr"), ("Zeynep", "zeynep@ornek.com.tr")] {
            people.push(PersonBuilder::new(first, "Öz").email(email).job_title("Muhasebe").tag("fuar").create(&fx.app, &rep.actor()).await);
        }
        let csv = "Ad;Soyad;E-posta;Unvan\nIşıl;Öz;isil@ornek.com.tr;Satın alma\nÇağlar;Öz;caglar@ornek.com.tr;Satın alma\n\
                   Zeynep;Öz;zeynep@ornek.com.tr;Satın alma\nNur;Şen;nur@ornek.com.tr;\n";
        let import = checked(&api, &token, "people", "update", csv).await;
        let id = import["id"].as_i64().unwrap();
        assert_eq!((import["matches"]["updates"].as_u64(), import["matches"]["creates"].as_u64()), (Some(3), Some(1)), "{import:?}");

        // What the services hand the store after their second check, as the store sees it
        // when the third record changed between that check and the commit's write.
        let updates: Vec<rehber_store::ImportUpdate<_>> = people.iter().map(|p| {
            let mut fields = p.fields.clone();
            fields.job_title = "Satın alma".into();
            rehber_store::ImportUpdate {
                record_id: p.id.0,
                version: p.meta.version,
                fields,
                ownership: p.ownership,
                before: "{}".into(),
                changes: vec![],
            }
        }).collect();
        let patch = rehber_domain::party::PersonPatch { job_title: Some("Genel müdür".into()), ..Default::default() };
        fx.app.update::<People>(&rep.actor(), people[2].id, None, patch, Default::default()).await.unwrap();
        let rows = vec![rehber_store::BulkRow {
            fields: PersonBuilder::new("Nur", "Şen").email("nur@ornek.com.tr").fields(),
            ownership: rehber_domain::party::Ownership { owner_id: Some(rep.id), team_id: rep.team_id },
            created_at: jiff::Timestamp::now(),
        }];
        assert!(fx.store().move_import(id, &[rehber_domain::import::ImportStatus::Checked], rehber_domain::import::ImportStatus::Committing).await.unwrap());
        let entry = rehber_store::AuditEntry { actor: Some(rep.id), record_type: "import", record_id: id, action: "committed", changes: vec![] };
        let conflict = fx.store().commit_import::<People>(id, (&rows, &updates), &[], &entry).await.unwrap().unwrap_err();
        assert_eq!((conflict.row, conflict.record_id), (3, people[2].id.0), "the created row first, then the updates");

        for (person, title) in people.iter().zip(["Muhasebe", "Muhasebe", "Genel müdür"]) {
            let stored = fx.app.get::<People>(&rep.actor(), person.id).await.unwrap();
            assert_eq!(stored.fields.job_title, title, "nothing of the import was written");
        }
        assert_eq!(db.scalar("SELECT COUNT(*) FROM people").await, 3);
        assert_eq!(db.scalar("SELECT COUNT(*) FROM import_updates").await, 0);
        assert_eq!(db.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'updated' AND record_type = 'person'").await, 1, "only the edit's");
        assert_eq!(db.scalar(&format!("SELECT COUNT(*) FROM imports WHERE id = {id} AND status = 'committing'")).await, 1);

        // Without the change in between, the same writes land together, tags and all.
        let fresh = fx.app.get::<People>(&rep.actor(), people[2].id).await.unwrap();
        let mut updates = updates;
        updates[2].version = fresh.meta.version;
        let created = fx.store().commit_import::<People>(id, (&rows, &updates), &[], &entry).await.unwrap().unwrap();
        assert_eq!(created.len(), 1);
        for person in &people {
            let stored = fx.app.get::<People>(&rep.actor(), person.id).await.unwrap();
            assert_eq!((stored.fields.job_title.as_str(), stored.fields.tags.clone()), ("Satın alma", vec!["fuar".to_string()]));
            let edits = if person.id == people[2].id { 2 } else { 1 };
            assert_eq!(stored.meta.version, person.meta.version + edits, "the edit's and the import's");
        }
        assert_eq!(db.scalar("SELECT COUNT(*) FROM import_updates").await, 3);
        assert_eq!(db.scalar("SELECT COUNT(*) FROM person_tags WHERE tag = 'fuar'").await, 3);
    }
}

both_backends! {
    async fn an_update_rewrites_custom_values_and_the_copies_other_records_keep(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&admin).await;
        let field = json!({"record_type": "company", "key": "bolge", "type": "choice", "label_tr": "Satış bölgesi", "label_en": "Sales region", "options": [
            {"key": "marmara", "label_tr": "Marmara", "label_en": "Marmara"}, {"key": "ege", "label_tr": "Ege", "label_en": "Aegean"}]});
        let reply = api.call(Method::POST, "/api/v1/custom-fields", Some(&token), Some(field)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        let created = api.call(Method::POST, "/api/v1/companies", Some(&token), Some(json!({
            "name": "Anadolu Gıda A.Ş.", "tax_number": "4540536920", "custom": {"bolge": "marmara"},
        }))).await;
        assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
        let company = created.body["id"].as_i64().unwrap();
        let person = PersonBuilder::new("Deniz", "Ak").company(CompanyId(company)).create(&fx.app, &admin.actor()).await;
        let key_of_person = |like: &str| format!("SELECT COUNT(*) FROM people WHERE id = {} AND company_key LIKE '%{like}%'", person.id.0);
        let region = |key: &str| format!("SELECT COUNT(*) FROM custom_values WHERE record_id = {company} AND v_text = '{key}'");
        assert_eq!(db.scalar(&region("marmara")).await, 1);

        let csv = "Firma adı;Vergi No;Satış bölgesi\nAnadolu Gıda Sanayi A.Ş.;4540536920;Ege\n";
        let import = checked(&api, &token, "companies", "update", csv).await;
        let id = import["id"].as_i64().unwrap();
        assert_eq!(import["matches"]["updates"], 1, "{import:?}");
        let server = TestServer::spawn(&fx.app);
        let browser = Browser::signed_in(&server, &admin, PASSWORD).await;
        let shown = browser.get(&format!("/imports/{id}")).await;
        assert!(shown.body.contains("Sales region “Marmara” → “Aegean”"), "a custom field by its label, an option by its: {}", shown.body);

        assert_eq!(step(&api, &token, id, "commit").await.status, StatusCode::OK);
        assert_eq!((db.scalar(&region("ege")).await, db.scalar(&region("marmara")).await), (1, 0), "the filterable copy follows");
        assert_eq!(db.scalar(&key_of_person("sanayi")).await, 1, "the person's copy of the company name follows");

        let undone = step(&api, &token, id, "undo").await;
        assert_eq!(undone.body["undo"], json!({"trashed": 0, "restored": 1, "kept": 0}), "{:?}", undone.body);
        assert_eq!((db.scalar(&region("ege")).await, db.scalar(&region("marmara")).await), (0, 1));
        assert_eq!((db.scalar(&key_of_person("sanayi")).await, db.scalar(&key_of_person("anadolu")).await), (0, 1));
    }
}
