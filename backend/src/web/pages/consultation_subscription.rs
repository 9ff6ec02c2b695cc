//! `/konsultacje/subskrypcja/{token}`: the unsubscribe link of announcement e-mails. The
//! link shows a button; only the button's POST ends the subscription (reading never
//! changes state, so a mail scanner opening the link unsubscribes nobody).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::{message_page, render, ui};
use crate::error::AppResult;
use crate::participation::consultations::subscriptions;
use crate::state::AppState;
use crate::web::extract::Requester;

pub async fn get(
    app: State<AppState>,
    who: Requester,
    Path(token): Path<String>,
) -> AppResult<Response> {
    Ok(render(
        &app,
        StatusCode::OK,
        "consultation_unsubscribe.html",
        &json!({ "ui": ui(who.lang), "title": "Rezygnacja z zawiadomień o konsultacjach", "token": token }),
    ))
}

pub async fn post(
    app: State<AppState>,
    who: Requester,
    Path(token): Path<String>,
) -> AppResult<Response> {
    subscriptions::unsubscribe(&app, &token).await?;
    Ok(message_page(
        &app,
        who.lang,
        StatusCode::OK,
        "Zrezygnowano z zawiadomień",
        "Nie będziemy już wysyłać zawiadomień o konsultacjach na ten adres.",
    ))
}
