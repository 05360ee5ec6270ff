//! The services on SQLite and PostgreSQL: the permission matrix (who may read, list, search,
//! count, change, delete, bulk-change, see the history of and link which records),
//! validation, optimistic versioning, the audit trail, ownership rules, sign-in, sessions, API tokens, first-run setup and user administration.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rehber_app::list::{BulkOutcome, ListRequest};
use rehber_app::ownership::OwnershipRequest;
use rehber_app::users::UserInput;
use rehber_app::{App, PageRequest, PartyFilter};
use rehber_domain::party::{Companies, People};
use rehber_domain::party::{CompanyPatch, Person, PersonPatch};
use rehber_domain::{Actor, CompanyId, Error, PersonId, Role, UserId};
use rehber_store::{AuditEvent, AuditFilter, User};
use rehber_testkit::{
    CompanyBuilder, Fixtures, PASSWORD, PersonBuilder, TestDb, both_backends, field_errors, refusal,
};

fn list(q: Option<&str>) -> ListRequest {
    ListRequest {
        filter: PartyFilter {
            q: q.map(str::to_string),
            ..PartyFilter::default()
        },
        page: PageRequest {
            after: None,
            limit: 100,
        },
        ..ListRequest::default()
    }
}

async fn people_seen(app: &App, actor: &Actor, q: Option<&str>) -> Vec<String> {
    let page = app.list::<People>(actor, &list(q)).await.unwrap();
    page.items.iter().map(|p| p.fields.full_name()).collect()
}

async fn companies_seen(app: &App, actor: &Actor, q: Option<&str>) -> Vec<String> {
    let page = app.list::<Companies>(actor, &list(q)).await.unwrap();
    page.items.iter().map(|c| c.fields.name.clone()).collect()
}

fn tags(tag: &str) -> PersonPatch {
    PersonPatch {
        tags: Some(vec![tag.to_string()]),
        ..PersonPatch::default()
    }
}

fn city(city: &str) -> PersonPatch {
    PersonPatch {
        city: Some(city.to_string()),
        ..PersonPatch::default()
    }
}

const KEEP: OwnershipRequest = OwnershipRequest {
    owner_id: None,
    team_id: None,
};

/// Two teams with a manager and reps, the other roles, and one person and company per rep:
///
/// | user | role | team | owns |
/// | --- | --- | --- | --- |
/// | rep-a, rep-b | sales rep | Kuzey | Ali Kaya / Kaya Gıda, Banu Kaya |
/// | rep-c | sales rep | Güney | Cenk Kaya / Kaya Tekstil |
/// | manager-n, manager-s | sales manager | Kuzey, Güney | |
/// | admin, viewer, support, marketer | administrator, read only, support agent, marketer | | |
struct World {
    app: App,
    admin: User,
    manager_n: User,
    manager_s: User,
    rep_a: User,
    rep_b: User,
    rep_c: User,
    viewer: User,
    support: User,
    marketer: User,
    person_a: PersonId,
    person_b: PersonId,
    person_c: PersonId,
    company_a: CompanyId,
    company_c: CompanyId,
}

async fn world(db: &TestDb) -> World {
    let fx = Fixtures::new(db);
    let admin = fx.admin().await;
    let manager_n = fx
        .user("manager-n", Role::SalesManager, Some("Kuzey"))
        .await;
    let manager_s = fx
        .user("manager-s", Role::SalesManager, Some("Güney"))
        .await;
    let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
    let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
    let rep_c = fx.user("rep-c", Role::SalesRep, Some("Güney")).await;
    let viewer = fx.user("viewer", Role::ReadOnly, None).await;
    let support = fx.user("support", Role::SupportAgent, None).await;
    let marketer = fx.user("marketer", Role::Marketer, None).await;
    let app = fx.app.clone();
    let company_a = CompanyBuilder::new("Kaya Gıda")
        .tax_number("4540536920")
        .create(&app, &rep_a.actor())
        .await
        .id;
    let company_c = CompanyBuilder::new("Kaya Tekstil")
        .tax_number("3250536363")
        .create(&app, &rep_c.actor())
        .await
        .id;
    let person_a = PersonBuilder::new("Ali", "Kaya")
        .company(company_a)
        .phone("0532 111 22 33")
        .create(&app, &rep_a.actor())
        .await
        .id;
    let person_b = PersonBuilder::new("Banu", "Kaya")
        .create(&app, &rep_b.actor())
        .await
        .id;
    let person_c = PersonBuilder::new("Cenk", "Kaya")
        .company(company_c)
        .create(&app, &rep_c.actor())
        .await
        .id;
    World {
        app,
        admin,
        manager_n,
        manager_s,
        rep_a,
        rep_b,
        rep_c,
        viewer,
        support,
        marketer,
        person_a,
        person_b,
        person_c,
        company_a,
        company_c,
    }
}

impl World {
    /// A person as the administrator sees it (to check nothing changed behind a refusal).
    async fn person(&self, id: PersonId) -> Person {
        self.app
            .get::<People>(&self.admin.actor(), id)
            .await
            .unwrap()
    }

    async fn history(&self, id: PersonId) -> Vec<AuditEvent> {
        self.app
            .history::<People>(&self.admin.actor(), id)
            .await
            .unwrap()
    }
}

both_backends! {
    async fn sales_rep_cannot_read_another_reps_or_another_teams_records(db) {
        let w = world(db).await;
        let rep = w.rep_a.actor();
        assert_eq!(w.app.get::<People>(&rep, w.person_a).await.unwrap().fields.first_name, "Ali");
        assert_eq!(refusal(w.app.get::<People>(&rep, w.person_b).await), Error::NotFound);
        assert_eq!(refusal(w.app.get::<People>(&rep, w.person_c).await), Error::NotFound);
        assert_eq!(refusal(w.app.get::<People>(&rep, PersonId(987_654)).await), Error::NotFound);
        assert!(w.app.get::<Companies>(&rep, w.company_a).await.is_ok());
        assert_eq!(refusal(w.app.get::<Companies>(&rep, w.company_c).await), Error::NotFound);
        assert_eq!(refusal(w.app.company_people(&rep, w.company_c).await), Error::NotFound);
        // A company's people list shows only the people the actor may see.
        PersonBuilder::new("Derya", "Kaya")
            .company(w.company_a)
            .owner(w.rep_c.id)
            .create(&w.app, &w.admin.actor())
            .await;
        let names = |page: rehber_app::Page<Person>| page.items.iter().map(|p| p.fields.full_name()).collect::<Vec<_>>();
        assert_eq!(names(w.app.company_people(&rep, w.company_a).await.unwrap()), ["Ali Kaya"]);
        assert_eq!(names(w.app.company_people(&w.admin.actor(), w.company_a).await.unwrap()), ["Ali Kaya", "Derya Kaya"]);
        assert_eq!(refusal(w.app.company_people(&w.rep_b.actor(), w.company_a).await), Error::NotFound);
    }

    async fn sales_rep_cannot_list_search_or_count_another_reps_records(db) {
        let w = world(db).await;
        let rep = w.rep_a.actor();
        assert_eq!(people_seen(&w.app, &rep, None).await, ["Ali Kaya"]);
        assert_eq!(people_seen(&w.app, &rep, Some("kaya")).await, ["Ali Kaya"]);
        assert!(people_seen(&w.app, &rep, Some("banu")).await.is_empty());
        assert!(people_seen(&w.app, &rep, Some("cenk kaya")).await.is_empty());
        assert!(people_seen(&w.app, &rep, Some("tekstil")).await.is_empty(), "not via the company name either");
        assert_eq!(companies_seen(&w.app, &rep, None).await, ["Kaya Gıda"]);
        assert!(companies_seen(&w.app, &rep, Some("3250536363")).await.is_empty());
        assert_eq!(w.app.count::<People>(&rep, &PartyFilter::default()).await.unwrap(), 1);
        let kaya = PartyFilter { q: Some("KAYA".into()), ..PartyFilter::default() };
        assert_eq!(w.app.count::<People>(&rep, &kaya).await.unwrap(), 1);
        assert_eq!(w.app.count::<Companies>(&rep, &kaya).await.unwrap(), 1);
        // Asking for another owner's records does not widen the scope.
        let of_b = PartyFilter { owner: Some(w.rep_b.id), ..PartyFilter::default() };
        assert_eq!(w.app.count::<People>(&rep, &of_b).await.unwrap(), 0);
        let of_company_c = PartyFilter { company: Some(w.company_c), ..PartyFilter::default() };
        assert_eq!(w.app.count::<People>(&rep, &of_company_c).await.unwrap(), 0);
        assert_eq!(w.app.choices::<Companies>(&rep, "kaya").await.unwrap(), [(w.company_a, "Kaya Gıda".to_string())]);
        // The administrator sees all three.
        assert_eq!(people_seen(&w.app, &w.admin.actor(), Some("kaya")).await.len(), 3);
    }

    async fn sales_rep_cannot_update_delete_or_see_the_history_of_another_reps_records(db) {
        let w = world(db).await;
        let rep = w.rep_a.actor();
        for other in [w.person_b, w.person_c] {
            let before = w.person(other).await;
            assert_eq!(refusal(w.app.update::<People>(&rep, other, None, city("İzmir"), KEEP).await), Error::NotFound);
            assert_eq!(refusal(w.app.update::<People>(&rep, other, None, PersonPatch::default(), OwnershipRequest { owner_id: Some(w.rep_a.id), team_id: None }).await), Error::NotFound);
            assert_eq!(refusal(w.app.delete::<People>(&rep, other).await), Error::NotFound);
            assert_eq!(refusal(w.app.history::<People>(&rep, other).await), Error::NotFound);
            assert_eq!(w.person(other).await, before, "nothing changed");
        }
        let patch = CompanyPatch { city: Some("Bursa".into()), ..CompanyPatch::default() };
        assert_eq!(refusal(w.app.update::<Companies>(&rep, w.company_c, None, patch, KEEP).await), Error::NotFound);
        assert_eq!(refusal(w.app.delete::<Companies>(&rep, w.company_c).await), Error::NotFound);
        assert_eq!(refusal(w.app.history::<Companies>(&rep, w.company_c).await), Error::NotFound);
        assert!(w.app.get::<Companies>(&w.admin.actor(), w.company_c).await.unwrap().fields.address.city.is_empty());
        // Their own record they may change, delete and see the history of.
        assert!(w.app.update::<People>(&rep, w.person_a, None, city("İzmir"), KEEP).await.is_ok());
        assert_eq!(w.app.history::<People>(&rep, w.person_a).await.unwrap().len(), 2);
        assert!(w.app.delete::<People>(&rep, w.person_a).await.is_ok());
    }

    async fn sales_rep_bulk_actions_skip_another_reps_records(db) {
        let w = world(db).await;
        let rep = w.rep_a.actor();
        let all = [w.person_a, w.person_b, w.person_c];
        let before_b = w.person(w.person_b).await;
        let before_c = w.person(w.person_c).await;

        let tagged = w.app.bulk_tag::<People>(&rep, &all, "fuar").await.unwrap();
        assert_eq!(tagged, BulkOutcome { changed: 1, skipped: 2 });
        assert_eq!(w.person(w.person_a).await.fields.tags, ["fuar"]);

        let assigned = w.app.bulk_assign::<People>(&rep, &[w.person_b, w.person_c], w.rep_a.id).await.unwrap();
        assert_eq!(assigned, BulkOutcome { changed: 0, skipped: 2 });
        let deleted = w.app.bulk_delete::<People>(&rep, &[w.person_b, w.person_c]).await.unwrap();
        assert_eq!(deleted, BulkOutcome { changed: 0, skipped: 2 });
        assert_eq!(w.person(w.person_b).await, before_b);
        assert_eq!(w.person(w.person_c).await, before_c);

        let companies = [w.company_a, w.company_c];
        assert_eq!(w.app.bulk_tag::<Companies>(&rep, &companies, "fuar").await.unwrap(), BulkOutcome { changed: 1, skipped: 1 });
        assert_eq!(w.app.bulk_assign::<Companies>(&rep, &[w.company_c], w.rep_a.id).await.unwrap(), BulkOutcome { changed: 0, skipped: 1 });
        assert_eq!(w.app.bulk_delete::<Companies>(&rep, &[w.company_c]).await.unwrap(), BulkOutcome { changed: 0, skipped: 1 });
        let company_c = w.app.get::<Companies>(&w.admin.actor(), w.company_c).await.unwrap();
        assert!(company_c.fields.tags.is_empty());
        assert_eq!(company_c.ownership.owner_id, Some(w.rep_c.id));
    }

    async fn sales_rep_cannot_link_a_person_to_another_reps_company(db) {
        let w = world(db).await;
        let rep = w.rep_a.actor();
        let linked = PersonBuilder::new("Deniz", "Er").company(w.company_c).try_create(&w.app, &rep).await;
        assert_eq!(field_errors(linked), ["company_id=invalid-company"]);
        let patch = PersonPatch { company_id: Some(w.company_c.to_string()), ..PersonPatch::default() };
        assert_eq!(field_errors(w.app.update::<People>(&rep, w.person_a, None, patch, KEEP).await), ["company_id=invalid-company"]);
        assert_eq!(w.person(w.person_a).await.fields.company_id, Some(w.company_a));
        let unknown = PersonBuilder::new("Deniz", "Er").company(CompanyId(999_999)).try_create(&w.app, &rep).await;
        assert_eq!(field_errors(unknown), ["company_id=invalid-company"]);
        // Their own company is fine, and so is unlinking.
        let own = PersonBuilder::new("Deniz", "Er").company(w.company_a).create(&w.app, &rep).await;
        assert_eq!(own.company_name.as_deref(), Some("Kaya Gıda"));
        let unlink = PersonPatch { company_id: Some(String::new()), ..PersonPatch::default() };
        let unlinked = w.app.update::<People>(&rep, own.id, None, unlink, KEEP).await.unwrap();
        assert_eq!(unlinked.fields.company_id, None);
    }

    async fn sales_manager_sees_and_edits_their_teams_records_but_not_another_teams(db) {
        let w = world(db).await;
        let manager = w.manager_n.actor();
        assert!(w.app.get::<People>(&manager, w.person_a).await.is_ok());
        assert!(w.app.get::<People>(&manager, w.person_b).await.is_ok());
        assert_eq!(refusal(w.app.get::<People>(&manager, w.person_c).await), Error::NotFound);
        assert_eq!(people_seen(&w.app, &manager, None).await, ["Ali Kaya", "Banu Kaya"]);
        assert_eq!(people_seen(&w.app, &manager, Some("cenk")).await, Vec::<String>::new());
        assert_eq!(w.app.count::<People>(&manager, &PartyFilter::default()).await.unwrap(), 2);
        assert_eq!(companies_seen(&w.app, &manager, None).await, ["Kaya Gıda"]);

        let edited = w.app.update::<People>(&manager, w.person_b, None, city("Trabzon"), KEEP).await.unwrap();
        assert_eq!(edited.fields.address.city, "Trabzon");
        assert_eq!(w.app.history::<People>(&manager, w.person_b).await.unwrap().len(), 2);
        assert_eq!(refusal(w.app.update::<People>(&manager, w.person_c, None, city("Trabzon"), KEEP).await), Error::NotFound);
        assert_eq!(refusal(w.app.delete::<People>(&manager, w.person_c).await), Error::NotFound);
        assert_eq!(refusal(w.app.history::<People>(&manager, w.person_c).await), Error::NotFound);
        assert_eq!(
            w.app.bulk_tag::<People>(&manager, &[w.person_a, w.person_b, w.person_c], "bölge").await.unwrap(),
            BulkOutcome { changed: 2, skipped: 1 }
        );
        assert!(w.person(w.person_c).await.fields.tags.is_empty());
        assert_eq!(w.app.bulk_delete::<People>(&manager, &[w.person_b, w.person_c]).await.unwrap(), BulkOutcome { changed: 1, skipped: 1 });
        assert!(w.app.get::<People>(&w.admin.actor(), w.person_c).await.is_ok());

        // The other team's manager sees only their team.
        let south = w.manager_s.actor();
        assert_eq!(people_seen(&w.app, &south, None).await, ["Cenk Kaya"]);
        assert_eq!(refusal(w.app.get::<Companies>(&south, w.company_a).await), Error::NotFound);
        assert!(w.app.delete::<Companies>(&south, w.company_c).await.is_ok());
    }

    async fn administrator_sees_and_edits_all_records(db) {
        let w = world(db).await;
        let admin = w.admin.actor();
        assert_eq!(people_seen(&w.app, &admin, None).await, ["Ali Kaya", "Banu Kaya", "Cenk Kaya"]);
        assert_eq!(companies_seen(&w.app, &admin, None).await, ["Kaya Gıda", "Kaya Tekstil"]);
        assert_eq!(w.app.count::<People>(&admin, &PartyFilter::default()).await.unwrap(), 3);
        assert!(w.app.update::<People>(&admin, w.person_c, None, city("Van"), KEEP).await.is_ok());
        w.app.delete::<People>(&admin, w.person_c).await.unwrap();
        assert_eq!(refusal(w.app.get::<People>(&admin, w.person_c).await), Error::NotFound);
        let trash = ListRequest { filter: PartyFilter { deleted: true, ..PartyFilter::default() }, ..list(None) };
        let deleted = w.app.list::<People>(&admin, &trash).await.unwrap();
        assert_eq!(deleted.items.iter().map(|p| p.id).collect::<Vec<_>>(), [w.person_c]);
        assert!(w.app.get_deleted::<People>(&admin, w.person_c).await.is_ok());
        let restored = w.app.restore::<People>(&admin, w.person_c).await.unwrap();
        assert_eq!(restored.fields.address.city, "Van");
        assert_eq!(w.app.bulk_delete::<Companies>(&admin, &[w.company_a, w.company_c]).await.unwrap(), BulkOutcome { changed: 2, skipped: 0 });
        assert_eq!(w.app.restore::<Companies>(&admin, w.company_a).await.unwrap().fields.name, "Kaya Gıda");
        let audit = w.app.audit_log(&admin, &AuditFilter { limit: 500, ..AuditFilter::default() }).await.unwrap();
        assert!(audit.len() > 10);
    }

    async fn read_only_sees_all_but_cannot_write(db) {
        let w = world(db).await;
        let viewer = w.viewer.actor();
        assert_eq!(people_seen(&w.app, &viewer, Some("kaya")).await.len(), 3);
        assert_eq!(w.app.count::<Companies>(&viewer, &PartyFilter::default()).await.unwrap(), 2);
        assert!(w.app.get::<People>(&viewer, w.person_c).await.is_ok());
        assert_eq!(w.app.history::<People>(&viewer, w.person_c).await.unwrap().len(), 1);
        let before = w.person(w.person_a).await;

        assert_eq!(refusal(PersonBuilder::new("Yeni", "Kişi").try_create(&w.app, &viewer).await), Error::Forbidden);
        assert_eq!(refusal(CompanyBuilder::new("Yeni A.Ş.").try_create(&w.app, &viewer).await), Error::Forbidden);
        assert_eq!(refusal(w.app.update::<People>(&viewer, w.person_a, None, city("Muş"), KEEP).await), Error::Forbidden);
        assert_eq!(refusal(w.app.update::<Companies>(&viewer, w.company_a, None, CompanyPatch::default(), KEEP).await), Error::Forbidden);
        assert_eq!(refusal(w.app.delete::<People>(&viewer, w.person_a).await), Error::Forbidden);
        assert_eq!(refusal(w.app.delete::<Companies>(&viewer, w.company_a).await), Error::Forbidden);
        assert_eq!(refusal(w.app.bulk_tag::<People>(&viewer, &[w.person_a], "x").await), Error::Forbidden);
        assert_eq!(refusal(w.app.bulk_assign::<People>(&viewer, &[w.person_a], w.rep_b.id).await), Error::Forbidden);
        assert_eq!(refusal(w.app.bulk_delete::<People>(&viewer, &[w.person_a]).await), Error::Forbidden);
        assert_eq!(refusal(w.app.bulk_delete::<Companies>(&viewer, &[w.company_a]).await), Error::Forbidden);
        assert_eq!(w.person(w.person_a).await, before);
        assert_eq!(w.app.count::<People>(&w.admin.actor(), &PartyFilter::default()).await.unwrap(), 3);
    }

    async fn support_agents_and_marketers_see_and_edit_all_but_cannot_delete(db) {
        let w = world(db).await;
        for user in [&w.support, &w.marketer] {
            let actor = user.actor();
            assert_eq!(people_seen(&w.app, &actor, None).await.len(), 3);
            assert!(w.app.update::<People>(&actor, w.person_c, None, tags(&user.name), KEEP).await.is_ok());
            assert_eq!(refusal(w.app.delete::<People>(&actor, w.person_c).await), Error::Forbidden);
            assert_eq!(refusal(w.app.delete::<Companies>(&actor, w.company_c).await), Error::Forbidden);
            assert_eq!(refusal(w.app.bulk_delete::<People>(&actor, &[w.person_a, w.person_b]).await), Error::Forbidden);
            assert_eq!(refusal(w.app.bulk_delete::<Companies>(&actor, &[w.company_a]).await), Error::Forbidden);
            // Nor may they hand records to someone else.
            let reassign = OwnershipRequest { owner_id: Some(w.rep_a.id), team_id: None };
            assert_eq!(refusal(w.app.update::<People>(&actor, w.person_c, None, PersonPatch::default(), reassign).await), Error::Forbidden);
            // Nor take a rep's customer for themselves.
            let to_self = OwnershipRequest { owner_id: Some(user.id), team_id: None };
            assert_eq!(refusal(w.app.update::<People>(&actor, w.person_c, None, PersonPatch::default(), to_self).await), Error::Forbidden);
            assert_eq!(refusal(w.app.update::<Companies>(&actor, w.company_c, None, CompanyPatch::default(), to_self).await), Error::Forbidden);
            assert_eq!(refusal(w.app.bulk_assign::<People>(&actor, &[w.person_c], user.id).await), Error::Forbidden);
        }
        // A record nobody owns may be claimed by whoever may write it.
        let unowned = PersonBuilder::new("Sahipsiz", "Kayıt").insert(&w.app.store, rehber_domain::party::Ownership::default()).await;
        let claimed = w.app.update::<People>(&w.support.actor(), unowned, None, PersonPatch::default(), OwnershipRequest { owner_id: Some(w.support.id), team_id: None }).await.unwrap();
        assert_eq!(claimed.ownership.owner_id, Some(w.support.id));
        assert_eq!(people_seen(&w.app, &w.admin.actor(), None).await.len(), 4);
        assert_eq!(w.person(w.person_c).await.ownership.owner_id, Some(w.rep_c.id));
    }

    async fn the_trash_and_restore_are_for_administrators_only(db) {
        let w = world(db).await;
        w.app.delete::<People>(&w.rep_a.actor(), w.person_a).await.unwrap();
        let trash = PartyFilter { deleted: true, ..PartyFilter::default() };
        for user in [&w.rep_a, &w.manager_n, &w.viewer, &w.support] {
            let actor = user.actor();
            let request = ListRequest { filter: trash.clone(), ..list(None) };
            assert_eq!(refusal(w.app.list::<People>(&actor, &request).await), Error::Forbidden);
            assert_eq!(refusal(w.app.list::<Companies>(&actor, &request).await), Error::Forbidden);
            assert_eq!(refusal(w.app.count::<People>(&actor, &trash).await), Error::Forbidden);
            assert_eq!(refusal(w.app.count::<Companies>(&actor, &trash).await), Error::Forbidden);
            assert_eq!(refusal(w.app.get_deleted::<People>(&actor, w.person_a).await), Error::NotFound);
            assert_eq!(refusal(w.app.restore::<People>(&actor, w.person_a).await), Error::Forbidden);
            assert_eq!(refusal(w.app.get::<People>(&actor, w.person_a).await), Error::NotFound);
        }
        assert_eq!(w.app.count::<People>(&w.admin.actor(), &trash).await.unwrap(), 1);
        assert_eq!(w.app.restore::<People>(&w.admin.actor(), w.person_a).await.unwrap().id, w.person_a);
        assert!(w.app.get::<People>(&w.rep_a.actor(), w.person_a).await.is_ok());
        assert_eq!(refusal(w.app.restore::<People>(&w.admin.actor(), w.person_a).await), Error::NotFound);
    }

    async fn create_reports_every_field_error_at_once_and_stores_nothing(db) {
        let w = world(db).await;
        let rep = w.rep_a.actor();
        let company = CompanyBuilder::new("  ")
            .tax_number("1234567891")
            .email("satis@@ornek")
            .phone("0532 12")
            .website("not a site")
            .with(|p| {
                p.national_id = Some("12345678901".into());
                p.annual_revenue = Some("çok".into());
                p.size = Some("huge".into());
                p.lifecycle_stage = Some("prospect".into());
            })
            .try_create(&w.app, &rep)
            .await;
        let mut errors = field_errors(company);
        errors.sort();
        assert_eq!(
            errors,
            [
                "annual_revenue=invalid-amount",
                "emails[0]=invalid-email",
                "lifecycle_stage=invalid-unknown-value",
                "name=invalid-required",
                "national_id=invalid-tckn-checksum",
                "phones[0]=invalid-phone",
                "size=invalid-unknown-value",
                "tax_number=invalid-vkn-checksum",
                "website=invalid-url",
            ]
        );
        let short_vkn = CompanyBuilder::new("Kısa VKN").tax_number("12345").try_create(&w.app, &rep).await;
        assert_eq!(field_errors(short_vkn), ["tax_number=invalid-vkn-format"]);

        let person = PersonBuilder::new("", "Çağlar")
            .phone("0532 abc")
            .phone("0532 123 45 67")
            .phone("")
            .phone("999")
            .email("isik@ornek.com.tr")
            .email("isik at ornek")
            .with(|p| p.birthday = Some("2999-01-01".into()))
            .try_create(&w.app, &rep)
            .await;
        let mut errors = field_errors(person);
        errors.sort();
        assert_eq!(
            errors,
            [
                "birthday=invalid-date",
                "emails[1]=invalid-email",
                "first_name=invalid-required",
                "phones[0]=invalid-phone",
                "phones[3]=invalid-phone",
            ]
        );
        assert_eq!(w.app.count::<People>(&w.admin.actor(), &PartyFilter::default()).await.unwrap(), 3);
        assert_eq!(w.app.count::<Companies>(&w.admin.actor(), &PartyFilter::default()).await.unwrap(), 2);

        // An update is validated the same way and changes nothing when refused.
        let before = w.person(w.person_a).await;
        let bad = PersonPatch { phones: Some(vec!["12".into()]), first_name: Some(" ".into()), ..PersonPatch::default() };
        let mut errors = field_errors(w.app.update::<People>(&rep, w.person_a, None, bad, KEEP).await);
        errors.sort();
        assert_eq!(errors, ["first_name=invalid-required", "phones[0]=invalid-phone"]);
        assert_eq!(w.person(w.person_a).await, before);
    }

    async fn a_taken_tax_number_is_refused_as_a_field(db) {
        let w = world(db).await;
        let taken = CompanyBuilder::new("Kopya Gıda").tax_number("454 053 6920").try_create(&w.app, &w.rep_b.actor()).await;
        assert_eq!(refusal(taken), Error::Taken { field: "tax_number".into() });
        let patch = CompanyPatch { tax_number: Some("4540536920".into()), ..CompanyPatch::default() };
        // Checked first as a duplicate (naming the company, without its name for a rep who
        // cannot see it), and when that is waived, still refused by the unique key.
        let update = w.app.update::<Companies>(&w.rep_c.actor(), w.company_c, None, patch.clone(), KEEP).await;
        assert!(matches!(refusal(update), Error::Duplicate { ref field, name: None, .. } if field == "tax_number"));
        let waived = (None, rehber_app::duplicates::Duplicates::Allow);
        let update = w.app.update_with::<Companies>(&w.rep_c.actor(), w.company_c, waived, patch, KEEP).await;
        assert_eq!(refusal(update), Error::Taken { field: "tax_number".into() });
    }

    async fn a_stale_version_is_refused(db) {
        let w = world(db).await;
        let rep = w.rep_a.actor();
        let read = w.app.get::<People>(&rep, w.person_a).await.unwrap();
        let first = w.app.update::<People>(&rep, w.person_a, Some(read.meta.version), city("Rize"), KEEP).await.unwrap();
        assert_eq!(first.meta.version, read.meta.version + 1);
        let stale = w.app.update::<People>(&rep, w.person_a, Some(read.meta.version), city("Artvin"), KEEP).await;
        assert_eq!(refusal(stale), Error::StaleVersion);
        assert_eq!(w.person(w.person_a).await.fields.address.city, "Rize");
        assert_eq!(w.history(w.person_a).await.len(), 2);

        let company = w.app.get::<Companies>(&rep, w.company_a).await.unwrap();
        let patch = CompanyPatch { city: Some("Rize".into()), ..CompanyPatch::default() };
        w.app.update::<Companies>(&rep, w.company_a, Some(company.meta.version), patch.clone(), KEEP).await.unwrap();
        let stale = w.app.update::<Companies>(&rep, w.company_a, Some(company.meta.version), patch, KEEP).await;
        assert_eq!(refusal(stale), Error::StaleVersion);
    }

    async fn audit_entries_record_who_when_and_each_changed_field(db) {
        let w = world(db).await;
        let rep = w.rep_a.actor();
        let started = jiff::Timestamp::now();
        let person = PersonBuilder::new("Işık", "Çağlar")
            .phone("0532 123 45 67")
            .email("isik@ornek.com.tr")
            .create(&w.app, &rep)
            .await;
        let created = w.history(person.id).await;
        assert_eq!(created.len(), 1);
        assert_eq!(created[0].action, "created");
        assert_eq!(created[0].actor_id, Some(w.rep_a.id));
        assert_eq!(created[0].actor_name.as_deref(), Some("rep-a"));
        assert_eq!(created[0].record_type, "person");
        assert_eq!(created[0].record_id, person.id.0);
        assert!(created[0].at >= started && created[0].at <= jiff::Timestamp::now());
        let initial: Vec<(&str, &str, &str)> = created[0].changes.iter().map(|c| (c.field.as_str(), c.from.as_str(), c.to.as_str())).collect();
        assert!(initial.contains(&("first_name", "", "Işık")), "{initial:?}");
        assert!(initial.contains(&("last_name", "", "Çağlar")));
        assert!(initial.contains(&("phones", "", "+905321234567")));
        assert!(initial.contains(&("emails", "", "isik@ornek.com.tr")));
        assert!(initial.iter().all(|(_, _, to)| !to.is_empty()), "empty fields are left out");

        // An update records only the fields that changed, with before and after.
        let patch = PersonPatch {
            city: Some("İzmir".into()),
            first_name: Some("Işıl".into()),
            last_name: Some("Çağlar".into()),
            phones: Some(vec!["+90 532 123 45 67".into()]),
            ..PersonPatch::default()
        };
        w.app.update::<People>(&w.manager_n.actor(), person.id, None, patch, KEEP).await.unwrap();
        let history = w.history(person.id).await;
        assert_eq!(history.len(), 2);
        let updated = &history[0];
        assert_eq!(updated.action, "updated");
        assert_eq!(updated.actor_id, Some(w.manager_n.id));
        let changes: Vec<(&str, &str, &str)> = updated.changes.iter().map(|c| (c.field.as_str(), c.from.as_str(), c.to.as_str())).collect();
        assert_eq!(changes, [("city", "", "İzmir"), ("first_name", "Işık", "Işıl")]);
        assert!(updated.at >= history[1].at);

        // An update that changes nothing writes no entry and keeps the version.
        let same = w.app.update::<People>(&rep, person.id, Some(2), city(" İzmir "), KEEP).await.unwrap();
        assert_eq!(same.meta.version, 2);
        assert_eq!(w.history(person.id).await.len(), 2);

        w.app.delete::<People>(&rep, person.id).await.unwrap();
        w.app.restore::<People>(&w.admin.actor(), person.id).await.unwrap();
        let history = w.history(person.id).await;
        let trail: Vec<(&str, Option<UserId>)> = history.iter().map(|e| (e.action.as_str(), e.actor_id)).collect();
        assert_eq!(
            trail,
            [
                ("restored", Some(w.admin.id)),
                ("deleted", Some(w.rep_a.id)),
                ("updated", Some(w.manager_n.id)),
                ("created", Some(w.rep_a.id)),
            ]
        );
        // Company entries are kept the same way.
        let patch = CompanyPatch { website: Some("kayagida.com.tr".into()), ..CompanyPatch::default() };
        w.app.update::<Companies>(&rep, w.company_a, None, patch, KEEP).await.unwrap();
        let company_history = w.app.history::<Companies>(&rep, w.company_a).await.unwrap();
        let changes: Vec<(&str, &str, &str)> = company_history[0].changes.iter().map(|c| (c.field.as_str(), c.from.as_str(), c.to.as_str())).collect();
        assert_eq!(changes, [("website", "", "https://kayagida.com.tr")]);
        // Only administrators read the whole log.
        assert_eq!(refusal(w.app.audit_log(&w.manager_n.actor(), &AuditFilter::default()).await), Error::Forbidden);

        // A person's company is named, not numbered, at creation and on a move.
        let company_line = |event: &AuditEvent| {
            event.changes.iter().find(|c| c.field == "company_id").map(|c| (c.from.clone(), c.to.clone()))
        };
        let created = w.history(w.person_a).await;
        assert_eq!(company_line(&created[0]), Some((String::new(), "Kaya Gıda".to_string())));
        let moved = PersonPatch { company_id: Some(w.company_c.0.to_string()), ..PersonPatch::default() };
        w.app.update::<People>(&w.admin.actor(), w.person_a, None, moved, KEEP).await.unwrap();
        let history = w.history(w.person_a).await;
        assert_eq!(company_line(&history[0]), Some(("Kaya Gıda".to_string(), "Kaya Tekstil".to_string())));
    }

    async fn new_records_belong_to_their_creator_and_the_creators_team(db) {
        let w = world(db).await;
        let person = w.person(w.person_a).await;
        assert_eq!(person.ownership.owner_id, Some(w.rep_a.id));
        assert_eq!(person.ownership.team_id, w.rep_a.team_id);
        let company = w.app.get::<Companies>(&w.admin.actor(), w.company_c).await.unwrap();
        assert_eq!(company.ownership.owner_id, Some(w.rep_c.id));
        assert_eq!(company.ownership.team_id, w.rep_c.team_id);
        assert_ne!(w.rep_a.team_id, w.rep_c.team_id);
    }

    async fn a_sales_rep_cannot_assign_records_to_someone_else(db) {
        let w = world(db).await;
        let rep = w.rep_a.actor();
        let to_b = OwnershipRequest { owner_id: Some(w.rep_b.id), team_id: None };
        let created = PersonBuilder::new("Deniz", "Er").owner(w.rep_b.id).try_create(&w.app, &rep).await;
        assert_eq!(refusal(created), Error::Forbidden);
        assert_eq!(refusal(w.app.update::<People>(&rep, w.person_a, None, PersonPatch::default(), to_b).await), Error::Forbidden);
        let other_team = OwnershipRequest { owner_id: None, team_id: w.rep_c.team_id };
        assert_eq!(refusal(w.app.update::<People>(&rep, w.person_a, None, PersonPatch::default(), other_team).await), Error::Forbidden);
        assert_eq!(refusal(w.app.bulk_assign::<People>(&rep, &[w.person_a], w.rep_b.id).await), Error::Forbidden);
        assert_eq!(refusal(w.app.update::<Companies>(&rep, w.company_a, None, CompanyPatch::default(), to_b).await), Error::Forbidden);
        assert_eq!(w.person(w.person_a).await.ownership.owner_id, Some(w.rep_a.id));
        // Naming themselves is no reassignment.
        let own = PersonBuilder::new("Deniz", "Er").owner(w.rep_a.id).create(&w.app, &rep).await;
        assert_eq!(own.ownership.owner_id, Some(w.rep_a.id));
    }

    async fn a_manager_can_reassign_and_the_team_follows_the_new_owner(db) {
        let w = world(db).await;
        let manager = w.manager_n.actor();
        let to_b = OwnershipRequest { owner_id: Some(w.rep_b.id), team_id: None };
        let moved = w.app.update::<People>(&manager, w.person_a, None, PersonPatch::default(), to_b).await.unwrap();
        assert_eq!(moved.ownership.owner_id, Some(w.rep_b.id));
        assert_eq!(moved.ownership.team_id, w.rep_b.team_id);
        assert_eq!(refusal(w.app.get::<People>(&w.rep_a.actor(), w.person_a).await), Error::NotFound);
        assert!(w.app.get::<People>(&w.rep_b.actor(), w.person_a).await.is_ok());

        // To a rep of another team: the record moves to that team (and out of the manager's sight).
        let to_c = OwnershipRequest { owner_id: Some(w.rep_c.id), team_id: None };
        let moved = w.app.update::<People>(&manager, w.person_a, None, PersonPatch::default(), to_c).await.unwrap();
        assert_eq!(moved.ownership.owner_id, Some(w.rep_c.id));
        assert_eq!(moved.ownership.team_id, w.rep_c.team_id);
        assert_eq!(refusal(w.app.get::<People>(&manager, w.person_a).await), Error::NotFound);
        assert_eq!(people_seen(&w.app, &w.rep_c.actor(), None).await, ["Ali Kaya", "Cenk Kaya"]);
        let changes: Vec<(String, String, String)> = w.history(w.person_a).await[0]
            .changes
            .iter()
            .map(|c| (c.field.clone(), c.from.clone(), c.to.clone()))
            .collect();
        assert_eq!(
            changes,
            [
                ("owner".to_string(), "rep-b".to_string(), "rep-c".to_string()),
                ("team".to_string(), "Kuzey".to_string(), "Güney".to_string()),
            ]
        );

        // A manager creates for a rep of their team; bulk assignment moves every visible record.
        let for_b = PersonBuilder::new("Ege", "Ak").owner(w.rep_b.id).create(&w.app, &manager).await;
        assert_eq!(for_b.ownership.owner_id, Some(w.rep_b.id));
        assert_eq!(for_b.ownership.team_id, w.rep_b.team_id);
        let outcome = w.app.bulk_assign::<People>(&manager, &[w.person_b, for_b.id, w.person_c], w.rep_a.id).await.unwrap();
        assert_eq!(outcome, BulkOutcome { changed: 2, skipped: 1 });
        assert_eq!(w.person(w.person_b).await.ownership.owner_id, Some(w.rep_a.id));
        assert_eq!(w.person(w.person_c).await.ownership.owner_id, Some(w.rep_c.id));

        // Unknown and deactivated owners are refused as a field.
        let nobody = OwnershipRequest { owner_id: Some(UserId(999_999)), team_id: None };
        assert_eq!(field_errors(w.app.update::<People>(&manager, w.person_b, None, PersonPatch::default(), nobody).await), ["owner_id=invalid-unknown-value"]);
        let admin = w.admin.actor();
        w.app.update_user(&admin, w.rep_b.id, "rep-b", "sales_rep", w.rep_b.team_id, false).await.unwrap();
        let to_inactive = OwnershipRequest { owner_id: Some(w.rep_b.id), team_id: None };
        assert_eq!(field_errors(w.app.update::<People>(&manager, w.person_b, None, PersonPatch::default(), to_inactive).await), ["owner_id=invalid-unknown-value"]);
        // The administrator may also set the team explicitly.
        let team_only = OwnershipRequest { owner_id: None, team_id: w.rep_c.team_id };
        let moved = w.app.update::<Companies>(&admin, w.company_a, None, CompanyPatch::default(), team_only).await.unwrap();
        assert_eq!(moved.ownership.team_id, w.rep_c.team_id);
        assert_eq!(moved.ownership.owner_id, Some(w.rep_a.id));
    }

    async fn login_opens_a_session_that_logout_ends(db) {
        let w = world(db).await;
        assert_eq!(refusal(w.app.login("yok@rehber.test", PASSWORD, "10.0.0.1").await), Error::Unauthenticated);
        let opened = w.app.login(" Rep-A@Rehber.Test ", PASSWORD, "10.0.0.1").await.unwrap();
        assert_eq!(opened.session.user.id, w.rep_a.id);
        assert_eq!(opened.token.len(), 64);
        let session = w.app.session(&opened.token).await.unwrap().expect("a live session");
        assert_eq!(session.user.id, w.rep_a.id);
        assert_eq!(session.csrf_token, opened.session.csrf_token);
        assert!(w.app.session("not-a-token").await.unwrap().is_none());
        let second = w.app.login("rep-a@rehber.test", PASSWORD, "10.0.0.1").await.unwrap();
        assert_ne!(second.token, opened.token);

        w.app.logout(&opened.token).await.unwrap();
        assert!(w.app.session(&opened.token).await.unwrap().is_none());
        assert!(w.app.session(&second.token).await.unwrap().is_some(), "other sessions stay");

        // Changing the password checks the current one and ends every session.
        let user = session.user;
        assert_eq!(field_errors(w.app.change_password(&user, "yanlış", "Yeni-Parola-123").await), ["current_password=invalid-password-wrong"]);
        assert_eq!(field_errors(w.app.change_password(&user, PASSWORD, "kısa").await), ["new_password=invalid-password-short"]);
        w.app.change_password(&user, PASSWORD, "Yeni-Parola-123").await.unwrap();
        assert!(w.app.session(&second.token).await.unwrap().is_none());
        assert_eq!(refusal(w.app.login("rep-a@rehber.test", PASSWORD, "10.0.0.1").await), Error::Unauthenticated);
        assert!(w.app.login("rep-a@rehber.test", "Yeni-Parola-123", "10.0.0.1").await.is_ok());
    }

    async fn a_deactivated_users_sessions_and_tokens_stop_working(db) {
        let w = world(db).await;
        let opened = w.app.login("rep-a@rehber.test", PASSWORD, "10.0.0.1").await.unwrap();
        let token = w.app.issue_token(&w.rep_a, "Entegrasyon").await.unwrap();
        assert!(w.app.session(&opened.token).await.unwrap().is_some());
        assert!(w.app.token_user(&token.secret).await.unwrap().is_some());
        let admin = w.admin.actor();
        let updated = w.app.update_user(&admin, w.rep_a.id, "rep-a", "sales_rep", w.rep_a.team_id, false).await.unwrap();
        assert!(!updated.active);
        assert!(w.app.session(&opened.token).await.unwrap().is_none());
        assert!(w.app.token_user(&token.secret).await.unwrap().is_none());
        assert_eq!(refusal(w.app.login("rep-a@rehber.test", PASSWORD, "10.0.0.1").await), Error::Unauthenticated);
        // Reactivated, they sign in again (the old session stays ended).
        w.app.update_user(&admin, w.rep_a.id, "rep-a", "sales_rep", w.rep_a.team_id, true).await.unwrap();
        assert!(w.app.session(&opened.token).await.unwrap().is_none());
        assert!(w.app.login("rep-a@rehber.test", PASSWORD, "10.0.0.1").await.is_ok());
    }

    async fn api_tokens_authenticate_until_revoked(db) {
        let w = world(db).await;
        let issued = w.app.issue_token(&w.rep_a, "  ").await.unwrap();
        assert!(issued.secret.starts_with("rhb_"));
        assert_eq!(issued.row.name, "API");
        assert!(issued.secret.starts_with(&issued.row.prefix));
        let user = w.app.token_user(&issued.secret).await.unwrap().expect("the token's user");
        assert_eq!(user.id, w.rep_a.id);
        assert!(w.app.token_user(&format!(" {} ", issued.secret)).await.unwrap().is_some());
        assert!(w.app.token_user("rhb_guess").await.unwrap().is_none());
        let listed = w.app.list_tokens(&w.rep_a).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert!(listed[0].last_used_at.is_some());
        assert!(w.app.list_tokens(&w.rep_b).await.unwrap().is_empty());
        assert_eq!(field_errors(w.app.issue_token(&w.rep_a, &"x".repeat(101)).await), ["name=invalid-too-long"]);

        assert_eq!(refusal(w.app.revoke_token(&w.rep_b, issued.row.id).await), Error::NotFound);
        assert!(w.app.token_user(&issued.secret).await.unwrap().is_some());
        w.app.revoke_token(&w.rep_a, issued.row.id).await.unwrap();
        assert!(w.app.token_user(&issued.secret).await.unwrap().is_none());
        assert_eq!(refusal(w.app.revoke_token(&w.rep_a, issued.row.id).await), Error::NotFound);
        let audit = w.app.audit_log(&w.admin.actor(), &AuditFilter { record_type: Some("api_token".into()), limit: 10, ..AuditFilter::default() }).await.unwrap();
        let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["revoked", "created"]);
    }

    async fn first_run_setup_happens_only_once(db) {
        let fx = Fixtures::new(db);
        let app = &fx.app;
        assert!(app.needs_setup().await.unwrap());
        let mut errors = field_errors(app.setup_first_admin("yönetici", " ", "kısa").await);
        errors.sort();
        assert_eq!(errors, ["email=invalid-email", "name=invalid-required", "password=invalid-password-short"]);
        assert!(app.needs_setup().await.unwrap());
        let admin = app.setup_first_admin("Yonetici@Ornek.com.tr", "Yönetici", PASSWORD).await.unwrap();
        assert_eq!(admin.role, Role::Administrator);
        assert_eq!(admin.email, "yonetici@ornek.com.tr");
        assert!(!app.needs_setup().await.unwrap());
        assert_eq!(refusal(app.setup_first_admin("ikinci@ornek.com.tr", "İkinci", PASSWORD).await), Error::Forbidden);
        assert_eq!(app.list_users().await.unwrap().len(), 1);
        assert!(app.login("yonetici@ornek.com.tr", PASSWORD, "10.0.0.1").await.is_ok());
    }

    async fn user_administration_is_for_administrators_who_cannot_demote_themselves(db) {
        let w = world(db).await;
        let rep = w.rep_a.actor();
        let input = UserInput {
            email: "yeni@rehber.test".into(),
            name: "Yeni Kullanıcı".into(),
            role: "sales_rep".into(),
            team: "Batı".into(),
            password: String::new(),
        };
        assert_eq!(refusal(w.app.create_user(Some(&rep), &input).await), Error::Forbidden);
        assert_eq!(refusal(w.app.create_user(Some(&w.manager_n.actor()), &input).await), Error::Forbidden);
        assert_eq!(refusal(w.app.ensure_team(Some(&rep), "Batı").await), Error::Forbidden);
        assert_eq!(refusal(w.app.update_user(&rep, w.rep_b.id, "rep-b", "administrator", None, true).await), Error::Forbidden);
        assert_eq!(refusal(w.app.update_user(&rep, w.rep_a.id, "rep-a", "administrator", None, true).await), Error::Forbidden);
        assert_eq!(refusal(w.app.reset_password(&rep, w.rep_b.id).await), Error::Forbidden);
        assert_eq!(w.app.get_user(w.rep_a.id).await.unwrap().role, Role::SalesRep);

        let admin = w.admin.actor();
        let created = w.app.create_user(Some(&admin), &input).await.unwrap();
        let generated = created.generated_password.expect("a generated password, shown once");
        assert_eq!(generated.len(), 16);
        assert_eq!(created.user.team_name.as_deref(), Some("Batı"));
        assert!(w.app.login("yeni@rehber.test", &generated, "10.0.0.1").await.is_ok());
        let again = w.app.create_user(Some(&admin), &UserInput { email: "YENI@rehber.test".into(), ..input.clone() }).await;
        assert_eq!(refusal(again), Error::Taken { field: "email".into() });
        let mut errors = field_errors(w.app.create_user(Some(&admin), &UserInput { email: "x".into(), name: " ".into(), role: "owner".into(), team: String::new(), password: "kısa".into() }).await);
        errors.sort();
        assert_eq!(errors, ["email=invalid-email", "name=invalid-required", "password=invalid-password-short", "role=invalid-unknown-value"]);

        assert_eq!(refusal(w.app.update_user(&admin, w.admin.id, "admin", "sales_manager", None, true).await), Error::InvalidState("self-demotion"));
        assert_eq!(refusal(w.app.update_user(&admin, w.admin.id, "admin", "administrator", None, false).await), Error::InvalidState("self-demotion"));
        assert_eq!(w.app.get_user(w.admin.id).await.unwrap().role, Role::Administrator);
        let promoted = w.app.update_user(&admin, w.rep_b.id, "Banu Bey", "sales_manager", w.rep_c.team_id, true).await.unwrap();
        assert_eq!(promoted.role, Role::SalesManager);
        assert_eq!(promoted.team_id, w.rep_c.team_id);
        let user_audit = w.app.audit_log(&admin, &AuditFilter { record_type: Some("user".into()), limit: 1, ..AuditFilter::default() }).await.unwrap();
        let changed: Vec<&str> = user_audit[0].changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(changed, ["name", "role", "team"]);

        let reset = w.app.reset_password(&admin, w.rep_c.id).await.unwrap();
        assert_eq!(refusal(w.app.login("rep-c@rehber.test", PASSWORD, "10.0.0.3").await), Error::Unauthenticated);
        assert!(w.app.login("rep-c@rehber.test", &reset, "10.0.0.3").await.is_ok());
    }
}
