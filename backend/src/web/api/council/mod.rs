//! `/api/council`: the council (issue 16 §2, §2b; docs/council.md). The committee's queue
//! and opinions, the calendar of sessions and their agendas, the session itself with its
//! electronic votes, the live view and the history. The rules live in
//! `participation::council`; these handlers only translate.
//!
//! Who may call what: the queue and opinions, the committee's members and the council
//! office; the calendar, the office (clerks of `council.office_unit`); signing in and
//! voting, the council's members for themselves; opening and closing votes, the session's
//! chair; reading a session, its agenda exports, named lists, history and live view,
//! anyone.

pub mod export;
pub mod history;
pub mod items;
pub mod live;
pub mod queue;
pub mod sessions;
pub mod votes;

use crate::error::AppResult;
use crate::participation::council::view::{SessionView, session_view};
use crate::state::AppState;

/// The session `id` as anyone sees it; 404 for an unknown one.
pub async fn view(app: &AppState, id: &str) -> AppResult<SessionView> {
    let s = crate::participation::council::session(app, id).await?;
    Ok(session_view(&app.db, &app.settings.council, &s).await?)
}
