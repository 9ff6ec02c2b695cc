//! The HTTP side of paper cards typed in with four eyes (`participation::paper`), shared by
//! every instrument's routes: each instrument's file declares its paths and request bodies
//! and calls these.

use axum::Json;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::error::{AppError, AppResult};
use crate::participation::paper::{self, Instrument, NewCard, Verdict};
use crate::state::AppState;
use crate::web::cursor;
use crate::web::extract::Requester;

fn clerk(who: &Requester) -> AppResult<&crate::domain::identity::Identity> {
    who.identity.as_ref().ok_or(AppError::Unauthenticated)
}

/// Types in a card: 201 with the card, pending until another clerk decides it.
pub async fn enter<I: Instrument>(
    app: &AppState,
    inst: &I,
    who: &Requester,
    id: &str,
    card: NewCard<'_>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let e = paper::enter(app, inst, clerk(who)?, id, card).await?;
    Ok((StatusCode::CREATED, Json(paper::view(&e))))
}

/// `{items, next}`: a subject's cards, oldest first, narrowed to `state`.
pub async fn list<I: Instrument>(
    app: &AppState,
    inst: &I,
    who: &Requester,
    id: &str,
    state: Option<&str>,
    after: Option<&str>,
    limit: Option<u64>,
) -> AppResult<Json<Value>> {
    let limit = cursor::limit(limit, 100, 500)?;
    let after = cursor::decode::<time::OffsetDateTime>(after)?;
    let rows = paper::list(app, inst, clerk(who)?, id, state, after, limit + 1).await?;
    let (page, next) = cursor::page(rows, limit, |e| (e.entered_at, e.id.clone()));
    let items: Vec<Value> = page.iter().map(paper::view).collect();
    Ok(Json(json!({ "items": items, "next": next })))
}

/// The second clerk's decision on a card.
pub async fn decide<I: Instrument>(
    app: &AppState,
    inst: &I,
    who: &Requester,
    id: &str,
    entry: &str,
    verdict: Verdict<'_>,
) -> AppResult<Json<Value>> {
    let e = paper::decide(app, inst, clerk(who)?, id, entry, verdict).await?;
    Ok(Json(paper::view(&e)))
}
