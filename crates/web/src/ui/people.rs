//! People pages: the list with search, filters, sorting, keyset pages and bulk actions
//! (`/people`), the record page with inline-editable cards and history (`/people/{id}`), the
//! create and edit forms, delete, and the company picker's options.
//!
//! Every read and write goes through the people services (which apply the visibility
//! scope); nothing here decides who may see what.

use crate::auth::{SignedIn, percent_encode, redirect};
use crate::state::AppState;
use crate::ui::error::{UiError, UiResultExt, render, wants_partial};
use crate::ui::page::Page;
use crate::ui::records::form::{Editor, ListInput, RecordInput, Section, list_inputs, section_key};
use crate::ui::records::history::{HistoryRow, history_rows};
use crate::ui::records::list::{
    BulkAction, BulkInput, ListQuery, ListView, SortHeader, outcome_params, sort_header,
};
use crate::ui::records::{self, Choice, Directory, format_phone, local_date};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use rehber_app::PartySort;
use rehber_domain::access::RecordKind;
use rehber_domain::party::{Companies, People};
use rehber_domain::party::{Person, PersonForm};
use rehber_domain::{Actor, CompanyId, Error, PersonId};
use serde::Deserialize;

const KIND: RecordKind = RecordKind::Person;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/people", get(list).post(create))
        .route("/people/new", get(new_form))
        .route("/people/bulk", post(bulk))
        .route("/people/company-options", get(company_options))
        .route("/people/{id}", get(show).post(update))
        .route("/people/{id}/edit", get(edit_form))
        .route("/people/{id}/edit/{section}", get(edit_card))
        .route("/people/{id}/card/{section}", get(view_card))
        .route("/people/{id}/delete", post(delete))
}

// ----- list -----

/// One row of the people table.
#[derive(Debug, Clone)]
pub struct PersonRow {
    pub id: i64,
    /// The values of the custom fields shown as columns.
    pub custom: Vec<String>,
    pub name: String,
    pub job_title: String,
    pub company: Option<(i64, String)>,
    pub email: String,
    pub phone: String,
    pub phone_e164: String,
    pub city: String,
    pub stage: &'static str,
    pub stage_label: String,
    pub owner: String,
    pub created: String,
    pub updated: String,
}

impl PersonRow {
    fn new(page: &Page, directory: &Directory, person: Person) -> PersonRow {
        let lang = page.lang;
        let f = &person.fields;
        let phone_e164 = f
            .phones
            .first()
            .map(|p| p.as_str().to_string())
            .unwrap_or_default();
        PersonRow {
            custom: Vec::new(),
            id: person.id.0,
            name: f.full_name(),
            job_title: f.job_title.clone(),
            company: f
                .company_id
                .zip(person.company_name.clone())
                .map(|(id, name)| (id.0, name)),
            email: f.emails.first().map(|e| e.to_string()).unwrap_or_default(),
            phone: format_phone(&phone_e164),
            phone_e164,
            city: f.address.city.clone(),
            stage: f.lifecycle_stage.as_str(),
            stage_label: lang.t(&format!("lifecycle-{}", f.lifecycle_stage)),
            owner: directory.user_name(person.ownership.owner_id),
            created: local_date(lang, person.meta.created_at),
            updated: local_date(lang, person.meta.updated_at),
        }
    }
}

/// The sortable headers of the people table.
pub struct PeopleHeaders {
    pub name: SortHeader,
    pub created: SortHeader,
    pub updated: SortHeader,
}

#[derive(Template)]
#[template(path = "people/list.html")]
struct PeopleListPage {
    page: Page,
    list: ListView,
    rows: Vec<PersonRow>,
    headers: PeopleHeaders,
}

#[derive(Template)]
#[template(path = "people/results.html")]
struct PeopleResults {
    page: Page,
    list: ListView,
    rows: Vec<PersonRow>,
    headers: PeopleHeaders,
}

async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Query(query): Query<ListQuery>,
    RawQuery(raw): RawQuery,
) -> Result<Response, UiError> {
    let actor = who.actor();
    let lang = who.lang;
    let query = query.with_custom(raw.as_deref());
    let (mut request, mut problems) = query.to_request(lang);
    let (filter, fields) =
        crate::ui::custom::checked_request::<People>(&state, &who, &mut request, &mut problems)
            .await?;
    let found = state.app.list::<People>(&actor, &request).await.ui(&who)?;
    let count_cap = rehber_app::list::count_cap(&filter);
    let count = state.app.count::<People>(&actor, &filter).await.ui(&who)?;
    let directory = records::directory(&state, &who).await?;
    let selected_company = request.filter.company;
    let companies = company_choices(&state, &who, "", selected_company).await?;
    let page = Page::signed_in(&who, "people-title", "people");
    let rows = found
        .items
        .into_iter()
        .map(|p| {
            let cells = crate::ui::custom::list_cells(lang, &fields, &p.fields.custom);
            PersonRow {
                custom: cells,
                ..PersonRow::new(&page, &directory, p)
            }
        })
        .collect();
    let base = "/people";
    let headers_row = PeopleHeaders {
        name: sort_header(&query, base, PartySort::Name, lang.t("field-name")),
        created: sort_header(&query, base, PartySort::Created, lang.t("records-created")),
        updated: sort_header(&query, base, PartySort::Updated, lang.t("records-updated")),
    };
    let custom_filters = crate::ui::custom::list_filters(lang, &fields, &query);
    let custom_columns = crate::ui::custom::list_columns(lang, &fields, &query, base);
    let list = records::list_view(records::ListParts {
        base,
        lang,
        actor: &actor,
        kind: KIND,
        count_label: records::count_label(lang, count, count_cap, "people-count"),
        query,
        problems,
        next_cursor: found.next_cursor,
        directory: &directory,
        companies,
        partial: wants_partial(&headers),
        custom_filters,
        custom_columns,
    });
    let page = page.with_notice(list.notice.clone());
    Ok(if list.partial {
        render(&PeopleResults {
            page,
            list,
            rows,
            headers: headers_row,
        })
    } else {
        render(&PeopleListPage {
            page,
            list,
            rows,
            headers: headers_row,
        })
    })
}

async fn bulk(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Form(input): Form<BulkInput>,
) -> Result<Response, UiError> {
    let actor = who.actor();
    let ids: Vec<PersonId> = input.ids().into_iter().map(PersonId).collect();
    let base = "/people";
    let back = |extra: &str| redirect(&headers, &input.return_href(base, extra));
    if ids.is_empty() {
        return Ok(back("notice=notice-bulk-none-selected"));
    }
    let action = match input.action() {
        Ok(action) => action,
        Err(key) => return Ok(back(&format!("notice={key}"))),
    };
    let result = match &action {
        BulkAction::Assign(owner) => state.app.bulk_assign::<People>(&actor, &ids, *owner).await,
        BulkAction::Tag(tag) => state.app.bulk_tag::<People>(&actor, &ids, tag).await,
        BulkAction::Delete => state.app.bulk_delete::<People>(&actor, &ids).await,
    };
    match result {
        Ok(outcome) => Ok(back(&outcome_params(&action, outcome))),
        Err(e) => match e.domain() {
            Some(Error::Forbidden) => Ok(back("notice=notice-bulk-forbidden")),
            Some(Error::Validation(_)) => Ok(back("notice=notice-bulk-tag-required")),
            _ => Err(UiError::signed_in(&who, e)),
        },
    }
}

// ----- record page -----

/// A company as shown on a person's page.
#[derive(Debug, Clone)]
pub struct CompanyBrief {
    pub id: i64,
    pub name: String,
    /// False when the company is outside the viewer's scope (name only, no link).
    pub visible: bool,
    pub industry: String,
    pub city: String,
    pub phone: String,
    pub phone_e164: String,
    pub website: String,
}

/// A person prepared for display.
pub struct PersonView {
    pub base: &'static str,
    pub id: i64,
    pub version: i64,
    pub name: String,
    pub person: Person,
    pub owner_name: String,
    pub team_name: String,
    pub stage: &'static str,
    pub stage_label: String,
    pub lead_status_label: String,
    pub lead_source_label: String,
    pub emails: Vec<String>,
    /// (E.164 for `tel:`, display form)
    pub phones: Vec<(String, String)>,
    pub birthday: String,
    pub created: String,
    pub updated: String,
    pub bant: Vec<(String, bool)>,
    pub bant_score: u8,
    pub company: Option<CompanyBrief>,
    pub history: Vec<HistoryRow>,
    pub can_write: bool,
    pub can_delete: bool,
    pub can_reassign: bool,
}

impl PersonView {
    pub fn city(&self) -> &str {
        &self.person.fields.address.city
    }

    pub fn href(&self) -> String {
        format!("{}/{}", self.base, self.id)
    }

    /// The list of people with this tag.
    pub fn tag_href(&self, tag: &str) -> String {
        format!("/people?tag={}", percent_encode(tag))
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

/// The values and choices of a person form (full page or one card).
pub struct PersonEdit {
    pub form: PersonForm,
    pub editor: Editor,
    pub emails: Vec<ListInput>,
    pub phones: Vec<ListInput>,
    pub tags: String,
    pub stages: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub sources: Vec<Choice>,
    pub companies: Vec<Choice>,
    pub owners: Vec<Choice>,
    pub teams: Vec<Choice>,
    pub owner_id: String,
    pub team_id: String,
    pub version: i64,
    pub can_reassign: bool,
}

impl PersonEdit {
    pub fn section_key(&self, section: &str) -> &'static str {
        section_key(section, "people-section-business")
    }
}

#[derive(Template)]
#[template(path = "people/show.html")]
struct PersonPage {
    page: Page,
    card: crate::ui::custom::CustomCard,
    v: PersonView,
    fe: PersonEdit,
    editing: bool,
    oob: bool,
}

/// One card of the record page (`section`), shown or in edit mode; after a save the header
/// and history come along out of band (`oob`).
#[derive(Template)]
#[template(path = "people/card.html")]
struct PersonCard {
    page: Page,
    v: PersonView,
    fe: PersonEdit,
    section: &'static str,
    editing: bool,
    oob: bool,
}

#[derive(Template)]
#[template(path = "people/form.html")]
struct PersonFormPage {
    page: Page,
    fe: PersonEdit,
    /// `None` for a new person.
    v: Option<PersonView>,
    action: String,
    cancel: String,
    /// Where "load the current version" leads after a conflict.
    reload: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct NoticeQuery {
    notice: Option<String>,
    /// `custom` opens the custom-field card for editing (its link without htmx).
    edit: String,
    company_id: String,
}

fn parse_id(who: &SignedIn, text: &str) -> Result<PersonId, UiError> {
    text.trim()
        .parse()
        .map(PersonId)
        .map_err(|_| UiError::not_found(who))
}

fn parse_section(who: &SignedIn, text: &str) -> Result<Section, UiError> {
    match Section::parse(text) {
        Some(Section::All) | None => Err(UiError::not_found(who)),
        Some(section) => Ok(section),
    }
}

async fn person_view(
    state: &AppState,
    who: &SignedIn,
    actor: &Actor,
    person: Person,
    directory: &Directory,
) -> Result<PersonView, UiError> {
    let lang = who.lang;
    let id = person.id;
    let history = state.app.history::<People>(actor, id).await.ui(who)?;
    let custom_fields = state
        .app
        .custom_fields(Some("person"), true)
        .await
        .ui(who)?;
    let company = match person.fields.company_id {
        None => None,
        Some(cid) => Some(match state.app.get::<Companies>(actor, cid).await {
            Ok(c) => {
                let phone_e164 = c
                    .fields
                    .phones
                    .first()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_default();
                CompanyBrief {
                    id: cid.0,
                    name: c.fields.name.clone(),
                    visible: true,
                    industry: c.fields.industry.clone(),
                    city: c.fields.address.city.clone(),
                    phone: format_phone(&phone_e164),
                    phone_e164,
                    website: c.fields.website.clone(),
                }
            }
            Err(e) if matches!(e.domain(), Some(Error::NotFound)) => CompanyBrief {
                id: cid.0,
                name: person.company_name.clone().unwrap_or_default(),
                visible: false,
                industry: String::new(),
                city: String::new(),
                phone: String::new(),
                phone_e164: String::new(),
                website: String::new(),
            },
            Err(e) => return Err(UiError::signed_in(who, e)),
        }),
    };
    let f = &person.fields;
    let bant = vec![
        (lang.t("field-bant_budget"), f.bant.budget),
        (lang.t("field-bant_authority"), f.bant.authority),
        (lang.t("field-bant_need"), f.bant.need),
        (lang.t("field-bant_timing"), f.bant.timing),
    ];
    Ok(PersonView {
        base: "/people",
        id: id.0,
        version: person.meta.version,
        name: f.full_name(),
        owner_name: directory.user_name(person.ownership.owner_id),
        team_name: directory.team_name(person.ownership.team_id),
        stage: f.lifecycle_stage.as_str(),
        stage_label: lang.t(&format!("lifecycle-{}", f.lifecycle_stage)),
        lead_status_label: f
            .lead_status
            .map(|s| lang.t(&format!("lead-status-{s}")))
            .unwrap_or_default(),
        lead_source_label: f
            .lead_source
            .map(|s| lang.t(&format!("lead-source-{s}")))
            .unwrap_or_default(),
        emails: f.emails.iter().map(|e| e.to_string()).collect(),
        phones: f
            .phones
            .iter()
            .map(|p| (p.as_str().to_string(), format_phone(p.as_str())))
            .collect(),
        birthday: f.birthday.map(|d| lang.date(d)).unwrap_or_default(),
        created: lang.datetime(person.meta.created_at),
        updated: lang.datetime(person.meta.updated_at),
        bant_score: f.bant.score(),
        bant,
        company,
        history: history_rows(lang, history, &custom_fields),
        can_write: actor.role.can_write(KIND),
        can_delete: actor.role.can_delete(KIND),
        can_reassign: actor.role.can_reassign(),
        person,
    })
}

/// The form state; `with_companies` loads the company picker's first choices.
#[allow(clippy::too_many_arguments)]
async fn person_edit(
    state: &AppState,
    who: &SignedIn,
    form: PersonForm,
    editor: Editor,
    directory: &Directory,
    ownership: (String, String),
    version: i64,
    with_companies: bool,
) -> Result<PersonEdit, UiError> {
    let lang = who.lang;
    let selected = form.company_id.trim().parse().ok().map(CompanyId);
    let companies = if with_companies {
        company_choices(state, who, "", selected).await?
    } else {
        Vec::new()
    };
    let keep_owner = ownership.0.parse().ok().map(rehber_domain::UserId);
    Ok(PersonEdit {
        emails: list_inputs("emails", &form.emails),
        phones: list_inputs("phones", &form.phones),
        tags: form.tags.join(", "),
        stages: records::lifecycle_choices(lang),
        statuses: records::lead_status_choices(lang),
        sources: records::lead_source_choices(lang),
        companies,
        owners: directory.owner_choices(keep_owner),
        teams: directory.team_choices(),
        owner_id: ownership.0,
        team_id: ownership.1,
        version,
        can_reassign: who.actor().role.can_reassign(),
        form,
        editor,
    })
}

/// The stored values as a form, phones grouped for reading.
fn stored_form(person: &Person) -> PersonForm {
    let mut form = PersonForm::from(&person.fields);
    form.phones = records::readable_phones(&form.phones);
    form
}

fn ownership_values(person: &Person) -> (String, String) {
    (
        person
            .ownership
            .owner_id
            .map(|u| u.to_string())
            .unwrap_or_default(),
        person
            .ownership
            .team_id
            .map(|t| t.to_string())
            .unwrap_or_default(),
    )
}

/// Company picker choices: the visible companies matching `q` (first 20 by name), with
/// `selected` kept even when it is not among them.
pub(crate) async fn company_choices(
    state: &AppState,
    who: &SignedIn,
    q: &str,
    selected: Option<CompanyId>,
) -> Result<Vec<Choice>, UiError> {
    let actor = who.actor();
    let found = state.app.company_choices(&actor, q).await.ui(who)?;
    let mut choices: Vec<Choice> = found
        .iter()
        .map(|(id, name)| Choice::new(id.to_string(), name.clone()))
        .collect();
    if let Some(id) = selected.filter(|id| !found.iter().any(|(f, _)| f == id))
        && let Ok(company) = state.app.get::<Companies>(&actor, id).await
    {
        choices.insert(0, Choice::new(id.to_string(), company.fields.name));
    }
    Ok(choices)
}

async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, UiError> {
    let id = parse_id(&who, &id)?;
    let actor = who.actor();
    let person = state.app.get::<People>(&actor, id).await.ui(&who)?;
    let mut card = crate::ui::custom::card_for::<People>(&state, &who, &person).await?;
    card.editing = query.edit == "custom" && card.can_write;
    let directory = records::directory(&state, &who).await?;
    let form = stored_form(&person);
    let ownership = ownership_values(&person);
    let version = person.meta.version;
    let v = person_view(&state, &who, &actor, person, &directory).await?;
    let fe = person_edit(
        &state,
        &who,
        form,
        Editor::default(),
        &directory,
        ownership,
        version,
        false,
    )
    .await?;
    let mut page =
        Page::signed_in(&who, "people-title", "people").with_notice_key(query.notice.as_deref());
    page.title = v.name.clone();
    Ok(render(&PersonPage {
        page,
        card,
        v,
        fe,
        editing: false,
        oob: false,
    }))
}

async fn card(
    state: &AppState,
    who: &SignedIn,
    id: &str,
    section: &str,
    editing: bool,
) -> Result<Response, UiError> {
    let id = parse_id(who, id)?;
    let section = parse_section(who, section)?;
    let actor = who.actor();
    let person = state.app.get::<People>(&actor, id).await.ui(who)?;
    if editing && !actor.role.can_write(KIND) {
        return Err(UiError::forbidden(who));
    }
    let directory = records::directory(state, who).await?;
    let form = stored_form(&person);
    let ownership = ownership_values(&person);
    let version = person.meta.version;
    let v = person_view(state, who, &actor, person, &directory).await?;
    let fe = person_edit(
        state,
        who,
        form,
        Editor::default(),
        &directory,
        ownership,
        version,
        editing && section == Section::Profile,
    )
    .await?;
    Ok(render(&PersonCard {
        page: Page::signed_in(who, "people-title", "people"),
        v,
        fe,
        section: section.as_str(),
        editing,
        oob: false,
    }))
}

async fn edit_card(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Path((id, section)): Path<(String, String)>,
) -> Result<Response, UiError> {
    if !wants_partial(&headers) {
        // Without htmx the whole edit page does the job.
        return Ok(redirect(&headers, &format!("/people/{}/edit", id.trim())));
    }
    card(&state, &who, &id, &section, true).await
}

async fn view_card(
    State(state): State<AppState>,
    who: SignedIn,
    Path((id, section)): Path<(String, String)>,
) -> Result<Response, UiError> {
    card(&state, &who, &id, &section, false).await
}

async fn new_form(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, UiError> {
    let actor = who.actor();
    if !actor.role.can_write(KIND) {
        return Err(UiError::forbidden(&who));
    }
    let directory = records::directory(&state, &who).await?;
    let mut form = PersonForm::blank();
    form.company_id = query.company_id.trim().to_string();
    let fe = person_edit(
        &state,
        &who,
        form,
        Editor::default(),
        &directory,
        (actor.user_id.to_string(), String::new()),
        0,
        true,
    )
    .await?;
    Ok(render(&PersonFormPage {
        page: Page::signed_in(&who, "people-new-title", "people"),
        fe,
        v: None,
        action: "/people".into(),
        cancel: "/people".into(),
        reload: "/people/new".into(),
    }))
}

async fn edit_form(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let id = parse_id(&who, &id)?;
    let actor = who.actor();
    let person = state.app.get::<People>(&actor, id).await.ui(&who)?;
    if !actor.role.can_write(KIND) {
        return Err(UiError::forbidden(&who));
    }
    let directory = records::directory(&state, &who).await?;
    let form = stored_form(&person);
    let ownership = ownership_values(&person);
    let version = person.meta.version;
    let v = person_view(&state, &who, &actor, person, &directory).await?;
    let fe = person_edit(
        &state,
        &who,
        form,
        Editor::default(),
        &directory,
        ownership,
        version,
        true,
    )
    .await?;
    let mut page = Page::signed_in(&who, "people-edit-title", "people");
    page.title = format!("{} · {}", v.name, page.title);
    Ok(render(&PersonFormPage {
        page,
        fe,
        action: format!("/people/{}", id.0),
        cancel: format!("/people/{}", id.0),
        reload: format!("/people/{}/edit", id.0),
        v: Some(v),
    }))
}

async fn create(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Form(input): Form<RecordInput>,
) -> Result<Response, UiError> {
    let actor = who.actor();
    let lang = who.lang;
    let patch = input.person_patch(Section::All);
    let ownership = if actor.role.can_reassign() {
        input.ownership(None)
    } else {
        Ok(Default::default())
    };
    let result = match ownership {
        Ok(ownership) => state
            .app
            .create::<People>(&actor, patch.clone(), ownership)
            .await
            .map_err(|e| Editor::from_error(lang, e)),
        Err(fields) => Err(Ok(Editor::from_fields(lang, &fields))),
    };
    let editor = match result {
        Ok(person) => {
            return Ok(redirect(
                &headers,
                &format!("/people/{}?notice=notice-person-created", person.id.0),
            ));
        }
        Err(Ok(editor)) => editor,
        Err(Err(e)) => return Err(UiError::signed_in(&who, e)),
    };
    let directory = records::directory(&state, &who).await?;
    let mut form = PersonForm::blank();
    form.apply(patch);
    let fe = person_edit(
        &state,
        &who,
        form,
        editor,
        &directory,
        (input.owner_id.clone(), input.team_id.clone()),
        0,
        true,
    )
    .await?;
    let body = render(&PersonFormPage {
        page: Page::signed_in(&who, "people-new-title", "people"),
        fe,
        v: None,
        action: "/people".into(),
        cancel: "/people".into(),
        reload: "/people/new".into(),
    });
    Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
}

async fn update(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(input): Form<RecordInput>,
) -> Result<Response, UiError> {
    let id = parse_id(&who, &id)?;
    let actor = who.actor();
    let lang = who.lang;
    let Some(section) = input.section() else {
        return Err(UiError::not_found(&who));
    };
    let current = state.app.get::<People>(&actor, id).await.ui(&who)?;
    let patch = input.person_patch(section);
    let ownership = match section {
        Section::Ownership | Section::All if actor.role.can_reassign() => {
            input.ownership(current.ownership.team_id)
        }
        _ => Ok(Default::default()),
    };
    let result = match ownership {
        Ok(ownership) => state
            .app
            .update::<People>(&actor, id, input.version(), patch.clone(), ownership)
            .await
            .map_err(|e| Editor::from_error(lang, e)),
        Err(fields) => Err(Ok(Editor::from_fields(lang, &fields))),
    };
    let inline = wants_partial(&headers) && section != Section::All;
    let directory = records::directory(&state, &who).await?;
    match result {
        Ok(person) if inline => {
            let form = stored_form(&person);
            let ownership = ownership_values(&person);
            let version = person.meta.version;
            let v = person_view(&state, &who, &actor, person, &directory).await?;
            let fe = person_edit(
                &state,
                &who,
                form,
                Editor::default(),
                &directory,
                ownership,
                version,
                false,
            )
            .await?;
            Ok(render(&PersonCard {
                page: Page::signed_in(&who, "people-title", "people"),
                v,
                fe,
                section: section.as_str(),
                editing: false,
                oob: true,
            }))
        }
        Ok(_) => Ok(redirect(
            &headers,
            &format!("/people/{}?notice=notice-saved", id.0),
        )),
        Err(Err(e)) => Err(UiError::signed_in(&who, e)),
        Err(Ok(editor)) => {
            let status = if editor.stale {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let mut form = stored_form(&current);
            form.apply(patch);
            // The user's version stays in the form: saving again after a conflict must be a
            // deliberate choice after reloading, never a silent overwrite.
            let version = input.version().unwrap_or(current.meta.version);
            let ownership = if section == Section::Ownership || section == Section::All {
                (input.owner_id.clone(), input.team_id.clone())
            } else {
                ownership_values(&current)
            };
            let v = person_view(&state, &who, &actor, current, &directory).await?;
            let fe = person_edit(
                &state,
                &who,
                form,
                editor,
                &directory,
                ownership,
                version,
                !inline || section == Section::Profile,
            )
            .await?;
            if inline {
                let body = render(&PersonCard {
                    page: Page::signed_in(&who, "people-title", "people"),
                    v,
                    fe,
                    section: section.as_str(),
                    editing: true,
                    oob: false,
                });
                return Ok((records::form_status(&headers, status), body).into_response());
            }
            let mut page = Page::signed_in(&who, "people-edit-title", "people");
            page.title = format!("{} · {}", v.name, page.title);
            let body = render(&PersonFormPage {
                page,
                fe,
                action: format!("/people/{}", id.0),
                cancel: format!("/people/{}", id.0),
                reload: format!("/people/{}/edit", id.0),
                v: Some(v),
            });
            Ok((status, body).into_response())
        }
    }
}

async fn delete(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let id = parse_id(&who, &id)?;
    state
        .app
        .delete::<People>(&who.actor(), id)
        .await
        .ui(&who)?;
    Ok(redirect(&headers, "/people?notice=notice-person-deleted"))
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct OptionsQuery {
    company_q: String,
    company_id: String,
}

#[derive(Template)]
#[template(path = "records/company_options.html")]
struct CompanyOptions {
    page: Page,
    choices: Vec<Choice>,
    selected: String,
}

/// The company picker's `<option>`s for a search (htmx swaps them into the select).
async fn company_options(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<OptionsQuery>,
) -> Result<Response, UiError> {
    let selected = query.company_id.trim().parse().ok().map(CompanyId);
    let choices = company_choices(&state, &who, query.company_q.trim(), selected).await?;
    Ok(render(&CompanyOptions {
        page: Page::signed_in(&who, "people-title", "people"),
        choices,
        selected: query.company_id.trim().to_string(),
    }))
}
