//! The people, company and trash pages through a server on a real port, on a fresh database per test on
//! SQLite and on PostgreSQL: visibility by every door (list, search, record page, inline
//! edit, bulk actions), bad input kept with messages under the fields, stale versions
//! refused with 409, Turkish search, inline editing with htmx, paging, the
//! administrators-only trash.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::browser::{Browser, Page};
use common::server::TestServer;
use rehber_app::ownership::OwnershipRequest;
use rehber_app::users::UserInput;
use rehber_app::{App, User};
use rehber_domain::party::{Companies, People};
use rehber_domain::party::{CompanyPatch, PersonPatch};
use rehber_domain::{Actor, CompanyId, PersonId};
use rehber_testkit::{TestDb, both_backends, test_app};

const PASSWORD: &str = "Gizli-Parola-2024";

/// A server over a test database, with the people and users a test needs.
struct Ui {
    app: App,
    server: TestServer,
}

impl Ui {
    /// A server over a test database (a fresh one per test, on each backend).
    fn on(db: &TestDb) -> Ui {
        let app = test_app(db);
        let server = TestServer::spawn(&app);
        Ui { app, server }
    }

    async fn user(&self, name: &str, role: &str, team: &str) -> User {
        self.app
            .create_user(
                None,
                &UserInput {
                    email: format!("{name}@rehber.test"),
                    name: name.to_string(),
                    role: role.to_string(),
                    team: team.to_string(),
                    password: PASSWORD.to_string(),
                },
            )
            .await
            .unwrap()
            .user
    }

    /// An English browser with `user`'s session.
    async fn sign_in(&self, user: &User) -> Browser {
        Browser::signed_in(&self.server, user, PASSWORD).await
    }

    async fn get(&self, browser: &Browser, uri: &str) -> Page {
        browser.get(uri).await
    }

    async fn htmx_get(&self, browser: &Browser, uri: &str) -> Page {
        browser.htmx_get(uri).await
    }

    async fn post(&self, browser: &Browser, uri: &str, form: &[(&str, &str)]) -> Page {
        browser.post(uri, form).await
    }

    async fn htmx_post(&self, browser: &Browser, uri: &str, form: &[(&str, &str)]) -> Page {
        browser.htmx_post(uri, form).await
    }

    async fn person(&self, owner: &User, first: &str, last: &str) -> PersonId {
        let patch = PersonPatch {
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            emails: Some(vec![format!("{}@example.com", first.to_lowercase())]),
            phones: Some(vec!["0532 123 45 67".into()]),
            city: Some("İzmir".into()),
            ..PersonPatch::default()
        };
        // Every one shares a phone: the duplicate check is not what these tests are about.
        let duplicates = rehber_app::duplicates::Duplicates::Allow;
        self.app
            .create_with::<People>(
                &owner.actor(),
                patch,
                OwnershipRequest::default(),
                duplicates,
            )
            .await
            .unwrap()
            .id
    }
}

fn encode(form: &[(&str, &str)]) -> String {
    common::browser::form_encode(form)
}

fn actor(user: &User) -> Actor {
    user.actor()
}

/// The `href` of the first link with `rel` in a page (entities decoded).
fn rel_href(body: &str, rel: &str) -> Option<String> {
    let marker = format!(r#"rel="{rel}""#);
    let at = body.find(&marker)?;
    let start = body[..at].rfind("href=\"")? + "href=\"".len();
    let end = start + body[start..].find('"')?;
    Some(body[start..end].replace("&#38;", "&").replace("&amp;", "&"))
}

both_backends! {
    async fn a_sales_rep_cannot_reach_a_colleagues_person_by_any_door(db) {
        let ui = Ui::on(db);
        let ayse = ui.user("ayse", "sales_rep", "Ege").await;
        let mehmet = ui.user("mehmet", "sales_rep", "Ege").await;
        let own = ui.person(&ayse, "Ayşe", "Kaya").await;
        let theirs = ui.person(&mehmet, "Mehmet", "Öztürk").await;
        let browser = ui.sign_in(&ayse).await;

        let list = ui.get(&browser, "/people").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("Ayşe Kaya"));
        assert!(!list.body.contains("Mehmet"));
        assert!(
            list.body.contains("1 person"),
            "the count covers only own people"
        );

        let search = ui.get(&browser, "/people?q=mehmet").await;
        assert_eq!(search.status, StatusCode::OK);
        assert!(!search.body.contains("Öztürk"));
        let fragment = ui.htmx_get(&browser, "/people?q=%C3%B6zt%C3%BCrk").await;
        assert!(!fragment.body.contains("Öztürk"));

        let page = ui.get(&browser, &format!("/people/{}", theirs.0)).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(!page.body.contains("Öztürk"));

        let card = ui
            .htmx_get(&browser, &format!("/people/{}/edit/contact", theirs.0))
            .await;
        assert_eq!(card.status, StatusCode::NOT_FOUND);

        let edit = ui
            .htmx_post(
                &browser,
                &format!("/people/{}", theirs.0),
                &[
                    ("_section", "profile"),
                    ("first_name", "Ele geçirildi"),
                    ("version", "1"),
                ],
            )
            .await;
        assert_eq!(edit.status, StatusCode::NOT_FOUND);

        let id = theirs.0.to_string();
        let own_id = own.0.to_string();
        let tag = ui
            .post(
                &browser,
                "/people/bulk",
                &[
                    ("ids", &id),
                    ("ids", &own_id),
                    ("action", "tag"),
                    ("tag", "vip"),
                ],
            )
            .await;
        assert_eq!(tag.status, StatusCode::SEE_OTHER);
        assert!(
            tag.location().contains("changed=1&skipped=1"),
            "{}",
            tag.location()
        );
        let notice = ui.get(&browser, &tag.location()).await;
        assert!(notice.body.contains("1 updated, 1 skipped"));

        let delete = ui
            .post(
                &browser,
                "/people/bulk",
                &[("ids", &id), ("action", "delete")],
            )
            .await;
        assert!(delete.location().contains("changed=0&skipped=1"));

        let still = ui.app.get::<People>(&actor(&mehmet), theirs).await.unwrap();
        assert_eq!(still.fields.first_name, "Mehmet");
        assert!(still.fields.tags.is_empty());
        let mine = ui.app.get::<People>(&actor(&ayse), own).await.unwrap();
        assert_eq!(mine.fields.tags, vec!["vip".to_string()]);

        // "All matching" acts on what the list's filters find through the rep's scope, never
        // on a colleague's record, whatever the form says.
        let all = ui
            .post(
                &browser,
                "/people/bulk",
                &[
                    ("all", "1"),
                    ("ids", &theirs.0.to_string()),
                    ("action", "tag"),
                    ("tag", "kampanya"),
                    ("return_to", "q=mehmet"),
                ],
            )
            .await;
        assert!(
            all.location().contains("notice-bulk-none-selected"),
            "nothing of the rep's matches: {}",
            all.location()
        );
        let all = ui
            .post(
                &browser,
                "/people/bulk",
                &[
                    ("all", "1"),
                    ("action", "tag"),
                    ("tag", "kampanya"),
                    ("return_to", ""),
                ],
            )
            .await;
        assert!(
            all.location().contains("changed=1&skipped=0"),
            "{}",
            all.location()
        );
        let still = ui.app.get::<People>(&actor(&mehmet), theirs).await.unwrap();
        assert!(still.fields.tags.is_empty());
        let mine = ui.app.get::<People>(&actor(&ayse), own).await.unwrap();
        assert_eq!(
            mine.fields.tags,
            vec!["kampanya".to_string(), "vip".to_string()]
        );
    }

    async fn a_company_with_a_bad_tax_number_comes_back_with_the_message_and_the_typed_values(db) {
        let ui = Ui::on(db);
        let rep = ui.user("elif", "sales_rep", "").await;
        let browser = ui.sign_in(&rep).await;
        assert!(rehber_domain::validate::Vkn::parse("1234567891").is_err());
        let reply = ui
            .post(
                &browser,
                "/companies",
                &[
                    ("_section", "all"),
                    ("name", "Işık Tekstil A.Ş."),
                    ("tax_number", "1234567891"),
                    ("emails", "satis@isik.com.tr"),
                    ("emails", "yanlış"),
                    ("phones", "0212 555 12 12"),
                    ("city", "Bursa"),
                    ("tags", "tekstil, ihracat"),
                    ("lifecycle_stage", "customer"),
                    ("bant_need", "true"),
                    ("e_invoice", "true"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        let body = &reply.body;
        assert!(
            body.contains(r#"value="Işık Tekstil A.Ş.""#),
            "the typed name is kept"
        );
        assert!(body.contains(r#"value="1234567891""#));
        assert!(body.contains(r#"value="yanlış""#));
        assert!(body.contains(r#"value="tekstil, ihracat""#));
        assert!(body.contains(r#"id="f-bant_need" name="bant_need" value="true" checked"#));
        let vkn_error = body
            .split(r#"id="f-tax_number-error">"#)
            .nth(1)
            .expect("a message under the tax number");
        assert!(vkn_error.starts_with("This tax number (VKN) is not valid"));
        assert!(
            body.contains(r#"id="f-emails-1-error""#),
            "the bad e-mail is marked"
        );
        assert!(
            body.contains("Some fields need your attention"),
            "a summary on top"
        );
        let count = ui
            .app
            .count::<Companies>(&actor(&rep), &Default::default())
            .await
            .unwrap();
        assert_eq!(count, 0, "nothing was saved");
    }

    async fn a_stale_version_is_refused_with_409_and_the_typed_values_are_kept(db) {
        let ui = Ui::on(db);
        let rep = ui.user("can", "sales_rep", "").await;
        let id = ui.person(&rep, "Zeynep", "Arslan").await;
        let browser = ui.sign_in(&rep).await;
        // Someone else saves first (version 1 → 2).
        ui.app
            .update::<People>(
                &actor(&rep),
                id,
                Some(1),
                PersonPatch {
                    job_title: Some("Satın alma müdürü".into()),
                    ..PersonPatch::default()
                },
                OwnershipRequest::default(),
            )
            .await
            .unwrap();
        let reply = ui
            .post(
                &browser,
                &format!("/people/{}", id.0),
                &[
                    ("_section", "all"),
                    ("version", "1"),
                    ("first_name", "Zeynep Yeni"),
                    ("last_name", "Arslan"),
                    ("emails", "zeynep@example.com"),
                    ("lifecycle_stage", "lead"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::CONFLICT);
        assert!(reply.body.contains(r#"value="Zeynep Yeni""#));
        assert!(reply.body.contains("Someone else changed this record"));
        assert!(
            reply
                .body
                .contains(&format!(r#"href="/people/{}/edit""#, id.0)),
            "a reload link"
        );
        let stored = ui.app.get::<People>(&actor(&rep), id).await.unwrap();
        assert_eq!(stored.fields.first_name, "Zeynep");
        assert_eq!(stored.fields.job_title, "Satın alma müdürü");

        // With the current version the same save goes through.
        let reply = ui
            .post(
                &browser,
                &format!("/people/{}", id.0),
                &[
                    ("_section", "all"),
                    ("version", "2"),
                    ("first_name", "Zeynep Yeni"),
                    ("last_name", "Arslan"),
                    ("job_title", "Satın alma müdürü"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        let stored = ui.app.get::<People>(&actor(&rep), id).await.unwrap();
        assert_eq!(stored.fields.first_name, "Zeynep Yeni");
        assert!(
            stored.fields.emails.is_empty(),
            "the full form replaces the e-mails"
        );
    }

    async fn turkish_search_finds_dotted_and_dotless_letters_alike(db) {
        let ui = Ui::on(db);
        let rep = ui.user("deniz", "sales_rep", "").await;
        ui.person(&rep, "Işık", "Yılmaz").await;
        ui.person(&rep, "Ahmet", "Demir").await;
        let browser = ui.sign_in(&rep).await;
        for q in ["isik", "IŞIK", "ışık"] {
            let reply = ui
                .get(
                    &browser,
                    &format!("/people?q={}", encode(&[("", q)]).trim_start_matches('=')),
                )
                .await;
            assert_eq!(reply.status, StatusCode::OK);
            assert!(reply.body.contains("Işık Yılmaz"), "{q} finds Işık");
            assert!(!reply.body.contains("Ahmet Demir"), "{q} leaves others out");
        }
        let fragment = ui.htmx_get(&browser, "/people?q=isik").await;
        assert!(fragment.body.contains("Işık Yılmaz"));
        assert!(
            !fragment.body.contains("<html"),
            "search answers a fragment"
        );
        assert!(
            fragment.body.contains(r#"hx-swap-oob="true""#),
            "with the new count"
        );
    }

    async fn a_card_is_edited_inline_and_bad_values_are_marked_in_place(db) {
        let ui = Ui::on(db);
        let rep = ui.user("ozan", "sales_rep", "").await;
        let id = ui.person(&rep, "Selin", "Aydın").await;
        let browser = ui.sign_in(&rep).await;
        let uri = format!("/people/{}", id.0);

        let form = ui.htmx_get(&browser, &format!("{uri}/edit/contact")).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains(r#"name="emails""#));
        assert!(form.body.contains(r#"name="version" value="1""#));

        let bad = ui
            .htmx_post(
                &browser,
                &uri,
                &[
                    ("_section", "contact"),
                    ("version", "1"),
                    ("emails", "selin@example.com"),
                    ("emails", "not-an-email"),
                    ("phones", "0532 987 65 43"),
                ],
            )
            .await;
        assert!(bad.body.contains(r#"id="f-emails-1-error""#));
        assert!(bad.body.contains(r#"value="not-an-email""#));

        let good = ui
            .htmx_post(
                &browser,
                &uri,
                &[
                    ("_section", "contact"),
                    ("version", "1"),
                    ("emails", "selin@example.com"),
                    ("emails", ""),
                    ("phones", "0532 987 65 43"),
                ],
            )
            .await;
        assert_eq!(good.status, StatusCode::OK);
        assert!(
            good.body.contains("+90 532 987 65 43"),
            "phones shown grouped"
        );
        assert!(
            good.body
                .contains(r#"id="record-header" hx-swap-oob="true""#)
        );
        let stored = ui.app.get::<People>(&actor(&rep), id).await.unwrap();
        assert_eq!(
            stored.fields.first_name, "Selin",
            "other sections untouched"
        );
        assert_eq!(stored.fields.address.city, "İzmir");
        assert_eq!(stored.fields.phones[0].as_str(), "+905329876543");

        let page = ui.get(&browser, &uri).await;
        assert!(
            page.body.contains("E-mail addresses"),
            "history names fields"
        );
    }

    async fn unticked_checkboxes_save_false_and_companies_list_their_people(db) {
        let ui = Ui::on(db);
        let manager = ui.user("gul", "sales_manager", "Marmara").await;
        let browser = ui.sign_in(&manager).await;
        let company = ui
            .app
            .create::<Companies>(
                &actor(&manager),
                CompanyPatch {
                    name: Some("Anadolu Gıda".into()),
                    e_invoice: Some(true),
                    bant_budget: Some(true),
                    ..CompanyPatch::default()
                },
                OwnershipRequest::default(),
            )
            .await
            .unwrap();
        let reply = ui
            .post(
                &browser,
                &format!("/companies/{}", company.id.0),
                &[
                    ("_section", "business"),
                    ("version", "1"),
                    ("tax_office", "Kadıköy"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        let stored = ui
            .app
            .get::<Companies>(&actor(&manager), company.id)
            .await
            .unwrap();
        assert!(!stored.fields.e_invoice);
        assert!(
            stored.fields.bant.budget,
            "other sections keep their checkboxes"
        );
        assert_eq!(stored.fields.tax_office, "Kadıköy");

        let form = ui
            .get(
                &browser,
                &format!("/people/new?company_id={}", company.id.0),
            )
            .await;
        assert!(form.body.contains(&format!(
            r#"<option value="{}" selected>Anadolu Gıda"#,
            company.id.0
        )));
        let created = ui
            .post(
                &browser,
                "/people",
                &[
                    ("_section", "all"),
                    ("first_name", "Burak"),
                    ("company_id", &company.id.0.to_string()),
                    ("birthday", "1990-04-23"),
                ],
            )
            .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER);
        let page = ui
            .get(&browser, &format!("/companies/{}", company.id.0))
            .await;
        assert!(page.body.contains("Burak"));
        let person_page = ui.get(&browser, &created.location()).await;
        assert!(
            person_page.body.contains("23 Apr 1990"),
            "birthday in the user's format"
        );
    }

    async fn the_trash_is_for_administrators_and_restores_records(db) {
        let ui = Ui::on(db);
        let admin = ui.user("yonetici", "administrator", "").await;
        let rep = ui.user("kerem", "sales_rep", "").await;
        let id = ui.person(&rep, "Silinen", "Kişi").await;
        let rep_browser = ui.sign_in(&rep).await;
        let deleted = ui
            .post(&rep_browser, &format!("/people/{}/delete", id.0), &[])
            .await;
        assert_eq!(deleted.status, StatusCode::SEE_OTHER);
        assert_eq!(
            ui.get(&rep_browser, &format!("/people/{}", id.0))
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        assert_eq!(
            ui.get(&rep_browser, "/trash").await.status,
            StatusCode::FORBIDDEN
        );
        let refused = ui
            .post(
                &rep_browser,
                &format!("/trash/people/{}/restore", id.0),
                &[],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);

        let admin_browser = ui.sign_in(&admin).await;
        let trash = ui.get(&admin_browser, "/trash").await;
        assert_eq!(trash.status, StatusCode::OK);
        assert!(trash.body.contains("Silinen Kişi"));
        let restored = ui
            .post(
                &admin_browser,
                &format!("/trash/people/{}/restore", id.0),
                &[],
            )
            .await;
        assert_eq!(restored.status, StatusCode::SEE_OTHER);
        assert_eq!(
            ui.get(&rep_browser, &format!("/people/{}", id.0))
                .await
                .status,
            StatusCode::OK
        );
        let _ = CompanyId(0);
    }

    async fn pages_speak_turkish_with_turkish_numbers(db) {
        let ui = Ui::on(db);
        let rep = ui.user("ali", "sales_rep", "").await;
        ui.person(&rep, "Ali", "Veli").await;
        let session = ui.app.login(&rep.email, PASSWORD, "test").await.unwrap();
        let request = Request::get("/people")
            .header("cookie", format!("rehber_session={}", session.token))
            .header("accept-language", "tr")
            .body(Body::empty())
            .unwrap();
        let response = ui.server.send(request).await;
        let body = String::from_utf8_lossy(response.body()).into_owned();
        assert!(body.contains("1 kişi"));
        assert!(body.contains("Yeni kişi"));
        assert!(body.contains("Müşteri") || body.contains("Potansiyel") || body.contains("badge-lead"));
    }

    async fn a_long_list_says_which_page_of_how_many_and_walks_back(db) {
        let ui = Ui::on(db);
        let rep = ui.user("deniz", "sales_rep", "").await;
        for i in 0..120 {
            ui.person(&rep, &format!("Kişi{i:03}"), "Deneme").await;
        }
        let browser = ui.sign_in(&rep).await;
        let first = ui.get(&browser, "/people").await;
        assert!(first.body.contains("Page 1 of 3"), "{}", first.body);
        assert!(rel_href(&first.body, "prev").is_none());
        let second = ui
            .get(&browser, &rel_href(&first.body, "next").unwrap())
            .await;
        assert!(second.body.contains("Page 2 of 3"));
        assert!(second.body.contains("Kişi050 Deneme"));
        let third = ui
            .get(&browser, &rel_href(&second.body, "next").unwrap())
            .await;
        assert!(third.body.contains("Page 3 of 3"));
        assert!(third.body.contains("Kişi119 Deneme"));
        assert!(rel_href(&third.body, "next").is_none());
        let back = ui
            .get(&browser, &rel_href(&third.body, "prev").unwrap())
            .await;
        assert!(back.body.contains("Page 2 of 3"));
        assert!(back.body.contains("Kişi050 Deneme"));
        assert!(!back.body.contains("Kişi049 Deneme"));
        let start = ui
            .get(&browser, &rel_href(&back.body, "prev").unwrap())
            .await;
        assert!(start.body.contains("Page 1 of 3"));
        assert!(start.body.contains("Kişi000 Deneme"));
    }

    async fn unreadable_filters_are_named_above_the_list_which_still_answers(db) {
        let ui = Ui::on(db);
        let rep = ui.user("deniz", "sales_rep", "").await;
        ui.person(&rep, "Işık", "Yılmaz").await;
        let browser = ui.sign_in(&rep).await;
        let reply = ui
            .get(
                &browser,
                "/people?owner_id=abc&created_from=2026-13-01&q=isik&notice=notice-saved",
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(
            reply.body.contains("Işık Yılmaz"),
            "the readable filters apply"
        );
        assert!(reply.body.contains("Created from:"), "{}", reply.body);
        assert!(reply.body.contains("Owner:"));
    }

    async fn a_list_shows_records_matching_any_filter_and_keeps_a_rule_from_the_address(db) {
        let ui = Ui::on(db);
        let rep = ui.user("deniz", "sales_rep", "").await;
        let other = ui.user("ece", "sales_rep", "").await;
        for (owner, first, city, tags) in [
            (&rep, "Ayla", "İzmir", vec![]),
            (&rep, "Banu", "Ankara", vec!["vip".to_string()]),
            (&rep, "Cem", "Bursa", vec![]),
            (&other, "Dilek", "İzmir", vec!["vip".to_string()]),
        ] {
            let patch = PersonPatch {
                first_name: Some(first.into()),
                last_name: Some("Kaya".into()),
                city: Some(city.into()),
                tags: Some(tags),
                ..PersonPatch::default()
            };
            ui.app.create::<People>(&owner.actor(), patch, OwnershipRequest::default()).await.unwrap();
        }
        let browser = ui.sign_in(&rep).await;
        let shown = |body: &str| -> Vec<&str> {
            ["Ayla", "Banu", "Cem", "Dilek"].into_iter().filter(|n| body.contains(&format!("{n} Kaya"))).collect()
        };
        let all = ui.get(&browser, "/people?city=izmir&tag=vip").await;
        assert_eq!(all.status, StatusCode::OK);
        assert!(shown(&all.body).is_empty(), "all filters must hold by default");
        let any = ui.get(&browser, "/people?city=izmir&tag=vip&combine=any").await;
        assert_eq!(shown(&any.body), ["Ayla", "Banu"], "either filter, within the rep's own records");
        assert!(any.body.contains(r#"<option value="any" selected>"#), "the choice is kept in the form");
        assert!(any.body.contains("combine=any"), "sort and page links keep it");
        let rule = encode(&[("filter", r#"{"any": [{"field": "city", "op": "eq", "value": "bursa"}, {"field": "tag", "op": "eq", "value": "vip"}]}"#)]);
        let ruled = ui.get(&browser, &format!("/people?{rule}")).await;
        assert_eq!(shown(&ruled.body), ["Banu", "Cem"]);
        assert!(ruled.body.contains("Remove the rule"), "the rule is shown as active");
        assert!(ruled.body.contains(r#"name="filter""#), "and kept when the filters are applied again");
        let broken = ui.get(&browser, "/people?filter=%7B%22field%22%3A%22sehir%22%7D").await;
        assert_eq!(broken.status, StatusCode::OK, "a broken rule never costs the list");
        assert_eq!(shown(&broken.body), ["Ayla", "Banu", "Cem"]);
        assert!(broken.body.contains("This is not a filter rule"), "{}", broken.body);
    }

    async fn saved_views_reopen_a_list_and_a_shared_one_shows_each_reader_their_own(db) {
        let ui = Ui::on(db);
        let manager = ui.user("mudur", "sales_manager", "Kuzey").await;
        let rep_a = ui.user("deniz", "sales_rep", "Kuzey").await;
        let rep_b = ui.user("ece", "sales_rep", "Kuzey").await;
        for (owner, first, city) in [(&rep_a, "Ayla", "İzmir"), (&rep_a, "Banu", "Ankara"), (&rep_b, "Cem", "İzmir")] {
            let patch = PersonPatch { first_name: Some(first.into()), last_name: Some("Kaya".into()), city: Some(city.into()), ..PersonPatch::default() };
            ui.app.create::<People>(&owner.actor(), patch, OwnershipRequest::default()).await.unwrap();
        }
        let shown = |body: &str| -> Vec<&str> {
            ["Ayla", "Banu", "Cem"].into_iter().filter(|n| body.contains(&format!("{n} Kaya"))).collect()
        };
        // The manager shares "İzmir"; the address is kept without its page or notices.
        let boss = ui.sign_in(&manager).await;
        let saved = ui
            .post(&boss, "/people/views", &[("name", "İzmir"), ("query", "city=izmir&cursor=9.x&notice=notice-saved"), ("columns", r#"{"city":false}"#), ("shared", "on")])
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert!(saved.location().starts_with("/people?city=izmir&notice=notice-view-saved&view="), "{}", saved.location());
        let page = ui.get(&boss, &saved.location()).await;
        assert_eq!(shown(&page.body), ["Ayla", "Cem"], "the manager sees the team's");
        assert!(page.body.contains("The view is saved."));
        assert!(page.body.contains("data-view-columns="), "the opened view hands its columns over");
        assert!(page.body.contains("city&#34;:false") || page.body.contains("city&quot;:false"), "{}", page.body);
        let id = saved.location().rsplit('=').next().unwrap().to_string();

        // A rep opens it and sees only their own records through it.
        let a = ui.sign_in(&rep_a).await;
        let menu = ui.get(&a, "/people").await;
        assert!(menu.body.contains(&format!(r#"href="/people/views/{id}""#)), "the shared view is offered");
        let opened = ui.get(&a, &format!("/people/views/{id}")).await;
        assert_eq!(opened.location(), format!("/people?city=izmir&view={id}"));
        let page = ui.get(&a, &opened.location()).await;
        assert_eq!(shown(&page.body), ["Ayla"], "a shared view never shows a colleague's records");
        assert!(page.body.contains(r#"aria-current="true">İzmir</a>"#), "the view the list shows is marked");
        assert!(!page.body.contains(&format!(r#"action="/people/views/{id}/delete""#)), "a rep cannot delete the manager's view");
        assert!(!page.body.contains(r#"name="shared""#), "nor share one");
        let refused = ui.post(&a, &format!("/people/views/{id}/delete"), &[]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);

        // A rep's private view is theirs alone.
        let private = ui.post(&a, "/people/views", &[("name", "Ankara"), ("query", "city=ankara")]).await;
        let private_id = private.location().rsplit('=').next().unwrap().to_string();
        let b = ui.sign_in(&rep_b).await;
        let page = ui.get(&b, "/people").await;
        assert!(!page.body.contains(&format!("/people/views/{private_id}")), "not offered to a colleague");
        let tried = ui.get(&b, &format!("/people/views/{private_id}")).await;
        assert_eq!(tried.location(), "/people?notice=notice-view-not-found");
        let deleted = ui.post(&a, &format!("/people/views/{private_id}/delete"), &[]).await;
        assert_eq!(deleted.location(), "/people?notice=notice-view-deleted");
        let nameless = ui.post(&a, "/people/views", &[("name", " "), ("query", "city=ankara")]).await;
        assert_eq!(nameless.location(), "/people?city=ankara&notice=notice-view-name-required");
    }

    async fn a_manager_who_hands_records_outside_the_team_is_told_they_left_the_view(db) {
        let ui = Ui::on(db);
        let manager = ui.user("mudur", "sales_manager", "Kuzey").await;
        let rep = ui.user("ayse", "sales_rep", "Kuzey").await;
        let other = ui.user("bora", "sales_rep", "Güney").await;
        let first = ui.person(&rep, "Deniz", "Kaya").await;
        let second = ui.person(&rep, "Ece", "Kaya").await;
        let browser = ui.sign_in(&manager).await;

        let list = ui.get(&browser, "/people").await;
        assert!(list.body.contains(">ayse<"), "the team's rep is offered");
        assert!(!list.body.contains(">bora<"), "another team's rep is not");

        // Asked for anyway (an old form, a crafted request): done, and said.
        let other_id = other.id.to_string();
        let card = ui
            .post(
                &browser,
                &format!("/people/{}", first.0),
                &[("_section", "ownership"), ("version", "1"), ("owner_id", &other_id), ("team_id", "")],
            )
            .await;
        assert_eq!(card.status, StatusCode::SEE_OTHER);
        assert!(card.location().contains("notice=notice-moved-out-of-view"), "{}", card.location());
        let bulk = ui
            .post(
                &browser,
                "/people/bulk",
                &[("ids", &second.0.to_string()), ("action", "assign"), ("owner_id", &other_id)],
            )
            .await;
        assert!(bulk.location().contains("done=assign-away&changed=1"), "{}", bulk.location());
        let notice = ui.get(&browser, &bulk.location()).await;
        assert!(notice.body.contains("they have left your view"), "{}", notice.body);
    }
}
