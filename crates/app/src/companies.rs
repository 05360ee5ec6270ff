//! The company kind: no rules of its own beyond every kind's (see `records`), and the
//! reads the pages need — company and person picker choices, and the people who work at a
//! company.

use crate::App;
use crate::error::AppResult;
use crate::list::ListRequest;
use crate::records::ServiceKind;
use rehber_domain::party::{Companies, CompanyFields, People, Person};
use rehber_domain::{Actor, CompanyId};
use rehber_store::{Page, PageRequest, PartyFilter, PartySort, SortDirection};

impl ServiceKind for Companies {
    fn match_keys(fields: &CompanyFields) -> Vec<rehber_domain::party::MatchKey> {
        rehber_domain::party::company_keys(fields)
    }

    fn merge_refusal(survivor: &CompanyFields, other: &CompanyFields) -> Option<&'static str> {
        match (&survivor.tax_number, &other.tax_number) {
            (Some(a), Some(b)) if a != b => Some("invalid-merge-vkn"),
            _ => match (&survivor.national_id, &other.national_id) {
                (Some(a), Some(b)) if a != b => Some("invalid-merge-tckn"),
                _ => None,
            },
        }
    }

    async fn check_rules(
        app: &App,
        before: Option<&CompanyFields>,
        fields: &CompanyFields,
    ) -> AppResult<()> {
        app.check_qualification(
            before.map(|b| b.lifecycle_stage),
            fields.lifecycle_stage,
            fields.bant,
        )
        .await
    }

    async fn after_save(app: &App, id: CompanyId) {
        app.rescore::<Companies>(&[id.0]).await;
    }
}

impl App {
    /// Visible live records of a kind whose name matches `q` (empty: the first by name),
    /// with their titles, for pickers (a deal's company and person).
    pub async fn choices<K: ServiceKind>(
        &self,
        actor: &Actor,
        q: &str,
    ) -> AppResult<Vec<(K::Id, String)>> {
        let filter = PartyFilter {
            q: Some(q.to_string()).filter(|q| !q.trim().is_empty()),
            ..PartyFilter::default()
        };
        let page = self
            .store
            .scoped(actor)
            .list::<K>(
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
            .iter()
            .map(|r| (K::record_id(r), K::title(r)))
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
