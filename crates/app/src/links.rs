//! The records an activity or a task concerns: checked against what the actor can see, and
//! completed with the company of each linked person (at that time, so the company's history
//! keeps the entry if the person moves on).

use crate::App;
use crate::error::AppResult;
use rehber_domain::activity::{Link, LinkType, StoredLink};
use rehber_domain::party::{Companies, Ownership, People};
use rehber_domain::{Actor, CompanyId, Error, PersonId};
use rehber_store::StoreError;

impl App {
    /// The links to store: the given ones, each a record the actor can see (links the entry
    /// already had are kept without asking again: a colleague's record stays linked), then
    /// the company of each linked person not linked already. And the ownership of the first
    /// linked record.
    pub(crate) async fn resolve_links(
        &self,
        actor: &Actor,
        given: &[Link],
        before: &[StoredLink],
    ) -> AppResult<(Vec<StoredLink>, Ownership)> {
        let mut links: Vec<StoredLink> = Vec::new();
        let mut companies: Vec<CompanyId> = Vec::new();
        let mut ownership = None;
        for (i, link) in given.iter().enumerate() {
            let known = before.iter().any(|b| !b.automatic && b.link == *link);
            let viewer = if known { None } else { Some(actor) };
            let Some((owner, company)) = self.linked_record(viewer, *link).await? else {
                return Err(Error::field(
                    &format!("links[{i}].record_id"),
                    "invalid-unknown-record",
                )
                .into());
            };
            companies.extend(company);
            ownership.get_or_insert(owner);
            links.push(StoredLink {
                link: *link,
                automatic: false,
            });
        }
        for company in companies {
            let link = Link {
                record_type: LinkType::Company,
                record_id: company.0,
            };
            if !links.iter().any(|l| l.link == link) {
                links.push(StoredLink {
                    link,
                    automatic: true,
                });
            }
        }
        Ok((links, ownership.unwrap_or_default()))
    }

    /// The owner and team of the live record a link names, whoever asks.
    pub(crate) async fn record_ownership(&self, link: Link) -> AppResult<Option<Ownership>> {
        Ok(self.linked_record(None, link).await?.map(|(o, _)| o))
    }

    /// Whether `viewer` can see the live record a link names.
    pub(crate) async fn can_see_link(&self, viewer: &Actor, link: Link) -> AppResult<bool> {
        Ok(self.linked_record(Some(viewer), link).await?.is_some())
    }

    /// The ownership of the live record a link names, and a person's company; `None` when
    /// there is none or `viewer` (when given) cannot see it.
    async fn linked_record(
        &self,
        viewer: Option<&Actor>,
        link: Link,
    ) -> AppResult<Option<(Ownership, Option<CompanyId>)>> {
        let scoped = match viewer {
            Some(viewer) => self.store.scoped(viewer),
            None => self.store.unscoped(),
        };
        let read = match link.record_type {
            LinkType::Person => scoped
                .get::<People>(PersonId(link.record_id))
                .await
                .map(|p| (p.ownership, p.fields.company_id)),
            LinkType::Company => scoped
                .get::<Companies>(CompanyId(link.record_id))
                .await
                .map(|c| (c.ownership, None)),
            LinkType::Deal => scoped
                .get::<rehber_domain::deal::Deals>(rehber_domain::DealId(link.record_id))
                .await
                .map(|d| (d.ownership, d.fields.company_id)),
        };
        match read {
            Ok(found) => Ok(Some(found)),
            Err(StoreError::NotFound) => Ok(None),
            Err(other) => Err(other.into()),
        }
    }
}

impl App {
    /// The names of the linked records the actor can see (one read per kind).
    pub async fn link_titles(
        &self,
        actor: &Actor,
        links: &[Link],
    ) -> AppResult<std::collections::HashMap<Link, String>> {
        Ok(self.store.scoped(actor).link_titles(links).await?)
    }
}
