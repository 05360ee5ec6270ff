//! Quotes (teklif) as use cases: write a draft for a customer the caller can see (lines
//! filled from the catalogue, priced by the money rule, numbered without gaps), change it
//! while it is a draft, and move it through send, accept, reject, revise and cancel. A
//! quote belongs to its customer's owner and team, so a sales rep sees the quotes of their
//! own customers and a manager those of the team.

use crate::App;
use crate::error::{AppError, AppResult};
use crate::price_lists::{Customer, LinePrice};
use crate::pricing::{DocumentDraft, PricedDocument, price_document};
use jiff::civil::Date;
use rehber_domain::access::RecordKind;
use rehber_domain::deal::Deals;
use rehber_domain::error::FieldErrors;
use rehber_domain::party::{Companies, Ownership, People};
use rehber_domain::pricing::{LineDraft, Quantity, VatRate};
use rehber_domain::product::UNITS;
use rehber_domain::quote::{DEFAULT_VALIDITY_DAYS, DocumentLine, DocumentTotals, Parties, Quote};
use rehber_domain::rate::to_try;
use rehber_domain::{Actor, CompanyId, DealId, Error, PersonId};
use rehber_store::{AuditChange, AuditEntry, QuoteContent, QuoteFilter, QuoteNumbering};

/// The longest terms and notes, in characters.
pub const MAX_TERMS: usize = 5_000;

pub use crate::quote_steps::QuoteStep;

/// A quote as typed (the API body, the editor's form).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuoteDraft {
    pub company_id: Option<i64>,
    pub person_id: Option<i64>,
    pub deal_id: Option<i64>,
    /// ISO 4217; empty is TRY.
    pub currency: String,
    /// `YYYY-MM-DD`; empty is 15 days after the issue date.
    pub valid_until: String,
    pub terms: String,
    pub notes: String,
    pub lines: Vec<LineDraft>,
}

/// Adds the pricing's refusals to those found before, one per field: a line whose price
/// could not be found is not also "missing a price".
fn merge(errors: &mut FieldErrors, more: FieldErrors) {
    for error in more.0 {
        if !errors.0.iter().any(|e| e.field == error.field) {
            errors.0.push(error);
        }
    }
}

pub(crate) fn audit(actor: Option<&Actor>, id: i64, action: &'static str) -> AuditEntry {
    AuditEntry {
        actor: actor.map(|a| a.user_id),
        record_type: "quote",
        record_id: id,
        action,
        changes: Vec::new(),
    }
}

fn optional_text(typed: &str, field: &str, errors: &mut FieldErrors) -> String {
    let text = typed.trim();
    if text.chars().count() > MAX_TERMS {
        errors.add(field, "invalid-too-long");
    }
    text.to_string()
}

impl App {
    /// Fills what the lines leave to their product (text, unit, price, KDV rate) and checks
    /// the units; the products named must exist and be active.
    async fn fill_from_products(
        &self,
        currency: &str,
        customer: Customer,
        lines: &mut [LineDraft],
        errors: &mut FieldErrors,
    ) -> AppResult<()> {
        for (index, line) in lines.iter_mut().enumerate() {
            if let Some(product_id) = line.product_id {
                let product = match self.store.product(product_id).await {
                    Ok(p) if p.fields.active => p,
                    Ok(_) | Err(rehber_store::StoreError::NotFound) => {
                        errors.add(format!("lines/{index}/product_id"), "invalid-product");
                        continue;
                    }
                    Err(other) => return Err(other.into()),
                };
                let f = &product.fields;
                if line.description.trim().is_empty() {
                    line.description = f.name.clone();
                }
                if line.unit.trim().is_empty() {
                    line.unit = f.unit.clone();
                }
                if line.vat_rate.is_none() {
                    line.vat_rate = Some(i64::from(f.vat_rate.percent()));
                    line.vat_exemption_code = f.vat_exemption_code.clone().unwrap_or_default();
                }
                if line.unit_price.is_none() {
                    // The break is chosen by the quantity typed (1 until it reads as one).
                    let quantity = Quantity::parse(&line.quantity)
                        .or_else(|_| Quantity::from_thousandths(1_000))
                        .map_err(|_| Error::field("quantity", "invalid-quantity-positive"))?;
                    let rate = line
                        .vat_rate
                        .and_then(|r| VatRate::from_percent(r).ok())
                        .unwrap_or(f.vat_rate);
                    match self
                        .line_price(&product, quantity, rate, customer, currency)
                        .await?
                    {
                        LinePrice::Price(price) => line.unit_price = Some(price),
                        LinePrice::NoRate => {
                            errors.add(format!("lines/{index}/unit_price"), "invalid-no-rate")
                        }
                    }
                }
            }
            let unit = line.unit.trim().to_ascii_uppercase();
            line.unit = if unit.is_empty() { "C62".into() } else { unit };
            if !UNITS.contains(&line.unit.as_str()) {
                errors.add(format!("lines/{index}/unit"), "invalid-unit");
            }
        }
        Ok(())
    }

    /// `minor` of `from` in `to` at the latest rates on or before `day` (through TRY);
    /// `None` when a rate is missing.
    pub(crate) async fn convert_price(
        &self,
        minor: i64,
        from: &str,
        to: &str,
        day: Date,
    ) -> AppResult<Option<i64>> {
        if from.eq_ignore_ascii_case(to) {
            return Ok(Some(minor));
        }
        let rate = |currency: String| async move {
            if currency == "TRY" {
                return Ok::<_, AppError>(Some(1_000_000));
            }
            Ok(self.store.rate_on(&currency, day).await?.map(|r| r.rate_e6))
        };
        let (Some(from_rate), Some(to_rate)) = (
            rate(from.to_ascii_uppercase()).await?,
            rate(to.to_ascii_uppercase()).await?,
        ) else {
            return Ok(None);
        };
        let in_try = to_try(minor, from_rate);
        Ok(in_try.and_then(|t| {
            i64::try_from(
                (i128::from(t) * 1_000_000 + i128::from(to_rate) / 2) / i128::from(to_rate),
            )
            .ok()
        }))
    }

    /// The parties of a quote the actor can see, and whose customer it is: the company's
    /// owner, else the person's, else the deal's, else the actor. A deal alone names its
    /// company and person.
    async fn quote_parties(
        &self,
        actor: &Actor,
        draft: &QuoteDraft,
        errors: &mut FieldErrors,
    ) -> AppResult<(Parties, Ownership)> {
        let scoped = self.store.scoped(actor);
        let mut parties = Parties::default();
        let mut owners: Vec<Ownership> = Vec::new();
        if let Some(id) = draft.deal_id {
            match scoped.get::<Deals>(DealId(id)).await {
                Ok(deal) => {
                    parties.deal_id = Some(deal.id);
                    parties.company_id = deal.fields.company_id;
                    parties.person_id = deal.fields.person_id;
                    owners.push(deal.ownership);
                }
                Err(rehber_store::StoreError::NotFound) => {
                    errors.add("deal_id", "invalid-unknown-record")
                }
                Err(other) => return Err(other.into()),
            }
        }
        if let Some(id) = draft.person_id {
            match scoped.get::<People>(PersonId(id)).await {
                Ok(person) => {
                    parties.person_id = Some(person.id);
                    if draft.company_id.is_none() && parties.company_id.is_none() {
                        parties.company_id = person.fields.company_id;
                    }
                    owners.insert(0, person.ownership);
                }
                Err(rehber_store::StoreError::NotFound) => {
                    errors.add("person_id", "invalid-unknown-record")
                }
                Err(other) => return Err(other.into()),
            }
        }
        if let Some(id) = draft.company_id {
            match scoped.get::<Companies>(CompanyId(id)).await {
                Ok(company) => {
                    parties.company_id = Some(company.id);
                    owners.insert(0, company.ownership);
                }
                Err(rehber_store::StoreError::NotFound) => {
                    errors.add("company_id", "invalid-unknown-record")
                }
                Err(other) => return Err(other.into()),
            }
        }
        let ownership = owners
            .into_iter()
            .find(|o| o.owner_id.is_some())
            .unwrap_or(Ownership {
                owner_id: Some(actor.user_id),
                team_id: actor.team_id,
            });
        Ok((parties, ownership))
    }

    /// Checks, fills and prices a draft into what a quote stores; every refusal at once.
    pub(crate) async fn quote_content(
        &self,
        actor: &Actor,
        draft: &QuoteDraft,
        issue_date: Date,
    ) -> AppResult<QuoteContent> {
        let mut errors = FieldErrors::new();
        let (parties, ownership) = self.quote_parties(actor, draft, &mut errors).await?;
        let mut lines = draft.lines.clone();
        let currency = crate::pricing::check_currency(&draft.currency, &mut FieldErrors::new());
        let customer = Customer {
            company_id: parties.company_id,
            person_id: parties.person_id,
        };
        self.fill_from_products(&currency, customer, &mut lines, &mut errors)
            .await?;
        if lines.is_empty() {
            errors.add("lines", "invalid-required");
        }
        let valid_until = match draft.valid_until.trim() {
            "" => issue_date
                .checked_add(jiff::Span::new().days(DEFAULT_VALIDITY_DAYS))
                .unwrap_or(issue_date),
            typed => match typed.parse::<Date>() {
                Ok(date) if date >= issue_date => date,
                Ok(_) => {
                    errors.add("valid_until", "invalid-valid-until-past");
                    issue_date
                }
                Err(_) => {
                    errors.add("valid_until", "invalid-date");
                    issue_date
                }
            },
        };
        let terms = optional_text(&draft.terms, "terms", &mut errors);
        let notes = optional_text(&draft.notes, "notes", &mut errors);
        let priced = price_document(
            &DocumentDraft {
                currency: draft.currency.clone(),
                lines: lines.clone(),
            },
            true,
        );
        let priced = match priced {
            Ok(priced) => Some(priced),
            Err(Error::Validation(more)) => {
                merge(&mut errors, more);
                None
            }
            Err(other) => return Err(other.into()),
        };
        errors.into_result()?;
        let Some(priced) = priced else {
            return Err(Error::field("lines", "invalid-required").into());
        };
        let document_lines = priced
            .lines
            .iter()
            .zip(&lines)
            .enumerate()
            .map(|(index, ((checked, amounts), typed))| DocumentLine {
                position: index as i64 + 1,
                product_id: checked.product_id,
                description: checked.description.clone(),
                unit: typed.unit.clone(),
                input: checked.input,
                vat_exemption_code: checked.vat_exemption_code.clone(),
                amounts: *amounts,
            })
            .collect();
        Ok(QuoteContent {
            parties,
            currency: priced.currency.clone(),
            issue_date,
            valid_until,
            lines: document_lines,
            totals: DocumentTotals::of(&priced.totals),
            terms,
            notes,
            owner_id: ownership.owner_id,
            team_id: ownership.team_id,
        })
    }

    pub(crate) fn may_write_quotes(actor: &Actor) -> AppResult<()> {
        if actor.role.can_write(RecordKind::Deal) {
            Ok(())
        } else {
            Err(Error::Forbidden.into())
        }
    }

    /// Prices lines as typed, filled from their products the way a saved quote fills them,
    /// without storing anything: the editor's running total and the API's preview.
    /// `company_id`/`person_id` choose the customer's price lists when the actor can see
    /// them (others are ignored: a preview reveals no one's prices).
    pub async fn preview_document(
        &self,
        actor: &Actor,
        draft: &QuoteDraft,
    ) -> AppResult<PricedDocument> {
        let mut errors = FieldErrors::new();
        let mut lines = draft.lines.clone();
        let currency = draft.currency.as_str();
        let code = crate::pricing::check_currency(currency, &mut FieldErrors::new());
        let scoped = self.store.scoped(actor);
        let mut customer = Customer::default();
        if let Some(id) = draft.company_id
            && scoped.get::<Companies>(CompanyId(id)).await.is_ok()
        {
            customer.company_id = Some(CompanyId(id));
        }
        if let Some(id) = draft.person_id
            && scoped.get::<People>(PersonId(id)).await.is_ok()
        {
            customer.person_id = Some(PersonId(id));
        }
        self.fill_from_products(&code, customer, &mut lines, &mut errors)
            .await?;
        let priced = price_document(
            &DocumentDraft {
                currency: currency.to_string(),
                lines,
            },
            false,
        );
        match priced {
            Ok(priced) if errors.is_empty() => Ok(priced),
            Ok(_) => Err(Error::Validation(errors).into()),
            Err(Error::Validation(more)) => {
                merge(&mut errors, more);
                Err(Error::Validation(errors).into())
            }
            Err(other) => Err(other.into()),
        }
    }

    /// Writes a new draft quote with the year's next number.
    pub async fn create_quote(&self, actor: &Actor, draft: &QuoteDraft) -> AppResult<Quote> {
        Self::may_write_quotes(actor)?;
        let today = self.today();
        let content = self.quote_content(actor, draft, today).await?;
        let id = self
            .store
            .insert_quote(
                &content,
                &QuoteNumbering::Next {
                    year: i64::from(today.year()),
                },
                Some(actor.user_id),
                audit(Some(actor), 0, "create"),
            )
            .await?;
        Ok(self.store.unscoped().quote(id).await?)
    }

    /// One quote the actor can see, with its lines.
    pub async fn quote(&self, actor: &Actor, id: i64) -> AppResult<Quote> {
        Ok(self.store.scoped(actor).quote(id).await?)
    }

    /// A page of the quotes the actor can see, and whether there are more.
    pub async fn quotes(
        &self,
        actor: &Actor,
        filter: &QuoteFilter,
    ) -> AppResult<(Vec<Quote>, bool)> {
        Ok(self.store.scoped(actor).quotes(filter).await?)
    }

    /// Every revision of a quote's number the actor can see, the latest first.
    pub async fn quote_revisions(&self, actor: &Actor, quote: &Quote) -> AppResult<Vec<Quote>> {
        Ok(self
            .store
            .scoped(actor)
            .quote_revisions(&quote.number)
            .await?)
    }

    /// Replaces a draft's content; a quote that is no longer a draft is a conflict.
    pub async fn update_quote(
        &self,
        actor: &Actor,
        id: i64,
        version: Option<i64>,
        draft: &QuoteDraft,
    ) -> AppResult<Quote> {
        Self::may_write_quotes(actor)?;
        let stored = self.quote(actor, id).await?;
        if !stored.status.is_editable() {
            return Err(Error::Conflict("quote-not-draft").into());
        }
        let content = self.quote_content(actor, draft, stored.issue_date).await?;
        let mut entry = audit(Some(actor), id, "update");
        if stored.totals.gross != content.totals.gross {
            entry.changes.push(AuditChange {
                field: "total".into(),
                from: stored.totals.gross.to_string(),
                to: content.totals.gross.to_string(),
            });
        }
        self.store
            .update_quote_draft(id, version.unwrap_or(stored.version), &content, entry)
            .await?;
        self.quote(actor, id).await
    }

    /// The draft as it stands, for an edit that changes part of it.
    pub fn quote_as_draft(quote: &Quote) -> QuoteDraft {
        QuoteDraft {
            company_id: quote.parties.company_id.map(|c| c.0),
            person_id: quote.parties.person_id.map(|p| p.0),
            deal_id: quote.parties.deal_id.map(|d| d.0),
            currency: quote.currency.clone(),
            valid_until: quote.valid_until.to_string(),
            terms: quote.terms.clone(),
            notes: quote.notes.clone(),
            lines: Self::document_lines_as_drafts(&quote.lines),
        }
    }
}
