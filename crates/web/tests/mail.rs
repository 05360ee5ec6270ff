//! E-mail through a real SMTP conversation with a local sink, on SQLite and PostgreSQL: a
//! notification still unread after the delay is e-mailed once, a read one never, and a
//! server that refuses makes the job retry without losing it; an invitation and a
//! "forgot password" link set a password once through the pages, the second use finds the
//! link dead, and asking for an address without an account looks the same as for one.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use common::browser::Browser;
use common::server::TestServer;
use rehber_app::App;
use rehber_app::jobs::JobOutcome;
use rehber_app::quote_send::Sending;
use rehber_app::quotes::QuoteDraft;
use rehber_app::users::UserInput;
use rehber_domain::Role;
use rehber_domain::activity::{Link, LinkType};
use rehber_domain::comment::CommentInput;
use rehber_domain::pricing::LineDraft;
use rehber_mail::SmtpMailer;
use rehber_store::now_micros;
use rehber_testkit::{Fixtures, PASSWORD, PersonBuilder, SmtpSink, both_backends};
use rehber_web::i18n::Lang;
use std::sync::Arc;

const PUBLIC_URL: &str = "https://crm.ornek.com.tr";

/// The app sending through `sink`, e-mailing notifications unread for ten minutes.
fn mailing(app: &App, sink: &SmtpSink) -> App {
    let mut app = app.clone();
    app.mailer = Some(Arc::new(
        SmtpMailer::new(
            &format!("smtp://{}", sink.addr()),
            "Rehber <crm@ornek.com.tr>",
        )
        .unwrap(),
    ));
    app.jobs = rehber_web::mail::register(app.jobs);
    app.settings.email_unread_after = Some(jiff::SignedDuration::from_mins(10));
    app.settings.public_url = PUBLIC_URL.to_string();
    app
}

/// Runs every job due `minutes` from now; their outcomes.
async fn run_jobs_in(app: &App, minutes: i64) -> Vec<JobOutcome> {
    let at = now_micros() + minutes * 60 * 1_000_000;
    let mut outcomes = Vec::new();
    while let Some(run) = app.run_next_job_at("w1", at).await.unwrap() {
        outcomes.push(run.outcome);
    }
    outcomes
}

/// The path of the first Rehber link in a text (`/set-password/…`).
fn link_in(text: &str, prefix: &str) -> String {
    let start = text.find(&format!("{PUBLIC_URL}{prefix}")).expect("a link") + PUBLIC_URL.len();
    text[start..].split_whitespace().next().unwrap().to_string()
}

both_backends! {
    async fn an_unread_notification_is_emailed_once_after_the_delay_and_a_read_one_never(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let manager = fx.user("manager-n", Role::SalesManager, Some("Kuzey")).await;
        let sink = SmtpSink::start().await;
        let app = mailing(&fx.app, &sink);
        let person = PersonBuilder::new("Sevgi", "Öztürk").create(&app, &rep.actor()).await;
        let on = Link { record_type: LinkType::Person, record_id: person.id.0 };
        let mention = |body: &str| CommentInput { body: body.into(), mentions: vec![manager.id.0] };

        app.add_comment(&rep.actor(), on, &mention("@manager-n iskonto oranını onaylar mısınız?")).await.unwrap();
        assert!(run_jobs_in(&app, 5).await.is_empty(), "not before the delay");
        assert_eq!(run_jobs_in(&app, 11).await, [JobOutcome::Done]);
        let mails = sink.messages();
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].to, [manager.email.as_str()]);
        assert!(mails[0].subject().contains("Sevgi Öztürk"), "{}", mails[0].subject());
        let text = mails[0].text();
        assert!(text.contains("iskonto oranını onaylar mısınız?"), "{text}");
        assert!(link_in(&text, "/notifications/").ends_with("/open"), "{text}");
        assert!(run_jobs_in(&app, 30).await.is_empty(), "once");

        // Read in time: no e-mail.
        app.add_comment(&rep.actor(), on, &mention("ikinci")).await.unwrap();
        app.mark_all_notifications_read(&manager.actor()).await.unwrap();
        assert_eq!(run_jobs_in(&app, 11).await, [JobOutcome::Done]);
        assert_eq!(sink.messages().len(), 1);
    }

    async fn a_mail_server_that_refuses_makes_the_job_retry_and_nothing_is_lost(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let manager = fx.user("manager-n", Role::SalesManager, Some("Kuzey")).await;
        let down = SmtpSink::refusing().await;
        let app = mailing(&fx.app, &down);
        let person = PersonBuilder::new("Sevgi", "Öztürk").create(&app, &rep.actor()).await;
        let on = Link { record_type: LinkType::Person, record_id: person.id.0 };
        app.add_comment(&rep.actor(), on, &CommentInput { body: "bakar mısın".into(), mentions: vec![manager.id.0] }).await.unwrap();
        let outcomes = run_jobs_in(&app, 11).await;
        assert!(matches!(outcomes[..], [JobOutcome::Retry { .. }]), "{outcomes:?}");
        // The server is back: the retry sends it.
        let up = SmtpSink::start().await;
        let app = mailing(&fx.app, &up);
        assert_eq!(run_jobs_in(&app, 30).await, [JobOutcome::Done]);
        assert_eq!(up.messages().len(), 1);
    }

    async fn a_sent_quote_is_emailed_with_its_pdf_and_a_refused_delivery_shows_and_retries(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let down = SmtpSink::refusing().await;
        let app = mailing(&fx.app, &down);
        let person = PersonBuilder::new("Işıl", "Çağlayan").email("isil@ornek.com.tr").create(&app, &rep.actor()).await;
        let line = LineDraft { description: "Bakım".into(), quantity: "1".into(), unit_price: Some(104_208), vat_rate: Some(20), ..LineDraft::default() };
        let quote = app.create_quote(&rep.actor(), &QuoteDraft { person_id: Some(person.id.0), lines: vec![line], ..QuoteDraft::default() }).await.unwrap();
        let document = app.quote_document(&rep.actor(), quote.id).await.unwrap();
        let pdf = rehber_web::documents::quote_pdf(&app, Lang::Tr, &document).unwrap();
        let sending = Sending { lang: "tr".into(), ..Sending::default() };
        let (sent, queued) = app.send_quote(&rep.actor(), &document, pdf, &sending).await.unwrap();
        assert!(queued);
        assert_eq!(sent.sent_to.as_deref(), Some("isil@ornek.com.tr"), "the person's address");
        let outcomes = run_jobs_in(&app, 0).await;
        assert!(matches!(outcomes[..], [JobOutcome::Retry { .. }]), "{outcomes:?}");
        let failed = app.quote(&rep.actor(), quote.id).await.unwrap();
        assert!(failed.send_error.is_some(), "the failure shows on the quote");

        let up = SmtpSink::start().await;
        let app = mailing(&fx.app, &up);
        assert_eq!(run_jobs_in(&app, 30).await, [JobOutcome::Done]);
        let mail = &up.messages()[0];
        assert_eq!(mail.to, ["isil@ornek.com.tr"]);
        assert!(mail.subject().contains(&quote.number), "{}", mail.subject());
        assert!(mail.data.contains("application/pdf"), "the PDF goes with it");
        assert!(mail.data.contains(&format!("{}.pdf", quote.number)));
        let delivered = app.quote(&rep.actor(), quote.id).await.unwrap();
        assert_eq!(delivered.send_error, None, "cleared once it went");
        assert_eq!(delivered.version, sent.version, "the e-mail's outcome is no edit: a page open on the quote still takes its next step");
    }

    async fn an_invitation_sets_a_password_once_through_its_link(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await;
        let sink = SmtpSink::start().await;
        let app = mailing(&fx.app, &sink);
        let input = UserInput { email: "yeni.temsilci@ornek.com.tr".into(), name: "Yeni Temsilci".into(), role: "sales_rep".into(), team: "Kuzey".into(), password: String::new() };
        let invited = app.invite_user(&admin.actor(), &input).await.unwrap();
        assert_eq!(run_jobs_in(&app, 0).await, [JobOutcome::Done]);
        let mail = &sink.messages()[0];
        assert_eq!(mail.to, ["yeni.temsilci@ornek.com.tr"]);
        let text = mail.text();
        let path = link_in(&text, "/set-password/");

        let server = TestServer::spawn(&app);
        let browser = Browser::new(&server);
        let form = browser.get(&path).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("yeni.temsilci@ornek.com.tr"));
        let mismatch = browser.submit(&path, &path, &[("password", "Yepyeni-Parola-1"), ("password_repeat", "Başka-Parola-2")]).await;
        assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
        let short = browser.submit(&path, &path, &[("password", "kisa"), ("password_repeat", "kisa")]).await;
        assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
        let saved = browser.submit(&path, &path, &[("password", "Yepyeni-Parola-1"), ("password_repeat", "Yepyeni-Parola-1")]).await;
        assert_eq!(saved.location(), "/login?notice=notice-password-set");
        assert!(app.login(&invited.email, "Yepyeni-Parola-1", "192.0.2.1").await.is_ok());
        let again = browser.get(&path).await;
        assert_eq!(again.status, StatusCode::NOT_FOUND, "a link works once");

        // A sales rep cannot invite.
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let other = UserInput { email: "baska@ornek.com.tr".into(), ..input };
        assert!(app.invite_user(&rep.actor(), &other).await.is_err());
    }

    async fn forgot_password_answers_the_same_for_any_address_and_its_link_ends_other_sessions(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let sink = SmtpSink::start().await;
        let app = mailing(&fx.app, &sink);
        let server = TestServer::spawn(&app);
        let signed_in = Browser::signed_in(&server, &rep, PASSWORD).await;
        let stranger = Browser::new(&server);
        let known = stranger.submit("/forgot-password", "/forgot-password", &[("email", &rep.email.to_uppercase())]).await;
        let unknown = stranger.submit("/forgot-password", "/forgot-password", &[("email", "kimse@ornek.com.tr")]).await;
        assert_eq!((known.status, unknown.status), (StatusCode::OK, StatusCode::OK));
        let strip = |body: &str, email: &str| body.replace(email, "");
        assert_eq!(strip(&known.body, &rep.email.to_uppercase()), strip(&unknown.body, "kimse@ornek.com.tr"), "nothing tells the two apart");
        // Asked twice in a row: one e-mail.
        stranger.submit("/forgot-password", "/forgot-password", &[("email", &rep.email)]).await;
        assert_eq!(run_jobs_in(&app, 0).await, [JobOutcome::Done]);
        let mails = sink.messages();
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].to, [rep.email.as_str()]);
        let path = link_in(&mails[0].text(), "/set-password/");
        let saved = stranger.submit(&path, &path, &[("password", "Yepyeni-Parola-1"), ("password_repeat", "Yepyeni-Parola-1")]).await;
        assert_eq!(saved.location(), "/login?notice=notice-password-set");
        let home = signed_in.get("/today").await;
        assert!(home.location().starts_with("/login"), "the old session ended: {}", home.location());
        assert!(app.login(&rep.email, PASSWORD, "192.0.2.1").await.is_err());
    }
}
