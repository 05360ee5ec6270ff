//! The list query: parsing, filters kept across pages, and the links it makes.

use super::*;

#[test]
fn pages_walk_forward_and_back_through_their_trail() {
    let first = ListQuery {
        city: "İzmir".into(),
        ..ListQuery::default()
    };
    assert_eq!(first.page_number(), 1);
    assert_eq!(first.previous_href("/people"), None);
    let second_href = first.next_href("/people", "7.3");
    assert_eq!(
        second_href,
        "/people?city=%C4%B0zmir&cursor=7.3&page=2&back=-"
    );
    let second = ListQuery {
        cursor: "7.3".into(),
        page: "2".into(),
        back: "-".into(),
        ..first.clone()
    };
    assert_eq!(second.page_number(), 2);
    assert_eq!(
        second.previous_href("/people").as_deref(),
        Some("/people?city=%C4%B0zmir")
    );
    let third_href = second.next_href("/people", "9.4");
    assert!(
        third_href.ends_with("cursor=9.4&page=3&back=-%2C7.3"),
        "{third_href}"
    );
    let third = ListQuery {
        cursor: "9.4".into(),
        page: "3".into(),
        back: "-,7.3".into(),
        ..first.clone()
    };
    assert!(
        third
            .previous_href("/people")
            .unwrap()
            .ends_with("cursor=7.3&page=2&back=-")
    );
}

#[test]
fn hrefs_keep_filters_and_sort_and_drop_the_page() {
    let query = ListQuery {
        q: "Işık a&b".into(),
        city: "İzmir".into(),
        sort: "-created_at".into(),
        cursor: "12.34".into(),
        ..ListQuery::default()
    };
    assert_eq!(
        query.href("/people", None),
        "/people?q=I%C5%9F%C4%B1k%20a%26b&city=%C4%B0zmir&sort=-created_at"
    );
    assert!(query.href("/people", Some("9.1")).ends_with("&cursor=9.1"));
}

#[test]
fn sort_headers_toggle_the_active_column() {
    let query = ListQuery::default();
    let name = sort_header(&query, "/people", PartySort::Name, "Name".into());
    assert_eq!(name.class, "sort is-asc");
    assert_eq!(name.href, "/people?sort=-name");
    let created = sort_header(&query, "/people", PartySort::Created, "Created".into());
    assert_eq!(created.class, "sort");
    assert_eq!(created.href, "/people?sort=-created_at");
    let query = ListQuery {
        sort: "-created_at".into(),
        ..ListQuery::default()
    };
    let created = sort_header(&query, "/people", PartySort::Created, "Created".into());
    assert_eq!(created.aria, "descending");
    assert_eq!(created.href, "/people?sort=created_at");
}

#[test]
fn bad_filter_values_are_reported_not_applied() {
    let raw = "owner_id=abc&created_from=2026-13-01&lifecycle_stage=customer&city=&\
               custom.sektor=&page=3&notice=notice-saved&q=%20ay%C5%9Fe%20";
    let (request, problems) = list_request(Lang::En, Some(raw));
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems.iter().any(|p| p.starts_with("Created from")),
        "{problems:?}"
    );
    assert_eq!(request.filter.owner, None);
    assert_eq!(
        request.filter.lifecycle_stage,
        Some(rehber_domain::party::LifecycleStage::Customer)
    );
    assert_eq!(request.filter.q.as_deref(), Some("ayşe"));
    assert_eq!(request.filter.city, None, "an empty input asks for nothing");
    assert!(
        request.custom.is_empty(),
        "an empty custom input asks for nothing"
    );
    assert_eq!(request.page.limit, 50);
}

#[test]
fn bulk_returns_to_the_same_filters() {
    let input = BulkInput {
        return_to: "q=ay%C5%9Fe&city=Ankara&evil=https://x".into(),
        ..BulkInput::default()
    };
    assert_eq!(
        input.return_href("/people", "done=tag&changed=1&skipped=0"),
        "/people?q=ay%C5%9Fe&city=Ankara&done=tag&changed=1&skipped=0"
    );
}
