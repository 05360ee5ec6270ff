//! Outgoing e-mail as the services see it: a plain-text message to one person, and the
//! transport the server plugs in ([`Mailer`]; SMTP in production). The services decide
//! what to send and when (as jobs); the wording is the web layer's, which knows the
//! languages.

use std::future::Future;
use std::pin::Pin;

/// One message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mail {
    pub to_address: String,
    pub to_name: String,
    pub subject: String,
    pub text: String,
    /// Files sent with it (a quote's PDF).
    pub attachments: Vec<MailAttachment>,
}

/// A file sent with a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailAttachment {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Sends messages. A failure is a text for the log and the job's retry.
pub trait Mailer: Send + Sync + std::fmt::Debug {
    fn send<'a>(
        &'a self,
        mail: &'a Mail,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;
}
