//! The clerks' case API: the queue, one case, its history, and actions.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use crate::casework::{self, Access, ActionRequest};
use crate::db::cases::{self, QueueFilter};
use crate::db::entity::{case_event, case_file};
use crate::domain::case::Status;
use crate::domain::clock;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::cursor;
use crate::web::extract::{ApiJson, Requester};

pub fn case_json(c: &case_file::Model) -> Value {
    let today = clock::in_poland(time::OffsetDateTime::now_utc()).date();
    let status = Status::parse(&c.status);
    json!({
        "sign": c.sign,
        "register_no": format!("{}/{}", c.register_no, c.year),
        "unit": c.unit,
        "jrwa": c.jrwa,
        "service_id": c.service_id,
        "submission_id": c.submission_id,
        "status": c.status,
        "status_label": status.map(Status::label_pl),
        "outcome": c.outcome,
        "assignee": c.assignee,
        "term": c.term,
        "started_on": c.started_on.to_string(),
        "due_on": c.due_on.to_string(),
        "days_left": (c.due_on - today).whole_days(),
        "overdue": status.is_some_and(Status::is_open) && c.due_on < today,
        "paused_since": c.paused_since.map(|d| d.to_string()),
        "paused_days": c.paused_days,
        "version": c.version,
        "filed_at": c.filed_at.format(&Rfc3339).unwrap_or_default(),
    })
}

pub fn event_json(e: &case_event::Model) -> Value {
    json!({
        "seq": e.seq,
        "at": e.at.format(&Rfc3339).unwrap_or_default(),
        "actor": e.actor,
        "actor_name": e.actor_name,
        "position": e.position,
        "action": e.action,
        "status": e.status,
        "detail": serde_json::from_str::<Value>(&e.detail).unwrap_or(Value::Null),
        "document_id": e.document_id,
        "hash": e.hash,
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct QueueQuery {
    /// A case status; empty or absent for every one.
    #[param(
        pattern = "^(registered|assigned|in_progress|awaiting_applicant|suspended|decided|closed|archived)?$"
    )]
    pub status: Option<String>,
    pub service: Option<String>,
    /// Only open cases past their due date.
    pub overdue: Option<bool>,
    /// Only open cases due within 7 days.
    pub due_this_week: Option<bool>,
    /// Only cases assigned to me.
    pub mine: Option<bool>,
    /// An administrator or API client may pick a unit.
    pub unit: Option<String>,
    #[param(pattern = "^[A-Za-z0-9_-]*$")]
    pub after: Option<String>,
    /// 1 to 200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
}

/// A work queue sorted by deadline, keyset-paged.
#[utoipa::path(get, path = "/api/cases", tag = "cases", params(QueueQuery),
    responses((status = 200, description = "`{items, next}`"), (status = 401, description = "not logged in"),
        (status = 403, description = "not staff, or an API client without `cases:read`")))]
pub async fn list(
    app: State<AppState>,
    who: Requester,
    Query(q): Query<QueueQuery>,
) -> AppResult<Json<Value>> {
    let access = casework::access(&app, &who, false)?;
    let (page, next) = queue_page(&app, &access, &q).await?;
    Ok(Json(json!({
        "items": page.iter().map(case_json).collect::<Vec<_>>(),
        "next": next,
    })))
}

/// One page of the requester's queue and the cursor of the next; shared by the API and the
/// clerks' page.
pub async fn queue_page(
    app: &AppState,
    access: &Access,
    q: &QueueQuery,
) -> AppResult<(Vec<case_file::Model>, Option<String>)> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(AppError::bad_request(
            "limit",
            "`limit` musi mieć wartość od 1 do 200.",
        ));
    }
    let status = q.status.as_deref().filter(|s| !s.is_empty());
    if let Some(s) = status
        && Status::parse(s).is_none()
    {
        return Err(AppError::bad_request(
            "status",
            format!("`{s}` nie jest statusem sprawy."),
        ));
    }
    let after = cursor::decode::<time::Date>(q.after.as_deref())?;
    let today = clock::in_poland(time::OffsetDateTime::now_utc()).date();
    let units: Option<Vec<String>> = match access {
        Access::All { .. } => q.unit.clone().filter(|u| !u.is_empty()).map(|u| vec![u]),
        Access::Unit { unit, .. } => Some(vec![unit.clone()]),
    };
    let actor = access.actor().id.clone();
    let (assignee, or_unassigned) = match access {
        _ if q.mine == Some(true) => (Some(actor.as_str()), false),
        Access::Unit {
            supervisor: false, ..
        } => (Some(actor.as_str()), true),
        _ => (None, false),
    };
    let mut rows = cases::queue(
        &app.db,
        QueueFilter {
            units: units.as_deref(),
            status,
            service: q.service.as_deref().filter(|s| !s.is_empty()),
            assignee,
            or_unassigned,
            due_before: (q.overdue == Some(true)).then_some(today),
            due_by: (q.due_this_week == Some(true)).then(|| today + time::Duration::days(7)),
        },
        after,
        limit + 1,
    )
    .await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let next = if more {
        rows.last().map(|c| cursor::encode(&c.due_on, &c.id))
    } else {
        None
    };
    Ok((rows, next))
}

/// One case with its submission and history.
#[utoipa::path(get, path = "/api/cases/{sign}", tag = "cases", params(("sign" = String, Path, description = "e.g. FN.3120.17.2026")),
    responses((status = 403, description = "a resident's session (cases are the office's), or a client without `cases:read`"), (status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "the case, its submission data and history"), (status = 404, description = "no such case of yours")))]
pub async fn get(
    app: State<AppState>,
    who: Requester,
    Path(sign): Path<String>,
) -> AppResult<Json<Value>> {
    let access = casework::access(&app, &who, false)?;
    let case = casework::visible_case(&app, &access, &sign).await?;
    let submission = crate::db::submissions::by_id(&app.db, &case.submission_id).await?;
    let history = cases::history(&app.db, &case.id).await?;
    let mut v = case_json(&case);
    if let Some(s) = submission {
        v["submission"] = json!({
            "id": s.id,
            "service_version": s.service_version,
            "definition_hash": s.definition_hash,
            "receipt_id": s.receipt_id,
            "applicant": serde_json::from_str::<Value>(&s.applicant).unwrap_or(Value::Null),
            "data": serde_json::from_str::<Value>(&s.data).unwrap_or(Value::Null),
        });
    }
    v["history"] = history.iter().map(event_json).collect();
    v["history_intact"] = json!(cases::first_broken(&history).is_none());
    Ok(Json(v))
}

/// The case history (metryka sprawy), oldest first, each entry chained by hash.
#[utoipa::path(get, path = "/api/cases/{sign}/history", tag = "cases", params(("sign" = String, Path)),
    responses((status = 403, description = "a resident's session (cases are the office's), or a client without `cases:read`"), (status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "`{entries, intact, first_broken}`"), (status = 404, description = "no such case of yours")))]
pub async fn history(
    app: State<AppState>,
    who: Requester,
    Path(sign): Path<String>,
) -> AppResult<Json<Value>> {
    let access = casework::access(&app, &who, false)?;
    let case = casework::visible_case(&app, &access, &sign).await?;
    let events = cases::history(&app.db, &case.id).await?;
    let broken = cases::first_broken(&events);
    Ok(Json(json!({
        "sign": case.sign,
        "entries": events.iter().map(event_json).collect::<Vec<_>>(),
        "intact": broken.is_none(),
        "first_broken": broken,
    })))
}

/// Acts on a case: assign, take, start, call_to_supplement, supplemented, decide, close,
/// archive, transfer, reopen, extend, note.
#[utoipa::path(post, path = "/api/cases/{sign}/actions/{action}", tag = "cases",
    params(("sign" = String, Path), ("action" = String, Path, pattern = "^(assign|take|start|call_to_supplement|supplemented|decide|close|archive|transfer|reopen|extend|fee_notice|suspend|resume|join|note)$")), request_body = ActionRequest,
    responses((status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "the case after the action"), (status = 400, description = "missing or bad fields"),
        (status = 403, description = "not allowed for this person"), (status = 404, description = "no such case of yours"),
        (status = 409, description = "not allowed in the case's state, or the case changed meanwhile (stale version)")))]
pub async fn act(
    app: State<AppState>,
    who: Requester,
    Path((sign, action)): Path<(String, String)>,
    ApiJson(body): ApiJson<ActionRequest>,
) -> AppResult<Json<Value>> {
    let case = casework::act(&app, &who, &sign, &action, body).await?;
    Ok(Json(case_json(&case)))
}

/// A CSV field: quoted when it holds a separator, quote or line break; formula-looking
/// text gets a leading apostrophe so spreadsheets do not run it.
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The history in the column layout of the metryka sprawy form (Lp., osoba, stanowisko,
/// data, czynność, identyfikator dokumentu), as CSV with `;` for Polish spreadsheets.
#[utoipa::path(get, path = "/api/cases/{sign}/history.csv", tag = "cases", params(("sign" = String, Path)),
    responses((status = 403, description = "a resident's session (cases are the office's), or a client without `cases:read`"), (status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "text/csv"), (status = 404, description = "no such case of yours")))]
pub async fn history_csv(
    app: State<AppState>,
    who: Requester,
    Path(sign): Path<String>,
) -> AppResult<axum::response::Response> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let access = casework::access(&app, &who, false)?;
    let case = casework::visible_case(&app, &access, &sign).await?;
    let events = cases::history(&app.db, &case.id).await?;
    let mut out = String::from(
        "Lp.;Imię i nazwisko;Stanowisko;Data wykonania czynności;Wykonana czynność;Identyfikator dokumentu\r\n",
    );
    for e in &events {
        let detail: Value = serde_json::from_str(&e.detail).unwrap_or(Value::Null);
        let what = match detail.get("reason").and_then(Value::as_str) {
            Some(r) => format!("{}: {r}", e.action),
            None => e.action.clone(),
        };
        let at = clock::in_poland(e.at)
            .format(&time::macros::format_description!(
                "[year]-[month]-[day] [hour]:[minute]"
            ))
            .unwrap_or_default();
        let row = [
            e.seq.to_string(),
            e.actor_name.clone(),
            e.position.clone(),
            at,
            what,
            e.document_id.clone().unwrap_or_default(),
        ];
        out.push_str(
            &row.iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(";"),
        );
        out.push_str("\r\n");
    }
    let file = format!("attachment; filename=\"metryka-{}.csv\"", case.sign);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, file),
        ],
        // a byte-order mark so spreadsheets read UTF-8
        format!("\u{feff}{out}"),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(super::csv_field("zwykły"), "zwykły");
        assert_eq!(super::csv_field("a;b"), "\"a;b\"");
        assert_eq!(
            super::csv_field("powiedział \"tak\""),
            "\"powiedział \"\"tak\"\"\""
        );
        assert_eq!(super::csv_field("=SUM(A1)"), "'=SUM(A1)");
    }
}

/// The file name a case document downloads as.
pub fn document_file_name(doc: &crate::db::entity::case_document::Model) -> String {
    format!("{}-{}.pdf", doc.kind, &doc.id[..8.min(doc.id.len())])
}

/// A PDF download named `name`.
pub fn pdf_response(name: &str, bytes: bytes::Bytes) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (
                header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static("application/pdf"),
            ),
            (
                header::CONTENT_DISPOSITION,
                crate::web::disposition::header("inline", name),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// A letter or document of the case, as PDF.
#[utoipa::path(get, path = "/api/cases/{sign}/documents/{id}", tag = "cases",
    params(("sign" = String, Path), ("id" = String, Path)),
    responses((status = 403, description = "a resident's session (cases are the office's), or a client without `cases:read`"), (status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "application/pdf"), (status = 404, description = "no such case or document of yours")))]
pub async fn document(
    app: State<AppState>,
    who: Requester,
    Path((sign, id)): Path<(String, String)>,
) -> AppResult<axum::response::Response> {
    let access = casework::access(&app, &who, false)?;
    let case = casework::visible_case(&app, &access, &sign).await?;
    let (doc, bytes) = casework::document_bytes(&app, &case, &id).await?;
    Ok(pdf_response(&document_file_name(&doc), bytes))
}

/// The history as a PDF: the metryka sprawy form, one entry per block.
#[utoipa::path(get, path = "/api/cases/{sign}/history.pdf", tag = "cases", params(("sign" = String, Path)),
    responses((status = 403, description = "a resident's session (cases are the office's), or a client without `cases:read`"), (status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "application/pdf"), (status = 404, description = "no such case of yours")))]
pub async fn history_pdf(
    app: State<AppState>,
    who: Requester,
    Path(sign): Path<String>,
) -> AppResult<axum::response::Response> {
    use crate::receipt::pdf::{Line, document};
    let access = casework::access(&app, &who, false)?;
    let case = casework::visible_case(&app, &access, &sign).await?;
    let events = cases::history(&app.db, &case.id).await?;
    let mut lines = vec![
        Line::Title("METRYKA SPRAWY".into()),
        Line::Text(format!("Znak sprawy: {}", case.sign)),
        Line::Text(format!(
            "{}; JRWA {}; nr w rejestrze {}/{}",
            app.settings.authority.name, case.jrwa, case.register_no, case.year
        )),
        Line::Small(match cases::first_broken(&events) {
            None => "Łańcuch skrótów wpisów jest nienaruszony.".into(),
            Some(seq) => format!("UWAGA: łańcuch skrótów naruszony od wpisu {seq}."),
        }),
        Line::Gap,
    ];
    for e in &events {
        let at = clock::in_poland(e.at)
            .format(&time::macros::format_description!(
                "[day].[month].[year] [hour]:[minute]"
            ))
            .unwrap_or_default();
        let detail: Value = serde_json::from_str(&e.detail).unwrap_or(Value::Null);
        lines.push(Line::Heading(format!("{}. {at} — {}", e.seq, e.action)));
        lines.push(Line::Text(format!("{}, {}", e.actor_name, e.position)));
        if let Some(r) = detail.get("reason").and_then(Value::as_str) {
            lines.push(Line::Text(r.to_owned()));
        }
        if let Some(d) = &e.document_id {
            lines.push(Line::Small(format!("Dokument: {d}")));
        }
        lines.push(Line::Small(format!("SHA-256: {}", e.hash)));
    }
    let bytes = document(&format!("Metryka sprawy {}", case.sign), lines)?;
    Ok(pdf_response(
        &format!("metryka-{}.pdf", case.sign),
        bytes.into(),
    ))
}

/// The e-filing document of the case's filing: its data as the XML of the form's published
/// schema (`/api/services/{id}/efiling.xsd`), for the tax domain system to import.
#[utoipa::path(get, path = "/api/cases/{sign}/efiling.xml", tag = "cases", params(("sign" = String, Path)),
    responses((status = 403, description = "a resident's session (cases are the office's), or a client without `cases:read`"), (status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "application/xml"), (status = 404, description = "no such case of yours, or its service has no e-filing document"), (status = 409, description = "filed under an earlier version of the form's definition")))]
pub async fn efiling(
    app: State<AppState>,
    who: Requester,
    Path(sign): Path<String>,
) -> AppResult<axum::response::Response> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let access = casework::access(&app, &who, false)?;
    let case = casework::visible_case(&app, &access, &sign).await?;
    let missing = || AppError::NotFound("e-filing document");
    let svc = app.catalogue.get(&case.service_id).ok_or_else(missing)?;
    let sub = crate::db::submissions::by_id(&app.db, &case.submission_id)
        .await?
        .ok_or_else(missing)?;
    // the document follows the definition the filing was made under; the catalogue holds
    // only the current one, so a filing of an earlier version is not rewritten by it
    if sub.definition_hash != svc.hash {
        return Err(AppError::Conflict(
            "Formularz złożono według wcześniejszej wersji definicji; dokumentu XML według obecnego schematu nie da się z niego zbudować. Dane złożenia są w sprawie.".into(),
        ));
    }
    let data: serde_json::Map<String, Value> =
        serde_json::from_str(&sub.data).map_err(|_| missing())?;
    let filed_at = clock::in_poland(sub.filed_at)
        .format(&Rfc3339)
        .unwrap_or_default();
    let filed = crate::forms::efiling::Filed {
        receipt: Some(&sub.receipt_id),
        filed_at: Some(&filed_at),
        authority: Some(&app.settings.authority.name),
    };
    let xml = crate::forms::efiling::document(svc, &data, &filed).ok_or_else(missing)?;
    let file = format!(
        "attachment; filename=\"{}.xml\"",
        case.sign.replace(['/', '"', '\\'], "_")
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/xml; charset=utf-8".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, file),
        ],
        xml,
    )
        .into_response())
}
