//! Invoices in the browser: the list, an invoice's page with its lines, KDV summary, what
//! is paid and open of it, and its steps (post, cancel); an order becomes a draft invoice
//! with one button. The rules are the services' (`rehber_app::invoices`).

use crate::error::{UiError, UiResultExt, render};
use crate::ledger::{balance_text, base, customer_query};
use crate::page::Page;
use crate::paths::path_id;
use crate::quotes::refusal_code;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use rehber_app::InvoiceFilter;
use rehber_app::invoices::InvoiceDraft;
use rehber_domain::ledger::{Invoice, InvoiceKind, InvoiceStatus};
use rehber_domain::quote::vat_summary;
use rehber_web_core::auth::SignedIn;
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;
use serde::Deserialize;

const PAGE_SIZE: u32 = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/invoices", get(list))
        .route("/invoices/{id}", get(show))
        .route("/invoices/{id}/post", post(post_invoice))
        .route("/invoices/{id}/cancel", post(cancel_invoice))
        .route("/orders/{id}/invoice", post(from_order))
}

fn status_badge(lang: Lang, invoice: &Invoice) -> (String, &'static str) {
    let tone = match invoice.status {
        InvoiceStatus::Draft => "badge-info",
        InvoiceStatus::Posted if invoice.open_amount() == 0 => "badge-success",
        InvoiceStatus::Posted => "badge-warning",
        InvoiceStatus::Cancelled => "badge-danger",
    };
    let key = match invoice.status {
        InvoiceStatus::Posted
            if invoice.kind == InvoiceKind::Invoice && invoice.open_amount() == 0 =>
        {
            "invoice-status-paid".to_string()
        }
        status => format!("invoice-status-{}", status.as_str()),
    };
    (lang.t(&key), tone)
}

/// The number as shown: a draft has none yet.
fn number_text(lang: Lang, invoice: &Invoice) -> String {
    invoice
        .number
        .clone()
        .unwrap_or_else(|| lang.t("invoice-draft-number"))
}

pub struct InvoiceRow {
    pub id: i64,
    pub number: String,
    pub kind: String,
    pub status: (String, &'static str),
    pub issue: String,
    pub due: String,
    pub total: String,
    pub open: String,
}

#[derive(Template)]
#[template(path = "invoices/list.html")]
struct ListPage {
    page: Page,
    rows: Vec<InvoiceRow>,
    status: String,
    more: bool,
    next: u64,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    offset: u64,
    status: String,
    notice: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<Response, UiError> {
    let lang = who.lang;
    let page = Page::signed_in(&who, "invoices-title", "invoices")
        .with_notice_key(query.notice.as_deref());
    let offset = query.offset.min(1_000_000);
    let filter = InvoiceFilter {
        status: InvoiceStatus::parse(query.status.trim()),
        open_only: query.status.trim() == "open",
        limit: PAGE_SIZE,
        offset,
        ..InvoiceFilter::default()
    };
    let (invoices, more) = state.app.invoices(&who.actor(), &filter).await.ui(&who)?;
    let rows = invoices
        .iter()
        .map(|i| InvoiceRow {
            id: i.id,
            number: number_text(lang, i),
            kind: lang.t(&format!("invoice-kind-{}", i.kind.as_str())),
            status: status_badge(lang, i),
            issue: lang.date(i.issue_date),
            due: lang.date(i.due_date),
            total: lang.money(i.totals.gross, &i.currency),
            open: if i.open_amount() > 0 {
                lang.money(i.open_amount(), &i.currency)
            } else {
                String::new()
            },
        })
        .collect();
    Ok(render(&ListPage {
        page,
        rows,
        status: query.status.trim().to_string(),
        more,
        next: offset + u64::from(PAGE_SIZE),
    }))
}

pub struct LineRow {
    pub position: i64,
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub vat_rate: String,
    pub net: String,
}

#[derive(Template)]
#[template(path = "invoices/show.html")]
struct ShowPage {
    page: Page,
    invoice: Invoice,
    number: String,
    kind: String,
    status: (String, &'static str),
    issue: String,
    due: String,
    lines: Vec<LineRow>,
    totals: Vec<(String, String)>,
    gross: String,
    allocated: String,
    open: String,
    account_href: Option<String>,
    customer_query: String,
    refusal: Option<String>,
    can_write: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct ShowQuery {
    notice: Option<String>,
    refused: String,
}

async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, UiError> {
    let lang = who.lang;
    let id = path_id(&who, &id)?;
    let invoice = state.app.invoice(&who.actor(), id).await.ui(&who)?;
    let money = |minor: i64| lang.money(minor, &invoice.currency);
    let lines = invoice
        .lines
        .iter()
        .map(|l| LineRow {
            position: l.position,
            description: l.description.clone(),
            quantity: lang.decimal(&l.input.quantity.to_decimal_string()),
            unit_price: money(l.input.unit_price),
            vat_rate: format!("%{}", l.input.vat_rate.percent()),
            net: money(l.amounts.net),
        })
        .collect();
    let mut totals = vec![(lang.t("quote-pdf-net"), money(invoice.totals.net))];
    for s in vat_summary(&invoice.lines) {
        totals.push((
            lang.t_args("quote-pdf-vat", &[("rate", s.rate.percent().to_string())]),
            money(s.vat),
        ));
    }
    let refusal = Some(query.refused.trim())
        .filter(|code| code.starts_with("invalid-") && lang.has(code))
        .map(|code| lang.t(code));
    let customer_query = invoice.account().map(customer_query).unwrap_or_default();
    let page = Page::signed_in(&who, "invoices-title", "invoices")
        .with_notice_key(query.notice.as_deref());
    Ok(render(&ShowPage {
        number: number_text(lang, &invoice),
        kind: lang.t(&format!("invoice-kind-{}", invoice.kind.as_str())),
        status: status_badge(lang, &invoice),
        issue: lang.date(invoice.issue_date),
        due: lang.date(invoice.due_date),
        gross: money(invoice.totals.gross),
        allocated: money(invoice.allocated),
        open: balance_text(lang, invoice.open_amount(), &invoice.currency),
        account_href: invoice.account().map(base),
        can_write: rehber_app::App::may_write_ledger(&who.actor()).is_ok(),
        customer_query,
        lines,
        totals,
        refusal,
        invoice,
        page,
    }))
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct StepForm {
    version: String,
}

/// A refused step: back to the invoice with the reason on top, or the error page.
fn refused(who: &SignedIn, id: i64, error: rehber_app::AppError) -> Result<Response, UiError> {
    match refusal_code(&error) {
        Some(code) => Ok(Redirect::to(&format!("/invoices/{id}?refused={code}")).into_response()),
        None => Err(UiError::signed_in(who, error)),
    }
}

async fn post_invoice(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<StepForm>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let version = form.version.trim().parse().ok();
    match state.app.post_invoice(&who.actor(), id, version).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/invoices/{id}?notice=notice-invoice-posted")).into_response(),
        ),
        Err(e) => refused(&who, id, e),
    }
}

async fn cancel_invoice(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<StepForm>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let version = form.version.trim().parse().ok();
    match state.app.cancel_invoice(&who.actor(), id, version).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/invoices/{id}?notice=notice-invoice-cancelled"))
                .into_response(),
        ),
        Err(e) => refused(&who, id, e),
    }
}

/// An order billed: a draft invoice with its customer, currency and lines.
async fn from_order(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let draft = InvoiceDraft {
        order_id: Some(id),
        ..InvoiceDraft::default()
    };
    match state.app.create_invoice(&who.actor(), &draft).await {
        Ok(invoice) => Ok(Redirect::to(&format!(
            "/invoices/{}?notice=notice-invoice-drafted",
            invoice.id
        ))
        .into_response()),
        Err(e) => match refusal_code(&e) {
            Some(code) => Ok(Redirect::to(&format!("/orders/{id}?refused={code}")).into_response()),
            None => Err(UiError::signed_in(&who, e)),
        },
    }
}
