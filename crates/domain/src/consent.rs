//! Consent: a person's permission to be contacted, kept as history. Two laws ask for it and
//! they are kept apart. İYS (the commercial electronic message system) records a commercial
//! permission per channel — e-mail, SMS, call — that must be given before a marketing
//! message is sent. KVKK explicit consent covers other purposes (marketing use of personal
//! data, profiling, transfer abroad). A change is a new entry; the current state of a
//! purpose and channel is its latest entry by the date the person gave it.
//!
//! The date is the one the person gave their answer, not the day it was typed in, so a
//! date in the future is refused, and so is one older than the latest entry already kept
//! for the same purpose and channel (İYS refuses such a consent too).

use crate::error::{Error, FieldErrors};
use crate::fields::{instant, line, names, optional_choice, required_choice};
use crate::ids::{PersonId, UserId};
use crate::validate::{Email, Phone};
use jiff::{SignedDuration, Timestamp};

names! {
    /// How a person may be reached; İYS knows them as EPOSTA, MESAJ and ARAMA.
    ConsentChannel { Email = "email", Sms = "sms", Call = "call" }
}

names! {
    /// The person's answer.
    ConsentStatus { Granted = "granted", Denied = "denied" }
}

names! {
    /// What the consent is for: İYS commercial messages, or one of the KVKK explicit-consent
    /// purposes.
    ConsentPurpose {
        Commercial = "commercial",
        KvkkMarketing = "kvkk_marketing",
        KvkkProfiling = "kvkk_profiling",
        KvkkTransferAbroad = "kvkk_transfer_abroad",
    }
}

impl ConsentChannel {
    /// The channel's name in İYS files.
    pub fn iys_name(self) -> &'static str {
        match self {
            ConsentChannel::Email => "EPOSTA",
            ConsentChannel::Sms => "MESAJ",
            ConsentChannel::Call => "ARAMA",
        }
    }
}

impl ConsentStatus {
    /// The status's name in İYS files.
    pub fn iys_name(self) -> &'static str {
        match self {
            ConsentStatus::Granted => "ONAY",
            ConsentStatus::Denied => "RET",
        }
    }
}

impl ConsentPurpose {
    /// Whether consents for this purpose are İYS permissions (and so need a channel).
    pub fn is_commercial(self) -> bool {
        self == ConsentPurpose::Commercial
    }
}

/// The sources İYS accepts, offered by the form; any other text is kept as typed.
pub const IYS_SOURCES: [&str; 12] = [
    "HS_FIZIKSEL_ORTAM",
    "HS_ISLAK_IMZA",
    "HS_WEB",
    "HS_CAGRI_MERKEZI",
    "HS_SOSYAL_MEDYA",
    "HS_EPOSTA",
    "HS_MESAJ",
    "HS_MOBIL",
    "HS_EORTAM",
    "HS_ETKINLIK",
    "HS_ATM",
    "HS_KARAR",
];

/// The longest source text kept.
pub const MAX_SOURCE_CHARS: usize = 200;
/// How far ahead of the server's clock a date may be and still count as "now": a browser's
/// clock a little fast is not a date in the future.
pub const CLOCK_TOLERANCE: SignedDuration = SignedDuration::from_secs(120);

/// A consent as typed (form or API), before checking.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct ConsentForm {
    /// Empty means `commercial`.
    pub purpose: String,
    pub channel: String,
    pub status: String,
    pub source: String,
    /// RFC 3339.
    pub given_at: String,
    /// The e-mail address or phone number the answer is about; empty means the person's first.
    pub address: String,
}

/// A checked consent, ready to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentFields {
    pub purpose: ConsentPurpose,
    /// Always set for commercial permissions; `None` for a KVKK purpose given for every
    /// channel.
    pub channel: Option<ConsentChannel>,
    pub status: ConsentStatus,
    pub source: String,
    pub given_at: Timestamp,
    /// The typed address, not yet checked against the person's (the service does that).
    pub address: Option<String>,
}

/// A kept consent entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    pub id: i64,
    pub person_id: PersonId,
    pub fields: ConsentFields,
    pub recorded_by: Option<UserId>,
    pub recorded_by_name: Option<String>,
    pub recorded_at: Timestamp,
    /// The scanned form or other file kept as evidence, an attachment of the person.
    pub evidence_attachment_id: Option<i64>,
}

impl ConsentForm {
    /// Reads every field, naming each one that is wrong; `now` is the server's clock.
    pub fn parse(&self, now: Timestamp) -> Result<ConsentFields, Error> {
        let mut errors = FieldErrors::new();
        let purpose = match self.purpose.trim() {
            "" => Some(ConsentPurpose::Commercial),
            _ => optional_choice(&mut errors, "purpose", &self.purpose, ConsentPurpose::parse),
        };
        let channel = match purpose {
            Some(ConsentPurpose::Commercial) => {
                required_choice(&mut errors, "channel", &self.channel, ConsentChannel::parse)
            }
            _ => optional_choice(&mut errors, "channel", &self.channel, ConsentChannel::parse),
        };
        let status = required_choice(&mut errors, "status", &self.status, ConsentStatus::parse);
        let source = line(&mut errors, "source", &self.source, MAX_SOURCE_CHARS);
        if source.as_deref().is_some_and(str::is_empty) {
            errors.add("source", "invalid-required");
        }
        let given_at = if self.given_at.trim().is_empty() {
            errors.add("given_at", "invalid-required");
            None
        } else {
            instant(&mut errors, "given_at", &self.given_at)
        };
        if given_at.is_some_and(|at| at > now + CLOCK_TOLERANCE) {
            errors.add("given_at", "invalid-consent-future");
        }
        let address = line(&mut errors, "address", &self.address, 254).filter(|a| !a.is_empty());
        errors.into_result()?;
        match (purpose, status, source, given_at) {
            (Some(purpose), Some(status), Some(source), Some(given_at)) => Ok(ConsentFields {
                purpose,
                channel,
                status,
                source,
                given_at,
                address,
            }),
            _ => Err(Error::field("consent", "invalid-required")),
        }
    }
}

/// The address an answer is about, from the person's own: the typed one when it is theirs
/// (an e-mail ignoring case, a phone in any form), else their first e-mail for the e-mail
/// channel and first phone for SMS and calls; none when they have none. A typed address
/// that is not theirs is refused.
pub fn address_of(
    fields: &ConsentFields,
    emails: &[Email],
    phones: &[Phone],
) -> Result<Option<String>, Error> {
    let email_channel = matches!(fields.channel, None | Some(ConsentChannel::Email));
    let phone_channel = fields.channel != Some(ConsentChannel::Email);
    let Some(typed) = &fields.address else {
        return Ok(match fields.channel {
            Some(ConsentChannel::Email) => emails.first().map(ToString::to_string),
            Some(_) => phones.first().map(ToString::to_string),
            None => None,
        });
    };
    if email_channel
        && let Some(email) = emails
            .iter()
            .find(|e| e.as_str().eq_ignore_ascii_case(typed.trim()))
    {
        return Ok(Some(email.to_string()));
    }
    if phone_channel
        && let Ok(phone) = Phone::parse(typed)
        && phones.contains(&phone)
    {
        return Ok(Some(phone.to_string()));
    }
    Err(Error::field("address", "invalid-consent-address"))
}

/// The current answer of each purpose and channel: the latest entry of each by the date
/// given (the latest recorded among equal dates), commercial first, then by channel.
pub fn current(history: &[Consent]) -> Vec<&Consent> {
    let mut latest: Vec<&Consent> = Vec::new();
    for entry in history {
        let key = (entry.fields.purpose, entry.fields.channel);
        match latest
            .iter_mut()
            .find(|c| (c.fields.purpose, c.fields.channel) == key)
        {
            Some(kept) => {
                if (entry.fields.given_at, entry.id) > (kept.fields.given_at, kept.id) {
                    *kept = entry;
                }
            }
            None => latest.push(entry),
        }
    }
    latest.sort_by_key(|c| {
        (
            ConsentPurpose::ALL
                .iter()
                .position(|p| *p == c.fields.purpose),
            c.fields
                .channel
                .and_then(|ch| ConsentChannel::ALL.iter().position(|x| *x == ch)),
        )
    });
    latest
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-12-06T12:00:00Z".parse().unwrap()
    }

    fn form() -> ConsentForm {
        ConsentForm {
            channel: "email".into(),
            status: "granted".into(),
            source: "HS_WEB".into(),
            given_at: "2026-12-01T09:30:00+03:00".into(),
            ..ConsentForm::default()
        }
    }

    fn entry(id: i64, channel: ConsentChannel, status: ConsentStatus, at: &str) -> Consent {
        Consent {
            id,
            person_id: PersonId(1),
            fields: ConsentFields {
                purpose: ConsentPurpose::Commercial,
                channel: Some(channel),
                status,
                source: "HS_WEB".into(),
                given_at: at.parse().unwrap(),
                address: None,
            },
            recorded_by: None,
            recorded_by_name: None,
            recorded_at: now(),
            evidence_attachment_id: None,
        }
    }

    #[test]
    fn a_commercial_permission_reads_with_its_instant_in_utc() {
        let fields = form().parse(now()).unwrap();
        assert_eq!(fields.purpose, ConsentPurpose::Commercial);
        assert_eq!(fields.channel, Some(ConsentChannel::Email));
        assert_eq!(fields.given_at.to_string(), "2026-12-01T06:30:00Z");
        assert_eq!(fields.address, None);
    }

    #[test]
    fn a_future_date_a_missing_source_and_unknown_names_are_each_named() {
        let bad = ConsentForm {
            channel: "fax".into(),
            status: "maybe".into(),
            source: "  ".into(),
            given_at: "2027-01-01T00:00:00Z".into(),
            ..form()
        };
        let Err(Error::Validation(errors)) = bad.parse(now()) else {
            panic!("refused");
        };
        assert_eq!(errors.get("channel").unwrap().code, "invalid-unknown-value");
        assert_eq!(errors.get("status").unwrap().code, "invalid-unknown-value");
        assert_eq!(errors.get("source").unwrap().code, "invalid-required");
        assert_eq!(
            errors.get("given_at").unwrap().code,
            "invalid-consent-future"
        );
        let unreadable = ConsentForm {
            given_at: "06.12.2026".into(),
            ..form()
        };
        let Err(Error::Validation(errors)) = unreadable.parse(now()) else {
            panic!("refused");
        };
        assert_eq!(errors.get("given_at").unwrap().code, "invalid-datetime");
    }

    #[test]
    fn a_clock_a_little_fast_is_not_the_future() {
        let close = ConsentForm {
            given_at: "2026-12-06T12:01:00Z".into(),
            ..form()
        };
        assert!(close.parse(now()).is_ok());
    }

    #[test]
    fn commercial_permissions_need_a_channel_kvkk_purposes_do_not() {
        let no_channel = ConsentForm {
            channel: String::new(),
            ..form()
        };
        let Err(Error::Validation(errors)) = no_channel.parse(now()) else {
            panic!("refused");
        };
        assert_eq!(errors.get("channel").unwrap().code, "invalid-required");
        let kvkk = ConsentForm {
            purpose: "kvkk_profiling".into(),
            channel: String::new(),
            ..form()
        }
        .parse(now())
        .unwrap();
        assert_eq!(
            (kvkk.purpose, kvkk.channel),
            (ConsentPurpose::KvkkProfiling, None)
        );
    }

    #[test]
    fn the_current_answer_is_the_latest_given_per_channel() {
        use ConsentChannel::{Email, Sms};
        use ConsentStatus::{Denied, Granted};
        let history = [
            entry(1, Email, Granted, "2026-01-01T00:00:00Z"),
            entry(2, Sms, Granted, "2026-02-01T00:00:00Z"),
            entry(3, Email, Denied, "2026-03-01T00:00:00Z"),
            // Typed in later but given earlier: not the current answer.
            entry(4, Sms, Denied, "2026-01-15T00:00:00Z"),
        ];
        let now: Vec<(Option<ConsentChannel>, ConsentStatus)> = current(&history)
            .iter()
            .map(|c| (c.fields.channel, c.fields.status))
            .collect();
        assert_eq!(now, vec![(Some(Email), Denied), (Some(Sms), Granted)]);
    }

    #[test]
    fn the_address_is_one_of_the_persons_own() {
        let emails = [Email::parse("Ayse@Example.com.tr").unwrap()];
        let phones = [Phone::parse("0532 111 22 33").unwrap()];
        let email = form().parse(now()).unwrap();
        assert_eq!(
            address_of(&email, &emails, &phones).unwrap().as_deref(),
            Some(emails[0].as_str())
        );
        let typed = ConsentFields {
            channel: Some(ConsentChannel::Sms),
            address: Some("+90 532 111 2233".into()),
            ..email.clone()
        };
        assert_eq!(
            address_of(&typed, &emails, &phones).unwrap().as_deref(),
            Some("+905321112233")
        );
        let not_theirs = ConsentFields {
            address: Some("someone@example.com".into()),
            ..email.clone()
        };
        let Err(Error::Validation(errors)) = address_of(&not_theirs, &emails, &phones) else {
            panic!("refused");
        };
        assert_eq!(
            errors.get("address").unwrap().code,
            "invalid-consent-address"
        );
        assert_eq!(address_of(&email, &[], &phones).unwrap(), None);
    }

    #[test]
    fn channels_and_statuses_have_their_iys_names() {
        assert_eq!(ConsentChannel::Sms.iys_name(), "MESAJ");
        assert_eq!(ConsentStatus::Denied.iys_name(), "RET");
    }
}
