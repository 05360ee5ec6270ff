//! Orders as use cases: made once from an accepted quote, changed by hand along their
//! delivery (confirmed → preparing; shipped → delivered → closed; or cancelled), moved to
//! partially shipped and shipped by the shipments recorded, and returns of what was shipped.
//! Orders carry their quote's owner and team, so the scope is the quote's.

use crate::App;
use crate::error::AppResult;
use jiff::civil::Date;
use rehber_domain::access::RecordKind;
use rehber_domain::error::FieldErrors;
use rehber_domain::pricing::Quantity;
use rehber_domain::quote::{Order, OrderReturn, OrderStatus, QuoteStatus, ReturnStatus, Shipment};
use rehber_domain::{Actor, Error};
use rehber_store::{AuditChange, AuditEntry, NewShipment, Value};

/// The longest free texts of orders, shipments and returns.
pub const MAX_ORDER_TEXT: usize = 2_000;

/// A change of an order; `None` keeps the stored value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderPatch {
    pub version: Option<i64>,
    pub status: Option<String>,
    pub delivery_address: Option<String>,
    /// `YYYY-MM-DD`; empty clears it.
    pub requested_date: Option<String>,
    pub notes: Option<String>,
}

/// A shipment or a return as typed: quantities by line position (1, 2, …).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineQuantityDraft {
    pub position: i64,
    pub quantity: String,
}

/// A shipment as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShipmentDraft {
    /// `YYYY-MM-DD`; empty is today.
    pub shipped_on: String,
    pub carrier: String,
    pub tracking_no: String,
    /// Empty ships everything still open.
    pub lines: Vec<LineQuantityDraft>,
}

/// An order with what was shipped and returned of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderView {
    pub order: Order,
    pub shipments: Vec<Shipment>,
    pub returns: Vec<OrderReturn>,
}

impl OrderView {
    /// Thousandths shipped of the line at `position`.
    pub fn shipped(&self, position: i64) -> i64 {
        sum_at(self.shipments.iter().map(|s| &s.lines), position)
    }

    /// Thousandths returned (not rejected) of the line at `position`.
    pub fn returned(&self, position: i64) -> i64 {
        sum_at(
            self.returns
                .iter()
                .filter(|r| r.status != ReturnStatus::Rejected)
                .map(|r| &r.lines),
            position,
        )
    }
}

fn sum_at<'a>(lists: impl Iterator<Item = &'a Vec<(i64, Quantity)>>, position: i64) -> i64 {
    lists
        .flatten()
        .filter(|(p, _)| *p == position)
        .map(|(_, q)| q.thousandths())
        .sum()
}

fn entry(actor: &Actor, id: i64, action: &'static str) -> AuditEntry {
    AuditEntry {
        actor: Some(actor.user_id),
        record_type: "order",
        record_id: id,
        action,
        changes: Vec::new(),
    }
}

fn change(field: &str, from: impl ToString, to: impl ToString) -> AuditChange {
    AuditChange {
        field: field.into(),
        from: from.to_string(),
        to: to.to_string(),
    }
}

fn text(typed: &str, field: &str, errors: &mut FieldErrors) -> String {
    let text = typed.trim();
    if text.chars().count() > MAX_ORDER_TEXT {
        errors.add(field, "invalid-too-long");
    }
    text.to_string()
}

/// Checks typed quantities against what each line still allows (`open(position)`, in
/// thousandths; `None` when there is no such line). Empty takes everything open.
fn check_quantities(
    drafts: &[LineQuantityDraft],
    positions: &[i64],
    open: impl Fn(i64) -> Option<i64>,
    errors: &mut FieldErrors,
) -> Vec<(i64, Quantity)> {
    if drafts.is_empty() {
        return positions
            .iter()
            .filter_map(|p| {
                let left = open(*p)?;
                Quantity::from_thousandths(left).ok().map(|q| (*p, q))
            })
            .collect();
    }
    let mut out: Vec<(i64, Quantity)> = Vec::new();
    for (index, line) in drafts.iter().enumerate() {
        let Some(left) = open(line.position) else {
            errors.add(format!("lines/{index}/position"), "invalid-unknown-record");
            continue;
        };
        if out.iter().any(|(p, _)| *p == line.position) {
            errors.add(format!("lines/{index}/position"), "invalid-duplicate");
            continue;
        }
        match Quantity::parse(&line.quantity) {
            Ok(q) if q.thousandths() <= left => out.push((line.position, q)),
            Ok(_) => errors.add(format!("lines/{index}/quantity"), "invalid-quantity-over"),
            Err(_) => errors.add(
                format!("lines/{index}/quantity"),
                "invalid-quantity-positive",
            ),
        }
    }
    out
}

impl App {
    fn may_write_orders(actor: &Actor) -> AppResult<()> {
        if actor.role.can_write(RecordKind::Deal) {
            Ok(())
        } else {
            Err(Error::Forbidden.into())
        }
    }

    /// The order of an accepted quote the actor can see: made now when there is none, else
    /// the one made before (`true` when this call made it).
    pub async fn order_from_quote(&self, actor: &Actor, quote_id: i64) -> AppResult<(Order, bool)> {
        Self::may_write_orders(actor)?;
        let quote = self.quote(actor, quote_id).await?;
        if let Some(id) = self.store.scoped(actor).order_of_quote(quote_id).await? {
            return Ok((self.store.scoped(actor).order(id).await?, false));
        }
        if quote.status != QuoteStatus::Accepted {
            return Err(Error::Conflict("quote-not-accepted").into());
        }
        let mut audit = entry(actor, 0, "create");
        audit.changes = vec![change("quote", "", quote.display_number())];
        let (id, made) = self
            .store
            .order_for_quote(&quote, i64::from(self.today().year()), audit)
            .await?;
        Ok((self.store.unscoped().order(id).await?, made))
    }

    /// The id of the order made from a quote, if there is one the actor can see.
    pub async fn order_of_quote(&self, actor: &Actor, quote_id: i64) -> AppResult<Option<i64>> {
        Ok(self.store.scoped(actor).order_of_quote(quote_id).await?)
    }

    /// One order the actor can see, with its shipments and returns.
    pub async fn order(&self, actor: &Actor, id: i64) -> AppResult<OrderView> {
        let scoped = self.store.scoped(actor);
        Ok(OrderView {
            order: scoped.order(id).await?,
            shipments: scoped.shipments(id).await?,
            returns: scoped.order_returns(id).await?,
        })
    }

    /// A page of the orders the actor can see, and whether there are more.
    pub async fn orders(
        &self,
        actor: &Actor,
        limit: u32,
        offset: u64,
    ) -> AppResult<(Vec<Order>, bool)> {
        Ok(self.store.scoped(actor).orders(limit, offset).await?)
    }

    /// Changes an order's delivery details or status (by hand: see
    /// [`OrderStatus::may_become`]).
    pub async fn update_order(
        &self,
        actor: &Actor,
        id: i64,
        patch: &OrderPatch,
    ) -> AppResult<OrderView> {
        Self::may_write_orders(actor)?;
        let view = self.order(actor, id).await?;
        let stored = &view.order;
        let mut errors = FieldErrors::new();
        let mut values: Vec<(&'static str, Value)> = Vec::new();
        let mut audit = entry(actor, id, "update");
        if let Some(typed) = &patch.status {
            match OrderStatus::parse(typed.trim()) {
                None => errors.add("status", "invalid-choice"),
                Some(to) if !stored.status.may_become(to, !view.shipments.is_empty()) => {
                    return Err(Error::Conflict("order-status").into());
                }
                Some(to) if to != stored.status => {
                    values.push(("status", to.as_str().into()));
                    audit
                        .changes
                        .push(change("status", stored.status.as_str(), to.as_str()));
                }
                Some(_) => {}
            }
        }
        if let Some(typed) = &patch.delivery_address {
            let address = text(typed, "delivery_address", &mut errors);
            audit.changes.push(change(
                "delivery_address",
                &stored.delivery_address,
                &address,
            ));
            values.push(("delivery_address", address.into()));
        }
        if let Some(typed) = &patch.notes {
            let notes = text(typed, "notes", &mut errors);
            values.push(("notes", notes.into()));
        }
        if let Some(typed) = &patch.requested_date {
            match typed.trim() {
                "" => values.push(("requested_date", Option::<String>::None.into())),
                day => match day.parse::<Date>() {
                    Ok(date) => values.push(("requested_date", Some(date.to_string()).into())),
                    Err(_) => errors.add("requested_date", "invalid-date"),
                },
            }
        }
        errors.into_result()?;
        self.store
            .update_order(id, patch.version.unwrap_or(stored.version), values, audit)
            .await?;
        self.order(actor, id).await
    }

    /// Records a shipment of an order the actor can see (no more of a line than is still
    /// open) and moves the order to partially shipped or shipped.
    pub async fn ship_order(
        &self,
        actor: &Actor,
        id: i64,
        draft: &ShipmentDraft,
    ) -> AppResult<(OrderView, i64)> {
        Self::may_write_orders(actor)?;
        let view = self.order(actor, id).await?;
        let order = &view.order;
        if matches!(
            order.status,
            OrderStatus::Cancelled | OrderStatus::Closed | OrderStatus::Delivered
        ) {
            return Err(Error::Conflict("order-status").into());
        }
        let mut errors = FieldErrors::new();
        let shipped_on = match draft.shipped_on.trim() {
            "" => self.today(),
            day => day.parse::<Date>().unwrap_or_else(|_| {
                errors.add("shipped_on", "invalid-date");
                self.today()
            }),
        };
        let carrier = text(&draft.carrier, "carrier", &mut errors);
        let tracking_no = text(&draft.tracking_no, "tracking_no", &mut errors);
        let positions: Vec<i64> = order.lines.iter().map(|l| l.position).collect();
        let open = |position: i64| {
            order
                .lines
                .iter()
                .find(|l| l.position == position)
                .map(|l| l.input.quantity.thousandths() - view.shipped(position))
                .filter(|left| *left >= 0)
        };
        let lines: Vec<(i64, Quantity)> =
            check_quantities(&draft.lines, &positions, open, &mut errors);
        if lines.is_empty() && errors.is_empty() {
            errors.add("lines", "invalid-nothing-to-ship");
        }
        errors.into_result()?;
        let ordered: i64 = order
            .lines
            .iter()
            .map(|l| l.input.quantity.thousandths())
            .sum();
        let shipped: i64 = positions.iter().map(|p| view.shipped(*p)).sum::<i64>()
            + lines.iter().map(|(_, q)| q.thousandths()).sum::<i64>();
        let status = order.status.from_shipments(ordered, shipped);
        let mut audit = entry(actor, id, "ship");
        audit.changes = vec![change("status", order.status.as_str(), status.as_str())];
        let shipment = NewShipment {
            shipped_on,
            carrier: &carrier,
            tracking_no: &tracking_no,
            lines: &lines,
            created_by: Some(actor.user_id),
        };
        let shipment_id = self
            .store
            .insert_shipment(id, order.version, status, &shipment, audit)
            .await?;
        Ok((self.order(actor, id).await?, shipment_id))
    }

    /// Records a return request of shipped goods of an order the actor can see.
    pub async fn request_return(
        &self,
        actor: &Actor,
        id: i64,
        reason: &str,
        lines: &[LineQuantityDraft],
    ) -> AppResult<(OrderView, i64)> {
        Self::may_write_orders(actor)?;
        let view = self.order(actor, id).await?;
        let mut errors = FieldErrors::new();
        let reason = text(reason, "reason", &mut errors);
        if reason.is_empty() {
            errors.add("reason", "invalid-required");
        }
        let positions: Vec<i64> = view.order.lines.iter().map(|l| l.position).collect();
        let open = |position: i64| {
            positions
                .contains(&position)
                .then(|| view.shipped(position) - view.returned(position))
                .filter(|left| *left >= 0)
        };
        let checked = check_quantities(lines, &positions, open, &mut errors);
        if checked.is_empty() && errors.is_empty() {
            errors.add("lines", "invalid-nothing-to-return");
        }
        errors.into_result()?;
        let audit = entry(actor, id, "return");
        let return_id = self
            .store
            .insert_return(
                id,
                view.order.version,
                &reason,
                &checked,
                Some(actor.user_id),
                audit,
            )
            .await?;
        Ok((self.order(actor, id).await?, return_id))
    }

    /// Moves a return of an order the actor can see along requested → approved → received
    /// → credited (or rejected).
    pub async fn set_return_status(
        &self,
        actor: &Actor,
        order_id: i64,
        return_id: i64,
        status: &str,
        version: Option<i64>,
    ) -> AppResult<OrderView> {
        Self::may_write_orders(actor)?;
        let view = self.order(actor, order_id).await?;
        let found = view
            .returns
            .iter()
            .find(|r| r.id == return_id)
            .ok_or(Error::NotFound)?;
        let to = ReturnStatus::parse(status.trim())
            .ok_or_else(|| Error::field("status", "invalid-choice"))?;
        if !found.status.may_become(to) {
            return Err(Error::Conflict("return-status").into());
        }
        let mut audit = entry(actor, order_id, "return_status");
        audit.changes = vec![change("return", found.status.as_str(), to.as_str())];
        self.store
            .set_return_status(return_id, version.unwrap_or(found.version), to, audit)
            .await?;
        self.order(actor, order_id).await
    }
}
