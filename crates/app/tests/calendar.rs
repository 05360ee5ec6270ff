//! The personal calendar feed on SQLite and PostgreSQL: the owner's planned activities (in
//! UTC) and open tasks (all-day on their date) and nothing of a colleague's; a new address
//! revokes the old one, turning the feed off revokes it, and a made-up address is not found.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rehber_app::calendar::Whose;
use rehber_domain::activity::ActivityInput;
use rehber_domain::task::TaskInput;
use rehber_domain::{Error, Role};
use rehber_testkit::{Fixtures, PersonBuilder, both_backends, refusal};

fn visit(person: i64, subject: &str, at: &str, status: &str) -> ActivityInput {
    ActivityInput {
        kind: "visit".into(),
        status: status.into(),
        subject: subject.into(),
        starts_at: at.into(),
        ends_at: String::new(),
        links: vec![("person".into(), person)],
        ..ActivityInput::default()
    }
}

both_backends! {
    async fn a_feed_holds_the_owners_planned_activities_and_open_tasks_and_nothing_else(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let app = fx.app.clone();
        let mine = PersonBuilder::new("Işık", "Çağlar").create(&app, &rep_a.actor()).await;
        let theirs = PersonBuilder::new("Bora", "Kaya").create(&app, &rep_b.actor()).await;
        let soon = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(48)).to_string();
        let planned = app.create_activity(&rep_a.actor(), &visit(mine.id.0, "Fabrika ziyareti, Bursa", &soon, "planned")).await.unwrap();
        app.create_activity(&rep_a.actor(), &visit(mine.id.0, "Yapılmış ziyaret", &soon, "done")).await.unwrap();
        app.create_activity(&rep_b.actor(), &visit(theirs.id.0, "B'nin ziyareti", &soon, "planned")).await.unwrap();
        let task = app.create_task(&rep_a.actor(), &TaskInput { title: "Teklifi ara".into(), due_date: "2026-12-08".into(), ..TaskInput::default() }).await.unwrap();
        app.create_task(&rep_a.actor(), &TaskInput { title: "Tarihsiz".into(), ..TaskInput::default() }).await.unwrap();
        app.create_task(&rep_b.actor(), &TaskInput { title: "B'nin görevi".into(), due_date: "2026-12-08".into(), ..TaskInput::default() }).await.unwrap();

        let token = app.issue_calendar_feed(&rep_a.actor()).await.unwrap();
        assert!(token.starts_with("rcf_"));
        let feed = app.calendar_feed(&token).await.unwrap();
        assert!(feed.starts_with("BEGIN:VCALENDAR\r\n") && feed.ends_with("END:VCALENDAR\r\n"));
        assert!(feed.contains(&format!("UID:activity-{}@rehber", planned.id.0)));
        let start = planned.fields.starts_at.strftime("%Y%m%dT%H%M%SZ").to_string();
        assert!(feed.contains(&format!("DTSTART:{start}")), "in UTC: {feed}");
        assert!(feed.contains("SUMMARY:Fabrika ziyareti\\, Bursa"));
        assert!(feed.contains(&format!("UID:task-{}@rehber", task.id.0)));
        assert!(feed.contains("DTSTART;VALUE=DATE:20261208\r\nDTEND;VALUE=DATE:20261209"));
        for absent in ["Yapılmış ziyaret", "B'nin", "Tarihsiz"] {
            assert!(!feed.contains(absent), "{absent} is not in rep A's feed");
        }
        assert!(app.has_calendar_feed(&rep_a.actor()).await.unwrap());
        assert!(!app.has_calendar_feed(&rep_b.actor()).await.unwrap());

        let newer = app.issue_calendar_feed(&rep_a.actor()).await.unwrap();
        assert_eq!(refusal(app.calendar_feed(&token).await), Error::NotFound, "a new address revokes the old");
        assert!(app.calendar_feed(&newer).await.is_ok());
        app.revoke_calendar_feed(&rep_a.actor()).await.unwrap();
        assert_eq!(refusal(app.calendar_feed(&newer).await), Error::NotFound);
        for made_up in ["", "rcf_", "rcf_0000", &newer.replace("rcf_", "rhb_")] {
            assert_eq!(refusal(app.calendar_feed(made_up).await), Error::NotFound, "{made_up}");
        }
    }

    async fn a_calendar_shows_a_range_for_oneself_a_colleague_or_everyone_within_scope(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let manager = fx.user("manager-n", Role::SalesManager, Some("Kuzey")).await;
        let app = fx.app.clone();
        let mine = PersonBuilder::new("Işık", "Çağlar").create(&app, &rep_a.actor()).await;
        let theirs = PersonBuilder::new("Bora", "Kaya").create(&app, &rep_b.actor()).await;
        app.create_activity(&rep_a.actor(), &visit(mine.id.0, "A'nın ziyareti", "2026-12-07T14:00:00+03:00", "planned")).await.unwrap();
        app.create_activity(&rep_a.actor(), &visit(mine.id.0, "İptal", "2026-12-07T15:00:00+03:00", "cancelled")).await.unwrap();
        app.create_activity(&rep_a.actor(), &visit(mine.id.0, "Ay dışında", "2027-01-07T14:00:00+03:00", "planned")).await.unwrap();
        app.create_activity(&rep_b.actor(), &visit(theirs.id.0, "B'nin ziyareti", "2026-12-08T10:00:00+03:00", "planned")).await.unwrap();
        app.create_task(&rep_a.actor(), &TaskInput { title: "A'nın görevi".into(), due_date: "2026-12-31".into(), ..TaskInput::default() }).await.unwrap();
        let first: jiff::civil::Date = "2026-12-01".parse().unwrap();
        let last: jiff::civil::Date = "2026-12-31".parse().unwrap();
        let names = |range: &rehber_app::calendar::CalendarRange| {
            let mut out: Vec<String> = range.activities.iter().map(|a| a.fields.subject.clone()).collect();
            out.extend(range.tasks.iter().map(|t| t.fields.title.clone()));
            out
        };

        let own = app.calendar_range(&rep_a.actor(), Whose::Me, first, last).await.unwrap();
        assert_eq!(names(&own), ["A'nın ziyareti", "A'nın görevi"], "cancelled and next month's left out");
        let peeking = app.calendar_range(&rep_a.actor(), Whose::User(rep_b.id), first, last).await.unwrap();
        assert!(names(&peeking).is_empty(), "a rep never sees a colleague's calendar");
        let everyone = app.calendar_range(&rep_a.actor(), Whose::Everyone, first, last).await.unwrap();
        assert_eq!(names(&everyone), ["A'nın ziyareti", "A'nın görevi"]);
        let team = app.calendar_range(&manager.actor(), Whose::Everyone, first, last).await.unwrap();
        assert_eq!(names(&team), ["A'nın ziyareti", "B'nin ziyareti", "A'nın görevi"]);
        let one = app.calendar_range(&manager.actor(), Whose::User(rep_b.id), first, last).await.unwrap();
        assert_eq!(names(&one), ["B'nin ziyareti"]);
    }
}
