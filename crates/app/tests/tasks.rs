//! Tasks and "Bugün" on SQLite and PostgreSQL: a task is its assignee's, who must be able to
//! see what it is about; a sales rep never sees, lists, changes or completes another rep's;
//! the agenda of a day holds the overdue tasks, that day's tasks and planned activities in
//! time order; snoozing moves the due, keeping its kind; bad input is refused naming the
//! field, storing nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rehber_app::App;
use rehber_app::tasks::BulkTaskAction;
use rehber_domain::activity::{ActivityInput, Link, LinkType};
use rehber_domain::task::{Due, TaskInput, TaskPatch, TaskStatus};
use rehber_domain::{Actor, Error, Role};
use rehber_store::TaskFilter;
use rehber_testkit::{
    CompanyBuilder, Fixtures, PersonBuilder, both_backends, field_errors, refusal,
};

fn task(title: &str, due_date: &str) -> TaskInput {
    TaskInput {
        title: title.into(),
        due_date: due_date.into(),
        ..TaskInput::default()
    }
}

fn about(record_type: &str, id: i64, input: TaskInput) -> TaskInput {
    TaskInput {
        links: vec![(record_type.into(), id)],
        ..input
    }
}

/// The titles of every task the actor sees under `filter`, soonest due first.
async fn titles(app: &App, actor: &Actor, filter: &TaskFilter) -> Vec<String> {
    let page = app.tasks(actor, filter, None, 500).await.unwrap();
    page.items.into_iter().map(|t| t.fields.title).collect()
}

fn on(record_type: LinkType, record_id: i64) -> TaskFilter {
    TaskFilter {
        link: Some(Link {
            record_type,
            record_id,
        }),
        ..TaskFilter::default()
    }
}

both_backends! {
    async fn a_task_is_its_assignees_and_the_assignee_must_see_what_it_is_about(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let manager = fx.user("manager-n", Role::SalesManager, Some("Kuzey")).await;
        let app = fx.app.clone();
        let company = CompanyBuilder::new("Anadolu Tekstil").create(&app, &rep_a.actor()).await;
        let person = PersonBuilder::new("Işık", "Çağlar").company(company.id).create(&app, &rep_a.actor()).await;

        let mine = app.create_task(&rep_a.actor(), &about("person", person.id.0, task("Teklifi ara", "2026-12-07"))).await.unwrap();
        assert_eq!(mine.fields.assignee_id, Some(rep_a.id), "whoever asks, by default");
        assert_eq!(mine.ownership.owner_id, Some(rep_a.id));
        assert_eq!(mine.fields.status, TaskStatus::Open);
        let links: Vec<(LinkType, i64, bool)> = mine.links.iter().map(|l| (l.link.record_type, l.link.record_id, l.automatic)).collect();
        assert_eq!(links, [(LinkType::Person, person.id.0, false), (LinkType::Company, company.id.0, true)]);
        assert_eq!(titles(&app, &rep_a.actor(), &on(LinkType::Company, company.id.0)).await, ["Teklifi ara"]);

        // Rep B cannot see rep A's customer: a task about it cannot be theirs.
        let to_b = TaskInput { assignee_id: Some(rep_b.id.0), ..about("person", person.id.0, task("Ziyaret et", "2026-12-08")) };
        assert_eq!(field_errors(app.create_task(&manager.actor(), &to_b).await), ["assignee_id=invalid-assignee-cannot-see"]);
        let nobody = TaskInput { assignee_id: Some(rep_b.id.0 + 1000), ..task("Kimse", "") };
        assert_eq!(field_errors(app.create_task(&manager.actor(), &nobody).await), ["assignee_id=invalid-assignee"]);
        // The manager hands rep A a task about rep A's customer: it is rep A's, with the team.
        let handed = TaskInput { assignee_id: Some(rep_a.id.0), ..about("company", company.id.0, task("Cari mutabakat", "2026-12-09")) };
        let handed = app.create_task(&manager.actor(), &handed).await.unwrap();
        assert_eq!((handed.ownership.owner_id, handed.ownership.team_id), (Some(rep_a.id), rep_a.actor().team_id));
        assert_eq!(handed.created_by, Some(manager.id));
        assert_eq!(titles(&app, &rep_a.actor(), &TaskFilter::default()).await, ["Teklifi ara", "Cari mutabakat"]);
    }

    async fn a_sales_rep_never_sees_lists_changes_or_completes_another_reps_tasks(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let rep_c = fx.user("rep-c", Role::SalesRep, Some("Güney")).await;
        let manager = fx.user("manager-n", Role::SalesManager, Some("Kuzey")).await;
        let manager_s = fx.user("manager-s", Role::SalesManager, Some("Güney")).await;
        let app = fx.app.clone();
        let person = PersonBuilder::new("Ali", "Kaya").create(&app, &rep_a.actor()).await;
        let secret = app.create_task(&rep_a.actor(), &about("person", person.id.0, task("Rep A'nın işi", "2026-12-03"))).await.unwrap();
        let day: rehber_domain::task::Date = "2026-12-07".parse().unwrap();

        for outsider in [&rep_b, &rep_c, &manager_s] {
            assert_eq!(refusal(app.task(&outsider.actor(), secret.id).await), Error::NotFound);
            assert!(titles(&app, &outsider.actor(), &TaskFilter::default()).await.is_empty());
            assert!(titles(&app, &outsider.actor(), &on(LinkType::Person, person.id.0)).await.is_empty());
            assert_eq!(refusal(app.complete_task(&outsider.actor(), secret.id).await), Error::NotFound);
            assert_eq!(refusal(app.update_task(&outsider.actor(), secret.id, None, TaskPatch::default()).await), Error::NotFound);
            assert_eq!(refusal(app.delete_task(&outsider.actor(), secret.id).await), Error::NotFound);
            assert_eq!(app.bulk_tasks(&outsider.actor(), &[secret.id], BulkTaskAction::Complete).await.unwrap(), 0);
            let agenda = app.agenda(&outsider.actor(), day).await.unwrap();
            assert!(agenda.overdue.is_empty() && agenda.tasks.is_empty());
            let linking = app.create_task(&outsider.actor(), &about("person", person.id.0, task("sızma", ""))).await;
            assert_eq!(field_errors(linking), ["links[0].record_id=invalid-unknown-record"]);
        }
        assert_eq!(titles(&app, &manager.actor(), &TaskFilter::default()).await, ["Rep A'nın işi"]);
        assert_eq!(app.task(&rep_a.actor(), secret.id).await.unwrap().fields.status, TaskStatus::Open, "nothing changed it");
    }

    async fn the_agenda_holds_overdue_tasks_the_days_tasks_and_planned_activities_in_time_order(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let other = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let app = fx.app.clone();
        let person = PersonBuilder::new("Ada", "Yıldız").create(&app, &rep.actor()).await;
        let me = rep.actor();
        for input in [
            task("Dün kalan", "2026-12-06"),
            task("Geçen hafta", "2026-11-30"),
            task("Günün işi", "2026-12-07"),
            TaskInput { due_at: "2026-12-07T09:00:00+03:00".into(), ..task("Sabah araması", "") },
            TaskInput { due_at: "2026-12-07T23:30:00+03:00".into(), ..task("Gece", "") },
            task("Yarın", "2026-12-08"),
            task("Tarihsiz", ""),
        ] {
            app.create_task(&me, &input).await.unwrap();
        }
        let done = app.create_task(&me, &task("Bitmiş eski", "2026-12-01")).await.unwrap();
        app.complete_task(&me, done.id).await.unwrap();
        app.create_task(&other.actor(), &task("Başkasının", "2026-12-07")).await.unwrap();
        let visit = |subject: &str, at: &str| ActivityInput {
            kind: "visit".into(),
            status: "planned".into(),
            subject: subject.into(),
            starts_at: at.into(),
            links: vec![("person".into(), person.id.0)],
            ..ActivityInput::default()
        };
        app.create_activity(&me, &visit("Öğleden sonra ziyaret", "2026-12-07T14:00:00+03:00")).await.unwrap();
        app.create_activity(&me, &visit("Sabah ziyareti", "2026-12-07T08:30:00+03:00")).await.unwrap();
        app.create_activity(&me, &visit("Ertesi gün", "2026-12-08T08:30:00+03:00")).await.unwrap();
        app.create_activity(&me, &ActivityInput { status: "done".into(), ..visit("Yapıldı", "2026-12-07T10:00:00+03:00") }).await.unwrap();

        let agenda = app.agenda(&me, "2026-12-07".parse().unwrap()).await.unwrap();
        let names = |tasks: &[rehber_domain::task::Task]| tasks.iter().map(|t| t.fields.title.clone()).collect::<Vec<_>>();
        assert_eq!(names(&agenda.overdue), ["Geçen hafta", "Dün kalan"]);
        assert_eq!(names(&agenda.tasks), ["Günün işi", "Sabah araması", "Gece"]);
        let subjects: Vec<&str> = agenda.activities.iter().map(|a| a.fields.subject.as_str()).collect();
        assert_eq!(subjects, ["Sabah ziyareti", "Öğleden sonra ziyaret"]);
        assert!(!agenda.more_overdue);
    }

    async fn done_and_snooze_move_tasks_and_bulk_actions_change_only_what_may_change(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let manager = fx.user("manager-n", Role::SalesManager, Some("Kuzey")).await;
        let app = fx.app.clone();
        let me = rep.actor();
        let today = app.today();
        let timed = app.create_task(&me, &TaskInput { due_at: "2026-01-05T09:30:00+03:00".into(), reminder_at: "2026-01-05T09:00:00+03:00".into(), ..task("Eski saatli", "") }).await.unwrap();
        let snoozed = app.snooze_task(&me, timed.id, 1).await.unwrap();
        let expected = today.tomorrow().unwrap();
        match snoozed.fields.due {
            Some(Due::At(at)) => {
                let local = at.to_zoned_datetime(rehber_app::home_zone());
                assert_eq!((local.date(), local.hour(), local.minute()), (expected, 9, 30), "same time of day, from today");
            }
            other => panic!("a timed task stays timed: {other:?}"),
        }
        assert_eq!(snoozed.fields.reminder_at, None, "an old reminder would ring for the old due");
        let dated = app.create_task(&me, &task("Bugünkü", &today.to_string())).await.unwrap();
        let week = app.snooze_task(&me, dated.id, 7).await.unwrap();
        assert_eq!(week.fields.due.unwrap().date(&rehber_app::home_zone()), today.checked_add(jiff::Span::new().days(7)).unwrap());

        let done = app.complete_task(&me, dated.id).await.unwrap();
        assert_eq!((done.fields.status, done.completed_by), (TaskStatus::Done, Some(rep.id)));
        assert!(done.completed_at.is_some());
        let again = app.complete_task(&me, dated.id).await.unwrap();
        assert_eq!(again.meta.version, done.meta.version, "completing twice changes nothing");
        let reopened = app.update_task(&me, dated.id, None, TaskPatch { status: Some("open".into()), ..TaskPatch::default() }).await.unwrap();
        assert_eq!((reopened.completed_at, reopened.completed_by), (None, None));

        let others = app.create_task(&rep_b.actor(), &task("B'nin", "")).await.unwrap();
        let changed = app.bulk_tasks(&me, &[timed.id, dated.id, others.id], BulkTaskAction::Complete).await.unwrap();
        assert_eq!(changed, 2, "rep B's task is not rep A's to complete");
        assert_eq!(app.task(&rep_b.actor(), others.id).await.unwrap().fields.status, TaskStatus::Open);
        let moved = app.bulk_tasks(&manager.actor(), &[timed.id, others.id], BulkTaskAction::Reassign(rep_b.id)).await.unwrap();
        assert_eq!(moved, 2);
        assert_eq!(app.task(&rep_b.actor(), timed.id).await.unwrap().fields.assignee_id, Some(rep_b.id));
        assert_eq!(refusal(app.task(&me, timed.id).await), Error::NotFound, "reassigned away");
    }

    async fn bad_tasks_are_refused_naming_the_field_and_versions_guard_changes(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await;
        let viewer = fx.user("viewer", Role::ReadOnly, None).await;
        let app = fx.app.clone();
        let late = TaskInput { reminder_at: "2026-12-08T09:00:00+03:00".into(), ..task("Geç hatırlatma", "2026-12-07") };
        assert_eq!(field_errors(app.create_task(&admin.actor(), &late).await), ["reminder_at=invalid-reminder-after-due"]);
        assert_eq!(field_errors(app.create_task(&admin.actor(), &task("", "07.12.2026")).await), ["title=invalid-required", "due_date=invalid-due-date"]);
        assert_eq!(field_errors(app.create_task(&admin.actor(), &about("person", 999_999, task("Kimse", ""))).await), ["links[0].record_id=invalid-unknown-record"]);
        assert_eq!(refusal(app.create_task(&viewer.actor(), &task("Okur", "")).await), Error::Forbidden);
        assert!(titles(&app, &admin.actor(), &TaskFilter::default()).await.is_empty(), "nothing was stored");

        let stored = app.create_task(&admin.actor(), &task("Sürüm", "2026-12-07")).await.unwrap();
        let rename = TaskPatch { title: Some("Sürüm 2".into()), ..TaskPatch::default() };
        let renamed = app.update_task(&admin.actor(), stored.id, Some(1), rename.clone()).await.unwrap();
        assert_eq!(renamed.meta.version, 2);
        assert_eq!(refusal(app.update_task(&admin.actor(), stored.id, Some(1), rename).await), Error::StaleVersion);
        app.delete_task(&admin.actor(), stored.id).await.unwrap();
        assert_eq!(refusal(app.task(&admin.actor(), stored.id).await), Error::NotFound);
    }
}
