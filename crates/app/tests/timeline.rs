//! A record's timeline on SQLite and PostgreSQL: activities, tasks and saves merged newest
//! first and paged by key without losing or repeating an entry; filtered by kind; entry by
//! entry in the viewer's scope (a rep who sees a company does not see what a colleague
//! logged against their own person working there); a record out of sight is not found.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rehber_app::App;
use rehber_app::ownership::OwnershipRequest;
use rehber_app::timeline::{TimelineEntry, TimelineKind};
use rehber_domain::activity::{ActivityInput, Link, LinkType};
use rehber_domain::party::{People, PersonPatch};
use rehber_domain::task::TaskInput;
use rehber_domain::{Actor, Error, Role};
use rehber_testkit::{CompanyBuilder, Fixtures, PersonBuilder, both_backends, refusal};

fn call(record_type: &str, id: i64, subject: &str, at: &str) -> ActivityInput {
    ActivityInput {
        kind: "call".into(),
        subject: subject.into(),
        starts_at: at.into(),
        links: vec![(record_type.into(), id)],
        ..ActivityInput::default()
    }
}

/// Every entry of a record's timeline as `kind:label`, read `page` entries at a time.
async fn entries(
    app: &App,
    actor: &Actor,
    record: Link,
    kinds: &[TimelineKind],
    page: u32,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let timeline = app
            .timeline(actor, record, kinds, cursor.as_deref(), page)
            .await
            .unwrap();
        assert!(timeline.items.len() <= page as usize);
        for item in &timeline.items {
            out.push(match &item.entry {
                TimelineEntry::Activity(a) => format!("activity:{}", a.fields.subject),
                TimelineEntry::Task(t) => format!("task:{}", t.fields.title),
                TimelineEntry::Comment(c) => format!("comment:{}", c.body),
                TimelineEntry::Change(c) => format!("change:{}", c.action),
            });
        }
        match timeline.next_cursor {
            Some(next) => cursor = Some(next),
            None => return out,
        }
    }
}

both_backends! {
    async fn a_timeline_merges_activities_tasks_and_saves_newest_first_page_by_page(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let app = fx.app.clone();
        let me = rep.actor();
        let person = PersonBuilder::new("Işık", "Çağlar").create(&app, &me).await;
        let record = Link { record_type: LinkType::Person, record_id: person.id.0 };
        // Calls long ago and in the future bracket the saves and tasks made now.
        app.create_activity(&me, &call("person", person.id.0, "Eski arama", "2020-01-01T10:00:00Z")).await.unwrap();
        app.create_activity(&me, &call("person", person.id.0, "Aynı anda 1", "2020-01-01T10:00:00Z")).await.unwrap();
        app.create_task(&me, &TaskInput { title: "İlk görev".into(), links: vec![("person".into(), person.id.0)], ..TaskInput::default() }).await.unwrap();
        let note = rehber_domain::comment::CommentInput { body: "Bir yorum".into(), mentions: vec![] };
        app.add_comment(&me, record, &note).await.unwrap();
        let patch = PersonPatch { job_title: Some("Satın alma müdürü".into()), ..PersonPatch::default() };
        app.update::<People>(&me, person.id, None, patch, OwnershipRequest::default()).await.unwrap();
        app.create_task(&me, &TaskInput { title: "İkinci görev".into(), links: vec![("person".into(), person.id.0)], ..TaskInput::default() }).await.unwrap();
        app.create_activity(&me, &call("person", person.id.0, "Gelecek arama", "2030-01-01T10:00:00Z")).await.unwrap();

        let all = entries(&app, &me, record, &[], 50).await;
        assert_eq!(all, [
            "activity:Gelecek arama",
            "task:İkinci görev",
            "change:updated",
            "comment:Bir yorum",
            "task:İlk görev",
            "change:created",
            "activity:Aynı anda 1",
            "activity:Eski arama",
        ]);
        for page in [1, 2, 3, 4] {
            assert_eq!(entries(&app, &me, record, &[], page).await, all, "pages of {page}");
        }
        assert_eq!(entries(&app, &me, record, &[TimelineKind::Task], 1).await, ["task:İkinci görev", "task:İlk görev"]);
        assert_eq!(entries(&app, &me, record, &[TimelineKind::Change, TimelineKind::Activity], 2).await.len(), 5);
        assert_eq!(entries(&app, &me, record, &[TimelineKind::Comment], 1).await, ["comment:Bir yorum"]);
        let bad = app.timeline(&me, record, &[], Some("zzz"), 10).await;
        assert_eq!(refusal(bad), Error::field("cursor", "invalid-cursor"));
    }

    async fn each_entry_obeys_its_own_scope_and_a_record_out_of_sight_is_not_found(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let manager = fx.user("manager-n", Role::SalesManager, Some("Kuzey")).await;
        let app = fx.app.clone();
        let company = CompanyBuilder::new("Anadolu Tekstil").create(&app, &rep_a.actor()).await;
        // Rep B's own contact works at rep A's customer; rep B logs a call with them.
        let theirs = PersonBuilder::new("Bora", "Kaya").company(company.id).create(&app, &manager.actor()).await;
        let to_b = rehber_app::ownership::OwnershipRequest { owner_id: Some(rep_b.id), team_id: None };
        app.update::<People>(&manager.actor(), theirs.id, None, PersonPatch::default(), to_b).await.unwrap();
        app.create_activity(&rep_b.actor(), &call("person", theirs.id.0, "B'nin araması", "2026-12-01T10:00:00Z")).await.unwrap();
        app.create_activity(&rep_a.actor(), &call("company", company.id.0, "A'nın araması", "2026-12-02T10:00:00Z")).await.unwrap();
        let record = Link { record_type: LinkType::Company, record_id: company.id.0 };

        let seen_by_a = entries(&app, &rep_a.actor(), record, &[TimelineKind::Activity], 10).await;
        assert_eq!(seen_by_a, ["activity:A'nın araması"], "rep B's call came from rep B's record");
        let seen_by_manager = entries(&app, &manager.actor(), record, &[TimelineKind::Activity], 10).await;
        assert_eq!(seen_by_manager, ["activity:A'nın araması", "activity:B'nin araması"]);
        let outside = app.timeline(&rep_b.actor(), record, &[], None, 10).await;
        assert_eq!(refusal(outside), Error::NotFound);
        let nowhere = Link { record_type: LinkType::Person, record_id: 999_999 };
        assert_eq!(refusal(app.timeline(&manager.actor(), nowhere, &[], None, 10).await), Error::NotFound);
    }
}
