//! The product catalogue as use cases: everyone signed in reads it (a quote line picks a
//! product); administrators and managers add and change products, each change audited and
//! made on the version read. A product is never deleted, only made inactive: old documents
//! keep naming it.

use crate::App;
use crate::error::AppResult;
use rehber_domain::product::{Product, ProductDraft};
use rehber_domain::{Actor, Error, Role};
use rehber_store::{AuditEntry, ProductFilter};

/// What a change may give; `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct ProductPatch {
    pub sku: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub unit: Option<String>,
    pub vat_rate: Option<i64>,
    pub vat_exemption_code: Option<String>,
    pub price_minor: Option<i64>,
    pub currency: Option<String>,
    pub active: Option<bool>,
}

impl ProductPatch {
    /// Applies the patch to a draft.
    pub fn apply(self, draft: &mut ProductDraft) {
        fn set<T>(slot: &mut T, value: Option<T>) {
            if let Some(v) = value {
                *slot = v;
            }
        }
        set(&mut draft.sku, self.sku);
        set(&mut draft.name, self.name);
        set(&mut draft.description, self.description);
        set(&mut draft.unit, self.unit);
        if self.vat_rate.is_some() {
            draft.vat_rate = self.vat_rate;
        }
        set(&mut draft.vat_exemption_code, self.vat_exemption_code);
        if self.price_minor.is_some() {
            draft.price_minor = self.price_minor;
        }
        set(&mut draft.currency, self.currency);
        set(&mut draft.active, self.active);
    }
}

/// Whether `actor` may change the catalogue: administrators and managers.
pub fn may_edit_products(actor: &Actor) -> bool {
    actor.role.is_admin() || actor.role == Role::SalesManager
}

fn editors_only(actor: &Actor) -> AppResult<()> {
    if may_edit_products(actor) {
        Ok(())
    } else {
        Err(Error::Forbidden.into())
    }
}

fn entry(actor: &Actor, id: i64, action: &'static str) -> AuditEntry {
    AuditEntry {
        actor: Some(actor.user_id),
        record_type: "product",
        record_id: id,
        action,
        changes: Vec::new(),
    }
}

impl App {
    /// A page of the catalogue by name, and whether there are more.
    pub async fn products(
        &self,
        _actor: &Actor,
        filter: &ProductFilter,
    ) -> AppResult<(Vec<Product>, bool)> {
        Ok(self.store.products(filter).await?)
    }

    pub async fn product(&self, _actor: &Actor, id: i64) -> AppResult<Product> {
        Ok(self.store.product(id).await?)
    }

    /// Adds a product (administrators and managers); a SKU already used is refused on `sku`.
    pub async fn create_product(&self, actor: &Actor, draft: &ProductDraft) -> AppResult<Product> {
        editors_only(actor)?;
        let fields = draft.validate().map_err(Error::Validation)?;
        let mut audit = entry(actor, 0, "create");
        audit.changes = crate::changes::diff(&None, &Some(&fields));
        let id = self.store.insert_product(&fields, audit).await?;
        Ok(self.store.product(id).await?)
    }

    /// Changes a product (administrators and managers) if it is still at `version` (the
    /// stored one when `None`).
    pub async fn update_product(
        &self,
        actor: &Actor,
        id: i64,
        version: Option<i64>,
        patch: ProductPatch,
    ) -> AppResult<Product> {
        editors_only(actor)?;
        let stored = self.store.product(id).await?;
        let mut draft = stored.draft();
        patch.apply(&mut draft);
        let fields = draft.validate().map_err(Error::Validation)?;
        let mut audit = entry(actor, id, "update");
        audit.changes = crate::changes::diff(&stored.fields, &fields);
        self.store
            .update_product(id, version.unwrap_or(stored.version), &fields, audit)
            .await?;
        Ok(self.store.product(id).await?)
    }
}
