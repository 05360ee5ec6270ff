//! Sales targets and the forecast, through the API and the pages, on SQLite and PostgreSQL:
//! who may set which target, overlaps refused, the forecast's figures per rep and in total
//! (closed won, commit, best case, weighted in TRY, gap, won count, new customers), a
//! target prorated into a shorter period, overdue deals listed, and what a rep cannot see
//! of a colleague's through any of these doors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::Api;
use common::browser::Browser;
use common::server::TestServer;
use jiff::civil::Date;
use rehber_app::User;
use rehber_domain::Role;
use rehber_domain::target::{Period, PeriodKind};
use rehber_testkit::{
    CompanyBuilder, DealBuilder, Fixtures, PASSWORD, PersonBuilder, both_backends,
};
use serde_json::{Value, json};

fn today() -> Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(rehber_app::home_zone())
        .date()
}

fn days_from(day: Date, n: i64) -> Date {
    day.checked_add(jiff::Span::new().days(n)).unwrap()
}

/// A quarter well in the future, so that nothing else the tests write falls in it.
fn quarter() -> Period {
    Period::of(PeriodKind::Quarter, days_from(today(), 400))
}

/// The seeded pipeline's id and a stage's id by name.
async fn stage(fx: &Fixtures, name: &str) -> (i64, i64) {
    let pipelines = fx.store().pipelines().await.unwrap();
    let pipeline = &pipelines[0];
    let stage = pipeline.stages.iter().find(|s| s.name == name).unwrap();
    (pipeline.id, stage.id)
}

struct Deal<'a> {
    name: &'a str,
    stage: &'a str,
    amount: &'a str,
    currency: &'a str,
    close: Date,
    category: Option<&'a str>,
}

async fn deal(fx: &Fixtures, owner: &User, company: Option<i64>, person: Option<i64>, d: Deal<'_>) {
    let (pipeline, stage) = stage(fx, d.stage).await;
    let mut builder = DealBuilder::new(d.name, pipeline, stage)
        .amount(d.amount, d.currency)
        .expected_close(&d.close.to_string());
    if let Some(category) = d.category {
        builder = builder.forecast_category(category);
    }
    if let Some(company) = company {
        builder = builder.company(rehber_domain::CompanyId(company));
    }
    if let Some(person) = person {
        builder = builder.person(rehber_domain::PersonId(person));
    }
    if d.stage == "Kaybedildi" {
        let reason = fx.store().lost_reasons().await.unwrap()[0].id;
        builder = builder.with(|p| p.lost_reason_id = Some(reason.to_string()));
    }
    builder.create(&fx.app, &owner.actor()).await;
}

fn row<'a>(forecast: &'a Value, name: &str) -> &'a Value {
    forecast["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no row {name}: {forecast:?}"))
}

fn minor(value: &Value) -> i64 {
    value["minor"]
        .as_i64()
        .unwrap_or_else(|| panic!("not an amount: {value:?}"))
}

/// The team Kuzey (a manager and two reps), a rep of another team, and the deals and targets
/// the tests read.
struct World {
    fx: Fixtures,
    api: Api,
    admin: User,
    manager: User,
    rep_a: User,
    rep_b: User,
    rep_c: User,
}

async fn world(db: &rehber_testkit::TestDb) -> World {
    let fx = Fixtures::new(db);
    let admin = fx.admin().await;
    let manager = fx.user("yonetici", Role::SalesManager, Some("Kuzey")).await;
    let rep_a = fx.user("ayse", Role::SalesRep, Some("Kuzey")).await;
    let rep_b = fx.user("baris", Role::SalesRep, Some("Kuzey")).await;
    let rep_c = fx.user("cem", Role::SalesRep, Some("Güney")).await;
    let api = Api::new(&fx.app);
    let q = quarter();
    let admin_token = api.token_for(&admin).await;
    let reply = api
        .call(
            Method::POST,
            "/api/v1/exchange-rates",
            Some(&admin_token),
            Some(json!({"currency": "USD", "date": today().to_string(), "rate": "40"})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);

    let new_customer = CompanyBuilder::new("Ege Makine A.Ş.")
        .create(&fx.app, &rep_a.actor())
        .await
        .id
        .0;
    let old_customer = CompanyBuilder::new("Marmara Dökümcülük")
        .create(&fx.app, &rep_a.actor())
        .await
        .id
        .0;
    let person = PersonBuilder::new("Deniz", "Öztürk")
        .create(&fx.app, &rep_b.actor())
        .await
        .id
        .0;
    let at = |n: i64| days_from(q.start, n);
    let won = |name, amount, close| Deal {
        name,
        stage: "Kazanıldı",
        amount,
        currency: "TRY",
        close,
        category: None,
    };
    // Rep A: two won (one a new customer), three open in the quarter, one outside it, one
    // lost, one open and overdue, and one in a currency without a rate.
    deal(
        &fx,
        &rep_a,
        Some(old_customer),
        None,
        won("Eski sözleşme", "1000", at(-100)),
    )
    .await;
    deal(
        &fx,
        &rep_a,
        Some(new_customer),
        None,
        won("Fırın hattı", "100000", at(5)),
    )
    .await;
    deal(
        &fx,
        &rep_a,
        Some(old_customer),
        None,
        won("Yıllık bakım", "50000", at(10)),
    )
    .await;
    deal(
        &fx,
        &rep_a,
        None,
        None,
        Deal {
            name: "Pres hattı",
            stage: "Pazarlık",
            amount: "40000",
            currency: "TRY",
            close: at(20),
            category: Some("commit"),
        },
    )
    .await;
    deal(
        &fx,
        &rep_a,
        None,
        None,
        Deal {
            name: "Kalıp seti",
            stage: "Teklif verildi",
            amount: "20000",
            currency: "TRY",
            close: at(30),
            category: Some("best_case"),
        },
    )
    .await;
    deal(
        &fx,
        &rep_a,
        None,
        None,
        Deal {
            name: "İhracat paketi",
            stage: "Yeni fırsat",
            amount: "1000",
            currency: "USD",
            close: at(40),
            category: None,
        },
    )
    .await;
    deal(
        &fx,
        &rep_a,
        None,
        None,
        Deal {
            name: "Avrupa bayisi",
            stage: "Yeni fırsat",
            amount: "5000",
            currency: "EUR",
            close: at(41),
            category: None,
        },
    )
    .await;
    deal(
        &fx,
        &rep_a,
        None,
        None,
        Deal {
            name: "Gelecek yıl",
            stage: "Pazarlık",
            amount: "70000",
            currency: "TRY",
            close: days_from(q.end, 1),
            category: Some("commit"),
        },
    )
    .await;
    deal(
        &fx,
        &rep_a,
        None,
        None,
        Deal {
            name: "Kaçan iş",
            stage: "Kaybedildi",
            amount: "80000",
            currency: "TRY",
            close: at(15),
            category: None,
        },
    )
    .await;
    deal(
        &fx,
        &rep_a,
        None,
        None,
        Deal {
            name: "Gecikmiş teklif",
            stage: "Nitelikli",
            amount: "9000",
            currency: "TRY",
            close: days_from(today(), -3),
            category: None,
        },
    )
    .await;
    // Rep B: one won, a person's first; rep C (another team): one won.
    deal(
        &fx,
        &rep_b,
        None,
        Some(person),
        won("Danışmanlık", "30000", at(50)),
    )
    .await;
    deal(
        &fx,
        &rep_c,
        None,
        None,
        won("Güney projesi", "999999", at(12)),
    )
    .await;
    World {
        fx,
        api,
        admin,
        manager,
        rep_a,
        rep_b,
        rep_c,
    }
}

async fn post_target(api: &Api, token: &str, body: Value) -> (StatusCode, Value) {
    let reply = api
        .call(Method::POST, "/api/v1/targets", Some(token), Some(body))
        .await;
    (reply.status, reply.body)
}

both_backends! {
    async fn targets_are_set_by_whom_may_and_the_forecast_measures_the_quarter(db) {
        let w = world(db).await;
        let api = &w.api;
        let q = quarter();
        let (start, end) = (q.start.to_string(), q.end.to_string());
        let month_end = Period::of(PeriodKind::Month, q.start).end.to_string();
        let admin = api.token_for(&w.admin).await;
        let manager = api.token_for(&w.manager).await;
        let rep_a = api.token_for(&w.rep_a).await;
        let rep_c = api.token_for(&w.rep_c).await;
        let (a, b, c) = (w.rep_a.id.0, w.rep_b.id.0, w.rep_c.id.0);
        let kuzey = w.manager.team_id.unwrap().0;

        // Who sets what: an administrator anyone's, a manager their team's, a rep nobody's.
        let (status, set) = post_target(api, &admin, json!({"period_start": start, "period_end": end, "user_id": a, "metric": "won_amount", "target": 20_000_000})).await;
        assert_eq!(status, StatusCode::CREATED, "{set:?}");
        assert_eq!(set["currency"], "TRY");
        assert_eq!(set["target"], 20_000_000);
        let (status, _) = post_target(api, &manager, json!({"period_start": start, "period_end": month_end, "user_id": b, "metric": "won_amount", "target": 6_000_000, "currency": "TRY"})).await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, team_target) = post_target(api, &manager, json!({"period_start": start, "period_end": end, "team_id": kuzey, "metric": "won_count", "target": 5})).await;
        assert_eq!(status, StatusCode::CREATED, "{team_target:?}");
        assert_eq!(team_target["currency"], Value::Null);
        let (status, _) = post_target(api, &manager, json!({"period_start": start, "period_end": end, "user_id": c, "metric": "won_amount", "target": 1})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "another team's rep");
        let (status, _) = post_target(api, &rep_a, json!({"period_start": start, "period_end": end, "user_id": a, "metric": "won_count", "target": 3})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a rep sets no target");
        // Overlapping the same subject and measure: 409; another measure is fine.
        let (status, overlap) = post_target(api, &manager, json!({"period_start": month_end, "period_end": end, "user_id": a, "metric": "won_amount", "target": 1})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{overlap:?}");
        // Bad input: every wrong field named, nothing stored.
        let (status, refused) = post_target(api, &manager, json!({"period_start": end, "period_end": start, "metric": "ciro", "target": -1})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused:?}");
        let reply = api.call(Method::GET, "/api/v1/targets", Some(&manager), None).await;
        assert_eq!(reply.body["items"].as_array().unwrap().len(), 3, "{:?}", reply.body);

        // A change with a stale version is refused; with the current one it applies.
        let id = set["id"].as_i64().unwrap();
        let reply = api.call(Method::PATCH, &format!("/api/v1/targets/{id}"), Some(&admin), Some(json!({"target": 21_000_000, "version": 99}))).await;
        assert_eq!(reply.status, StatusCode::CONFLICT);
        let reply = api.call(Method::PATCH, &format!("/api/v1/targets/{id}"), Some(&admin), Some(json!({"target": 20_000_000, "version": set["version"]}))).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.body["version"], set["version"].as_i64().unwrap() + 1);

        // The manager's forecast: the team, a line per rep.
        let url = format!("/api/v1/reports/forecast?period=quarter&date={}", q.start);
        let reply = api.call(Method::GET, &url, Some(&manager), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let f = &reply.body;
        assert_eq!((f["period_start"].as_str(), f["period_end"].as_str()), (Some(start.as_str()), Some(end.as_str())));
        assert_eq!(f["team_id"], kuzey);
        let ayse = row(f, "ayse");
        assert_eq!(minor(&ayse["target"]), 20_000_000);
        assert_eq!(minor(&ayse["closed_won"]), 15_000_000);
        assert_eq!(minor(&ayse["commit"]), 4_000_000);
        assert_eq!(minor(&ayse["best_case"]), 6_000_000);
        // 40,000 × 75 % + 20,000 × 50 % + (1,000 USD × 40) × 10 %.
        assert_eq!(minor(&ayse["weighted"]), 4_400_000);
        assert_eq!(minor(&ayse["gap"]), 5_000_000);
        assert_eq!(ayse["won_count"], 2);
        assert_eq!(ayse["new_customers"], 1, "the old customer was won before");
        assert_eq!(ayse["unpriced"], 1, "the EUR deal has no rate");
        let baris = row(f, "baris");
        assert_eq!(minor(&baris["target"]), 6_000_000, "a month's target inside the quarter counts whole");
        assert_eq!(minor(&baris["closed_won"]), 3_000_000);
        assert_eq!(baris["new_customers"], 1);
        let total = &f["total"];
        assert_eq!(minor(&total["target"]), 26_000_000);
        assert_eq!(minor(&total["closed_won"]), 18_000_000, "another team's deal is not the team's");
        assert_eq!(total["won_count"], 3);
        assert_eq!(total["won_count_target"], 5, "the team's own target");
        assert_eq!(f["missing_rates"], json!(["EUR"]));
        assert_eq!(f["overdue_count"], 1);
        assert_eq!(f["overdue"][0]["name"], "Gecikmiş teklif");
        assert!(!f.to_string().contains("Güney projesi") && !f.to_string().contains("cem"));

        // By month: the quarter's target counts by the days it shares.
        let url = format!("/api/v1/reports/forecast?period=month&date={}&user_id={a}", q.start);
        let reply = api.call(Method::GET, &url, Some(&manager), None).await;
        let month = Period::of(PeriodKind::Month, q.start);
        let share = (20_000_000 * month.days() * 2 + q.days()) / (2 * q.days());
        assert_eq!(minor(&reply.body["total"]["target"]), share, "{:?}", reply.body);
        assert_eq!(minor(&reply.body["total"]["closed_won"]), 15_000_000);

        // A rep sees their own forecast only.
        let url = format!("/api/v1/reports/forecast?date={}", q.start);
        let reply = api.call(Method::GET, &url, Some(&rep_a), None).await;
        assert_eq!(reply.body["user_id"], a);
        assert_eq!(reply.body["rows"].as_array().unwrap().len(), 1);
        assert!(!reply.body.to_string().contains("baris"));
        for other in [format!("team_id={kuzey}"), format!("user_id={b}")] {
            let reply = api.call(Method::GET, &format!("{url}&{other}"), Some(&rep_a), None).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{other}");
        }
        let reply = api.call(Method::GET, &url, Some(&rep_c), None).await;
        assert_eq!(minor(&reply.body["total"]["closed_won"]), 99_999_900);
        assert_eq!(reply.body["overdue_count"], 0, "a colleague's overdue deal is not listed");
        // Targets: a rep reads their own, nobody else's.
        let reply = api.call(Method::GET, "/api/v1/targets", Some(&rep_a), None).await;
        assert_eq!(reply.body["items"].as_array().unwrap().len(), 1);
        let reply = api.call(Method::GET, "/api/v1/targets", Some(&rep_c), None).await;
        assert_eq!(reply.body["items"], json!([]));
        let reply = api.call(Method::GET, &format!("/api/v1/targets/{id}"), Some(&rep_c), None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        let reply = api.call(Method::DELETE, &format!("/api/v1/targets/{id}"), Some(&rep_a), None).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "a rep removes no target, not even their own");

        // Everyone, for an administrator.
        let reply = api.call(Method::GET, &url, Some(&admin), None).await;
        assert_eq!(minor(&reply.body["total"]["closed_won"]), 18_000_000 + 99_999_900);
        assert_eq!(reply.body["total"]["new_customers"], 2, "read as a set for everyone, the same count");
        assert_eq!(reply.body["user_id"], Value::Null);
        assert_eq!(reply.body["team_id"], Value::Null);
        let reply = api.call(Method::GET, &format!("{url}&period=year"), Some(&admin), None).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        let reply = api.call(Method::GET, &format!("{url}&user_id=999999"), Some(&admin), None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);

        // Removed by whom may set it; every change is audited.
        let reply = api.call(Method::DELETE, &format!("/api/v1/targets/{id}"), Some(&admin), None).await;
        assert_eq!(reply.status, StatusCode::NO_CONTENT);
        let audit = w.fx.store().audit_log(&rehber_app::AuditFilter { record_type: Some("sales_target".into()), limit: 100, ..Default::default() }).await.unwrap();
        let actions: Vec<&str> = audit.iter().filter(|e| e.record_type == "sales_target" && e.record_id == id).map(|e| e.action.as_str()).collect();
        assert_eq!(actions.len(), 3, "{actions:?}");
    }

    async fn the_forecast_page_draws_the_chart_and_takes_targets(db) {
        let w = world(db).await;
        let q = quarter();
        let server = TestServer::spawn(&w.fx.app);
        let browser = Browser::signed_in(&server, &w.manager, PASSWORD).await;
        let address = format!("/reports/forecast?period=quarter&date={}", q.start);
        let page = browser.get(&address).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("<svg"), "the chart is drawn on the server");
        assert!(page.body.contains("data-forecast-chart"));
        assert!(page.body.contains("ayse") && page.body.contains("baris"));
        assert!(page.body.contains("Gecikmiş teklif"), "the overdue deal is listed to fix");
        assert!(!page.body.contains("Güney projesi"));

        // A target from the form; the same again overlaps and is refused with its message.
        let fields = [
            ("whose", format!("user:{}", w.rep_a.id.0)),
            ("metric", "won_amount".to_string()),
            ("period_start", q.start.to_string()),
            ("period_end", q.end.to_string()),
            ("target", "250.000".to_string()),
            ("currency", "TRY".to_string()),
            ("back_period", "quarter".to_string()),
            ("back_date", q.start.to_string()),
            ("back_subject", String::new()),
        ];
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let added = browser.submit(&address, "/targets", &fields).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let shown = browser.get(&added.location()).await;
        assert!(shown.body.contains("Target added."), "{}", shown.body);
        assert!(shown.body.contains("250,000.00"), "the target is in the table");
        let again = browser.submit(&address, "/targets", &fields).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(again.body.contains("overlapping this period"), "{}", again.body);
        assert!(again.body.contains("250.000"), "what was typed stays");

        // A rep sees their own line, no target form, and not a colleague's name.
        let rep = Browser::signed_in(&server, &w.rep_b, PASSWORD).await;
        let page = rep.get(&address).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("baris") && !page.body.contains("Fırın hattı"));
        assert!(!page.body.contains("data-target-form"));
        assert!(!page.body.contains("Gecikmiş teklif"));
        let forbidden = rep.get(&format!("{address}&subject=user:{}", w.rep_a.id.0)).await;
        assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
        // In Turkish too.
        let turkish = Browser::new(&server);
        turkish.sign_in(&w.rep_b.email, PASSWORD).await;
        let page = turkish.get(&address).await;
        assert!(page.body.contains("Satış tahmini") && page.body.contains("Kazanılan"), "{}", page.body);
    }
}
