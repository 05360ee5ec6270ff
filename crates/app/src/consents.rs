//! A person's consents (KVKK and İYS) as use cases: whoever may see the person reads the
//! history and the current answers; whoever may also write records adds an answer. The
//! answer's address must be the person's own, its evidence one of the person's attachments,
//! and its date neither in the future nor before the latest answer of its purpose and
//! channel. Each answer is written to the person's audit log.

use crate::App;
use crate::error::AppResult;
use rehber_domain::access::RecordKind;
use rehber_domain::activity::{Link, LinkType};
use rehber_domain::consent::{Consent, ConsentForm, address_of};
use rehber_domain::party::People;
use rehber_domain::{Actor, Error, PersonId};
use rehber_store::{AuditChange, AuditEntry, NewConsent, StoreError};

impl App {
    /// The consent history of a person the actor may see, newest answer first.
    pub async fn consents(&self, actor: &Actor, person: PersonId) -> AppResult<Vec<Consent>> {
        let scoped = self.store.scoped(actor);
        scoped.get::<People>(person).await?;
        Ok(scoped.consents(person).await?)
    }

    /// Records a person's answer; `evidence`, when given, is one of their attachments.
    pub async fn record_consent(
        &self,
        actor: &Actor,
        person: PersonId,
        form: &ConsentForm,
        evidence: Option<i64>,
    ) -> AppResult<Consent> {
        let scoped = self.store.scoped(actor);
        let record = scoped.get::<People>(person).await?;
        if !actor.role.can_write(RecordKind::Person) {
            return Err(Error::Forbidden.into());
        }
        let fields = form.parse(crate::now())?;
        let address = address_of(&fields, &record.fields.emails, &record.fields.phones)?;
        if let Some(id) = evidence {
            let theirs = Link {
                record_type: LinkType::Person,
                record_id: person.0,
            };
            match scoped.attachment(id).await {
                Ok(file) if file.record == theirs => {}
                Ok(_) | Err(StoreError::NotFound) => {
                    return Err(
                        Error::field("evidence_attachment_id", "invalid-consent-evidence").into(),
                    );
                }
                Err(other) => return Err(other.into()),
            }
        }
        let channel = fields.channel.map(|c| c.as_str()).unwrap_or("all");
        let entry = AuditEntry {
            actor: Some(actor.user_id),
            record_type: "person",
            record_id: person.0,
            action: "consent",
            changes: vec![AuditChange {
                field: "consent".into(),
                from: String::new(),
                to: format!(
                    "{} {channel}: {} ({}, {})",
                    fields.purpose, fields.status, fields.source, fields.given_at
                ),
            }],
        };
        let id = self
            .store
            .insert_consent(
                NewConsent {
                    person,
                    fields: &fields,
                    address: address.as_deref(),
                    evidence_attachment_id: evidence,
                    recorded_by: actor.user_id,
                },
                entry,
            )
            .await?;
        scoped
            .consents(person)
            .await?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| Error::NotFound.into())
    }
}
