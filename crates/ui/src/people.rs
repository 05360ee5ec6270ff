//! People pages: what is a person's own on the generic record pages
//! ([`crate::records::pages`]) — the columns, the profile and personal cards, the
//! company card, and the company picker with its options.

use crate::error::{UiError, UiResultExt};
use crate::page::Page;
use crate::records::form::{RecordInput, Section};
use crate::records::list::SortHeader;
use crate::records::pages::{
    FactParts, FieldParts, PageQuery, PageTexts, RecordPages, html, page_texts, record_href,
};
use crate::records::party::{
    self, FirstContact, PartyFacts, PartyInputs, ScoreFacts, party_templates,
};
use crate::records::picker::{self, company_choices};
use crate::records::table::{Cell, Column};
use crate::records::view::{RecordEdit, RecordHead};
use crate::records::{Choice, Directory};
use askama::Template;
use axum::Router;
use axum::routing::get;
use rehber_app::PartySort;
use rehber_app::list::ListRequest;
use rehber_domain::party::{Companies, People, Person, PersonForm};
use rehber_domain::{CompanyId, Error};
use rehber_web_core::auth::SignedIn;
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;

pub fn router() -> Router<AppState> {
    crate::records::pages::router::<People>()
        .route("/people/company-options", get(picker::company_options))
}

/// A person's company as their page shows it.
#[derive(Debug, Clone, Default)]
pub struct CompanyBrief {
    pub id: i64,
    pub name: String,
    /// False when the company is outside the viewer's scope (name only, no link).
    pub visible: bool,
    /// The company is in the trash.
    pub deleted: bool,
    pub industry: String,
    pub city: String,
    pub phone: String,
    pub phone_e164: String,
    pub website: String,
}

/// What a person's cards show beyond the head.
pub struct PersonDetail {
    pub person: Person,
    pub party: PartyFacts,
    pub company: Option<CompanyBrief>,
    pub birthday: String,
    /// The person's own "Cari hesap" card, rendered (empty when their documents go to
    /// their company and they hold nothing of their own).
    pub account: String,
    /// The "İzinler" card, rendered.
    pub consents: String,
}

/// A person form's inputs beyond the owner pickers.
pub struct PersonInputs {
    pub party: PartyInputs,
    /// The company picker's first choices (only in forms that show it).
    pub companies: Vec<Choice>,
}

type PersonEdit = RecordEdit<PersonForm, PersonInputs>;

party_templates!(
    kind = People,
    detail = PersonDetail,
    edit = PersonEdit,
    facts = "people/facts.html",
    fields = "people/fields.html"
);

#[derive(Template)]
#[template(path = "people/side.html")]
struct Side<'a> {
    page: &'a Page,
    d: &'a PersonDetail,
}

impl RecordPages for People {
    const TEXTS: PageTexts = page_texts!("people", "person");
    const CARDS: &'static [Section] = &[
        Section::Profile,
        Section::Contact,
        Section::Qualification,
        Section::Address,
        Section::Business,
        Section::Tags,
        Section::Notes,
    ];
    type Detail = PersonDetail;
    type Inputs = PersonInputs;
    const ACTIVITIES: Option<crate::activities::Host> = Some(crate::activities::Host {
        link: rehber_domain::activity::LinkType::Person,
        base: "/people",
        nav: "people",
    });

    fn name(record: &Person) -> String {
        record.fields.full_name()
    }

    fn name_cell(base: &str, record: &Person) -> Cell {
        Cell::Name {
            href: format!("{base}/{}", record.id.0),
            text: record.fields.full_name(),
            sub: record.fields.job_title.clone(),
        }
    }

    fn columns(lang: Lang, sorted: &dyn Fn(PartySort, &str) -> SortHeader) -> Vec<Column> {
        vec![
            Column::sorted(
                "company",
                sorted(PartySort::Company, "field-company_id"),
                "col-sm",
            ),
            Column::plain("email", lang.t("field-email"), "col-sm"),
            Column::plain("phone", lang.t("records-phone"), "nowrap"),
            Column::sorted("city", sorted(PartySort::City, "field-city"), "col-lg"),
            Column::plain("stage", lang.t("records-stage"), ""),
            Column::sorted(
                "score",
                sorted(PartySort::Score, "records-lead-score"),
                "col-lg nowrap",
            ),
            Column::sorted(
                "balance",
                sorted(PartySort::Balance, "records-balance"),
                "col-lg nowrap num",
            ),
            Column::sorted(
                "overdue",
                sorted(PartySort::Overdue, "records-overdue"),
                "col-lg nowrap num",
            ),
            Column::plain("owner", lang.t("field-owner"), "col-lg"),
        ]
    }

    fn cells(lang: Lang, directory: &Directory, person: &Person) -> Vec<Cell> {
        let f = &person.fields;
        let contact = FirstContact::of(f);
        let company = match (f.company_id, &person.company_name) {
            (Some(id), Some(name)) => Cell::Link {
                href: record_href::<Companies>(id),
                text: name.clone(),
            },
            _ => Cell::text(""),
        };
        let [balance, overdue] = directory.receivable_cells(lang, person.id.0);
        vec![
            company,
            Cell::Mail(contact.email),
            Cell::Tel(contact.phone_e164, contact.phone),
            Cell::text(f.address.city.clone()),
            Cell::Badge(
                f.lifecycle_stage.as_str(),
                lang.t(&format!("lifecycle-{}", f.lifecycle_stage)),
            ),
            ScoreFacts::badge(lang, &person.lead_score),
            balance,
            overdue,
            Cell::text(directory.user_name(person.ownership.owner_id)),
        ]
    }

    fn relation_filter(
        state: &AppState,
        who: &SignedIn,
        request: &ListRequest,
    ) -> impl Future<Output = Result<Vec<Choice>, UiError>> + Send {
        company_choices(state, who, "", request.filter.company)
    }

    async fn detail(
        state: &AppState,
        who: &SignedIn,
        person: Person,
        head: &mut RecordHead,
    ) -> Result<PersonDetail, UiError> {
        let lang = who.lang;
        let company = match person.fields.company_id {
            None => None,
            Some(id) => Some(company_brief(state, who, id, &person).await?),
        };
        let f = &person.fields;
        let party = PartyFacts::new(lang, f).with_score(lang, &person.lead_score);
        if !f.job_title.is_empty() {
            head.subtitle.push(Cell::text(f.job_title.clone()));
        }
        if let Some(c) = &company {
            head.subtitle.push(match c.visible {
                true => Cell::Link {
                    href: record_href::<Companies>(CompanyId(c.id)),
                    text: c.name.clone(),
                },
                false => Cell::text(c.name.clone()),
            });
        }
        head.facts = party.header_facts(head.owner_fact(lang));
        head.facts
            .insert(1, ScoreFacts::badge(lang, &person.lead_score));
        head.actions.push((
            format!("/people/{}/convert", person.id.0),
            lang.t("deals-convert"),
        ));
        head.actions.push((
            format!("/quotes/new?person_id={}", person.id.0),
            lang.t("quotes-new-for"),
        ));
        let page = crate::page::Page::signed_in(who, "people-title", "people");
        let account = crate::ledger::side_card(
            state,
            who,
            &page,
            rehber_domain::ledger::Account::Person(person.id),
            company.is_some(),
        )
        .await?;
        let consents = crate::consents::side_card(state, who, &page, person.id).await?;
        Ok(PersonDetail {
            account,
            consents,
            birthday: f.birthday.map(|d| lang.date(d)).unwrap_or_default(),
            party,
            company,
            person,
        })
    }

    fn stored_form(_lang: Lang, person: &Person) -> PersonForm {
        let mut form = PersonForm::from(&person.fields);
        party::readable_phones(&mut form);
        form
    }

    fn new_form(query: &PageQuery) -> PersonForm {
        let mut form = PersonForm::blank();
        form.company_id = query.company_id.trim().to_string();
        form
    }

    async fn inputs(
        state: &AppState,
        who: &SignedIn,
        form: &PersonForm,
        pickers: bool,
    ) -> Result<PersonInputs, UiError> {
        let selected = form.company_id.trim().parse().ok().map(CompanyId);
        let companies = match pickers {
            true => company_choices(state, who, "", selected).await?,
            false => Vec::new(),
        };
        Ok(PersonInputs {
            party: PartyInputs::new(who.lang, form),
            companies,
        })
    }

    fn patch(input: &RecordInput, section: Section) -> rehber_domain::party::PersonPatch {
        input.person_patch(section)
    }

    fn facts(parts: FactParts<'_, People>) -> String {
        facts_html(parts)
    }

    fn form_fields(parts: FieldParts<'_, People>) -> String {
        fields_html(parts)
    }

    fn side(page: &Page, _head: &RecordHead, detail: &PersonDetail) -> String {
        html(&Side { page, d: detail })
    }
}

/// The person's company: its facts when the viewer may see it, else its name, and whether
/// it is in the trash.
async fn company_brief(
    state: &AppState,
    who: &SignedIn,
    id: CompanyId,
    person: &Person,
) -> Result<CompanyBrief, UiError> {
    match state.app.get::<Companies>(&who.actor(), id).await {
        Ok(c) => {
            let contact = FirstContact::of(&c.fields);
            Ok(CompanyBrief {
                id: id.0,
                name: c.fields.name.clone(),
                visible: true,
                deleted: false,
                industry: c.fields.industry.clone(),
                city: c.fields.address.city.clone(),
                phone: contact.phone,
                phone_e164: contact.phone_e164,
                website: c.fields.website.clone(),
            })
        }
        Err(e) if matches!(e.domain(), Some(Error::NotFound)) => Ok(CompanyBrief {
            id: id.0,
            name: person.company_name.clone().unwrap_or_default(),
            deleted: state.app.in_trash::<Companies>(id).await.ui(who)?,
            ..CompanyBrief::default()
        }),
        Err(e) => Err(UiError::signed_in(who, e)),
    }
}
