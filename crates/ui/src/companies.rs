//! Company pages: what is a company's own on the generic record pages
//! ([`crate::records::pages`]) — the columns, the profile and business cards, and the
//! card of its people (through `company_people`, which applies the people scope).

use crate::custom::UiKind;
use crate::error::{UiError, UiResultExt};
use crate::page::Page;
use crate::records::form::{RecordInput, Section};
use crate::records::list::SortHeader;
use crate::records::pages::{FactParts, FieldParts, PageTexts, RecordPages, html, page_texts};
use crate::records::party::{
    self, FirstContact, PartyFacts, PartyInputs, ScoreFacts, party_templates,
};
use crate::records::table::{Cell, Column};
use crate::records::view::{RecordEdit, RecordHead};
use crate::records::{self, CURRENCIES, Choice, Directory};
use askama::Template;
use axum::Router;
use rehber_app::PartySort;
use rehber_app::list::ListRequest;
use rehber_domain::party::{Companies, Company, CompanyForm, CompanyPatch, People};
use rehber_web_core::auth::SignedIn;
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;

pub fn router() -> Router<AppState> {
    records::pages::router::<Companies>()
}

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

/// What a company's cards show beyond the head.
pub struct CompanyDetail {
    pub company: Company,
    pub party: PartyFacts,
    pub size_label: String,
    pub revenue: String,
    pub people: Vec<PersonBrief>,
    /// More people than shown (the card links to the filtered list).
    pub people_more: bool,
    /// The "Cari hesap" card, rendered.
    pub account: String,
}

/// A company form's inputs beyond the owner pickers.
pub struct CompanyInputs {
    pub party: PartyInputs,
    pub sizes: Vec<Choice>,
    pub currencies: Vec<Choice>,
}

type CompanyEdit = RecordEdit<CompanyForm, CompanyInputs>;

party_templates!(
    kind = Companies,
    detail = CompanyDetail,
    edit = CompanyEdit,
    facts = "companies/facts.html",
    fields = "companies/fields.html"
);

#[derive(Template)]
#[template(path = "companies/side.html")]
struct Side<'a> {
    page: &'a Page,
    v: &'a RecordHead,
    d: &'a CompanyDetail,
}

/// People shown on a company page before "show all".
const PEOPLE_SHOWN: usize = 50;

impl RecordPages for Companies {
    const TEXTS: PageTexts = page_texts!("companies", "company");
    const CARDS: &'static [Section] = &[
        Section::Profile,
        Section::Contact,
        Section::Qualification,
        Section::Business,
        Section::Address,
        Section::Tags,
        Section::Notes,
    ];
    type Detail = CompanyDetail;
    type Inputs = CompanyInputs;
    const ACTIVITIES: Option<crate::activities::Host> = Some(crate::activities::Host {
        link: rehber_domain::activity::LinkType::Company,
        base: "/companies",
        nav: "companies",
    });

    fn name(record: &Company) -> String {
        record.fields.name.clone()
    }

    fn columns(lang: Lang, sorted: &dyn Fn(PartySort, &str) -> SortHeader) -> Vec<Column> {
        vec![
            Column::sorted("city", sorted(PartySort::City, "field-city"), ""),
            Column::plain("industry", lang.t("field-industry"), "col-sm"),
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
            Column::plain("tax_number", lang.t("records-tax-number-short"), "col-wide"),
            Column::plain("owner", lang.t("field-owner"), "col-md"),
        ]
    }

    fn cells(lang: Lang, directory: &Directory, company: &Company) -> Vec<Cell> {
        let f = &company.fields;
        let tax_number = f.tax_number.as_ref().map(|v| v.to_string());
        let [balance, overdue] = directory.receivable_cells(lang, company.id.0);
        vec![
            Cell::text(f.address.city.clone()),
            Cell::text(f.industry.clone()),
            Cell::Badge(
                f.lifecycle_stage.as_str(),
                lang.t(&format!("lifecycle-{}", f.lifecycle_stage)),
            ),
            ScoreFacts::badge(lang, &company.lead_score),
            balance,
            overdue,
            Cell::Mono(tax_number.unwrap_or_default()),
            Cell::text(directory.user_name(company.ownership.owner_id)),
        ]
    }

    /// Companies do not belong to companies.
    fn narrow(request: &mut ListRequest) {
        request.filter.company = None;
    }

    async fn detail(
        state: &AppState,
        who: &SignedIn,
        company: Company,
        head: &mut RecordHead,
    ) -> Result<CompanyDetail, UiError> {
        let lang = who.lang;
        let people = state
            .app
            .company_people(&who.actor(), company.id)
            .await
            .ui(who)?;
        let people_more = people.items.len() > PEOPLE_SHOWN || people.next_cursor.is_some();
        let people = people
            .items
            .into_iter()
            .take(PEOPLE_SHOWN)
            .map(|p| {
                let contact = FirstContact::of(&p.fields);
                PersonBrief {
                    id: p.id.0,
                    name: p.fields.full_name(),
                    job_title: p.fields.job_title.clone(),
                    email: contact.email,
                    phone: contact.phone,
                    phone_e164: contact.phone_e164,
                    stage: p.fields.lifecycle_stage.as_str(),
                    stage_label: lang.t(&format!("lifecycle-{}", p.fields.lifecycle_stage)),
                }
            })
            .collect();
        let f = &company.fields;
        let party = PartyFacts::new(lang, f).with_score(lang, &company.lead_score);
        let size_label = f
            .size
            .map(|s| records::size_label(lang, s.as_str()))
            .unwrap_or_default();
        head.subtitle = [f.industry.clone(), size_label.clone()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(Cell::Text)
            .collect();
        head.facts = party.header_facts(head.owner_fact(lang));
        head.facts
            .insert(1, ScoreFacts::badge(lang, &company.lead_score));
        head.facts.push(Cell::Web(f.website.clone()));
        head.actions.push((
            format!("{}/new?company_id={}", People::BASE, company.id.0),
            lang.t("companies-add-person"),
        ));
        head.actions.push((
            format!("/companies/{}/convert", company.id.0),
            lang.t("deals-convert"),
        ));
        head.actions.push((
            format!("/quotes/new?company_id={}", company.id.0),
            lang.t("quotes-new-for"),
        ));
        let page = crate::page::Page::signed_in(who, "companies-title", "companies");
        let account = crate::ledger::side_card(
            state,
            who,
            &page,
            rehber_domain::ledger::Account::Company(company.id),
            false,
        )
        .await?;
        Ok(CompanyDetail {
            account,
            revenue: f
                .annual_revenue
                .as_ref()
                .map(|m| lang.money(m.minor, &m.currency))
                .unwrap_or_default(),
            size_label,
            party,
            people,
            people_more,
            company,
        })
    }

    fn stored_form(lang: Lang, company: &Company) -> CompanyForm {
        let mut form = CompanyForm::from(&company.fields);
        party::readable_phones(&mut form);
        if let Some(revenue) = &company.fields.annual_revenue {
            // Edited as read: `15.250.800.000,00` in Turkish (Money::parse reads both).
            form.annual_revenue = crate::custom::local_amount(lang, revenue.minor);
        }
        form
    }

    async fn inputs(
        _state: &AppState,
        who: &SignedIn,
        form: &CompanyForm,
        _pickers: bool,
    ) -> Result<CompanyInputs, UiError> {
        let mut currencies: Vec<Choice> = CURRENCIES.iter().map(|c| Choice::new(*c, *c)).collect();
        let typed = form.currency.trim().to_uppercase();
        if !typed.is_empty() && !CURRENCIES.contains(&typed.as_str()) {
            currencies.push(Choice::new(form.currency.clone(), form.currency.clone()));
        }
        Ok(CompanyInputs {
            party: PartyInputs::new(who.lang, form),
            sizes: records::size_choices(who.lang),
            currencies,
        })
    }

    fn patch(input: &RecordInput, section: Section) -> CompanyPatch {
        input.company_patch(section)
    }

    fn facts(parts: FactParts<'_, Companies>) -> String {
        facts_html(parts)
    }

    fn form_fields(parts: FieldParts<'_, Companies>) -> String {
        fields_html(parts)
    }

    fn side(page: &Page, head: &RecordHead, detail: &CompanyDetail) -> String {
        html(&Side {
            page,
            v: head,
            d: detail,
        })
    }
}
