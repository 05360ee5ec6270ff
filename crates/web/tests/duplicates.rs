//! Duplicates on create and edit through the router, on SQLite and PostgreSQL: a second
//! "Ahmet Ölmez" with the same e-mail in capitals and the same phone is refused (409 naming
//! the first) unless `allow_duplicate=true`; a duplicate VKN names the company; an edit is
//! checked only for the keys it adds; a record in the trash blocks nothing; another rep's
//! record is named by id only; and the person form shows the match with a link and a
//! "Save anyway" box. Similar names (Turkish letters folded, a company's legal form left
//! out) are listed for review but never refused; the merge screen picks values field by
//! field.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::Api;
use common::browser::Browser;
use common::server::TestServer;
use rehber_app::AuditFilter;
use rehber_domain::Role;
use rehber_domain::party::{Companies, People};
use rehber_testkit::{CompanyBuilder, Fixtures, PASSWORD, PersonBuilder, both_backends};
use serde_json::json;

both_backends! {
    async fn a_second_ahmet_olmez_is_refused_unless_allowed(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;
        let first = api.call(Method::POST, "/api/v1/people", Some(&token), Some(json!({
            "first_name": "Ahmet", "last_name": "Ölmez", "email": "ahmet.olmez@example.com", "phone": "0532 111 22 33"
        }))).await;
        assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
        let first_id = first.body["id"].as_i64().unwrap();

        let again = json!({"first_name": "Ahmet", "last_name": "Ölmez", "email": "AHMET.OLMEZ@EXAMPLE.COM", "phone": "+90 532 111 2233"});
        let refused = api.call(Method::POST, "/api/v1/people", Some(&token), Some(again.clone())).await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
        assert_eq!(refused.content_type, "application/problem+json");
        assert_eq!(refused.body["duplicate_id"], first_id);
        assert_eq!(refused.body["type"], "https://rehber.dev/problems/duplicate");
        assert!(refused.body["detail"].as_str().unwrap().contains("Ahmet Ölmez"), "{:?}", refused.body);
        assert!(refused.error_fields().iter().any(|f| f == "emails"), "{:?}", refused.body);
        // The phone alone is enough.
        let by_phone = api.call(Method::POST, "/api/v1/people", Some(&token), Some(json!({"first_name": "A.", "last_name": "Ölmez", "phone": "05321112233"}))).await;
        assert_eq!((by_phone.status, by_phone.body["duplicate_id"].as_i64()), (StatusCode::CONFLICT, Some(first_id)));
        assert_eq!(db.scalar("SELECT COUNT(*) FROM people").await, 1, "nothing refused was kept");

        // Allowed in the query or the body, it is kept.
        let allowed = api.call(Method::POST, "/api/v1/people?allow_duplicate=true", Some(&token), Some(again.clone())).await;
        assert_eq!(allowed.status, StatusCode::CREATED, "{:?}", allowed.body);
        let second_id = allowed.body["id"].as_i64().unwrap();
        let mut in_body = again.clone();
        in_body["allow_duplicate"] = json!(true);
        assert_eq!(api.call(Method::POST, "/api/v1/people", Some(&token), Some(in_body)).await.status, StatusCode::CREATED);
        let bad_flag = api.call(Method::POST, "/api/v1/people?allow_duplicate=yes", Some(&token), Some(again.clone())).await;
        assert_eq!(bad_flag.status, StatusCode::BAD_REQUEST, "{:?}", bad_flag.body);

        // Editing a record that already repeats another is checked only for what it adds.
        let retitled = api.call(Method::PATCH, &format!("/api/v1/people/{second_id}"), Some(&token), Some(json!({"job_title": "Satın alma"}))).await;
        assert_eq!(retitled.status, StatusCode::OK, "{:?}", retitled.body);
        let other = api.call(Method::POST, "/api/v1/people", Some(&token), Some(json!({"first_name": "Ayşe", "last_name": "Kaya", "email": "ayse@example.com"}))).await;
        let other_id = other.body["id"].as_i64().unwrap();
        let uri = format!("/api/v1/people/{other_id}");
        let taken = api.call(Method::PATCH, &uri, Some(&token), Some(json!({"phones": ["0532 111 22 33"]}))).await;
        assert_eq!((taken.status, taken.body["duplicate_id"].as_i64()), (StatusCode::CONFLICT, Some(first_id)), "{:?}", taken.body);
        let kept = api.call(Method::PATCH, &format!("{uri}?allow_duplicate=true"), Some(&token), Some(json!({"phones": ["0532 111 22 33"]}))).await;
        assert_eq!(kept.status, StatusCode::OK, "{:?}", kept.body);

        // A record in the trash blocks nothing.
        for id in [first_id, second_id, other_id] {
            assert_eq!(api.call(Method::DELETE, &format!("/api/v1/people/{id}"), Some(&token), None).await.status, StatusCode::NO_CONTENT);
        }
        let trashed = api.call(Method::GET, "/api/v1/people", Some(&token), None).await;
        let live: Vec<i64> = trashed.body["items"].as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect();
        for id in live {
            api.call(Method::DELETE, &format!("/api/v1/people/{id}"), Some(&token), None).await;
        }
        let fresh = api.call(Method::POST, "/api/v1/people", Some(&token), Some(again)).await;
        assert_eq!(fresh.status, StatusCode::CREATED, "{:?}", fresh.body);
    }
}

both_backends! {
    async fn a_duplicate_tax_number_names_the_company_and_another_reps_record_only_by_id(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let colleague = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let api = Api::new(&fx.app);
        let (own, other) = (api.token_for(&rep).await, api.token_for(&colleague).await);
        let company = api.call(Method::POST, "/api/v1/companies", Some(&own), Some(json!({"name": "Çağlar Tekstil A.Ş.", "tax_number": "1234567890"}))).await;
        assert_eq!(company.status, StatusCode::CREATED, "{:?}", company.body);
        let company_id = company.body["id"].as_i64().unwrap();

        let again = api.call(Method::POST, "/api/v1/companies", Some(&own), Some(json!({"name": "ÇAĞLAR TEKSTİL", "tax_number": "1234567890"}))).await;
        assert_eq!((again.status, again.body["duplicate_id"].as_i64()), (StatusCode::CONFLICT, Some(company_id)), "{:?}", again.body);
        assert!(again.body["detail"].as_str().unwrap().contains("Çağlar Tekstil A.Ş."));
        assert!(again.error_fields().iter().any(|f| f == "tax_number"));
        // A tax number is one legal entity: even allowed, the second is refused.
        let forced = api.call(Method::POST, "/api/v1/companies?allow_duplicate=true", Some(&own), Some(json!({"name": "ÇAĞLAR TEKSTİL", "tax_number": "1234567890"}))).await;
        assert_eq!(forced.status, StatusCode::CONFLICT, "{:?}", forced.body);

        // The colleague learns that the customer exists, never whose or what it is called.
        let hidden = api.call(Method::POST, "/api/v1/companies", Some(&other), Some(json!({"name": "Başka ad", "tax_number": "1234567890"}))).await;
        assert_eq!((hidden.status, hidden.body["duplicate_id"].as_i64()), (StatusCode::CONFLICT, Some(company_id)));
        assert!(!hidden.body.to_string().contains("Çağlar"), "{:?}", hidden.body);
        let person = PersonBuilder::new("Gizli", "Kişi").email("gizli@example.com").create(&fx.app, &rep.actor()).await;
        let hidden = api.call_raw(Method::POST, "/api/v1/people", Some(&other), Some(json!({"first_name": "X", "email": "gizli@example.com"}).to_string()), &[("accept-language", "tr"), ("content-type", "application/json")]).await;
        assert_eq!((hidden.status, hidden.body["duplicate_id"].as_i64()), (StatusCode::CONFLICT, Some(person.id.0)));
        assert!(!hidden.body.to_string().contains("Gizli"));
        assert!(hidden.body["detail"].as_str().unwrap().contains("Göremediğiniz"), "{:?}", hidden.body);
    }
}

both_backends! {
    async fn the_person_form_shows_the_match_and_saves_anyway_when_ticked(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let first = PersonBuilder::new("Ahmet", "Ölmez").email("ahmet.olmez@example.com").create(&fx.app, &rep.actor()).await;
        let server = TestServer::spawn(&fx.app);
        let browser = Browser::signed_in(&server, &rep, PASSWORD).await;
        let fields = [("_section", "all"), ("first_name", "Ahmet"), ("last_name", "Ölmez"), ("emails", "Ahmet.Olmez@Example.com")];

        let refused = browser.submit("/people/new", "/people", &fields).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        assert!(refused.body.contains("This may already be kept:"), "{}", refused.body);
        assert!(refused.body.contains(&format!("<a href=\"/people/{}\">Ahmet Ölmez</a>", first.id.0)), "a link to the match");
        assert!(refused.body.contains("data-allow-duplicate"), "the box to save anyway");
        assert!(refused.body.contains("value=\"Ahmet.Olmez@Example.com\""), "the form keeps what was typed");
        assert_eq!(db.scalar("SELECT COUNT(*) FROM people").await, 1);

        let mut anyway = fields.to_vec();
        anyway.push(("allow_duplicate", "true"));
        let saved = browser.submit("/people/new", "/people", &anyway).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert_eq!(db.scalar("SELECT COUNT(*) FROM people").await, 2);
    }
}

both_backends! {
    async fn possible_duplicates_are_listed_and_merged_with_every_link_moving(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let colleague = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let api = Api::new(&fx.app);
        let (token, other) = (api.token_for(&rep).await, api.token_for(&colleague).await);
        let kept = PersonBuilder::new("Ahmet", "Ölmez").email("ahmet.olmez@example.com").phone("0532 111 22 33").create(&fx.app, &rep.actor()).await.id.0;
        let gone = PersonBuilder::new("A.", "Ölmez").email("AHMET.OLMEZ@example.com").email("ahmet@olmez.com.tr").tag("vip").create(&fx.app, &rep.actor()).await.id.0;
        PersonBuilder::new("Başka", "Biri").email("baska@example.com").create(&fx.app, &rep.actor()).await;
        api.call(Method::PATCH, &format!("/api/v1/people/{gone}?allow_duplicate=true"), Some(&token), Some(json!({"job_title": "Satın alma"}))).await;

        // The review list: the pair, both named, with what they share.
        let listed = api.call(Method::GET, "/api/v1/duplicates?record_type=person", Some(&token), None).await;
        assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);
        let items = listed.body["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{items:?}");
        assert_eq!((items[0]["a_id"].as_i64(), items[0]["b_id"].as_i64()), (Some(kept), Some(gone)));
        assert_eq!(items[0]["b_name"], "A. Ölmez");
        assert_eq!(items[0]["reasons"], json!(["emails"]));
        let hidden = api.call(Method::GET, "/api/v1/duplicates?record_type=person", Some(&other), None).await;
        assert_eq!(hidden.body["items"], json!([]), "a colleague's customers are never listed");
        for bad in ["/api/v1/duplicates", "/api/v1/duplicates?record_type=deal", "/api/v1/duplicates?record_type=person&limit=0", "/api/v1/duplicates?record_type=person&cursor=x"] {
            let reply = api.call(Method::GET, bad, Some(&token), None).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {:?}", reply.body);
        }

        // What hangs on the one that goes: an activity, a task, a comment, a file, a consent.
        let link = json!([{"record_type": "person", "record_id": gone}]);
        let activity = api.call(Method::POST, "/api/v1/activities", Some(&token), Some(json!({"kind": "call", "subject": "Fiyat sordu", "status": "done", "starts_at": "2026-11-03T14:30:00+03:00", "links": link}))).await;
        assert_eq!(activity.status, StatusCode::CREATED, "{:?}", activity.body);
        let task = api.call(Method::POST, "/api/v1/tasks", Some(&token), Some(json!({"title": "Teklifi ara", "due_date": "2026-12-07", "links": link}))).await;
        assert_eq!(task.status, StatusCode::CREATED, "{:?}", task.body);
        let comment = api.call(Method::POST, &format!("/api/v1/people/{gone}/comments"), Some(&token), Some(json!({"body": "Eski kayıt"}))).await;
        assert_eq!(comment.status, StatusCode::CREATED);
        let file = api.send(Method::POST, &format!("/api/v1/people/{gone}/attachments"), Some(&token), axum::body::Body::from(common::multipart("file", "form.pdf", b"%PDF-1.4 izin")), &[("content-type", &common::content_type())]).await;
        assert_eq!(file.status, StatusCode::CREATED);
        let consent = api.call(Method::POST, &format!("/api/v1/people/{gone}/consents"), Some(&token), Some(json!({"channel": "sms", "status": "denied", "source": "HS_CAGRI_MERKEZI", "given_at": "2026-11-03T10:00:00Z"}))).await;
        assert_eq!(consent.status, StatusCode::CREATED);

        // Refusals: itself, one out of sight, by a colleague, without a duplicate.
        let uri = format!("/api/v1/people/{kept}/merge");
        for (body, code) in [(json!({"duplicate_id": kept}), "invalid-merge-self"), (json!({"duplicate_id": 999_999}), "invalid-merge-unknown"), (json!({}), "invalid-required")] {
            let reply = api.call(Method::POST, &uri, Some(&token), Some(body)).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{code}: {:?}", reply.body);
            assert!(reply.body.to_string().contains(code), "{code}: {:?}", reply.body);
        }
        assert_eq!(api.call(Method::POST, &uri, Some(&other), Some(json!({"duplicate_id": gone}))).await.status, StatusCode::NOT_FOUND);

        let merged = api.call(Method::POST, &uri, Some(&token), Some(json!({"duplicate_id": gone}))).await;
        assert_eq!(merged.status, StatusCode::OK, "{:?}", merged.body);
        assert_eq!(merged.body["first_name"], "Ahmet", "the survivor keeps its values");
        assert_eq!(merged.body["job_title"], "Satın alma", "and takes what it lacked");
        assert_eq!(merged.body["emails"], json!(["ahmet.olmez@example.com", "ahmet@olmez.com.tr"]));
        assert_eq!(merged.body["tags"], json!(["vip"]));

        // The other is gone, pointing here; everything that hung on it hangs here.
        assert_eq!(api.call(Method::GET, &format!("/api/v1/people/{gone}"), Some(&token), None).await.status, StatusCode::NOT_FOUND);
        assert_eq!(db.scalar(&format!("SELECT merged_into_id FROM people WHERE id = {gone}")).await, kept);
        let timeline = api.call(Method::GET, &format!("/api/v1/people/{kept}/timeline"), Some(&token), None).await;
        let kinds: Vec<&str> = timeline.body["items"].as_array().unwrap().iter().filter_map(|i| i["kind"].as_str()).collect();
        for kind in ["activity", "task", "comment"] {
            assert!(kinds.contains(&kind), "{kind} moved: {kinds:?}");
        }
        let files = api.call(Method::GET, &format!("/api/v1/people/{kept}/attachments"), Some(&token), None).await;
        assert_eq!(files.body["items"].as_array().map(Vec::len), Some(1), "{:?}", files.body);
        let consents = api.call(Method::GET, &format!("/api/v1/people/{kept}/consents"), Some(&token), None).await;
        assert_eq!(consents.body["current"][0]["channel"], "sms");
        for table in ["activity_links", "task_links", "comments", "attachments"] {
            assert_eq!(db.scalar(&format!("SELECT COUNT(*) FROM {table} WHERE record_type = 'person' AND record_id = {gone}")).await, 0, "{table}");
        }
        let log = fx.store().audit_log(&AuditFilter { record_type: Some("person".into()), limit: 50, ..AuditFilter::default() }).await.unwrap();
        assert!(log.iter().any(|e| e.action == "merged" && e.record_id == kept && e.changes.iter().any(|c| c.field == "merged_from" && c.to == format!("A. Ölmez (#{gone})"))));
        assert!(log.iter().any(|e| e.action == "merged_into" && e.record_id == gone));
        let after = api.call(Method::GET, "/api/v1/duplicates?record_type=person", Some(&token), None).await;
        assert_eq!(after.body["items"], json!([]));
    }
}

both_backends! {
    async fn companies_merge_with_their_people_but_never_across_tax_numbers_or_ledgers(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&admin).await;
        let create = |body: serde_json::Value| {
            let api = &api;
            let token = &token;
            async move {
                let reply = api.call(Method::POST, "/api/v1/companies?allow_duplicate=true", Some(token), Some(body)).await;
                assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
                reply.body["id"].as_i64().unwrap()
            }
        };
        let kept = create(json!({"name": "Çağlar Tekstil A.Ş.", "tax_number": "1234567890", "email": "info@caglar.com.tr"})).await;
        let gone = create(json!({"name": "ÇAĞLAR TEKSTİL", "email": "INFO@caglar.com.tr", "city": "İstanbul"})).await;
        let other_vkn = create(json!({"name": "Çağlar Tekstil Ltd.", "tax_number": "4540536920", "email": "info@caglar.com.tr"})).await;
        let person = api.call(Method::POST, "/api/v1/people", Some(&token), Some(json!({"first_name": "Işıl", "company_id": gone}))).await;
        let person_id = person.body["id"].as_i64().unwrap();

        let refused = api.call(Method::POST, &format!("/api/v1/companies/{kept}/merge"), Some(&token), Some(json!({"duplicate_id": other_vkn}))).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.to_string().contains("invalid-merge-vkn"), "{:?}", refused.body);

        // A company with a ledger cannot be merged away (its entries cannot move).
        let payment = api.call(Method::POST, "/api/v1/payments", Some(&token), Some(json!({"company_id": other_vkn, "amount": {"minor": 10_000, "currency": "TRY"}, "method": "cash", "received_at": "2026-11-02"}))).await;
        assert_eq!(payment.status, StatusCode::CREATED, "{:?}", payment.body);
        let third = create(json!({"name": "Üçüncü", "email": "info@caglar.com.tr"})).await;
        let refused = api.call(Method::POST, &format!("/api/v1/companies/{third}/merge"), Some(&token), Some(json!({"duplicate_id": other_vkn}))).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.to_string().contains("invalid-merge-ledger"), "{:?}", refused.body);

        let merged = api.call(Method::POST, &format!("/api/v1/companies/{kept}/merge"), Some(&token), Some(json!({"duplicate_id": gone}))).await;
        assert_eq!(merged.status, StatusCode::OK, "{:?}", merged.body);
        assert_eq!((merged.body["tax_number"].as_str(), merged.body["city"].as_str()), (Some("1234567890"), Some("İstanbul")));
        let moved = api.call(Method::GET, &format!("/api/v1/people/{person_id}"), Some(&token), None).await;
        assert_eq!(moved.body["company_id"], kept, "the company's people move with it");
        let found = api.call(Method::GET, &format!("/api/v1/people?q={}", common::encode("çağlar tekstil a.ş.")), Some(&token), None).await;
        assert_eq!(found.body["items"][0]["id"], person_id, "found by the survivor's name: {:?}", found.body);
    }
}

both_backends! {
    async fn the_review_page_lists_pairs_and_merges_one_into_the_other(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let colleague = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let kept = PersonBuilder::new("Ahmet", "Ölmez").email("ahmet.olmez@example.com").city("İzmir").create(&fx.app, &rep.actor()).await.id.0;
        let gone = PersonBuilder::new("A.", "Ölmez").phone("0532 111 22 33").email("Ahmet.Olmez@example.com").create(&fx.app, &rep.actor()).await.id.0;
        let server = TestServer::spawn(&fx.app);
        let browser = Browser::signed_in(&server, &rep, PASSWORD).await;

        let list = browser.get("/people").await;
        assert!(list.body.contains("href=\"/duplicates?record_type=person\""), "the list leads to the review");
        let page = browser.get("/duplicates?record_type=person").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Possible duplicates") && page.body.contains("E-mail addresses"), "{}", page.body);
        assert!(page.body.contains(&format!("action=\"/people/{kept}/merge\"")) && page.body.contains(&format!("value=\"{gone}\"")));
        let other = Browser::signed_in(&server, &colleague, PASSWORD).await;
        let hidden = other.get("/duplicates?record_type=person").await;
        assert!(hidden.body.contains("No possible duplicates.") && !hidden.body.contains("Ölmez"), "{}", hidden.body);

        let merged = browser.submit("/duplicates?record_type=person", &format!("/people/{kept}/merge"), &[("duplicate_id", &gone.to_string())]).await;
        assert_eq!(merged.status, StatusCode::SEE_OTHER, "{}", merged.body);
        assert_eq!(merged.location(), format!("/people/{kept}?notice=notice-merged"));
        let page = browser.get(&merged.location()).await;
        assert!(page.body.contains("The records are merged.") && page.body.contains("+90 532 111 22 33"), "the phone came along");
        let refused = browser.submit("/duplicates?record_type=person", &format!("/people/{kept}/merge"), &[("duplicate_id", &kept.to_string())]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("cannot be merged into itself"), "{}", refused.body);
    }
}

both_backends! {
    async fn similar_names_are_listed_for_review_but_never_refused(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let colleague = fx.user("rep-b", Role::SalesRep, Some("Güney")).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;
        let company = |name: &str| {
            let api = &api;
            let token = &token;
            let body = json!({"name": name});
            async move {
                let reply = api.call(Method::POST, "/api/v1/companies", Some(token), Some(body)).await;
                assert_eq!(reply.status, StatusCode::CREATED, "a similar name is no refusal: {:?}", reply.body);
                reply.body["id"].as_i64().unwrap()
            }
        };
        let akin = company("Akın Tekstil San. ve Tic. A.Ş.").await;
        let akin_again = company("AKIN TEKSTİL LTD. ŞTİ.").await;
        company("Akın Gıda A.Ş.").await;
        let vkn_a = CompanyBuilder::new("Deniz Lojistik A.Ş.").tax_number("1234567890").create(&fx.app, &rep.actor()).await.id.0;
        CompanyBuilder::new("Deniz Lojistik Ltd. Şti.").tax_number("4540536920").create(&fx.app, &rep.actor()).await;
        let companies = api.call(Method::GET, "/api/v1/duplicates?record_type=company", Some(&token), None).await;
        assert_eq!(companies.status, StatusCode::OK, "{:?}", companies.body);
        let pairs: Vec<(i64, i64, serde_json::Value, i64)> = companies.body["items"].as_array().unwrap().iter()
            .map(|i| (i["a_id"].as_i64().unwrap(), i["b_id"].as_i64().unwrap(), i["reasons"].clone(), i["score"].as_i64().unwrap()))
            .collect();
        assert_eq!(pairs, [(akin, akin_again, json!(["name"]), 60)], "two tax numbers are two firms: {pairs:?} ({vkn_a})");

        // People: the same folded name at the same company, or in the same city without one.
        let at = |first: &str, last: &str, company: i64| PersonBuilder::new(first, last).company(rehber_domain::CompanyId(company));
        let isil = at("Işıl", "Çağlar", akin).create(&fx.app, &rep.actor()).await.id.0;
        let isil_again = at("ISIL", "CAGLAR", akin).create(&fx.app, &rep.actor()).await.id.0;
        at("Işıl", "Çağlar", akin_again).create(&fx.app, &rep.actor()).await;
        let loose = PersonBuilder::new("Çağlar", "Işıl").city("İstanbul").create(&fx.app, &rep.actor()).await.id.0;
        let loose_again = PersonBuilder::new("Işıl", "Çağlar").city("ISTANBUL").create(&fx.app, &rep.actor()).await.id.0;
        PersonBuilder::new("Işıl", "Çağlar").city("Bursa").create(&fx.app, &rep.actor()).await;
        // A colleague's "Işıl Çağlar" in Bursa is out of the rep's sight.
        PersonBuilder::new("Işıl", "Çağlar").city("Bursa").create(&fx.app, &colleague.actor()).await;
        let people = api.call(Method::GET, "/api/v1/duplicates?record_type=person", Some(&token), None).await;
        let pairs: Vec<(i64, i64)> = people.body["items"].as_array().unwrap().iter()
            .map(|i| (i["a_id"].as_i64().unwrap(), i["b_id"].as_i64().unwrap()))
            .collect();
        assert_eq!(pairs, [(isil, isil_again), (loose, loose_again)], "{:?}", people.body);
        let theirs = api.call(Method::GET, "/api/v1/duplicates?record_type=person", Some(&api.token_for(&colleague).await), None).await;
        assert_eq!(theirs.body["items"], json!([]), "one of each is no pair: {:?}", theirs.body);

        // A database kept before name keys gets them from `rehber reindex`.
        db.execute("UPDATE people SET name_key = NULL").await;
        db.execute("UPDATE companies SET name_key = NULL").await;
        let cleared = api.call(Method::GET, "/api/v1/duplicates?record_type=person", Some(&token), None).await;
        assert_eq!(cleared.body["items"], json!([]), "{:?}", cleared.body);
        let (people_rewritten, companies_rewritten) = fx.app.refresh_derived_keys().await.unwrap();
        assert_eq!((people_rewritten, companies_rewritten), (7, 5));
        let again = api.call(Method::GET, "/api/v1/duplicates?record_type=person", Some(&token), None).await;
        assert_eq!(again.body["items"].as_array().map(Vec::len), Some(2), "{:?}", again.body);
        assert_eq!(fx.app.refresh_derived_keys().await.unwrap(), (0, 0), "nothing left to do");
    }
}

both_backends! {
    async fn a_merge_takes_the_values_picked_from_the_other_record(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;
        let kept = PersonBuilder::new("A.", "Ölmez").email("a.olmez@example.com").job_title("Muhasebe").city("İzmir").create(&fx.app, &rep.actor()).await.id.0;
        let gone = PersonBuilder::new("Ahmet", "Ölmez").email("ahmet@olmez.com.tr").email("a.olmez@example.com").job_title("Satın alma müdürü").city("Ankara").create(&fx.app, &rep.actor()).await.id.0;
        let uri = format!("/api/v1/people/{kept}/merge");
        for take in [json!(["bant"]), json!(["nope"]), json!(["custom"])] {
            let refused = api.call(Method::POST, &uri, Some(&token), Some(json!({"duplicate_id": gone, "take": take}))).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{take}: {:?}", refused.body);
            assert!(refused.body.to_string().contains("invalid-merge-field"), "{:?}", refused.body);
        }
        assert_eq!(api.call(Method::GET, &format!("/api/v1/people/{gone}"), Some(&token), None).await.status, StatusCode::OK, "a refusal merges nothing");

        let merged = api.call(Method::POST, &uri, Some(&token), Some(json!({"duplicate_id": gone, "take": ["first_name", "emails", "job_title"]}))).await;
        assert_eq!(merged.status, StatusCode::OK, "{:?}", merged.body);
        assert_eq!(merged.body["first_name"], "Ahmet");
        assert_eq!(merged.body["job_title"], "Satın alma müdürü");
        assert_eq!(merged.body["emails"], json!(["ahmet@olmez.com.tr", "a.olmez@example.com"]), "the other's first, no repeats");
        assert_eq!(merged.body["city"], "İzmir", "what was not picked stays");
        let log = fx.store().audit_log(&AuditFilter { record_type: Some("person".into()), limit: 50, ..AuditFilter::default() }).await.unwrap();
        let entry = log.iter().find(|e| e.action == "merged" && e.record_id == kept).unwrap();
        assert!(entry.changes.iter().any(|c| c.field == "first_name" && c.from == "A." && c.to == "Ahmet"), "{:?}", entry.changes);
    }
}

both_backends! {
    async fn the_merge_screen_shows_both_records_and_merges_with_the_picks(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let colleague = fx.user("rep-b", Role::SalesRep, Some("Güney")).await;
        let company = CompanyBuilder::new("Akın Tekstil A.Ş.").create(&fx.app, &rep.actor()).await.id;
        let kept = PersonBuilder::new("Işıl", "Çağlar").company(company).job_title("Muhasebe").email("isil@akin.com.tr").create(&fx.app, &rep.actor()).await.id.0;
        let gone = PersonBuilder::new("ISIL", "CAGLAR").company(company).job_title("Finans müdürü").phone("0532 111 22 33").create(&fx.app, &rep.actor()).await.id.0;
        let hidden = PersonBuilder::new("Işıl", "Çağlar").city("Bursa").create(&fx.app, &colleague.actor()).await.id.0;
        let server = TestServer::spawn(&fx.app);
        let browser = Browser::signed_in(&server, &rep, PASSWORD).await;

        let review = browser.get("/duplicates?record_type=person").await;
        assert!(review.body.contains("Similar name"), "{}", review.body);
        let screen_uri = format!("/people/{kept}/merge?duplicate_id={gone}");
        assert!(review.body.contains(&screen_uri.replace('&', "&amp;")) || review.body.contains(&screen_uri), "{}", review.body);
        let screen = browser.get(&screen_uri).await;
        assert_eq!(screen.status, StatusCode::OK, "{}", screen.body);
        for text in ["Merge two records", "Işıl Çağlar", "ISIL CAGLAR", "Akın Tekstil A.Ş.", "Muhasebe", "Finans müdürü", "+90 532 111 22 33"] {
            assert!(screen.body.contains(text), "{text}: {}", screen.body);
        }
        assert!(screen.body.contains("name=\"take.job_title\" value=\"other\""), "a pick where both differ");
        assert!(!screen.body.contains("name=\"take.phones\""), "no pick where one side is empty");
        assert!(!screen.body.contains("name=\"take.company_id\""), "no pick where both agree");
        let theirs = browser.get(&format!("/people/{kept}/merge?duplicate_id={hidden}")).await;
        assert_eq!(theirs.status, StatusCode::NOT_FOUND, "a colleague's record is not shown");
        let other = Browser::signed_in(&server, &colleague, PASSWORD).await;
        assert_eq!(other.get(&screen_uri).await.status, StatusCode::NOT_FOUND);

        let merged = browser.submit(&screen_uri, &format!("/people/{kept}/merge"), &[("duplicate_id", &gone.to_string()), ("take.first_name", "kept"), ("take.job_title", "other")]).await;
        assert_eq!(merged.status, StatusCode::SEE_OTHER, "{}", merged.body);
        let person = fx.app.get::<People>(&rep.actor(), rehber_domain::PersonId(kept)).await.unwrap();
        assert_eq!((person.fields.first_name.as_str(), person.fields.job_title.as_str()), ("Işıl", "Finans müdürü"));
        assert_eq!(person.fields.phones.len(), 1, "the phone came along");
        let companies = fx.app.get::<Companies>(&rep.actor(), company).await.unwrap();
        assert_eq!(companies.fields.name, "Akın Tekstil A.Ş.");
    }
}
