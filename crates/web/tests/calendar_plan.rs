//! Planning an activity from the calendar, on SQLite and PostgreSQL: a day's empty space
//! opens the form with that day, the record picker offers only records the user may see,
//! the planned visit lands in the calendar on its day, and nobody can plan on a record
//! outside their scope.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use common::browser::Browser;
use common::server::TestServer;
use rehber_domain::Role;
use rehber_testkit::{Fixtures, PASSWORD, PersonBuilder, both_backends};

both_backends! {
    async fn a_visit_planned_from_a_calendar_day_lands_on_that_day(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let sevgi = PersonBuilder::new("Sevgi", "Öztürk").create(&fx.app, &rep_a.actor()).await;
        let server = TestServer::spawn(&fx.app);
        let a = Browser::signed_in(&server, &rep_a, PASSWORD).await;
        let b = Browser::signed_in(&server, &rep_b, PASSWORD).await;

        let month = a.get("/calendar?date=2026-12-15").await;
        assert!(month.body.contains("href=\"/calendar/new?date=2026-12-09\""), "each day plans an activity");
        let form = a.get("/calendar/new?date=2026-12-09").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("value=\"2026-12-09T09:00\""), "the day is filled in");
        let value = format!("person:{}", sevgi.id.0);
        let picks = a.htmx_get("/calendar/records?record_name=sevgi").await;
        assert!(picks.body.contains(&value), "{}", picks.body);
        assert!(!b.htmx_get("/calendar/records?record_name=sevgi").await.body.contains(&value), "a colleague's customer is not offered");

        let missing = a.submit("/calendar/new?date=2026-12-09", "/calendar/new", &[("kind", "visit"), ("starts_at", "2026-12-09T14:30"), ("subject", "Fabrika ziyareti")]).await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(missing.body.contains("Fabrika ziyareti"), "what was typed stays");
        let planned = a.submit("/calendar/new?date=2026-12-09", "/calendar/new", &[("kind", "visit"), ("starts_at", "2026-12-09T14:30"), ("subject", "Fabrika ziyareti"), ("record", &value), ("record_name", "Sevgi Öztürk")]).await;
        assert_eq!(planned.location(), "/calendar?view=week&date=2026-12-09&notice=notice-activity-planned");
        let week = a.get(&planned.location()).await;
        assert!(week.body.contains("Fabrika ziyareti") && week.body.contains("14:30"), "on its day, at its time");
        let activities = fx.app.activities(&rep_a.actor(), &rehber_app::ActivityFilter::default(), None, 10).await.unwrap();
        assert_eq!(activities.items[0].fields.starts_at.to_string(), "2026-12-09T11:30:00Z");
        assert_eq!(activities.items[0].fields.status.as_str(), "planned");

        let sneaking = b.submit("/calendar/new?date=2026-12-09", "/calendar/new", &[("kind", "visit"), ("starts_at", "2026-12-09T10:00"), ("subject", "Sızma"), ("record", &value)]).await;
        assert_eq!(sneaking.status, StatusCode::UNPROCESSABLE_ENTITY, "another rep's customer is refused");
        assert_eq!(fx.app.activities(&rep_a.actor(), &rehber_app::ActivityFilter::default(), None, 10).await.unwrap().items.len(), 1);
    }
}
