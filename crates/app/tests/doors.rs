//! Every door of every kind, tried by a sales rep on a colleague's record, through the
//! kind-generic services on SQLite and PostgreSQL: get, list, search, count, update, delete,
//! history, bulk tag/reassign/delete, and lists filtered and sorted on a custom field. One
//! generic walk serves every kind, so a new kind is checked by adding one line.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rehber_app::list::{BulkOutcome, CustomParam, ListRequest};
use rehber_app::ownership::OwnershipRequest;
use rehber_app::records::ServiceKind;
use rehber_app::{App, PageRequest, PartyFilter};
use rehber_domain::custom::FieldDraft;
use rehber_domain::deal::Deals;
use rehber_domain::party::{Companies, People};
use rehber_domain::{Actor, Error, Role};
use rehber_testkit::{
    CompanyBuilder, DealBuilder, Fixtures, PersonBuilder, both_backends, refusal,
};
use serde_json::json;

const KEEP: OwnershipRequest = OwnershipRequest {
    owner_id: None,
    team_id: None,
};

fn request(q: Option<&str>, custom: Option<&str>, sort_custom: bool) -> ListRequest {
    ListRequest {
        filter: PartyFilter {
            q: q.map(str::to_string),
            ..PartyFilter::default()
        },
        page: PageRequest {
            after: None,
            limit: 100,
        },
        custom: custom
            .map(|value| {
                vec![CustomParam {
                    name: "kod".into(),
                    value: value.into(),
                }]
            })
            .unwrap_or_default(),
        sort_custom: sort_custom.then(|| "kod".to_string()),
        ..ListRequest::default()
    }
}

/// Tries every door of kind `K` as `rep` on `theirs`, a colleague's record that carries the
/// custom value `GIZLI-1`; `mine` is the rep's own record of the kind.
async fn every_door_is_shut<K: ServiceKind>(
    app: &App,
    (admin, rep): (&Actor, &Actor),
    theirs: K::Id,
    mine: K::Id,
) {
    let draft = FieldDraft {
        key: "kod".into(),
        field_type: "text".into(),
        label_tr: "Kod".into(),
        label_en: "Code".into(),
        in_list: true,
        filterable: true,
        ..FieldDraft::default()
    };
    app.create_custom_field(admin, K::TYPE, draft)
        .await
        .unwrap();
    let value = |v: &str| json!({ "kod": v }).as_object().unwrap().clone();
    app.update::<K>(admin, theirs, None, K::custom_patch(value("GIZLI-1")), KEEP)
        .await
        .unwrap();
    app.update::<K>(admin, mine, None, K::custom_patch(value("ACIK-1")), KEEP)
        .await
        .unwrap();
    let kind = K::TYPE;

    assert_eq!(
        refusal(app.get::<K>(rep, theirs).await),
        Error::NotFound,
        "{kind}: get"
    );
    let ids = |page: rehber_app::Page<K::Record>| -> Vec<K::Id> {
        page.items.iter().map(K::record_id).collect()
    };
    for (door, ask) in [
        ("list", request(None, None, false)),
        (
            "search by the custom text",
            request(Some("gizli"), None, false),
        ),
        ("custom filter", request(None, Some("GIZLI-1"), false)),
        ("custom sort", request(None, None, true)),
    ] {
        let seen = ids(app.list::<K>(rep, &ask).await.unwrap());
        assert!(
            !seen.contains(&theirs),
            "{kind}: {door} shows a colleague's record"
        );
    }
    assert_eq!(
        ids(app
            .list::<K>(rep, &request(None, None, true))
            .await
            .unwrap()),
        [mine],
        "{kind}: the custom sort lists the rep's own"
    );
    let secret = PartyFilter {
        q: Some("gizli".into()),
        ..PartyFilter::default()
    };
    assert_eq!(
        app.count::<K>(rep, &secret).await.unwrap(),
        0,
        "{kind}: count"
    );
    assert_eq!(app.count::<K>(admin, &secret).await.unwrap(), 1);

    let change = K::custom_patch(value("DEGISTI"));
    assert_eq!(
        refusal(app.update::<K>(rep, theirs, None, change, KEEP).await),
        Error::NotFound,
        "{kind}: update"
    );
    assert_eq!(
        refusal(app.delete::<K>(rep, theirs).await),
        Error::NotFound,
        "{kind}: delete"
    );
    assert_eq!(
        refusal(app.history::<K>(rep, theirs).await),
        Error::NotFound,
        "{kind}: history"
    );
    let skipped = BulkOutcome {
        changed: 0,
        skipped: 1,
    };
    assert_eq!(
        app.bulk_tag::<K>(rep, &[theirs], "fuar").await.unwrap(),
        skipped
    );
    assert_eq!(
        app.bulk_assign::<K>(rep, &[theirs], rep.user_id)
            .await
            .unwrap(),
        skipped
    );
    assert_eq!(app.bulk_delete::<K>(rep, &[theirs]).await.unwrap(), skipped);

    let untouched = app.get::<K>(admin, theirs).await.unwrap();
    assert_eq!(
        K::meta(&untouched).version,
        2,
        "{kind}: nothing changed after the admin's save"
    );
    assert_eq!(K::custom(K::fields(&untouched))["kod"], "GIZLI-1");
}

both_backends! {
    async fn a_sales_rep_cannot_reach_a_colleagues_record_through_any_door_of_any_kind(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await.actor();
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await.actor();
        let colleague = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await.actor();

        let theirs = PersonBuilder::new("Gizem", "Saklı").create(&fx.app, &colleague).await.id;
        let mine = PersonBuilder::new("Açık", "Kişi").create(&fx.app, &rep).await.id;
        every_door_is_shut::<People>(&fx.app, (&admin, &rep), theirs, mine).await;

        let theirs = CompanyBuilder::new("Saklı Ticaret A.Ş.").create(&fx.app, &colleague).await.id;
        let mine = CompanyBuilder::new("Açık Ticaret A.Ş.").create(&fx.app, &rep).await.id;
        every_door_is_shut::<Companies>(&fx.app, (&admin, &rep), theirs, mine).await;

        let pipeline = fx.app.pipelines(&admin).await.unwrap().remove(0);
        let first = pipeline.stages[0].id;
        let theirs = DealBuilder::new("Saklı fırsat", pipeline.id, first).create(&fx.app, &colleague).await.id;
        let mine = DealBuilder::new("Açık fırsat", pipeline.id, first).create(&fx.app, &rep).await.id;
        every_door_is_shut::<Deals>(&fx.app, (&admin, &rep), theirs, mine).await;
    }
}
