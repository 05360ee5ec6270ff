//! The customer ledger in the browser: the "Cari hesap" card on a customer's page, the
//! account page with its statement (ekstre) for a period and its files, and the three-field
//! "Tahsilat al" form that works on a phone (the aging report is `aging`). The rules are the
//! services' (`rehber_app::ledger`).

use crate::error::{UiError, UiResultExt, field_messages, render};
use crate::page::Page;
use crate::paths::path_id;
use crate::records::{CURRENCIES, Choice};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use jiff::civil::Date;
use rehber_app::ledger::{AccountSummary, PaymentDraft, StatementPage};
use rehber_domain::ledger::{Account, PaymentMethod, balance_side};
use rehber_domain::party::{Companies, People};
use rehber_domain::{CompanyId, Error, PersonId};
use rehber_web_core::auth::SignedIn;
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;
use serde::Deserialize;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/companies/{id}/ledger", get(company_account))
        .route("/people/{id}/ledger", get(person_account))
        .route("/companies/{id}/ledger/{file}", get(company_file))
        .route("/people/{id}/ledger/{file}", get(person_file))
        .route("/payments/new", get(new_payment))
        .route("/payments", post(create_payment))
}

/// Where an account's pages live: `/companies/12`, `/people/7`.
pub(crate) fn base(account: Account) -> String {
    match account {
        Account::Company(id) => format!("/companies/{}", id.0),
        Account::Person(id) => format!("/people/{}", id.0),
    }
}

/// The query naming an account's customer: `company_id=12`, `person_id=7`.
pub(crate) fn customer_query(account: Account) -> String {
    match account {
        Account::Company(id) => format!("company_id={}", id.0),
        Account::Person(id) => format!("person_id={}", id.0),
    }
}

/// An amount with its side as a statement shows a balance: `₺1.250,00 (B)`.
pub fn balance_text(lang: Lang, minor: i64, currency: &str) -> String {
    match balance_side(minor) {
        "" => lang.money(0, currency),
        side => format!("{} ({side})", lang.money(minor.abs(), currency)),
    }
}

/// One currency of an account, as the card and the account page show it.
pub struct BalanceView {
    pub currency: String,
    pub balance: String,
    /// `owes`, `credit` or `settled`: the tone of the amount.
    pub tone: &'static str,
    pub overdue: String,
    pub has_overdue: bool,
    pub unallocated: String,
    pub has_unallocated: bool,
}

fn balance_views(lang: Lang, summary: &AccountSummary) -> Vec<BalanceView> {
    summary
        .balances
        .iter()
        .map(|b| BalanceView {
            balance: balance_text(lang, b.balance, &b.currency),
            tone: match b.balance.signum() {
                1 => "owes",
                -1 => "credit",
                _ => "settled",
            },
            overdue: lang.money(b.overdue, &b.currency),
            has_overdue: b.overdue > 0,
            unallocated: lang.money(-b.unallocated, &b.currency),
            has_unallocated: b.unallocated < 0,
            currency: b.currency.clone(),
        })
        .collect()
}

fn last_payment_text(lang: Lang, summary: &AccountSummary) -> Option<String> {
    summary.last_payment.as_ref().map(|p| {
        format!(
            "{} · {} · {}",
            lang.date(p.received_at),
            lang.money(p.amount, &p.currency),
            lang.t(&format!("payment-method-{}", p.method.as_str()))
        )
    })
}

#[derive(Template)]
#[template(path = "ledger/card.html")]
struct Card<'a> {
    page: &'a Page,
    base: String,
    query: String,
    balances: Vec<BalanceView>,
    last_payment: Option<String>,
    can_read: bool,
    can_collect: bool,
}

/// The "Cari hesap" card of a customer's page. `only_with_balance`: nothing when the
/// account holds nothing (a person whose documents go to their company's account).
pub async fn side_card(
    state: &AppState,
    who: &SignedIn,
    page: &Page,
    account: Account,
    only_with_balance: bool,
) -> Result<String, UiError> {
    let actor = who.actor();
    let summary = state.app.account_summary(&actor, account).await.ui(who)?;
    if only_with_balance && summary.balances.is_empty() {
        return Ok(String::new());
    }
    let card = Card {
        page,
        base: base(account),
        query: customer_query(account),
        balances: balance_views(who.lang, &summary),
        last_payment: last_payment_text(who.lang, &summary),
        can_read: rehber_app::App::may_read_ledger(&actor).is_ok(),
        can_collect: rehber_app::App::may_write_ledger(&actor).is_ok(),
    };
    Ok(crate::records::pages::html(&card))
}

/// One line of the statement as shown.
pub struct EntryRow {
    pub date: String,
    pub document: String,
    pub href: Option<String>,
    pub description: String,
    pub due: String,
    pub debit: String,
    pub credit: String,
    pub balance: String,
}

#[derive(Template)]
#[template(path = "ledger/account.html")]
struct AccountPage {
    page: Page,
    name: String,
    base: String,
    query: String,
    balances: Vec<BalanceView>,
    last_payment: Option<String>,
    from: String,
    to: String,
    currency: String,
    currencies: Vec<String>,
    opening: String,
    rows: Vec<EntryRow>,
    total_debit: String,
    total_credit: String,
    closing: String,
    /// The statement's files, with the period: `…/ledger/statement` + `.pdf?from=…`.
    file_base: String,
    period: String,
    from_label: String,
    can_collect: bool,
    /// The next page of a long period, and the first page when this is a later one.
    next_href: Option<String>,
    first_href: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct PeriodQuery {
    from: String,
    to: String,
    currency: String,
    /// The page of a long period (the `next_cursor` of the page before).
    cursor: String,
    notice: Option<String>,
}

impl PeriodQuery {
    /// The period asked for (the year so far by default) and its currency.
    fn period(&self, today: Date) -> Result<(Date, Date, String), Error> {
        let date = |text: &str, field: &str, default: Date| match text.trim() {
            "" => Ok(default),
            typed => typed
                .parse::<Date>()
                .map_err(|_| Error::field(field, "invalid-date")),
        };
        let from = date(&self.from, "from", today.first_of_year())?;
        let to = date(&self.to, "to", today)?;
        let currency = match self.currency.trim() {
            "" => "TRY".to_string(),
            typed => typed.to_ascii_uppercase(),
        };
        if !rehber_domain::money::is_currency(&currency) {
            return Err(Error::field("currency", "invalid-currency"));
        }
        Ok((from, to, currency))
    }
}

/// The name of the account's customer, read through the viewer's scope (a customer out of
/// view is a 404).
async fn customer_name(
    state: &AppState,
    who: &SignedIn,
    account: Account,
) -> Result<String, UiError> {
    let actor = who.actor();
    Ok(match account {
        Account::Company(id) => {
            state
                .app
                .get::<Companies>(&actor, id)
                .await
                .ui(who)?
                .fields
                .name
        }
        Account::Person(id) => state
            .app
            .get::<People>(&actor, id)
            .await
            .ui(who)?
            .fields
            .full_name(),
    })
}

/// Entries on one page of the account page's statement; the files hold the whole period.
const STATEMENT_PAGE: u32 = 500;

async fn statement_for(
    state: &AppState,
    who: &SignedIn,
    account: Account,
    query: &PeriodQuery,
) -> Result<StatementPage, UiError> {
    let (from, to, currency) = query.period(state.app.today()).ui(who)?;
    let cursor = Some(query.cursor.as_str()).filter(|c| !c.trim().is_empty());
    state
        .app
        .statement_page(
            &who.actor(),
            account,
            &currency,
            (from, to),
            cursor,
            STATEMENT_PAGE,
        )
        .await
        .ui(who)
}

async fn account_page(
    state: AppState,
    who: SignedIn,
    account: Account,
    query: PeriodQuery,
) -> Result<Response, UiError> {
    let lang = who.lang;
    let name = customer_name(&state, &who, account).await?;
    let StatementPage {
        statement,
        next_cursor,
    } = statement_for(&state, &who, account, &query).await?;
    let actor = who.actor();
    let summary = state.app.account_summary(&actor, account).await.ui(&who)?;
    let mut currencies: Vec<String> = CURRENCIES.iter().map(|c| c.to_string()).collect();
    for b in &summary.balances {
        if !currencies.contains(&b.currency) {
            currencies.push(b.currency.clone());
        }
    }
    let currency = statement.currency.clone();
    let money = |minor: i64| {
        if minor == 0 {
            String::new()
        } else {
            lang.money(minor, &currency)
        }
    };
    let rows = statement
        .lines
        .iter()
        .map(|l| EntryRow {
            date: lang.date(l.entry.date),
            document: l.entry.document.clone(),
            href: l.entry.invoice_id.map(|id| format!("/invoices/{id}")),
            description: rehber_web_core::statement::entry_description(
                lang,
                l.entry.kind.as_str(),
                &l.entry.description,
            ),
            due: l.entry.due_date.map(|d| lang.date(d)).unwrap_or_default(),
            debit: money(l.entry.debit),
            credit: money(l.entry.credit),
            balance: balance_text(lang, l.balance, &currency),
        })
        .collect();
    let period = format!(
        "from={}&to={}&currency={}",
        statement.from, statement.to, statement.currency
    );
    // A cursor is `<date>.<id>`: nothing in it needs escaping in a link.
    let next_href = next_cursor.map(|c| format!("?{period}&cursor={c}"));
    let first_href = (!query.cursor.trim().is_empty()).then(|| format!("?{period}"));
    let page = Page::signed_in(
        &who,
        "ledger-title",
        if matches!(account, Account::Company(_)) {
            "companies"
        } else {
            "people"
        },
    )
    .with_notice_key(query.notice.as_deref());
    Ok(render(&AccountPage {
        base: base(account),
        query: customer_query(account),
        balances: balance_views(lang, &summary),
        last_payment: last_payment_text(lang, &summary),
        from: statement.from.to_string(),
        to: statement.to.to_string(),
        opening: balance_text(lang, statement.opening, &currency),
        total_debit: lang.money(statement.total_debit, &currency),
        total_credit: lang.money(statement.total_credit, &currency),
        closing: balance_text(lang, statement.closing, &currency),
        file_base: format!("{}/ledger/statement", base(account)),
        from_label: lang.date(statement.from),
        period,
        can_collect: rehber_app::App::may_write_ledger(&actor).is_ok(),
        next_href,
        first_href,
        currency,
        currencies,
        rows,
        name,
        page,
    }))
}

async fn company_account(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    account_page(state, who, Account::Company(CompanyId(id)), query).await
}

async fn person_account(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    account_page(state, who, Account::Person(PersonId(id)), query).await
}

async fn statement_download(
    state: AppState,
    who: SignedIn,
    account: Account,
    file: &str,
    query: PeriodQuery,
) -> Result<Response, UiError> {
    use rehber_web_core::statement::{StatementFile, StatementFileError};
    let Some(kind) = StatementFile::parse(file) else {
        return Err(UiError::signed_in(&who, Error::NotFound));
    };
    let customer =
        rehber_web_core::statement::statement_customer(&state.app, who.lang, &who.actor(), account)
            .await
            .ui(&who)?;
    // A file holds the whole period, never a page of it.
    let (from, to, currency) = query.period(state.app.today()).ui(&who)?;
    let statement = state
        .app
        .statement(&who.actor(), account, &currency, from, to)
        .await
        .ui(&who)?;
    let (body, name) = rehber_web_core::statement::statement_file(
        &state.app, who.lang, customer, &statement, kind,
    )
    .map_err(|e| match e {
        StatementFileError::TooLong => {
            UiError::signed_in(&who, Error::field("to", "invalid-statement-too-long-print"))
        }
        StatementFileError::Write(cause) => {
            UiError::signed_in(&who, rehber_app::AppError::Internal(cause))
        }
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, kind.content_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}

async fn company_file(
    State(state): State<AppState>,
    who: SignedIn,
    Path((id, file)): Path<(String, String)>,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    statement_download(state, who, Account::Company(CompanyId(id)), &file, query).await
}

async fn person_file(
    State(state): State<AppState>,
    who: SignedIn,
    Path((id, file)): Path<(String, String)>,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    statement_download(state, who, Account::Person(PersonId(id)), &file, query).await
}

/// The "Tahsilat al" form as typed.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
struct PaymentForm {
    company_id: String,
    person_id: String,
    amount: String,
    currency: String,
    method: String,
    received_at: String,
    reference: String,
    due_date: String,
}

impl PaymentForm {
    fn account(&self) -> Option<Account> {
        let id = |text: &str| text.trim().parse::<i64>().ok().filter(|id| *id > 0);
        match (id(&self.company_id), id(&self.person_id)) {
            (Some(c), _) => Some(Account::Company(CompanyId(c))),
            (None, Some(p)) => Some(Account::Person(PersonId(p))),
            (None, None) => None,
        }
    }
}

#[derive(Template)]
#[template(path = "ledger/payment.html")]
struct PaymentPage {
    page: Page,
    name: String,
    base: String,
    form: PaymentForm,
    methods: Vec<Choice>,
    currencies: Vec<Choice>,
    balances: Vec<BalanceView>,
    errors: HashMap<String, String>,
}

async fn payment_page(
    state: &AppState,
    who: &SignedIn,
    account: Account,
    form: PaymentForm,
    errors: HashMap<String, String>,
) -> Result<Response, UiError> {
    let lang = who.lang;
    let name = customer_name(state, who, account).await?;
    let summary = state
        .app
        .account_summary(&who.actor(), account)
        .await
        .ui(who)?;
    let methods = PaymentMethod::ALL
        .iter()
        .map(|m| {
            Choice::new(
                m.as_str(),
                lang.t(&format!("payment-method-{}", m.as_str())),
            )
        })
        .collect();
    let currencies = CURRENCIES.iter().map(|c| Choice::new(*c, *c)).collect();
    let page = Page::signed_in(
        who,
        "payment-new-title",
        if matches!(account, Account::Company(_)) {
            "companies"
        } else {
            "people"
        },
    );
    Ok(render(&PaymentPage {
        page,
        name,
        base: base(account),
        form,
        methods,
        currencies,
        balances: balance_views(lang, &summary),
        errors,
    }))
}

async fn new_payment(
    State(state): State<AppState>,
    who: SignedIn,
    Query(typed): Query<PaymentForm>,
) -> Result<Response, UiError> {
    rehber_app::App::may_write_ledger(&who.actor()).ui(&who)?;
    let Some(account) = typed.account() else {
        return Err(UiError::signed_in(&who, Error::NotFound));
    };
    let form = PaymentForm {
        method: PaymentMethod::Cash.as_str().into(),
        currency: "TRY".into(),
        received_at: state.app.today().to_string(),
        ..typed
    };
    payment_page(&state, &who, account, form, HashMap::new()).await
}

async fn create_payment(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<PaymentForm>,
) -> Result<Response, UiError> {
    let Some(account) = form.account() else {
        return Err(UiError::signed_in(&who, Error::NotFound));
    };
    let draft = PaymentDraft {
        company_id: account.company_id().map(|c| c.0),
        person_id: account.person_id().map(|p| p.0),
        amount: form.amount.clone(),
        amount_minor: None,
        currency: form.currency.clone(),
        method: form.method.clone(),
        received_at: form.received_at.clone(),
        reference: form.reference.clone(),
        due_date: form.due_date.clone(),
        notes: String::new(),
        allocations: None,
    };
    match state.app.record_payment(&who.actor(), &draft).await {
        Ok(payment) => Ok(Redirect::to(&format!(
            "{}/ledger?currency={}&notice=notice-payment-recorded",
            base(account),
            payment.currency
        ))
        .into_response()),
        Err(error) => match error.domain() {
            Some(Error::Validation(fields)) => {
                let errors = field_messages(who.lang, fields);
                payment_page(&state, &who, account, form, errors).await
            }
            _ => Err(UiError::signed_in(&who, error)),
        },
    }
}
