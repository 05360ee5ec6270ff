//! The frames every kind's pages share (`templates/records/{list,results,show,card,form}.html`):
//! the list with its table, the record page, one card, and the full form. A kind renders
//! only its cards' facts and inputs and its side cards ([`RecordPages::facts`],
//! [`RecordPages::form_fields`], [`RecordPages::side`]).

use super::{PageTexts, RecordPages};
use crate::custom::CustomCard;
use crate::error::render;
use crate::page::Page;
use crate::records::form::{Section, section_key};
use crate::records::list::ListView;
use crate::records::table::{Cell, Table};
use crate::records::view::{RecordEdit, RecordHead};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// The ownership card, which every kind's record page has (in the side column).
pub const OWNERSHIP: Section = Section::Ownership;

/// What a kind's card reads to show its facts.
pub(crate) struct FactParts<'a, K: RecordPages> {
    pub page: &'a Page,
    pub head: &'a RecordHead,
    pub detail: &'a K::Detail,
    pub section: &'static str,
}

/// What a kind's form section reads to show its inputs.
pub(crate) struct FieldParts<'a, K: RecordPages> {
    pub page: &'a Page,
    pub fe: &'a RecordEdit<K::Form, K::Inputs>,
    pub section: &'static str,
}

#[derive(Template)]
#[template(path = "records/list.html")]
struct ListPage {
    page: Page,
    list: ListView,
    table: Table,
    texts: PageTexts,
}

#[derive(Template)]
#[template(path = "records/results.html")]
struct Results {
    page: Page,
    list: ListView,
    table: Table,
    texts: PageTexts,
}

/// The list page, or only its results for an htmx search.
pub(super) fn list_page<K: RecordPages>(page: Page, list: ListView, table: Table) -> Response {
    let texts = K::TEXTS;
    if list.partial {
        render(&Results {
            page,
            list,
            table,
            texts,
        })
    } else {
        render(&ListPage {
            page,
            list,
            table,
            texts,
        })
    }
}

/// The owner pickers and messages of a form, which the frames read as `fe`.
struct Shared<'a> {
    editor: &'a crate::records::form::Editor,
    version: i64,
    owners: &'a [crate::records::Choice],
    teams: &'a [crate::records::Choice],
    owner_id: &'a str,
    team_id: &'a str,
}

fn shared<F, I>(fe: &RecordEdit<F, I>) -> Shared<'_> {
    Shared {
        editor: &fe.editor,
        version: fe.version,
        owners: &fe.owners,
        teams: &fe.teams,
        owner_id: &fe.owner_id,
        team_id: &fe.team_id,
    }
}

/// One card of a record page, shown or in edit mode; after an inline save (`oob`) the
/// header and history come along out of band.
#[derive(Template)]
#[template(path = "records/card.html")]
struct Card<'a> {
    page: &'a Page,
    v: &'a RecordHead,
    fe: Shared<'a>,
    section: &'static str,
    title_key: &'static str,
    editing: bool,
    oob: bool,
    reload: String,
    body: String,
}

/// Which card, and whether the header and history come along out of band.
#[derive(Debug, Clone, Copy)]
pub(super) struct CardState {
    pub section: Section,
    pub oob: bool,
}

/// One card: in edit mode when it has a form's state (`edit`), else its facts.
fn card_html<K: RecordPages>(
    page: &Page,
    state: CardState,
    head: &RecordHead,
    detail: &K::Detail,
    edit: Option<&RecordEdit<K::Form, K::Inputs>>,
) -> String {
    let section = state.section.as_str();
    let body = match edit {
        _ if state.section == OWNERSHIP => String::new(),
        Some(fe) => K::form_fields(FieldParts { page, fe, section }),
        None => K::facts(FactParts {
            page,
            head,
            detail,
            section,
        }),
    };
    // A shown card reads nothing of a form: no messages, no pickers.
    let no_messages = crate::records::form::Editor::default();
    let fe = edit.map(shared).unwrap_or(Shared {
        editor: &no_messages,
        version: head.version,
        owners: &[],
        teams: &[],
        owner_id: "",
        team_id: "",
    });
    let card = Card {
        page,
        v: head,
        fe,
        section,
        title_key: section_key(section, K::TEXTS.business),
        editing: edit.is_some(),
        oob: state.oob,
        reload: head.href(),
        body,
    };
    super::html(&card)
}

/// One card as a response (htmx swaps it in place), in edit mode with `edit`.
pub(super) fn card<K: RecordPages>(
    page: Page,
    state: CardState,
    head: RecordHead,
    detail: K::Detail,
    edit: Option<RecordEdit<K::Form, K::Inputs>>,
) -> Response {
    Html(card_html::<K>(&page, state, &head, &detail, edit.as_ref())).into_response()
}

#[derive(Template)]
#[template(path = "records/show.html")]
struct Show {
    page: Page,
    card: CustomCard,
    v: RecordHead,
    cards: Vec<String>,
    /// The activities card (empty for a kind without one).
    activities: String,
    side: String,
    ownership: String,
    oob: bool,
    /// The event name of the record (`person-12`): a colleague's change refreshes the page.
    live: String,
}

/// A record's page: its cards, the custom-field card, the side cards, ownership and history.
pub(super) fn show_page<K: RecordPages>(
    page: Page,
    card: CustomCard,
    head: RecordHead,
    detail: K::Detail,
    activities: String,
) -> Response {
    let shown = |section| CardState {
        section,
        oob: false,
    };
    let cards = K::CARDS
        .iter()
        .map(|s| card_html::<K>(&page, shown(*s), &head, &detail, None))
        .collect();
    let ownership = card_html::<K>(&page, shown(OWNERSHIP), &head, &detail, None);
    let side = K::side(&page, &head, &detail);
    let live = format!("{}-{}", <K as rehber_domain::Kind>::TYPE, head.id);
    render(&Show {
        live,
        page,
        card,
        v: head,
        cards,
        activities,
        side,
        ownership,
        oob: false,
    })
}

/// A section of the full form: its anchor, title key and inputs.
struct FormSection {
    id: &'static str,
    title_key: &'static str,
    body: String,
}

#[derive(Template)]
#[template(path = "records/form.html")]
struct Form<'a> {
    page: Page,
    v: Option<RecordHead>,
    fe: Shared<'a>,
    can_reassign: bool,
    texts: PageTexts,
    base: &'static str,
    sections: Vec<FormSection>,
    action: String,
    reload: String,
}

/// The full form: a new record (`head` is `None`) or every section of a stored one.
pub(super) fn form_page<K: RecordPages>(
    page: Page,
    head: Option<RecordHead>,
    fe: RecordEdit<K::Form, K::Inputs>,
) -> Response {
    form_response::<K>(page, head, fe, StatusCode::OK)
}

/// The full form with a status (422 or 409 when shown again after a refused save).
pub(super) fn form_response<K: RecordPages>(
    page: Page,
    head: Option<RecordHead>,
    fe: RecordEdit<K::Form, K::Inputs>,
    status: StatusCode,
) -> Response {
    let sections = K::CARDS
        .iter()
        .map(|s| {
            let section = s.as_str();
            FormSection {
                id: section,
                title_key: section_key(section, K::TEXTS.business),
                body: K::form_fields(FieldParts {
                    page: &page,
                    fe: &fe,
                    section,
                }),
            }
        })
        .collect();
    let (action, reload) = match &head {
        Some(h) => (h.href(), format!("{}/edit", h.href())),
        None => (K::BASE.to_string(), format!("{}/new", K::BASE)),
    };
    let body = render(&Form {
        fe: shared(&fe),
        can_reassign: fe.can_reassign,
        texts: K::TEXTS,
        base: K::BASE,
        sections,
        action,
        reload,
        v: head,
        page,
    });
    (status, body).into_response()
}
