//! Activities on SQLite and PostgreSQL: logged against a person, they are on the person's
//! company too and stay there when the person moves on; a sales rep never sees, lists or
//! links another rep's; bad input is refused naming the field; versions guard changes;
//! pages go by key, latest first.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rehber_app::App;
use rehber_app::ownership::OwnershipRequest;
use rehber_domain::activity::{ActivityInput, ActivityPatch, Link, LinkType};
use rehber_domain::party::{People, PersonPatch};
use rehber_domain::{Actor, Error, Role};
use rehber_store::ActivityFilter;
use rehber_testkit::{
    CompanyBuilder, Fixtures, PersonBuilder, both_backends, field_errors, refusal,
};

fn call_on(record_type: &str, id: i64, subject: &str) -> ActivityInput {
    ActivityInput {
        kind: "call".into(),
        subject: subject.into(),
        links: vec![(record_type.into(), id)],
        ..ActivityInput::default()
    }
}

fn on(record_type: LinkType, record_id: i64) -> ActivityFilter {
    ActivityFilter {
        link: Some(Link {
            record_type,
            record_id,
        }),
        ..ActivityFilter::default()
    }
}

/// The subjects of every activity the actor sees under `filter`, latest first.
async fn subjects(app: &App, actor: &Actor, filter: &ActivityFilter) -> Vec<String> {
    let page = app.activities(actor, filter, None, 200).await.unwrap();
    page.items.into_iter().map(|a| a.fields.subject).collect()
}

both_backends! {
    async fn an_activity_logged_on_a_person_is_on_their_company_too_and_stays_after_they_move(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let app = fx.app.clone();
        let first = CompanyBuilder::new("Anadolu Tekstil").create(&app, &rep.actor()).await;
        let second = CompanyBuilder::new("Ege Gıda").create(&app, &rep.actor()).await;
        let person = PersonBuilder::new("Işık", "Çağlar").company(first.id).create(&app, &rep.actor()).await;

        let call = app.create_activity(&rep.actor(), &call_on("person", person.id.0, "Teklif soruldu")).await.unwrap();
        let links: Vec<(LinkType, i64, bool)> = call.links.iter().map(|l| (l.link.record_type, l.link.record_id, l.automatic)).collect();
        assert_eq!(links, [(LinkType::Person, person.id.0, false), (LinkType::Company, first.id.0, true)]);
        assert_eq!(call.ownership.owner_id, Some(rep.id), "the person's owner");
        assert_eq!(call.created_by, Some(rep.id));
        assert_eq!(subjects(&app, &rep.actor(), &on(LinkType::Company, first.id.0)).await, ["Teklif soruldu"]);

        // The person moves to another company: the call stays where it happened.
        let moved = PersonPatch { company_id: Some(second.id.0.to_string()), ..PersonPatch::default() };
        app.update::<People>(&rep.actor(), person.id, None, moved, OwnershipRequest::default()).await.unwrap();
        assert_eq!(subjects(&app, &rep.actor(), &on(LinkType::Company, first.id.0)).await, ["Teklif soruldu"]);
        assert!(subjects(&app, &rep.actor(), &on(LinkType::Company, second.id.0)).await.is_empty());
        assert_eq!(subjects(&app, &rep.actor(), &on(LinkType::Person, person.id.0)).await, ["Teklif soruldu"]);
    }

    async fn a_sales_rep_never_sees_lists_or_links_another_reps_activities(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let rep_c = fx.user("rep-c", Role::SalesRep, Some("Güney")).await;
        let manager = fx.user("manager-n", Role::SalesManager, Some("Kuzey")).await;
        let support = fx.user("support", Role::SupportAgent, None).await;
        let app = fx.app.clone();
        let company = CompanyBuilder::new("Kaya Gıda").create(&app, &rep_a.actor()).await;
        let person = PersonBuilder::new("Ali", "Kaya").company(company.id).create(&app, &rep_a.actor()).await;
        let call = app.create_activity(&rep_a.actor(), &call_on("person", person.id.0, "Rep A'nın araması")).await.unwrap();
        // A support agent logs on rep A's person: the activity is rep A's to see.
        app.create_activity(&support.actor(), &call_on("company", company.id.0, "Destek notu")).await.unwrap();

        for outsider in [&rep_b, &rep_c] {
            assert_eq!(refusal(app.activity(&outsider.actor(), call.id).await), Error::NotFound);
            assert!(subjects(&app, &outsider.actor(), &ActivityFilter::default()).await.is_empty());
            assert!(subjects(&app, &outsider.actor(), &on(LinkType::Company, company.id.0)).await.is_empty());
            let linking = app.create_activity(&outsider.actor(), &call_on("person", person.id.0, "sızma")).await;
            assert_eq!(field_errors(linking), ["links[0].record_id=invalid-unknown-record"]);
            assert_eq!(refusal(app.update_activity(&outsider.actor(), call.id, None, ActivityPatch::default()).await), Error::NotFound);
            assert_eq!(refusal(app.delete_activity(&outsider.actor(), call.id).await), Error::NotFound);
        }
        let everyone = ["Destek notu", "Rep A'nın araması"];
        let mut seen = subjects(&app, &rep_a.actor(), &ActivityFilter::default()).await;
        seen.sort();
        assert_eq!(seen, everyone);
        for insider in [&manager, &support] {
            let mut seen = subjects(&app, &insider.actor(), &on(LinkType::Company, company.id.0)).await;
            seen.sort();
            assert_eq!(seen, everyone, "{}", insider.name);
        }
    }

    async fn bad_activities_are_refused_naming_the_field_and_read_only_users_log_nothing(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await;
        let viewer = fx.user("viewer", Role::ReadOnly, None).await;
        let app = fx.app.clone();
        let person = PersonBuilder::new("Ada", "Yıldız").create(&app, &admin.actor()).await;
        let backwards = ActivityInput {
            kind: "meeting".into(),
            status: "planned".into(),
            starts_at: "2026-12-10T10:00:00+03:00".into(),
            ends_at: "2026-12-10T09:00:00+03:00".into(),
            ..call_on("person", person.id.0, "Toplantı")
        };
        assert_eq!(field_errors(app.create_activity(&admin.actor(), &backwards).await), ["ends_at=invalid-ends-before-start"]);
        let nobody = call_on("person", person.id.0 + 1000, "Kimse");
        assert_eq!(field_errors(app.create_activity(&admin.actor(), &nobody).await), ["links[0].record_id=invalid-unknown-record"]);
        assert_eq!(refusal(app.create_activity(&viewer.actor(), &call_on("person", person.id.0, "Okur")).await), Error::Forbidden);
        assert!(subjects(&app, &admin.actor(), &ActivityFilter::default()).await.is_empty(), "nothing was stored");
    }

    async fn changes_need_the_current_version_and_a_deleted_activity_is_gone(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let app = fx.app.clone();
        let person = PersonBuilder::new("Ada", "Yıldız").create(&app, &rep.actor()).await;
        let call = app.create_activity(&rep.actor(), &call_on("person", person.id.0, "İlk")).await.unwrap();
        let patch = ActivityPatch { subject: Some("Düzeltildi".into()), outcome: Some("no_answer".into()), ..ActivityPatch::default() };
        let changed = app.update_activity(&rep.actor(), call.id, Some(1), patch.clone()).await.unwrap();
        assert_eq!((changed.fields.subject.as_str(), changed.meta.version), ("Düzeltildi", 2));
        assert_eq!(changed.links, call.links, "links stay when the change does not name them");
        assert_eq!(refusal(app.update_activity(&rep.actor(), call.id, Some(1), patch).await), Error::StaleVersion);
        // The person goes to the trash: the activity can still be corrected, its links kept.
        app.delete::<People>(&rep.actor(), person.id).await.unwrap();
        let note = ActivityPatch { body: Some("Kişi silindi; kayıt kalır.".into()), ..ActivityPatch::default() };
        let kept = app.update_activity(&rep.actor(), call.id, None, note).await.unwrap();
        assert_eq!(kept.links, call.links);
        app.delete_activity(&rep.actor(), call.id).await.unwrap();
        assert_eq!(refusal(app.activity(&rep.actor(), call.id).await), Error::NotFound);
        assert!(subjects(&app, &rep.actor(), &ActivityFilter::default()).await.is_empty());
    }

    async fn pages_go_by_key_latest_first_and_filters_narrow_them(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await;
        let app = fx.app.clone();
        let person = PersonBuilder::new("Ada", "Yıldız").create(&app, &admin.actor()).await;
        for day in 1..=5 {
            let input = ActivityInput {
                kind: if day % 2 == 0 { "visit" } else { "call" }.into(),
                starts_at: format!("2026-11-0{day}T09:00:00Z"),
                ..call_on("person", person.id.0, &format!("gün {day}"))
            };
            app.create_activity(&admin.actor(), &input).await.unwrap();
        }
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = app.activities(&admin.actor(), &ActivityFilter::default(), cursor.as_deref(), 2).await.unwrap();
            seen.extend(page.items.into_iter().map(|a| a.fields.subject));
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, ["gün 5", "gün 4", "gün 3", "gün 2", "gün 1"]);
        let visits = ActivityFilter { kind: Some(rehber_domain::activity::ActivityKind::Visit), ..ActivityFilter::default() };
        assert_eq!(subjects(&app, &admin.actor(), &visits).await, ["gün 4", "gün 2"]);
        let from: jiff::Timestamp = "2026-11-02T00:00:00Z".parse().unwrap();
        let to: jiff::Timestamp = "2026-11-04T00:00:00Z".parse().unwrap();
        let window = ActivityFilter { from: Some(from.as_microsecond()), to: Some(to.as_microsecond()), ..ActivityFilter::default() };
        assert_eq!(subjects(&app, &admin.actor(), &window).await, ["gün 3", "gün 2"]);
        let bad = app.activities(&admin.actor(), &ActivityFilter::default(), Some("not-a-cursor"), 2).await;
        assert_eq!(field_errors(bad), ["cursor=invalid-cursor"]);
    }
}
