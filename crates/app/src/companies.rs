//! The company kind: no rules of its own beyond every kind's (see `records`), and the
//! reads the pages need — company and person picker choices, and the people who work at a
//! company.

use crate::App;
use crate::error::AppResult;
use crate::list::ListRequest;
use crate::records::ServiceKind;
use rehber_domain::party::{Companies, People, Person};
use rehber_domain::{Actor, CompanyId};
use rehber_store::{Page, PageRequest, PartyFilter, PartySort, SortDirection};

impl ServiceKind for Companies {}

impl App {
    /// Visible live companies whose name matches `q` (empty: the first by name), for pickers.
    pub async fn company_choices(
        &self,
        actor: &Actor,
        q: &str,
    ) -> AppResult<Vec<(CompanyId, String)>> {
        let filter = PartyFilter {
            q: Some(q.to_string()).filter(|q| !q.trim().is_empty()),
            ..PartyFilter::default()
        };
        let page = self
            .store
            .scoped(actor)
            .list::<Companies>(
                &filter,
                PartySort::Name,
                SortDirection::Asc,
                &PageRequest {
                    after: None,
                    limit: 20,
                },
            )
            .await?;
        Ok(page
            .items
            .into_iter()
            .map(|c| (c.id, c.fields.name))
            .collect())
    }

    /// Visible live people whose name matches `q` (empty: the first by name), for pickers.
    pub async fn person_choices(
        &self,
        actor: &Actor,
        q: &str,
    ) -> AppResult<Vec<(rehber_domain::PersonId, String)>> {
        let filter = PartyFilter {
            q: Some(q.to_string()).filter(|q| !q.trim().is_empty()),
            ..PartyFilter::default()
        };
        let page = self
            .store
            .scoped(actor)
            .list::<People>(
                &filter,
                PartySort::Name,
                SortDirection::Asc,
                &PageRequest {
                    after: None,
                    limit: 20,
                },
            )
            .await?;
        Ok(page
            .items
            .into_iter()
            .map(|p| (p.id, p.fields.full_name()))
            .collect())
    }

    /// The people of a company, as far as the actor may see them.
    pub async fn company_people(&self, actor: &Actor, id: CompanyId) -> AppResult<Page<Person>> {
        self.get::<Companies>(actor, id).await?;
        let request = ListRequest {
            filter: PartyFilter {
                company: Some(id),
                ..PartyFilter::default()
            },
            sort: PartySort::Name,
            direction: SortDirection::Asc,
            page: PageRequest {
                after: None,
                limit: 200,
            },
            ..ListRequest::default()
        };
        self.list::<People>(actor, &request).await
    }
}
