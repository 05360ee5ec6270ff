//! Comments, mentions, notifications and reminders on SQLite and PostgreSQL: a comment may
//! mention only users who can see its record (anyone else is refused and nothing is
//! stored); the mentioned are notified, the author never; a sales rep reaches no
//! colleague's comments or notifications; a task handed over notifies its assignee; a
//! reminder rings once however many workers race, and not at all once it moved or the task
//! is done.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rehber_app::App;
use rehber_app::timeline::{TimelineEntry, TimelineKind};
use rehber_domain::activity::{Link, LinkType};
use rehber_domain::comment::{CommentInput, NotificationKind, SubjectType};
use rehber_domain::task::{TaskInput, TaskPatch};
use rehber_domain::{Actor, Error, Role};
use rehber_testkit::{Fixtures, PersonBuilder, both_backends, field_errors, refusal};

fn person(id: i64) -> Link {
    Link {
        record_type: LinkType::Person,
        record_id: id,
    }
}

fn comment(body: &str, mentions: &[i64]) -> CommentInput {
    CommentInput {
        body: body.into(),
        mentions: mentions.to_vec(),
    }
}

/// (kind, subject type, subject id, read) of the actor's notifications, newest first.
async fn inbox(app: &App, actor: &Actor) -> Vec<(NotificationKind, SubjectType, i64, bool)> {
    let page = app.notifications(actor, false, None, 100).await.unwrap();
    page.items
        .iter()
        .map(|v| {
            let n = &v.notification;
            (n.kind, n.subject_type, n.subject_id, n.read_at.is_some())
        })
        .collect()
}

both_backends! {
    async fn mention_of_user_without_access_is_rejected_and_nothing_is_saved(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let manager = fx.user("manager-n", Role::SalesManager, Some("Kuzey")).await;
        let app = fx.app.clone();
        let sevgi = PersonBuilder::new("Sevgi", "Öztürk").create(&app, &rep_a.actor()).await;

        let refused = app.add_comment(&rep_a.actor(), person(sevgi.id.0), &comment("@Rep B bakar mısın?", &[manager.id.0, rep_b.id.0])).await;
        assert_eq!(field_errors(refused), ["mentions[1]=invalid-mention-cannot-see"]);
        let unknown = app.add_comment(&rep_a.actor(), person(sevgi.id.0), &comment("Kimse", &[rep_b.id.0 + 1000])).await;
        assert_eq!(field_errors(unknown), ["mentions[0]=invalid-mention"]);
        assert!(app.comments(&rep_a.actor(), person(sevgi.id.0), None, 50).await.unwrap().items.is_empty(), "nothing stored");
        assert!(inbox(&app, &manager.actor()).await.is_empty(), "nobody notified");

        let offered: Vec<String> = app.mentionable_users(&rep_a.actor(), person(sevgi.id.0), "").await.unwrap().into_iter().map(|u| u.name).collect();
        assert!(offered.contains(&manager.name) && offered.contains(&rep_a.name), "{offered:?}");
        assert!(!offered.contains(&rep_b.name), "the autocomplete offers only who can see the record");
        let typed: Vec<String> = app.mentionable_users(&rep_a.actor(), person(sevgi.id.0), "manag").await.unwrap().into_iter().map(|u| u.name).collect();
        assert_eq!(typed, [manager.name.as_str()]);
    }

    async fn a_mention_notifies_the_mentioned_and_never_the_author(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let manager = fx.user("manager-n", Role::SalesManager, Some("Kuzey")).await;
        let app = fx.app.clone();
        let sevgi = PersonBuilder::new("Sevgi", "Öztürk").create(&app, &rep_a.actor()).await;

        let written = app.add_comment(&rep_a.actor(), person(sevgi.id.0),
            &comment("  @manager-n fiyatı onaylar mısın? @rep-a  ", &[manager.id.0, rep_a.id.0])).await.unwrap();
        assert_eq!(written.body, "@manager-n fiyatı onaylar mısın? @rep-a");
        assert_eq!(written.author_id, rep_a.id);
        let mut mentioned: Vec<_> = written.mentions.iter().map(|(id, _)| *id).collect();
        mentioned.sort();
        assert_eq!(mentioned, [rep_a.id, manager.id]);
        assert!(inbox(&app, &rep_a.actor()).await.is_empty(), "mentioning yourself notifies no one");
        assert_eq!(inbox(&app, &manager.actor()).await, [(NotificationKind::Mention, SubjectType::Person, sevgi.id.0, false)]);

        let page = app.notifications(&manager.actor(), true, None, 20).await.unwrap();
        assert_eq!(page.unread, 1);
        let view = &page.items[0];
        assert_eq!(view.title.as_deref(), Some("Sevgi Öztürk"));
        assert_eq!(view.path.as_deref(), Some(format!("/people/{}", sevgi.id.0).as_str()));
        assert_eq!(view.excerpt.as_deref(), Some("@manager-n fiyatı onaylar mısın? @rep-a"));
        assert_eq!(view.notification.actor_name.as_deref(), Some(rep_a.name.as_str()));
        let id = view.notification.id;

        // Nobody else reads or marks it.
        assert_eq!(refusal(app.mark_notification_read(&rep_a.actor(), id).await), Error::NotFound);
        app.mark_notification_read(&manager.actor(), id).await.unwrap();
        assert_eq!(app.unread_notifications(&manager.actor()).await.unwrap(), 0);
        assert!(app.notifications(&manager.actor(), true, None, 20).await.unwrap().items.is_empty());
        assert_eq!(inbox(&app, &manager.actor()).await.len(), 1, "read ones stay in the list");

        // The comment is on the record's timeline, newest first with the rest.
        let timeline = app.timeline(&manager.actor(), person(sevgi.id.0), &[TimelineKind::Comment], None, 50).await.unwrap();
        assert!(matches!(&timeline.items[..], [item] if matches!(&item.entry, TimelineEntry::Comment(c) if c.id == written.id)));
        let all = app.timeline(&manager.actor(), person(sevgi.id.0), &[], None, 50).await.unwrap();
        assert_eq!(all.items.iter().map(|i| i.kind()).collect::<Vec<_>>(), [TimelineKind::Comment, TimelineKind::Change]);

        app.add_comment(&rep_a.actor(), person(sevgi.id.0), &comment("ikinci", &[manager.id.0])).await.unwrap();
        app.add_comment(&rep_a.actor(), person(sevgi.id.0), &comment("üçüncü", &[manager.id.0])).await.unwrap();
        assert_eq!(app.mark_all_notifications_read(&manager.actor()).await.unwrap(), 2);
        assert_eq!(app.unread_notifications(&manager.actor()).await.unwrap(), 0);
        let first = app.notifications(&manager.actor(), false, None, 2).await.unwrap();
        let rest = app.notifications(&manager.actor(), false, first.next_cursor.as_deref(), 2).await.unwrap();
        assert_eq!((first.items.len(), rest.items.len(), rest.next_cursor), (2, 1, None));

        // Only its author or an administrator deletes a comment.
        assert_eq!(refusal(app.delete_comment(&manager.actor(), written.id).await), Error::Forbidden);
        app.delete_comment(&rep_a.actor(), written.id).await.unwrap();
        assert_eq!(app.comments(&rep_a.actor(), person(sevgi.id.0), None, 50).await.unwrap().items.len(), 2);
    }

    async fn a_sales_rep_reaches_no_colleagues_comments_or_notifications(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let manager = fx.user("manager-n", Role::SalesManager, Some("Kuzey")).await;
        let app = fx.app.clone();
        let sevgi = PersonBuilder::new("Sevgi", "Öztürk").create(&app, &rep_a.actor()).await;
        let mine = PersonBuilder::new("Bora", "Ak").create(&app, &rep_b.actor()).await;
        let secret = app.add_comment(&rep_a.actor(), person(sevgi.id.0), &comment("gizli fiyat", &[manager.id.0])).await.unwrap();

        let b = rep_b.actor();
        assert_eq!(refusal(app.comments(&b, person(sevgi.id.0), None, 50).await), Error::NotFound);
        assert_eq!(refusal(app.comment(&b, secret.id).await), Error::NotFound);
        assert_eq!(refusal(app.delete_comment(&b, secret.id).await), Error::NotFound);
        assert_eq!(refusal(app.add_comment(&b, person(sevgi.id.0), &comment("sızma", &[])).await), Error::NotFound);
        assert_eq!(refusal(app.mentionable_users(&b, person(sevgi.id.0), "").await), Error::NotFound);
        assert!(inbox(&app, &b).await.is_empty());
        let manager_inbox = app.notifications(&manager.actor(), false, None, 20).await.unwrap();
        assert_eq!(refusal(app.mark_notification_read(&b, manager_inbox.items[0].notification.id).await), Error::NotFound);
        assert!(app.comments(&b, person(mine.id.0), None, 50).await.unwrap().items.is_empty());

        // The manager's mention names the record for the manager only.
        let view = &manager_inbox.items[0];
        assert_eq!(view.title.as_deref(), Some("Sevgi Öztürk"));
    }

    async fn a_task_handed_over_notifies_its_assignee(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let manager = fx.user("manager-n", Role::SalesManager, Some("Kuzey")).await;
        let app = fx.app.clone();
        let own = app.create_task(&rep_a.actor(), &TaskInput { title: "Kendi işim".into(), ..TaskInput::default() }).await.unwrap();
        assert!(inbox(&app, &rep_a.actor()).await.is_empty(), "taking a task yourself notifies no one");
        let handed = app.create_task(&manager.actor(), &TaskInput { title: "Cari mutabakat".into(), assignee_id: Some(rep_a.id.0), ..TaskInput::default() }).await.unwrap();
        assert_eq!(inbox(&app, &rep_a.actor()).await, [(NotificationKind::Assignment, SubjectType::Task, handed.id.0, false)]);
        let view = &app.notifications(&rep_a.actor(), false, None, 20).await.unwrap().items[0];
        assert_eq!((view.title.as_deref(), view.path.as_deref()), (Some("Cari mutabakat"), Some("/tasks")));
        // Handed on to rep B: rep B is told; rep A no longer sees what it was.
        app.update_task(&manager.actor(), handed.id, None, TaskPatch { assignee_id: Some(rep_b.id.0), ..TaskPatch::default() }).await.unwrap();
        assert_eq!(inbox(&app, &rep_b.actor()).await, [(NotificationKind::Assignment, SubjectType::Task, handed.id.0, false)]);
        let stale = &app.notifications(&rep_a.actor(), false, None, 20).await.unwrap().items[0];
        assert_eq!((stale.title.as_deref(), stale.path.as_deref()), (None, None));
        app.update_task(&rep_a.actor(), own.id, None, TaskPatch { title: Some("Kendi işim (2)".into()), ..TaskPatch::default() }).await.unwrap();
        assert_eq!(inbox(&app, &rep_a.actor()).await.len(), 1, "an edit that keeps the assignee notifies no one");
    }

    async fn reminder_is_sent_once_when_two_workers_race(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let app = fx.app.clone();
        let past = rehber_app::now() - jiff::SignedDuration::from_mins(5);
        let input = TaskInput { title: "Teklifi ara".into(), due_at: (past + jiff::SignedDuration::from_hours(1)).to_string(), reminder_at: past.to_string(), ..TaskInput::default() };
        let task = app.create_task(&rep.actor(), &input).await.unwrap();
        // A save that keeps the reminder queues it again: two jobs for one reminder.
        app.update_task(&rep.actor(), task.id, None, TaskPatch { due_at: Some((past + jiff::SignedDuration::from_hours(2)).to_string()), ..TaskPatch::default() }).await.unwrap();
        let mut workers = tokio::task::JoinSet::new();
        for w in 0..2 {
            let app = app.clone();
            workers.spawn(async move { app.drain_jobs(&format!("w{w}")).await.unwrap().len() });
        }
        let mut ran = 0;
        while let Some(count) = workers.join_next().await {
            ran += count.unwrap();
        }
        assert_eq!(ran, 2, "both jobs ran");
        assert_eq!(inbox(&app, &rep.actor()).await, [(NotificationKind::Reminder, SubjectType::Task, task.id.0, false)]);
        // Racing calls on the same reminder: one rings.
        let at = past.as_microsecond();
        let mut racing = tokio::task::JoinSet::new();
        for _ in 0..4 {
            let app = app.clone();
            racing.spawn(async move { app.ring_task_reminder(task.id, at).await.unwrap() });
        }
        let mut rang = 0;
        while let Some(r) = racing.join_next().await {
            rang += usize::from(r.unwrap());
        }
        assert_eq!(rang, 0, "already rung");
        assert_eq!(inbox(&app, &rep.actor()).await.len(), 1);
    }

    async fn a_moved_or_finished_reminder_does_not_ring_at_its_old_time(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let app = fx.app.clone();
        let now = rehber_app::now();
        let soon = now - jiff::SignedDuration::from_mins(1);
        let later = now + jiff::SignedDuration::from_hours(3);
        let due = (now + jiff::SignedDuration::from_hours(5)).to_string();
        let moved = app.create_task(&rep.actor(), &TaskInput { title: "Taşındı".into(), due_at: due.clone(), reminder_at: soon.to_string(), ..TaskInput::default() }).await.unwrap();
        app.update_task(&rep.actor(), moved.id, None, TaskPatch { reminder_at: Some(later.to_string()), ..TaskPatch::default() }).await.unwrap();
        let done = app.create_task(&rep.actor(), &TaskInput { title: "Bitti".into(), due_at: due, reminder_at: soon.to_string(), ..TaskInput::default() }).await.unwrap();
        app.complete_task(&rep.actor(), done.id).await.unwrap();
        let runs = app.drain_jobs("w1").await.unwrap();
        assert_eq!(runs.len(), 2, "the due jobs ran; the moved reminder waits for its new time");
        assert!(inbox(&app, &rep.actor()).await.is_empty());
        // At its new time, it rings.
        let rang = app.run_next_job_at("w1", later.as_microsecond() + 1).await.unwrap().unwrap();
        assert_eq!(rang.kind, rehber_app::notifications::TASK_REMINDER);
        assert_eq!(inbox(&app, &rep.actor()).await, [(NotificationKind::Reminder, SubjectType::Task, moved.id.0, false)]);
    }
}
