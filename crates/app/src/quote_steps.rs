//! A quote's steps after it is written: accept, reject, cancel, revise (a new draft with the
//! same number), sent (with the PDF that went), the outcome of its e-mail, and expiry. Which
//! step leads from which status is the domain's rule (`QuoteStatus::after`); a step the
//! status does not allow is a conflict.

use crate::App;
use crate::error::AppResult;
use crate::quotes::{MAX_TERMS, audit};
use rehber_domain::quote::{DEFAULT_VALIDITY_DAYS, Quote, QuoteAction, QuoteStatus};
use rehber_domain::{Actor, Error};
use rehber_store::{AuditChange, QuoteContent, QuoteNumbering, Value};

/// What accepting, rejecting or cancelling may carry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuoteStep {
    /// The version the caller read; the stored one when `None`.
    pub version: Option<i64>,
    /// Why it was rejected or cancelled.
    pub reason: String,
}

fn status_change(from: QuoteStatus, to: QuoteStatus) -> Vec<AuditChange> {
    vec![AuditChange {
        field: "status".into(),
        from: from.as_str().into(),
        to: to.as_str().into(),
    }]
}

impl App {
    /// Accepts, rejects or cancels a quote the actor can see; a step its status does not
    /// allow is a conflict.
    pub async fn quote_step(
        &self,
        actor: &Actor,
        id: i64,
        action: QuoteAction,
        step: &QuoteStep,
    ) -> AppResult<Quote> {
        Self::may_write_quotes(actor)?;
        let stored = self.quote(actor, id).await?;
        let to = stored
            .status
            .after(action)
            .filter(|_| {
                matches!(
                    action,
                    QuoteAction::Accept | QuoteAction::Reject | QuoteAction::Cancel
                )
            })
            .ok_or(Error::Conflict(match stored.status {
                QuoteStatus::Accepted => "quote-accepted",
                _ => "quote-step",
            }))?;
        if action == QuoteAction::Accept && stored.valid_until < self.today() {
            return Err(Error::Conflict("quote-expired").into());
        }
        let reason = step.reason.trim();
        if reason.chars().count() > MAX_TERMS {
            return Err(Error::field("reason", "invalid-too-long").into());
        }
        let mut values: Vec<(&'static str, Value)> = vec![("status", to.as_str().into())];
        if matches!(action, QuoteAction::Accept | QuoteAction::Reject) {
            values.push(("decided_at", rehber_store::now_micros().into()));
        }
        if action != QuoteAction::Accept {
            values.push(("reject_reason", reason.to_string().into()));
        }
        let mut entry = audit(Some(actor), id, action.as_str());
        entry.changes = status_change(stored.status, to);
        self.store
            .set_quote_state(
                id,
                step.version.unwrap_or(stored.version),
                values,
                None,
                entry,
            )
            .await?;
        self.quote(actor, id).await
    }

    /// A new draft revision of a sent, rejected or expired quote, with its lines; it keeps
    /// the number. The quote revised stays as it is until the revision is sent.
    pub async fn revise_quote(&self, actor: &Actor, id: i64) -> AppResult<Quote> {
        Self::may_write_quotes(actor)?;
        let stored = self.quote(actor, id).await?;
        let revisions = self.quote_revisions(actor, &stored).await?;
        if let Some(latest) = revisions.first().filter(|q| q.revision > stored.revision) {
            // Revising an old revision again would fork the lineage: the latest one is the
            // one to revise.
            if latest.status == QuoteStatus::Draft {
                return self.quote(actor, latest.id).await;
            }
            return Err(Error::Conflict("quote-superseded").into());
        }
        if stored.status.after(QuoteAction::Revise).is_none() {
            return Err(Error::Conflict("quote-step").into());
        }
        let content = QuoteContent {
            parties: stored.parties,
            currency: stored.currency.clone(),
            issue_date: self.today(),
            valid_until: self
                .today()
                .checked_add(jiff::Span::new().days(DEFAULT_VALIDITY_DAYS))
                .unwrap_or(stored.valid_until),
            lines: stored.lines.clone(),
            totals: stored.totals,
            terms: stored.terms.clone(),
            notes: stored.notes.clone(),
            owner_id: stored.owner_id,
            team_id: stored.team_id,
        };
        let mut entry = audit(Some(actor), 0, "revise");
        entry.changes = vec![AuditChange {
            field: "revision".into(),
            from: stored.display_number(),
            to: String::new(),
        }];
        let id = self
            .store
            .insert_quote(
                &content,
                &QuoteNumbering::Revision {
                    number: stored.number.clone(),
                    root_id: stored.root_id,
                },
                Some(actor.user_id),
                entry,
            )
            .await?;
        self.quote(actor, id).await
    }

    /// Marks a draft or sent quote as sent (to `to` when an e-mail goes out) with the PDF
    /// that went, and supersedes the number's earlier open revisions. The e-mail itself is
    /// the caller's job (see `send_quote` in the web layer).
    pub async fn mark_quote_sent(
        &self,
        actor: &Actor,
        quote: &Quote,
        to: Option<&str>,
        pdf_attachment_id: Option<i64>,
    ) -> AppResult<Quote> {
        let to_status = quote
            .status
            .after(QuoteAction::Send)
            .ok_or(Error::Conflict(match quote.status {
                QuoteStatus::Accepted => "quote-accepted",
                _ => "quote-step",
            }))?;
        if quote.valid_until < self.today() {
            return Err(Error::field("valid_until", "invalid-valid-until-past").into());
        }
        let values: Vec<(&'static str, Value)> = vec![
            ("status", to_status.as_str().into()),
            ("sent_at", rehber_store::now_micros().into()),
            ("sent_to", to.map(str::to_string).into()),
            ("send_error", Option::<String>::None.into()),
            ("pdf_attachment_id", pdf_attachment_id.into()),
        ];
        let mut entry = audit(Some(actor), quote.id, "send");
        entry.changes = status_change(quote.status, to_status);
        if let Some(to) = to {
            entry.changes.push(AuditChange {
                field: "sent_to".into(),
                from: String::new(),
                to: to.to_string(),
            });
        }
        self.store
            .set_quote_state(quote.id, quote.version, values, Some(&quote.number), entry)
            .await?;
        self.quote(actor, quote.id).await
    }

    /// Records why the e-mail of quote `id` could not be sent (`None`: it was sent). The
    /// quote's version stays: the outcome of a background job is not an edit.
    pub async fn quote_send_outcome(&self, id: i64, error: Option<&str>) -> AppResult<()> {
        let quote = self.store.unscoped().quote(id).await?;
        let action = if error.is_some() {
            "send_failed"
        } else {
            "emailed"
        };
        let mut entry = audit(None, id, action);
        entry.changes = vec![AuditChange {
            field: "send_error".into(),
            from: quote.send_error.clone().unwrap_or_default(),
            to: error.unwrap_or_default().to_string(),
        }];
        self.store.note_quote_email(id, error, entry).await?;
        Ok(())
    }

    /// Expires the sent quotes whose validity ended before today (the nightly job); how
    /// many.
    pub async fn expire_quotes(&self) -> AppResult<u64> {
        Ok(self.store.expire_quotes(self.today()).await?)
    }
}
