//! People (contacts) as stored: the `people` table, read with their company's name for
//! display and written with their derived keys (sort, search, city, company name). Get, list,
//! create, update, delete and the rest are the generic operations of [`crate::kind`]; every read
//! goes through a caller's [`crate::Scoped`] handle.

use crate::StoreError;
use crate::kind::{FoldedName, StoredKind};
use crate::listing::ListTable;
use crate::party::{
    Values, parsed, party_values, read_address, read_contacts, read_custom, read_lead, read_meta,
    read_ownership, read_score, read_tags,
};
use crate::sql::Row;
use rehber_domain::party::{Ownership, People, Person, PersonFields, person_name_key};
use rehber_domain::validate::Tckn;
use rehber_domain::validate::text::{search_key, sort_key, truncate_key};
use rehber_domain::{CompanyId, PersonId};

/// The people table as the generic store operations see it.
impl StoredKind for People {
    const TABLE: ListTable = ListTable {
        table: "people",
        fts_table: "people_fts",
        tag_table: "person_tags",
        tag_key: "person_id",
    };

    const COLUMNS: &'static str = "people.id, people.first_name, people.last_name, people.emails, \
        people.phones, people.company_id, \
        (SELECT c.name FROM companies c WHERE c.id = people.company_id) AS company_name, \
        people.job_title, people.street, people.district, people.city, people.postal_code, \
        people.country, people.tags, people.lifecycle_stage, people.lead_status, people.lead_source, people.unqualified_reason, people.lead_score, people.lead_score_breakdown, people.balance_minor, people.overdue_minor, people.lead_scored_at, \
        people.bant_budget, people.bant_authority, people.bant_need, people.bant_timing, \
        people.birthday, people.national_id, people.notes, people.owner_id, people.team_id, \
        people.custom, people.version, people.created_at, people.updated_at, people.deleted_at, people.sort_key, \
        people.city_key, people.company_key";

    fn read(row: &Row) -> Result<Person, StoreError> {
        let (emails, phones) = read_contacts(row)?;
        let lead = read_lead(row)?;
        Ok(Person {
            id: PersonId(row.get("id")?),
            fields: PersonFields {
                first_name: row.get("first_name")?,
                last_name: row.get("last_name")?,
                emails,
                phones,
                company_id: row.get::<Option<i64>>("company_id")?.map(CompanyId),
                job_title: row.get("job_title")?,
                address: read_address(row)?,
                tags: read_tags(row)?,
                lifecycle_stage: lead.lifecycle_stage,
                lead_status: lead.lead_status,
                lead_source: lead.lead_source,
                unqualified_reason: lead.unqualified_reason,
                bant: lead.bant,
                birthday: parsed(row.get("birthday")?, |d| d.parse::<jiff::civil::Date>())?,
                national_id: parsed(row.get("national_id")?, Tckn::parse)?,
                notes: row.get("notes")?,
                custom: read_custom(row)?,
            },
            company_name: row.get("company_name")?,
            lead_score: read_score(row)?,
            ownership: read_ownership(row)?,
            meta: read_meta(row)?,
        })
    }

    fn values(f: &PersonFields, ownership: Ownership) -> Values {
        let mut values: Values = vec![
            ("first_name", f.first_name.clone().into()),
            ("last_name", f.last_name.clone().into()),
            (
                "sort_key",
                sort_key(&format!("{} {}", f.first_name, f.last_name)).into(),
            ),
            ("search_key", person_search_key(f).into()),
            ("name_key", person_name_key(f).into()),
            ("company_id", f.company_id.map(|c| c.0).into()),
            ("job_title", f.job_title.clone().into()),
            ("birthday", f.birthday.map(|d| d.to_string()).into()),
            (
                "national_id",
                f.national_id.as_ref().map(|v| v.to_string()).into(),
            ),
        ];
        values.extend(party_values!(f, ownership));
        values
    }

    /// A person is found by their company's name: `company_key` keeps it folded (and the
    /// company keeps it current, see `Companies::copies`).
    fn folded_names(fields: &PersonFields) -> Vec<FoldedName> {
        vec![FoldedName {
            column: "company_key",
            table: "companies",
            id: fields.company_id.map(|c| c.0),
        }]
    }
}

/// The forms a phone is typed in: E.164 digits and, for Turkish numbers, the national forms
/// with and without the trunk 0, so any of them finds it.
pub(crate) fn phone_forms(e164: &str) -> Vec<String> {
    let digits: String = e164.chars().filter(char::is_ascii_digit).collect();
    let mut forms = vec![digits.clone()];
    if let Some(national) = digits.strip_prefix("90") {
        forms.push(national.to_string());
        forms.push(format!("0{national}"));
    }
    forms
}

/// The folded text a person is found by (without the company name, kept in `company_key`),
/// within the search key budget.
pub(crate) fn person_search_key(f: &PersonFields) -> String {
    let mut parts = vec![f.first_name.clone(), f.last_name.clone()];
    parts.extend(f.emails.iter().map(|e| e.to_string()));
    parts.extend(f.phones.iter().flat_map(|p| phone_forms(p.as_str())));
    parts.push(f.address.city.clone());
    parts.extend(crate::party::custom_words(&f.custom));
    truncate_key(search_key(&parts.join(" ")), crate::SEARCH_KEY_BYTES)
}
