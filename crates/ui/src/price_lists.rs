//! Price lists in the browser: the lists, and a list's page where administrators and sales
//! managers set its currency, whether its prices include KDV, whether it is the default of
//! its currency, its prices with quantity breaks, and the customers who get it. Everyone
//! else reads it. The rules are the services' (`rehber_app::price_lists`).

use crate::error::{UiError, UiResultExt, form_messages, render};
use crate::page::Page;
use crate::paths::path_id;
use crate::records::Choice;
use crate::records::picker::company_choices;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use rehber_app::ProductFilter;
use rehber_app::price_lists::PriceListInput;
use rehber_app::products::may_edit_products;
use rehber_domain::CompanyId;
use rehber_domain::money::Money;
use rehber_domain::party::Companies;
use rehber_domain::price_list::{PriceItemDraft, PriceList, PriceListDraft};
use rehber_web_core::auth::SignedIn;
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;
use serde::Deserialize;
use std::collections::HashMap;

const CURRENCIES: [&str; 4] = ["TRY", "EUR", "USD", "GBP"];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/price-lists", get(list).post(create))
        .route("/price-lists/new", get(new))
        .route("/price-lists/{id}", get(edit).post(update))
        .route("/price-lists/{id}/customers", post(customers))
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct NoticeQuery {
    notice: Option<String>,
}

pub struct ListRow {
    pub id: i64,
    pub name: String,
    pub currency: String,
    pub vat_included: bool,
    pub is_default: bool,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "price_lists/list.html")]
struct ListPage {
    page: Page,
    rows: Vec<ListRow>,
    may_edit: bool,
}

async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, UiError> {
    let page = Page::signed_in(&who, "price-lists-title", "products")
        .with_notice_key(query.notice.as_deref());
    let rows = state
        .app
        .price_lists(&who.actor())
        .await
        .ui(&who)?
        .into_iter()
        .map(|l| ListRow {
            id: l.id,
            name: l.fields.name,
            currency: l.fields.currency,
            vat_included: l.fields.vat_included,
            is_default: l.fields.is_default,
            active: l.fields.active,
        })
        .collect();
    Ok(render(&ListPage {
        page,
        rows,
        may_edit: may_edit_products(&who.actor()),
    }))
}

/// The form as typed: the prices are repeated fields, one value per row.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ListForm {
    pub name: String,
    pub currency: String,
    pub vat_included: Option<String>,
    pub is_default: Option<String>,
    pub active: Option<String>,
    pub product_id: Vec<String>,
    pub min_quantity: Vec<String>,
    pub unit_price: Vec<String>,
    pub version: String,
}

/// One price row as typed.
pub struct ItemRow {
    pub product_id: String,
    pub min_quantity: String,
    pub unit_price: String,
    pub errors: Vec<String>,
}

impl ListForm {
    fn of(lang: Lang, list: &PriceList) -> ListForm {
        let f = &list.fields;
        let on = |b: bool| b.then(|| "on".to_string());
        let mut form = ListForm {
            name: f.name.clone(),
            currency: f.currency.clone(),
            vat_included: on(f.vat_included),
            is_default: on(f.is_default),
            active: on(f.active),
            version: list.version.to_string(),
            ..ListForm::default()
        };
        for item in &list.items {
            form.product_id.push(item.product_id.to_string());
            form.min_quantity
                .push(lang.decimal(&item.min_quantity.to_decimal_string()));
            form.unit_price.push(lang.amount(item.unit_price));
        }
        form
    }

    fn rows(&self) -> Vec<ItemRow> {
        let nth = |v: &[String], i: usize| v.get(i).cloned().unwrap_or_default();
        (0..self.product_id.len().max(self.unit_price.len()))
            .map(|i| ItemRow {
                product_id: nth(&self.product_id, i),
                min_quantity: nth(&self.min_quantity, i),
                unit_price: nth(&self.unit_price, i),
                errors: Vec::new(),
            })
            .collect()
    }

    /// The input (customers kept from `stored`), the form row of each price, and the rows
    /// whose price could not be read.
    fn input(&self, stored: Option<&PriceList>) -> (PriceListInput, Vec<usize>, Vec<usize>) {
        let currency = match self.currency.trim() {
            "" => "TRY".to_string(),
            c => c.to_ascii_uppercase(),
        };
        let mut items = Vec::new();
        let mut rows = Vec::new();
        let mut unreadable = Vec::new();
        for (index, row) in self.rows().into_iter().enumerate() {
            if row.product_id.trim().is_empty() && row.unit_price.trim().is_empty() {
                continue;
            }
            let unit_price = match Money::parse(&row.unit_price, &currency) {
                Ok(m) => Some(m.minor),
                Err(_) => {
                    unreadable.push(index);
                    Some(0)
                }
            };
            rows.push(index);
            items.push(PriceItemDraft {
                product_id: row.product_id.trim().parse().ok(),
                min_quantity: row.min_quantity.clone(),
                unit_price,
            });
        }
        let input = PriceListInput {
            list: PriceListDraft {
                name: self.name.clone(),
                currency,
                vat_included: self.vat_included.is_some(),
                is_default: self.is_default.is_some(),
                active: self.active.is_some(),
            },
            items,
            companies: stored.map(|l| l.companies.clone()).unwrap_or_default(),
            people: stored.map(|l| l.people.clone()).unwrap_or_default(),
        };
        (input, rows, unreadable)
    }
}

#[derive(Template)]
#[template(path = "price_lists/form.html")]
struct FormPage {
    page: Page,
    id: Option<i64>,
    form: ListForm,
    rows: Vec<ItemRow>,
    errors: HashMap<String, String>,
    products: Vec<Choice>,
    currencies: Vec<&'static str>,
    /// `(id, name)` of the companies given the list.
    customers: Vec<(i64, String)>,
    companies: Vec<Choice>,
    may_edit: bool,
}

async fn form_page(
    state: &AppState,
    who: &SignedIn,
    id: Option<i64>,
    form: ListForm,
    errors: HashMap<String, String>,
    mut rows: Vec<ItemRow>,
    stored: Option<&PriceList>,
) -> Result<FormPage, UiError> {
    let mut page = Page::signed_in(who, "price-lists-title", "products");
    let heading = if id.is_none() {
        page.t("price-lists-new")
    } else {
        form.name.clone()
    };
    page.title = format!("{heading} · {}", page.title);
    let actor = who.actor();
    let filter = ProductFilter {
        active_only: false,
        limit: rehber_app::MAX_PRODUCT_PAGE,
        ..ProductFilter::default()
    };
    let (found, _) = state.app.products(&actor, &filter).await.ui(who)?;
    let products = found
        .into_iter()
        .map(|p| {
            Choice::new(
                p.id.to_string(),
                format!("{} · {}", p.fields.sku, p.fields.name),
            )
        })
        .collect();
    if rows.is_empty() {
        rows.push(ItemRow {
            product_id: String::new(),
            min_quantity: String::new(),
            unit_price: String::new(),
            errors: Vec::new(),
        });
    }
    let mut customers = Vec::new();
    for company in stored.map(|l| l.companies.as_slice()).unwrap_or_default() {
        let name = match state
            .app
            .get::<Companies>(&actor, CompanyId(*company))
            .await
        {
            Ok(c) => c.fields.name,
            Err(_) => page.t("deals-link-hidden"),
        };
        customers.push((*company, name));
    }
    Ok(FormPage {
        companies: company_choices(state, who, "", None).await?,
        may_edit: may_edit_products(&actor),
        page,
        id,
        form,
        rows,
        errors,
        products,
        currencies: CURRENCIES.to_vec(),
        customers,
    })
}

async fn new(State(state): State<AppState>, who: SignedIn) -> Result<Response, UiError> {
    if !may_edit_products(&who.actor()) {
        return Err(UiError::forbidden(&who));
    }
    let form = ListForm {
        currency: "TRY".into(),
        active: Some("on".into()),
        ..ListForm::default()
    };
    let page = form_page(&state, &who, None, form, HashMap::new(), Vec::new(), None).await?;
    Ok(render(&page))
}

/// The form again with its messages (422), or the error page.
async fn refused(
    state: &AppState,
    who: &SignedIn,
    id: Option<i64>,
    form: ListForm,
    error: rehber_app::AppError,
    stored: Option<&PriceList>,
) -> Result<Response, UiError> {
    let Some(messages) = form_messages(who.lang, &error) else {
        return Err(UiError::signed_in(who, error));
    };
    let (_, rows, unreadable) = form.input(stored);
    let mut inputs = form.rows();
    let mut others = HashMap::new();
    for (field, message) in messages {
        let row = field
            .strip_prefix("items/")
            .and_then(|r| r.split('/').next())
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|i| rows.get(i))
            .and_then(|r| inputs.get_mut(*r));
        match row {
            Some(row) => row.errors.push(message),
            None => {
                others.insert(field, message);
            }
        }
    }
    for index in unreadable {
        if let Some(row) = inputs.get_mut(index) {
            row.errors.push(who.lang.t("invalid-amount"));
        }
    }
    let page = form_page(state, who, id, form, others, inputs, stored).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
}

async fn create(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<ListForm>,
) -> Result<Response, UiError> {
    let (input, _, unreadable) = form.input(None);
    if !unreadable.is_empty() {
        let error = rehber_domain::Error::field("unit_price", "invalid-amount").into();
        return refused(&state, &who, None, form, error, None).await;
    }
    match state.app.create_price_list(&who.actor(), &input).await {
        Ok(list) => Ok(Redirect::to(&format!(
            "/price-lists/{}?notice=notice-price-list-saved",
            list.id
        ))
        .into_response()),
        Err(e) => refused(&state, &who, None, form, e, None).await,
    }
}

async fn edit(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let list = state.app.price_list(&who.actor(), id).await.ui(&who)?;
    let form = ListForm::of(who.lang, &list);
    let rows = form.rows();
    let mut page = form_page(
        &state,
        &who,
        Some(id),
        form,
        HashMap::new(),
        rows,
        Some(&list),
    )
    .await?;
    page.page = page.page.with_notice_key(query.notice.as_deref());
    Ok(render(&page))
}

async fn update(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<ListForm>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let stored = state.app.price_list(&who.actor(), id).await.ui(&who)?;
    let (input, _, unreadable) = form.input(Some(&stored));
    if !unreadable.is_empty() {
        let error = rehber_domain::Error::field("unit_price", "invalid-amount").into();
        return refused(&state, &who, Some(id), form, error, Some(&stored)).await;
    }
    let version = form.version.trim().parse().ok();
    match state
        .app
        .update_price_list(&who.actor(), id, version, &input)
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/price-lists/{id}?notice=notice-price-list-saved"))
                .into_response(),
        ),
        Err(e) => refused(&state, &who, Some(id), form, e, Some(&stored)).await,
    }
}

/// Adding or removing a company the list is given to.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct CustomerForm {
    company_id: String,
    remove: String,
}

async fn customers(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<CustomerForm>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let actor = who.actor();
    let stored = state.app.price_list(&actor, id).await.ui(&who)?;
    let mut input = ListForm::of(who.lang, &stored).input(Some(&stored)).0;
    if let Ok(company) = form.company_id.trim().parse::<i64>() {
        input.companies.push(company);
    }
    if let Ok(company) = form.remove.trim().parse::<i64>() {
        input.companies.retain(|c| *c != company);
    }
    // The prices are taken back as stored, in the list's own numbers.
    input.items = stored
        .items
        .iter()
        .map(|i| PriceItemDraft {
            product_id: Some(i.product_id),
            min_quantity: i.min_quantity.to_decimal_string(),
            unit_price: Some(i.unit_price),
        })
        .collect();
    match state
        .app
        .update_price_list(&actor, id, Some(stored.version), &input)
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/price-lists/{id}?notice=notice-price-list-saved"))
                .into_response(),
        ),
        Err(e) => Err(UiError::signed_in(&who, e)),
    }
}
