//! The aging report in the browser: every account in view by how late its invoices are at
//! a date, with a totals line per currency (the rules: `rehber_app::ledger`).

use crate::error::{UiError, UiResultExt, render};
use crate::ledger::{balance_text, base};
use crate::page::Page;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use jiff::civil::Date;
use rehber_domain::Error;
use rehber_domain::ledger::{Aging, AgingBucket};
use rehber_web_core::auth::SignedIn;
use rehber_web_core::state::AppState;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/reports/aging", get(aging))
}

/// One row of the aging report as shown.
pub struct AgingView {
    pub name: String,
    pub href: String,
    pub currency: String,
    pub cells: [String; 6],
    pub balance: String,
}

#[derive(Template)]
#[template(path = "ledger/aging.html")]
struct AgingPage {
    page: Page,
    as_of: String,
    rows: Vec<AgingView>,
    /// One line per currency: the columns summed.
    totals: Vec<AgingView>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct AgingQuery {
    as_of: String,
}

async fn aging(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<AgingQuery>,
) -> Result<Response, UiError> {
    let lang = who.lang;
    let as_of = match query.as_of.trim() {
        "" => state.app.today(),
        typed => typed
            .parse::<Date>()
            .map_err(|_| Error::field("as_of", "invalid-date"))
            .ui(&who)?,
    };
    let found = state.app.aging(&who.actor(), as_of, None).await.ui(&who)?;
    let view = |name: String, href: String, currency: &str, a: &Aging, balance: i64| {
        let money = |minor: i64| {
            if minor == 0 {
                String::new()
            } else {
                lang.money(minor, currency)
            }
        };
        AgingView {
            cells: [
                money(a.not_due),
                money(a.days_0_30),
                money(a.days_31_60),
                money(a.days_61_90),
                money(a.days_over_90),
                money(a.unallocated),
            ],
            balance: balance_text(lang, balance, currency),
            name,
            href,
            currency: currency.to_string(),
        }
    };
    let mut sums: Vec<(String, Aging, i64)> = Vec::new();
    let mut rows = Vec::with_capacity(found.len());
    for row in &found {
        let index = match sums.iter().position(|(c, _, _)| *c == row.currency) {
            Some(index) => index,
            None => {
                sums.push((row.currency.clone(), Aging::default(), 0));
                sums.len() - 1
            }
        };
        let (_, sum, balance) = &mut sums[index];
        let a = &row.aging;
        sum.add_open(AgingBucket::NotDue, a.not_due);
        sum.add_open(AgingBucket::Days0To30, a.days_0_30);
        sum.add_open(AgingBucket::Days31To60, a.days_31_60);
        sum.add_open(AgingBucket::Days61To90, a.days_61_90);
        sum.add_open(AgingBucket::Over90, a.days_over_90);
        sum.unallocated = sum.unallocated.saturating_add(a.unallocated);
        *balance = balance.saturating_add(row.balance);
        rows.push(view(
            row.name.clone(),
            format!("{}/ledger?currency={}", base(row.account), row.currency),
            &row.currency,
            a,
            row.balance,
        ));
    }
    let totals = sums
        .iter()
        .map(|(currency, sum, balance)| {
            view(
                lang.t("aging-total"),
                String::new(),
                currency,
                sum,
                *balance,
            )
        })
        .collect();
    Ok(render(&AgingPage {
        page: Page::signed_in(&who, "aging-title", "invoices"),
        as_of: as_of.to_string(),
        rows,
        totals,
    }))
}
