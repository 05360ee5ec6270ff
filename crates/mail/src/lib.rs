//! Sending Rehber's e-mail through an SMTP server with lettre. The server is named by one
//! URL (`smtp://host:25` without TLS, `smtp://user:pass@host:587?tls=required` for
//! STARTTLS, `smtps://user:pass@host:465` for TLS), the sender by one address
//! (`Rehber <crm@firma.com.tr>`). The services reach it through
//! [`rehber_app::mail::Mailer`], so lettre compiles in this crate alone.

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use rehber_app::mail::{Mail, Mailer};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// How long one delivery attempt may take before it counts as failed (the job retries).
const SEND_TIMEOUT: Duration = Duration::from_secs(30);

/// Why the mail settings cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the SMTP URL is not usable: {0}")]
    Url(String),
    #[error("the sender address {0:?} is not an e-mail address")]
    From(String),
}

/// An SMTP server and the sender Rehber's e-mails come from.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for SmtpMailer {
    // Never the URL: it may hold the password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpMailer")
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

impl SmtpMailer {
    /// A mailer for the server `url` sending as `from`. Nothing is contacted yet.
    pub fn new(url: &str, from: &str) -> Result<SmtpMailer, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.trim())
            .map_err(|e| MailError::Url(e.to_string()))?
            .timeout(Some(SEND_TIMEOUT))
            .build();
        let from = from
            .trim()
            .parse::<Mailbox>()
            .map_err(|_| MailError::From(from.to_string()))?;
        Ok(SmtpMailer { transport, from })
    }

    fn message(&self, mail: &Mail) -> Result<Message, String> {
        let address = mail
            .to_address
            .parse()
            .map_err(|e| format!("recipient {:?}: {e}", mail.to_address))?;
        let to = Mailbox::new(Some(mail.to_name.clone()), address);
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone());
        if mail.attachments.is_empty() {
            return builder
                .header(ContentType::TEXT_PLAIN)
                .body(mail.text.clone())
                .map_err(|e| e.to_string());
        }
        let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(mail.text.clone()));
        for file in &mail.attachments {
            let content_type = ContentType::parse(&file.content_type)
                .map_err(|e| format!("attachment {:?}: {e}", file.filename))?;
            parts = parts.singlepart(
                Attachment::new(file.filename.clone()).body(file.bytes.clone(), content_type),
            );
        }
        builder.multipart(parts).map_err(|e| e.to_string())
    }
}

impl Mailer for SmtpMailer {
    fn send<'a>(
        &'a self,
        mail: &'a Mail,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>> {
        Box::pin(async move {
            let message = self.message(mail)?;
            self.transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use rehber_testkit::SmtpSink;

    fn mail() -> Mail {
        Mail {
            to_address: "ayse.satis@ornek.com.tr".into(),
            to_name: "Ayşe Satış".into(),
            subject: "Rehber: Derya sizi Güney Gıda kaydında andı".into(),
            text: "İskonto oranını onaylar mısınız?\n\nhttps://crm.ornek.com.tr/notifications/3/open\n".into(),
            attachments: Vec::new(),
        }
    }

    #[tokio::test]
    async fn a_message_reaches_the_smtp_server_with_its_turkish_text_intact() {
        let sink = SmtpSink::start().await;
        let mailer = SmtpMailer::new(
            &format!("smtp://{}", sink.addr()),
            "Rehber <crm@ornek.com.tr>",
        )
        .unwrap();
        mailer.send(&mail()).await.unwrap();
        let received = sink.messages();
        assert_eq!(received.len(), 1);
        let message = &received[0];
        assert_eq!(message.from, "crm@ornek.com.tr");
        assert_eq!(message.to, ["ayse.satis@ornek.com.tr"]);
        assert!(
            message.text().contains("İskonto oranını onaylar mısınız?"),
            "{}",
            message.data
        );
        assert!(message.subject().contains("Güney Gıda"), "{}", message.data);
    }

    #[tokio::test]
    async fn a_server_that_refuses_is_a_failure_to_retry_and_bad_settings_are_refused() {
        let sink = SmtpSink::refusing().await;
        let mailer =
            SmtpMailer::new(&format!("smtp://{}", sink.addr()), "crm@ornek.com.tr").unwrap();
        assert!(mailer.send(&mail()).await.is_err());
        assert!(matches!(
            SmtpMailer::new("http://nowhere", "crm@ornek.com.tr"),
            Err(MailError::Url(_))
        ));
        assert!(matches!(
            SmtpMailer::new("smtp://127.0.0.1:25", "not an address"),
            Err(MailError::From(_))
        ));
        let debug = format!(
            "{:?}",
            SmtpMailer::new("smtp://user:secret@127.0.0.1:25", "crm@ornek.com.tr").unwrap()
        );
        assert!(!debug.contains("secret"));
    }
}
