//! Custom values in the store on SQLite and PostgreSQL: the typed copies follow every write,
//! filters find through them, and a list sorted on a custom field walks every page in order
//! (records without a value last, in both directions, with a search and within a scope).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rehber_domain::UserId;
use rehber_domain::access::Visibility;
use rehber_domain::custom::{Comparable, FieldDraft, FieldOption};
use rehber_domain::party::{Ownership, People};
use rehber_store::{
    AuditEntry, CustomCondition, CustomSort, CustomTest, NewUser, PageRequest, PartyFilter,
    PartySort, SortDirection, Store,
};
use rehber_testkit::{PersonBuilder, both_backends};
use serde_json::json;

fn entry(record_type: &'static str) -> AuditEntry {
    AuditEntry {
        actor: None,
        record_type,
        record_id: 0,
        action: "created",
        changes: Vec::new(),
    }
}

async fn field(store: &Store, key: &str, field_type: &str) -> i64 {
    let draft = FieldDraft {
        key: key.into(),
        field_type: field_type.into(),
        label_tr: key.into(),
        label_en: key.into(),
        options: if field_type == "choice" {
            ["a", "b"]
                .map(|k| FieldOption {
                    key: k.into(),
                    label_tr: k.into(),
                    label_en: k.into(),
                    archived: false,
                })
                .to_vec()
        } else {
            Vec::new()
        },
        ..FieldDraft::default()
    };
    let valid = draft.validate(None).unwrap();
    store
        .create_custom_field("person", &valid, 100, entry("custom_field"))
        .await
        .unwrap()
}

async fn person(
    store: &Store,
    first: &str,
    owner: Option<UserId>,
    custom: serde_json::Value,
) -> i64 {
    let mut fields = PersonBuilder::new(first, "Kaya").fields();
    fields.custom = custom.as_object().unwrap().clone().into_iter().collect();
    let ownership = Ownership {
        owner_id: owner,
        team_id: None,
    };
    store
        .insert::<People>(&fields, ownership, entry("person"))
        .await
        .unwrap()
        .0
}

/// Every first name a list walk finds, page by page.
async fn walk(
    store: &Store,
    visibility: Visibility,
    filter: &PartyFilter,
    sort: PartySort,
    direction: SortDirection,
    limit: u32,
) -> Vec<String> {
    let mut names = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .scoped_to(visibility)
            .list::<People>(
                filter,
                sort,
                direction,
                &PageRequest {
                    after: after.clone(),
                    limit,
                },
            )
            .await
            .unwrap();
        names.extend(page.items.iter().map(|p| p.fields.first_name.clone()));
        match page.next_cursor {
            Some(c) => {
                assert!(rehber_store::cursor_is_valid(sort, &c), "{c}");
                after = Some(c);
            }
            None => return names,
        }
        assert!(names.len() < 100, "the walk ends");
    }
}

both_backends! {
    async fn custom_sorted_lists_walk_every_page_in_order(db) {
        let store = &db.store;
        let amount = field(store, "ciro", "money").await;
        let sector = field(store, "sektor", "choice").await;
        let rep = store
            .create_user(&NewUser { email: "rep@rehber.test".into(), name: "Rep".into(), password_hash: None, role: rehber_domain::Role::SalesRep, team_id: None, locale: None })
            .await
            .unwrap();
        for (name, minor) in [("Ece", 300), ("Ali", 100), ("Can", 200), ("Bora", 200), ("Deniz", 500)] {
            let owner = (name == "Can" || name == "Deniz").then_some(rep.id);
            person(store, name, owner, json!({"ciro": {"minor": minor, "currency": "TRY"}, "sektor": "a"})).await;
        }
        person(store, "Fatma", None, json!({})).await;
        person(store, "Gül", Some(rep.id), json!({"sektor": "b"})).await;
        let by_amount = PartySort::Custom(CustomSort { field_id: amount, numeric: true });
        let all = PartyFilter::default();
        for limit in [1, 2, 3, 50] {
            assert_eq!(
                walk(store, Visibility::All, &all, by_amount, SortDirection::Asc, limit).await,
                ["Ali", "Can", "Bora", "Ece", "Deniz", "Fatma", "Gül"],
                "ascending, pages of {limit}"
            );
            assert_eq!(
                walk(store, Visibility::All, &all, by_amount, SortDirection::Desc, limit).await,
                ["Deniz", "Ece", "Bora", "Can", "Ali", "Gül", "Fatma"],
                "descending, pages of {limit}"
            );
        }
        // Within a rep's scope, with a search, and by a text value.
        assert_eq!(walk(store, Visibility::Owner(rep.id), &all, by_amount, SortDirection::Asc, 1).await, ["Can", "Deniz", "Gül"]);
        let kaya = PartyFilter { q: Some("kaya".into()), ..PartyFilter::default() };
        assert_eq!(walk(store, Visibility::Owner(rep.id), &kaya, by_amount, SortDirection::Desc, 2).await, ["Deniz", "Can", "Gül"]);
        let by_sector = PartySort::Custom(CustomSort { field_id: sector, numeric: false });
        assert_eq!(walk(store, Visibility::All, &all, by_sector, SortDirection::Desc, 2).await, ["Gül", "Deniz", "Bora", "Can", "Ali", "Ece", "Fatma"]);
        // Filters through the typed copies, which follow an update.
        let rich = PartyFilter {
            custom: vec![CustomCondition { field_id: amount, test: CustomTest::AtLeast(Comparable::Number(250.0)) }],
            ..PartyFilter::default()
        };
        assert_eq!(walk(store, Visibility::All, &rich, PartySort::Name, SortDirection::Asc, 10).await, ["Deniz", "Ece"]);
        let empty = PartyFilter {
            custom: vec![CustomCondition { field_id: amount, test: CustomTest::Empty(true) }],
            ..PartyFilter::default()
        };
        assert_eq!(walk(store, Visibility::All, &empty, PartySort::Name, SortDirection::Asc, 10).await, ["Fatma", "Gül"]);
        let ece = store.scoped_to(Visibility::All).list::<People>(&PartyFilter { q: Some("ece".into()), ..PartyFilter::default() }, PartySort::Name, SortDirection::Asc, &PageRequest { after: None, limit: 1 }).await.unwrap().items.remove(0);
        let mut fields = ece.fields.clone();
        fields.custom.insert("ciro".into(), json!({"minor": 1, "currency": "TRY"}));
        store.update::<People>(ece.id, ece.meta.version, &fields, ece.ownership, entry("person")).await.unwrap();
        assert_eq!(walk(store, Visibility::All, &rich, PartySort::Name, SortDirection::Asc, 10).await, ["Deniz"]);
        assert_eq!(walk(store, Visibility::All, &all, by_amount, SortDirection::Asc, 2).await[0], "Ece");
    }
}
