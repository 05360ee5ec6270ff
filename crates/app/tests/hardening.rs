//! The services against careless and hostile callers, on SQLite and PostgreSQL: sign-in
//! throttling that slows a guesser without locking the real user out (and writes its events
//! to the audit log), versionless updates that survive concurrent writers, cursors that are
//! refused by name, and input that no database could store refused before it reaches one.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rehber_app::list::ListRequest;
use rehber_app::{App, PageRequest, Settings, SignInPolicy};
use rehber_domain::party::{Companies, People};
use rehber_domain::party::{CompanyPatch, PersonPatch};
use rehber_domain::{Error, Role};
use rehber_store::{AuditFilter, now_micros};
use rehber_testkit::{
    CompanyBuilder, Fixtures, PASSWORD, PersonBuilder, both_backends, field_errors, refusal,
    test_settings,
};
use std::time::{Duration, Instant};

const SECOND: i64 = 1_000_000;
const WRONG: &str = "yanlış-parola";

both_backends! {
    async fn an_account_is_delayed_after_five_failures_never_locked(db) {
        let fx = Fixtures::new(db);
        fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let app = &fx.app;
        let t0 = now_micros();
        for i in 0..5 {
            assert_eq!(refusal(app.login_at("rep-a@rehber.test", WRONG, "10.0.0.1", t0 + i).await), Error::Unauthenticated);
        }
        // The sixth attempt waits a second, whoever makes it and from wherever, and is not
        // checked meanwhile, so guessing cannot go on at full speed.
        let delayed = Error::RateLimited { retry_after_secs: 1 };
        assert_eq!(refusal(app.login_at("rep-a@rehber.test", PASSWORD, "10.0.0.1", t0 + 10).await), delayed);
        assert_eq!(refusal(app.login_at(" REP-A@rehber.test", PASSWORD, "10.0.0.2", t0 + 10).await), delayed);
        assert!(app.login_at("rep-b@rehber.test", PASSWORD, "10.0.0.1", t0 + 10).await.is_ok(), "other accounts are not delayed");

        // Each further failure doubles the delay; refused attempts do not count.
        let t1 = t0 + 2 * SECOND;
        assert_eq!(refusal(app.login_at("rep-a@rehber.test", WRONG, "10.0.0.3", t1).await), Error::Unauthenticated);
        assert_eq!(refusal(app.login_at("rep-a@rehber.test", WRONG, "10.0.0.3", t1 + SECOND).await), Error::RateLimited { retry_after_secs: 1 });
        assert_eq!(refusal(app.login_at("rep-a@rehber.test", WRONG, "10.0.0.3", t1 + 2 * SECOND + 1).await), Error::Unauthenticated);
        assert_eq!(refusal(app.login_at("rep-a@rehber.test", PASSWORD, "10.0.0.3", t1 + 3 * SECOND).await), Error::RateLimited { retry_after_secs: 4 });

        // Once the delay is over the right password gets in, and the count starts again.
        let t2 = t1 + 7 * SECOND;
        assert!(app.login_at("rep-a@rehber.test", PASSWORD, "10.0.0.1", t2).await.is_ok());
        for i in 1..=5 {
            assert_eq!(refusal(app.login_at("rep-a@rehber.test", WRONG, "10.0.0.1", t2 + i).await), Error::Unauthenticated);
        }

        // The events are in the audit log: every failure with its address and, once delays
        // begin, the delay; every success.
        let events = app.store.audit_log(&AuditFilter { record_type: Some("user".into()), limit: 100, ..AuditFilter::default() }).await.unwrap();
        let failed: Vec<_> = events.iter().filter(|e| e.action == "sign_in_failed").collect();
        assert_eq!(failed.len(), 12);
        assert!(failed.iter().all(|e| e.changes.iter().any(|c| c.field == "address")));
        assert!(failed.iter().any(|e| e.changes.iter().any(|c| c.field == "delay_seconds" && c.to == "4")));
        assert_eq!(events.iter().filter(|e| e.action == "signed_in").count(), 2);
    }

    async fn a_busy_address_slows_guessers_but_lets_the_right_password_in(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await;
        let pause = Duration::from_millis(300);
        let app = App::new(fx.app.store.clone(), Settings {
            sign_in: SignInPolicy { client_failures: 4, client_pause: pause, ..SignInPolicy::default() },
            ..test_settings()
        });
        let office = "192.0.2.10";
        for account in ["ayse", "bora", "cem"] {
            let email = format!("{account}@rehber.test");
            let started = Instant::now();
            assert_eq!(refusal(app.login(&email, WRONG, office).await), Error::Unauthenticated);
            assert!(started.elapsed() < pause, "not slowed before the limit");
        }
        // From its limit on, every failure from the address is answered only after a pause…
        for account in ["deniz", "ece", "fatih"] {
            let started = Instant::now();
            assert_eq!(refusal(app.login(&format!("{account}@rehber.test"), WRONG, office).await), Error::Unauthenticated);
            assert!(started.elapsed() >= pause, "slowed");
        }
        // …but its attempts are still checked: the administrator behind the same address
        // signs in with the right password at once.
        let signed_in = app.login("admin@rehber.test", PASSWORD, office).await.unwrap();
        assert_eq!(signed_in.session.user.id, admin.id);
        // An unknown account's failures name the e-mail typed, without control characters.
        assert_eq!(refusal(app.login("kim\u{0}@rehber.test", WRONG, office).await), Error::Unauthenticated);
        let events = app.store.audit_log(&AuditFilter { record_type: Some("user".into()), limit: 100, ..AuditFilter::default() }).await.unwrap();
        assert!(events.iter().any(|e| e.record_id == 0 && e.changes.iter().any(|c| c.field == "email" && c.to == "kim@rehber.test")));
    }

    async fn a_patch_without_a_version_survives_concurrent_writers(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let person = PersonBuilder::new("Işık", "Çağlar").create(&fx.app, &rep.actor()).await;
        let company = CompanyBuilder::new("Kaya Gıda").create(&fx.app, &rep.actor()).await;
        let mut writers = Vec::new();
        for i in 0..24 {
            let app = fx.app.clone();
            let actor = rep.actor();
            writers.push(tokio::spawn(async move {
                let person_patch = PersonPatch { job_title: Some(format!("Unvan {i}")), ..PersonPatch::default() };
                let company_patch = CompanyPatch { industry: Some(format!("Sektör {i}")), ..CompanyPatch::default() };
                let p = app.update::<People>(&actor, person.id, None, person_patch, Default::default()).await;
                let c = app.update::<Companies>(&actor, company.id, None, company_patch, Default::default()).await;
                (p.map(|_| ()), c.map(|_| ()))
            }));
        }
        for writer in writers {
            let (p, c) = writer.await.unwrap();
            p.unwrap();
            c.unwrap();
        }
        let person = fx.app.get::<People>(&rep.actor(), person.id).await.unwrap();
        assert!(person.meta.version >= 2);
        // A stated version is still checked: a stale one is the caller's conflict.
        let stale = fx.app.update::<People>(&rep.actor(), person.id, Some(1), PersonPatch::default(), Default::default()).await;
        assert_eq!(refusal(stale), Error::StaleVersion);
    }

    async fn a_cursor_no_list_handed_out_is_refused_by_name(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        for after in ["1.00", "garbage", "0.61", "1.c3bc", "-3.61"] {
            let request = ListRequest { page: PageRequest { after: Some(after.into()), limit: 10 }, ..ListRequest::default() };
            assert_eq!(field_errors(fx.app.list::<People>(&rep.actor(), &request).await), ["cursor=invalid-cursor"], "{after}");
            assert_eq!(field_errors(fx.app.list::<Companies>(&rep.actor(), &request).await), ["cursor=invalid-cursor"], "{after}");
        }
    }

    async fn text_no_database_could_store_is_refused_the_same_way_on_both(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let nul = PersonBuilder::new("a\u{0}b", "Kaya").try_create(&fx.app, &rep.actor()).await;
        assert_eq!(field_errors(nul), ["first_name=invalid-control-character"]);
        let escape = CompanyBuilder::new("Kaya\u{1b}[2J").try_create(&fx.app, &rep.actor()).await;
        assert_eq!(field_errors(escape), ["name=invalid-control-character"]);
        let person = PersonBuilder::new("Ali", "Kaya").create(&fx.app, &rep.actor()).await;
        let emails: Vec<String> = (0..1000).map(|i| format!("a{i}@ornek.com.tr")).collect();
        let many = fx.app.update::<People>(&rep.actor(), person.id, None, PersonPatch { emails: Some(emails), ..PersonPatch::default() }, Default::default()).await;
        assert_eq!(field_errors(many), ["emails=invalid-too-many"]);
        let tags: Vec<String> = (0..10_000).map(|i| format!("etiket-{i}")).collect();
        let many = fx.app.update::<People>(&rep.actor(), person.id, None, PersonPatch { tags: Some(tags), ..PersonPatch::default() }, Default::default()).await;
        assert_eq!(field_errors(many), ["tags=invalid-too-many"]);
        let notes = fx.app.update::<People>(&rep.actor(), person.id, None, PersonPatch { notes: Some("bir\r\niki\u{0}".into()), ..PersonPatch::default() }, Default::default()).await;
        assert_eq!(field_errors(notes), ["notes=invalid-control-character"]);
        let kept = fx.app.get::<People>(&rep.actor(), person.id).await.unwrap();
        assert_eq!(kept.meta.version, 1, "nothing was written");

        // Names of users, teams and API tokens too.
        let input = rehber_app::users::UserInput {
            email: "yeni@rehber.test".into(),
            name: "Yeni\u{0}".into(),
            role: "sales_rep".into(),
            team: "Kuzey\u{1b}".into(),
            password: PASSWORD.into(),
        };
        assert_eq!(field_errors(fx.app.create_user(None, &input).await), ["name=invalid-control-character", "team=invalid-control-character"]);
        let long_team = "T".repeat(101);
        assert_eq!(field_errors(fx.app.ensure_team(None, &long_team).await), ["team=invalid-too-long"]);
        assert_eq!(field_errors(fx.app.issue_token(&rep, "anahtar\u{0}").await), ["name=invalid-control-character"]);
    }
}
