//! Records at the edge of the domain's limits, on SQLite and PostgreSQL: a person and a
//! company with every field at its longest, spelled in the letters that take the most bytes
//! once folded, are stored, listed and found on both backends (PostgreSQL refuses index
//! entries over 2,704 bytes; the field limits and the search key budget keep them under).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rehber_domain::access::Visibility;
use rehber_domain::party::limits;
use rehber_domain::party::{Companies, People};
use rehber_domain::party::{CompanyForm, CompanyPatch, Ownership, PersonForm, PersonPatch};
use rehber_domain::validate::text::search_key;
use rehber_domain::{CompanyId, Role};
use rehber_store::{AuditEntry, PageRequest, PartyFilter, PartySort, SortDirection, Store};
use rehber_testkit::{Fixtures, both_backends};

/// E-mail addresses of exactly 254 characters whose letters each fold into two bytes
/// (`ß` → `ss`, `æ` → `ae`), all different.
fn longest_emails() -> Vec<String> {
    (0..limits::EMAILS)
        .map(|i| {
            let local = format!("{}{i}", "ß".repeat(63));
            let label = "æ".repeat(63);
            let rest = 254 - local.chars().count() - 1 - 2 * 64 - 4;
            format!("{local}@{label}.{label}.{}.com", "œ".repeat(rest))
        })
        .collect()
}

fn phones() -> Vec<String> {
    (0..limits::PHONES)
        .map(|i| format!("+90 532 123 45 {:02}", i))
        .collect()
}

fn tags() -> Vec<String> {
    (0..limits::TAGS)
        .map(|i| format!("{}{i:02}", "Ğ".repeat(limits::TAG - 2)))
        .collect()
}

fn entry(record_type: &'static str) -> AuditEntry {
    AuditEntry {
        actor: None,
        record_type,
        record_id: 0,
        action: "created",
        changes: Vec::new(),
    }
}

async fn search_people(store: &Store, q: &str) -> usize {
    let filter = PartyFilter {
        q: Some(q.to_string()),
        ..PartyFilter::default()
    };
    store
        .scoped_to(Visibility::All)
        .list::<People>(
            &filter,
            PartySort::Name,
            SortDirection::Asc,
            &PageRequest {
                after: None,
                limit: 10,
            },
        )
        .await
        .unwrap()
        .items
        .len()
}

both_backends! {
    async fn records_with_every_field_at_its_longest_are_stored_listed_and_found(db) {
        let fx = Fixtures::new(db);
        let owner = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let ownership = Ownership { owner_id: Some(owner.id), team_id: owner.team_id };
        for email in longest_emails() {
            assert_eq!(email.chars().count(), 254, "{email}");
        }

        let mut company = CompanyForm::blank();
        company.apply(CompanyPatch {
            name: Some("Æ".repeat(limits::COMPANY_NAME)),
            emails: Some(longest_emails()),
            phones: Some(phones()),
            tags: Some(tags()),
            street: Some("ş".repeat(limits::STREET)),
            notes: Some("ü\n".repeat(limits::NOTES / 2)),
            ..CompanyPatch::default()
        });
        let company = company.validate().unwrap();
        let company_id: CompanyId = db.store.insert::<Companies>(&company, ownership, entry("company")).await.unwrap();

        let mut person = PersonForm::blank();
        person.apply(PersonPatch {
            first_name: Some("Ç".repeat(limits::PERSON_NAME)),
            last_name: Some("Ş".repeat(limits::PERSON_NAME)),
            emails: Some(longest_emails()),
            phones: Some(phones()),
            tags: Some(tags()),
            company_id: Some(company_id.0.to_string()),
            job_title: Some("Ö".repeat(limits::JOB_TITLE)),
            ..PersonPatch::default()
        });
        let person = person.validate(jiff::civil::date(2026, 12, 2)).unwrap();
        let person_id = db.store.insert::<People>(&person, ownership, entry("person")).await.unwrap();

        let stored = db.store.scoped_to(Visibility::All).get::<People>(person_id).await.unwrap();
        assert_eq!(stored.fields, person);
        assert_eq!(search_people(&db.store, "çççç şşş").await, 1, "found by name");
        assert_eq!(search_people(&db.store, &search_key("Æ").repeat(3)).await, 1, "found by company");
        assert_eq!(search_people(&db.store, "ssssss").await, 1, "found by the first e-mail");
    }
}
