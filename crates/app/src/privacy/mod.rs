//! Data-subject requests (KVKK article 11), for administrators only: the export of
//! everything Rehber holds about a person (`export`), and their erasure.
//!
//! An erasure is previewed first: what is anonymised, deleted, redacted in texts shared
//! with others, and retained with its legal basis. A person with an open account (an unpaid
//! invoice, a draft, an order not yet delivered) is not erased until it is closed: the
//! ledger must be able to name whom it is owed by. The erasure covers the records merged
//! into the person, since each holds what the person's record held before.

mod export;

pub use export::{DATA_EXPORT, DataExportFile};
pub use rehber_store::{DataRequest, ErasureFindings};

use crate::error::AppResult;
use crate::{App, secrets};
use rehber_domain::custom::CustomValues;
use rehber_domain::erasure::Terms;
use rehber_domain::party::People;
use rehber_domain::party::{Address, Ownership, PersonFields};
use rehber_domain::{Actor, Error, PersonId};
use rehber_store::{Erasure, ErasureLogEntry, person_contact_keys};
use serde::Serialize;

/// The name an erased person's record keeps.
pub const ERASED_NAME: &str = "Silinmiş kişi";

/// The setting that keeps the secret mixed into hashed consent addresses.
const PEPPER_SETTING: &str = "privacy.consent_pepper";

/// Why a retained document stays, as a message key of the pages (and a text of the API).
pub fn retention_basis(kind: &str) -> &'static str {
    match kind {
        "invoice" | "credit_note" | "payment" => "retained-ledger",
        _ => "retained-commercial",
    }
}

/// What an erasure does (or did) for one person.
#[derive(Debug, Clone, Serialize)]
pub struct ErasurePlan {
    pub person_id: i64,
    /// The person's name before the erasure (what the administrator types to confirm).
    pub name: String,
    /// Whether this person was erased already (the erasure log names them).
    pub erased: bool,
    #[serde(flatten)]
    pub findings: ErasureFindings,
}

pub(crate) fn admins_only(actor: &Actor) -> AppResult<()> {
    if actor.role.is_admin() {
        Ok(())
    } else {
        Err(Error::Forbidden.into())
    }
}

/// The content an erased record keeps: its number and what says nothing about the person
/// (its company, stage, owner).
fn anonymised(id: i64, fields: &PersonFields) -> PersonFields {
    PersonFields {
        first_name: ERASED_NAME.into(),
        last_name: format!("#{id}"),
        emails: Vec::new(),
        phones: Vec::new(),
        company_id: fields.company_id,
        job_title: String::new(),
        address: Address::default(),
        tags: Vec::new(),
        lifecycle_stage: fields.lifecycle_stage,
        lead_status: fields.lead_status,
        lead_source: fields.lead_source,
        unqualified_reason: String::new(),
        bant: fields.bant,
        birthday: None,
        national_id: None,
        notes: String::new(),
        custom: CustomValues::default(),
    }
}

/// What the erasure looks for: full names, addresses, numbers and, in the person's own
/// texts, first and last names alone.
fn terms_of(records: &[PersonFields]) -> Terms {
    let mut names = Vec::new();
    let mut words = Vec::new();
    let mut phones = Vec::new();
    for f in records {
        names.push(f.full_name());
        names.push(format!("{} {}", f.last_name, f.first_name));
        names.extend(f.emails.iter().map(|e| e.to_string()));
        names.extend(f.national_id.as_ref().map(|t| t.to_string()));
        words.push(f.first_name.clone());
        words.push(f.last_name.clone());
        phones.extend(f.phones.iter().map(|p| p.to_string()));
    }
    Terms::new(
        names.iter().map(String::as_str),
        words.iter().map(String::as_str),
        phones.iter().map(String::as_str),
    )
}

impl App {
    /// What erasing `person` would do (administrators).
    pub async fn erasure_preview(&self, actor: &Actor, person: PersonId) -> AppResult<ErasurePlan> {
        admins_only(actor)?;
        self.run_erasure(Some(actor), person, false, false).await
    }

    /// Erases `person` (administrators): refused while their account is open.
    pub async fn erase_person(&self, actor: &Actor, person: PersonId) -> AppResult<ErasurePlan> {
        admins_only(actor)?;
        self.run_erasure(Some(actor), person, true, false).await
    }

    /// Erases again a person an erasure log names (a restore of a backup taken before the
    /// erasure): no one asks, and an account open then is no reason to keep them now.
    pub async fn repeat_erasure(&self, person: i64) -> AppResult<ErasurePlan> {
        self.run_erasure(None, PersonId(person), true, true).await
    }

    async fn run_erasure(
        &self,
        actor: Option<&Actor>,
        person: PersonId,
        apply: bool,
        despite_blockers: bool,
    ) -> AppResult<ErasurePlan> {
        let unscoped = self.store.unscoped();
        let found = unscoped.get_including_deleted::<People>(person).await?;
        let name = found.fields.full_name();
        let ids = self.store.merged_into(person.0).await?;
        let mut records = Vec::new();
        let mut fields = Vec::new();
        for id in ids {
            let record = unscoped
                .get_including_deleted::<People>(PersonId(id))
                .await?;
            let ownership: Ownership = record.ownership;
            records.push((
                id,
                record.meta.version,
                anonymised(id, &record.fields),
                ownership,
            ));
            fields.push(record.fields);
        }
        let terms = terms_of(&fields);
        let contact_keys = fields.iter().flat_map(person_contact_keys).collect();
        let pepper = if apply {
            self.consent_pepper().await?
        } else {
            String::new()
        };
        let erasure = Erasure {
            person: person.0,
            records,
            terms: &terms,
            pepper: &pepper,
            actor: actor.map(|a| a.user_id.0),
            contact_keys,
        };
        let erased_before = self
            .store
            .erasures()
            .await?
            .iter()
            .any(|e| e.record_id == person.0);
        let findings = self
            .store
            .erase_person(&erasure, apply, despite_blockers)
            .await?;
        if apply {
            for key in &findings.orphaned_files {
                if !self.store.file_in_use(key).await?
                    && let Err(error) = self.files.delete(key).await
                {
                    tracing::warn!(%error, key, "an erased person's file stays in the file store");
                }
            }
            if let Err(error) = self
                .remove_list_exports_before(rehber_store::now_micros() + 1)
                .await
            {
                tracing::warn!(%error, "exported lists that may name an erased person stay");
            }
            for (id, _, _, ownership) in &erasure.records {
                self.announce::<People>("record.deleted", PersonId(*id), *ownership)
                    .await;
            }
        }
        Ok(ErasurePlan {
            person_id: person.0,
            name,
            erased: erased_before || apply,
            findings,
        })
    }

    /// The secret consent address hashes are made with, made on first use.
    async fn consent_pepper(&self) -> AppResult<String> {
        if let Some(pepper) = self
            .store
            .setting(PEPPER_SETTING)
            .await?
            .and_then(|v| v.as_str().map(str::to_string))
        {
            return Ok(pepper);
        }
        let pepper = secrets::random_token()?;
        self.store
            .put_setting(
                PEPPER_SETTING,
                &serde_json::Value::String(pepper.clone()),
                rehber_store::AuditEntry {
                    actor: None,
                    record_type: "setting",
                    record_id: 0,
                    action: "created",
                    changes: Vec::new(),
                },
            )
            .await?;
        Ok(pepper)
    }

    /// Erases again, after a restore, everyone `erased` names whom the restored database
    /// holds and does not know as erased (their erasure came after the backup). Someone
    /// missing from it was added after the backup, and is gone already.
    pub async fn repeat_erasures(&self, erased: &[ErasureLogEntry]) -> AppResult<Vec<i64>> {
        let mut repeated = Vec::new();
        for entry in erased {
            if repeated.contains(&entry.record_id) || !self.store.erased_elsewhere(entry).await? {
                continue;
            }
            self.repeat_erasure(entry.record_id).await?;
            repeated.push(entry.record_id);
        }
        Ok(repeated)
    }
}
