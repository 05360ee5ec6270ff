//! Custom values in the store on SQLite and PostgreSQL: the typed copies follow every write,
//! filters find through them, and a list sorted on a custom field walks every page in order
//! (records without a value last, in both directions, with a search and within a scope).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rehber_domain::UserId;
use rehber_domain::access::Visibility;
use rehber_domain::custom::{Comparable, FieldDraft, FieldOption};
use rehber_domain::filter::{Condition, Rule, Test};
use rehber_domain::party::{Ownership, People};
use rehber_store::{
    AuditEntry, CustomSort, NewUser, PageRequest, PartyFilter, PartySort, SortDirection, Store,
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
    person_in(store, first, "", owner, custom).await
}

async fn person_in(
    store: &Store,
    first: &str,
    city: &str,
    owner: Option<UserId>,
    custom: serde_json::Value,
) -> i64 {
    let mut fields = PersonBuilder::new(first, "Kaya").city(city).fields();
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

/// A filter of one rule.
fn ruled(rule: Rule) -> PartyFilter {
    PartyFilter {
        rule: Some(rule),
        ..PartyFilter::default()
    }
}

fn custom(field_id: i64, test: Test) -> Rule {
    Rule::Test(Condition::Custom { field_id, test })
}

fn city(key: &str) -> Rule {
    Rule::Test(Condition::City(Test::Equals(Comparable::Text(key.into()))))
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
        let rich = ruled(custom(amount, Test::AtLeast(Comparable::Number(250.0))));
        assert_eq!(walk(store, Visibility::All, &rich, PartySort::Name, SortDirection::Asc, 10).await, ["Deniz", "Ece"]);
        let empty = ruled(custom(amount, Test::Empty(true)));
        assert_eq!(walk(store, Visibility::All, &empty, PartySort::Name, SortDirection::Asc, 10).await, ["Fatma", "Gül"]);
        let ece = store.scoped_to(Visibility::All).list::<People>(&PartyFilter { q: Some("ece".into()), ..PartyFilter::default() }, PartySort::Name, SortDirection::Asc, &PageRequest { after: None, limit: 1 }).await.unwrap().items.remove(0);
        let mut fields = ece.fields.clone();
        fields.custom.insert("ciro".into(), json!({"minor": 1, "currency": "TRY"}));
        store.update::<People>(ece.id, ece.meta.version, &fields, ece.ownership, entry("person")).await.unwrap();
        assert_eq!(walk(store, Visibility::All, &rich, PartySort::Name, SortDirection::Asc, 10).await, ["Deniz"]);
        assert_eq!(walk(store, Visibility::All, &all, by_amount, SortDirection::Asc, 2).await[0], "Ece");
    }

    async fn dense_and_rare_conditions_find_the_same_records(db) {
        let store = &db.store;
        let sector = field(store, "sektor", "choice").await;
        person(store, "Ali", None, json!({"sektor": "a"})).await;
        person(store, "Banu", None, json!({"sektor": "b"})).await;
        person(store, "Can", None, json!({"sektor": "a"})).await;
        person(store, "Derya", None, json!({})).await;
        let names = |test: Test| {
            let filter = ruled(custom(sector, test));
            async move { walk(store, Visibility::All, &filter, PartySort::Name, SortDirection::Asc, 2).await }
        };
        let a = || Test::Equals(Comparable::Text("a".into()));
        assert_eq!(names(a()).await, ["Ali", "Can"], "rare: ids gathered");
        assert_eq!(names(Test::Empty(true)).await, ["Derya"]);
        // Values of records that are not there (deleted for good) make the condition dense:
        // the list then probes row by row, with the same answers.
        let filler = "INSERT INTO custom_values (field_id, record_id, v_text) SELECT $1, 1000000 + n, 'a' FROM generate_series(1, 2500) AS n";
        match store {
            Store::Postgres(pool) => {
                sqlx::query(filler).bind(sector).execute(pool).await.unwrap();
            }
            Store::Sqlite(db) => {
                let pool = db.pool();
                let sqlite = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500) \
                    INSERT INTO custom_values (field_id, record_id, v_text) SELECT ?1, 1000000 + i, 'a' FROM n";
                sqlx::query(sqlite).bind(sector).execute(pool).await.unwrap();
            }
        }
        assert_eq!(names(a()).await, ["Ali", "Can"], "dense: probed");
        assert_eq!(names(Test::Empty(true)).await, ["Derya"]);
        assert_eq!(names(Test::Empty(false)).await, ["Ali", "Banu", "Can"]);
        let count = store.scoped_to(Visibility::All).count::<People>(&ruled(custom(sector, a())), 100).await.unwrap();
        assert_eq!(count, 2);
    }

    async fn rules_join_built_in_and_custom_tests_with_and_or(db) {
        let store = &db.store;
        let sector = field(store, "sektor", "choice").await;
        let rep = store
            .create_user(&NewUser { email: "rep@rehber.test".into(), name: "Rep".into(), password_hash: None, role: rehber_domain::Role::SalesRep, team_id: None, locale: None })
            .await
            .unwrap();
        person_in(store, "Ali", "İzmir", Some(rep.id), json!({"sektor": "a"})).await;
        person_in(store, "Banu", "Ankara", None, json!({"sektor": "b"})).await;
        person_in(store, "Can", "izmir", Some(rep.id), json!({})).await;
        person_in(store, "Derya", "Bursa", None, json!({"sektor": "a"})).await;
        person_in(store, "Ece", "", None, json!({})).await;
        let a = || custom(sector, Test::Equals(Comparable::Text("a".into())));
        let izmir_or_a = ruled(Rule::Any(vec![city("izmir"), a()]));
        let names = |filter: PartyFilter, visibility: Visibility| async move {
            let found = walk(store, visibility, &filter, PartySort::Name, SortDirection::Asc, 2).await;
            let counted = store.scoped_to(visibility).count::<People>(&filter, 100).await.unwrap();
            assert_eq!(counted, found.len() as i64, "the count agrees with the list");
            found
        };
        assert_eq!(names(izmir_or_a.clone(), Visibility::All).await, ["Ali", "Can", "Derya"]);
        assert_eq!(
            names(izmir_or_a.clone(), Visibility::Owner(rep.id)).await,
            ["Ali", "Can"],
            "an any-rule stays inside the caller's scope"
        );
        let searched = PartyFilter { q: Some("kaya".into()), ..izmir_or_a };
        assert_eq!(names(searched, Visibility::All).await, ["Ali", "Can", "Derya"], "with a search");
        let izmir_without_sector = Rule::All(vec![
            city("izmir"),
            Rule::Any(vec![custom(sector, Test::Empty(true)), custom(sector, Test::Equals(Comparable::Text("b".into())))]),
        ]);
        assert_eq!(names(ruled(izmir_without_sector), Visibility::All).await, ["Can"]);
        let no_city = ruled(Rule::Test(Condition::City(Test::Empty(true))));
        assert_eq!(names(no_city, Visibility::All).await, ["Ece"]);
        // The shorthand fields hold besides the rule.
        let of_rep = PartyFilter { owner: Some(rep.id), ..ruled(Rule::Any(vec![city("bursa"), a()])) };
        assert_eq!(names(of_rep, Visibility::All).await, ["Ali"]);
        let contains = ruled(Rule::Test(Condition::City(Test::Contains("urs".into()))));
        assert_eq!(names(contains, Visibility::All).await, ["Derya"]);
    }
}
