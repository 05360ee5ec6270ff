//! Data-subject requests (KVKK article 11) through the router, on SQLite and PostgreSQL:
//! an erasure previewed and run leaves none of the person's name, e-mail, phone or national
//! ID in any text column of any table except the retained ledger, while another person who
//! shares a first name keeps theirs; an open invoice stops it with nothing changed; the
//! export is a ZIP of what is held, gone once the person is erased; a restore of a backup
//! taken before an erasure erases the person again; and a sales rep reaches none of it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::ledger::{days, pay};
use common::{Api, content_type, multipart};
use rehber_app::backup::{RestoreOptions, Target, restore};
use rehber_domain::Role;
use rehber_domain::party::People;
use rehber_files::Files;
use rehber_store::{Backend, Store};
use rehber_testkit::{CompanyBuilder, Fixtures, PersonBuilder, TestDb, both_backends};
use serde_json::{Value, json};
use std::io::Read;
use std::path::PathBuf;

const TCKN: &str = "10000000146";
/// The person's strings an erasure must leave nowhere (the phone as typed, and as stored).
const PERSONAL: [&str; 6] = [
    "Çağlar",
    "isil.caglar@ornek.com.tr",
    "532 111 22 33",
    "5321112233",
    TCKN,
    "Gül Sokak",
];
/// Tables kept by law after an erasure, listed as retained.
const RETAINED: [&str; 5] = [
    "invoices",
    "invoice_lines",
    "payments",
    "payment_allocations",
    "ledger_entries",
];

/// Cells outside the retained tables that still hold `needle`.
async fn leftovers(db: &TestDb, needle: &str) -> Vec<(String, String, String)> {
    db.text_cells_containing(needle)
        .await
        .into_iter()
        .filter(|(table, ..)| !RETAINED.contains(&table.as_str()))
        .collect()
}

async fn activity(api: &Api, token: &str, subject: &str, body: &str, links: Value) {
    let reply = api.call(Method::POST, "/api/v1/activities", Some(token), Some(json!({
        "kind": "call", "subject": subject, "body": body, "status": "done",
        "starts_at": "2026-11-03T14:30:00+03:00", "ends_at": "2026-11-03T14:45:00+03:00", "links": links
    }))).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
}

async fn comment(api: &Api, token: &str, uri: &str, body: &str) {
    let reply = api
        .call(Method::POST, uri, Some(token), Some(json!({"body": body})))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
}

/// An invoice to the person alone (no company), posted; the posted invoice.
async fn person_invoice(api: &Api, token: &str, person: i64) -> Value {
    let body = json!({
        "person_id": person, "currency": "TRY", "issue_date": days(-3).to_string(),
        "lines": [{"description": "Danışmanlık", "quantity": "1", "unit_price": {"minor": 100_000}, "vat_rate": 20}]
    });
    let reply = api
        .call(Method::POST, "/api/v1/invoices", Some(token), Some(body))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    let id = reply.body["id"].as_i64().unwrap();
    let reply = api
        .call(
            Method::POST,
            &format!("/api/v1/invoices/{id}/post"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body
}

/// Işıl Çağlar with her traces: a call about her alone, a visit shared with her company, a
/// comment on the company quoting her, one on her, a file, a consent, an address, a paid
/// invoice. Her id.
async fn person_with_traces(fx: &Fixtures, api: &Api, token: &str) -> i64 {
    let admin = fx.user("kvkk-admin", Role::Administrator, None).await;
    let company = CompanyBuilder::new("Deniz Lojistik")
        .create(&fx.app, &admin.actor())
        .await;
    let person = PersonBuilder::new("Işıl", "Çağlar")
        .email("isil.caglar@ornek.com.tr")
        .phone("0532 111 22 33")
        .national_id(TCKN)
        .create(&fx.app, &admin.actor())
        .await;
    let id = person.id.0;
    let reply = api.call(Method::PATCH, &format!("/api/v1/people/{id}"), Some(token), Some(json!({
        "version": person.meta.version, "street": "Gül Sokak No 4", "city": "İzmir", "notes": "Işıl Hanım sabah arar."
    }))).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    activity(
        api,
        token,
        "Işıl Çağlar ile görüşme",
        "Cep 0532 111 22 33 üzerinden arandı.",
        json!([{"record_type": "person", "record_id": id}]),
    )
    .await;
    activity(api, token, "Depo ziyareti", "Işıl geldi; teklif isil.caglar@ornek.com.tr adresine gidecek.",
        json!([{"record_type": "person", "record_id": id}, {"record_type": "company", "record_id": company.id.0}])).await;
    comment(
        api,
        token,
        &format!("/api/v1/companies/{}/comments", company.id.0),
        "Yeni satın alma sorumlusu IŞIL ÇAĞLAR (+90 532 111 22 33).",
    )
    .await;
    comment(
        api,
        token,
        &format!("/api/v1/people/{id}/comments"),
        "Kızının adı Ece; doğum günü Mayıs'ta.",
    )
    .await;
    let upload = api
        .send(
            Method::POST,
            &format!("/api/v1/people/{id}/attachments"),
            Some(token),
            Body::from(multipart(
                "file",
                "Işıl Çağlar imzalı form.pdf",
                b"%PDF-1.7\nimza\n%%EOF\n",
            )),
            &[("content-type", &content_type())],
        )
        .await;
    assert_eq!(upload.status, StatusCode::CREATED, "{:?}", upload.body);
    let consent = api.call(Method::POST, &format!("/api/v1/people/{id}/consents"), Some(token), Some(json!({
        "channel": "email", "status": "granted", "source": "HS_WEB", "given_at": "2026-11-01T10:00:00+03:00"
    }))).await;
    assert_eq!(consent.status, StatusCode::CREATED, "{:?}", consent.body);
    let invoice = person_invoice(api, token, id).await;
    let (status, body) = pay(api, token, json!({
        "person_id": id, "method": "cash", "amount": {"minor": invoice["totals"]["gross"]["minor"], "currency": "TRY"}, "received_at": days(-1).to_string()
    })).await;
    assert_eq!(status, StatusCode::CREATED, "{body:?}");
    id
}

both_backends! {
    async fn an_erased_person_leaves_no_personal_string_behind(db) {
        let fx = Fixtures::new(db);
        let admin = fx.user("yonetici", Role::Administrator, None).await;
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&admin).await;
        let rep_token = api.token_for(&rep).await;
        let id = person_with_traces(&fx, &api, &token).await;
        // Someone else with the same first name, quoted on another company: not hers.
        let other = PersonBuilder::new("Işıl", "Yılmaz").email("isil@baska.com.tr").create(&fx.app, &admin.actor()).await;
        let elsewhere = CompanyBuilder::new("Kuzey Gıda").create(&fx.app, &admin.actor()).await;
        comment(&api, &token, &format!("/api/v1/companies/{}/comments", elsewhere.id.0), "Işıl aradı, fiyat istedi.").await;
        let uri = format!("/api/v1/people/{id}/erase");

        // A sales rep reaches none of it, not even the preview.
        for path in [format!("{uri}?preview=true"), format!("{uri}?preview=false"), format!("/api/v1/people/{id}/data-export")] {
            let reply = api.call(Method::POST, &path, Some(&rep_token), None).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}: {:?}", reply.body);
        }
        let reply = api.call(Method::GET, "/api/v1/data-requests", Some(&rep_token), None).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        let reply = api.call(Method::POST, &format!("{uri}?preview=maybe"), Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{:?}", reply.body);
        assert_eq!(reply.header("content-type"), Some("application/problem+json"));

        // The preview lists everything and changes nothing.
        let before = db.text_cells_containing("Çağlar").await.len();
        let preview = api.call(Method::POST, &uri, Some(&token), None).await;
        assert_eq!(preview.status, StatusCode::OK, "{:?}", preview.body);
        let plan = &preview.body;
        assert_eq!((plan["preview"].as_bool(), plan["allowed"].as_bool(), plan["erased"].as_bool()), (Some(true), Some(true), Some(false)));
        assert_eq!(plan["name"], "Işıl Çağlar");
        assert_eq!(plan["deleted"]["activities"], 1, "the call about her alone: {plan}");
        assert_eq!(plan["deleted"]["comments"], 1);
        assert_eq!(plan["deleted"]["attachments"], 1);
        assert_eq!(plan["consents_hashed"], 1);
        let redacted: Vec<(&str, &str)> = plan["redacted"].as_array().unwrap().iter().map(|r| (r["table"].as_str().unwrap(), r["column"].as_str().unwrap())).collect();
        for place in [("activities", "body"), ("comments", "body"), ("audit_events", "changes")] {
            assert!(redacted.contains(&place), "{place:?} in {redacted:?}");
        }
        assert!(plan["redacted"].as_array().unwrap().iter().all(|r| !r["after"].as_str().unwrap().contains("Çağlar")));
        let retained: Vec<&str> = plan["retained"].as_array().unwrap().iter().map(|r| r["kind"].as_str().unwrap()).collect();
        assert_eq!(retained, ["invoice", "payment"]);
        assert!(plan["retained"][0]["basis"].as_str().unwrap().contains("VUK"));
        assert_eq!(db.text_cells_containing("Çağlar").await.len(), before, "a preview changes nothing");

        // The erasure.
        let erased = api.call(Method::POST, &format!("{uri}?preview=false"), Some(&token), None).await;
        assert_eq!(erased.status, StatusCode::OK, "{:?}", erased.body);
        assert_eq!((erased.body["preview"].as_bool(), erased.body["erased"].as_bool()), (Some(false), Some(true)));
        for needle in PERSONAL {
            assert_eq!(leftovers(db, needle).await, Vec::new(), "{needle} stays");
        }
        assert_eq!(leftovers(db, "ışıl çağlar").await, Vec::new());
        // What is not hers stays: the other Işıl, the comment on another company.
        assert_eq!(db.text_cells_containing("Işıl aradı, fiyat istedi.").await.len(), 1);
        assert_eq!(db.scalar(&format!("SELECT COUNT(*) FROM people WHERE id = {} AND last_name = 'Yılmaz' AND first_name = 'Işıl'", other.id.0)).await, 1);
        // The shared visit stays, without her; the company is still the company.
        let visit = db.text_cells_containing("[silindi] geldi; teklif [silindi] adresine gidecek.").await;
        assert!(visit.iter().any(|(table, column, _)| table == "activities" && column == "body"), "{visit:?}");
        assert_eq!(db.scalar("SELECT COUNT(*) FROM activities WHERE subject = 'Depo ziyareti'").await, 1);
        assert_eq!(db.scalar("SELECT COUNT(*) FROM companies WHERE name = 'Deniz Lojistik'").await, 1);
        // The record is an anonymous one in the trash; the ledger still adds up.
        assert_eq!(db.scalar(&format!("SELECT COUNT(*) FROM people WHERE id = {id} AND first_name = 'Silinmiş kişi' AND deleted_at IS NOT NULL")).await, 1);
        assert_eq!(db.scalar(&format!("SELECT COUNT(*) FROM invoices WHERE person_id = {id} AND status = 'posted'")).await, 1);
        assert_eq!(db.scalar(&format!("SELECT COUNT(*) FROM consents WHERE person_id = {id} AND address LIKE 'sha256:%'")).await, 1);
        assert_eq!(db.scalar("SELECT COUNT(*) FROM attachments").await, 0);
        assert_eq!(fx.app.files.count().await.unwrap(), 0, "the file is gone from the store");
        // The log of the erasure names no one; it and the audit log refuse rewrites.
        assert_eq!(db.scalar(&format!("SELECT COUNT(*) FROM erasure_log WHERE record_id = {id}")).await, 1);
        assert_eq!(db.scalar(&format!("SELECT COUNT(*) FROM audit_events WHERE record_id = {id} AND action = 'erased'")).await, 1);
        assert!(db.scalar("SELECT COUNT(*) FROM audit_events WHERE redacted_at IS NOT NULL").await > 0);
        db.try_execute("DELETE FROM erasure_log").await.expect_err("the erasure log is kept");
        db.try_execute("UPDATE audit_events SET changes = '[]', redacted_at = NULL").await.expect_err("a redaction is one way");
        db.try_execute("UPDATE audit_events SET action = 'forged', redacted_at = 1").await.expect_err("only the values are redacted");
        // A second preview says she is erased.
        let again = api.call(Method::POST, &uri, Some(&token), None).await;
        assert_eq!(again.body["erased"], true, "{:?}", again.body);
    }
}

both_backends! {
    async fn an_open_invoice_stops_the_erasure_and_nothing_changes(db) {
        let fx = Fixtures::new(db);
        let admin = fx.user("yonetici", Role::Administrator, None).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&admin).await;
        let person = PersonBuilder::new("Ozan", "Kılıç").email("ozan@kilic.com.tr").create(&fx.app, &admin.actor()).await;
        let id = person.id.0;
        let invoice = person_invoice(&api, &token, id).await;
        let uri = format!("/api/v1/people/{id}/erase");

        let preview = api.call(Method::POST, &format!("{uri}?preview=true"), Some(&token), None).await;
        assert_eq!(preview.status, StatusCode::OK, "{:?}", preview.body);
        assert_eq!(preview.body["allowed"], false);
        assert_eq!(preview.body["blockers"][0]["kind"], "invoice");
        assert_eq!(preview.body["blockers"][0]["number"], invoice["number"]);

        let refused = api.call(Method::POST, &format!("{uri}?preview=false"), Some(&token), None).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", refused.body);
        assert_eq!(refused.header("content-type"), Some("application/problem+json"));
        assert!(refused.error_fields().contains(&"person".to_string()), "{:?}", refused.body);
        assert_eq!(db.scalar(&format!("SELECT COUNT(*) FROM people WHERE id = {id} AND last_name = 'Kılıç' AND deleted_at IS NULL")).await, 1);
        assert_eq!(db.scalar("SELECT COUNT(*) FROM erasure_log").await, 0);
        assert!(!db.text_cells_containing("ozan@kilic.com.tr").await.is_empty());

        // Paid, the account is closed and the erasure goes ahead.
        let (status, body) = pay(&api, &token, json!({
            "person_id": id, "method": "transfer", "amount": {"minor": invoice["totals"]["gross"]["minor"], "currency": "TRY"}
        })).await;
        assert_eq!(status, StatusCode::CREATED, "{body:?}");
        let erased = api.call(Method::POST, &format!("{uri}?preview=false"), Some(&token), None).await;
        assert_eq!(erased.status, StatusCode::OK, "{:?}", erased.body);
        assert_eq!(leftovers(db, "ozan@kilic.com.tr").await, Vec::new());
    }
}

both_backends! {
    async fn a_data_export_is_a_zip_of_what_is_held_until_the_erasure(db) {
        let fx = Fixtures::new(db);
        let admin = fx.user("yonetici", Role::Administrator, None).await;
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&admin).await;
        let rep_token = api.token_for(&rep).await;
        let id = person_with_traces(&fx, &api, &token).await;

        let queued = api.call(Method::POST, &format!("/api/v1/people/{id}/data-export"), Some(&token), None).await;
        assert_eq!(queued.status, StatusCode::ACCEPTED, "{:?}", queued.body);
        assert_eq!(queued.body["status"], "queued");
        assert_eq!(queued.body["kind"], "access");
        assert_eq!(queued.body["download"], Value::Null);
        let request = queued.body["id"].as_i64().unwrap();
        let location = format!("/api/v1/data-requests/{request}");
        assert_eq!(queued.header("location"), Some(location.as_str()));
        fx.app.drain_jobs("test").await.unwrap();

        let done = api.call(Method::GET, &location, Some(&token), None).await;
        assert_eq!(done.body["status"], "done", "{:?}", done.body);
        let download = done.body["download"].as_str().unwrap().to_string();
        for path in [location.clone(), download.clone(), "/api/v1/data-requests".to_string()] {
            let reply = api.call(Method::GET, &path, Some(&rep_token), None).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
        }
        let listed = api.call(Method::GET, &format!("/api/v1/data-requests?person_id={id}"), Some(&token), None).await;
        assert_eq!(listed.body["items"][0]["id"], request);

        let zip = api.call(Method::GET, &download, Some(&token), None).await;
        assert_eq!(zip.status, StatusCode::OK);
        assert_eq!(zip.header("content-type"), Some("application/zip"));
        assert_eq!(zip.header("content-disposition"), Some(format!("attachment; filename=\"kisi-{id}-verileri-{request}.zip\"").as_str()));
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.bytes.clone())).unwrap();
        let names: Vec<String> = archive.file_names().map(|n| n.unwrap().into_owned()).collect();
        for name in ["BENİOKU.txt", "kisi.json", "kisi.csv", "etkinlikler.csv", "yorumlar.csv", "izinler.csv", "faturalar.csv", "tahsilatlar.csv", "denetim_kaydi.csv"] {
            assert!(names.contains(&name.to_string()), "{name} in {names:?}");
        }
        let attachment = names.iter().find(|n| n.starts_with("ekler/")).expect("the file is in the archive");
        let mut pdf = Vec::new();
        archive.by_name(&attachment.clone()).unwrap().read_to_end(&mut pdf).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        let mut text = String::new();
        archive.by_name("kisi.json").unwrap().read_to_string(&mut text).unwrap();
        let document: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(document["data"]["kisi"][0]["first_name"], "Işıl");
        assert_eq!(document["data"]["etkinlikler"].as_array().unwrap().len(), 2);
        assert_eq!(document["data"]["izinler"][0]["address"], "isil.caglar@ornek.com.tr");
        let mut readme = String::new();
        archive.by_name("BENİOKU.txt").unwrap().read_to_string(&mut readme).unwrap();
        assert!(readme.contains("KVKK madde 11"));
        let mut csv = String::new();
        archive.by_name("kisi.csv").unwrap().read_to_string(&mut csv).unwrap();
        assert!(csv.contains("Çağlar") && csv.lines().next().unwrap().contains("first_name"), "{csv}");

        // Erased, the export goes too: it held everything.
        let erased = api.call(Method::POST, &format!("/api/v1/people/{id}/erase?preview=false"), Some(&token), None).await;
        assert_eq!(erased.status, StatusCode::OK, "{:?}", erased.body);
        assert_eq!(erased.body["deleted"]["data_exports"], 1);
        let gone = api.call(Method::GET, &download, Some(&token), None).await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND);
        assert_eq!(fx.app.files.count().await.unwrap(), 0);
    }
}

both_backends! {
    async fn a_restore_of_an_older_backup_erases_the_person_again(db) {
        let fx = Fixtures::new(db);
        let admin = fx.user("yonetici", Role::Administrator, None).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&admin).await;
        let dir = tempfile::tempdir().unwrap();
        let files = Files::local(&dir.path().join("files")).unwrap();
        let mut app = fx.app.clone();
        app.files = files.clone();
        let gone = PersonBuilder::new("Işıl", "Çağlar").email("isil.caglar@ornek.com.tr").create(&app, &admin.actor()).await;
        let stays = PersonBuilder::new("Kaan", "Er").email("kaan@er.com.tr").create(&app, &admin.actor()).await;
        let out = dir.path().join("yedek.zip");
        app.backup(&db.url(), &out).await.unwrap();

        let erased = api.call(Method::POST, &format!("/api/v1/people/{}/erase?preview=false", gone.id.0), Some(&token), None).await;
        assert_eq!(erased.status, StatusCode::OK, "{:?}", erased.body);
        let target = match db.backend() {
            Backend::Sqlite => Target::Sqlite(PathBuf::from(db.url())),
            Backend::Postgres => Target::Postgres(db.url()),
        };
        let report = restore(RestoreOptions { from: &out, target, files: &files, aside_dir: dir.path(), force: true }).await.unwrap();
        assert_eq!(report.erased_again, vec![gone.id.0]);

        let store = Store::connect(&db.url(), 2).await.unwrap();
        let read = |id| { let store = store.clone(); async move { store.unscoped().get_including_deleted::<People>(id).await.unwrap() } };
        assert_eq!(read(gone.id).await.fields.first_name, "Silinmiş kişi", "erased again");
        assert!(read(gone.id).await.fields.emails.is_empty());
        assert_eq!(read(stays.id).await.fields.first_name, "Kaan", "the others come back as they were");
        assert_eq!(store.erasures().await.unwrap().len(), 1);
        store.close().await;
    }
}
