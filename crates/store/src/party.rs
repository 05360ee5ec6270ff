//! The stored form of what people and companies have in common — e-mails and phones,
//! address, lead data, BANT, tags, ownership, bookkeeping — read from a row and written as
//! column values in one place, so both kinds (and later ones with the same parts) store them
//! alike.

use crate::StoreError;
use crate::codec::{from_json, parse_stored, timestamp, to_json};
use crate::sql::Row;
use rehber_domain::party::{
    Address, Bant, LeadSource, LeadStatus, LifecycleStage, Ownership, RecordMeta,
};
use rehber_domain::scoring::LeadScore;
use rehber_domain::validate::text::search_key;
use rehber_domain::validate::{Email, Phone};
use rehber_domain::{TeamId, UserId};
use sea_query::Value;

/// Column/value pairs as the store's kinds return them.
pub(crate) type Values = Vec<(&'static str, Value)>;

/// The lead data of a party, read and written together.
pub(crate) struct Lead {
    pub lifecycle_stage: LifecycleStage,
    pub lead_status: Option<LeadStatus>,
    pub lead_source: Option<LeadSource>,
    pub unqualified_reason: String,
    pub bant: Bant,
}

pub(crate) fn read_lead(row: &Row) -> Result<Lead, StoreError> {
    Ok(Lead {
        lifecycle_stage: parse_stored(
            Some(&row.get::<String>("lifecycle_stage")?),
            LifecycleStage::parse,
        )?
        .unwrap_or_default(),
        lead_status: parse_stored(
            row.get::<Option<String>>("lead_status")?.as_deref(),
            LeadStatus::parse,
        )?,
        lead_source: parse_stored(
            row.get::<Option<String>>("lead_source")?.as_deref(),
            LeadSource::parse,
        )?,
        unqualified_reason: row.get("unqualified_reason")?,
        bant: Bant {
            budget: row.get("bant_budget")?,
            authority: row.get("bant_authority")?,
            need: row.get("bant_need")?,
            timing: row.get("bant_timing")?,
        },
    })
}

pub(crate) fn lead_values(lead: Lead) -> Values {
    vec![
        ("lifecycle_stage", lead.lifecycle_stage.as_str().into()),
        ("lead_status", lead.lead_status.map(|s| s.as_str()).into()),
        ("lead_source", lead.lead_source.map(|s| s.as_str()).into()),
        ("unqualified_reason", lead.unqualified_reason.into()),
        ("bant_budget", lead.bant.budget.into()),
        ("bant_authority", lead.bant.authority.into()),
        ("bant_need", lead.bant.need.into()),
        ("bant_timing", lead.bant.timing.into()),
    ]
}

/// A record's lead score, as the scoring last wrote it.
pub(crate) fn read_score(row: &Row) -> Result<LeadScore, StoreError> {
    Ok(LeadScore {
        score: row.get("lead_score")?,
        breakdown: from_json(&row.get::<String>("lead_score_breakdown")?)?,
        scored_at: row
            .get::<Option<i64>>("lead_scored_at")?
            .map(timestamp)
            .transpose()?,
    })
}

pub(crate) fn read_address(row: &Row) -> Result<Address, StoreError> {
    Ok(Address {
        street: row.get("street")?,
        district: row.get("district")?,
        city: row.get("city")?,
        postal_code: row.get("postal_code")?,
        country: row.get("country")?,
    })
}

/// The address, with the folded city lists filter by.
pub(crate) fn address_values(address: &Address) -> Values {
    vec![
        ("street", address.street.clone().into()),
        ("district", address.district.clone().into()),
        ("city", address.city.clone().into()),
        ("city_key", search_key(&address.city).into()),
        ("postal_code", address.postal_code.clone().into()),
        ("country", address.country.clone().into()),
    ]
}

pub(crate) fn read_contacts(row: &Row) -> Result<(Vec<Email>, Vec<Phone>), StoreError> {
    Ok((
        from_json(&row.get::<String>("emails")?)?,
        from_json(&row.get::<String>("phones")?)?,
    ))
}

/// E-mails and phones as JSON lists, with the primary ones in their own columns.
pub(crate) fn contact_values(emails: &[Email], phones: &[Phone]) -> Values {
    vec![
        ("emails", to_json(&emails).into()),
        (
            "primary_email",
            emails.first().map(|e| e.to_string()).into(),
        ),
        ("phones", to_json(&phones).into()),
        (
            "primary_phone",
            phones.first().map(|p| p.to_string()).into(),
        ),
    ]
}

pub(crate) fn read_tags(row: &Row) -> Result<Vec<String>, StoreError> {
    from_json(&row.get::<String>("tags")?)
}

pub(crate) fn tag_values(tags: &[String]) -> Values {
    vec![("tags", to_json(&tags).into())]
}

pub(crate) fn read_ownership(row: &Row) -> Result<Ownership, StoreError> {
    Ok(Ownership {
        owner_id: row.get::<Option<i64>>("owner_id")?.map(UserId),
        team_id: row.get::<Option<i64>>("team_id")?.map(TeamId),
    })
}

pub(crate) fn ownership_values(ownership: Ownership) -> Values {
    vec![
        ("owner_id", ownership.owner_id.map(|u| u.0).into()),
        ("team_id", ownership.team_id.map(|t| t.0).into()),
    ]
}

pub(crate) fn read_meta(row: &Row) -> Result<RecordMeta, StoreError> {
    Ok(RecordMeta {
        version: row.get("version")?,
        created_at: timestamp(row.get("created_at")?)?,
        updated_at: timestamp(row.get("updated_at")?)?,
        deleted_at: row
            .get::<Option<i64>>("deleted_at")?
            .map(timestamp)
            .transpose()?,
    })
}

/// A stored value parsed with a domain parser; a value that no longer parses is corrupt.
pub(crate) fn parsed<T, E: ToString>(
    value: Option<String>,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<Option<T>, StoreError> {
    value
        .map(|text| parse(&text).map_err(|e| StoreError::Corrupt(e.to_string())))
        .transpose()
}

/// A record's custom values, as the JSON object the API shows.
pub(crate) fn read_custom(row: &Row) -> Result<rehber_domain::custom::CustomValues, StoreError> {
    from_json(&row.get::<String>("custom")?)
}

pub(crate) fn custom_values(values: &rehber_domain::custom::CustomValues) -> Values {
    vec![("custom", to_json(values).into())]
}

/// The custom text values a record search finds it by (after its own fields, so a long note
/// is what the search key budget cuts).
pub(crate) fn custom_words(values: &rehber_domain::custom::CustomValues) -> Vec<String> {
    values
        .values()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// The columns every party writes the same way: contacts, address, tags, lead data, notes,
/// ownership and custom values (`$f` is a party's fields).
macro_rules! party_values {
    ($f:expr, $ownership:expr) => {{
        use $crate::party::*;
        let f = $f;
        let mut values = contact_values(&f.emails, &f.phones);
        values.extend(address_values(&f.address));
        values.extend(tag_values(&f.tags));
        values.extend(lead_values(Lead {
            lifecycle_stage: f.lifecycle_stage,
            lead_status: f.lead_status,
            lead_source: f.lead_source,
            unqualified_reason: f.unqualified_reason.clone(),
            bant: f.bant,
        }));
        values.push(("notes", f.notes.clone().into()));
        values.extend(ownership_values($ownership));
        values.extend(custom_values(&f.custom));
        values
    }};
}
pub(crate) use party_values;
