//! What the ledger's tests share: today in Rehber's home zone, days from it, a posted
//! invoice and a payment through the API.

use super::Api;
use axum::http::{Method, StatusCode};
use jiff::civil::Date;
use serde_json::{Value, json};

pub fn today() -> Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(rehber_app::home_zone())
        .date()
}

pub fn days(n: i64) -> Date {
    today().checked_add(jiff::Span::new().days(n)).unwrap()
}

/// Writes and posts an invoice of one line (`net` before 20 % KDV) for `company`, issued
/// `issued` days from today; the posted invoice.
pub async fn posted_invoice(api: &Api, token: &str, company: i64, issued: i64, net: i64) -> Value {
    let body = json!({
        "company_id": company,
        "currency": "TRY",
        "issue_date": days(issued).to_string(),
        "lines": [{"description": "Bakım hizmeti", "quantity": "1", "unit_price": {"minor": net}, "vat_rate": 20}]
    });
    let reply = api
        .call(Method::POST, "/api/v1/invoices", Some(token), Some(body))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    assert_eq!(reply.body["status"], "draft");
    assert_eq!(reply.body["number"], Value::Null, "a draft has no number");
    let id = reply.body["id"].as_i64().unwrap();
    let reply = api
        .call(
            Method::POST,
            &format!("/api/v1/invoices/{id}/post"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["status"], "posted");
    reply.body
}

pub async fn pay(api: &Api, token: &str, body: Value) -> (StatusCode, Value) {
    let reply = api
        .call(Method::POST, "/api/v1/payments", Some(token), Some(body))
        .await;
    (reply.status, reply.body)
}
