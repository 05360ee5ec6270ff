//! The writes of a kind's pages: create, update (a card inline or the full form), delete
//! and the bulk actions of the list. A refused save shows the form again with the user's
//! input, its messages, and the version it was loaded with.

use super::frames::{self, CardState};
use super::{RecordPages, edit, page, parse_id, view};
use crate::error::{UiError, UiResultExt, wants_partial};
use crate::records::form::{Editor, RecordInput, Section};
use crate::records::list::{BulkAction, BulkInput, outcome_params};
use crate::records::view::Basis;
use crate::records::{directory, form_status};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum_extra::extract::Form;
use rehber_app::list::BULK_LIMIT;
use rehber_domain::Error;
use rehber_web_core::auth::{SignedIn, redirect};
use rehber_web_core::state::AppState;

pub(super) async fn create<K: RecordPages>(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Form(input): Form<RecordInput>,
) -> Result<Response, UiError> {
    let actor = who.actor();
    let lang = who.lang;
    let patch = K::patch(&input, Section::All);
    let ownership = if actor.role.can_reassign() {
        input.ownership(None)
    } else {
        Ok(Default::default())
    };
    let result = match ownership {
        Ok(ownership) => state
            .app
            .create_with::<K>(&actor, patch.clone(), ownership, input.duplicates())
            .await
            .map_err(|e| Editor::from_error(lang, e).map(|ed| ed.under(K::BASE))),
        Err(fields) => Err(Ok(Editor::from_fields(lang, &fields))),
    };
    let editor = match result {
        Ok(record) => {
            let href = super::record_href::<K>(K::record_id(&record));
            let notice = K::TEXTS.created_notice;
            return Ok(redirect(&headers, &format!("{href}?notice={notice}")));
        }
        Err(Ok(editor)) => editor,
        Err(Err(e)) => return Err(UiError::signed_in(&who, e)),
    };
    let directory = directory(&state, &who).await?;
    let mut form = K::blank();
    K::apply(&mut form, patch);
    let basis = Basis::typed(&input.owner_id, &input.team_id, 0);
    let fe = edit::<K>(&state, &who, form, editor, &directory, basis, true).await?;
    let page = page::<K>(&who, K::TEXTS.new);
    Ok(frames::form_response::<K>(
        page,
        None,
        fe,
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

pub(super) async fn update<K: RecordPages>(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(input): Form<RecordInput>,
) -> Result<Response, UiError> {
    let id = parse_id::<K>(&who, &id)?;
    let actor = who.actor();
    let lang = who.lang;
    let Some(section) = input.section() else {
        return Err(UiError::not_found(&who));
    };
    let current = state.app.get::<K>(&actor, id).await.ui(&who)?;
    let patch = K::patch(&input, section);
    let whole_or_owner = matches!(section, Section::Ownership | Section::All);
    let ownership = if whole_or_owner && actor.role.can_reassign() {
        input.ownership(K::ownership(&current).team_id)
    } else {
        Ok(Default::default())
    };
    let result = match ownership {
        Ok(ownership) => state
            .app
            .update_with::<K>(
                &actor,
                id,
                (input.version(), input.duplicates()),
                patch.clone(),
                ownership,
            )
            .await
            .map_err(|e| Editor::from_error(lang, e).map(|ed| ed.under(K::BASE))),
        Err(fields) => Err(Ok(Editor::from_fields(lang, &fields))),
    };
    let inline = wants_partial(&headers) && section != Section::All;
    let directory = directory(&state, &who).await?;
    let editor = match result {
        Ok(record) if !in_view::<K>(&actor, &record) => {
            // Handed to someone outside the actor's reach: the record page would be "not
            // found", so say where it went.
            let notice = "notice-moved-out-of-view";
            return Ok(redirect(&headers, &format!("{}?notice={notice}", K::BASE)));
        }
        Ok(record) if inline => {
            // The card comes back shown, with the header and history out of band, so that
            // the page holds the new version everywhere.
            let (head, detail) = view::<K>(&state, &who, &actor, record, &directory).await?;
            let shown = CardState { section, oob: true };
            let page = page::<K>(&who, K::TEXTS.list);
            return Ok(frames::card::<K>(page, shown, head, detail, None));
        }
        Ok(_) => {
            let href = super::record_href::<K>(id);
            return Ok(redirect(&headers, &format!("{href}?notice=notice-saved")));
        }
        Err(Err(e)) => return Err(UiError::signed_in(&who, e)),
        Err(Ok(editor)) => editor,
    };
    let status = if editor.stale {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut form = K::stored_form(lang, &current);
    K::apply(&mut form, patch);
    // The user's version stays in the form: saving again after a conflict must be a
    // deliberate choice after reloading, never a silent overwrite.
    let version = input.version().unwrap_or(K::meta(&current).version);
    let basis = if whole_or_owner {
        Basis::typed(&input.owner_id, &input.team_id, version)
    } else {
        Basis::stored(K::ownership(&current), version)
    };
    let pickers = !inline || section == Section::Profile;
    let fe = edit::<K>(&state, &who, form, editor, &directory, basis, pickers).await?;
    let (head, detail) = view::<K>(&state, &who, &actor, current, &directory).await?;
    if inline {
        let card = CardState {
            section,
            oob: false,
        };
        let page = page::<K>(&who, K::TEXTS.list);
        let mut response = frames::card::<K>(page, card, head, detail, Some(fe));
        *response.status_mut() = form_status(&headers, status);
        return Ok(response);
    }
    let mut page = page::<K>(&who, K::TEXTS.edit);
    page.title = format!("{} · {}", head.name, page.title);
    Ok(frames::form_response::<K>(page, Some(head), fe, status))
}

/// Every record the list's filters match, through the actor's scope; `None` when there are
/// more than one bulk action may change.
async fn matching_ids<K: RecordPages>(
    state: &AppState,
    who: &SignedIn,
    input: &BulkInput,
) -> Result<Option<Vec<K::Id>>, UiError> {
    let actor = who.actor();
    let (mut request, mut problems) =
        crate::records::list::list_request(who.lang, Some(&input.return_to));
    K::narrow(&mut request);
    crate::custom::checked_request::<K>(state, who, &mut request, &mut problems).await?;
    request.page.after = None;
    request.page.limit = 200;
    let mut ids = Vec::new();
    loop {
        let page = state.app.list::<K>(&actor, &request).await.ui(who)?;
        ids.extend(page.items.iter().map(|r| K::record_id(r)));
        if ids.len() > BULK_LIMIT {
            return Ok(None);
        }
        match page.next_cursor {
            Some(cursor) => request.page.after = Some(cursor),
            None => return Ok(Some(ids)),
        }
    }
}

/// Whether the actor still sees a record they have just saved.
fn in_view<K: RecordPages>(actor: &rehber_domain::Actor, record: &K::Record) -> bool {
    let ownership = K::ownership(record);
    actor.sees(K::ACCESS, ownership.owner_id, ownership.team_id)
}

pub(super) async fn delete<K: RecordPages>(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let id = parse_id::<K>(&who, &id)?;
    state.app.delete::<K>(&who.actor(), id).await.ui(&who)?;
    let notice = K::TEXTS.deleted_notice;
    Ok(redirect(&headers, &format!("{}?notice={notice}", K::BASE)))
}

pub(super) async fn bulk<K: RecordPages>(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Form(input): Form<BulkInput>,
) -> Result<Response, UiError> {
    let actor = who.actor();
    let back = |extra: &str| redirect(&headers, &input.return_href(K::BASE, extra));
    let ids: Vec<K::Id> = if input.all_matching() {
        match matching_ids::<K>(&state, &who, &input).await? {
            Some(ids) => ids,
            None => return Ok(back("notice=notice-bulk-too-many")),
        }
    } else {
        input.ids().into_iter().map(K::id).collect()
    };
    if ids.is_empty() {
        return Ok(back("notice=notice-bulk-none-selected"));
    }
    let action = match input.action() {
        Ok(action) => action,
        Err(key) => return Ok(back(&format!("notice={key}"))),
    };
    let result = match &action {
        BulkAction::Assign(owner) => state.app.bulk_assign::<K>(&actor, &ids, *owner).await,
        BulkAction::Tag(tag) => state.app.bulk_tag::<K>(&actor, &ids, tag).await,
        BulkAction::Delete => state.app.bulk_delete::<K>(&actor, &ids).await,
    };
    match result {
        Ok(outcome) => {
            let mut params = outcome_params(&action, outcome);
            if let BulkAction::Assign(owner) = &action
                && !directory(&state, &who)
                    .await?
                    .stays_in_view(&actor, K::ACCESS, *owner)
            {
                params = params.replace("done=assign", "done=assign-away");
            }
            Ok(back(&params))
        }
        Err(e) => match e.domain() {
            Some(Error::Forbidden) => Ok(back("notice=notice-bulk-forbidden")),
            Some(Error::Validation(_)) => Ok(back("notice=notice-bulk-tag-required")),
            _ => Err(UiError::signed_in(&who, e)),
        },
    }
}
