//! Bulk loading on SQLite and PostgreSQL: rows loaded many per statement are stored exactly as
//! rows inserted one by one — the same content, derived keys (found by the same searches and
//! filters), tags and bookkeeping — and ids come back in the order given.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rehber_domain::access::Visibility;
use rehber_domain::custom::{Comparable, FieldDraft};
use rehber_domain::filter::{Condition, Rule, Test};
use rehber_domain::party::{Address, CompanyForm, Ownership, PersonForm};
use rehber_domain::party::{Companies, People};
use rehber_store::{
    AuditEntry, BulkCompany, BulkPerson, CustomSort, PageRequest, PartyFilter, PartySort,
    SortDirection, Store,
};
use rehber_testkit::both_backends;

fn entry(record_type: &'static str) -> AuditEntry {
    AuditEntry {
        actor: None,
        record_type,
        record_id: 0,
        action: "created",
        changes: Vec::new(),
    }
}

/// Ids of the people a filter finds, oldest first (the first page of 500).
async fn people_found(store: &Store, filter: PartyFilter) -> Vec<i64> {
    let page = store
        .scoped_to(Visibility::All)
        .list::<People>(
            &filter,
            PartySort::Created,
            SortDirection::Asc,
            &PageRequest {
                after: None,
                limit: 500,
            },
        )
        .await
        .unwrap();
    page.items.iter().map(|p| p.id.0).collect()
}

both_backends! {
    async fn bulk_rows_are_stored_exactly_as_rows_inserted_one_by_one(db) {
        let store = &db.store;
        let company = CompanyForm {
            name: "Çağlar Tekstil A.Ş.".into(),
            emails: vec!["info@caglartekstil.com.tr".into()],
            phones: vec!["0212 555 12 12".into()],
            address: Address { city: "İstanbul".into(), district: "Kadıköy".into(), ..Address::default() },
            tags: vec!["İhracatçı".into(), "vip".into()],
            ..CompanyForm::blank()
        }
        .validate()
        .unwrap();
        let own = Ownership::default();
        let single_company = store.insert::<Companies>(&company, own, entry("company")).await.unwrap();
        let now = jiff::Timestamp::now();
        let bulk = store
            .bulk_insert::<Companies>(&[BulkCompany { fields: company.clone(), ownership: own, created_at: now }])
            .await
            .unwrap();
        assert_eq!(bulk.len(), 1);
        assert!(bulk[0].0 > single_company.0);
        let stored = store.scoped_to(Visibility::All).get::<Companies>(bulk[0]).await.unwrap();
        assert_eq!(stored.fields, company);
        assert_eq!(stored.meta.version, 1);
        assert_eq!(stored.meta.created_at.as_microsecond(), now.as_microsecond());

        let person = PersonForm {
            first_name: "Işık".into(),
            last_name: "Gülşen".into(),
            emails: vec!["isik@caglartekstil.com.tr".into()],
            phones: vec!["0532 123 45 67".into()],
            company_id: single_company.to_string(),
            address: Address { city: "İzmir".into(), ..Address::default() },
            tags: vec!["Karar Verici".into()],
            birthday: "1980-02-29".into(),
            ..PersonForm::blank()
        }
        .validate(jiff::civil::date(2026, 1, 1))
        .unwrap();
        let single = store.insert::<People>(&person, own, entry("person")).await.unwrap();
        let rows: Vec<BulkPerson> = (0..1200)
            .map(|i| BulkPerson {
                fields: person.clone(),
                ownership: own,
                created_at: now.checked_add(jiff::SignedDuration::from_micros(i)).unwrap(),
            })
            .collect();
        let bulk = store.bulk_insert::<People>(&rows).await.unwrap();
        assert_eq!(bulk.len(), 1200, "more rows than one statement holds");
        assert!(bulk.windows(2).all(|w| w[0].0 < w[1].0), "ids in the order given");
        let stored = store.scoped_to(Visibility::All).get::<People>(bulk[5]).await.unwrap();
        assert_eq!(stored.fields, person);
        assert_eq!(stored.company_name.as_deref(), Some("Çağlar Tekstil A.Ş."));
        assert_eq!(
            stored.meta.created_at.as_microsecond(),
            now.as_microsecond() + 5
        );

        // Every derived key finds the bulk rows as it finds the single one.
        // The bulk rows were created (`now` + i µs) before the single one was inserted.
        let everyone: Vec<i64> = bulk.iter().map(|id| id.0).chain(std::iter::once(single.0)).collect();
        let search = |q: &str| PartyFilter { q: Some(q.into()), ..PartyFilter::default() };
        for q in ["isik gulsen", "caglar tekstil", "05321234567", "caglartekstil"] {
            let found = people_found(store, search(q)).await;
            assert_eq!(found[..3], everyone[..3], "{q}: the bulk rows, in order");
            assert_eq!(store.scoped_to(Visibility::All).count::<People>(&search(q), 10_000).await.unwrap(), 1201, "{q}: every row");
        }
        let by_tag = PartyFilter { tag: Some("karar verici".into()), ..PartyFilter::default() };
        assert_eq!(store.scoped_to(Visibility::All).count::<People>(&by_tag, 10_000).await.unwrap(), 1201);
        let by_city = PartyFilter { city: Some("IZMIR".into()), ..PartyFilter::default() };
        assert_eq!(store.scoped_to(Visibility::All).count::<People>(&by_city, 10_000).await.unwrap(), 1201);
        let by_company = PartyFilter { company: Some(single_company), ..PartyFilter::default() };
        assert_eq!(people_found(store, by_company).await[..3], everyone[..3]);
        assert_eq!(store.count_all_parties().await.unwrap(), (1201, 2));
        let searched = PartyFilter { q: Some("caglar".into()), ..PartyFilter::default() };
        assert_eq!(store.scoped_to(Visibility::All).count::<People>(&searched, 10_000).await.unwrap(), 1201, "the full-text index holds the bulk rows");
    }

    async fn bulk_rows_carry_their_custom_values_into_filters_and_sorts(db) {
        let store = &db.store;
        let draft = FieldDraft {
            key: "ciro".into(),
            field_type: "number".into(),
            label_tr: "Ciro".into(),
            label_en: "Turnover".into(),
            ..FieldDraft::default()
        };
        let ciro = store.create_custom_field("person", &draft.validate(None).unwrap(), 100, entry("custom_field")).await.unwrap();
        let now = jiff::Timestamp::now();
        let rows: Vec<BulkPerson> = (0..700)
            .map(|i| {
                let mut fields = PersonForm { first_name: format!("Kişi{i:03}"), last_name: "Deneme".into(), ..PersonForm::blank() }
                    .validate(jiff::civil::date(2026, 1, 1))
                    .unwrap();
                if i % 2 == 0 {
                    fields.custom.insert("ciro".into(), serde_json::json!(i));
                }
                BulkPerson { fields, ownership: Ownership::default(), created_at: now }
            })
            .collect();
        let ids = store.bulk_insert::<People>(&rows).await.unwrap();
        let rich = PartyFilter {
            rule: Some(Rule::Test(Condition::Custom { field_id: ciro, test: Test::AtLeast(Comparable::Number(600.0)) })),
            ..PartyFilter::default()
        };
        assert_eq!(people_found(store, rich).await, ids[600..].iter().step_by(2).map(|id| id.0).collect::<Vec<_>>());
        let without = PartyFilter {
            rule: Some(Rule::Test(Condition::Custom { field_id: ciro, test: Test::Empty(true) })),
            ..PartyFilter::default()
        };
        assert_eq!(store.scoped_to(Visibility::All).count::<People>(&without, 10_000).await.unwrap(), 350);
        let by_ciro = PartySort::Custom(CustomSort { field_id: ciro, numeric: true });
        let top = store
            .scoped_to(Visibility::All)
            .list::<People>(&PartyFilter::default(), by_ciro, SortDirection::Desc, &PageRequest { after: None, limit: 1 })
            .await
            .unwrap();
        assert_eq!(top.items[0].id, ids[698], "the highest value leads a sort on the field");
    }
}
