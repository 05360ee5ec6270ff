//! Orders in the browser: the list, an order's page with what was shipped and returned of
//! each line, a shipment form (what is still open, ready to send in full or in part), the
//! status steps a user takes by hand, and returns. The rules are the services'
//! (`rehber_app::orders`).

use crate::error::{UiError, UiResultExt, render};
use crate::page::Page;
use crate::paths::path_id;
use crate::quotes::refusal_code;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use rehber_app::orders::{LineQuantityDraft, OrderPatch, OrderView, ShipmentDraft};
use rehber_domain::pricing::Quantity;
use rehber_domain::quote::{OrderStatus, ReturnStatus};
use rehber_web_core::auth::SignedIn;
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;
use serde::Deserialize;

const PAGE_SIZE: u32 = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orders", get(list))
        .route("/orders/{id}", get(show).post(update))
        .route("/orders/{id}/shipments", post(ship))
        .route("/orders/{id}/returns", post(request_return))
        .route("/orders/{id}/returns/{return_id}", post(return_status))
}

fn order_badge(lang: Lang, status: OrderStatus) -> (String, &'static str) {
    let tone = match status {
        OrderStatus::Confirmed | OrderStatus::Preparing => "badge-info",
        OrderStatus::PartiallyShipped => "badge-warning",
        OrderStatus::Shipped | OrderStatus::Delivered | OrderStatus::Closed => "badge-success",
        OrderStatus::Cancelled => "badge-danger",
    };
    (
        lang.t(&format!(
            "order-status-{}",
            status.as_str().replace('_', "-")
        )),
        tone,
    )
}

fn return_label(lang: Lang, status: ReturnStatus) -> String {
    lang.t(&format!("return-status-{}", status.as_str()))
}

fn quantity_text(lang: Lang, thousandths: i64) -> String {
    Quantity::from_thousandths(thousandths)
        .map(|q| lang.decimal(&q.to_decimal_string()))
        .unwrap_or_else(|_| "0".into())
}

pub struct OrderRow {
    pub id: i64,
    pub number: String,
    pub status: (String, &'static str),
    pub total: String,
    pub created: String,
}

#[derive(Template)]
#[template(path = "orders/list.html")]
struct ListPage {
    page: Page,
    rows: Vec<OrderRow>,
    more: bool,
    next: u64,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct PageQuery {
    offset: u64,
    notice: Option<String>,
    refused: String,
}

async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<PageQuery>,
) -> Result<Response, UiError> {
    let page =
        Page::signed_in(&who, "orders-title", "quotes").with_notice_key(query.notice.as_deref());
    let offset = query.offset.min(1_000_000);
    let (orders, more) = state
        .app
        .orders(&who.actor(), PAGE_SIZE, offset)
        .await
        .ui(&who)?;
    let rows = orders
        .into_iter()
        .map(|o| OrderRow {
            id: o.id,
            number: o.number.clone(),
            status: order_badge(who.lang, o.status),
            total: who.lang.money(o.totals.gross, &o.currency),
            created: who.lang.datetime(o.created_at),
        })
        .collect();
    Ok(render(&ListPage {
        page,
        rows,
        more,
        next: offset + PAGE_SIZE as u64,
    }))
}

/// A line of the order with what is left.
pub struct LineRow {
    pub position: i64,
    pub description: String,
    pub ordered: String,
    pub shipped: String,
    pub returned: String,
    /// Still to ship, as typed back (empty when nothing is).
    pub open: String,
    /// Shipped and not returned yet, as typed back.
    pub returnable: String,
    pub net: String,
}

pub struct ShipmentRow {
    pub shipped_on: String,
    pub carrier: String,
    pub tracking_no: String,
    pub lines: String,
}

pub struct ReturnRow {
    pub id: i64,
    pub status: String,
    pub reason: String,
    pub lines: String,
    pub version: i64,
    /// `(status, label)` of the steps allowed.
    pub next: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "orders/show.html")]
struct ShowPage {
    page: Page,
    view: OrderView,
    status: (String, &'static str),
    quote_href: String,
    total: String,
    lines: Vec<LineRow>,
    shipments: Vec<ShipmentRow>,
    returns: Vec<ReturnRow>,
    /// `(status, label)` a user may set by hand.
    next_statuses: Vec<(&'static str, String)>,
    can_ship: bool,
    can_return: bool,
    refusal: Option<String>,
    requested_date: String,
}

fn quantities(lang: Lang, view: &OrderView, lines: &[(i64, Quantity)]) -> String {
    lines
        .iter()
        .map(|(position, q)| {
            let name = view
                .order
                .lines
                .iter()
                .find(|l| l.position == *position)
                .map(|l| l.description.clone())
                .unwrap_or_default();
            format!("{} × {name}", lang.decimal(&q.to_decimal_string()))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let view = state.app.order(&who.actor(), id).await.ui(&who)?;
    let lang = who.lang;
    let mut page =
        Page::signed_in(&who, "orders-title", "quotes").with_notice_key(query.notice.as_deref());
    page.title = format!("{} · {}", view.order.number, page.title);
    let refusal = Some(query.refused.trim())
        .filter(|k| k.starts_with("invalid-") && lang.has(k))
        .map(|k| lang.t(k));
    let o = &view.order;
    let lines: Vec<LineRow> = o
        .lines
        .iter()
        .map(|l| {
            let ordered = l.input.quantity.thousandths();
            let shipped = view.shipped(l.position);
            let returned = view.returned(l.position);
            let open = ordered - shipped;
            LineRow {
                position: l.position,
                description: l.description.clone(),
                ordered: format!("{} {}", quantity_text(lang, ordered), lang.unit(&l.unit)),
                shipped: quantity_text(lang, shipped),
                returned: quantity_text(lang, returned),
                open: if open > 0 {
                    quantity_text(lang, open)
                } else {
                    String::new()
                },
                returnable: if shipped - returned > 0 {
                    quantity_text(lang, shipped - returned)
                } else {
                    String::new()
                },
                net: lang.money(l.amounts.net, &o.currency),
            }
        })
        .collect();
    let shipped_any = !view.shipments.is_empty();
    let next_statuses = OrderStatus::ALL
        .into_iter()
        .filter(|s| *s != o.status && o.status.may_become(*s, shipped_any))
        .map(|s| (s.as_str(), order_badge(lang, s).0))
        .collect();
    let shipments = view
        .shipments
        .iter()
        .map(|s| ShipmentRow {
            shipped_on: lang.date(s.shipped_on),
            carrier: s.carrier.clone(),
            tracking_no: s.tracking_no.clone(),
            lines: quantities(lang, &view, &s.lines),
        })
        .collect();
    let returns = view
        .returns
        .iter()
        .map(|r| ReturnRow {
            id: r.id,
            status: return_label(lang, r.status),
            reason: r.reason.clone(),
            lines: quantities(lang, &view, &r.lines),
            version: r.version,
            next: ReturnStatus::ALL
                .into_iter()
                .filter(|s| r.status.may_become(*s))
                .map(|s| (s.as_str(), return_label(lang, s)))
                .collect(),
        })
        .collect();
    let can_ship = lines.iter().any(|l| !l.open.is_empty())
        && !matches!(
            o.status,
            OrderStatus::Cancelled | OrderStatus::Closed | OrderStatus::Delivered
        );
    let can_return = lines.iter().any(|l| !l.returnable.is_empty());
    Ok(render(&ShowPage {
        status: order_badge(lang, o.status),
        quote_href: format!("/quotes/{}", o.quote_id),
        total: lang.money(o.totals.gross, &o.currency),
        requested_date: o.requested_date.map(|d| d.to_string()).unwrap_or_default(),
        lines,
        shipments,
        returns,
        next_statuses,
        can_ship,
        can_return,
        refusal,
        page,
        view,
    }))
}

/// Where a refused step sends the user: back to the order with the reason on top.
fn refused(who: &SignedIn, id: i64, error: rehber_app::AppError) -> Result<Response, UiError> {
    match refusal_code(&error) {
        Some(code) => Ok(Redirect::to(&format!("/orders/{id}?refused={code}")).into_response()),
        None => Err(UiError::signed_in(who, error)),
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct OrderForm {
    version: String,
    status: String,
    delivery_address: String,
    requested_date: String,
}

async fn update(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<OrderForm>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let patch = OrderPatch {
        version: form.version.trim().parse().ok(),
        status: Some(form.status.clone()).filter(|s| !s.trim().is_empty()),
        delivery_address: Some(form.delivery_address.clone()),
        requested_date: Some(form.requested_date.clone()),
        notes: None,
    };
    match state.app.update_order(&who.actor(), id, &patch).await {
        Ok(_) => Ok(Redirect::to(&format!("/orders/{id}?notice=notice-saved")).into_response()),
        Err(e) => refused(&who, id, e),
    }
}

/// Quantities by line: `position` and `quantity` repeated, one pair per line.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct QuantitiesForm {
    position: Vec<String>,
    quantity: Vec<String>,
    carrier: String,
    tracking_no: String,
    shipped_on: String,
    reason: String,
}

impl QuantitiesForm {
    /// The lines given a quantity (an empty one takes nothing of its line).
    fn lines(&self) -> Vec<LineQuantityDraft> {
        self.position
            .iter()
            .zip(&self.quantity)
            .filter(|(_, q)| !q.trim().is_empty())
            .map(|(p, q)| LineQuantityDraft {
                position: p.trim().parse().unwrap_or(0),
                quantity: q.clone(),
            })
            .collect()
    }
}

async fn ship(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<QuantitiesForm>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let lines = form.lines();
    if lines.is_empty() {
        return Ok(
            Redirect::to(&format!("/orders/{id}?refused=invalid-nothing-to-ship")).into_response(),
        );
    }
    let draft = ShipmentDraft {
        shipped_on: form.shipped_on.clone(),
        carrier: form.carrier.clone(),
        tracking_no: form.tracking_no.clone(),
        lines,
    };
    match state.app.ship_order(&who.actor(), id, &draft).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/orders/{id}?notice=notice-order-shipped")).into_response())
        }
        Err(e) => refused(&who, id, e),
    }
}

async fn request_return(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<QuantitiesForm>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let lines = form.lines();
    if lines.is_empty() {
        return Ok(
            Redirect::to(&format!("/orders/{id}?refused=invalid-nothing-to-return"))
                .into_response(),
        );
    }
    match state
        .app
        .request_return(&who.actor(), id, &form.reason, &lines)
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/orders/{id}?notice=notice-return-requested")).into_response(),
        ),
        Err(e) => refused(&who, id, e),
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct ReturnForm {
    status: String,
    version: String,
}

async fn return_status(
    State(state): State<AppState>,
    who: SignedIn,
    Path((id, return_id)): Path<(String, String)>,
    Form(form): Form<ReturnForm>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let return_id = path_id(&who, &return_id)?;
    match state
        .app
        .set_return_status(
            &who.actor(),
            id,
            return_id,
            &form.status,
            form.version.trim().parse().ok(),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/orders/{id}?notice=notice-saved")).into_response()),
        Err(e) => refused(&who, id, e),
    }
}
