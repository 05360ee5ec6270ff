//! Sending a quote: the PDF the customer gets is kept as an attachment of the customer (so
//! the one sent is the one kept), the quote becomes sent, and when there is an address the
//! e-mail goes out as a job (`QUOTE_EMAIL`, worded and sent by the web layer), which
//! retries on failure and records the failure on the quote for everyone to see.

use crate::App;
use crate::error::AppResult;
use bytes::Bytes;
use rehber_domain::activity::{ActivityInput, Link, LinkType};
use rehber_domain::party::{Companies, Company, People, Person};
use rehber_domain::quote::{Quote, QuoteAction};
use rehber_domain::validate::Email;
use rehber_domain::{Actor, Error};
use serde_json::json;

/// The job kind that e-mails a sent quote with its PDF.
pub const QUOTE_EMAIL: &str = "quote_email";

/// A quote with the customer records a printed copy names.
#[derive(Debug, Clone)]
pub struct QuoteDocument {
    pub quote: Quote,
    pub company: Option<Company>,
    pub person: Option<Person>,
}

impl QuoteDocument {
    /// The address an e-mail of the quote goes to when none is given: the person's first,
    /// else the company's first.
    pub fn customer_email(&self) -> Option<String> {
        let person = self
            .person
            .as_ref()
            .and_then(|p| p.fields.emails.first().map(|e| e.to_string()));
        person.or_else(|| {
            self.company
                .as_ref()
                .and_then(|c| c.fields.emails.first().map(|e| e.to_string()))
        })
    }

    /// The name an e-mail is addressed to.
    pub fn customer_name(&self) -> String {
        match (&self.person, &self.company) {
            (Some(p), _) => p.title(),
            (None, Some(c)) => c.title(),
            (None, None) => String::new(),
        }
    }

    /// The record the sent PDF is attached to: the company, else the person, else the deal.
    fn attach_to(&self) -> Option<Link> {
        let p = &self.quote.parties;
        let (record_type, id) = if let Some(c) = p.company_id {
            (LinkType::Company, c.0)
        } else if let Some(person) = p.person_id {
            (LinkType::Person, person.0)
        } else {
            (LinkType::Deal, p.deal_id?.0)
        };
        Some(Link {
            record_type,
            record_id: id,
        })
    }
}

/// What sending was asked with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sending {
    /// The address; the customer's when empty. No e-mail when neither has one, or when no
    /// mail server is configured.
    pub to: String,
    /// The version the caller read.
    pub version: Option<i64>,
    /// The language the e-mail is worded in (`tr`, `en`).
    pub lang: String,
    /// The subject of the e-mail activity logged on the customer's timeline, worded by the
    /// caller ("Teklif TKF-2026-000123 gönderildi"); nothing is logged when empty.
    pub timeline_subject: String,
}

impl App {
    /// A quote the actor can see, with its customer as printed. The customer is read
    /// outside the actor's scope: whoever may see the quote may see whom it is addressed to.
    pub async fn quote_document(&self, actor: &Actor, id: i64) -> AppResult<QuoteDocument> {
        let quote = self.quote(actor, id).await?;
        self.with_customer(quote).await
    }

    /// A quote and its customer for the system's own work (the e-mail job), outside any
    /// user's scope.
    pub async fn system_quote_document(&self, id: i64) -> AppResult<QuoteDocument> {
        let quote = self.store.unscoped().quote(id).await?;
        self.with_customer(quote).await
    }

    /// The bytes of an attachment, for the system's own work (the PDF a quote e-mail
    /// carries).
    pub async fn system_attachment_bytes(&self, id: i64) -> AppResult<Vec<u8>> {
        use futures_util::StreamExt;
        let found = self.store.unscoped().attachment(id).await?;
        let mut stream = self
            .files
            .get(&found.storage_key)
            .await
            .map_err(|e| crate::error::AppError::Internal(format!("attachment {id}: {e}")))?;
        let mut bytes = Vec::new();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk
                .map_err(|e| crate::error::AppError::Internal(format!("attachment {id}: {e}")))?;
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }

    async fn with_customer(&self, quote: Quote) -> AppResult<QuoteDocument> {
        let unscoped = self.store.unscoped();
        let company = match quote.parties.company_id {
            Some(id) => unscoped.get_including_deleted::<Companies>(id).await.ok(),
            None => None,
        };
        let person = match quote.parties.person_id {
            Some(id) => unscoped.get_including_deleted::<People>(id).await.ok(),
            None => None,
        };
        Ok(QuoteDocument {
            quote,
            company,
            person,
        })
    }

    /// Sends a draft (or sends a sent quote again): keeps `pdf` as an attachment of the
    /// customer, marks the quote sent, and queues its e-mail when there is an address.
    /// Answers the quote as it is now and whether an e-mail was queued.
    pub async fn send_quote(
        &self,
        actor: &Actor,
        document: &QuoteDocument,
        pdf: Vec<u8>,
        sending: &Sending,
    ) -> AppResult<(Quote, bool)> {
        if !actor
            .role
            .can_write(rehber_domain::access::RecordKind::Deal)
        {
            return Err(Error::Forbidden.into());
        }
        let quote = &document.quote;
        if let Some(version) = sending.version
            && version != quote.version
        {
            return Err(Error::StaleVersion.into());
        }
        if quote.status.after(QuoteAction::Send).is_none() {
            return Err(Error::Conflict("quote-step").into());
        }
        if quote.valid_until < self.today() {
            return Err(Error::field("valid_until", "invalid-valid-until-past").into());
        }
        // Without a mail server the quote is marked sent and nothing is queued that could
        // never go.
        let to = match sending.to.trim() {
            _ if self.mailer.is_none() => None,
            "" => document.customer_email(),
            typed => Some(
                Email::parse(typed)
                    .map_err(|_| Error::field("to", "invalid-email"))?
                    .to_string(),
            ),
        };
        let attachment = match document.attach_to() {
            Some(link) => {
                let name = format!("{}.pdf", quote.display_number().replace(" / ", "-"));
                let chunks = futures_util::stream::iter([Ok::<_, std::convert::Infallible>(
                    Bytes::from(pdf),
                )]);
                Some(self.attach(actor, link, &name, chunks).await?.id)
            }
            None => None,
        };
        let sent = self
            .mark_quote_sent(actor, quote, to.as_deref(), attachment)
            .await?;
        // The quote is sent by now: a timeline entry that cannot be written (a linked record
        // the sender may no longer see) must not keep its e-mail from going.
        if let Err(error) = self
            .log_quote_sent(actor, &sent, sending, to.as_deref())
            .await
        {
            tracing::warn!(quote = sent.id, %error, "a sent quote was not logged on the timeline");
        }
        let mut queued = false;
        if let Some(to) = &to {
            let payload = json!({
                "quote_id": quote.id,
                "to": to,
                "lang": sending.lang,
                "attachment_id": attachment,
            });
            self.enqueue_job(QUOTE_EMAIL, &payload, crate::jobs::Schedule::default())
                .await?;
            queued = true;
        }
        Ok((sent, queued))
    }

    /// The e-mail activity of a sent quote on its customer's (and deal's) timeline.
    async fn log_quote_sent(
        &self,
        actor: &Actor,
        quote: &Quote,
        sending: &Sending,
        to: Option<&str>,
    ) -> AppResult<()> {
        let p = &quote.parties;
        let links: Vec<(String, i64)> = [
            p.company_id.map(|c| ("company".to_string(), c.0)),
            p.person_id.map(|c| ("person".to_string(), c.0)),
            p.deal_id.map(|c| ("deal".to_string(), c.0)),
        ]
        .into_iter()
        .flatten()
        .collect();
        if sending.timeline_subject.trim().is_empty() || links.is_empty() {
            return Ok(());
        }
        let input = ActivityInput {
            kind: "email".into(),
            direction: "outbound".into(),
            subject: sending.timeline_subject.clone(),
            body: to.map(str::to_string).unwrap_or_default(),
            links,
            ..ActivityInput::default()
        };
        self.create_activity(actor, &input).await.map(|_| ())
    }
}
