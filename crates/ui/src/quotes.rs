//! Quotes (teklif) in the browser: the list, the editor (which is also the quick quote a
//! rep fills in on a phone during a meeting: customer, lines, a running total recalculated
//! on the server as they type), a quote's page with its steps (send with the PDF, accept,
//! reject, revise, cancel, make the order) and its PDF. The rules are the services'
//! (`rehber_app::quotes`); this module turns forms into drafts and drafts into pages.

pub(crate) mod editor;

use crate::error::{UiError, UiResultExt, render};
use crate::page::Page;
use crate::paths::path_id;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use editor::preview;
use rehber_app::QuoteFilter;
use rehber_app::quote_send::QuoteDocument;
use rehber_app::quotes::QuoteStep;
use rehber_domain::money::{Money, in_words_tr};
use rehber_domain::quote::{Quote, QuoteAction, QuoteStatus, vat_summary};
use rehber_web_core::auth::SignedIn;
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;
use serde::Deserialize;

/// Quotes on one page of the list.
const PAGE_SIZE: u32 = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/quotes", get(list).post(editor::create))
        .route("/quotes/new", get(editor::new))
        .route("/quotes/preview", post(preview))
        .route("/quotes/{id}", get(show).post(editor::update))
        .route("/quotes/{id}/edit", get(editor::edit))
        .route("/quotes/{id}/pdf", get(pdf))
        .route("/quotes/{id}/{step}", post(step))
}

/// A status as a badge: its words and its tone.
pub(crate) fn status_badge(lang: Lang, status: QuoteStatus) -> (String, &'static str) {
    let tone = match status {
        QuoteStatus::Draft => "",
        QuoteStatus::Sent => "badge-info",
        QuoteStatus::Accepted => "badge-success",
        QuoteStatus::Rejected | QuoteStatus::Cancelled => "badge-danger",
        QuoteStatus::Expired | QuoteStatus::Superseded => "badge-muted",
    };
    (lang.t(&format!("quote-status-{}", status.as_str())), tone)
}

/// One row of the list.
pub struct QuoteRow {
    pub id: i64,
    pub number: String,
    pub customer: String,
    pub status: (String, &'static str),
    pub total: String,
    pub valid_until: String,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "quotes/list.html")]
struct ListPage {
    page: Page,
    rows: Vec<QuoteRow>,
    /// `(value, label, current)` of the status tabs.
    tabs: Vec<(String, String, bool)>,
    status: String,
    more: bool,
    next: u64,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    status: String,
    offset: u64,
    notice: Option<String>,
    /// Why the last step was refused: an `invalid-…` message key.
    refused: String,
}

/// The customer a quote names, as the list and the page show it.
pub(crate) fn customer_name(document: &QuoteDocument) -> String {
    match (&document.company, &document.person) {
        (Some(c), Some(p)) => format!("{} · {}", c.title(), p.title()),
        (Some(c), None) => c.title(),
        (None, Some(p)) => p.title(),
        (None, None) => String::new(),
    }
}

async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<Response, UiError> {
    let page =
        Page::signed_in(&who, "quotes-title", "quotes").with_notice_key(query.notice.as_deref());
    let status = QuoteStatus::parse(query.status.trim());
    let filter = QuoteFilter {
        status,
        limit: PAGE_SIZE,
        offset: query.offset.min(1_000_000),
        ..QuoteFilter::default()
    };
    let actor = who.actor();
    let (quotes, more) = state.app.quotes(&actor, &filter).await.ui(&who)?;
    let mut rows = Vec::with_capacity(quotes.len());
    for q in quotes {
        let document = state.app.quote_document(&actor, q.id).await.ui(&who)?;
        rows.push(QuoteRow {
            id: q.id,
            number: q.display_number(),
            customer: customer_name(&document),
            status: status_badge(who.lang, q.status),
            total: who.lang.money(q.totals.gross, &q.currency),
            valid_until: who.lang.date(q.valid_until),
            updated: who.lang.datetime(q.updated_at),
        });
    }
    let current = status.map(|s| s.as_str()).unwrap_or("");
    let mut tabs = vec![(String::new(), page.t("quotes-all"), current.is_empty())];
    for s in [
        QuoteStatus::Draft,
        QuoteStatus::Sent,
        QuoteStatus::Accepted,
        QuoteStatus::Rejected,
        QuoteStatus::Expired,
    ] {
        tabs.push((
            s.as_str().to_string(),
            status_badge(who.lang, s).0,
            current == s.as_str(),
        ));
    }
    Ok(render(&ListPage {
        page,
        rows,
        tabs,
        status: current.to_string(),
        more,
        next: filter.offset + PAGE_SIZE as u64,
    }))
}

/// One priced line as the page shows it.
pub struct LineView {
    pub position: i64,
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub discount: String,
    pub vat: String,
    pub net: String,
}

/// A step the quote's status allows, as a button.
pub struct StepButton {
    pub step: &'static str,
    pub label: String,
    pub primary: bool,
    /// Asks for a reason (reject, cancel).
    pub reason: bool,
}

#[derive(Template)]
#[template(path = "quotes/show.html")]
struct ShowPage {
    page: Page,
    q: Quote,
    number: String,
    status: (String, &'static str),
    customer: String,
    customer_href: Option<String>,
    deal_href: Option<String>,
    lines: Vec<LineView>,
    totals: Vec<(String, String)>,
    grand_total: String,
    in_words: String,
    issue_date: String,
    valid_until: String,
    sent: Option<String>,
    steps: Vec<StepButton>,
    send_to: String,
    revisions: Vec<(i64, String, (String, &'static str))>,
    order_id: Option<i64>,
    refusal: Option<String>,
}

fn steps(lang: Lang, q: &Quote) -> Vec<StepButton> {
    let mut out = Vec::new();
    let mut add = |action: QuoteAction, key: &str, primary: bool, reason: bool| {
        if q.status.after(action).is_some() {
            out.push(StepButton {
                step: action.as_str(),
                label: lang.t(key),
                primary,
                reason,
            });
        }
    };
    add(QuoteAction::Accept, "quotes-accept", true, false);
    add(QuoteAction::Reject, "quotes-reject", false, true);
    add(QuoteAction::Revise, "quotes-revise", false, false);
    add(QuoteAction::Cancel, "quotes-cancel", false, true);
    out
}

async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let actor = who.actor();
    let document = state.app.quote_document(&actor, id).await.ui(&who)?;
    let q = document.quote.clone();
    let lang = who.lang;
    let mut page =
        Page::signed_in(&who, "quotes-title", "quotes").with_notice_key(query.notice.as_deref());
    // Only message keys are taken from the link, so it cannot carry text of its own.
    let refusal = Some(query.refused.trim())
        .filter(|k| k.starts_with("invalid-") && lang.has(k))
        .map(|k| lang.t(k));
    let number = q.display_number();
    page.title = format!("{number} · {}", page.title);
    let money = |minor: i64| lang.money(minor, &q.currency);
    let mut totals = vec![(page.t("quote-pdf-subtotal"), money(q.totals.subtotal))];
    if q.totals.discount != 0 {
        totals.push((page.t("quote-pdf-discount"), money(-q.totals.discount)));
        totals.push((page.t("quote-pdf-net"), money(q.totals.net)));
    }
    for row in vat_summary(&q.lines) {
        totals.push((
            lang.t_args("quote-pdf-vat", &[("rate", row.rate.percent().to_string())]),
            money(row.vat),
        ));
    }
    let lines = q
        .lines
        .iter()
        .map(|l| LineView {
            position: l.position,
            description: l.description.clone(),
            quantity: format!(
                "{} {}",
                lang.decimal(&l.input.quantity.to_decimal_string()),
                lang.unit(&l.unit)
            ),
            unit_price: money(l.input.unit_price),
            discount: if l.input.discount.basis_points() == 0 {
                String::new()
            } else {
                format!("%{}", lang.decimal(&l.input.discount.to_decimal_string()))
            },
            vat: format!("%{}", l.input.vat_rate.percent()),
            net: money(l.amounts.net),
        })
        .collect();
    let revisions = state
        .app
        .quote_revisions(&actor, &q)
        .await
        .ui(&who)?
        .into_iter()
        .filter(|r| r.id != q.id)
        .map(|r| (r.id, r.display_number(), status_badge(lang, r.status)))
        .collect();
    let order_id = if q.status == QuoteStatus::Accepted {
        state.app.order_of_quote(&actor, q.id).await.ui(&who)?
    } else {
        None
    };
    let customer_href = match (q.parties.company_id, q.parties.person_id) {
        (Some(c), _) => Some(format!("/companies/{}", c.0)),
        (None, Some(p)) => Some(format!("/people/{}", p.0)),
        _ => None,
    };
    Ok(render(&ShowPage {
        number,
        status: status_badge(lang, q.status),
        customer: customer_name(&document),
        customer_href,
        deal_href: q.parties.deal_id.map(|d| format!("/deals/{}", d.0)),
        lines,
        totals,
        grand_total: money(q.totals.gross),
        in_words: in_words_tr(&Money {
            minor: q.totals.gross,
            currency: q.currency.clone(),
        }),
        issue_date: lang.date(q.issue_date),
        valid_until: lang.date(q.valid_until),
        sent: q.sent_at.map(|at| lang.datetime(at)),
        steps: steps(lang, &q),
        send_to: q
            .sent_to
            .clone()
            .or_else(|| document.customer_email())
            .unwrap_or_default(),
        revisions,
        order_id,
        refusal,
        page,
        q,
    }))
}

async fn pdf(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let (bytes, filename) =
        rehber_web_core::documents::quote_pdf_file(&state.app, &who.actor(), who.lang, id)
            .await
            .ui(&who)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// A step's form: the version the page showed, a reason, an address.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct StepForm {
    version: String,
    reason: String,
    to: String,
}

async fn step(
    State(state): State<AppState>,
    who: SignedIn,
    Path((id, step)): Path<(String, String)>,
    Form(form): Form<StepForm>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let actor = who.actor();
    let version = form.version.trim().parse().ok();
    let back =
        |notice: &str| Redirect::to(&format!("/quotes/{id}?notice={notice}")).into_response();
    let outcome = match step.as_str() {
        "send" => rehber_web_core::documents::send_quote(
            &state.app,
            &actor,
            who.lang,
            id,
            form.to.clone(),
            version,
        )
        .await
        .map(|(_, emailed)| {
            back(if emailed {
                "notice-quote-sent"
            } else {
                "notice-quote-marked-sent"
            })
        }),
        "revise" => state.app.revise_quote(&actor, id).await.map(|revision| {
            Redirect::to(&format!(
                "/quotes/{}/edit?notice=notice-quote-revised",
                revision.id
            ))
            .into_response()
        }),
        "order" => state
            .app
            .order_from_quote(&actor, id)
            .await
            .map(|(order, _)| {
                Redirect::to(&format!("/orders/{}?notice=notice-order-created", order.id))
                    .into_response()
            }),
        other => {
            let action = match other {
                "accept" => QuoteAction::Accept,
                "reject" => QuoteAction::Reject,
                "cancel" => QuoteAction::Cancel,
                _ => return Err(UiError::not_found(&who)),
            };
            let quote_step = QuoteStep {
                version,
                reason: form.reason.clone(),
            };
            state
                .app
                .quote_step(&actor, id, action, &quote_step)
                .await
                .map(|_| back(&format!("notice-quote-{other}")))
        }
    };
    outcome.or_else(|error| refused_step(&who, id, error))
}

/// The message key of a refused step that the page shows on top (a page read before a
/// change, a status that moved on, a bad value); `None` for errors that need the error page.
pub(crate) fn refusal_code(error: &rehber_app::AppError) -> Option<String> {
    use rehber_domain::Error;
    match error.domain()? {
        Error::StaleVersion => Some("invalid-state-stale".into()),
        Error::Conflict(what) | Error::InvalidState(what) => Some(format!("invalid-state-{what}")),
        Error::Validation(fields) => fields.0.first().map(|f| f.code.clone()),
        _ => None,
    }
}

/// A refused step: back to the quote with the reason on top, or the error page.
fn refused_step(who: &SignedIn, id: i64, error: rehber_app::AppError) -> Result<Response, UiError> {
    match refusal_code(&error) {
        Some(code) => Ok(Redirect::to(&format!("/quotes/{id}?refused={code}")).into_response()),
        None => Err(UiError::signed_in(who, error)),
    }
}
