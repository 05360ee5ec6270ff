//! Parsing of user-typed values into validated newtypes ("parse, don't validate").
//!
//! Every parser returns a [`Invalid`] code on failure; the code is a message key that the
//! web layer localizes (see `crates/web-core/locales/*/main.ftl`, keys `invalid-…`). Nothing here
//! knows about fields or languages.

mod email;
mod national_id;
mod phone;
mod tax_number;
pub mod text;

pub use email::Email;
pub use national_id::Tckn;
pub use phone::Phone;
pub use tax_number::Vkn;

/// Why a typed value was refused. `code()` is the stable message key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    #[error("required")]
    Required,
    #[error("too long")]
    TooLong,
    #[error("not an e-mail address")]
    Email,
    #[error("not a phone number")]
    Phone,
    #[error("a tax number has 10 digits")]
    VknFormat,
    #[error("tax number checksum does not match")]
    VknChecksum,
    #[error("a national ID has 11 digits and does not start with 0")]
    TcknFormat,
    #[error("national ID checksum does not match")]
    TcknChecksum,
    #[error("not a date (YYYY-MM-DD)")]
    Date,
    #[error("not a web address")]
    Url,
    #[error("not an amount")]
    Amount,
    #[error("unknown value")]
    UnknownValue,
    #[error("not a number")]
    Number,
    #[error("contains a control character")]
    ControlCharacter,
    #[error("too many values")]
    TooMany,
}

impl Invalid {
    /// The message key the user interface translates.
    pub fn code(self) -> &'static str {
        match self {
            Invalid::Required => "invalid-required",
            Invalid::TooLong => "invalid-too-long",
            Invalid::Email => "invalid-email",
            Invalid::Phone => "invalid-phone",
            Invalid::VknFormat => "invalid-vkn-format",
            Invalid::VknChecksum => "invalid-vkn-checksum",
            Invalid::TcknFormat => "invalid-tckn-format",
            Invalid::TcknChecksum => "invalid-tckn-checksum",
            Invalid::Date => "invalid-date",
            Invalid::Url => "invalid-url",
            Invalid::Amount => "invalid-amount",
            Invalid::UnknownValue => "invalid-unknown-value",
            Invalid::Number => "invalid-number",
            Invalid::ControlCharacter => "invalid-control-character",
            Invalid::TooMany => "invalid-too-many",
        }
    }
}

/// A web address as typed (`example.com` or `https://example.com/x`), with `https://` added
/// when no scheme is given; empty input is an empty address.
pub fn web_address(input: &str, max_chars: usize) -> Result<String, Invalid> {
    let value = input.trim();
    if value.is_empty() {
        return Ok(String::new());
    }
    let url = if value.contains("://") {
        value.to_string()
    } else {
        format!("https://{value}")
    };
    let host = url
        .split("://")
        .nth(1)
        .unwrap_or("")
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("");
    let plausible = (url.starts_with("http://") || url.starts_with("https://"))
        && host.contains('.')
        && !host.contains(char::is_whitespace)
        && !url.contains(char::is_control)
        && url.chars().count() <= max_chars;
    if plausible {
        Ok(url)
    } else {
        Err(Invalid::Url)
    }
}
