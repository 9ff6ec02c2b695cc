//! `/konsole/konsultacje/{id}`: one consultation in the console. A councillor follows it:
//! phase, dates, participation online and on paper, links to its page as residents see it
//! (a draft's preview), its results and report, and its history. Its author and the
//! coordinator also publish it and moderate its comments; the coordinator (`admin`)
//! decides typed-in paper cards.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use super::super::{render, ui};
use crate::db::consultations as store;
use crate::domain::consultation::Phase;
use crate::error::AppResult;
use crate::participation::consultations::paper::{Answers, handles_paper};
use crate::participation::consultations::{
    content, coordinator, may_edit, moderation, phase_of, today, visible,
};
use crate::participation::paper;
use crate::state::AppState;
use crate::web::extract::Requester;

pub async fn get(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    axum::extract::RawQuery(q): axum::extract::RawQuery,
) -> AppResult<Response> {
    let me = coordinator(who.identity.as_ref())?;
    let saved = q.as_deref().is_some_and(|q| q.contains("zapisano="));
    let c = visible(&app, Some(me), &id).await?;
    let (body, _) = content(&app, &c).await?;
    let (online, paper_count) = store::count_by_channel(&app.db, &c.id).await?;
    let phase = phase_of(&c, today());
    let editor = may_edit(me, &c);
    let queue: Vec<Value> = if editor {
        moderation::queue(&app, Some(me), &id, None, 50)
            .await?
            .iter()
            .map(|(k, reasons)| json!({ "id": k.id, "anchor": k.anchor, "text": k.body, "status": k.status, "reports": reasons }))
            .collect()
    } else {
        Vec::new()
    };
    let cards: Vec<Value> = if handles_paper(me) && phase == Phase::Open {
        paper::list(&app, &Answers, me, &id, Some("pending"), None, 50)
            .await?
            .iter()
            .map(paper::view)
            .collect()
    } else {
        Vec::new()
    };
    // after closing, the report: every comment (but hidden ones) with its position
    let report_open = editor && phase == Phase::Closed;
    let comments: Vec<Value> = if report_open {
        store::comments(&app.db, &c.id, true)
            .await?
            .iter()
            .filter(|k| k.status != "hidden")
            .map(|k| json!({ "id": k.id, "anchor": k.anchor, "text": k.body, "position": k.position, "justification": k.justification }))
            .collect()
    } else {
        Vec::new()
    };
    let history: Vec<Value> = crate::db::participation_history::list(&app.db, &c.id)
        .await?
        .iter()
        .rev()
        .take(50)
        .map(|e| json!({ "at": e.at.format(&Rfc3339).unwrap_or_default(), "by": e.actor_name, "action": e.action, "detail": e.detail }))
        .collect();
    Ok(render(
        &app,
        StatusCode::OK,
        "console_consultation.html",
        &json!({
            "ui": ui(who.lang),
            "title": body.subject,
            "id": c.id,
            "kind": body.kind,
            "phase": phase.as_str(),
            "dates": body.dates,
            "online": online,
            "paper": paper_count,
            "editor": editor,
            "may_publish": editor && c.published_at.is_none(),
            "reported": c.reported_at.is_some(),
            "queue": queue,
            "cards": cards,
            "handles_paper": handles_paper(me),
            "history": history,
            "report_open": report_open,
            "may_edit": editor && phase.editable(),
            "paper_page": handles_paper(me) && phase == Phase::Open,
            "saved": saved,
            "comments": comments,
            "documents": crate::participation::consultations::documents::list_of(&app, &c)
                .await?
                .iter()
                .map(|d| crate::web::api::consultations::documents::document_view(d, who.lang))
                .collect::<Vec<_>>(),
        }),
    ))
}
