//! What a list asks for (filter, sort, page) and how far it is counted, and the outcome of a
//! bulk action — shared by every record kind's lists and bulk actions.

use crate::error::AppResult;
use rehber_domain::Error;
use rehber_domain::filter::Draft;
use rehber_store::{PageRequest, PartyFilter, PartySort, SortDirection};

/// Counts stop here; the UI shows "10,000+".
pub const COUNT_CAP: u32 = 10_000;
/// Searches count up to fewer: every counted match is a row read, and a search-as-you-type
/// list is counted again at each pause in typing.
pub const SEARCH_COUNT_CAP: u32 = 1_000;

/// Up to how many matches a list with this filter is counted ("1,000+" beyond).
pub fn count_cap(filter: &PartyFilter) -> u32 {
    if filter.q.as_deref().is_some_and(|q| !q.trim().is_empty()) {
        SEARCH_COUNT_CAP
    } else {
        COUNT_CAP
    }
}

/// A list request.
#[derive(Debug, Clone, Default)]
pub struct ListRequest {
    pub filter: PartyFilter,
    pub sort: PartySort,
    pub direction: SortDirection,
    pub page: PageRequest,
    /// Filters on custom fields as asked (`custom.<name>=<value>`), resolved against the
    /// kind's definitions by [`crate::App::resolve_list`].
    pub custom: Vec<CustomParam>,
    /// Sort on this custom field's key instead of `sort`.
    pub sort_custom: Option<String>,
    /// A rule over the kind's fields (the `filter` parameter), resolved like `custom`.
    pub rule: Option<Draft>,
    /// The shorthand filters and `custom` join as "any of the fields" instead of "all"
    /// (`combine=any`); the tests on one field (a range's two ends) still join as all.
    pub combine_any: bool,
}

/// One `custom.<name>=<value>` list parameter, `name` without its `custom.` prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomParam {
    pub name: String,
    pub value: String,
}

impl ListRequest {
    /// A cursor is only ever one a list handed out; anything else is refused by name rather
    /// than read as "from the start".
    pub fn check_cursor(&self) -> Result<(), Error> {
        check_cursor(self.sort, self.page.after.as_deref())
    }
}

/// Whether `cursor` is one a list sorted by `sort` hands out.
pub(crate) fn check_cursor(sort: PartySort, cursor: Option<&str>) -> Result<(), Error> {
    {
        match cursor {
            Some(cursor) if !rehber_store::cursor_is_valid(sort, cursor) => {
                Err(Error::field("cursor", "invalid-cursor"))
            }
            _ => Ok(()),
        }
    }
}

/// Outcome of a bulk action: how many records changed, how many were skipped (invisible,
/// not allowed or changed meanwhile).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BulkOutcome {
    pub changed: usize,
    pub skipped: usize,
}

/// At most this many records per bulk action.
pub const BULK_LIMIT: usize = 1000;

impl BulkOutcome {
    /// Counts one step: a refusal by role stops the batch, a per-record problem (changed
    /// meanwhile, invalid) skips that record, an internal failure stops everything.
    pub(crate) fn count(&mut self, result: AppResult<()>) -> AppResult<()> {
        match result {
            Ok(()) => self.changed += 1,
            Err(crate::AppError::Domain(Error::Forbidden)) => return Err(Error::Forbidden.into()),
            Err(crate::AppError::Domain(_)) => self.skipped += 1,
            Err(other) => return Err(other),
        }
        Ok(())
    }
}
