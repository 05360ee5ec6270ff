//! The quote editor: a new quote, a draft changed, and the running total recalculated on
//! the server as the lines are typed. One form serves the desk and the phone: the lines
//! stack into cards on a narrow screen.

use crate::error::{UiError, UiResultExt, form_messages, render};
use crate::page::Page;
use crate::paths::path_id;
use crate::records::Choice;
use crate::records::picker::{company_choices, person_choices};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use rehber_app::ProductFilter;
use rehber_app::pricing::PricedDocument;
use rehber_app::quotes::QuoteDraft;
use rehber_domain::deal::Deals;
use rehber_domain::money::Money;
use rehber_domain::pricing::LineDraft;
use rehber_domain::quote::Quote;
use rehber_domain::{CompanyId, DealId, PersonId};
use rehber_web_core::auth::SignedIn;
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;
use serde::Deserialize;
use std::collections::HashMap;

/// The currencies the editor offers.
const CURRENCIES: [&str; 4] = ["TRY", "EUR", "USD", "GBP"];
/// Products offered in a line's list (active ones, by name).
const PRODUCT_CHOICES: u32 = 200;

/// The editor as typed: the lines are repeated fields, one value per row in order.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct QuoteForm {
    pub company_id: String,
    pub person_id: String,
    pub deal_id: String,
    pub currency: String,
    pub valid_until: String,
    pub terms: String,
    pub notes: String,
    pub product_id: Vec<String>,
    pub description: Vec<String>,
    pub quantity: Vec<String>,
    pub unit_price: Vec<String>,
    pub discount: Vec<String>,
    pub vat_rate: Vec<String>,
    pub exemption: Vec<String>,
    pub version: String,
}

/// One row of the lines as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowInput {
    pub product_id: String,
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub discount: String,
    pub vat_rate: String,
    /// The KDV exemption code of a 0 % line.
    pub exemption: String,
    /// Messages for this row.
    pub errors: Vec<String>,
}

impl RowInput {
    fn is_blank(&self) -> bool {
        [
            &self.product_id,
            &self.description,
            &self.quantity,
            &self.unit_price,
            &self.discount,
        ]
        .iter()
        .all(|v| v.trim().is_empty())
    }
}

fn nth(values: &[String], i: usize) -> String {
    values.get(i).cloned().unwrap_or_default()
}

fn id_of(text: &str) -> Option<i64> {
    text.trim().parse().ok().filter(|id| *id > 0)
}

impl QuoteForm {
    pub fn rows(&self) -> Vec<RowInput> {
        let count = [
            self.product_id.len(),
            self.description.len(),
            self.quantity.len(),
            self.unit_price.len(),
            self.discount.len(),
            self.vat_rate.len(),
            self.exemption.len(),
        ]
        .into_iter()
        .max()
        .unwrap_or(0);
        (0..count)
            .map(|i| RowInput {
                product_id: nth(&self.product_id, i),
                description: nth(&self.description, i),
                quantity: nth(&self.quantity, i),
                unit_price: nth(&self.unit_price, i),
                discount: nth(&self.discount, i),
                vat_rate: nth(&self.vat_rate, i),
                exemption: nth(&self.exemption, i),
                errors: Vec::new(),
            })
            .collect()
    }

    fn currency(&self) -> String {
        match self.currency.trim() {
            "" => "TRY".into(),
            c => c.to_ascii_uppercase(),
        }
    }

    /// The draft, the form row of each line (blank rows are skipped), and the rows whose
    /// price could not be read.
    pub fn draft(&self) -> (QuoteDraft, Vec<usize>, Vec<usize>) {
        let currency = self.currency();
        let mut rows = Vec::new();
        let mut unreadable = Vec::new();
        let mut lines = Vec::new();
        for (index, row) in self.rows().into_iter().enumerate() {
            if row.is_blank() {
                continue;
            }
            let unit_price = match row.unit_price.trim() {
                "" => None,
                typed => match Money::parse(typed, &currency) {
                    Ok(m) => Some(m.minor),
                    Err(_) => {
                        unreadable.push(index);
                        None
                    }
                },
            };
            rows.push(index);
            lines.push(LineDraft {
                product_id: id_of(&row.product_id),
                description: row.description.clone(),
                quantity: row.quantity.clone(),
                unit_price,
                discount_percent: row.discount.clone(),
                vat_rate: match row.vat_rate.trim() {
                    "" if row.product_id.trim().is_empty() => Some(20),
                    "" => None,
                    rate => rate.parse().ok().or(Some(-1)),
                },
                vat_exemption_code: row.exemption.clone(),
                ..LineDraft::default()
            });
        }
        let draft = QuoteDraft {
            company_id: id_of(&self.company_id),
            person_id: id_of(&self.person_id),
            deal_id: id_of(&self.deal_id),
            currency,
            valid_until: self.valid_until.clone(),
            terms: self.terms.clone(),
            notes: self.notes.clone(),
            lines,
        };
        (draft, rows, unreadable)
    }

    /// The form of a stored draft, amounts as the user reads them.
    pub fn of(lang: Lang, quote: &Quote) -> QuoteForm {
        let mut form = QuoteForm {
            company_id: quote
                .parties
                .company_id
                .map(|c| c.0.to_string())
                .unwrap_or_default(),
            person_id: quote
                .parties
                .person_id
                .map(|p| p.0.to_string())
                .unwrap_or_default(),
            deal_id: quote
                .parties
                .deal_id
                .map(|d| d.0.to_string())
                .unwrap_or_default(),
            currency: quote.currency.clone(),
            valid_until: quote.valid_until.to_string(),
            terms: quote.terms.clone(),
            notes: quote.notes.clone(),
            version: quote.version.to_string(),
            ..QuoteForm::default()
        };
        for line in &quote.lines {
            form.product_id
                .push(line.product_id.map(|p| p.to_string()).unwrap_or_default());
            form.description.push(line.description.clone());
            form.quantity
                .push(lang.decimal(&line.input.quantity.to_decimal_string()));
            form.unit_price.push(lang.amount(line.input.unit_price));
            form.discount
                .push(if line.input.discount.basis_points() == 0 {
                    String::new()
                } else {
                    lang.decimal(&line.input.discount.to_decimal_string())
                });
            form.vat_rate
                .push(line.input.vat_rate.percent().to_string());
            form.exemption
                .push(line.vat_exemption_code.clone().unwrap_or_default());
        }
        form
    }
}

/// The messages of a refusal, with line pointers moved back to the form's rows and the
/// rows' messages gathered on them.
fn place_errors(
    lang: Lang,
    messages: HashMap<String, String>,
    rows: &[usize],
    unreadable: &[usize],
    inputs: &mut [RowInput],
) -> HashMap<String, String> {
    let mut others = HashMap::new();
    for (field, message) in messages {
        let line = field
            .strip_prefix("lines/")
            .and_then(|rest| rest.split('/').next())
            .and_then(|n| n.parse::<usize>().ok());
        match line
            .and_then(|l| rows.get(l))
            .and_then(|r| inputs.get_mut(*r))
        {
            Some(row) => row.errors.push(message),
            None => {
                others.insert(field, message);
            }
        }
    }
    for index in unreadable {
        if let Some(row) = inputs.get_mut(*index) {
            row.errors.push(lang.t("invalid-amount"));
        }
    }
    others
}

/// The running total as shown beside the lines.
pub struct TotalsView {
    pub rows: Vec<(String, String)>,
    pub gross: String,
    pub in_words: String,
    /// Why the lines cannot be priced yet.
    pub problems: Vec<String>,
}

fn totals_view(lang: Lang, priced: &PricedDocument) -> TotalsView {
    let money = |minor: i64| lang.money(minor, &priced.currency);
    let t = &priced.totals;
    let mut rows = vec![(lang.t("quote-pdf-subtotal"), money(t.subtotal))];
    if t.discount != 0 {
        rows.push((lang.t("quote-pdf-discount"), money(-t.discount)));
        rows.push((lang.t("quote-pdf-net"), money(t.net)));
    }
    for s in &t.vat_summary {
        rows.push((
            lang.t_args("quote-pdf-vat", &[("rate", s.rate.percent().to_string())]),
            money(s.vat),
        ));
    }
    TotalsView {
        rows,
        gross: money(t.gross),
        in_words: priced.in_words.clone(),
        problems: Vec::new(),
    }
}

#[derive(Template)]
#[template(path = "quotes/totals.html")]
struct TotalsFragment {
    page: Page,
    totals: TotalsView,
}

/// The running total of the editor's lines (htmx swaps it in as the user types).
pub async fn preview(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<QuoteForm>,
) -> Result<Response, UiError> {
    let page = Page::signed_in(&who, "quotes-title", "quotes");
    Ok(render(&TotalsFragment {
        totals: running_total(&state, &who, &form).await,
        page,
    }))
}

async fn running_total(state: &AppState, who: &SignedIn, form: &QuoteForm) -> TotalsView {
    let lang = who.lang;
    let (draft, rows, unreadable) = form.draft();
    match state.app.preview_document(&who.actor(), &draft).await {
        Ok(priced) if unreadable.is_empty() => totals_view(lang, &priced),
        outcome => {
            let mut problems: Vec<String> = Vec::new();
            if let Err(error) = &outcome
                && let Some(messages) = form_messages(lang, error)
            {
                for (field, message) in messages {
                    let row = field
                        .strip_prefix("lines/")
                        .and_then(|r| r.split('/').next())
                        .and_then(|n| n.parse::<usize>().ok())
                        .and_then(|l| rows.get(l));
                    problems.push(match row {
                        Some(r) => format!("{} {}: {message}", lang.t("quotes-line"), r + 1),
                        None => message,
                    });
                }
            }
            for r in &unreadable {
                problems.push(format!(
                    "{} {}: {}",
                    lang.t("quotes-line"),
                    r + 1,
                    lang.t("invalid-amount")
                ));
            }
            problems.sort();
            TotalsView {
                rows: Vec::new(),
                gross: String::new(),
                in_words: String::new(),
                problems,
            }
        }
    }
}

#[derive(Template)]
#[template(path = "quotes/editor.html")]
pub struct EditorPage {
    page: Page,
    /// `None` for a new quote.
    id: Option<i64>,
    number: String,
    form: QuoteForm,
    rows: Vec<RowInput>,
    errors: HashMap<String, String>,
    companies: Vec<Choice>,
    people: Vec<Choice>,
    products: Vec<Choice>,
    currencies: Vec<&'static str>,
    totals: TotalsView,
}

/// The editor for `form` with its messages.
pub async fn editor_page(
    state: &AppState,
    who: &SignedIn,
    id: Option<i64>,
    number: String,
    form: QuoteForm,
    errors: HashMap<String, String>,
    mut rows: Vec<RowInput>,
) -> Result<EditorPage, UiError> {
    let mut page = Page::signed_in(who, "quotes-title", "quotes");
    let heading = if id.is_none() {
        page.t("quotes-new")
    } else {
        number.clone()
    };
    page.title = format!("{heading} · {}", page.title);
    let companies = company_choices(state, who, "", id_of(&form.company_id).map(CompanyId)).await?;
    let people = person_choices(state, who, "", id_of(&form.person_id).map(PersonId)).await?;
    let filter = ProductFilter {
        active_only: true,
        limit: PRODUCT_CHOICES,
        ..ProductFilter::default()
    };
    let (found, _) = state.app.products(&who.actor(), &filter).await.ui(who)?;
    let products = found
        .into_iter()
        .map(|p| {
            Choice::new(
                p.id.to_string(),
                format!(
                    "{} · {} ({})",
                    p.fields.sku,
                    p.fields.name,
                    who.lang.money(p.fields.price_minor, &p.fields.currency)
                ),
            )
        })
        .collect();
    if rows.is_empty() {
        rows.push(RowInput::default());
    }
    let totals = running_total(state, who, &form).await;
    Ok(EditorPage {
        page,
        id,
        number,
        form,
        rows,
        errors,
        companies,
        people,
        products,
        currencies: CURRENCIES.to_vec(),
        totals,
    })
}

/// The editor again with its messages (422), or the error page.
pub async fn refused(
    state: &AppState,
    who: &SignedIn,
    id: Option<i64>,
    number: String,
    form: QuoteForm,
    error: rehber_app::AppError,
) -> Result<Response, UiError> {
    let Some(messages) = form_messages(who.lang, &error) else {
        return Err(UiError::signed_in(who, error));
    };
    let (_, rows, unreadable) = form.draft();
    let mut inputs = form.rows();
    let errors = place_errors(who.lang, messages, &rows, &unreadable, &mut inputs);
    let page = editor_page(state, who, id, number, form, errors, inputs).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
}

/// What a new quote may be started from (`/quotes/new?deal_id=12`).
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Start {
    company_id: String,
    person_id: String,
    deal_id: String,
}

pub async fn new(
    State(state): State<AppState>,
    who: SignedIn,
    Query(start): Query<Start>,
) -> Result<Response, UiError> {
    let mut form = QuoteForm {
        company_id: start.company_id,
        person_id: start.person_id,
        deal_id: start.deal_id,
        currency: "TRY".into(),
        ..QuoteForm::default()
    };
    // A quote for a deal is for its company and person, in its currency.
    if let Some(id) = id_of(&form.deal_id)
        && let Ok(deal) = state.app.get::<Deals>(&who.actor(), DealId(id)).await
    {
        let f = &deal.fields;
        if let Some(c) = f.company_id {
            form.company_id = c.0.to_string();
        }
        if let Some(p) = f.person_id {
            form.person_id = p.0.to_string();
        }
        if let Some(amount) = &f.amount {
            form.currency = amount.currency.clone();
        }
    }
    let page = editor_page(
        &state,
        &who,
        None,
        String::new(),
        form,
        HashMap::new(),
        Vec::new(),
    )
    .await?;
    Ok(render(&page))
}

pub async fn create(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<QuoteForm>,
) -> Result<Response, UiError> {
    let (draft, _, unreadable) = form.draft();
    if !unreadable.is_empty() {
        let error = rehber_domain::Error::field("unit_price", "invalid-amount");
        return refused(&state, &who, None, String::new(), form, error.into()).await;
    }
    match state.app.create_quote(&who.actor(), &draft).await {
        Ok(quote) => Ok(
            Redirect::to(&format!("/quotes/{}?notice=notice-quote-created", quote.id))
                .into_response(),
        ),
        Err(e) => refused(&state, &who, None, String::new(), form, e).await,
    }
}

pub async fn edit(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let quote = state.app.quote(&who.actor(), id).await.ui(&who)?;
    if !quote.status.is_editable() {
        return Ok(Redirect::to(&format!(
            "/quotes/{id}?refused=invalid-state-quote-not-draft"
        ))
        .into_response());
    }
    let form = QuoteForm::of(who.lang, &quote);
    let rows = form.rows();
    let page = editor_page(
        &state,
        &who,
        Some(id),
        quote.display_number(),
        form,
        HashMap::new(),
        rows,
    )
    .await?;
    Ok(render(&page))
}

pub async fn update(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<QuoteForm>,
) -> Result<Response, UiError> {
    let id = path_id(&who, &id)?;
    let actor = who.actor();
    let stored = state.app.quote(&actor, id).await.ui(&who)?;
    let number = stored.display_number();
    let (draft, _, unreadable) = form.draft();
    if !unreadable.is_empty() {
        let error = rehber_domain::Error::field("unit_price", "invalid-amount");
        return refused(&state, &who, Some(id), number, form, error.into()).await;
    }
    let version = form.version.trim().parse().ok();
    match state.app.update_quote(&actor, id, version, &draft).await {
        Ok(_) => Ok(Redirect::to(&format!("/quotes/{id}?notice=notice-saved")).into_response()),
        Err(e) => refused(&state, &who, Some(id), number, form, e).await,
    }
}
