//! The deal board: a pipeline's stages as columns of cards, with each column's count, sum
//! and weighted sum in TRY, over the deals the viewer may see. A card dropped on another
//! column (SortableJS, `assets/board.js`) is saved at once through the same stage move as
//! the API's, with the version the card was drawn at: a stale card, or a lost stage without
//! a reason, goes back with the message. A lost stage asks for the reason and a won stage
//! for the final amount and close date, in a dialog, before anything is sent.

use crate::error::{UiError, UiResultExt, form_messages, render};
use crate::page::Page;
use crate::paths::path_id;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use rehber_app::deals::{BOARD_CARDS, Board, StageMove};
use rehber_domain::rate::rate_text;
use rehber_domain::{DealId, Error};
use rehber_web_core::auth::SignedIn;
use rehber_web_core::i18n::Lang;
use rehber_web_core::state::AppState;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/deals/board", get(show))
        .route("/deals/{id}/move", post(move_deal))
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct BoardQuery {
    pipeline_id: String,
    /// `columns`: only the columns (what a drop swaps in).
    part: String,
}

/// A card as drawn.
pub struct CardView {
    pub id: i64,
    pub version: i64,
    pub name: String,
    pub party: String,
    pub amount: String,
    /// The amount as the won dialog prefills it (`1.250,50` in Turkish), empty without one.
    pub amount_input: String,
    pub currency: String,
    pub close: String,
    pub close_input: String,
    pub owner: String,
    pub probability: u8,
    pub rotting: bool,
}

/// A column as drawn.
pub struct ColumnView {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    pub probability: u8,
    pub count: i64,
    pub total: String,
    pub weighted: String,
    pub unpriced: i64,
    /// More deals than cards shown (the column links to the filtered list).
    pub more: i64,
    pub cards: Vec<CardView>,
}

#[derive(Template)]
#[template(path = "deals/board_columns.html")]
struct Columns {
    page: Page,
    pipeline_id: i64,
    columns: Vec<ColumnView>,
}

#[derive(Template)]
#[template(path = "deals/board.html")]
struct BoardPage {
    page: Page,
    pipeline_id: i64,
    pipelines: Vec<(i64, String)>,
    columns: Vec<ColumnView>,
    /// "USD 42.4915 (4 Ara 2026)" for each rate used.
    rates: Vec<String>,
    missing_rates: String,
    reasons: Vec<(i64, String)>,
    today: String,
    may_write: bool,
}

fn columns(lang: Lang, board: Board, users: &crate::records::Directory) -> Vec<ColumnView> {
    let money = |minor: i64| lang.money(minor, "TRY");
    board
        .columns
        .into_iter()
        .map(|c| ColumnView {
            id: c.stage.id,
            name: c.stage.name.clone(),
            kind: c.stage.kind.as_str(),
            probability: c.stage.probability,
            count: c.count,
            total: money(c.total_minor),
            weighted: money(c.weighted_minor),
            unpriced: c.unpriced,
            more: c.count - c.cards.len() as i64,
            cards: c
                .cards
                .into_iter()
                .map(|card| {
                    let f = &card.deal.fields;
                    CardView {
                        id: card.deal.id.0,
                        version: card.deal.meta.version,
                        name: f.name.clone(),
                        party: card.party.clone(),
                        amount: f
                            .amount
                            .as_ref()
                            .map(|m| lang.money(m.minor, &m.currency))
                            .unwrap_or_default(),
                        amount_input: f
                            .amount
                            .as_ref()
                            .map(|m| crate::custom::local_amount(lang, m.minor))
                            .unwrap_or_default(),
                        currency: f
                            .amount
                            .as_ref()
                            .map_or_else(|| "TRY".into(), |m| m.currency.clone()),
                        close: f.expected_close.map(|d| lang.date(d)).unwrap_or_default(),
                        close_input: f.expected_close.map(|d| d.to_string()).unwrap_or_default(),
                        owner: users.user_name(card.deal.ownership.owner_id),
                        probability: card.probability,
                        rotting: card.rotting,
                    }
                })
                .collect(),
        })
        .collect()
}

/// The pipeline a request names, else the first.
async fn pipeline_of(
    state: &AppState,
    who: &SignedIn,
    typed: &str,
) -> Result<(i64, Vec<(i64, String)>), UiError> {
    let pipelines = state.app.pipelines(&who.actor()).await.ui(who)?;
    let names: Vec<(i64, String)> = pipelines.iter().map(|p| (p.id, p.name.clone())).collect();
    let chosen = typed.trim().parse::<i64>().ok();
    let id = match chosen {
        Some(id) if names.iter().any(|(p, _)| *p == id) => id,
        Some(_) => return Err(UiError::not_found(who)),
        None => names
            .first()
            .map(|(id, _)| *id)
            .ok_or_else(|| UiError::not_found(who))?,
    };
    Ok((id, names))
}

async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<BoardQuery>,
) -> Result<Response, UiError> {
    let lang = who.lang;
    let actor = who.actor();
    let (pipeline_id, pipelines) = pipeline_of(&state, &who, &query.pipeline_id).await?;
    let board = state
        .app
        .deal_board(&actor, pipeline_id, BOARD_CARDS)
        .await
        .ui(&who)?;
    let directory = crate::records::directory(&state, &who).await?;
    let page = Page::signed_in(&who, "deals-board-title", "deals");
    if query.part == "columns" {
        return Ok(render(&Columns {
            page,
            pipeline_id,
            columns: columns(lang, board, &directory),
        }));
    }
    let rates = board
        .rates
        .iter()
        .map(|(currency, day, rate)| {
            format!("{currency} {} ({})", rate_text(*rate), lang.date(*day))
        })
        .collect();
    let missing_rates = board.missing_rates.join(", ");
    let reasons = state
        .app
        .lost_reasons(&actor)
        .await
        .ui(&who)?
        .into_iter()
        .filter(|r| r.active)
        .map(|r| (r.id, r.name))
        .collect();
    Ok(render(&BoardPage {
        page,
        pipeline_id,
        pipelines,
        columns: columns(lang, board, &directory),
        rates,
        missing_rates,
        reasons,
        today: state.app.today().to_string(),
        may_write: actor
            .role
            .can_write(rehber_domain::access::RecordKind::Deal),
    }))
}

/// A drop as the board posts it.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct MoveForm {
    stage_id: String,
    version: String,
    lost_reason_id: String,
    lost_note: String,
    amount: String,
    expected_close: String,
}

/// Saves a drop. Answers 204 when saved (the board then redraws its columns), or the
/// refusal's message as text with its status: the card goes back and the message shows.
async fn move_deal(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<MoveForm>,
) -> Result<Response, UiError> {
    let lang = who.lang;
    let id = path_id(&who, &id)?;
    let Ok(stage_id) = form.stage_id.trim().parse::<i64>() else {
        return Ok(refusal(
            StatusCode::UNPROCESSABLE_ENTITY,
            lang.t("invalid-stage"),
        ));
    };
    let typed = |text: &str| Some(text.trim().to_string()).filter(|t| !t.is_empty());
    let step = StageMove {
        stage_id,
        lost_reason_id: form.lost_reason_id.trim().parse().ok(),
        lost_note: typed(&form.lost_note),
        amount: typed(&form.amount),
        currency: None,
        expected_close: typed(&form.expected_close),
        version: form.version.trim().parse().ok(),
    };
    match state.app.move_deal(&who.actor(), DealId(id), step).await {
        Ok(_) => Ok(StatusCode::NO_CONTENT.into_response()),
        Err(e) => match e.domain() {
            Some(Error::StaleVersion) => {
                Ok(refusal(StatusCode::CONFLICT, lang.t("deals-move-stale")))
            }
            Some(Error::NotFound) => Ok(refusal(StatusCode::NOT_FOUND, lang.t("deals-move-gone"))),
            Some(Error::Forbidden) => Ok(refusal(
                StatusCode::FORBIDDEN,
                lang.t("deals-move-forbidden"),
            )),
            _ => match form_messages(lang, &e) {
                Some(messages) => {
                    let mut lines: Vec<String> = messages.into_values().collect();
                    lines.sort();
                    Ok(refusal(StatusCode::UNPROCESSABLE_ENTITY, lines.join(" ")))
                }
                None => Err(UiError::signed_in(&who, e)),
            },
        },
    }
}

fn refusal(status: StatusCode, message: String) -> Response {
    (
        status,
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; charset=utf-8",
        )],
        message,
    )
        .into_response()
}
