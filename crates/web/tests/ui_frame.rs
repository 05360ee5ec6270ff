//! The UI frame through a server on a real port, on a fresh SQLite database per test: first-run setup,
//! signing in and out, CSRF, the language switch, settings and API tokens, administration
//! pages and their permissions, error pages, and that every text a template asks for exists
//! in Turkish and in English.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use common::browser::{Browser, csrf_of};
use rehber_domain::Role;
use rehber_testkit::{Fixtures, PASSWORD, TestDb};
use rehber_web::i18n::Lang;

async fn fixtures() -> (TestDb, Fixtures) {
    let db = TestDb::sqlite().await;
    let fx = Fixtures::new(&db);
    (db, fx)
}

#[tokio::test]
async fn a_new_installation_is_sent_to_setup_which_creates_and_signs_in_the_first_administrator() {
    let (_db, fx) = fixtures().await;
    let browser = Browser::on(&fx.app);
    let home = browser.get("/").await;
    assert_eq!(home.status, StatusCode::SEE_OTHER);
    assert_eq!(home.location.as_deref(), Some("/setup"));
    let login = browser.get("/login").await;
    assert_eq!(login.location.as_deref(), Some("/setup"));

    let setup = browser.get("/setup").await;
    assert_eq!(setup.status, StatusCode::OK);
    assert!(setup.body.contains("e hoş geldiniz"), "{}", setup.body);
    assert!(browser.cookie("rehber_csrf").is_some());
    assert_eq!(csrf_of(&setup.body), browser.cookie("rehber_csrf").unwrap());

    // Mismatched confirmation and a short password: both shown under their inputs.
    let csrf = csrf_of(&setup.body);
    let refused = browser
        .post(
            "/setup",
            &[
                ("_csrf", &csrf),
                ("name", "Ayşe Yılmaz"),
                ("email", "ayse@ornek.com.tr"),
                ("password", "kısa"),
                ("password_confirm", "başka"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("İki parola birbirini tutmuyor."),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("value=\"ayse@ornek.com.tr\""));
    assert!(
        refused
            .body
            .contains("aria-describedby=\"f-password_confirm-error\"")
    );

    let done = browser
        .submit(
            "/setup",
            "/setup",
            &[
                ("name", "Ayşe Yılmaz"),
                ("email", "ayse@ornek.com.tr"),
                ("password", "uzun-ve-gizli-parola"),
                ("password_confirm", "uzun-ve-gizli-parola"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some("/"));
    assert!(browser.cookie("rehber_session").is_some());
    let home = browser.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.body.contains("Hoş geldiniz, Ayşe Yılmaz"),
        "{}",
        home.body
    );
    assert!(home.body.contains("href=\"/admin/users\""));

    // Once a user exists, setup is closed to everyone.
    let stranger = Browser::on(&fx.app);
    let again = stranger.get("/setup").await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(again.location.as_deref(), Some("/login"));
    let login = stranger.get("/login").await;
    let csrf = csrf_of(&login.body);
    let forced = stranger
        .post(
            "/setup",
            &[
                ("_csrf", &csrf),
                ("name", "Mallory"),
                ("email", "mallory@example.com"),
                ("password", "uzun-ve-gizli-parola"),
                ("password_confirm", "uzun-ve-gizli-parola"),
            ],
        )
        .await;
    assert_eq!(forced.status, StatusCode::FORBIDDEN);
    assert_eq!(fx.app.list_users().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_wrong_password_shows_one_localized_message_and_keeps_the_email() {
    let (_db, fx) = fixtures().await;
    fx.admin().await;
    let browser = Browser::on(&fx.app);
    let page = browser.sign_in("admin@rehber.test", "yanlış-parola").await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(
        page.body.contains("E-posta adresi ya da parola yanlış."),
        "{}",
        page.body
    );
    assert!(page.body.contains("value=\"admin@rehber.test\""));
    assert!(browser.cookie("rehber_session").is_none());

    // The same message for an unknown e-mail, in English for an English browser.
    let english = Browser::on(&fx.app).english();
    let page = english
        .sign_in("nobody@rehber.test", "whatever-password")
        .await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(
        page.body
            .contains("The e-mail address or password is not correct.")
    );
    assert!(page.body.contains("<html lang=\"en\""));
}

#[tokio::test]
async fn too_many_failed_logins_are_refused_with_a_localized_message() {
    let (_db, fx) = fixtures().await;
    fx.admin().await;
    let browser = Browser::on(&fx.app);
    for _ in 0..5 {
        browser.sign_in("admin@rehber.test", "yanlış-parola").await;
    }
    let page = browser.sign_in("admin@rehber.test", PASSWORD).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        page.body.contains("Çok fazla başarısız deneme"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn signing_in_returns_to_the_local_page_asked_for_and_never_elsewhere() {
    let (_db, fx) = fixtures().await;
    fx.admin().await;
    let browser = Browser::on(&fx.app);
    let bounced = browser.get("/settings").await;
    assert_eq!(bounced.location.as_deref(), Some("/login?next=/settings"));
    let form = browser.get("/login?next=/settings").await;
    assert!(form.body.contains("name=\"next\" value=\"/settings\""));
    let csrf = csrf_of(&form.body);
    let done = browser
        .post(
            "/login",
            &[
                ("_csrf", &csrf),
                ("email", "admin@rehber.test"),
                ("password", PASSWORD),
                ("next", "/settings"),
            ],
        )
        .await;
    assert_eq!(done.location.as_deref(), Some("/settings"));

    let other = Browser::on(&fx.app);
    let form = other.get("/login").await;
    let csrf = csrf_of(&form.body);
    let done = other
        .post(
            "/login",
            &[
                ("_csrf", &csrf),
                ("email", "admin@rehber.test"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(done.location.as_deref(), Some("/"));
}

#[tokio::test]
async fn forms_without_the_csrf_token_are_refused() {
    let (_db, fx) = fixtures().await;
    fx.admin().await;
    let browser = Browser::on(&fx.app);
    // Before signing in: no token at all, then a token that does not match the cookie.
    let page = browser
        .post(
            "/login",
            &[("email", "admin@rehber.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    browser.get("/login").await;
    let page = browser
        .post(
            "/login",
            &[
                ("_csrf", "0123456789abcdef0123456789abcdef"),
                ("email", "admin@rehber.test"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(browser.cookie("rehber_session").is_none());

    // Signed in: the session's token is required.
    browser.sign_in("admin@rehber.test", PASSWORD).await;
    assert!(browser.cookie("rehber_session").is_some());
    let page = browser
        .post("/settings/tokens", &[("name", "sızdırılmış")])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("Bu formun süresi doldu"));
}

#[tokio::test]
async fn a_sales_rep_gets_the_forbidden_page_on_administration() {
    let (_db, fx) = fixtures().await;
    fx.user("temsilci", Role::SalesRep, Some("İstanbul")).await;
    let browser = Browser::on(&fx.app);
    browser.sign_in("temsilci@rehber.test", PASSWORD).await;
    for path in [
        "/admin/users",
        "/admin/teams",
        "/admin/audit",
        "/admin/users/1",
    ] {
        let page = browser.get(path).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
        assert!(page.body.contains("Erişim yok"), "{path}: {}", page.body);
    }
    let home = browser.get("/today").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(!home.body.contains("href=\"/admin/users\""));
    assert!(home.body.contains("Satış temsilcisi"));
}

#[tokio::test]
async fn the_language_switch_changes_the_page_language_signed_in_and_out() {
    let (_db, fx) = fixtures().await;
    fx.admin().await;
    // Signed out: a cookie remembers the choice.
    let browser = Browser::on(&fx.app);
    let login = browser.get("/login").await;
    assert!(login.body.contains("<html lang=\"tr\""));
    let switched = browser
        .submit("/login", "/settings/language", &[("locale", "en")])
        .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    assert_eq!(browser.cookie("rehber_lang").as_deref(), Some("en"));
    let login = browser.get("/login").await;
    assert!(login.body.contains("<html lang=\"en\""));
    assert!(login.body.contains("Sign in to Rehber"));

    // Signed in: stored on the user.
    let browser = Browser::on(&fx.app);
    browser.sign_in("admin@rehber.test", PASSWORD).await;
    let home = browser.get("/").await;
    assert!(home.body.contains("<html lang=\"tr\""));
    browser
        .submit("/", "/settings/language", &[("locale", "en")])
        .await;
    let home = browser.get("/").await;
    assert!(home.body.contains("<html lang=\"en\""), "{}", home.body);
    assert!(home.body.contains("Welcome, admin"));
    let user = fx.app.user_by_email("admin@rehber.test").await.unwrap();
    assert_eq!(user.locale.as_deref(), Some("en"));
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let (_db, fx) = fixtures().await;
    fx.admin().await;
    let browser = Browser::on(&fx.app);
    browser.sign_in("admin@rehber.test", PASSWORD).await;
    let session = browser.cookie("rehber_session").unwrap();
    let out = browser.submit("/", "/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(fx.app.session(&session).await.unwrap().is_none());
    let home = browser.get("/").await;
    assert_eq!(home.location.as_deref(), Some("/login"));
}

#[tokio::test]
async fn an_api_token_is_shown_once_then_listed_by_prefix_and_can_be_revoked() {
    let (_db, fx) = fixtures().await;
    let admin = fx.admin().await;
    let browser = Browser::on(&fx.app).english();
    browser.sign_in("admin@rehber.test", PASSWORD).await;
    let created = browser
        .submit(
            "/settings",
            "/settings/tokens",
            &[("name", "Muhasebe aktarımı")],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK);
    assert!(created.body.contains("it is shown only once"));
    let start = created
        .body
        .find("value=\"rhb_")
        .expect("the secret on the page")
        + 7;
    let secret = &created.body[start..start + 4 + 64];
    assert!(fx.app.token_user(secret).await.unwrap().is_some());

    let listed = browser.get("/settings").await;
    assert!(!listed.body.contains(secret));
    assert!(listed.body.contains("Muhasebe aktarımı"));
    assert!(listed.body.contains(&secret[..10]));

    let token = fx.app.list_tokens(&admin).await.unwrap().remove(0);
    let revoked = browser
        .submit(
            "/settings",
            &format!("/settings/tokens/{}/revoke", token.id),
            &[],
        )
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert!(fx.app.token_user(secret).await.unwrap().is_none());
    let listed = browser.get("/settings?notice=notice-token-revoked").await;
    assert!(listed.body.contains("Revoked"));
    assert!(listed.body.contains("The API token has been revoked."));
}

#[tokio::test]
async fn changing_the_password_checks_the_current_one_and_the_confirmation() {
    let (_db, fx) = fixtures().await;
    fx.admin().await;
    let browser = Browser::on(&fx.app);
    browser.sign_in("admin@rehber.test", PASSWORD).await;
    let wrong = browser
        .submit(
            "/settings",
            "/settings/password",
            &[
                ("current_password", "yanlış"),
                ("new_password", "yeni-uzun-parola"),
                ("new_password_confirm", "yeni-uzun-parola"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.body.contains("id=\"f-current_password-error\""),
        "{}",
        wrong.body
    );
    let done = browser
        .submit(
            "/settings",
            "/settings/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "yeni-uzun-parola"),
                ("new_password_confirm", "yeni-uzun-parola"),
            ],
        )
        .await;
    assert_eq!(
        done.location.as_deref(),
        Some("/settings?notice=notice-password-changed")
    );
    let again = Browser::on(&fx.app);
    let page = again.sign_in("admin@rehber.test", "yeni-uzun-parola").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_administrator_creates_a_user_with_a_generated_password_shown_once_and_edits_them() {
    let (_db, fx) = fixtures().await;
    fx.admin().await;
    let browser = Browser::on(&fx.app);
    browser.sign_in("admin@rehber.test", PASSWORD).await;

    let invalid = browser
        .submit(
            "/admin/users",
            "/admin/users",
            &[
                ("name", ""),
                ("email", "not-an-email"),
                ("role", "sales_rep"),
                ("team", ""),
                ("new_team", ""),
                ("password", ""),
            ],
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(invalid.body.contains("id=\"f-email-error\""));
    assert!(invalid.body.contains("value=\"not-an-email\""));

    let created = browser
        .submit(
            "/admin/users",
            "/admin/users",
            &[
                ("name", "Işık Çağlar"),
                ("email", "isik@ornek.com.tr"),
                ("role", "sales_rep"),
                ("team", ""),
                ("new_team", "Ankara Satış"),
                ("password", ""),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    assert!(created.body.contains("Işık Çağlar artık giriş yapabilir"));
    let start = created.body.find("id=\"new-password\"").unwrap();
    let value_at = created.body[start..].find("value=\"").unwrap() + start + 7;
    let end = created.body[value_at..].find('"').unwrap() + value_at;
    let password = created.body[value_at..end].to_string();
    assert!(password.len() >= 10);
    let rep = Browser::on(&fx.app);
    assert_eq!(
        rep.sign_in("isik@ornek.com.tr", &password).await.status,
        StatusCode::SEE_OTHER
    );

    let user = fx.app.user_by_email("isik@ornek.com.tr").await.unwrap();
    assert_eq!(user.team_name.as_deref(), Some("Ankara Satış"));
    let listed = browser.get("/admin/users").await;
    assert!(
        listed
            .body
            .contains(&format!("href=\"/admin/users/{}\"", user.id.0))
    );
    assert!(!listed.body.contains(&password));

    let path = format!("/admin/users/{}", user.id.0);
    let saved = browser
        .submit(
            &path,
            &path,
            &[
                ("name", "Işık Çağlar"),
                ("role", "sales_manager"),
                ("team_id", ""),
                ("new_team", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let user = fx.app.user(user.id).await.unwrap();
    assert_eq!(user.role, Role::SalesManager);
    assert!(!user.active, "an unchecked box deactivates");

    // An administrator cannot demote themselves: the form says so.
    let me = fx.app.user_by_email("admin@rehber.test").await.unwrap();
    let path = format!("/admin/users/{}", me.id.0);
    let refused = browser
        .submit(
            &path,
            &path,
            &[("name", "admin"), ("role", "sales_rep"), ("active", "on")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("kendi yönetici rolünüzü"),
        "{}",
        refused.body
    );

    let reset = browser
        .submit(
            &format!("/admin/users/{}", user.id.0),
            &format!("/admin/users/{}/password", user.id.0),
            &[],
        )
        .await;
    assert_eq!(reset.status, StatusCode::OK);
    assert!(reset.body.contains("id=\"new-password\""));
}

#[tokio::test]
async fn teams_are_listed_with_their_member_counts_and_created_by_name() {
    let (_db, fx) = fixtures().await;
    fx.admin().await;
    fx.user("ali", Role::SalesRep, Some("İzmir")).await;
    fx.user("veli", Role::SalesRep, Some("İzmir")).await;
    let browser = Browser::on(&fx.app);
    browser.sign_in("admin@rehber.test", PASSWORD).await;
    let page = browser.get("/admin/teams").await;
    assert!(page.body.contains("İzmir"));
    assert!(
        page.body.contains("<td class=\"num\">2</td>"),
        "{}",
        page.body
    );
    let empty = browser
        .submit("/admin/teams", "/admin/teams", &[("name", "  ")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("id=\"f-name-error\""));
    let created = browser
        .submit("/admin/teams", "/admin/teams", &[("name", "Bursa")])
        .await;
    assert_eq!(
        created.location.as_deref(),
        Some("/admin/teams?notice=notice-team-created")
    );
    let page = browser.get("/admin/teams").await;
    assert!(page.body.contains("Bursa"));
}

#[tokio::test]
async fn the_audit_log_shows_changes_filters_by_type_and_pages_to_older_entries() {
    let (_db, fx) = fixtures().await;
    let admin = fx.admin().await.actor();
    for i in 0..55 {
        fx.user(&format!("kullanici{i}"), Role::ReadOnly, None)
            .await;
    }
    let browser = Browser::on(&fx.app).english();
    browser.sign_in("admin@rehber.test", PASSWORD).await;
    let page = browser.get("/admin/audit?record_type=user").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("kullanici54@rehber.test"));
    assert!(page.body.contains("Read-only"));
    assert!(page.body.contains("href=\"/admin/users/"));
    let marker = "href=\"/admin/audit?record_type=user&#38;before_id=";
    let at = page.body.find(marker).unwrap_or_else(|| {
        panic!(
            "a link to older entries: {}",
            &page.body[page.body.find("pagination").unwrap_or(0)..]
        )
    }) + marker.len();
    let end = page.body[at..].find('"').unwrap() + at;
    let older = format!(
        "/admin/audit?record_type=user&before_id={}",
        &page.body[at..end]
    );
    let older = browser.get(&older).await;
    assert!(
        older.body.contains("kullanici0@rehber.test"),
        "{}",
        older.body
    );
    assert!(!older.body.contains("kullanici54@rehber.test"));
    let none = browser.get("/admin/audit?record_type=company").await;
    assert!(none.body.contains("No entries match."));
    // Records are named, even after they are deleted, never numbered.
    let person = rehber_testkit::PersonBuilder::new("Şule", "Ağaoğlu")
        .create(&fx.app, &admin)
        .await;
    fx.app
        .delete::<rehber_domain::party::People>(&admin, person.id)
        .await
        .unwrap();
    let named = browser.get("/admin/audit?record_type=person").await;
    assert!(
        named.body.contains(&format!(
            "<a href=\"/people/{}\">Şule Ağaoğlu</a>",
            person.id.0
        )),
        "{}",
        named.body
    );
    assert!(!named.body.contains(&format!("#{}", person.id.0)));
    let home = browser.get("/").await;
    assert!(home.body.contains("Şule Ağaoğlu"));
}

#[tokio::test]
async fn unknown_pages_get_a_localized_not_found_page() {
    let (_db, fx) = fixtures().await;
    fx.admin().await;
    let browser = Browser::on(&fx.app);
    let page = browser.get("/böyle-bir-sayfa-yok").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("Sayfa bulunamadı"));
    browser.sign_in("admin@rehber.test", PASSWORD).await;
    let page = browser.get("/admin/users/999999").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("Sayfa bulunamadı"));
    assert!(page.body.contains("class=\"sidebar\""));
}

/// Every `t("…")` / `t1("…")` key in every template, with the file it is in.
fn template_keys() -> Vec<(String, String)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "html") {
                out.push(path);
            }
        }
    }
    // The UI's templates and the API reference page's, each crate beside this one.
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut keys = Vec::new();
    for root in [crates.join("ui/templates"), crates.join("api/templates")] {
        keys.extend(keys_in(&root, walk));
    }
    keys
}

/// The `t("…")` / `t1("…")` keys of the templates under `root`.
fn keys_in(
    root: &std::path::Path,
    walk: fn(&std::path::Path, &mut Vec<std::path::PathBuf>),
) -> Vec<(String, String)> {
    let mut files = Vec::new();
    walk(root, &mut files);
    let mut keys = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let name = file.strip_prefix(root).unwrap().display().to_string();
        for marker in [".t(\"", ".t1(\""] {
            let mut rest = text.as_str();
            while let Some(at) = rest.find(marker) {
                rest = &rest[at + marker.len()..];
                let end = rest.find('"').unwrap();
                keys.push((name.clone(), rest[..end].to_string()));
                rest = &rest[end..];
            }
        }
    }
    keys
}

/// The message ids defined in a language's Fluent files. `Lang::has` cannot see messages
/// that need arguments (they do not format without them), so the files are read too.
fn ftl_ids(lang: Lang) -> std::collections::HashSet<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../web-core/locales")
        .join(lang.code());
    let mut ids = std::collections::HashSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines() {
            if let Some((id, _)) = line.split_once(" =")
                && !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                ids.insert(id.to_string());
            }
        }
    }
    ids
}

fn exists(lang: Lang, ids: &std::collections::HashSet<String>, key: &str) -> bool {
    lang.has(key) || ids.contains(key)
}

#[test]
fn every_text_a_template_asks_for_exists_in_turkish_and_english() {
    let keys = template_keys();
    assert!(keys.len() > 100, "the templates were read");
    let tr = ftl_ids(Lang::Tr);
    let en = ftl_ids(Lang::En);
    let missing: Vec<String> = keys
        .iter()
        .flat_map(|(file, key)| {
            [(Lang::Tr, &tr), (Lang::En, &en)]
                .into_iter()
                .filter(|(lang, ids)| !exists(*lang, ids, key))
                .map(|(lang, _)| lang)
                .map(move |lang| format!("{file}: {key} ({})", lang.code()))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "missing translations:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_error_pages_and_audit_names_exist_in_turkish_and_english() {
    let mut keys: Vec<String> = Vec::new();
    for kind in [
        "not-found",
        "forbidden",
        "stale",
        "rate-limited",
        "invalid-state",
        "validation",
        "internal",
    ] {
        keys.push(format!("error-{kind}-title"));
        keys.push(format!("error-{kind}-detail"));
    }
    for record in ["person", "company", "user", "team", "api_token"] {
        keys.push(format!("record-{record}"));
    }
    for action in [
        "created",
        "updated",
        "deleted",
        "restored",
        "revoked",
        "password_reset",
    ] {
        keys.push(format!("action-{action}"));
    }
    for role in Role::ALL {
        keys.push(format!("role-{}", role.as_str()));
    }
    for notice in [
        "saved",
        "signed-out",
        "password-changed",
        "token-created",
        "token-revoked",
        "user-created",
        "team-created",
    ] {
        keys.push(format!("notice-{notice}"));
    }
    keys.extend(
        [
            "login-failed",
            "login-rate-limited",
            "invalid-password-mismatch",
            "invalid-state-self-demotion",
            "value-true",
            "value-false",
            "audit-system",
        ]
        .map(String::from),
    );
    for key in keys {
        assert!(Lang::Tr.has(&key), "{key} missing in Turkish");
        assert!(Lang::En.has(&key), "{key} missing in English");
    }
}

#[tokio::test]
async fn the_home_page_offers_only_what_the_role_may_do() {
    let (_db, fx) = fixtures().await;
    fx.user("okur", Role::ReadOnly, None).await;
    fx.user("temsilci", Role::SalesRep, None).await;
    let reader = Browser::on(&fx.app);
    reader.sign_in("okur@rehber.test", PASSWORD).await;
    let home = reader.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(!home.body.contains("href=\"/people/new\""), "{}", home.body);
    assert!(!home.body.contains("href=\"/companies/new\""));
    let rep = Browser::on(&fx.app);
    rep.sign_in("temsilci@rehber.test", PASSWORD).await;
    assert_eq!(
        rep.get("/").await.location(),
        "/today",
        "a sales rep starts on their day"
    );
    let home = rep.get("/today").await;
    assert!(home.body.contains("href=\"/people/new\""));
    assert!(home.body.contains("href=\"/companies/new\""));
}
