//! Price lists as use cases: everyone signed in reads them; administrators and sales
//! managers add and change them (prices with quantity breaks, the customers given a list).
//! And the price a quote line takes for a product: the customer's own list first, then the
//! default list of the quote's currency, then the product's own price — net of KDV, in the
//! quote's currency at the latest rate (no rate is a refusal, never a guess).

use crate::App;
use crate::error::AppResult;
use crate::products::may_edit_products;
use rehber_domain::error::FieldErrors;
use rehber_domain::party::{Companies, People};
use rehber_domain::price_list::{
    PriceItem, PriceItemDraft, PriceList, PriceListDraft, PriceListFields, break_price,
    check_items, net_of_vat,
};
use rehber_domain::pricing::{Quantity, VatRate};
use rehber_domain::product::Product;
use rehber_domain::{Actor, CompanyId, Error, PersonId};
use rehber_store::AuditEntry;

/// A list as typed, with its prices and customers (every part replaces the stored one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PriceListInput {
    pub list: PriceListDraft,
    pub items: Vec<PriceItemDraft>,
    pub companies: Vec<i64>,
    pub people: Vec<i64>,
}

/// Whose quote a line is priced for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Customer {
    pub company_id: Option<CompanyId>,
    pub person_id: Option<PersonId>,
}

/// Where a line's price came from, and the price in the document's currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinePrice {
    /// Net of KDV, minor units of the document's currency.
    Price(i64),
    /// The price is in another currency and there is no rate for it today.
    NoRate,
}

fn entry(actor: &Actor, id: i64, action: &'static str) -> AuditEntry {
    AuditEntry {
        actor: Some(actor.user_id),
        record_type: "price_list",
        record_id: id,
        action,
        changes: Vec::new(),
    }
}

/// The customers of a list, each once.
fn customers(input: &PriceListInput) -> (Vec<i64>, Vec<i64>) {
    let once = |ids: &[i64]| {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    (once(&input.companies), once(&input.people))
}

impl App {
    /// Every list by name, without its prices.
    pub async fn price_lists(&self, _actor: &Actor) -> AppResult<Vec<PriceList>> {
        Ok(self.store.price_lists(false).await?)
    }

    /// One list with its prices and customers.
    pub async fn price_list(&self, _actor: &Actor, id: i64) -> AppResult<PriceList> {
        Ok(self.store.price_list(id).await?)
    }

    /// Checks a list's prices and customers: the products must exist, the customers must be
    /// ones the actor can see. Every refusal at once.
    async fn check_price_list(
        &self,
        actor: &Actor,
        input: &PriceListInput,
    ) -> AppResult<(PriceListFields, Vec<PriceItem>)> {
        let mut errors = FieldErrors::new();
        let fields = input.list.validate().map_err(|e| errors.0.extend(e.0)).ok();
        let items = check_items(&input.items)
            .map_err(|e| errors.0.extend(e.0))
            .ok();
        for (index, item) in items.iter().flatten().enumerate() {
            match self.store.product(item.product_id).await {
                Ok(_) => {}
                Err(rehber_store::StoreError::NotFound) => {
                    errors.add(format!("items/{index}/product_id"), "invalid-product")
                }
                Err(other) => return Err(other.into()),
            }
        }
        let scoped = self.store.scoped(actor);
        for (index, id) in input.companies.iter().enumerate() {
            if scoped.get::<Companies>(CompanyId(*id)).await.is_err() {
                errors.add(format!("companies/{index}"), "invalid-unknown-record");
            }
        }
        for (index, id) in input.people.iter().enumerate() {
            if scoped.get::<People>(PersonId(*id)).await.is_err() {
                errors.add(format!("people/{index}"), "invalid-unknown-record");
            }
        }
        match (fields, items) {
            (Some(fields), Some(items)) if errors.is_empty() => Ok((fields, items)),
            _ => Err(Error::Validation(errors).into()),
        }
    }

    /// Adds a list (administrators and sales managers).
    pub async fn create_price_list(
        &self,
        actor: &Actor,
        input: &PriceListInput,
    ) -> AppResult<PriceList> {
        if !may_edit_products(actor) {
            return Err(Error::Forbidden.into());
        }
        let (fields, items) = self.check_price_list(actor, input).await?;
        let id = self
            .store
            .insert_price_list(&fields, entry(actor, 0, "create"))
            .await?;
        let (companies, people) = customers(input);
        self.store
            .update_price_list(
                id,
                1,
                &fields,
                &items,
                (&companies, &people),
                entry(actor, id, "prices"),
            )
            .await?;
        Ok(self.store.price_list(id).await?)
    }

    /// Replaces a list's fields, prices and customers if it is still at `version`.
    pub async fn update_price_list(
        &self,
        actor: &Actor,
        id: i64,
        version: Option<i64>,
        input: &PriceListInput,
    ) -> AppResult<PriceList> {
        if !may_edit_products(actor) {
            return Err(Error::Forbidden.into());
        }
        let stored = self.store.price_list(id).await?;
        let (fields, items) = self.check_price_list(actor, input).await?;
        let (companies, people) = customers(input);
        self.store
            .update_price_list(
                id,
                version.unwrap_or(stored.version),
                &fields,
                &items,
                (&companies, &people),
                entry(actor, id, "update"),
            )
            .await?;
        Ok(self.store.price_list(id).await?)
    }

    /// The unit price a quote line for `product` takes (see the module's note), for
    /// `quantity` at KDV `rate` (a KDV-included list is turned into its net at that rate).
    pub async fn line_price(
        &self,
        product: &Product,
        quantity: Quantity,
        rate: VatRate,
        customer: Customer,
        currency: &str,
    ) -> AppResult<LinePrice> {
        let mut lists = Vec::new();
        if let Some(c) = customer.company_id {
            lists.extend(self.store.customer_price_lists("company", c.0).await?);
        }
        if let Some(p) = customer.person_id {
            lists.extend(self.store.customer_price_lists("person", p.0).await?);
        }
        if let Some(default) = self.store.default_price_list(currency).await? {
            lists.push(default);
        }
        for list in &lists {
            let items: Vec<_> = self
                .store
                .price_items_of(&[list.id], Some(product.id))
                .await?
                .into_iter()
                .map(|(_, item)| item)
                .collect();
            if let Some(price) = break_price(&items, product.id, quantity) {
                let net = if list.fields.vat_included {
                    net_of_vat(price, rate)
                } else {
                    price
                };
                return self.in_currency(net, &list.fields.currency, currency).await;
            }
        }
        let f = &product.fields;
        self.in_currency(f.price_minor, &f.currency, currency).await
    }

    async fn in_currency(&self, minor: i64, from: &str, to: &str) -> AppResult<LinePrice> {
        Ok(
            match self.convert_price(minor, from, to, self.today()).await? {
                Some(price) => LinePrice::Price(price),
                None => LinePrice::NoRate,
            },
        )
    }
}
