//! `GET /api/council/sessions/{id}/live`: the session's view as server-sent events, one
//! `state` event with the whole view (`SessionView` JSON) now and after every change, for
//! the room's screen and anyone watching. Viewers share one view per node
//! (`participation::council::live`).

use std::convert::Infallible;

use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::WatchStream;

use crate::error::AppResult;
use crate::state::AppState;

#[utoipa::path(get, path = "/api/council/sessions/{id}/live", tag = "council", params(("id" = String, Path)),
    responses((status = 200, description = "text/event-stream: `state` events, each the session's view as JSON"),
        (status = 404, description = "no such session")))]
pub async fn get(
    app: State<AppState>,
    Path(id): Path<String>,
) -> AppResult<Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>>> {
    let id = crate::domain::ids::SessionId::parse(&id)
        .ok_or(crate::error::AppError::NotFound("session"))?
        .to_string();
    let rx = match app.council_live.watch_existing(&id) {
        Some(rx) => rx,
        None => {
            let s = crate::participation::council::session(&app, &id).await?;
            app.council_live.watch(&app, &s.id)
        }
    };
    let events = WatchStream::new(rx)
        .filter(|json| !json.is_empty())
        .map(|json| Ok(Event::default().event("state").data(&*json)));
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}
