//! The store on SQLite and PostgreSQL: migrations, round trips, keyset pagination, Turkish-
//! aware search, filters, the scope filter, soft delete, named constraint violations,
//! optimistic versioning, the append-only audit log, sessions, login attempts and tokens.
//!
//! Every test in `both_backends!` runs twice, on a fresh database of each engine.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rehber_domain::access::Visibility;
use rehber_domain::money::Money;
use rehber_domain::party::{
    Address, Bant, CompanySize, LeadSource, LeadStatus, LifecycleStage, Ownership,
};
use rehber_domain::party::{Companies, People};
use rehber_domain::validate::{Email, Phone, Tckn, Vkn};
use rehber_domain::{Role, TeamId, UserId};
use rehber_store::{
    AuditChange, AuditEntry, AuditFilter, Backend, NewUser, PageRequest, PartyFilter, PartySort,
    SessionRow, SortDirection, Store, StoreError, User, now_micros,
};
use rehber_testkit::{CompanyBuilder, Fixtures, PersonBuilder, TestDb, both_backends, walk_people};

const ALL: Visibility = Visibility::All;

fn own(user: &User) -> Ownership {
    Ownership {
        owner_id: Some(user.id),
        team_id: user.team_id,
    }
}

fn search(q: &str) -> PartyFilter {
    PartyFilter {
        q: Some(q.to_string()),
        ..PartyFilter::default()
    }
}

fn first(limit: u32) -> PageRequest {
    PageRequest { after: None, limit }
}

/// Full names of every person matching, walking all pages of `limit`.
async fn people_names(
    store: &Store,
    visibility: Visibility,
    filter: &PartyFilter,
    sort: PartySort,
    direction: SortDirection,
    limit: u32,
) -> Vec<String> {
    walk_people(store, visibility, filter, sort, direction, limit)
        .await
        .iter()
        .map(|p| p.fields.full_name())
        .collect()
}

async fn company_names(
    store: &Store,
    visibility: Visibility,
    filter: &PartyFilter,
    sort: PartySort,
    direction: SortDirection,
    limit: u32,
) -> Vec<String> {
    let mut names = Vec::new();
    let mut page = first(limit);
    for _ in 0..1000 {
        let got = store
            .scoped_to(visibility)
            .list::<Companies>(filter, sort, direction, &page)
            .await
            .unwrap();
        names.extend(got.items.iter().map(|c| c.fields.name.clone()));
        match got.next_cursor {
            Some(cursor) => page.after = Some(cursor),
            None => return names,
        }
    }
    panic!("pagination did not end");
}

/// Runs a raw statement the way an attacker with SQL access, or a careless migration, would.
async fn raw(store: &Store, sql: impl Into<String>) -> Result<u64, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(sql.into());
    match store {
        Store::Sqlite(db) => sqlx::query(sql)
            .execute(db.pool())
            .await
            .map(|r| r.rows_affected()),
        Store::Postgres(pool) => sqlx::query(sql)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()),
    }
}

fn file_names(dir: &str) -> Vec<String> {
    let path = format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn both_migration_directories_hold_the_same_versions() {
    let sqlite = file_names("sqlite");
    let postgres = file_names("postgres");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres);
}

/// Twenty-three people whose first names cover the Turkish letters, in Turkish order.
const TURKISH_ORDER: [(&str, &str); 23] = [
    ("Ahmet", "Yıldız"),
    ("Ayşe", "Kaya"),
    ("Berk", "Aydın"),
    ("Can", "Demir"),
    ("Cem", "Yılmaz"),
    ("Çağlar", "Işık"),
    ("Çiğdem", "Avcı"),
    ("Deniz", "Arslan"),
    ("Ece", "Şen"),
    ("Gül", "Tekin"),
    ("Hakan", "Öztürk"),
    ("Ilgaz", "Er"),
    ("Işıl", "Polat"),
    ("İpek", "Doğan"),
    ("İsmail", "Koç"),
    ("Kemal", "Aksoy"),
    ("Oğuz", "Kara"),
    ("Ömer", "Çelik"),
    ("Selin", "Kurt"),
    ("Şule", "Şahin"),
    ("Uğur", "Tan"),
    ("Ümit", "Ünal"),
    ("Zeynep", "Acar"),
];

both_backends! {
    /// The audit views name the records entries point at, deleted ones included.
    async fn audit_entries_name_their_records(db) {
        let own = Ownership::default();
        let person = PersonBuilder::new("Şule", "Ağaoğlu").insert(&db.store, own).await;
        let company = CompanyBuilder::new("Çınar Yapı A.Ş.").insert(&db.store, own).await;
        let refs = vec![
            ("person".to_string(), person.0),
            ("company".to_string(), company.0),
            ("person".to_string(), 987_654),
            ("api_token".to_string(), 1),
        ];
        let names = db.store.record_names(&refs).await.unwrap();
        assert_eq!(names.get(&("person".to_string(), person.0)).map(String::as_str), Some("Şule Ağaoğlu"));
        assert_eq!(names.get(&("company".to_string(), company.0)).map(String::as_str), Some("Çınar Yapı A.Ş."));
        assert_eq!(names.len(), 2, "unknown ids and unnamed kinds are left out");
    }

    /// Migrations run on creation; running them again changes nothing.
    async fn migrations_apply_and_leave_an_empty_database(db) {
        db.store.ping().await.unwrap();
        db.store.migrate().await.unwrap();
        assert_eq!(db.store.count_users().await.unwrap(), 0);
        assert!(db.store.list_teams().await.unwrap().is_empty());
        let page = db
            .store
            .scoped_to(ALL).list::<People>(&PartyFilter::default(), PartySort::Name, SortDirection::Asc, &first(10))
            .await
            .unwrap();
        assert!(page.items.is_empty());
        assert_eq!(page.next_cursor, None);
    }

    async fn a_company_round_trips_with_every_field(db) {
        let fx = Fixtures::new(db);
        let owner = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let builder = CompanyBuilder::new("Anadolu Gıda Sanayi ve Ticaret A.Ş.")
            .email("info@anadolugida.com.tr")
            .email("satis@anadolugida.com.tr")
            .phone("0212 555 12 12")
            .phone("+90 (532) 123 45 67")
            .website("anadolugida.com.tr")
            .city("İstanbul")
            .tag("Toptancı")
            .tag("gıda")
            .stage(LifecycleStage::Customer)
            .tax_office("Büyük Mükellefler")
            .tax_number("454 053 6920")
            .with(|p| {
                p.street = Some("Büyükdere Cad. No: 12".into());
                p.district = Some("Şişli".into());
                p.postal_code = Some("34394".into());
                p.lead_status = Some("connected".into());
                p.lead_source = Some("referral".into());
                p.bant_budget = Some(true);
                p.bant_authority = Some(true);
                p.bant_need = Some(false);
                p.bant_timing = Some(true);
                p.industry = Some("Gıda".into());
                p.size = Some("50-249".into());
                p.annual_revenue = Some("1.250.000,50".into());
                p.national_id = Some("10000000146".into());
                p.trade_registry_number = Some("123456-5".into());
                p.e_invoice = Some(true);
                p.notes = Some("Öncelikli müşteri — ödeme 30 gün, İzmir şubesi de var.".into());
            });
        let fields = builder.fields();
        let id = builder.insert(&db.store, own(&owner)).await;
        let company = db.store.scoped_to(ALL).get::<Companies>(id).await.unwrap();

        assert_eq!(company.id, id);
        assert_eq!(company.fields, fields);
        let f = &company.fields;
        assert_eq!(f.name, "Anadolu Gıda Sanayi ve Ticaret A.Ş.");
        assert_eq!(
            f.emails,
            vec![
                Email::parse("info@anadolugida.com.tr").unwrap(),
                Email::parse("satis@anadolugida.com.tr").unwrap()
            ]
        );
        let phones: Vec<&str> = f.phones.iter().map(Phone::as_str).collect();
        assert_eq!(phones, ["+902125551212", "+905321234567"]);
        assert_eq!(f.website, "https://anadolugida.com.tr");
        assert_eq!(
            f.address,
            Address {
                street: "Büyükdere Cad. No: 12".into(),
                district: "Şişli".into(),
                city: "İstanbul".into(),
                postal_code: "34394".into(),
                country: "Türkiye".into(),
            }
        );
        assert_eq!(f.tags, ["gıda", "Toptancı"]);
        assert_eq!(f.lifecycle_stage, LifecycleStage::Customer);
        assert_eq!(f.lead_status, Some(LeadStatus::Connected));
        assert_eq!(f.lead_source, Some(LeadSource::Referral));
        assert_eq!(
            f.bant,
            Bant { budget: true, authority: true, need: false, timing: true }
        );
        assert_eq!(f.industry, "Gıda");
        assert_eq!(f.size, Some(CompanySize::Medium));
        assert_eq!(
            f.annual_revenue,
            Some(Money { minor: 125_000_050, currency: "TRY".into() })
        );
        assert_eq!(f.tax_office, "Büyük Mükellefler");
        assert_eq!(f.tax_number, Some(Vkn::parse("4540536920").unwrap()));
        assert_eq!(f.national_id, Some(Tckn::parse("10000000146").unwrap()));
        assert_eq!(f.trade_registry_number, "123456-5");
        assert!(f.e_invoice);
        assert_eq!(f.notes, "Öncelikli müşteri — ödeme 30 gün, İzmir şubesi de var.");
        assert_eq!(company.ownership, own(&owner));
        assert_eq!(company.meta.version, 1);
        assert_eq!(company.meta.created_at, company.meta.updated_at);
        assert_eq!(company.meta.deleted_at, None);

        // The insert wrote its audit entry in the same transaction.
        let history = db.store.unscoped().history::<Companies>(id).await.unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].action, "created");
        assert_eq!(history[0].actor_id, Some(owner.id));
        assert_eq!(history[0].actor_name.as_deref(), Some("rep-a"));
    }

    async fn a_person_round_trips_with_every_field_and_their_company_name(db) {
        let fx = Fixtures::new(db);
        let owner = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let company = CompanyBuilder::new("İstanbul Lojistik A.Ş.")
            .insert(&db.store, own(&owner))
            .await;
        let builder = PersonBuilder::new("Işık", "Çağlar")
            .email("Isik.Caglar@İstanbulLojistik.com.tr")
            .email("isik@example.com")
            .phone("0532 123 45 67")
            .phone("+44 (0)20 7946 0958")
            .company(company)
            .job_title("Satın Alma Müdürü")
            .city("Ağrı")
            .tag("Öncelikli")
            .stage(LifecycleStage::Opportunity)
            .national_id("10000000146")
            .with(|p| {
                p.street = Some("Atatürk Bulvarı 1".into());
                p.district = Some("Merkez".into());
                p.postal_code = Some("04000".into());
                p.country = Some("Türkiye".into());
                p.lead_status = Some("in_progress".into());
                p.lead_source = Some("event".into());
                p.bant_need = Some(true);
                p.birthday = Some("1985-03-21".into());
                p.notes = Some("Çay sever; öğleden sonra aranmalı.".into());
            });
        let fields = builder.fields();
        let id = builder.insert(&db.store, own(&owner)).await;
        let person = db.store.scoped_to(ALL).get::<People>(id).await.unwrap();

        assert_eq!(person.fields, fields);
        assert_eq!(person.fields.first_name, "Işık");
        assert_eq!(person.fields.last_name, "Çağlar");
        let phones: Vec<&str> = person.fields.phones.iter().map(Phone::as_str).collect();
        assert_eq!(phones, ["+905321234567", "+442079460958"]);
        assert_eq!(person.fields.company_id, Some(company));
        assert_eq!(person.company_name.as_deref(), Some("İstanbul Lojistik A.Ş."));
        assert_eq!(person.fields.address.city, "Ağrı");
        assert_eq!(person.fields.tags, ["Öncelikli"]);
        assert_eq!(person.fields.lead_status, Some(LeadStatus::InProgress));
        assert_eq!(person.fields.lead_source, Some(LeadSource::Event));
        assert_eq!(person.fields.birthday, Some(jiff::civil::date(1985, 3, 21)));
        assert_eq!(person.fields.national_id, Some(Tckn::parse("10000000146").unwrap()));
        assert_eq!(person.fields.notes, "Çay sever; öğleden sonra aranmalı.");
        assert_eq!(person.ownership, own(&owner));
        assert_eq!(person.meta.version, 1);
    }

    async fn an_update_replaces_content_bumps_the_version_and_appends_its_entry(db) {
        let fx = Fixtures::new(db);
        let owner = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let id = PersonBuilder::new("Ayşe", "Kaya").tag("eski").insert(&db.store, own(&owner)).await;
        let fields = PersonBuilder::new("Ayşegül", "Kaya-Yılmaz")
            .tag("yeni")
            .phone("0533 765 43 21")
            .fields();
        let entry = AuditEntry {
            actor: Some(owner.id),
            record_type: "person",
            record_id: id.0,
            action: "updated",
            changes: vec![AuditChange { field: "first_name".into(), from: "Ayşe".into(), to: "Ayşegül".into() }],
        };
        db.store.update::<People>(id, 1, &fields, own(&owner), entry).await.unwrap();
        let person = db.store.scoped_to(ALL).get::<People>(id).await.unwrap();
        assert_eq!(person.fields, fields);
        assert_eq!(person.meta.version, 2);
        assert!(person.meta.updated_at >= person.meta.created_at);
        // Tags are replaced, not added to: the old tag no longer finds the person.
        let by_old = PartyFilter { tag: Some("eski".into()), ..PartyFilter::default() };
        assert!(people_names(&db.store, ALL, &by_old, PartySort::Name, SortDirection::Asc, 10).await.is_empty());
        let by_new = PartyFilter { tag: Some("YENİ".into()), ..PartyFilter::default() };
        assert_eq!(
            people_names(&db.store, ALL, &by_new, PartySort::Name, SortDirection::Asc, 10).await,
            ["Ayşegül Kaya-Yılmaz"]
        );
        // The search index follows the new content.
        assert_eq!(
            people_names(&db.store, ALL, &search("aysegul"), PartySort::Name, SortDirection::Asc, 10).await,
            ["Ayşegül Kaya-Yılmaz"]
        );
        assert!(people_names(&db.store, ALL, &search("ayse kaya"), PartySort::Name, SortDirection::Asc, 10).await.len() == 1);
        let history = db.store.unscoped().history::<People>(id).await.unwrap();
        let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["updated", "created"], "newest first");
        assert_eq!(history[0].changes[0].to, "Ayşegül");
    }

    async fn a_stale_version_is_refused_and_writes_nothing(db) {
        let fx = Fixtures::new(db);
        let owner = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let person = PersonBuilder::new("Can", "Demir").insert(&db.store, own(&owner)).await;
        let company = CompanyBuilder::new("Demir Çelik").insert(&db.store, own(&owner)).await;
        let entry = |record_type, record_id| AuditEntry {
            actor: Some(owner.id),
            record_type,
            record_id,
            action: "updated",
            changes: Vec::new(),
        };
        let first_edit = PersonBuilder::new("Can", "Demirci").fields();
        db.store.update::<People>(person, 1, &first_edit, own(&owner), entry("person", person.0)).await.unwrap();
        let second_edit = PersonBuilder::new("Can", "Demirtaş").fields();
        let stale = db.store.update::<People>(person, 1, &second_edit, own(&owner), entry("person", person.0)).await;
        assert!(matches!(stale, Err(StoreError::StaleVersion)), "{stale:?}");
        let kept = db.store.scoped_to(ALL).get::<People>(person).await.unwrap();
        assert_eq!(kept.fields.last_name, "Demirci");
        assert_eq!(kept.meta.version, 2);
        assert_eq!(db.store.unscoped().history::<People>(person).await.unwrap().len(), 2);

        let edit = CompanyBuilder::new("Demir Çelik A.Ş.").fields();
        let stale = db.store.update::<Companies>(company, 7, &edit, own(&owner), entry("company", company.0)).await;
        assert!(matches!(stale, Err(StoreError::StaleVersion)), "{stale:?}");
        assert_eq!(db.store.scoped_to(ALL).get::<Companies>(company).await.unwrap().fields.name, "Demir Çelik");
        assert_eq!(db.store.unscoped().history::<Companies>(company).await.unwrap().len(), 1);
    }

    async fn keyset_pages_walk_people_in_turkish_name_order_both_ways_and_in_created_order(db) {
        let fx = Fixtures::new(db);
        let owner = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        // Insert in a scrambled order so name order and created order differ.
        let mut inserted = Vec::new();
        for i in 0..TURKISH_ORDER.len() {
            let (first_name, last_name) = TURKISH_ORDER[(i * 7) % TURKISH_ORDER.len()];
            PersonBuilder::new(first_name, last_name).insert(&db.store, own(&owner)).await;
            inserted.push(format!("{first_name} {last_name}"));
        }
        let expected: Vec<String> = TURKISH_ORDER.iter().map(|(f, l)| format!("{f} {l}")).collect();
        let none = PartyFilter::default();
        for limit in [1, 4, 5, 23, 100] {
            let asc = people_names(&db.store, ALL, &none, PartySort::Name, SortDirection::Asc, limit).await;
            assert_eq!(asc, expected, "ascending by name, pages of {limit}");
            let desc = people_names(&db.store, ALL, &none, PartySort::Name, SortDirection::Desc, limit).await;
            let mut reversed = expected.clone();
            reversed.reverse();
            assert_eq!(desc, reversed, "descending by name, pages of {limit}");
        }
        let created = people_names(&db.store, ALL, &none, PartySort::Created, SortDirection::Asc, 4).await;
        assert_eq!(created, inserted, "created order");
        let newest = people_names(&db.store, ALL, &none, PartySort::Created, SortDirection::Desc, 6).await;
        inserted.reverse();
        assert_eq!(newest, inserted, "newest first");
        let updated = people_names(&db.store, ALL, &none, PartySort::Updated, SortDirection::Desc, 5).await;
        assert_eq!(updated.len(), expected.len());
        // Turkish letters get their own place: Cem before Çağlar, ı before i, s before ş.
        let pos = |name: &str| expected.iter().position(|n| n.starts_with(name)).unwrap();
        assert!(pos("Cem") < pos("Çağlar"));
        assert!(pos("Hakan") < pos("Ilgaz") && pos("Işıl") < pos("İpek"));
        assert!(pos("Selin") < pos("Şule") && pos("Uğur") < pos("Ümit"));
    }

    async fn keyset_pages_walk_companies_with_equal_and_look_alike_names_without_gaps_or_duplicates(db) {
        let fx = Fixtures::new(db);
        let owner = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        // Equal sort keys: the id breaks the tie, so no row is skipped or repeated.
        let names = ["Şimşek Ltd", "Simsek Ltd", "Çınar A.Ş.", "Cinar A.S.", "Ilık Su", "İlik Su", "Ilik Su"];
        for round in 0..3 {
            for name in names {
                CompanyBuilder::new(&format!("{name} {round}")).insert(&db.store, own(&owner)).await;
            }
        }
        let mut twins = Vec::new();
        for _ in 0..5 {
            twins.push(CompanyBuilder::new("Aynı Ad Ltd").insert(&db.store, own(&owner)).await);
        }
        for direction in [SortDirection::Asc, SortDirection::Desc] {
            let mut ids = Vec::new();
            let mut page = first(2);
            loop {
                let got = db.store.scoped_to(ALL).list::<Companies>(&search("ayni ad"), PartySort::Name, direction, &page).await.unwrap();
                ids.extend(got.items.iter().map(|c| c.id));
                match got.next_cursor {
                    Some(cursor) => page.after = Some(cursor),
                    None => break,
                }
            }
            let mut expected = twins.clone();
            if direction == SortDirection::Desc {
                expected.reverse();
            }
            assert_eq!(ids, expected, "equal names page by id, {direction:?}");
        }
        let everything = company_names(&db.store, ALL, &PartyFilter::default(), PartySort::Name, SortDirection::Asc, 2).await;
        assert_eq!(everything.len(), 26, "no gaps");
        let all: Vec<String> = everything.iter().filter(|n| *n != "Aynı Ad Ltd").cloned().collect();
        assert_eq!(all.len(), 21);
        let mut unique = all.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 21, "no duplicates");
        let position = |name: &str| all.iter().position(|n| n == name).unwrap();
        assert!(position("Cinar A.S. 2") < position("Çınar A.Ş. 0"));
        assert!(position("Ilık Su 2") < position("İlik Su 0"));
        assert!(position("Simsek Ltd 2") < position("Şimşek Ltd 0"));
        let desc = company_names(&db.store, ALL, &PartyFilter::default(), PartySort::Name, SortDirection::Desc, 3).await;
        let mut reversed = everything.clone();
        reversed.reverse();
        assert_eq!(desc, reversed);
    }

    async fn search_is_turkish_aware_for_names(db) {
        let fx = Fixtures::new(db);
        let owner = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        PersonBuilder::new("Işık", "Çağlar").insert(&db.store, own(&owner)).await;
        PersonBuilder::new("Cem", "Yılmaz").insert(&db.store, own(&owner)).await;
        PersonBuilder::new("Irmak", "Şeker").insert(&db.store, own(&owner)).await;
        let find = |q: &'static str| {
            let store = db.store.clone();
            async move {
                people_names(&store, ALL, &search(q), PartySort::Name, SortDirection::Asc, 50).await
            }
        };
        for q in ["ISIK", "ışık", "Işık", "isik", "IŞIK", "İŞIK", "caglar", "ÇAĞLAR", "çağ", "Işık Çağlar", "isik cag"] {
            assert_eq!(find(q).await, ["Işık Çağlar"], "query {q:?}");
        }
        assert_eq!(find("seker").await, ["Irmak Şeker"]);
        assert_eq!(find("yilmaz cem").await, ["Cem Yılmaz"]);
        assert!(find("işıkçı").await.is_empty());
        assert!(find("cem caglar").await.is_empty(), "every word must match");
        // A query with no letters or digits does not filter.
        assert_eq!(find("  -- ").await.len(), 3);
    }

    async fn lists_sort_by_city_and_by_company_name_page_by_page_both_ways(db) {
        let fx = Fixtures::new(db);
        let owner = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let other = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let zeytin = CompanyBuilder::new("Zeytin A.Ş.").insert(&db.store, own(&owner)).await;
        let celik = CompanyBuilder::new("Çelik Ltd.").insert(&db.store, own(&owner)).await;
        let akin = CompanyBuilder::new("Akın Gıda").insert(&db.store, own(&owner)).await;
        for (first, city, company, who) in [
            ("Ali", "İzmir", Some(zeytin), &owner),
            ("Banu", "Adana", None, &owner),
            ("Can", "Çorum", Some(celik), &owner),
            ("Derya", "Bursa", Some(akin), &owner),
            ("Ece", "izmir", None, &other),
            ("Fatma", "", Some(akin), &owner),
        ] {
            let mut person = PersonBuilder::new(first, "Kaya").city(city);
            if let Some(company) = company {
                person = person.company(company);
            }
            person.insert(&db.store, own(who)).await;
        }
        let all = PartyFilter::default();
        let first_names = |names: Vec<String>| names.into_iter().map(|n| n.replace(" Kaya", "")).collect::<Vec<_>>();
        for limit in [1, 2, 50] {
            let by_city = people_names(&db.store, ALL, &all, PartySort::City, SortDirection::Asc, limit).await;
            assert_eq!(first_names(by_city), ["Fatma", "Banu", "Derya", "Can", "Ali", "Ece"], "pages of {limit}");
            let back = people_names(&db.store, ALL, &all, PartySort::City, SortDirection::Desc, limit).await;
            assert_eq!(first_names(back), ["Ece", "Ali", "Can", "Derya", "Banu", "Fatma"], "pages of {limit}");
            let by_company = people_names(&db.store, ALL, &all, PartySort::Company, SortDirection::Asc, limit).await;
            assert_eq!(first_names(by_company), ["Banu", "Ece", "Derya", "Fatma", "Can", "Ali"], "pages of {limit}");
        }
        let mine = people_names(&db.store, Visibility::Owner(owner.id), &all, PartySort::City, SortDirection::Asc, 2).await;
        assert_eq!(first_names(mine), ["Fatma", "Banu", "Derya", "Can", "Ali"], "within the scope");
        let searched = people_names(&db.store, ALL, &search("kaya"), PartySort::City, SortDirection::Asc, 2).await;
        assert_eq!(first_names(searched), ["Fatma", "Banu", "Derya", "Can", "Ali", "Ece"], "with a search");
        let by_city = company_names(&db.store, ALL, &all, PartySort::City, SortDirection::Asc, 1).await;
        assert_eq!(by_city.len(), 3, "companies sort on their city too");
    }

    async fn a_search_by_name_lists_exact_names_first_and_walks_every_match_once(db) {
        let fx = Fixtures::new(db);
        let owner = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let other = fx.user("rep-b", Role::SalesRep, Some("Güney")).await;
        for (first, last) in [("Ayşe Nur", "Yılmaz"), ("Ayşegül", "Yılmaz"), ("Ayşe", "Yılmazer"), ("Ayşe", "Yılmaz"), ("Ali", "Ayşe Yılmaz")] {
            PersonBuilder::new(first, last).insert(&db.store, own(&owner)).await;
        }
        PersonBuilder::new("Ayşe", "Yılmaz").insert(&db.store, own(&other)).await;
        let expected = ["Ayşe Yılmaz", "Ali Ayşe Yılmaz", "Ayşe Nur Yılmaz", "Ayşe Yılmazer", "Ayşegül Yılmaz"];
        for limit in [2, 3, 50] {
            let found = people_names(&db.store, Visibility::Owner(owner.id), &search("ayse yilmaz"), PartySort::Name, SortDirection::Asc, limit).await;
            assert_eq!(found, expected, "pages of {limit}");
        }
        let found = people_names(&db.store, Visibility::Owner(owner.id), &search("AYŞE  YILMAZ"), PartySort::Name, SortDirection::Asc, 50).await;
        assert_eq!(found[0], "Ayşe Yılmaz", "the exact name is found however it is typed");
        // Two exact names, both visible: they lead the first page together.
        let everyone = people_names(&db.store, ALL, &search("ayse yilmaz"), PartySort::Name, SortDirection::Asc, 3).await;
        assert_eq!(everyone[..2], ["Ayşe Yılmaz", "Ayşe Yılmaz"]);
        assert_eq!(everyone.len(), 6);
        // A block as large as a page stays in name order; other orders are not ranked.
        let plain = people_names(&db.store, ALL, &search("ayse yilmaz"), PartySort::Name, SortDirection::Asc, 2).await;
        assert_eq!(plain.len(), 6);
        assert_eq!(plain.iter().filter(|n| *n == "Ayşe Yılmaz").count(), 2, "{plain:?}");
        let backwards = people_names(&db.store, Visibility::Owner(owner.id), &search("ayse yilmaz"), PartySort::Name, SortDirection::Desc, 50).await;
        assert_eq!(backwards[0], "Ayşegül Yılmaz");
        let count = db.store.scoped_to(Visibility::Owner(owner.id)).count::<People>(&search("ayse yilmaz"), 100).await.unwrap();
        assert_eq!(count, 5);
    }

    async fn people_are_found_through_their_company_name_also_after_a_rename(db) {
        let fx = Fixtures::new(db);
        let owner = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let company = CompanyBuilder::new("İstanbul Lojistik A.Ş.")
            .phone("0216 444 00 00")
            .insert(&db.store, own(&owner))
            .await;
        PersonBuilder::new("Işık", "Çağlar").company(company).insert(&db.store, own(&owner)).await;
        PersonBuilder::new("Cem", "Yılmaz").insert(&db.store, own(&owner)).await;
        for q in ["istanbul", "İstanbul", "ISTANBUL", "İSTANBUL", "lojistik", "istanbul lojistik", "ışık istanbul"] {
            assert_eq!(
                people_names(&db.store, ALL, &search(q), PartySort::Name, SortDirection::Asc, 50).await,
                ["Işık Çağlar"],
                "query {q:?}"
            );
        }
        // The company's own phone is the company's, not the person's.
        assert!(people_names(&db.store, ALL, &search("0216 444"), PartySort::Name, SortDirection::Asc, 50).await.is_empty());
        assert_eq!(
            company_names(&db.store, ALL, &search("istanbul"), PartySort::Name, SortDirection::Asc, 50).await,
            ["İstanbul Lojistik A.Ş."]
        );

        let renamed = CompanyBuilder::new("Ankara Nakliyat").fields();
        let entry = AuditEntry {
            actor: Some(owner.id),
            record_type: "company",
            record_id: company.0,
            action: "updated",
            changes: Vec::new(),
        };
        db.store.update::<Companies>(company, 1, &renamed, own(&owner), entry).await.unwrap();
        assert_eq!(
            people_names(&db.store, ALL, &search("nakliyat"), PartySort::Name, SortDirection::Asc, 50).await,
            ["Işık Çağlar"]
        );
        assert!(people_names(&db.store, ALL, &search("istanbul"), PartySort::Name, SortDirection::Asc, 50).await.is_empty());
        let person = db.store.scoped_to(ALL).list::<People>(&search("ışık"), PartySort::Name, SortDirection::Asc, &first(5)).await.unwrap();
        assert_eq!(person.items[0].company_name.as_deref(), Some("Ankara Nakliyat"));
    }

    async fn people_and_companies_are_found_by_email_phone_and_tax_number(db) {
        let fx = Fixtures::new(db);
        let owner = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        PersonBuilder::new("Işık", "Çağlar")
            .email("isik.caglar@anadolu.com.tr")
            .phone("0532 123 45 67")
            .insert(&db.store, own(&owner))
            .await;
        PersonBuilder::new("Cem", "Yılmaz")
            .email("cem@ornek.com")
            .phone("0212 555 12 12")
            .insert(&db.store, own(&owner))
            .await;
        for q in [
            "isik.caglar@anadolu.com.tr",
            "isik.caglar@anadolu",
            "anadolu.com",
            "0532 123",
            "0532 123 45 67",
            "05321234567",
            "+90532",
            "+90 532 123 45 67",
            "+905321234567",
            "5321234567",
            "532 123",
            "(0532) 123-45-67",
        ] {
            assert_eq!(
                people_names(&db.store, ALL, &search(q), PartySort::Name, SortDirection::Asc, 50).await,
                ["Işık Çağlar"],
                "query {q:?}"
            );
        }
        assert_eq!(
            people_names(&db.store, ALL, &search("0212 555"), PartySort::Name, SortDirection::Asc, 50).await,
            ["Cem Yılmaz"]
        );
        assert!(people_names(&db.store, ALL, &search("0533"), PartySort::Name, SortDirection::Asc, 50).await.is_empty());

        CompanyBuilder::new("Anadolu Gıda")
            .tax_number("4540536920")
            .email("info@anadolugida.com.tr")
            .phone("0312 444 12 34")
            .insert(&db.store, own(&owner))
            .await;
        CompanyBuilder::new("Ege Tekstil").insert(&db.store, own(&owner)).await;
        for q in ["4540536920", "454 053", "anadolugida", "0312 444", "+903124441234", "GIDA", "gida"] {
            assert_eq!(
                company_names(&db.store, ALL, &search(q), PartySort::Name, SortDirection::Asc, 50).await,
                ["Anadolu Gıda"],
                "query {q:?}"
            );
        }
    }

    async fn filters_narrow_lists_and_counts(db) {
        let fx = Fixtures::new(db);
        let north_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let north_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let south = fx.user("rep-c", Role::SalesRep, Some("Güney")).await;
        let acme = CompanyBuilder::new("Acme").city("İzmir").tag("vip").insert(&db.store, own(&north_a)).await;
        let other = CompanyBuilder::new("Beta").city("Ankara").insert(&db.store, own(&south)).await;
        let p1 = PersonBuilder::new("Ayşe", "Kaya").city("İstanbul").tag("vip").stage(LifecycleStage::Customer)
            .company(acme).insert(&db.store, own(&north_a)).await;
        let p2 = PersonBuilder::new("Burak", "Şen").city("ISTANBUL").stage(LifecycleStage::Lead)
            .insert(&db.store, own(&north_b)).await;
        let p3 = PersonBuilder::new("Ceren", "Öz").city("Ankara").tag("vip").tag("bayi").stage(LifecycleStage::Customer)
            .company(other).insert(&db.store, own(&south)).await;
        let p4 = PersonBuilder::new("Derya", "Su").city("istanbul").insert(&db.store, own(&south)).await;

        let times: Vec<i64> = {
            let mut t = Vec::new();
            for id in [p1, p2, p3, p4] {
                t.push(db.store.scoped_to(ALL).get::<People>(id).await.unwrap().meta.created_at.as_microsecond());
            }
            t
        };
        let check = |filter: PartyFilter, expected: &'static [&'static str]| {
            let store = db.store.clone();
            async move {
                let names = people_names(&store, ALL, &filter, PartySort::Name, SortDirection::Asc, 2).await;
                assert_eq!(names, expected, "{filter:?}");
                assert_eq!(store.scoped_to(ALL).count::<People>(&filter, 100).await.unwrap(), expected.len() as i64, "{filter:?}");
            }
        };
        check(PartyFilter { owner: Some(north_a.id), ..Default::default() }, &["Ayşe Kaya"]).await;
        check(PartyFilter { team: north_a.team_id, ..Default::default() }, &["Ayşe Kaya", "Burak Şen"]).await;
        check(PartyFilter { team: south.team_id, ..Default::default() }, &["Ceren Öz", "Derya Su"]).await;
        check(PartyFilter { lifecycle_stage: Some(LifecycleStage::Customer), ..Default::default() }, &["Ayşe Kaya", "Ceren Öz"]).await;
        check(PartyFilter { lifecycle_stage: Some(LifecycleStage::Churned), ..Default::default() }, &[]).await;
        check(PartyFilter { tag: Some("vip".into()), ..Default::default() }, &["Ayşe Kaya", "Ceren Öz"]).await;
        check(PartyFilter { tag: Some("Bayi".into()), ..Default::default() }, &["Ceren Öz"]).await;
        check(PartyFilter { tag: Some("BAYİ".into()), ..Default::default() }, &["Ceren Öz"]).await;
        check(PartyFilter { city: Some("İstanbul".into()), ..Default::default() }, &["Ayşe Kaya", "Burak Şen", "Derya Su"]).await;
        check(PartyFilter { city: Some("ankara".into()), ..Default::default() }, &["Ceren Öz"]).await;
        check(PartyFilter { company: Some(acme), ..Default::default() }, &["Ayşe Kaya"]).await;
        check(PartyFilter { created_from: Some(times[1]), created_to: Some(times[3]), ..Default::default() }, &["Burak Şen", "Ceren Öz"]).await;
        check(PartyFilter { created_from: Some(times[3]), ..Default::default() }, &["Derya Su"]).await;
        check(PartyFilter { created_to: Some(times[0]), ..Default::default() }, &[]).await;
        check(
            PartyFilter { city: Some("istanbul".into()), team: north_a.team_id, q: Some("burak".into()), ..Default::default() },
            &["Burak Şen"],
        )
        .await;
        // The count stops at its cap.
        assert_eq!(db.store.scoped_to(ALL).count::<People>(&PartyFilter::default(), 3).await.unwrap(), 3);

        let companies = |filter: PartyFilter| {
            let store = db.store.clone();
            async move { company_names(&store, ALL, &filter, PartySort::Name, SortDirection::Asc, 10).await }
        };
        assert_eq!(companies(PartyFilter { city: Some("IZMIR".into()), ..Default::default() }).await, ["Acme"]);
        assert_eq!(companies(PartyFilter { tag: Some("VİP".into()), ..Default::default() }).await, ["Acme"]);
        assert_eq!(companies(PartyFilter { owner: Some(south.id), ..Default::default() }).await, ["Beta"]);
        assert_eq!(db.store.scoped_to(ALL).count::<Companies>(&PartyFilter::default(), 100).await.unwrap(), 2);
    }

    async fn the_scope_filter_narrows_every_read_to_the_visibility(db) {
        let fx = Fixtures::new(db);
        let a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let c = fx.user("rep-c", Role::SalesRep, Some("Güney")).await;
        let pa = PersonBuilder::new("Ali", "Kaya").insert(&db.store, own(&a)).await;
        let pb = PersonBuilder::new("Banu", "Kaya").insert(&db.store, own(&b)).await;
        let pc = PersonBuilder::new("Cenk", "Kaya").insert(&db.store, own(&c)).await;
        let ca = CompanyBuilder::new("Kaya A").insert(&db.store, own(&a)).await;
        let cc = CompanyBuilder::new("Kaya C").insert(&db.store, own(&c)).await;

        let only_a = Visibility::Owner(a.id);
        let north = Visibility::Team(a.team_id.unwrap());
        assert!(db.store.scoped_to(only_a).get::<People>(pa).await.is_ok());
        assert!(matches!(db.store.scoped_to(only_a).get::<People>(pb).await, Err(StoreError::NotFound)));
        assert!(matches!(db.store.scoped_to(north).get::<People>(pc).await, Err(StoreError::NotFound)));
        assert!(db.store.scoped_to(north).get::<People>(pb).await.is_ok());
        assert!(matches!(db.store.scoped_to(only_a).get::<Companies>(cc).await, Err(StoreError::NotFound)));
        assert!(db.store.scoped_to(north).get::<Companies>(ca).await.is_ok());

        let kaya = search("kaya");
        assert_eq!(people_names(&db.store, only_a, &kaya, PartySort::Name, SortDirection::Asc, 10).await, ["Ali Kaya"]);
        assert_eq!(people_names(&db.store, north, &kaya, PartySort::Name, SortDirection::Asc, 10).await, ["Ali Kaya", "Banu Kaya"]);
        assert_eq!(people_names(&db.store, ALL, &kaya, PartySort::Name, SortDirection::Asc, 10).await.len(), 3);
        assert_eq!(db.store.scoped_to(only_a).count::<People>(&PartyFilter::default(), 100).await.unwrap(), 1);
        assert_eq!(db.store.scoped_to(north).count::<People>(&kaya, 100).await.unwrap(), 2);
        assert_eq!(company_names(&db.store, north, &PartyFilter::default(), PartySort::Name, SortDirection::Asc, 10).await, ["Kaya A"]);
        // An explicit owner filter cannot widen the scope.
        let of_c = PartyFilter { owner: Some(c.id), ..Default::default() };
        assert!(people_names(&db.store, north, &of_c, PartySort::Name, SortDirection::Asc, 10).await.is_empty());

        let mut visible = db.store.scoped_to(north).visible::<People>(&[pa, pb, pc]).await.unwrap();
        visible.sort();
        assert_eq!(visible, [pa, pb]);
        assert_eq!(db.store.scoped_to(only_a).visible::<Companies>(&[ca, cc]).await.unwrap(), [ca]);
        assert!(db.store.scoped_to(ALL).visible::<People>(&[]).await.unwrap().is_empty());
        assert_eq!(company_names(&db.store, only_a, &search("kay"), PartySort::Name, SortDirection::Asc, 10).await, ["Kaya A"]);
    }

    async fn soft_delete_hides_a_record_and_restore_brings_it_back(db) {
        let fx = Fixtures::new(db);
        let owner = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let company = CompanyBuilder::new("Silinecek A.Ş.").tax_number("4540536920").insert(&db.store, own(&owner)).await;
        let person = PersonBuilder::new("Işık", "Çağlar").company(company).insert(&db.store, own(&owner)).await;
        let entry = |record_type, record_id, action| AuditEntry {
            actor: Some(owner.id),
            record_type,
            record_id,
            action,
            changes: Vec::new(),
        };
        db.store.set_deleted::<People>(person, true, entry("person", person.0, "deleted")).await.unwrap();
        db.store.set_deleted::<Companies>(company, true, entry("company", company.0, "deleted")).await.unwrap();

        assert!(matches!(db.store.scoped_to(ALL).get::<People>(person).await, Err(StoreError::NotFound)));
        assert!(matches!(db.store.scoped_to(ALL).get::<Companies>(company).await, Err(StoreError::NotFound)));
        assert!(people_names(&db.store, ALL, &PartyFilter::default(), PartySort::Name, SortDirection::Asc, 10).await.is_empty());
        assert!(people_names(&db.store, ALL, &search("ışık"), PartySort::Name, SortDirection::Asc, 10).await.is_empty());
        assert!(company_names(&db.store, ALL, &PartyFilter::default(), PartySort::Name, SortDirection::Asc, 10).await.is_empty());
        assert_eq!(db.store.scoped_to(ALL).count::<People>(&PartyFilter::default(), 10).await.unwrap(), 0);
        assert!(db.store.scoped_to(ALL).visible::<People>(&[person]).await.unwrap().is_empty());
        assert!(company_names(&db.store, ALL, &search("silinecek"), PartySort::Name, SortDirection::Asc, 10).await.is_empty());

        // The trash lists them, and a read that asks for deleted records finds them.
        let trash = PartyFilter { deleted: true, ..Default::default() };
        assert_eq!(people_names(&db.store, ALL, &trash, PartySort::Name, SortDirection::Asc, 10).await, ["Işık Çağlar"]);
        assert_eq!(company_names(&db.store, ALL, &trash, PartySort::Name, SortDirection::Asc, 10).await, ["Silinecek A.Ş."]);
        let deleted = db.store.scoped_to(ALL).get_including_deleted::<People>(person).await.unwrap();
        assert!(deleted.meta.deleted_at.is_some());
        assert_eq!(deleted.meta.version, 2);
        // A deleted record cannot be deleted again or edited.
        let again = db.store.set_deleted::<People>(person, true, entry("person", person.0, "deleted")).await;
        assert!(matches!(again, Err(StoreError::NotFound)), "{again:?}");
        let edit = db.store.update::<People>(person, 2, &PersonBuilder::new("X", "Y").fields(), own(&owner), entry("person", person.0, "updated")).await;
        assert!(edit.is_err());

        db.store.set_deleted::<People>(person, false, entry("person", person.0, "restored")).await.unwrap();
        db.store.set_deleted::<Companies>(company, false, entry("company", company.0, "restored")).await.unwrap();
        let back = db.store.scoped_to(ALL).get::<People>(person).await.unwrap();
        assert_eq!(back.meta.deleted_at, None);
        assert_eq!(back.meta.version, 3);
        assert_eq!(people_names(&db.store, ALL, &search("ışık"), PartySort::Name, SortDirection::Asc, 10).await, ["Işık Çağlar"]);
        assert_eq!(company_names(&db.store, ALL, &search("silinecek"), PartySort::Name, SortDirection::Asc, 10).await, ["Silinecek A.Ş."]);
        let restore_again = db.store.set_deleted::<People>(person, false, entry("person", person.0, "restored")).await;
        assert!(matches!(restore_again, Err(StoreError::NotFound)));
        let actions: Vec<String> = db.store.unscoped().history::<People>(person).await.unwrap().into_iter().map(|e| e.action).collect();
        assert_eq!(actions, ["restored", "deleted", "created"]);
    }

    async fn a_taken_tax_number_is_a_named_unique_violation(db) {
        let fx = Fixtures::new(db);
        let owner = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let first_company = CompanyBuilder::new("Birinci").tax_number("4540536920").insert(&db.store, own(&owner)).await;
        let entry = AuditEntry {
            actor: Some(owner.id),
            record_type: "company",
            record_id: 0,
            action: "created",
            changes: Vec::new(),
        };
        let taken = CompanyBuilder::new("İkinci").tax_number("454 053 69 20").fields();
        match db.store.insert::<Companies>(&taken, own(&owner), entry.clone()).await {
            Err(StoreError::Unique(name)) => assert_eq!(name, "companies_tax_number_key"),
            other => panic!("expected the named unique violation, got {other:?}"),
        }
        // The refused insert left nothing behind, not even its audit entry.
        assert_eq!(db.store.scoped_to(ALL).count::<Companies>(&PartyFilter::default(), 10).await.unwrap(), 1);
        assert_eq!(db.store.audit_log(&AuditFilter { record_type: Some("company".into()), limit: 10, ..Default::default() }).await.unwrap().len(), 1);

        let second = CompanyBuilder::new("İkinci").tax_number("3250536363").insert(&db.store, own(&owner)).await;
        let update = db.store.update::<Companies>(second, 1, &taken, own(&owner), AuditEntry { record_id: second.0, ..entry.clone() }).await;
        assert!(matches!(&update, Err(StoreError::Unique(name)) if name == "companies_tax_number_key"), "{update:?}");
        // Companies without a tax number do not collide.
        CompanyBuilder::new("Üçüncü").insert(&db.store, own(&owner)).await;
        CompanyBuilder::new("Dördüncü").insert(&db.store, own(&owner)).await;
        assert!(db.store.scoped_to(ALL).get::<Companies>(first_company).await.is_ok());
    }

    async fn users_and_teams_round_trip_with_named_unique_violations(db) {
        let team = db.store.create_team(" Kuzey Bölgesi ").await.unwrap();
        assert_eq!(team.name, "Kuzey Bölgesi");
        let duplicate = db.store.create_team("Kuzey Bölgesi").await;
        assert!(matches!(&duplicate, Err(StoreError::Unique(n)) if n == "teams_name_key"), "{duplicate:?}");
        let new = NewUser {
            email: "ayse.kaya@rehber.test".into(),
            name: "Ayşe Kaya".into(),
            role: Role::SalesManager,
            team_id: Some(team.id),
            password_hash: Some("$argon2id$hash".into()),
            locale: Some("tr".into()),
        };
        let user = db.store.create_user(&new).await.unwrap();
        assert_eq!(user.email, "ayse.kaya@rehber.test");
        assert_eq!(user.name, "Ayşe Kaya");
        assert_eq!(user.role, Role::SalesManager);
        assert_eq!(user.team_id, Some(team.id));
        assert_eq!(user.team_name.as_deref(), Some("Kuzey Bölgesi"));
        assert_eq!(user.locale.as_deref(), Some("tr"));
        assert!(user.active);
        let duplicate = db.store.create_user(&new).await;
        assert!(matches!(&duplicate, Err(StoreError::Unique(n)) if n == "users_email_key"), "{duplicate:?}");

        let (found, hash) = db.store.find_user_by_email(" AYSE.KAYA@rehber.test ").await.unwrap().unwrap();
        assert_eq!(found, user);
        assert_eq!(hash.as_deref(), Some("$argon2id$hash"));
        assert!(db.store.find_user_by_email("yok@rehber.test").await.unwrap().is_none());
        assert!(matches!(db.store.get_user(UserId(9999)).await, Err(StoreError::NotFound)));

        let updated = db.store.update_user(user.id, "Ayşe Kaya Yılmaz", Role::SalesRep, None, false).await.unwrap();
        assert_eq!(updated.role, Role::SalesRep);
        assert_eq!(updated.team_id, None);
        assert!(!updated.active);
        assert!(matches!(db.store.update_user(UserId(9999), "x", Role::ReadOnly, None, true).await, Err(StoreError::NotFound)));
        db.store.set_user_locale(user.id, Some("en")).await.unwrap();
        assert_eq!(db.store.get_user(user.id).await.unwrap().locale.as_deref(), Some("en"));
        db.store.set_password_hash(user.id, "$argon2id$new").await.unwrap();
        assert_eq!(db.store.password_hash(user.id).await.unwrap().as_deref(), Some("$argon2id$new"));

        let south = db.store.create_team("Güney").await.unwrap();
        db.store.update_user(user.id, "Ayşe", Role::SalesRep, Some(south.id), true).await.unwrap();
        let teams = db.store.list_teams().await.unwrap();
        let members: Vec<(String, i64)> = teams.iter().map(|t| (t.name.clone(), t.members)).collect();
        assert_eq!(members, [("Güney".to_string(), 1), ("Kuzey Bölgesi".to_string(), 0)]);
        assert_eq!(db.store.get_team(south.id).await.unwrap().name, "Güney");
        assert!(matches!(db.store.get_team(TeamId(9999)).await, Err(StoreError::NotFound)));
        assert_eq!(db.store.find_team_by_name("Güney").await.unwrap().map(|t| t.id), Some(south.id));
        assert_eq!(db.store.count_users().await.unwrap(), 1);
        assert_eq!(db.store.list_users().await.unwrap().len(), 1);
    }

    async fn the_audit_log_is_append_only_on_the_database_itself(db) {
        let fx = Fixtures::new(db);
        let owner = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let person = PersonBuilder::new("Işık", "Çağlar").insert(&db.store, own(&owner)).await;
        db.store
            .append_audit(&AuditEntry {
                actor: Some(owner.id),
                record_type: "person",
                record_id: person.0,
                action: "updated",
                changes: vec![AuditChange { field: "city".into(), from: "".into(), to: "İzmir".into() }],
            })
            .await
            .unwrap();
        let before = db.store.audit_log(&AuditFilter { limit: 100, ..Default::default() }).await.unwrap();
        assert!(before.len() >= 2);

        let update = raw(&db.store, "UPDATE audit_events SET action = 'forged'").await;
        assert!(update.is_err(), "UPDATE on the audit log must fail, got {update:?}");
        let one = raw(&db.store, "UPDATE audit_events SET changes = '[]' WHERE action = 'updated'").await;
        assert!(one.is_err(), "{one:?}");
        let delete = raw(&db.store, "DELETE FROM audit_events").await;
        assert!(delete.is_err(), "DELETE on the audit log must fail, got {delete:?}");
        let message = delete.unwrap_err().to_string();
        assert!(message.contains("append-only"), "{message}");
        const COLUMNS: &str = "id, at, actor_id, record_type, record_id, action, changes";
        let rewrites: Vec<String> = match db.backend() {
            Backend::Sqlite => vec![
                format!("REPLACE INTO audit_events ({COLUMNS}) SELECT id, at, actor_id, record_type, record_id, 'forged', changes FROM audit_events"),
                format!("INSERT OR REPLACE INTO audit_events ({COLUMNS}) SELECT id, at, actor_id, record_type, record_id, 'forged', '[]' FROM audit_events"),
                format!("INSERT INTO audit_events ({COLUMNS}) SELECT id, at, actor_id, record_type, record_id, 'forged', changes FROM audit_events WHERE true ON CONFLICT (id) DO UPDATE SET action = 'forged'"),
            ],
            Backend::Postgres => vec![
                "TRUNCATE audit_events".to_string(),
                "TRUNCATE audit_events RESTART IDENTITY CASCADE".to_string(),
                format!("INSERT INTO audit_events ({COLUMNS}) SELECT id, at, actor_id, record_type, record_id, 'forged', changes FROM audit_events ON CONFLICT (id) DO UPDATE SET action = 'forged'"),
            ],
        };
        for sql in rewrites {
            let outcome = raw(&db.store, sql.clone()).await;
            let message = outcome.expect_err(&sql).to_string();
            assert!(message.contains("append-only"), "{sql}: {message}");
        }

        let after = db.store.audit_log(&AuditFilter { limit: 100, ..Default::default() }).await.unwrap();
        assert_eq!(after, before);
        let history = db.store.unscoped().history::<People>(person).await.unwrap();
        assert_eq!(history[0].changes, [AuditChange { field: "city".into(), from: "".into(), to: "İzmir".into() }]);

        // Filters and keyset paging of the administrators' view.
        let mine = db.store.audit_log(&AuditFilter { actor: Some(owner.id), limit: 100, ..Default::default() }).await.unwrap();
        assert!(mine.iter().all(|e| e.actor_id == Some(owner.id)) && !mine.is_empty());
        let people = db.store.audit_log(&AuditFilter { record_type: Some("person".into()), limit: 1, ..Default::default() }).await.unwrap();
        assert_eq!(people.len(), 1);
        assert_eq!(people[0].action, "updated");
        let older = db.store.audit_log(&AuditFilter { record_type: Some("person".into()), before_id: Some(people[0].id), limit: 10, ..Default::default() }).await.unwrap();
        assert_eq!(older.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["created"]);
    }

    async fn sessions_round_trip_slide_and_expire(db) {
        let fx = Fixtures::new(db);
        let user = fx.user("rep-a", Role::SalesRep, None).await;
        let other = fx.user("rep-b", Role::SalesRep, None).await;
        let now = now_micros();
        let hour = 3_600_000_000;
        let session = SessionRow {
            id: "hash-1".into(),
            user_id: user.id.0,
            csrf_token: "csrf-1".into(),
            created_at: now,
            expires_at: now + hour,
        };
        db.store.insert_session(&session).await.unwrap();
        db.store.insert_session(&SessionRow { id: "hash-2".into(), ..session.clone() }).await.unwrap();
        db.store.insert_session(&SessionRow { id: "hash-3".into(), user_id: other.id.0, ..session.clone() }).await.unwrap();
        db.store.insert_session(&SessionRow { id: "old".into(), expires_at: now - 1, ..session.clone() }).await.unwrap();

        let live = db.store.find_session_user("hash-1", now).await.unwrap().expect("a live session");
        assert_eq!((live.user, live.csrf_token, live.expires_at), (user.clone(), session.csrf_token.clone(), session.expires_at));
        assert_eq!(db.store.find_session_user("hash-1", now + hour).await.unwrap(), None, "expired at its end");
        assert_eq!(db.store.find_session_user("old", now).await.unwrap(), None);
        assert_eq!(db.store.find_session_user("nope", now).await.unwrap(), None);
        db.store.touch_session("hash-1", now + 2 * hour).await.unwrap();
        assert_eq!(db.store.find_session_user("hash-1", now + hour).await.unwrap().map(|s| s.expires_at), Some(now + 2 * hour));

        db.store.delete_session("hash-1").await.unwrap();
        assert_eq!(db.store.find_session_user("hash-1", now).await.unwrap(), None);
        db.store.delete_user_sessions(user.id).await.unwrap();
        assert_eq!(db.store.find_session_user("hash-2", now).await.unwrap(), None);
        assert!(db.store.find_session_user("hash-3", now).await.unwrap().is_some());
        // A new password ends every session of its user.
        db.store.set_password_hash(other.id, "$argon2id$x").await.unwrap();
        assert_eq!(db.store.find_session_user("hash-3", now).await.unwrap(), None);

        db.store.purge_expired(now, now).await.unwrap();
        let remaining = raw_count(&db.store, "SELECT COUNT(*) FROM sessions").await;
        assert_eq!(remaining, 0);
    }

    async fn sign_in_failures_are_counted_per_account_since_its_last_success_and_per_address(db) {
        let now = now_micros();
        let minute = 60_000_000;
        let second = 1_000_000;
        db.store.record_login_attempt("ayse@rehber.test", "10.0.0.2", false, now - 20 * minute).await.unwrap();
        db.store.record_login_attempt("ayse@rehber.test", "10.0.0.2", true, now - 10 * minute).await.unwrap();
        for i in 0..3 {
            db.store.record_login_attempt("ayse@rehber.test", "10.0.0.1", false, now - 3 * second + i * second).await.unwrap();
        }
        db.store.record_login_attempt("cem@rehber.test", "10.0.0.1", false, now).await.unwrap();
        // An account counts its failures since its last success; an address counts them all.
        assert_eq!(db.store.account_failures("ayse@rehber.test", now - 30 * minute).await.unwrap(), (3, Some(now - second)));
        assert_eq!(db.store.account_failures("ayse@rehber.test", now - 2 * second).await.unwrap(), (2, Some(now - second)));
        assert_eq!(db.store.account_failures("yok@rehber.test", now - 30 * minute).await.unwrap(), (0, None));
        assert_eq!(db.store.client_failures("10.0.0.1", now - 15 * minute).await.unwrap(), 4);
        assert_eq!(db.store.client_failures("10.0.0.2", now - 30 * minute).await.unwrap(), 1);
        assert_eq!(db.store.client_failures("10.0.0.2", now - 15 * minute).await.unwrap(), 0);
        db.store.purge_expired(now, now - 15 * minute).await.unwrap();
        assert_eq!(db.store.client_failures("10.0.0.2", 0).await.unwrap(), 0, "old attempts are purged");
        assert_eq!(db.store.client_failures("10.0.0.1", 0).await.unwrap(), 4);
    }

    async fn api_tokens_round_trip_are_marked_used_and_revoked(db) {
        let fx = Fixtures::new(db);
        let user = fx.user("rep-a", Role::SalesRep, None).await;
        let other = fx.user("rep-b", Role::SalesRep, None).await;
        let row = db.store.insert_api_token(user.id, "Entegrasyon", "hash-a", "rhb_abcdef").await.unwrap();
        assert_eq!(row.user_id, user.id.0);
        assert_eq!(row.name, "Entegrasyon");
        assert_eq!(row.prefix, "rhb_abcdef");
        assert_eq!(row.last_used_at, None);
        assert_eq!(row.revoked_at, None);
        let duplicate = db.store.insert_api_token(other.id, "x", "hash-a", "rhb_x").await;
        assert!(matches!(&duplicate, Err(StoreError::Unique(n)) if n == "api_tokens_hash_key"), "{duplicate:?}");

        assert_eq!(db.store.use_api_token("hash-a").await.unwrap().map(|u| u.id), Some(user.id));
        assert!(db.store.use_api_token("hash-unknown").await.unwrap().is_none());
        let listed = db.store.list_api_tokens(user.id).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert!(listed[0].last_used_at.is_some());
        assert!(db.store.list_api_tokens(other.id).await.unwrap().is_empty());

        // Another user's token is "not found" to them.
        assert!(matches!(db.store.revoke_api_token(other.id, row.id).await, Err(StoreError::NotFound)));
        assert_eq!(db.store.use_api_token("hash-a").await.unwrap().map(|u| u.id), Some(user.id));
        db.store.revoke_api_token(user.id, row.id).await.unwrap();
        assert!(db.store.use_api_token("hash-a").await.unwrap().is_none());
        assert!(matches!(db.store.revoke_api_token(user.id, row.id).await, Err(StoreError::NotFound)));
        assert!(db.store.list_api_tokens(user.id).await.unwrap()[0].revoked_at.is_some());
    }

    async fn a_person_cannot_point_at_a_company_that_does_not_exist(db) {
        let fx = Fixtures::new(db);
        let owner = fx.user("rep-a", Role::SalesRep, None).await;
        let fields = PersonBuilder::new("Ali", "Veli").company(rehber_domain::CompanyId(424242)).fields();
        let entry = AuditEntry {
            actor: Some(owner.id),
            record_type: "person",
            record_id: 0,
            action: "created",
            changes: Vec::new(),
        };
        let result = db.store.insert::<People>(&fields, own(&owner), entry).await;
        assert!(matches!(result, Err(StoreError::ForeignKey)), "{result:?}");
        assert_eq!(db.store.scoped_to(ALL).count::<People>(&PartyFilter::default(), 10).await.unwrap(), 0);
    }
}

async fn raw_count(store: &Store, sql: &'static str) -> i64 {
    match store {
        Store::Sqlite(db) => sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap(),
        Store::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
    }
}

/// The test kit makes what it says: a database of the asked engine, dropped by cleanup.
#[tokio::test]
async fn the_test_kit_gives_each_test_its_own_database_of_the_asked_engine() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let a = TestDb::new(backend).await;
        let b = TestDb::new(backend).await;
        assert_eq!(a.backend(), backend);
        let fx = Fixtures::new(&a);
        fx.user("only-in-a", Role::ReadOnly, None).await;
        assert_eq!(a.store.count_users().await.unwrap(), 1);
        assert_eq!(b.store.count_users().await.unwrap(), 0);
        a.cleanup().await;
        b.cleanup().await;
    }
}

both_backends! {
    /// Several writers at once (as under a web server) wait for each other instead of failing
    /// with "database is locked".
    async fn concurrent_writers_all_succeed(db) {
        let fx = Fixtures::new(db);
        let owner = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let company = CompanyBuilder::new("Ortak Şirket").insert(&db.store, own(&owner)).await;
        let mut ids = Vec::new();
        for i in 0..6 {
            ids.push(PersonBuilder::new(&format!("Kişi{i}"), "Ortak").company(company).insert(&db.store, own(&owner)).await);
        }
        let mut tasks = tokio::task::JoinSet::new();
        for (n, id) in ids.iter().copied().enumerate() {
            let store = db.store.clone();
            let ownership = own(&owner);
            tasks.spawn(async move {
                for version in 1..=4 {
                    let fields = PersonBuilder::new(&format!("Kişi{n}"), &format!("Ortak{version}")).company(company).fields();
                    let entry = AuditEntry { actor: ownership.owner_id, record_type: "person", record_id: id.0, action: "updated", changes: Vec::new() };
                    store.update::<People>(id, version, &fields, ownership, entry).await?;
                    let fields = PersonBuilder::new(&format!("Yeni{n}{version}"), "Ortak").company(company).fields();
                    let entry = AuditEntry { actor: ownership.owner_id, record_type: "person", record_id: 0, action: "created", changes: Vec::new() };
                    store.insert::<People>(&fields, ownership, entry).await?;
                }
                Ok::<(), StoreError>(())
            });
        }
        while let Some(result) = tasks.join_next().await {
            result.unwrap().unwrap();
        }
        assert_eq!(db.store.scoped_to(ALL).count::<People>(&PartyFilter::default(), 1000).await.unwrap(), 30);
        assert_eq!(db.store.scoped_to(ALL).count::<People>(&search("ortak sirket"), 1000).await.unwrap(), 30);
    }
}

both_backends! {
    /// People and companies are found by their city; keys made by an older release are
    /// brought up to date by `refresh_derived` (what `rehber reindex` runs), once.
    async fn search_finds_the_city_and_stale_keys_are_refreshed(db) {
        let own = Ownership::default();
        let person = PersonBuilder::new("Nur", "Ekinci").city("Eskişehir").insert(&db.store, own).await;
        let company = CompanyBuilder::new("Porsuk Seramik").city("Eskişehir").insert(&db.store, own).await;
        let visible = |q: &str| PartyFilter { q: Some(q.to_string()), ..PartyFilter::default() };
        let all = db.store.unscoped();
        assert_eq!(all.count::<People>(&visible("eskisehir"), 100).await.unwrap(), 1);
        assert_eq!(all.count::<Companies>(&visible("ESKİŞEHİR"), 100).await.unwrap(), 1);
        // An older release's keys: no city in them.
        db.execute(&format!("UPDATE people SET search_key = 'nur ekinci' WHERE id = {}", person.0)).await;
        db.execute(&format!("UPDATE companies SET search_key = 'porsuk seramik' WHERE id = {}", company.0)).await;
        assert_eq!(all.count::<People>(&visible("eskisehir"), 100).await.unwrap(), 0);
        assert_eq!(db.store.refresh_derived::<People>().await.unwrap(), 1);
        assert_eq!(db.store.refresh_derived::<Companies>().await.unwrap(), 1);
        assert_eq!(all.count::<People>(&visible("eskisehir"), 100).await.unwrap(), 1);
        assert_eq!(all.count::<Companies>(&visible("eskisehir"), 100).await.unwrap(), 1);
        assert_eq!(db.store.refresh_derived::<People>().await.unwrap(), 0, "nothing left to do");
        let stored = all.get::<People>(person).await.unwrap();
        assert_eq!(stored.meta.version, 1, "a refresh is not an edit");
    }
}
