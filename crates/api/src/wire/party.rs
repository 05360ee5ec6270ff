//! The wire fields people and companies share, written once: a request's contacts,
//! address, tags, qualification, notes, owner, version and custom values
//! ([`party_request!`]), and a response's ([`party_response!`]). A kind lists only its own
//! fields; the OpenAPI document describes the shared ones the same way for both.

/// Declares a party's request body: the kind's own fields, then the shared ones, with
/// `take_party` handing the shared ones over as a patch, the custom values, the ownership
/// asked for and the version.
macro_rules! party_request {
    (
        $(#[$meta:meta])*
        pub struct $name:ident { $($(#[$fmeta:meta])* pub $field:ident: $ty:ty,)* }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: $ty,)*
            /// The primary e-mail (put first in `emails`).
            #[schema(example = "isik.caglar@ornek.com.tr")]
            pub email: Option<String>,
            pub emails: Option<Vec<String>>,
            /// The primary phone, any common form (stored as E.164).
            #[schema(example = "0532 123 45 67")]
            pub phone: Option<String>,
            pub phones: Option<Vec<String>>,
            pub street: Option<String>,
            pub district: Option<String>,
            #[schema(example = "İstanbul")]
            pub city: Option<String>,
            pub postal_code: Option<String>,
            pub country: Option<String>,
            pub tags: Option<Vec<String>>,
            /// subscriber, lead, qualified, opportunity, customer, churned
            pub lifecycle_stage: Option<String>,
            /// new, attempted, connected, in_progress, unqualified, bad_timing
            pub lead_status: Option<String>,
            /// website, referral, event, advertising, cold_call, social_media, partner, email, other
            pub lead_source: Option<String>,
            /// Why the lead was unqualified: required when `lead_status` is `unqualified`.
            pub unqualified_reason: Option<String>,
            /// A move into `lifecycle_stage: qualified` needs this many of the four BANT
            /// checks (an administrator's setting, three by default), or it is refused (422)
            /// naming the checks that are missing.
            pub bant_budget: Option<bool>,
            pub bant_authority: Option<bool>,
            pub bant_need: Option<bool>,
            pub bant_timing: Option<bool>,
            pub notes: Option<String>,
            pub owner_id: Option<i64>,
            pub team_id: Option<i64>,
            /// The version last read; when given, an update of a changed record is refused (409).
            pub version: Option<i64>,
            /// `true` saves the record even when it repeats one already kept (the same e-mail
            /// in any case, phone, national ID or tax number); otherwise that is refused (409)
            /// with the record's id in `duplicate_id`. Also accepted in the query.
            pub allow_duplicate: Option<bool>,
            /// Custom field values by key (`GET /custom-fields` lists them): text types as strings,
            /// number as a number, money as `{"minor": 125000, "currency": "TRY"}`, date as
            /// `YYYY-MM-DD`, boolean, choice as the option key, multi-choice as a list of keys,
            /// phone in any common form. A PATCH changes only the keys given; `null` clears one.
            #[schema(value_type = Option<Object>)]
            pub custom: Option<serde_json::Map<String, serde_json::Value>>,
        }

        impl $name {
            /// Takes the shared fields out: as a patch, with the custom values, the owner
            /// and team asked for, and the version.
            fn take_party(&mut self) -> $crate::wire::party::PartyParts {
                let party = rehber_domain::party::PartyPatch {
                    emails: $crate::wire::party::primary_first(
                        self.email.take(),
                        self.emails.take(),
                    ),
                    phones: $crate::wire::party::primary_first(
                        self.phone.take(),
                        self.phones.take(),
                    ),
                    street: self.street.take(),
                    district: self.district.take(),
                    city: self.city.take(),
                    postal_code: self.postal_code.take(),
                    country: self.country.take(),
                    tags: self.tags.take(),
                    lifecycle_stage: self.lifecycle_stage.take(),
                    lead_status: self.lead_status.take(),
                    lead_source: self.lead_source.take(),
                    unqualified_reason: self.unqualified_reason.take(),
                    bant_budget: self.bant_budget,
                    bant_authority: self.bant_authority,
                    bant_need: self.bant_need,
                    bant_timing: self.bant_timing,
                    notes: self.notes.take(),
                };
                $crate::wire::party::PartyParts {
                    party,
                    custom: self.custom.take(),
                    ownership: $crate::wire::OwnershipInput {
                        owner_id: self.owner_id,
                        team_id: self.team_id,
                    },
                    version: self.version,
                }
            }
        }
    };
}
pub(crate) use party_request;

/// What a request holds beside the kind's own fields.
pub struct PartyParts {
    pub party: rehber_domain::party::PartyPatch,
    pub custom: Option<serde_json::Map<String, serde_json::Value>>,
    pub ownership: super::OwnershipInput,
    pub version: Option<i64>,
}

/// Merges a primary value with a list: the primary first, no duplicates.
pub fn primary_first(primary: Option<String>, list: Option<Vec<String>>) -> Option<Vec<String>> {
    match (primary, list) {
        (None, None) => None,
        (Some(p), None) => Some(vec![p]),
        (None, Some(list)) => Some(list),
        (Some(p), Some(list)) => {
            let mut out = vec![p.clone()];
            out.extend(list.into_iter().filter(|x| x.trim() != p.trim()));
            Some(out)
        }
    }
}

/// What one scoring rule gave a record.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ScoreLine {
    pub rule_id: i64,
    /// The rule's name when the score was worked out.
    pub name: String,
    pub points: i64,
}

impl From<&rehber_domain::scoring::ScoreItem> for ScoreLine {
    fn from(item: &rehber_domain::scoring::ScoreItem) -> Self {
        ScoreLine {
            rule_id: item.rule_id,
            name: item.name.clone(),
            points: item.points,
        }
    }
}

/// Declares a party's response: the kind's own fields, each with the expression that reads
/// it from the record `$r` (whose fields are `$f`), then the shared ones, and the
/// `From<record>` conversion.
macro_rules! party_response {
    (
        $(#[$meta:meta])*
        pub struct $name:ident from $record:ident ($r:ident, $f:ident) {
            $($(#[$fmeta:meta])* pub $field:ident: $ty:ty = $value:expr,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: $ty,)*
            pub email: Option<String>,
            pub emails: Vec<String>,
            /// Primary phone in E.164.
            pub phone: Option<String>,
            pub phones: Vec<String>,
            pub street: String,
            pub district: String,
            pub city: String,
            pub postal_code: String,
            pub country: String,
            pub tags: Vec<String>,
            pub lifecycle_stage: String,
            pub lead_status: Option<String>,
            pub lead_source: Option<String>,
            pub unqualified_reason: String,
            pub bant_budget: bool,
            pub bant_authority: bool,
            pub bant_need: bool,
            pub bant_timing: bool,
            pub notes: String,
            /// The lead score (0–100) the scoring rules give, worked out on every save, when
            /// an activity is logged, every night and after a change of the rules.
            pub lead_score: i64,
            /// Which rules gave the score, and how many points each.
            pub lead_score_breakdown: Vec<$crate::wire::party::ScoreLine>,
            /// When the score last changed (absent before it was first worked out).
            #[serde(skip_serializing_if = "Option::is_none")]
            pub lead_scored_at: Option<String>,
            pub owner_id: Option<i64>,
            pub team_id: Option<i64>,
            /// Custom field values by key, only those that have a value (shapes as in requests;
            /// phones in E.164, money with its currency).
            #[schema(value_type = Object)]
            pub custom: rehber_domain::custom::CustomValues,
            pub version: i64,
            pub created_at: String,
            pub updated_at: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            pub deleted_at: Option<String>,
        }

        impl From<$record> for $name {
            fn from($r: $record) -> Self {
                let $f = &$r.fields;
                $name {
                    $($field: $value,)*
                    email: $f.emails.first().map(|e| e.to_string()),
                    emails: $f.emails.iter().map(|e| e.to_string()).collect(),
                    phone: $f.phones.first().map(|e| e.to_string()),
                    phones: $f.phones.iter().map(|e| e.to_string()).collect(),
                    street: $f.address.street.clone(),
                    district: $f.address.district.clone(),
                    city: $f.address.city.clone(),
                    postal_code: $f.address.postal_code.clone(),
                    country: $f.address.country.clone(),
                    tags: $f.tags.clone(),
                    lifecycle_stage: $f.lifecycle_stage.as_str().to_string(),
                    lead_status: $f.lead_status.map(|s| s.as_str().to_string()),
                    lead_source: $f.lead_source.map(|s| s.as_str().to_string()),
                    unqualified_reason: $f.unqualified_reason.clone(),
                    bant_budget: $f.bant.budget,
                    bant_authority: $f.bant.authority,
                    bant_need: $f.bant.need,
                    bant_timing: $f.bant.timing,
                    notes: $f.notes.clone(),
                    lead_score: $r.lead_score.score,
                    lead_score_breakdown: $r
                        .lead_score
                        .breakdown
                        .iter()
                        .map($crate::wire::party::ScoreLine::from)
                        .collect(),
                    lead_scored_at: $r.lead_score.scored_at.map(|t| t.to_string()),
                    custom: $f.custom.clone(),
                    owner_id: $r.ownership.owner_id.map(|u| u.0),
                    team_id: $r.ownership.team_id.map(|t| t.0),
                    version: $r.meta.version,
                    created_at: $r.meta.created_at.to_string(),
                    updated_at: $r.meta.updated_at.to_string(),
                    deleted_at: $r.meta.deleted_at.map(|t| t.to_string()),
                }
            }
        }
    };
}
pub(crate) use party_response;
