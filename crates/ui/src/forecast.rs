//! The forecast page: a month's or a quarter's target, closed won, commit, best case,
//! weighted pipeline and gap per rep and in total, drawn as a server-rendered SVG chart;
//! the open deals past their expected close, to fix; and the period's targets, which
//! administrators and sales managers add and remove here (the rules:
//! `rehber_app::forecast` and `rehber_app::targets`).

use crate::error::{UiError, UiResultExt, form_messages, render};
use crate::page::Page;
use crate::records::Choice;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use jiff::civil::Date;
use rehber_app::App;
use rehber_app::forecast::Forecast;
use rehber_charts::{BarChart, BarGroup, bar_chart};
use rehber_domain::target::{
    ForecastLine, PeriodKind, SalesTarget, TargetForm, TargetMetric, TargetSubject,
};
use rehber_domain::{Error, TeamId, UserId};
use rehber_web_core::auth::SignedIn;
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;
use serde::Deserialize;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports/forecast", get(forecast))
        .route("/targets", post(add_target))
        .route("/targets/{id}/delete", post(delete_target))
}

/// A subject as the page's address names it: `user:4`, `team:2`, `all`.
fn subject_key(subject: Option<TargetSubject>) -> String {
    match subject {
        Some(TargetSubject::User(user)) => format!("user:{}", user.0),
        Some(TargetSubject::Team(team)) => format!("team:{}", team.0),
        None => "all".into(),
    }
}

fn parse_subject(key: &str) -> Result<Option<Option<TargetSubject>>, Error> {
    let invalid = || Error::field("subject", "invalid-unknown-value");
    match key.trim() {
        "" => Ok(None),
        "all" => Ok(Some(None)),
        key => {
            let (kind, id) = key.split_once(':').ok_or_else(invalid)?;
            let id: i64 = id.parse().map_err(|_| invalid())?;
            match kind {
                "user" => Ok(Some(Some(TargetSubject::User(UserId(id))))),
                "team" => Ok(Some(Some(TargetSubject::Team(TeamId(id))))),
                _ => Err(invalid()),
            }
        }
    }
}

/// One line of the table as shown.
pub struct LineView {
    pub name: String,
    pub target: String,
    pub closed_won: String,
    pub commit: String,
    pub best_case: String,
    pub weighted: String,
    pub gap: String,
    /// The target is passed (the gap is shown as what is over it).
    pub passed: bool,
    pub won_count: String,
    pub new_customers: String,
}

/// An open deal past its expected close, as listed.
pub struct OverdueView {
    pub href: String,
    pub name: String,
    pub expected_close: String,
    pub late: String,
    pub amount: String,
}

/// A target as listed.
pub struct TargetView {
    pub id: i64,
    pub whose: String,
    pub metric: String,
    pub period: String,
    pub target: String,
    pub removable: bool,
}

#[derive(Template)]
#[template(path = "forecast/page.html")]
struct ForecastPage {
    page: Page,
    kind: String,
    date: String,
    subject: String,
    range: String,
    previous: String,
    next: String,
    subjects: Vec<Choice>,
    chart: String,
    total: LineView,
    rows: Vec<LineView>,
    notes: Vec<String>,
    overdue: Vec<OverdueView>,
    overdue_more: String,
    targets: Vec<TargetView>,
    may_set: bool,
    form: TargetForm,
    /// The subject chosen in the target form (`user:4`, `team:2`).
    whose: String,
    whose_choices: Vec<Choice>,
    metric_choices: Vec<Choice>,
    errors: HashMap<String, String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct ForecastQuery {
    period: String,
    date: String,
    subject: String,
    notice: Option<String>,
}

/// What the page shows: the period, whose, and a target form being filled in.
struct View {
    kind: PeriodKind,
    day: Date,
    subject: Option<TargetSubject>,
    /// Everyone was asked for (not the caller's default).
    all: bool,
}

fn line_view(lang: Lang, name: String, line: &ForecastLine) -> LineView {
    let money = |minor: i64| lang.money(minor, "TRY");
    let of_target = |value: i64, target: Option<i64>| match target {
        Some(target) => lang.t_args(
            "forecast-of-target",
            &[
                ("value", lang.number(value)),
                ("target", lang.number(target)),
            ],
        ),
        None => lang.number(value),
    };
    let gap = line.gap();
    LineView {
        name,
        target: line
            .target
            .map_or_else(|| lang.t("forecast-no-target"), money),
        closed_won: money(line.closed_won),
        commit: money(line.commit),
        best_case: money(line.best_case),
        weighted: money(line.weighted),
        gap: gap.map_or_else(String::new, |g| money(g.abs())),
        passed: gap.is_some_and(|g| g < 0),
        won_count: of_target(line.won_count, line.won_count_target),
        new_customers: of_target(line.new_customers, line.new_customers_target),
    }
}

/// The chart: a group per rep (and the total when there are several), bars for closed
/// won, commit, best case and weighted, the target as a line; lira on the axis.
fn chart(lang: Lang, forecast: &Forecast) -> String {
    let lira = |minor: i64| minor as f64 / 100.0;
    let group = |label: String, line: &ForecastLine| BarGroup {
        label,
        values: [line.closed_won, line.commit, line.best_case, line.weighted]
            .map(lira)
            .to_vec(),
        target: line.target.map(lira),
    };
    let mut groups: Vec<BarGroup> = forecast
        .rows
        .iter()
        .map(|r| group(row_name(lang, r.owner, &r.name), &r.line))
        .collect();
    if groups.len() != 1 {
        groups.push(group(lang.t("forecast-total"), &forecast.total));
    }
    let chart = BarChart {
        width: 880,
        height: 340,
        series: [
            "forecast-closed-won",
            "forecast-commit",
            "forecast-best-case",
            "forecast-weighted",
        ]
        .map(|k| lang.t(k))
        .to_vec(),
        target_label: lang.t("forecast-target"),
        groups,
    };
    let axis = |lira: f64| lang.number(lira.round() as i64);
    match bar_chart(&chart, &axis) {
        Ok(svg) => svg,
        Err(cause) => {
            tracing::warn!(%cause, "the forecast chart was not drawn");
            String::new()
        }
    }
}

fn row_name(lang: Lang, owner: Option<UserId>, name: &str) -> String {
    if owner.is_none() {
        lang.t("forecast-unassigned")
    } else {
        name.to_string()
    }
}

fn target_view(
    lang: Lang,
    target: &SalesTarget,
    names: &HashMap<String, String>,
    removable: bool,
) -> TargetView {
    let f = &target.fields;
    let whose = names
        .get(&subject_key(Some(f.subject)))
        .cloned()
        .unwrap_or_else(|| subject_key(Some(f.subject)));
    TargetView {
        id: target.id,
        whose,
        metric: lang.t(&format!("target-metric-{}", f.metric.as_str())),
        period: lang.t_args(
            "forecast-range",
            &[
                ("start", lang.date(f.period.start)),
                ("end", lang.date(f.period.end)),
            ],
        ),
        target: match &f.currency {
            Some(currency) => lang.money(f.target, currency),
            None => lang.number(f.target),
        },
        removable,
    }
}

async fn page(
    state: &AppState,
    who: &SignedIn,
    view: View,
    form: Option<TargetForm>,
    errors: HashMap<String, String>,
) -> Result<ForecastPage, UiError> {
    let lang = who.lang;
    let actor = who.actor();
    let app = &state.app;
    let forecast = app
        .forecast(&actor, view.kind, view.day, view.subject)
        .await
        .ui(who)?;
    let choices = app.forecast_choices(&actor).await.ui(who)?;
    let label = |subject: Option<TargetSubject>, name: &str| match subject {
        None => lang.t("forecast-everyone"),
        Some(TargetSubject::Team(_)) => {
            lang.t_args("target-team-prefix", &[("name", name.to_string())])
        }
        Some(TargetSubject::User(_)) => name.to_string(),
    };
    let names: HashMap<String, String> = choices
        .subjects
        .iter()
        .map(|(s, name)| (subject_key(*s), label(*s, name)))
        .collect();
    let subjects = choices
        .subjects
        .iter()
        .map(|(s, name)| Choice {
            value: subject_key(*s),
            label: label(*s, name),
        })
        .collect();
    let may_set = App::sets_targets(&actor);
    let mut whose_choices = Vec::new();
    for (subject, name) in &choices.subjects {
        if let Some(subject) = subject
            && may_set
            && app.may_set_target(&actor, *subject).await.ui(who)?
        {
            whose_choices.push(Choice {
                value: subject_key(Some(*subject)),
                label: label(Some(*subject), name),
            });
        }
    }
    let targets = app.targets(&actor, Some(forecast.period)).await.ui(who)?;
    let mut target_views = Vec::with_capacity(targets.len());
    for target in &targets {
        let removable = app
            .may_set_target(&actor, target.fields.subject)
            .await
            .ui(who)?;
        target_views.push(target_view(lang, target, &names, removable));
    }
    let mut notes = Vec::new();
    if forecast.total.unpriced > 0 {
        notes.push(lang.t_args(
            "forecast-unpriced",
            &[("count", lang.number(forecast.total.unpriced))],
        ));
    }
    if !forecast.missing_rates.is_empty() {
        notes.push(lang.t_args(
            "forecast-missing-rates",
            &[("currencies", forecast.missing_rates.join(", "))],
        ));
    }
    let today = app.today();
    let overdue = forecast
        .overdue
        .iter()
        .map(|deal| {
            let close = deal.fields.expected_close.unwrap_or(today);
            OverdueView {
                href: format!("/deals/{}/edit", deal.id.0),
                name: deal.fields.name.clone(),
                expected_close: lang.date(close),
                late: lang.t_args(
                    "forecast-overdue-days",
                    &[("days", lang.number(i64::from((today - close).get_days())))],
                ),
                amount: deal
                    .fields
                    .amount
                    .as_ref()
                    .map(|m| lang.money(m.minor, &m.currency))
                    .unwrap_or_default(),
            }
        })
        .collect::<Vec<_>>();
    let more = forecast.overdue_count - overdue.len() as i64;
    let overdue_more = if more > 0 {
        lang.t_args("forecast-overdue-more", &[("count", lang.number(more))])
    } else {
        String::new()
    };
    let period = forecast.period;
    let form = form.unwrap_or_else(|| TargetForm {
        period_start: period.start.to_string(),
        period_end: period.end.to_string(),
        metric: TargetMetric::WonAmount.as_str().into(),
        currency: "TRY".into(),
        ..TargetForm::default()
    });
    Ok(ForecastPage {
        page: Page::signed_in(who, "forecast-title", "forecast"),
        kind: view.kind.as_str().into(),
        date: view.day.to_string(),
        subject: if view.all {
            "all".into()
        } else {
            subject_key(forecast.subject)
        },
        range: lang.t_args(
            "forecast-range",
            &[
                ("start", lang.date(period.start)),
                ("end", lang.date(period.end)),
            ],
        ),
        previous: period.step(view.kind, -1).start.to_string(),
        next: period.step(view.kind, 1).start.to_string(),
        subjects,
        chart: chart(lang, &forecast),
        total: line_view(lang, lang.t("forecast-total"), &forecast.total),
        rows: forecast
            .rows
            .iter()
            .map(|r| line_view(lang, row_name(lang, r.owner, &r.name), &r.line))
            .collect(),
        notes,
        overdue,
        overdue_more,
        targets: target_views,
        may_set: may_set && !whose_choices.is_empty(),
        form,
        whose: String::new(),
        whose_choices,
        metric_choices: TargetMetric::ALL
            .iter()
            .map(|m| Choice {
                value: m.as_str().into(),
                label: lang.t(&format!("target-metric-{}", m.as_str())),
            })
            .collect(),
        errors,
    })
}

fn read_view(state: &AppState, query: &ForecastQuery) -> Result<View, Error> {
    let kind = match query.period.trim() {
        "" => PeriodKind::Quarter,
        text => PeriodKind::parse(text)
            .ok_or_else(|| Error::field("period", "invalid-unknown-value"))?,
    };
    let day = match query.date.trim() {
        "" => state.app.today(),
        text => text
            .parse()
            .map_err(|_| Error::field("date", "invalid-date"))?,
    };
    let asked = parse_subject(&query.subject)?;
    Ok(View {
        kind,
        day,
        subject: asked.flatten(),
        all: asked == Some(None),
    })
}

async fn forecast(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<ForecastQuery>,
) -> Result<Response, UiError> {
    let view = read_view(&state, &query).ui(&who)?;
    let mut shown = page(&state, &who, view, None, HashMap::new()).await?;
    shown.page = shown.page.with_notice_key(query.notice.as_deref());
    Ok(render(&shown))
}

/// The target form as posted: the subject as one choice (`user:4`, `team:2`), and where
/// to come back to.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct TargetPost {
    whose: String,
    metric: String,
    period_start: String,
    period_end: String,
    target: String,
    currency: String,
    back_period: String,
    back_date: String,
    back_subject: String,
}

/// The page a target form came from, read again (anything unreadable: this quarter).
fn back_view(state: &AppState, period: &str, date: &str, subject: &str) -> View {
    let query = ForecastQuery {
        period: period.into(),
        date: date.into(),
        subject: subject.into(),
        notice: None,
    };
    read_view(state, &query).unwrap_or(View {
        kind: PeriodKind::Quarter,
        day: state.app.today(),
        subject: None,
        all: false,
    })
}

fn address(view: &View, notice: &str) -> String {
    let subject = if view.subject.is_none() && !view.all {
        String::new()
    } else {
        subject_key(view.subject)
    };
    format!(
        "/reports/forecast?period={}&date={}&subject={subject}&notice={notice}",
        view.kind.as_str(),
        view.day
    )
}

async fn add_target(
    State(state): State<AppState>,
    who: SignedIn,
    Form(post): Form<TargetPost>,
) -> Result<Response, UiError> {
    let subject = parse_subject(&post.whose).ok().flatten().flatten();
    let (user_id, team_id) = match subject {
        Some(TargetSubject::User(user)) => (user.0.to_string(), String::new()),
        Some(TargetSubject::Team(team)) => (String::new(), team.0.to_string()),
        None => (String::new(), String::new()),
    };
    let form = TargetForm {
        period_start: post.period_start.clone(),
        period_end: post.period_end.clone(),
        user_id,
        team_id,
        metric: post.metric.clone(),
        target: post.target.clone(),
        currency: post.currency.clone(),
    };
    let back = back_view(
        &state,
        &post.back_period,
        &post.back_date,
        &post.back_subject,
    );
    let Err(e) = state.app.create_target(&who.actor(), &form).await else {
        return Ok(Redirect::to(&address(&back, "notice-target-added")).into_response());
    };
    let errors = match e.domain() {
        Some(Error::Conflict(what)) => Some(HashMap::from([(
            "period_start".to_string(),
            who.lang.t(&format!("invalid-state-{what}")),
        )])),
        _ => form_messages(who.lang, &e),
    };
    let Some(mut errors) = errors else {
        return Err(UiError::signed_in(&who, e));
    };
    // The subject is one choice on the page: its errors show there.
    for field in ["user_id", "team_id"] {
        if let Some(message) = errors.remove(field) {
            errors.insert("whose".into(), message);
        }
    }
    let mut shown = page(&state, &who, back, Some(form), errors).await?;
    shown.whose = post.whose;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&shown)).into_response())
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct BackPost {
    back_period: String,
    back_date: String,
    back_subject: String,
}

async fn delete_target(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Form(post): Form<BackPost>,
) -> Result<Response, UiError> {
    state.app.delete_target(&who.actor(), id).await.ui(&who)?;
    let back = back_view(
        &state,
        &post.back_period,
        &post.back_date,
        &post.back_subject,
    );
    Ok(Redirect::to(&address(&back, "notice-target-deleted")).into_response())
}
