//! A record as every kind's page shows it: the header, the owner, the history and what the
//! viewer may do ([`RecordHead`]), and a form's state ([`RecordEdit`]): the kind's raw form
//! and inputs with the shared owner pickers, messages and version.

use super::form::Editor;
use super::history::HistoryRow;
use super::table::Cell;
use super::{Choice, Directory};
use rehber_domain::party::Ownership;
use rehber_domain::{Actor, Kind};
use rehber_web_core::auth::percent_encode;
use rehber_web_core::i18n::Lang;

/// What the header, the ownership card and the history of any record page read.
pub struct RecordHead {
    /// Where the kind's pages live (`/people`).
    pub base: &'static str,
    /// The kind's list title key, for the breadcrumbs.
    pub list_key: &'static str,
    pub id: i64,
    pub version: i64,
    pub name: String,
    /// Parts of the line under the name (a job title, the company).
    pub subtitle: Vec<Cell>,
    /// Key facts under the subtitle (stage, owner, e-mail, phone, city).
    pub facts: Vec<Cell>,
    /// Extra header buttons (href, label), before "edit all".
    pub actions: Vec<(String, String)>,
    /// The question before deleting, with the record's name.
    pub delete_confirm: String,
    pub owner_name: String,
    pub team_name: String,
    pub created: String,
    pub updated: String,
    pub history: Vec<HistoryRow>,
    pub can_write: bool,
    pub can_delete: bool,
    pub can_reassign: bool,
}

impl RecordHead {
    pub fn new<K: Kind>(
        lang: Lang,
        actor: &Actor,
        texts: (&'static str, &'static str, &'static str),
        record: &K::Record,
        name: String,
        directory: &Directory,
    ) -> RecordHead {
        let (base, list_key, confirm_key) = texts;
        let meta = K::meta(record);
        let ownership = K::ownership(record);
        RecordHead {
            base,
            list_key,
            id: K::raw(K::record_id(record)),
            version: meta.version,
            delete_confirm: lang.t_args(confirm_key, &[("name", name.clone())]),
            name,
            subtitle: Vec::new(),
            facts: Vec::new(),
            actions: Vec::new(),
            owner_name: directory.user_name(ownership.owner_id),
            team_name: directory.team_name(ownership.team_id),
            created: lang.datetime(meta.created_at),
            updated: lang.datetime(meta.updated_at),
            history: Vec::new(),
            can_write: actor.role.can_write(K::ACCESS),
            can_delete: actor.role.can_delete(K::ACCESS),
            can_reassign: actor.role.can_reassign(),
        }
    }

    /// The owner as a header fact ("Sorumlu: Ayşe Yılmaz · Satış").
    pub fn owner_fact(&self, lang: Lang) -> Cell {
        let owner = if self.team_name.is_empty() || self.owner_name.is_empty() {
            self.owner_name.clone()
        } else {
            format!("{} · {}", self.owner_name, self.team_name)
        };
        Cell::Labelled(lang.t("field-owner"), owner)
    }

    pub fn href(&self) -> String {
        format!("{}/{}", self.base, self.id)
    }

    /// The list of the kind's records with this tag.
    pub fn tag_href(&self, tag: &str) -> String {
        format!("{}?tag={}", self.base, percent_encode(tag))
    }

    /// Whether the viewer may open this card's edit form.
    pub fn may_edit(&self, section: &str) -> bool {
        if section == "ownership" {
            self.can_reassign
        } else {
            self.can_write
        }
    }
}

/// A form's state: the kind's raw form and inputs (`form`, `inputs`), the messages, the
/// version it was loaded with and the owner pickers.
pub struct RecordEdit<F, I> {
    pub form: F,
    pub inputs: I,
    pub editor: Editor,
    pub version: i64,
    pub owners: Vec<Choice>,
    pub teams: Vec<Choice>,
    pub owner_id: String,
    pub team_id: String,
    pub can_reassign: bool,
}

/// What a form starts from: the owner and team as typed (or stored), and the version of
/// the record it was loaded with (0 for a new record).
#[derive(Debug, Clone, Default)]
pub struct Basis {
    pub owner_id: String,
    pub team_id: String,
    pub version: i64,
}

impl Basis {
    pub fn stored(ownership: Ownership, version: i64) -> Basis {
        Basis {
            owner_id: ownership
                .owner_id
                .map(|u| u.to_string())
                .unwrap_or_default(),
            team_id: ownership.team_id.map(|t| t.to_string()).unwrap_or_default(),
            version,
        }
    }

    /// The owner and team a posted form asked for, at `version`.
    pub fn typed(owner_id: &str, team_id: &str, version: i64) -> Basis {
        Basis {
            owner_id: owner_id.to_string(),
            team_id: team_id.to_string(),
            version,
        }
    }
}

impl<F, I> RecordEdit<F, I> {
    pub fn new(
        (actor, kind): (&Actor, rehber_domain::access::RecordKind),
        (form, inputs): (F, I),
        editor: Editor,
        directory: &Directory,
        basis: Basis,
    ) -> RecordEdit<F, I> {
        let keep_owner = basis.owner_id.parse().ok().map(rehber_domain::UserId);
        RecordEdit {
            form,
            inputs,
            editor,
            version: basis.version,
            owners: directory.owner_choices(actor, kind, keep_owner),
            teams: directory.team_choices(actor, kind),
            owner_id: basis.owner_id,
            team_id: basis.team_id,
            can_reassign: actor.role.can_reassign(),
        }
    }
}
