//! Products: the catalogue every signed-in user reads and searches (SKU or name,
//! Turkish-aware), and, for administrators and sales managers, a form to add a product or
//! change one (price typed as it reads in the user's language, KDV rate, unit, retiring it).

use crate::error::{UiError, UiResultExt, form_messages, render};
use crate::page::Page;
use crate::paths::path_id;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::Form;
use rehber_app::ProductFilter;
use rehber_app::products::{ProductPatch, may_edit_products};
use rehber_domain::money::Money;
use rehber_domain::product::{Product, ProductDraft, UNITS};
use rehber_web_core::auth::SignedIn;
use rehber_web_core::state::AppState;
use serde::Deserialize;
use std::collections::HashMap;

/// Products on one page of the list.
const PAGE_SIZE: u32 = 100;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/products", get(list).post(create))
        .route("/products/new", get(new))
        .route("/products/{id}", get(edit).post(update))
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    q: String,
    /// `all` shows retired products too.
    show: String,
    notice: Option<String>,
}

/// One row of the catalogue.
pub struct ProductRow {
    pub id: i64,
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub vat: String,
    pub price: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "products/list.html")]
struct ListPage {
    page: Page,
    rows: Vec<ProductRow>,
    q: String,
    show_all: bool,
    more: bool,
    may_edit: bool,
}

/// The form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ProductForm {
    pub sku: String,
    pub name: String,
    pub description: String,
    pub unit: String,
    pub vat_rate: String,
    pub vat_exemption_code: String,
    pub price: String,
    pub currency: String,
    pub active: Option<String>,
    pub version: String,
}

impl ProductForm {
    fn of(who: &SignedIn, product: &Product) -> ProductForm {
        let f = &product.fields;
        ProductForm {
            sku: f.sku.clone(),
            name: f.name.clone(),
            description: f.description.clone(),
            unit: f.unit.clone(),
            vat_rate: f.vat_rate.percent().to_string(),
            vat_exemption_code: f.vat_exemption_code.clone().unwrap_or_default(),
            price: who.lang.amount(f.price_minor),
            currency: f.currency.clone(),
            active: f.active.then(|| "on".into()),
            version: product.version.to_string(),
        }
    }

    /// The draft, and whether a typed price could not be read as an amount.
    fn draft(&self) -> (ProductDraft, bool) {
        let currency = if self.currency.trim().is_empty() {
            "TRY"
        } else {
            self.currency.trim()
        };
        let price = Money::parse(&self.price, currency).ok().map(|m| m.minor);
        let unreadable = price.is_none() && !self.price.trim().is_empty();
        (
            ProductDraft {
                sku: self.sku.clone(),
                name: self.name.clone(),
                description: self.description.clone(),
                unit: self.unit.clone(),
                vat_rate: self.vat_rate.trim().parse().ok(),
                vat_exemption_code: self.vat_exemption_code.clone(),
                price_minor: price,
                currency: self.currency.clone(),
                active: self.active.is_some(),
            },
            unreadable,
        )
    }
}

#[derive(Template)]
#[template(path = "products/form.html")]
struct FormPage {
    page: Page,
    /// `None` for a new product.
    id: Option<i64>,
    form: ProductForm,
    errors: HashMap<String, String>,
    units: Vec<(&'static str, String)>,
    may_edit: bool,
}

fn form_page(
    who: &SignedIn,
    id: Option<i64>,
    form: ProductForm,
    errors: HashMap<String, String>,
) -> FormPage {
    let mut page = Page::signed_in(who, "products-title", "products");
    let heading = if id.is_none() {
        page.t("products-new")
    } else {
        form.name.clone()
    };
    page.title = format!("{heading} · {}", page.title);
    let units = UNITS
        .iter()
        .map(|code| {
            (
                *code,
                page.t(&format!("unit-{}", code.to_ascii_lowercase())),
            )
        })
        .collect();
    FormPage {
        page,
        id,
        form,
        errors,
        units,
        may_edit: may_edit_products(&who.actor()),
    }
}

async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<Response, UiError> {
    let page = Page::signed_in(&who, "products-title", "products")
        .with_notice_key(query.notice.as_deref());
    let show_all = query.show == "all";
    let q = query.q.trim().chars().take(200).collect::<String>();
    let filter = ProductFilter {
        q: Some(q.clone()).filter(|q| !q.is_empty()),
        active_only: !show_all,
        after: None,
        limit: PAGE_SIZE,
    };
    let (products, more) = state.app.products(&who.actor(), &filter).await.ui(&who)?;
    let rows = products
        .into_iter()
        .map(|p| {
            let f = p.fields;
            ProductRow {
                id: p.id,
                sku: f.sku,
                name: f.name,
                unit: page.t(&format!("unit-{}", f.unit.to_ascii_lowercase())),
                vat: format!("%{}", f.vat_rate.percent()),
                price: who.lang.money(f.price_minor, &f.currency),
                active: f.active,
            }
        })
        .collect();
    Ok(render(&ListPage {
        may_edit: may_edit_products(&who.actor()),
        page,
        rows,
        q,
        show_all,
        more,
    }))
}

async fn new(who: SignedIn) -> Result<Response, UiError> {
    if !may_edit_products(&who.actor()) {
        return Err(UiError::forbidden(&who));
    }
    let form = ProductForm {
        unit: "C62".into(),
        vat_rate: "20".into(),
        currency: "TRY".into(),
        active: Some("on".into()),
        ..ProductForm::default()
    };
    Ok(render(&form_page(&who, None, form, HashMap::new())))
}

/// The form again with its messages (422), or the error page.
fn refused(
    who: &SignedIn,
    id: Option<i64>,
    form: ProductForm,
    unreadable_price: bool,
    error: rehber_app::AppError,
) -> Result<Response, UiError> {
    let Some(mut errors) = form_messages(who.lang, &error) else {
        return Err(UiError::signed_in(who, error));
    };
    if unreadable_price {
        errors.insert("price".into(), who.lang.t("invalid-amount"));
    }
    let page = form_page(who, id, form, errors);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
}

async fn create(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<ProductForm>,
) -> Result<Response, UiError> {
    let (draft, unreadable) = form.draft();
    match state.app.create_product(&who.actor(), &draft).await {
        Ok(_) => Ok(Redirect::to("/products?notice=notice-product-created").into_response()),
        Err(e) => refused(&who, None, form, unreadable, e),
    }
}

async fn edit(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let product = state.app.product(&who.actor(), id).await.ui(&who)?;
    let form = ProductForm::of(&who, &product);
    Ok(render(&form_page(&who, Some(id), form, HashMap::new())))
}

async fn update(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<ProductForm>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let (draft, unreadable) = form.draft();
    let patch = ProductPatch {
        sku: Some(draft.sku),
        name: Some(draft.name),
        description: Some(draft.description),
        unit: Some(draft.unit),
        vat_rate: draft.vat_rate,
        vat_exemption_code: Some(draft.vat_exemption_code),
        // A price that cannot be read must not keep the stored one in silence: a negative
        // amount is refused on `price`, and `refused` says why.
        price_minor: if unreadable {
            Some(-1)
        } else {
            draft.price_minor
        },
        currency: Some(draft.currency),
        active: Some(draft.active),
    };
    let version = form.version.trim().parse().ok();
    match state
        .app
        .update_product(&who.actor(), id, version, patch)
        .await
    {
        Ok(_) => Ok(Redirect::to("/products?notice=notice-saved").into_response()),
        Err(e) => refused(&who, Some(id), form, unreadable, e),
    }
}
