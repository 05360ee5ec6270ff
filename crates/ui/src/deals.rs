//! Deal pages: what is a deal's own on the generic record pages
//! ([`crate::records::pages`]) — the columns, the deal and stage cards, the side card of its
//! company and person, and the pickers — and the routes of the board ([`crate::board`]).

use crate::error::{UiError, UiResultExt};
use crate::page::Page;
use crate::records::form::{RecordInput, Section};
use crate::records::list::SortHeader;
use crate::records::pages::{
    FactParts, FieldParts, PageQuery, PageTexts, RecordPages, html, page_texts, record_href,
};
use crate::records::picker::{self, company_choices, person_choices};
use crate::records::table::{Cell, Column};
use crate::records::view::{RecordEdit, RecordHead};
use crate::records::{CURRENCIES, Choice, Directory};
use askama::Template;
use axum::Router;
use axum::routing::get;
use rehber_app::PartySort;
use rehber_app::list::ListRequest;
use rehber_domain::deal::{Deal, DealForm, DealPatch, Deals, ForecastCategory};
use rehber_domain::party::{Companies, People};
use rehber_domain::pipeline::{Pipeline, StageKind};
use rehber_domain::{CompanyId, PersonId};
use rehber_web_core::auth::SignedIn;
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;

pub fn router() -> Router<AppState> {
    crate::records::pages::router::<Deals>()
        .route("/deals/person-options", get(picker::person_options))
        .merge(crate::board::router())
}

/// A record a deal links to, as its page shows it.
#[derive(Debug, Clone, Default)]
pub struct LinkBrief {
    pub name: String,
    /// Its page, when the viewer may open it.
    pub href: Option<String>,
}

/// What a deal's cards show beyond the head.
pub struct DealDetail {
    pub deal: Deal,
    pub pipeline: String,
    pub stage: String,
    /// `open`, `won` or `lost`.
    pub stage_kind: &'static str,
    pub lost_reason: String,
    pub amount: String,
    pub probability: String,
    pub expected_close: String,
    pub forecast: String,
    pub stage_since: String,
    pub rotting: bool,
    pub company: Option<LinkBrief>,
    pub person: Option<LinkBrief>,
    pub tags: Vec<String>,
}

/// A group of the stage select: a pipeline and its stages (`<pipeline>:<stage>` values).
pub struct StageGroup {
    pub label: String,
    pub stages: Vec<Choice>,
}

/// A deal form's inputs beyond the owner pickers.
pub struct DealInputs {
    pub stages: Vec<StageGroup>,
    /// The selected stage's value in the stage select.
    pub current_stage: String,
    pub reasons: Vec<Choice>,
    pub currencies: Vec<Choice>,
    pub forecasts: Vec<Choice>,
    pub companies: Vec<Choice>,
    pub people: Vec<Choice>,
    pub tags: String,
}

type DealEdit = RecordEdit<DealForm, DealInputs>;

#[derive(Template)]
#[template(path = "deals/facts.html")]
struct Facts<'a> {
    page: &'a Page,
    v: &'a RecordHead,
    d: &'a DealDetail,
    section: &'a str,
}

#[derive(Template)]
#[template(path = "deals/fields.html")]
struct Fields<'a> {
    page: &'a Page,
    fe: &'a DealEdit,
    section: &'a str,
}

#[derive(Template)]
#[template(path = "deals/side.html")]
struct Side<'a> {
    page: &'a Page,
    d: &'a DealDetail,
}

/// The localized name of a forecast category.
pub fn forecast_label(lang: Lang, category: ForecastCategory) -> String {
    lang.t(&format!("forecast-{}", category.as_str().replace('_', "-")))
}

/// An amount as read, with its currency; empty without one.
fn amount_text(lang: Lang, deal: &Deal) -> String {
    deal.fields
        .amount
        .as_ref()
        .map(|m| lang.money(m.minor, &m.currency))
        .unwrap_or_default()
}

impl RecordPages for Deals {
    const TEXTS: PageTexts = page_texts!("deals", "deal");
    const CARDS: &'static [Section] = &[
        Section::Profile,
        Section::Business,
        Section::Tags,
        Section::Notes,
    ];
    type Detail = DealDetail;
    type Inputs = DealInputs;
    const ACTIVITIES: Option<crate::activities::Host> = Some(crate::activities::Host {
        link: rehber_domain::activity::LinkType::Deal,
        base: "/deals",
        nav: "deals",
    });

    fn name(record: &Deal) -> String {
        record.fields.name.clone()
    }

    fn columns(lang: Lang, _sorted: &dyn Fn(PartySort, &str) -> SortHeader) -> Vec<Column> {
        vec![
            Column::plain("amount", lang.t("field-amount"), "num"),
            Column::plain("stage", lang.t("field-stage_id"), ""),
            Column::plain("expected_close", lang.t("field-expected_close"), "nowrap"),
            Column::plain("owner", lang.t("field-owner"), "col-md"),
        ]
    }

    fn cells(lang: Lang, directory: &Directory, deal: &Deal) -> Vec<Cell> {
        let f = &deal.fields;
        vec![
            Cell::text(amount_text(lang, deal)),
            Cell::text(directory.stage_name(f.stage_id)),
            Cell::When(f.expected_close.map(|d| lang.date(d)).unwrap_or_default()),
            Cell::text(directory.user_name(deal.ownership.owner_id)),
        ]
    }

    /// Deals have no lifecycle stage and no city (a leftover parameter is dropped, not
    /// refused).
    fn narrow(request: &mut ListRequest) {
        request.filter.lifecycle_stage = None;
        request.filter.city = None;
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
        deal: Deal,
        head: &mut RecordHead,
    ) -> Result<DealDetail, UiError> {
        let lang = who.lang;
        let actor = who.actor();
        let f = &deal.fields;
        let pipeline = state.app.pipeline(&actor, f.pipeline_id).await.ui(who)?;
        let stage = pipeline.stages.iter().find(|s| s.id == f.stage_id);
        let (stage_name, stage_kind, stage_probability) = stage
            .map(|s| (s.name.clone(), s.kind, s.probability))
            .unwrap_or((String::new(), StageKind::Open, 0));
        let rotting = stage.is_some_and(|s| s.rots(f.stage_entered_on, state.app.today()));
        let lost_reason = match f.lost_reason_id {
            Some(id) => state
                .app
                .lost_reasons(&actor)
                .await
                .ui(who)?
                .into_iter()
                .find(|r| r.id == id)
                .map(|r| r.name)
                .unwrap_or_default(),
            None => String::new(),
        };
        let company = match f.company_id {
            Some(id) => Some(match state.app.get::<Companies>(&actor, id).await {
                Ok(c) => LinkBrief {
                    name: c.fields.name,
                    href: Some(record_href::<Companies>(id)),
                },
                Err(_) => LinkBrief {
                    name: lang.t("deals-link-hidden"),
                    href: None,
                },
            }),
            None => None,
        };
        let person = match f.person_id {
            Some(id) => Some(match state.app.get::<People>(&actor, id).await {
                Ok(p) => LinkBrief {
                    name: p.fields.full_name(),
                    href: Some(record_href::<People>(id)),
                },
                Err(_) => LinkBrief {
                    name: lang.t("deals-link-hidden"),
                    href: None,
                },
            }),
            None => None,
        };
        let amount = amount_text(lang, &deal);
        let category = f
            .forecast_category
            .unwrap_or(ForecastCategory::of_stage(stage_kind));
        head.subtitle.push(Cell::Badge(
            stage_kind.as_str(),
            format!("{} · {stage_name}", pipeline.name),
        ));
        if let Some(c) = company.as_ref().or(person.as_ref()) {
            head.subtitle.push(match &c.href {
                Some(href) => Cell::Link {
                    href: href.clone(),
                    text: c.name.clone(),
                },
                None => Cell::text(c.name.clone()),
            });
        }
        head.facts = vec![head.owner_fact(lang)];
        if !amount.is_empty() {
            head.facts
                .push(Cell::Labelled(lang.t("field-amount"), amount.clone()));
        }
        if let Some(close) = f.expected_close {
            head.facts.push(Cell::Labelled(
                lang.t("field-expected_close"),
                lang.date(close),
            ));
        }
        head.actions.push((
            format!("/deals/board?pipeline_id={}", pipeline.id),
            lang.t("deals-open-board"),
        ));
        head.actions.push((
            format!("/quotes/new?deal_id={}", deal.id.0),
            lang.t("quotes-new-for"),
        ));
        Ok(DealDetail {
            pipeline: pipeline.name.clone(),
            stage: stage_name,
            stage_kind: stage_kind.as_str(),
            lost_reason,
            probability: format!("{} %", f.probability_or(stage_probability)),
            expected_close: f.expected_close.map(|d| lang.date(d)).unwrap_or_default(),
            forecast: forecast_label(lang, category),
            stage_since: lang.date(f.stage_entered_on),
            rotting,
            tags: f.tags.clone(),
            amount,
            company,
            person,
            deal,
        })
    }

    fn stored_form(lang: Lang, deal: &Deal) -> DealForm {
        let mut form = DealForm::from(&deal.fields);
        if let Some(amount) = &deal.fields.amount {
            form.amount = crate::custom::local_amount(lang, amount.minor);
        }
        form
    }

    fn new_form(query: &PageQuery) -> DealForm {
        let mut form = DealForm::blank();
        form.company_id = query.company_id.trim().to_string();
        form
    }

    async fn inputs(
        state: &AppState,
        who: &SignedIn,
        form: &DealForm,
        pickers: bool,
    ) -> Result<DealInputs, UiError> {
        let lang = who.lang;
        let actor = who.actor();
        let pipelines = state.app.pipelines(&actor).await.ui(who)?;
        let reasons = state.app.lost_reasons(&actor).await.ui(who)?;
        let current_reason = form.lost_reason_id.trim().parse::<i64>().ok();
        let mut currencies: Vec<Choice> = CURRENCIES.iter().map(|c| Choice::new(*c, *c)).collect();
        let typed = form.currency.trim().to_uppercase();
        if !typed.is_empty() && !CURRENCIES.contains(&typed.as_str()) {
            currencies.push(Choice::new(form.currency.clone(), form.currency.clone()));
        }
        let (companies, people) = match pickers {
            true => (
                company_choices(
                    state,
                    who,
                    "",
                    form.company_id.trim().parse().ok().map(CompanyId),
                )
                .await?,
                person_choices(
                    state,
                    who,
                    "",
                    form.person_id.trim().parse().ok().map(PersonId),
                )
                .await?,
            ),
            false => (Vec::new(), Vec::new()),
        };
        Ok(DealInputs {
            current_stage: current_stage(&pipelines, form),
            stages: stage_groups(lang, &pipelines),
            reasons: reasons
                .into_iter()
                .filter(|r| r.active || Some(r.id) == current_reason)
                .map(|r| Choice::new(r.id.to_string(), r.name))
                .collect(),
            currencies,
            forecasts: ForecastCategory::ALL
                .iter()
                .map(|c| Choice::new(c.as_str(), forecast_label(lang, *c)))
                .collect(),
            companies,
            people,
            tags: form.tags.join(", "),
        })
    }

    fn patch(input: &RecordInput, section: Section) -> DealPatch {
        input.deal_patch(section)
    }

    fn facts(parts: FactParts<'_, Deals>) -> String {
        html(&Facts {
            page: parts.page,
            v: parts.head,
            d: parts.detail,
            section: parts.section,
        })
    }

    fn form_fields(parts: FieldParts<'_, Deals>) -> String {
        html(&Fields {
            page: parts.page,
            fe: parts.fe,
            section: parts.section,
        })
    }

    fn side(page: &Page, _head: &RecordHead, detail: &DealDetail) -> String {
        html(&Side { page, d: detail })
    }
}

/// Every pipeline's stages, grouped, with the kind in each closed stage's label.
pub(crate) fn stage_groups(lang: Lang, pipelines: &[Pipeline]) -> Vec<StageGroup> {
    pipelines
        .iter()
        .map(|p| StageGroup {
            label: p.name.clone(),
            stages: p
                .stages
                .iter()
                .map(|s| {
                    let label = match s.kind {
                        StageKind::Open => s.name.clone(),
                        kind => format!(
                            "{} ({})",
                            s.name,
                            lang.t(&format!("stage-kind-{}", kind.as_str()))
                        ),
                    };
                    Choice::new(format!("{}:{}", p.id, s.id), label)
                })
                .collect(),
        })
        .collect()
}

/// The stage select's value for a form: its stage in its pipeline, else the first open
/// stage of the first pipeline (a new deal).
fn current_stage(pipelines: &[Pipeline], form: &DealForm) -> String {
    let stage = form.stage_id.trim();
    let pipeline = form.pipeline_id.trim();
    if !stage.is_empty() {
        let owner = pipelines
            .iter()
            .find(|p| p.stages.iter().any(|s| s.id.to_string() == stage))
            .map(|p| p.id.to_string())
            .unwrap_or_else(|| pipeline.to_string());
        return format!("{owner}:{stage}");
    }
    pipelines
        .iter()
        .find(|p| pipeline.is_empty() || p.id.to_string() == pipeline)
        .and_then(|p| {
            p.stages
                .iter()
                .find(|s| s.kind == StageKind::Open)
                .map(|s| format!("{}:{}", p.id, s.id))
        })
        .unwrap_or_default()
}
