//! Company pages: the list with search, filters, sorting, keyset pages and bulk actions
//! (`/companies`), the record page with inline-editable cards, the company's people and its
//! history (`/companies/{id}`), the create and edit forms, and delete.
//!
//! Every read and write goes through the company services (which apply the visibility
//! scope); the people card uses `company_people`, which applies the people scope.

use crate::auth::{SignedIn, percent_encode, redirect};
use crate::state::AppState;
use crate::ui::error::{UiError, UiResultExt, render, wants_partial};
use crate::ui::page::Page;
use crate::ui::records::form::{Editor, ListInput, RecordInput, Section, list_inputs, section_key};
use crate::ui::records::history::{HistoryRow, history_rows};
use crate::ui::records::list::{
    BulkAction, BulkInput, ListQuery, ListView, SortHeader, outcome_params, sort_header,
};
use crate::ui::records::{self, CURRENCIES, Choice, Directory, format_phone, local_date};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use rehber_app::PartySort;
use rehber_domain::access::RecordKind;
use rehber_domain::party::Companies;
use rehber_domain::party::{Company, CompanyForm};
use rehber_domain::{Actor, CompanyId, Error};
use serde::Deserialize;

const KIND: RecordKind = RecordKind::Company;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/companies", get(list).post(create))
        .route("/companies/new", get(new_form))
        .route("/companies/bulk", post(bulk))
        .route("/companies/{id}", get(show).post(update))
        .route("/companies/{id}/edit", get(edit_form))
        .route("/companies/{id}/edit/{section}", get(edit_card))
        .route("/companies/{id}/card/{section}", get(view_card))
        .route("/companies/{id}/delete", post(delete))
}

// ----- list -----

/// One row of the companies table.
#[derive(Debug, Clone)]
pub struct CompanyRow {
    pub id: i64,
    /// The values of the custom fields shown as columns.
    pub custom: Vec<String>,
    pub name: String,
    pub city: String,
    pub industry: String,
    pub stage: &'static str,
    pub stage_label: String,
    pub tax_number: String,
    pub owner: String,
    pub created: String,
    pub updated: String,
}

impl CompanyRow {
    fn new(page: &Page, directory: &Directory, company: Company) -> CompanyRow {
        let lang = page.lang;
        let f = &company.fields;
        CompanyRow {
            custom: Vec::new(),
            id: company.id.0,
            name: f.name.clone(),
            city: f.address.city.clone(),
            industry: f.industry.clone(),
            stage: f.lifecycle_stage.as_str(),
            stage_label: lang.t(&format!("lifecycle-{}", f.lifecycle_stage)),
            tax_number: f
                .tax_number
                .as_ref()
                .map(|v| v.to_string())
                .unwrap_or_default(),
            owner: directory.user_name(company.ownership.owner_id),
            created: local_date(lang, company.meta.created_at),
            updated: local_date(lang, company.meta.updated_at),
        }
    }
}

pub struct CompanyHeaders {
    pub name: SortHeader,
    pub created: SortHeader,
    pub updated: SortHeader,
}

#[derive(Template)]
#[template(path = "companies/list.html")]
struct CompanyListPage {
    page: Page,
    list: ListView,
    rows: Vec<CompanyRow>,
    headers: CompanyHeaders,
}

#[derive(Template)]
#[template(path = "companies/results.html")]
struct CompanyResults {
    page: Page,
    list: ListView,
    rows: Vec<CompanyRow>,
    headers: CompanyHeaders,
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
    // Companies do not belong to companies.
    request.filter.company = None;
    let (filter, fields) =
        crate::ui::custom::checked_request::<Companies>(&state, &who, &mut request, &mut problems)
            .await?;
    let found = state
        .app
        .list::<Companies>(&actor, &request)
        .await
        .ui(&who)?;
    let count_cap = rehber_app::list::count_cap(&filter);
    let count = state
        .app
        .count::<Companies>(&actor, &filter)
        .await
        .ui(&who)?;
    let directory = records::directory(&state, &who).await?;
    let page = Page::signed_in(&who, "companies-title", "companies");
    let rows = found
        .items
        .into_iter()
        .map(|c| {
            let cells = crate::ui::custom::list_cells(lang, &fields, &c.fields.custom);
            CompanyRow {
                custom: cells,
                ..CompanyRow::new(&page, &directory, c)
            }
        })
        .collect();
    let base = "/companies";
    let headers_row = CompanyHeaders {
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
        count_label: records::count_label(lang, count, count_cap, "companies-count"),
        query,
        problems,
        next_cursor: found.next_cursor,
        directory: &directory,
        companies: Vec::new(),
        partial: wants_partial(&headers),
        custom_filters,
        custom_columns,
    });
    let page = page.with_notice(list.notice.clone());
    Ok(if list.partial {
        render(&CompanyResults {
            page,
            list,
            rows,
            headers: headers_row,
        })
    } else {
        render(&CompanyListPage {
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
    let ids: Vec<CompanyId> = input.ids().into_iter().map(CompanyId).collect();
    let base = "/companies";
    let back = |extra: &str| redirect(&headers, &input.return_href(base, extra));
    if ids.is_empty() {
        return Ok(back("notice=notice-bulk-none-selected"));
    }
    let action = match input.action() {
        Ok(action) => action,
        Err(key) => return Ok(back(&format!("notice={key}"))),
    };
    let result = match &action {
        BulkAction::Assign(owner) => {
            state
                .app
                .bulk_assign::<Companies>(&actor, &ids, *owner)
                .await
        }
        BulkAction::Tag(tag) => state.app.bulk_tag::<Companies>(&actor, &ids, tag).await,
        BulkAction::Delete => state.app.bulk_delete::<Companies>(&actor, &ids).await,
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

/// A person of the company, for the company page.
#[derive(Debug, Clone)]
pub struct PersonBrief {
    pub id: i64,
    pub name: String,
    pub job_title: String,
    pub email: String,
    pub phone: String,
    pub phone_e164: String,
    pub stage: &'static str,
    pub stage_label: String,
}

/// A company prepared for display.
pub struct CompanyView {
    pub base: &'static str,
    pub id: i64,
    pub version: i64,
    pub name: String,
    pub company: Company,
    pub owner_name: String,
    pub team_name: String,
    pub stage: &'static str,
    pub stage_label: String,
    pub lead_status_label: String,
    pub lead_source_label: String,
    pub size_label: String,
    pub revenue: String,
    pub emails: Vec<String>,
    pub phones: Vec<(String, String)>,
    pub created: String,
    pub updated: String,
    pub bant: Vec<(String, bool)>,
    pub bant_score: u8,
    pub people: Vec<PersonBrief>,
    /// More people than shown (the card links to the filtered list).
    pub people_more: bool,
    pub history: Vec<HistoryRow>,
    pub can_write: bool,
    pub can_delete: bool,
    pub can_reassign: bool,
}

impl CompanyView {
    pub fn city(&self) -> &str {
        &self.company.fields.address.city
    }

    pub fn href(&self) -> String {
        format!("{}/{}", self.base, self.id)
    }

    pub fn tag_href(&self, tag: &str) -> String {
        format!("/companies?tag={}", percent_encode(tag))
    }

    pub fn may_edit(&self, section: &str) -> bool {
        if section == "ownership" {
            self.can_reassign
        } else {
            self.can_write
        }
    }
}

/// The values and choices of a company form (full page or one card).
pub struct CompanyEdit {
    pub form: CompanyForm,
    pub editor: Editor,
    pub emails: Vec<ListInput>,
    pub phones: Vec<ListInput>,
    pub tags: String,
    pub stages: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub sources: Vec<Choice>,
    pub sizes: Vec<Choice>,
    pub currencies: Vec<Choice>,
    pub owners: Vec<Choice>,
    pub teams: Vec<Choice>,
    pub owner_id: String,
    pub team_id: String,
    pub version: i64,
    pub can_reassign: bool,
}

impl CompanyEdit {
    pub fn section_key(&self, section: &str) -> &'static str {
        section_key(section, "companies-section-business")
    }
}

#[derive(Template)]
#[template(path = "companies/show.html")]
struct CompanyPage {
    page: Page,
    card: crate::ui::custom::CustomCard,
    v: CompanyView,
    fe: CompanyEdit,
    editing: bool,
    oob: bool,
}

#[derive(Template)]
#[template(path = "companies/card.html")]
struct CompanyCard {
    page: Page,
    v: CompanyView,
    fe: CompanyEdit,
    section: &'static str,
    editing: bool,
    oob: bool,
}

#[derive(Template)]
#[template(path = "companies/form.html")]
struct CompanyFormPage {
    page: Page,
    fe: CompanyEdit,
    v: Option<CompanyView>,
    action: String,
    cancel: String,
    reload: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct NoticeQuery {
    notice: Option<String>,
    /// `custom` opens the custom-field card for editing (its link without htmx).
    edit: String,
}

fn parse_id(who: &SignedIn, text: &str) -> Result<CompanyId, UiError> {
    text.trim()
        .parse()
        .map(CompanyId)
        .map_err(|_| UiError::not_found(who))
}

fn parse_section(who: &SignedIn, text: &str) -> Result<Section, UiError> {
    match Section::parse(text) {
        Some(Section::All) | None => Err(UiError::not_found(who)),
        Some(section) => Ok(section),
    }
}

/// People shown on a company page before "show all".
const PEOPLE_SHOWN: usize = 50;

async fn company_view(
    state: &AppState,
    who: &SignedIn,
    actor: &Actor,
    company: Company,
    directory: &Directory,
) -> Result<CompanyView, UiError> {
    let lang = who.lang;
    let id = company.id;
    let history = state.app.history::<Companies>(actor, id).await.ui(who)?;
    let custom_fields = state
        .app
        .custom_fields(Some("company"), true)
        .await
        .ui(who)?;
    let people = state.app.company_people(actor, id).await.ui(who)?;
    let people_more = people.items.len() > PEOPLE_SHOWN || people.next_cursor.is_some();
    let people = people
        .items
        .into_iter()
        .take(PEOPLE_SHOWN)
        .map(|p| {
            let phone_e164 = p
                .fields
                .phones
                .first()
                .map(|x| x.as_str().to_string())
                .unwrap_or_default();
            PersonBrief {
                id: p.id.0,
                name: p.fields.full_name(),
                job_title: p.fields.job_title.clone(),
                email: p
                    .fields
                    .emails
                    .first()
                    .map(|e| e.to_string())
                    .unwrap_or_default(),
                phone: format_phone(&phone_e164),
                phone_e164,
                stage: p.fields.lifecycle_stage.as_str(),
                stage_label: lang.t(&format!("lifecycle-{}", p.fields.lifecycle_stage)),
            }
        })
        .collect();
    let f = &company.fields;
    let bant = vec![
        (lang.t("field-bant_budget"), f.bant.budget),
        (lang.t("field-bant_authority"), f.bant.authority),
        (lang.t("field-bant_need"), f.bant.need),
        (lang.t("field-bant_timing"), f.bant.timing),
    ];
    Ok(CompanyView {
        base: "/companies",
        id: id.0,
        version: company.meta.version,
        name: f.name.clone(),
        owner_name: directory.user_name(company.ownership.owner_id),
        team_name: directory.team_name(company.ownership.team_id),
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
        size_label: f
            .size
            .map(|s| records::size_label(lang, s.as_str()))
            .unwrap_or_default(),
        revenue: f
            .annual_revenue
            .as_ref()
            .map(|m| lang.money(m.minor, &m.currency))
            .unwrap_or_default(),
        emails: f.emails.iter().map(|e| e.to_string()).collect(),
        phones: f
            .phones
            .iter()
            .map(|p| (p.as_str().to_string(), format_phone(p.as_str())))
            .collect(),
        created: lang.datetime(company.meta.created_at),
        updated: lang.datetime(company.meta.updated_at),
        bant_score: f.bant.score(),
        bant,
        people,
        people_more,
        history: history_rows(lang, history, &custom_fields),
        can_write: actor.role.can_write(KIND),
        can_delete: actor.role.can_delete(KIND),
        can_reassign: actor.role.can_reassign(),
        company,
    })
}

fn company_edit(
    who: &SignedIn,
    form: CompanyForm,
    editor: Editor,
    directory: &Directory,
    ownership: (String, String),
    version: i64,
) -> CompanyEdit {
    let lang = who.lang;
    let keep_owner = ownership.0.parse().ok().map(rehber_domain::UserId);
    let mut currencies: Vec<Choice> = CURRENCIES.iter().map(|c| Choice::new(*c, *c)).collect();
    let typed = form.currency.trim().to_uppercase();
    if !typed.is_empty() && !CURRENCIES.contains(&typed.as_str()) {
        currencies.push(Choice::new(form.currency.clone(), form.currency.clone()));
    }
    CompanyEdit {
        emails: list_inputs("emails", &form.emails),
        phones: list_inputs("phones", &form.phones),
        tags: form.tags.join(", "),
        stages: records::lifecycle_choices(lang),
        statuses: records::lead_status_choices(lang),
        sources: records::lead_source_choices(lang),
        sizes: records::size_choices(lang),
        currencies,
        owners: directory.owner_choices(keep_owner),
        teams: directory.team_choices(),
        owner_id: ownership.0,
        team_id: ownership.1,
        version,
        can_reassign: who.actor().role.can_reassign(),
        form,
        editor,
    }
}

/// The stored values as a form, phones grouped for reading.
fn stored_form(company: &Company) -> CompanyForm {
    let mut form = CompanyForm::from(&company.fields);
    form.phones = records::readable_phones(&form.phones);
    form
}

fn ownership_values(company: &Company) -> (String, String) {
    (
        company
            .ownership
            .owner_id
            .map(|u| u.to_string())
            .unwrap_or_default(),
        company
            .ownership
            .team_id
            .map(|t| t.to_string())
            .unwrap_or_default(),
    )
}

async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, UiError> {
    let id = parse_id(&who, &id)?;
    let actor = who.actor();
    let company = state.app.get::<Companies>(&actor, id).await.ui(&who)?;
    let mut card = crate::ui::custom::card_for::<Companies>(&state, &who, &company).await?;
    card.editing = query.edit == "custom" && card.can_write;
    let directory = records::directory(&state, &who).await?;
    let form = stored_form(&company);
    let ownership = ownership_values(&company);
    let version = company.meta.version;
    let v = company_view(&state, &who, &actor, company, &directory).await?;
    let fe = company_edit(
        &who,
        form,
        Editor::default(),
        &directory,
        ownership,
        version,
    );
    let mut page = Page::signed_in(&who, "companies-title", "companies")
        .with_notice_key(query.notice.as_deref());
    page.title = v.name.clone();
    Ok(render(&CompanyPage {
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
    let company = state.app.get::<Companies>(&actor, id).await.ui(who)?;
    if editing && !actor.role.can_write(KIND) {
        return Err(UiError::forbidden(who));
    }
    let directory = records::directory(state, who).await?;
    let form = stored_form(&company);
    let ownership = ownership_values(&company);
    let version = company.meta.version;
    let v = company_view(state, who, &actor, company, &directory).await?;
    let fe = company_edit(who, form, Editor::default(), &directory, ownership, version);
    Ok(render(&CompanyCard {
        page: Page::signed_in(who, "companies-title", "companies"),
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
        return Ok(redirect(
            &headers,
            &format!("/companies/{}/edit", id.trim()),
        ));
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

async fn new_form(State(state): State<AppState>, who: SignedIn) -> Result<Response, UiError> {
    let actor = who.actor();
    if !actor.role.can_write(KIND) {
        return Err(UiError::forbidden(&who));
    }
    let directory = records::directory(&state, &who).await?;
    let fe = company_edit(
        &who,
        CompanyForm::blank(),
        Editor::default(),
        &directory,
        (actor.user_id.to_string(), String::new()),
        0,
    );
    Ok(render(&CompanyFormPage {
        page: Page::signed_in(&who, "companies-new-title", "companies"),
        fe,
        v: None,
        action: "/companies".into(),
        cancel: "/companies".into(),
        reload: "/companies/new".into(),
    }))
}

async fn edit_form(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let id = parse_id(&who, &id)?;
    let actor = who.actor();
    let company = state.app.get::<Companies>(&actor, id).await.ui(&who)?;
    if !actor.role.can_write(KIND) {
        return Err(UiError::forbidden(&who));
    }
    let directory = records::directory(&state, &who).await?;
    let form = stored_form(&company);
    let ownership = ownership_values(&company);
    let version = company.meta.version;
    let v = company_view(&state, &who, &actor, company, &directory).await?;
    let fe = company_edit(
        &who,
        form,
        Editor::default(),
        &directory,
        ownership,
        version,
    );
    Ok(render(&edit_page(&who, id, fe, v)))
}

fn edit_page(who: &SignedIn, id: CompanyId, fe: CompanyEdit, v: CompanyView) -> CompanyFormPage {
    let mut page = Page::signed_in(who, "companies-edit-title", "companies");
    page.title = format!("{} · {}", v.name, page.title);
    CompanyFormPage {
        page,
        fe,
        action: format!("/companies/{}", id.0),
        cancel: format!("/companies/{}", id.0),
        reload: format!("/companies/{}/edit", id.0),
        v: Some(v),
    }
}

async fn create(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Form(input): Form<RecordInput>,
) -> Result<Response, UiError> {
    let actor = who.actor();
    let lang = who.lang;
    let patch = input.company_patch(Section::All);
    let ownership = if actor.role.can_reassign() {
        input.ownership(None)
    } else {
        Ok(Default::default())
    };
    let result = match ownership {
        Ok(ownership) => state
            .app
            .create::<Companies>(&actor, patch.clone(), ownership)
            .await
            .map_err(|e| Editor::from_error(lang, e)),
        Err(fields) => Err(Ok(Editor::from_fields(lang, &fields))),
    };
    let editor = match result {
        Ok(company) => {
            return Ok(redirect(
                &headers,
                &format!("/companies/{}?notice=notice-company-created", company.id.0),
            ));
        }
        Err(Ok(editor)) => editor,
        Err(Err(e)) => return Err(UiError::signed_in(&who, e)),
    };
    let directory = records::directory(&state, &who).await?;
    let mut form = CompanyForm::blank();
    form.apply(patch);
    let fe = company_edit(
        &who,
        form,
        editor,
        &directory,
        (input.owner_id.clone(), input.team_id.clone()),
        0,
    );
    let body = render(&CompanyFormPage {
        page: Page::signed_in(&who, "companies-new-title", "companies"),
        fe,
        v: None,
        action: "/companies".into(),
        cancel: "/companies".into(),
        reload: "/companies/new".into(),
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
    let current = state.app.get::<Companies>(&actor, id).await.ui(&who)?;
    let patch = input.company_patch(section);
    let ownership = match section {
        Section::Ownership | Section::All if actor.role.can_reassign() => {
            input.ownership(current.ownership.team_id)
        }
        _ => Ok(Default::default()),
    };
    let result = match ownership {
        Ok(ownership) => state
            .app
            .update::<Companies>(&actor, id, input.version(), patch.clone(), ownership)
            .await
            .map_err(|e| Editor::from_error(lang, e)),
        Err(fields) => Err(Ok(Editor::from_fields(lang, &fields))),
    };
    let inline = wants_partial(&headers) && section != Section::All;
    let directory = records::directory(&state, &who).await?;
    match result {
        Ok(company) if inline => {
            let form = stored_form(&company);
            let ownership = ownership_values(&company);
            let version = company.meta.version;
            let v = company_view(&state, &who, &actor, company, &directory).await?;
            let fe = company_edit(
                &who,
                form,
                Editor::default(),
                &directory,
                ownership,
                version,
            );
            Ok(render(&CompanyCard {
                page: Page::signed_in(&who, "companies-title", "companies"),
                v,
                fe,
                section: section.as_str(),
                editing: false,
                oob: true,
            }))
        }
        Ok(_) => Ok(redirect(
            &headers,
            &format!("/companies/{}?notice=notice-saved", id.0),
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
            // The user's version stays in the form: saving after a conflict needs a reload.
            let version = input.version().unwrap_or(current.meta.version);
            let ownership = if section == Section::Ownership || section == Section::All {
                (input.owner_id.clone(), input.team_id.clone())
            } else {
                ownership_values(&current)
            };
            let v = company_view(&state, &who, &actor, current, &directory).await?;
            let fe = company_edit(&who, form, editor, &directory, ownership, version);
            if inline {
                let body = render(&CompanyCard {
                    page: Page::signed_in(&who, "companies-title", "companies"),
                    v,
                    fe,
                    section: section.as_str(),
                    editing: true,
                    oob: false,
                });
                return Ok((records::form_status(&headers, status), body).into_response());
            }
            let body = render(&edit_page(&who, id, fe, v));
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
        .delete::<Companies>(&who.actor(), id)
        .await
        .ui(&who)?;
    Ok(redirect(
        &headers,
        "/companies?notice=notice-company-deleted",
    ))
}
