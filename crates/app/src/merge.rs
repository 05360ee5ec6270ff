//! Merging a duplicate into the record that stays, as a use case. Both records must be in
//! the actor's view and the actor must be allowed to edit and delete records of the kind.
//! The survivor keeps its values and takes from the other what it lacks (lists joined), but
//! for the fields the actor chose to take from the other (`take`, see
//! `rehber_domain::party::merge_forms_taking`).
//! Every linked row moves to the survivor and the other record goes to the trash, pointing
//! at the survivor. The merge is written to both records' audit logs. Two companies with
//! different tax numbers, or two people with different national IDs, are different legal
//! persons and are never merged.

use crate::App;
use crate::changes::diff;
use crate::error::{AppError, AppResult};
use crate::records::ServiceKind;
use rehber_domain::party::{TakeError, merge_forms_taking};
use rehber_domain::{Actor, Error};
use rehber_store::{AuditChange, AuditEntry, StoreError, Survivor};
use serde::de::DeserializeOwned;

fn named(title: &str, id: i64) -> String {
    format!("{title} (#{id})")
}

impl App {
    /// Merges `other` into `survivor`, with the values named in `take` from `other`; the
    /// survivor as it is afterwards.
    pub async fn merge<K: ServiceKind>(
        &self,
        actor: &Actor,
        survivor: K::Id,
        other: K::Id,
        take: &[String],
    ) -> AppResult<K::Record>
    where
        K::Form: DeserializeOwned,
    {
        let scoped = self.store.scoped(actor);
        let kept = scoped.get::<K>(survivor).await?;
        if !actor.role.can_write(K::ACCESS) || !actor.role.can_delete(K::ACCESS) {
            return Err(Error::Forbidden.into());
        }
        if survivor == other {
            return Err(Error::field("duplicate_id", "invalid-merge-self").into());
        }
        let gone = match scoped.get::<K>(other).await {
            Ok(record) => record,
            Err(StoreError::NotFound) => {
                return Err(Error::field("duplicate_id", "invalid-merge-unknown").into());
            }
            Err(e) => return Err(e.into()),
        };
        if let Some(code) = K::merge_refusal(K::fields(&kept), K::fields(&gone)) {
            return Err(Error::field("duplicate_id", code).into());
        }
        let before = K::Form::from(K::fields(&kept));
        let form = match merge_forms_taking(&before, &K::Form::from(K::fields(&gone)), take) {
            Ok(form) => form,
            Err(TakeError::UnknownField(_)) => {
                return Err(Error::field("take", "invalid-merge-field").into());
            }
            Err(TakeError::Unreadable) => {
                return Err(AppError::Internal("a form could not be merged".into()));
            }
        };
        let fields = K::validate(&form, self.today()).map_err(Error::Validation)?;
        let (kept_id, gone_id) = (K::raw(survivor), K::raw(other));
        let mut changes = vec![AuditChange {
            field: "merged_from".into(),
            from: String::new(),
            to: named(&K::title(&gone), gone_id),
        }];
        changes.extend(diff(&before, &K::Form::from(&fields)));
        let entry = |record_id, action, changes| AuditEntry {
            actor: Some(actor.user_id),
            record_type: K::TYPE,
            record_id,
            action,
            changes,
        };
        let into = vec![AuditChange {
            field: "merged_into".into(),
            from: String::new(),
            to: named(&K::title(&kept), kept_id),
        }];
        self.store
            .merge::<K>(
                Survivor {
                    id: kept_id,
                    version: K::meta(&kept).version,
                    fields: &fields,
                    ownership: K::ownership(&kept),
                },
                (gone_id, K::meta(&gone).version),
                [
                    entry(kept_id, "merged", changes),
                    entry(gone_id, "merged_into", into),
                ],
            )
            .await?;
        K::after_save(self, survivor).await;
        let record = self.written::<K>(survivor).await?;
        self.announce::<K>("record.updated", survivor, K::ownership(&record))
            .await;
        self.announce::<K>("record.deleted", other, K::ownership(&gone))
            .await;
        Ok(record)
    }
}
