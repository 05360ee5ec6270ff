//! Walking a whole list page by page, checking the page contract on the way.

use rehber_domain::access::Visibility;
use rehber_domain::party::People;
use rehber_domain::party::Person;
use rehber_store::{PageRequest, PartyFilter, PartySort, SortDirection, Store};

/// Every person of a list, walking its pages of `limit`. Fails the test when a page holds
/// more than its limit, when a page before the last is short, or when the pages never end.
pub async fn walk_people(
    store: &Store,
    visibility: Visibility,
    filter: &PartyFilter,
    sort: PartySort,
    direction: SortDirection,
    limit: u32,
) -> Vec<Person> {
    let mut people = Vec::new();
    let mut page = PageRequest { after: None, limit };
    for _ in 0..10_000 {
        let got = store
            .scoped_to(visibility)
            .list::<People>(filter, sort, direction, &page)
            .await
            .unwrap();
        assert!(
            got.items.len() <= limit as usize,
            "a page holds at most its limit"
        );
        if got.next_cursor.is_some() {
            assert_eq!(
                got.items.len(),
                limit as usize,
                "only the last page may be short"
            );
        }
        people.extend(got.items);
        match got.next_cursor {
            Some(cursor) => page.after = Some(cursor),
            None => return people,
        }
    }
    panic!("pagination did not end");
}
