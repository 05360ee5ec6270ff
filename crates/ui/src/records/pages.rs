//! The pages of a record kind, written once: the list with search, filters, sorting, keyset
//! pages and bulk actions (`{base}`), the record page with inline-editable cards and history
//! (`{base}/{id}`), the create and edit forms, and delete. A kind says what is its own
//! through [`RecordPages`]: its columns and cells, its detail (what its cards show beyond the
//! shared head), its form inputs, how a posted form becomes its patch, and the templates of
//! its cards' bodies.
//!
//! Every read and write goes through the kind's services (which apply the visibility scope);
//! nothing here decides who may see what.

mod frames;
mod views;
mod write;

pub use views::{ViewItem, ViewMenu};

pub(crate) use frames::{FactParts, FieldParts};

use super::form::{Editor, RecordInput, Section};
use super::list::{ListQuery, SortHeader, sort_header};
use super::table::{Cell, Column, Row, Table};
use super::view::{Basis, RecordEdit, RecordHead};
use super::{Choice, Directory};
use crate::custom::{UiKind, parse_id};
use crate::error::{UiError, UiResultExt, wants_partial};
use crate::page::Page;
use axum::Router;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use rehber_app::PartySort;
use rehber_app::list::ListRequest;
use rehber_domain::Actor;
use rehber_domain::access::RecordKind;
use rehber_web_core::auth::{SignedIn, redirect};
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;
use serde::Deserialize;
use std::future::Future;

/// The message keys of a kind's pages.
#[derive(Debug, Clone, Copy)]
pub struct PageTexts {
    /// The list's title (`people-title`), also the breadcrumb.
    pub list: &'static str,
    pub new: &'static str,
    pub edit: &'static str,
    /// "1.234 kişi" (with a `-one` variant).
    pub count: &'static str,
    /// The "new" button and the create button of the form.
    pub new_button: &'static str,
    pub create_button: &'static str,
    /// The title of the business card ("Kişisel bilgiler" / "Ticari bilgiler").
    pub business: &'static str,
    pub delete_confirm: &'static str,
    pub created_notice: &'static str,
    pub deleted_notice: &'static str,
    /// The list's empty states: nothing at all, and nothing matching.
    pub empty: &'static str,
    pub empty_lead: &'static str,
    pub none_match: &'static str,
}

/// A kind's [`PageTexts`] from its plural and singular key stems: `page_texts!("people",
/// "person")` names `people-title`, `people-count`, `notice-person-created`, …
macro_rules! page_texts {
    ($many:literal, $one:literal) => {
        $crate::records::pages::PageTexts {
            list: concat!($many, "-title"),
            new: concat!($many, "-new-title"),
            edit: concat!($many, "-edit-title"),
            count: concat!($many, "-count"),
            new_button: concat!($many, "-new"),
            create_button: concat!($many, "-create"),
            business: concat!($many, "-section-business"),
            delete_confirm: concat!($many, "-delete-confirm"),
            created_notice: concat!("notice-", $one, "-created"),
            deleted_notice: concat!("notice-", $one, "-deleted"),
            empty: concat!($many, "-empty"),
            empty_lead: concat!($many, "-empty-lead"),
            none_match: concat!($many, "-none-match"),
        }
    };
}
pub(crate) use page_texts;

/// Query parameters of the record page and the new form.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    pub notice: Option<String>,
    /// `custom` opens the custom-field card for editing (its link without htmx).
    pub edit: String,
    /// Prefills the company of a new person ("add a person" on a company page).
    pub company_id: String,
}

/// A record kind's pages: what differs from kind to kind.
pub(crate) trait RecordPages: UiKind + Sized {
    const TEXTS: PageTexts;
    /// The cards of the record page's main column, in order (the full form's sections too).
    const CARDS: &'static [Section];
    /// What the kind's cards show beyond the head (the record, its related records).
    type Detail: Send + Sync;
    /// The kind's form inputs and their choices beyond the owner pickers.
    type Inputs: Send + Sync;
    /// Whose activities card its page shows, if any.
    const ACTIVITIES: Option<crate::activities::Host> = None;

    /// The record's name as a title.
    fn name(record: &Self::Record) -> String;

    /// The kind's columns, between the name and the custom ones; `sorted` makes the header
    /// of a column the list can sort on (one of the kind's `SORTS`) from its label key.
    fn columns(lang: Lang, sorted: &dyn Fn(PartySort, &str) -> SortHeader) -> Vec<Column>;
    /// A record's cells for [`RecordPages::columns`], after its name cell.
    fn cells(lang: Lang, directory: &Directory, record: &Self::Record) -> Vec<Cell>;
    /// The name cell (a second line such as a job title).
    fn name_cell(base: &str, record: &Self::Record) -> Cell {
        Cell::Name {
            href: format!("{base}/{}", Self::raw(Self::record_id(record))),
            text: Self::name(record),
            sub: String::new(),
        }
    }
    /// Narrows a list request to what the kind filters by.
    fn narrow(_request: &mut ListRequest) {}
    /// Choices for the list's relation filter (a person's company).
    fn relation_filter(
        _state: &AppState,
        _who: &SignedIn,
        _request: &ListRequest,
    ) -> impl Future<Output = Result<Vec<Choice>, UiError>> + Send {
        async { Ok(Vec::new()) }
    }

    /// What the cards show beyond the head; also fills the head's subtitle, facts and actions.
    fn detail(
        state: &AppState,
        who: &SignedIn,
        record: Self::Record,
        head: &mut RecordHead,
    ) -> impl Future<Output = Result<Self::Detail, UiError>> + Send;

    /// The stored values as a form for editing in the reader's language (phones grouped
    /// for reading, amounts in the locale's digits).
    fn stored_form(lang: Lang, record: &Self::Record) -> Self::Form;
    /// A new record's form, prefilled from the query.
    fn new_form(_query: &PageQuery) -> Self::Form {
        Self::blank()
    }
    /// The form's inputs; `pickers` loads relation choices (only the cards that need them).
    fn inputs(
        state: &AppState,
        who: &SignedIn,
        form: &Self::Form,
        pickers: bool,
    ) -> impl Future<Output = Result<Self::Inputs, UiError>> + Send;
    /// The fields of `section` in a posted form.
    fn patch(input: &RecordInput, section: Section) -> Self::Patch;

    /// A card's facts (`section` is one of [`RecordPages::CARDS`]).
    fn facts(parts: FactParts<'_, Self>) -> String;
    /// A card's or a form section's inputs.
    fn form_fields(parts: FieldParts<'_, Self>) -> String;
    /// The cards of the side column above the ownership card (a person's company).
    fn side(page: &Page, head: &RecordHead, detail: &Self::Detail) -> String;
}

/// The routes of a kind's pages.
pub(crate) fn router<K: RecordPages>() -> Router<AppState> {
    let base = K::BASE;
    Router::new()
        .route(base, get(list::<K>).post(write::create::<K>))
        .route(&format!("{base}/new"), get(new_form::<K>))
        .route(&format!("{base}/export"), get(super::export::export::<K>))
        .route(&format!("{base}/bulk"), post(write::bulk::<K>))
        .route(
            &format!("{base}/{{id}}"),
            get(show::<K>).post(write::update::<K>),
        )
        .route(&format!("{base}/{{id}}/edit"), get(edit_form::<K>))
        .route(
            &format!("{base}/{{id}}/edit/{{section}}"),
            get(edit_card::<K>),
        )
        .route(
            &format!("{base}/{{id}}/card/{{section}}"),
            get(view_card::<K>),
        )
        .route(&format!("{base}/{{id}}/delete"), post(write::delete::<K>))
        .route(&format!("{base}/views"), post(views::save::<K>))
        .route(&format!("{base}/views/{{id}}"), get(views::open::<K>))
        .route(
            &format!("{base}/views/{{id}}/delete"),
            post(views::delete::<K>),
        )
        .merge(crate::custom::router::<K>())
}

/// A kind's template as HTML for a frame; a failure is logged and leaves the part empty.
pub fn html(template: &impl askama::Template) -> String {
    template.render().unwrap_or_else(|e| {
        tracing::error!(error = %e, "template rendering failed");
        String::new()
    })
}

/// A record's URL.
pub(crate) fn record_href<K: UiKind>(id: K::Id) -> String {
    format!("{}/{}", K::BASE, K::raw(id))
}

fn page<K: RecordPages>(who: &SignedIn, title_key: &str) -> Page {
    Page::signed_in(who, title_key, K::NAV)
}

fn parse_section(who: &SignedIn, text: &str) -> Result<Section, UiError> {
    match Section::parse(text) {
        Some(Section::All) | None => Err(UiError::not_found(who)),
        Some(section) => Ok(section),
    }
}

async fn list<K: RecordPages>(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Query(query): Query<ListQuery>,
    RawQuery(raw): RawQuery,
) -> Result<Response, UiError> {
    let actor = who.actor();
    let lang = who.lang;
    let query = query.with_custom(raw.as_deref());
    let (mut request, mut problems) = super::list::list_request(lang, raw.as_deref());
    K::narrow(&mut request);
    let (filter, fields) =
        crate::custom::checked_request::<K>(&state, &who, &mut request, &mut problems).await?;
    let found = state.app.list::<K>(&actor, &request).await.ui(&who)?;
    let count_cap = rehber_app::list::count_cap(&filter);
    let count = state.app.count::<K>(&actor, &filter).await.ui(&who)?;
    let mut directory = super::directory(&state, &who).await?;
    if matches!(K::ACCESS, RecordKind::Company | RecordKind::Person) {
        let ids: Vec<i64> = found
            .items
            .iter()
            .map(|r| <K as rehber_domain::Kind>::raw(<K as rehber_domain::Kind>::record_id(r)))
            .collect();
        directory.receivables = state
            .app
            .receivables(&actor, K::ACCESS, &ids)
            .await
            .ui(&who)?;
    }
    let relations = K::relation_filter(&state, &who, &request).await?;
    let base = K::BASE;
    let header = |sort: PartySort, key: &str| sort_header(&query, base, sort, lang.t(key));
    let mut columns = vec![Column::sorted(
        "name",
        header(PartySort::Name, "field-name"),
        "",
    )];
    columns.extend(K::columns(lang, &header));
    let custom_keys = fields
        .iter()
        .filter(|f| f.in_list)
        .map(|f| format!("custom.{}", f.key));
    columns.extend(
        crate::custom::list_columns(lang, &fields, &query, base)
            .into_iter()
            .zip(custom_keys)
            .map(|(h, key)| match h.href.is_empty() {
                true => Column::plain(key, h.label, "col-custom"),
                false => Column::sorted(key, h, "col-custom"),
            }),
    );
    columns.push(Column::sorted(
        "created",
        header(PartySort::Created, "records-created"),
        "nowrap muted",
    ));
    columns.push(Column::sorted(
        "updated",
        header(PartySort::Updated, "records-updated"),
        "nowrap muted col-lg",
    ));
    let rows = found
        .items
        .iter()
        .map(|record| {
            let meta = K::meta(record);
            let mut cells = vec![K::name_cell(base, record)];
            cells.extend(K::cells(lang, &directory, record));
            cells.extend(
                crate::custom::list_cells(
                    lang,
                    &fields,
                    K::custom(<K as rehber_domain::Kind>::fields(record)),
                )
                .into_iter()
                .map(Cell::Text),
            );
            cells.push(Cell::When(super::local_date(lang, meta.created_at)));
            cells.push(Cell::When(super::local_date(lang, meta.updated_at)));
            Row {
                id: K::raw(K::record_id(record)),
                name: K::name(record),
                cells,
            }
        })
        .collect();
    let custom_filters = crate::custom::list_filters(lang, &fields, &query);
    let views = views::menu::<K>(&state, &who, &query).await?;
    let export_href = match super::export::kind_of(K::ACCESS) {
        Some(_) if state.app.may_export(&actor).await.is_ok() => {
            Some(format!("{base}/export?{}", query.filters_query()))
        }
        _ => None,
    };
    let list = super::list_view(super::ListParts {
        base,
        lang,
        actor: &actor,
        kind: K::ACCESS,
        count_label: super::count_label(lang, count, count_cap, K::TEXTS.count),
        count: (count, count_cap),
        query,
        problems,
        next_cursor: found.next_cursor,
        directory: &directory,
        companies: relations,
        partial: wants_partial(&headers),
        custom_filters,
        views,
        export_href,
    });
    let page = page::<K>(&who, K::TEXTS.list).with_notice(list.notice.clone());
    Ok(frames::list_page::<K>(page, list, Table { columns, rows }))
}

/// The head and detail of a record, ready for its page or one of its cards.
pub(super) async fn view<K: RecordPages>(
    state: &AppState,
    who: &SignedIn,
    actor: &Actor,
    record: K::Record,
    directory: &Directory,
) -> Result<(RecordHead, K::Detail), UiError> {
    let custom_fields = state.app.custom_fields(Some(K::TYPE), true).await.ui(who)?;
    view_with::<K>(state, who, (actor, directory), record, &custom_fields).await
}

/// [`view`] with the kind's custom-field definitions (archived ones included) at hand.
pub(super) async fn view_with<K: RecordPages>(
    state: &AppState,
    who: &SignedIn,
    (actor, directory): (&Actor, &Directory),
    record: K::Record,
    custom_fields: &[rehber_domain::custom::CustomField],
) -> Result<(RecordHead, K::Detail), UiError> {
    let lang = who.lang;
    let texts = (K::BASE, K::TEXTS.list, K::TEXTS.delete_confirm);
    let mut head = RecordHead::new::<K>(lang, actor, texts, &record, K::name(&record), directory);
    let history = state
        .app
        .history::<K>(actor, K::record_id(&record))
        .await
        .ui(who)?;
    head.history = super::history::history_rows(lang, history, custom_fields);
    let detail = K::detail(state, who, record, &mut head).await?;
    Ok((head, detail))
}

/// The state of a form over `form`.
pub(super) async fn edit<K: RecordPages>(
    state: &AppState,
    who: &SignedIn,
    form: K::Form,
    editor: Editor,
    directory: &Directory,
    basis: Basis,
    pickers: bool,
) -> Result<RecordEdit<K::Form, K::Inputs>, UiError> {
    let inputs = K::inputs(state, who, &form, pickers).await?;
    Ok(RecordEdit::new(
        (&who.actor(), K::ACCESS),
        (form, inputs),
        editor,
        directory,
        basis,
    ))
}

/// The stored record as a form.
pub(super) async fn stored_edit<K: RecordPages>(
    state: &AppState,
    who: &SignedIn,
    record: &K::Record,
    directory: &Directory,
    pickers: bool,
) -> Result<RecordEdit<K::Form, K::Inputs>, UiError> {
    let basis = Basis::stored(K::ownership(record), K::meta(record).version);
    let form = K::stored_form(who.lang, record);
    edit::<K>(
        state,
        who,
        form,
        Editor::default(),
        directory,
        basis,
        pickers,
    )
    .await
}

async fn show<K: RecordPages>(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, UiError> {
    let id = parse_id::<K>(&who, &id)?;
    let actor = who.actor();
    let record = state.app.get::<K>(&actor, id).await.ui(&who)?;
    // One read of the definitions serves the custom-field card and the history's labels.
    let fields = state
        .app
        .custom_fields(Some(K::TYPE), true)
        .await
        .ui(&who)?;
    let mut card = crate::custom::card_from::<K>(&who, &record, &fields);
    card.editing = query.edit == "custom" && card.can_write;
    let directory = super::directory(&state, &who).await?;
    let activities = match K::ACTIVITIES {
        Some(host) => {
            let timeline =
                crate::activities::card_html(&state, &who, host, K::raw(id), &directory, &fields)
                    .await?;
            let files = crate::attachments::card_html(&state, &who, host, K::raw(id)).await?;
            timeline + &files
        }
        None => String::new(),
    };
    let (head, detail) =
        view_with::<K>(&state, &who, (&actor, &directory), record, &fields).await?;
    let mut page = page::<K>(&who, K::TEXTS.list).with_notice_key(query.notice.as_deref());
    page.title = head.name.clone();
    Ok(frames::show_page::<K>(page, card, head, detail, activities))
}

async fn card<K: RecordPages>(
    state: &AppState,
    who: &SignedIn,
    id: &str,
    section: &str,
    editing: bool,
) -> Result<Response, UiError> {
    let id = parse_id::<K>(who, id)?;
    let section = parse_section(who, section)?;
    let actor = who.actor();
    let record = state.app.get::<K>(&actor, id).await.ui(who)?;
    if editing && !actor.role.can_write(K::ACCESS) {
        return Err(UiError::forbidden(who));
    }
    let directory = super::directory(state, who).await?;
    let edit = match editing {
        true => {
            let pickers = section == Section::Profile;
            Some(stored_edit::<K>(state, who, &record, &directory, pickers).await?)
        }
        false => None,
    };
    let (head, detail) = view::<K>(state, who, &actor, record, &directory).await?;
    let page = page::<K>(who, K::TEXTS.list);
    let shown = frames::CardState {
        section,
        oob: false,
    };
    Ok(frames::card::<K>(page, shown, head, detail, edit))
}

async fn edit_card<K: RecordPages>(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Path((id, section)): Path<(String, String)>,
) -> Result<Response, UiError> {
    if !wants_partial(&headers) {
        // Without htmx the whole edit page does the job.
        return Ok(redirect(
            &headers,
            &format!("{}/{}/edit", K::BASE, id.trim()),
        ));
    }
    card::<K>(&state, &who, &id, &section, true).await
}

async fn view_card<K: RecordPages>(
    State(state): State<AppState>,
    who: SignedIn,
    Path((id, section)): Path<(String, String)>,
) -> Result<Response, UiError> {
    card::<K>(&state, &who, &id, &section, false).await
}

async fn new_form<K: RecordPages>(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<PageQuery>,
) -> Result<Response, UiError> {
    let actor = who.actor();
    if !actor.role.can_write(K::ACCESS) {
        return Err(UiError::forbidden(&who));
    }
    let directory = super::directory(&state, &who).await?;
    let basis = Basis::typed(&actor.user_id.to_string(), "", 0);
    let form = K::new_form(&query);
    let fe = edit::<K>(
        &state,
        &who,
        form,
        Editor::default(),
        &directory,
        basis,
        true,
    )
    .await?;
    Ok(frames::form_page::<K>(
        page::<K>(&who, K::TEXTS.new),
        None,
        fe,
    ))
}

async fn edit_form<K: RecordPages>(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let id = parse_id::<K>(&who, &id)?;
    let actor = who.actor();
    let record = state.app.get::<K>(&actor, id).await.ui(&who)?;
    if !actor.role.can_write(K::ACCESS) {
        return Err(UiError::forbidden(&who));
    }
    let directory = super::directory(&state, &who).await?;
    let fe = stored_edit::<K>(&state, &who, &record, &directory, true).await?;
    let (head, _) = view::<K>(&state, &who, &actor, record, &directory).await?;
    let mut page = page::<K>(&who, K::TEXTS.edit);
    page.title = format!("{} · {}", head.name, page.title);
    Ok(frames::form_page::<K>(page, Some(head), fe))
}
