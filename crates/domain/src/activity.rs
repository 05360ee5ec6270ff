//! Activities: every touch point with a customer (a call, an e-mail, an SMS, a meeting, a
//! visit, a note), logged when it happened or planned ahead, linked to the records it
//! concerns. A planned meeting or visit is the calendar's event; a logged call is an activity
//! that is done.
//!
//! Here: the kinds and states, and the checks an activity's input passes ([`ActivityInput`]
//! → [`ActivityFields`]). Who may log against which record, and the company a person's
//! activity is also linked to, are the services' business.

use crate::error::FieldErrors;
pub use crate::fields::parse_instant;
use crate::fields::{
    instant, line, names, optional_choice, optional_instant, put_given, required_choice, text,
};
use crate::ids::{ActivityId, UserId};
use crate::party::{Ownership, RecordMeta};
use crate::validate::Invalid;
use serde::{Deserialize, Serialize};

/// The longest subject, in characters.
pub const MAX_SUBJECT: usize = 200;
/// The longest body (minutes of a meeting, an e-mail's text), in characters.
pub const MAX_BODY: usize = 20_000;
/// The longest place name, in characters.
pub const MAX_LOCATION: usize = 200;
/// The most records one activity is linked to.
pub const MAX_LINKS: usize = 10;

names! {
    /// The channel of a touch point.
    ActivityKind { Call = "call", Email = "email", Sms = "sms", Meeting = "meeting", Visit = "visit", Note = "note" }
}

names! {
    /// Who reached whom.
    Direction { Inbound = "inbound", Outbound = "outbound", Internal = "internal" }
}

names! {
    /// Planned (a calendar item), done (logged), or called off.
    ActivityStatus { Planned = "planned", Done = "done", Cancelled = "cancelled" }
}

names! {
    /// How it went: a call's or a meeting's and visit's own outcomes.
    Outcome {
        Connected = "connected", NoAnswer = "no_answer", Busy = "busy", Voicemail = "voicemail",
        WrongNumber = "wrong_number", Held = "held", NoShow = "no_show", Rescheduled = "rescheduled",
    }
}

names! {
    /// The kinds of record an activity can be linked to.
    LinkType { Person = "person", Company = "company", Deal = "deal" }
}

impl LinkType {
    /// The records' collection in paths (`/people/12`, `/api/v1/deals/3`).
    pub fn plural(self) -> &'static str {
        match self {
            LinkType::Person => "people",
            LinkType::Company => "companies",
            LinkType::Deal => "deals",
        }
    }

    /// The permission identity of the records of this type.
    pub fn access(self) -> crate::access::RecordKind {
        match self {
            LinkType::Person => crate::access::RecordKind::Person,
            LinkType::Company => crate::access::RecordKind::Company,
            LinkType::Deal => crate::access::RecordKind::Deal,
        }
    }
}

impl Outcome {
    /// Whether this outcome can be said of an activity of `kind`.
    pub fn fits(self, kind: ActivityKind) -> bool {
        match self {
            Outcome::Connected
            | Outcome::NoAnswer
            | Outcome::Busy
            | Outcome::Voicemail
            | Outcome::WrongNumber => kind == ActivityKind::Call,
            Outcome::Held | Outcome::NoShow | Outcome::Rescheduled => {
                matches!(kind, ActivityKind::Meeting | ActivityKind::Visit)
            }
        }
    }
}

/// A record an activity concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Link {
    pub record_type: LinkType,
    pub record_id: i64,
}

/// A link as stored: given by whoever logged the activity, or added by Rehber (the company
/// of a person the activity was logged against, at the time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredLink {
    #[serde(flatten)]
    pub link: Link,
    pub automatic: bool,
}

/// A stored activity. Its owner and team are those of the record it was first linked to,
/// when it was logged: who sees that record sees the activity.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub id: ActivityId,
    /// What was given (its `links` are the given ones).
    pub fields: ActivityFields,
    /// Every link, the automatic ones included.
    pub links: Vec<StoredLink>,
    pub ownership: Ownership,
    pub created_by: Option<UserId>,
    pub meta: RecordMeta,
}

/// An activity as asked for: every field as given, checked by [`ActivityInput::validate`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActivityInput {
    pub kind: String,
    pub direction: String,
    /// `done` when empty.
    pub status: String,
    pub subject: String,
    pub body: String,
    /// RFC 3339; now when empty.
    pub starts_at: String,
    pub ends_at: String,
    pub all_day: bool,
    pub outcome: String,
    pub location: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// `(record_type, record_id)` as given.
    pub links: Vec<(String, i64)>,
}

/// A checked activity.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityFields {
    pub kind: ActivityKind,
    pub direction: Option<Direction>,
    pub status: ActivityStatus,
    pub subject: String,
    pub body: String,
    pub starts_at: jiff::Timestamp,
    pub ends_at: Option<jiff::Timestamp>,
    pub all_day: bool,
    pub outcome: Option<Outcome>,
    pub location: String,
    /// Latitude and longitude in degrees (a visit's check-in).
    pub coordinates: Option<(f64, f64)>,
    /// The records it concerns, as given (without repeats), the first one leading: its
    /// owner and team are the activity's.
    pub links: Vec<Link>,
}

/// The fields a change mentions; the others stay. `latitude`/`longitude` of `Some(None)`
/// clear the coordinates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActivityPatch {
    pub kind: Option<String>,
    pub direction: Option<String>,
    pub status: Option<String>,
    pub subject: Option<String>,
    pub body: Option<String>,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub all_day: Option<bool>,
    pub outcome: Option<String>,
    pub location: Option<String>,
    pub latitude: Option<Option<f64>>,
    pub longitude: Option<Option<f64>>,
    pub links: Option<Vec<(String, i64)>>,
}

impl ActivityPatch {
    /// The input with this patch's fields put in.
    pub fn apply(self, input: &mut ActivityInput) {
        let patch = self;
        put_given!(patch => input:
            kind, direction, status, subject, body, starts_at, ends_at, all_day, outcome, location,
            latitude, longitude, links
        );
    }
}

/// An activity's fields as the audit log shows them, by name.
pub fn audit_values(fields: &ActivityFields) -> Vec<(&'static str, String)> {
    let at = |t: jiff::Timestamp| t.to_string();
    vec![
        ("kind", fields.kind.to_string()),
        (
            "direction",
            fields.direction.map(|d| d.to_string()).unwrap_or_default(),
        ),
        ("status", fields.status.to_string()),
        ("subject", fields.subject.clone()),
        ("body", fields.body.clone()),
        ("starts_at", at(fields.starts_at)),
        ("ends_at", fields.ends_at.map(at).unwrap_or_default()),
        ("all_day", fields.all_day.to_string()),
        (
            "outcome",
            fields.outcome.map(|o| o.to_string()).unwrap_or_default(),
        ),
        ("location", fields.location.clone()),
        (
            "coordinates",
            fields
                .coordinates
                .map(|(a, b)| format!("{a}, {b}"))
                .unwrap_or_default(),
        ),
        (
            "links",
            fields
                .links
                .iter()
                .map(|l| format!("{} {}", l.record_type, l.record_id))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ]
}

impl ActivityInput {
    /// The input of a stored activity, to apply a change to.
    pub fn from_fields(fields: &ActivityFields) -> ActivityInput {
        ActivityInput {
            kind: fields.kind.to_string(),
            direction: fields.direction.map(|d| d.to_string()).unwrap_or_default(),
            status: fields.status.to_string(),
            subject: fields.subject.clone(),
            body: fields.body.clone(),
            starts_at: fields.starts_at.to_string(),
            ends_at: fields.ends_at.map(|t| t.to_string()).unwrap_or_default(),
            all_day: fields.all_day,
            outcome: fields.outcome.map(|o| o.to_string()).unwrap_or_default(),
            location: fields.location.clone(),
            latitude: fields.coordinates.map(|c| c.0),
            longitude: fields.coordinates.map(|c| c.1),
            links: fields
                .links
                .iter()
                .map(|l| (l.record_type.to_string(), l.record_id))
                .collect(),
        }
    }

    /// Checks every field at once; `now` is the time of an activity logged without one.
    pub fn validate(&self, now: jiff::Timestamp) -> Result<ActivityFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = required_choice(&mut errors, "kind", &self.kind, ActivityKind::parse);
        let direction =
            optional_choice(&mut errors, "direction", &self.direction, Direction::parse);
        let status = if self.status.trim().is_empty() {
            Some(ActivityStatus::Done)
        } else {
            optional_choice(&mut errors, "status", &self.status, ActivityStatus::parse)
        };
        let subject = line(&mut errors, "subject", &self.subject, MAX_SUBJECT);
        let body = text(&mut errors, "body", &self.body, MAX_BODY);
        let starts_at = if self.starts_at.trim().is_empty() {
            Some(now)
        } else {
            instant(&mut errors, "starts_at", &self.starts_at)
        };
        let ends_at = optional_instant(&mut errors, "ends_at", &self.ends_at);
        if let (Some(start), Some(end)) = (starts_at, ends_at)
            && end < start
        {
            errors.add("ends_at", "invalid-ends-before-start");
        }
        let outcome = optional_choice(&mut errors, "outcome", &self.outcome, Outcome::parse);
        if let (Some(outcome), Some(kind)) = (outcome, kind)
            && !outcome.fits(kind)
        {
            errors.add("outcome", Invalid::UnknownValue.code());
        }
        let location = line(&mut errors, "location", &self.location, MAX_LOCATION);
        let coordinates = match (self.latitude, self.longitude) {
            (None, None) => None,
            (lat, lon) => {
                // Both or neither, each within its range.
                let lat_ok = lat.is_some_and(|l| (-90.0..=90.0).contains(&l));
                let lon_ok = lon.is_some_and(|l| (-180.0..=180.0).contains(&l));
                if !lat_ok {
                    errors.add("latitude", Invalid::Number.code());
                }
                if !lon_ok {
                    errors.add("longitude", Invalid::Number.code());
                }
                lat.zip(lon).filter(|_| lat_ok && lon_ok)
            }
        };
        let links = self.links(&mut errors);
        match (kind, status, subject, body, starts_at, location) {
            (
                Some(kind),
                Some(status),
                Some(subject),
                Some(body),
                Some(starts_at),
                Some(location),
            ) if errors.is_empty() => Ok(ActivityFields {
                kind,
                direction,
                status,
                subject,
                body,
                starts_at,
                ends_at,
                all_day: self.all_day,
                outcome,
                location,
                coordinates,
                links,
            }),
            _ => Err(errors),
        }
    }

    fn links(&self, errors: &mut FieldErrors) -> Vec<Link> {
        if self.links.is_empty() {
            errors.add("links", Invalid::Required.code());
        }
        crate::fields::links(errors, &self.links, MAX_LINKS)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn now() -> jiff::Timestamp {
        "2026-12-03T09:00:00Z".parse().unwrap()
    }

    fn call() -> ActivityInput {
        ActivityInput {
            kind: "call".into(),
            subject: "Teklif hakkında".into(),
            links: vec![("person".into(), 7)],
            ..ActivityInput::default()
        }
    }

    fn codes(input: &ActivityInput) -> Vec<String> {
        match input.validate(now()) {
            Ok(_) => Vec::new(),
            Err(errors) => errors
                .0
                .iter()
                .map(|e| format!("{}={}", e.field, e.code))
                .collect(),
        }
    }

    #[test]
    fn a_call_logged_without_a_time_is_done_now() {
        let fields = call().validate(now()).unwrap();
        assert_eq!(fields.kind, ActivityKind::Call);
        assert_eq!(fields.status, ActivityStatus::Done);
        assert_eq!(fields.starts_at, now());
        assert_eq!(
            fields.links,
            [Link {
                record_type: LinkType::Person,
                record_id: 7
            }]
        );
    }

    #[test]
    fn every_refusal_names_its_field() {
        let input = ActivityInput {
            kind: "fax".into(),
            status: "maybe".into(),
            subject: "a".repeat(201),
            body: "b".repeat(20_001),
            starts_at: "yarın".into(),
            latitude: Some(91.0),
            longitude: Some(29.0),
            links: vec![("ticket".into(), 1), ("person".into(), 0)],
            ..ActivityInput::default()
        };
        assert_eq!(
            codes(&input),
            [
                "kind=invalid-unknown-value",
                "status=invalid-unknown-value",
                "subject=invalid-too-long",
                "body=invalid-too-long",
                "starts_at=invalid-datetime",
                "latitude=invalid-number",
                "links[0].record_type=invalid-unknown-value",
                "links[1].record_id=invalid-unknown-record",
            ]
        );
        assert_eq!(
            codes(&ActivityInput::default()),
            ["kind=invalid-required", "links=invalid-required"]
        );
    }

    #[test]
    fn an_activity_cannot_end_before_it_starts_and_outcomes_fit_their_kind() {
        let input = ActivityInput {
            starts_at: "2026-12-03T10:00:00+03:00".into(),
            ends_at: "2026-12-03T09:59:00+03:00".into(),
            outcome: "held".into(),
            ..call()
        };
        assert_eq!(
            codes(&input),
            [
                "ends_at=invalid-ends-before-start",
                "outcome=invalid-unknown-value"
            ]
        );
        let fine = ActivityInput {
            outcome: "no_answer".into(),
            ends_at: "2026-12-03T07:05:00Z".into(),
            starts_at: "2026-12-03T10:00:00+03:00".into(),
            ..call()
        };
        let fields = fine.validate(now()).unwrap();
        assert_eq!(fields.outcome, Some(Outcome::NoAnswer));
        assert_eq!(fields.starts_at.to_string(), "2026-12-03T07:00:00Z");
    }

    #[test]
    fn repeated_links_are_kept_once_and_the_input_of_stored_fields_validates_to_them() {
        let input = ActivityInput {
            links: vec![
                ("person".into(), 7),
                ("company".into(), 3),
                ("person".into(), 7),
            ],
            latitude: Some(41.0082),
            longitude: Some(28.9784),
            ..call()
        };
        let fields = input.validate(now()).unwrap();
        assert_eq!(fields.links.len(), 2);
        assert_eq!(
            ActivityInput::from_fields(&fields).validate(now()).unwrap(),
            fields
        );
    }
}
