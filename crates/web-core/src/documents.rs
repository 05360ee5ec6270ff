//! Quotes as the customer sees them, in the reader's language: the printed PDF (worded
//! and formatted here, laid out by `rehber_pdf`) and the e-mail that carries it, sent by the
//! `quote_email` job. The API, the pages and the job all use these, so the PDF downloaded,
//! the PDF kept and the PDF e-mailed are made the same way.

use crate::i18n::Lang;
use rehber_app::App;
use rehber_app::jobs::{JobFailure, JobHandlers};
use rehber_app::mail::{Mail, MailAttachment};
use rehber_app::quote_send::{QUOTE_EMAIL, QuoteDocument, Sending};
use rehber_domain::money::{Money, in_words_tr};
use rehber_domain::quote::vat_summary;
use rehber_pdf::{Columns, Letterhead, QuotePdf, TableLine};
use serde_json::Value;

/// The seller's letterhead lines.
pub(crate) fn letterhead(lang: Lang, app: &App) -> Letterhead {
    let l = &app.settings.letterhead;
    let mut lines = Vec::new();
    if !l.address.trim().is_empty() {
        lines.push(l.address.trim().to_string());
    }
    if !l.tax_number.trim().is_empty() {
        lines.push(if l.tax_office.trim().is_empty() {
            lang.t_args("quote-pdf-tax-number", &[("number", l.tax_number.clone())])
        } else {
            lang.t_args(
                "quote-pdf-tax",
                &[
                    ("office", l.tax_office.clone()),
                    ("number", l.tax_number.clone()),
                ],
            )
        });
    }
    let contact: Vec<String> = [
        (!l.phone.trim().is_empty())
            .then(|| lang.t_args("quote-pdf-phone", &[("phone", l.phone.clone())])),
        (!l.email.trim().is_empty()).then(|| l.email.clone()),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !contact.is_empty() {
        lines.push(contact.join(" · "));
    }
    Letterhead {
        name: if l.name.trim().is_empty() {
            "Rehber".into()
        } else {
            l.name.clone()
        },
        lines,
    }
}

/// The customer block: name, address, VKN or TCKN.
fn customer(lang: Lang, document: &QuoteDocument) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(company) = &document.company {
        let f = &company.fields;
        lines.push(f.name.clone());
        let a = &f.address;
        let place = [a.street.as_str(), a.district.as_str(), a.city.as_str()]
            .into_iter()
            .filter(|p| !p.trim().is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        if !place.is_empty() {
            lines.push(place);
        }
        if let Some(vkn) = &f.tax_number {
            lines.push(if f.tax_office.trim().is_empty() {
                lang.t_args("quote-pdf-tax-number", &[("number", vkn.to_string())])
            } else {
                lang.t_args(
                    "quote-pdf-tax",
                    &[
                        ("office", f.tax_office.clone()),
                        ("number", vkn.to_string()),
                    ],
                )
            });
        } else if let Some(tckn) = &f.national_id {
            lines.push(lang.t_args("quote-pdf-national-id", &[("number", tckn.to_string())]));
        }
    }
    if let Some(person) = &document.person {
        let name = person.title();
        let f = &person.fields;
        let place = [f.address.district.as_str(), f.address.city.as_str()]
            .into_iter()
            .filter(|p| !p.trim().is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        lines.push(if document.company.is_none() && !place.is_empty() {
            format!("{name}, {place}")
        } else {
            name
        });
        if document.company.is_none()
            && let Some(tckn) = &f.national_id
        {
            lines.push(lang.t_args("quote-pdf-national-id", &[("number", tckn.to_string())]));
        }
    }
    lines
}

/// The quote as printed, in `lang`.
pub fn quote_pdf_model(app: &App, lang: Lang, document: &QuoteDocument) -> QuotePdf {
    let q = &document.quote;
    let money = |minor: i64| format!("{} {}", lang.amount(minor), q.currency);
    let t = &q.totals;
    let mut totals = vec![(lang.t("quote-pdf-subtotal"), money(t.subtotal))];
    if t.discount != 0 {
        totals.push((lang.t("quote-pdf-discount"), money(-t.discount)));
        totals.push((lang.t("quote-pdf-net"), money(t.net)));
    }
    for row in vat_summary(&q.lines) {
        totals.push((
            lang.t_args("quote-pdf-vat", &[("rate", row.rate.percent().to_string())]),
            money(row.vat),
        ));
    }
    let terms = if q.terms.trim().is_empty() {
        app.settings.letterhead.terms.clone()
    } else {
        q.terms.clone()
    };
    QuotePdf {
        title: lang.t("quote-pdf-title"),
        letterhead: letterhead(lang, app),
        details: vec![
            (lang.t("quote-pdf-number"), q.display_number()),
            (lang.t("quote-pdf-date"), lang.date(q.issue_date)),
            (lang.t("quote-pdf-valid-until"), lang.date(q.valid_until)),
        ],
        customer_heading: lang.t("quote-pdf-customer"),
        customer: customer(lang, document),
        columns: Columns {
            number: lang.t("quote-pdf-col-number"),
            description: lang.t("quote-pdf-col-description"),
            quantity: lang.t("quote-pdf-col-quantity"),
            unit_price: lang.t("quote-pdf-col-unit-price"),
            discount: lang.t("quote-pdf-col-discount"),
            vat_rate: lang.t("quote-pdf-col-vat"),
            net: lang.t("quote-pdf-col-net"),
        },
        lines: q
            .lines
            .iter()
            .map(|l| TableLine {
                description: l.description.clone(),
                quantity: format!(
                    "{} {}",
                    lang.decimal(&l.input.quantity.to_decimal_string()),
                    lang.unit(&l.unit)
                ),
                unit_price: lang.amount(l.input.unit_price),
                discount: if l.input.discount.basis_points() == 0 {
                    String::new()
                } else {
                    format!("%{}", lang.decimal(&l.input.discount.to_decimal_string()))
                },
                vat_rate: format!("%{}", l.input.vat_rate.percent()),
                net: lang.amount(l.amounts.net),
            })
            .collect(),
        totals,
        grand_total: (lang.t("quote-pdf-gross"), money(t.gross)),
        in_words: in_words_tr(&Money {
            minor: t.gross,
            currency: q.currency.clone(),
        }),
        sections: vec![
            (lang.t("quote-pdf-terms"), terms),
            (
                lang.t("quote-pdf-bank"),
                app.settings.letterhead.iban.clone(),
            ),
        ],
        page_label: lang.t("quote-pdf-page"),
    }
}

/// The quote's PDF in `lang`; an error only when the embedded font is unreadable.
pub fn quote_pdf(
    app: &App,
    lang: Lang,
    document: &QuoteDocument,
) -> Result<Vec<u8>, rehber_pdf::PdfError> {
    rehber_pdf::render_quote(&quote_pdf_model(app, lang, document))
}

/// Sends a quote the actor can see, worded in `lang`: its PDF is made, kept and e-mailed to
/// `to` (the customer's address when empty), and the sending is logged on the customer's
/// timeline. The API and the pages both send this way. The quote as it is now, and whether
/// an e-mail was queued.
pub async fn send_quote(
    app: &App,
    actor: &rehber_domain::Actor,
    lang: Lang,
    id: i64,
    to: String,
    version: Option<i64>,
) -> Result<(rehber_domain::quote::Quote, bool), rehber_app::AppError> {
    let document = app.quote_document(actor, id).await?;
    let pdf = quote_pdf(app, lang, &document)
        .map_err(|e| rehber_app::AppError::Internal(e.to_string()))?;
    let sending = Sending {
        to,
        version,
        lang: lang.code().to_string(),
        timeline_subject: lang.t_args(
            "quote-timeline-sent",
            &[("number", document.quote.display_number())],
        ),
    };
    app.send_quote(actor, &document, pdf, &sending).await
}

/// The PDF of a quote the actor can see: the copy kept when it was sent, else made now in
/// `lang`; with the file name it is offered under.
pub async fn quote_pdf_file(
    app: &App,
    actor: &rehber_domain::Actor,
    lang: Lang,
    id: i64,
) -> Result<(Vec<u8>, String), rehber_app::AppError> {
    let document = app.quote_document(actor, id).await?;
    let kept = match document.quote.pdf_attachment_id {
        Some(attachment) => app.system_attachment_bytes(attachment).await.ok(),
        None => None,
    };
    let bytes = match kept {
        Some(bytes) => bytes,
        None => quote_pdf(app, lang, &document)
            .map_err(|e| rehber_app::AppError::Internal(e.to_string()))?,
    };
    Ok((bytes, quote_pdf_filename(&document)))
}

/// The file name a quote's PDF is offered under.
pub fn quote_pdf_filename(document: &QuoteDocument) -> String {
    format!(
        "{}.pdf",
        document.quote.display_number().replace(" / ", "-")
    )
}

/// The quote e-mail job added to `handlers`.
pub fn register(handlers: JobHandlers) -> JobHandlers {
    handlers.with(QUOTE_EMAIL, |app, payload| async move {
        quote_email_job(&app, &payload).await
    })
}

async fn quote_email_job(app: &App, payload: &Value) -> Result<(), JobFailure> {
    let (Some(id), Some(to)) = (payload["quote_id"].as_i64(), payload["to"].as_str()) else {
        return Err(JobFailure::Permanent(format!(
            "a quote e-mail needs quote_id and to: {payload}"
        )));
    };
    let lang = payload["lang"]
        .as_str()
        .and_then(Lang::parse)
        .unwrap_or_default();
    let document = app
        .system_quote_document(id)
        .await
        .map_err(|e| JobFailure::Retry(e.to_string()))?;
    // The PDF kept on sending is the one that goes; without one it is made again.
    let bytes = match payload["attachment_id"].as_i64() {
        Some(attachment) => app
            .system_attachment_bytes(attachment)
            .await
            .map_err(|e| JobFailure::Retry(e.to_string()))?,
        None => quote_pdf(app, lang, &document).map_err(|e| JobFailure::Retry(e.to_string()))?,
    };
    let q = &document.quote;
    let company = if app.settings.letterhead.name.trim().is_empty() {
        "Rehber".to_string()
    } else {
        app.settings.letterhead.name.clone()
    };
    let name = document.customer_name();
    let mail = Mail {
        to_address: to.to_string(),
        to_name: name.clone(),
        subject: lang.t_args("quote-email-subject", &[("number", q.display_number())]),
        text: lang.t_args(
            "quote-email-body",
            &[
                ("name", name),
                ("number", q.display_number()),
                ("valid", lang.date(q.valid_until)),
                ("total", lang.money(q.totals.gross, &q.currency)),
                ("company", company),
            ],
        ),
        attachments: vec![MailAttachment {
            filename: quote_pdf_filename(&document),
            content_type: "application/pdf".into(),
            bytes,
        }],
    };
    let outcome = match &app.mailer {
        None => Err(JobFailure::Permanent("no mail server is configured".into())),
        Some(mailer) => mailer.send(&mail).await.map_err(JobFailure::Retry),
    };
    let error = outcome.as_ref().err().map(ToString::to_string);
    if let Err(e) = app.quote_send_outcome(id, error.as_deref()).await {
        tracing::warn!(quote = id, error = %e, "the outcome of a quote e-mail was not recorded");
    }
    outcome
}
