//! A resident's cases: the list, and one case's timeline with its deadline; when the
//! office asks for something, the resident answers here with files (the answer lands in
//! the case and the term runs again).

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::{Value, json};

use super::{render, ui};
use crate::db::cases::{self, Actor};
use crate::db::entity::{case_event, case_file};
use crate::domain::case::Status;
use crate::error::{AppError, AppResult};
use crate::forms::uploads::UploadRules;
use crate::state::AppState;
use crate::web::extract::Requester;
use crate::web::upload;

/// The resident's own case by sign; anyone else's is a 404.
async fn own_case(app: &AppState, who: &Requester, sign: &str) -> AppResult<case_file::Model> {
    cases::by_sign(&app.db, sign)
        .await?
        .filter(|c| c.owner == who.owner)
        .ok_or(AppError::NotFound("case"))
}

/// What the resident may see of a history entry (internal notes and names stay inside).
fn public_step(e: &case_event::Model) -> Option<Value> {
    let d: Value = serde_json::from_str(&e.detail).unwrap_or(Value::Null);
    let text = match e.action.as_str() {
        "register" => format!(
            "Wniosek zarejestrowano pod numerem {}, znak sprawy {}.",
            d["register_no"].as_str().unwrap_or(""),
            d["sign"].as_str().unwrap_or("")
        ),
        "take" | "start" => "Urzędnik rozpoczął załatwianie sprawy.".into(),
        "call_to_supplement" => format!(
            "Urząd wzywa do uzupełnienia: {}. Termin: {}.",
            d["items"]
                .as_array()
                .map(|a| a
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join("; "))
                .unwrap_or_default(),
            d["answer_by"]
                .as_str()
                .or(d["term_pl"].as_str())
                .unwrap_or("")
        ),
        "supplemented" => "Uzupełnienie wpłynęło; sprawa jest dalej załatwiana.".into(),
        "reply" => "Twoja odpowiedź wpłynęła do sprawy.".into(),
        "delivered" => format!(
            "Pismo doręczono ({}).",
            if d["how"] == "opened" {
                "odebrane"
            } else {
                "doręczenie zastępcze po 14 dniach"
            }
        ),
        "extend" => format!(
            "Urząd przedłużył termin do {} (art. 36 KPA): {}.",
            d["delay_notice"]["new"].as_str().unwrap_or(""),
            d["delay_notice"]["reason"].as_str().unwrap_or("")
        ),
        "decide" => format!(
            "Sprawa załatwiona: {}.",
            match d["outcome"].as_str().unwrap_or("") {
                "granted" => "wniosek uwzględniono",
                "refused" => "odmówiono",
                "left_unconsidered" => "wniosek pozostawiono bez rozpoznania",
                "forwarded" => "sprawę przekazano podmiotowi właściwemu",
                _ => "postępowanie umorzono",
            }
        ),
        "transfer" => "Sprawę przekazano do właściwej komórki urzędu.".into(),
        "reopen" => "Sprawę wznowiono.".into(),
        "suspend" => format!(
            "Postępowanie zawieszono ({}); termin załatwienia sprawy nie biegnie.",
            d["ground_pl"].as_str().unwrap_or("")
        ),
        "resume" => format!(
            "Postępowanie podjęto; nowy termin załatwienia: {}.",
            d["due_on"].as_str().unwrap_or("")
        ),
        "fee_notice" => format!(
            "Urząd powiadomił o opłacie za udostępnienie informacji: {}.",
            d["fee"].as_str().unwrap_or("")
        ),
        "close" => "Sprawę zakończono.".into(),
        _ => return None,
    };
    Some(
        json!({ "at": crate::domain::clock::in_poland(e.at).date().to_string(), "text": text,
        "document": e.document_id }),
    )
}

pub async fn list(app: State<AppState>, who: Requester) -> AppResult<Response> {
    let rows = crate::db::submissions::list(
        &app.db,
        crate::db::submissions::Listing {
            owner: Some(&who.owner),
            service: None,
        },
        None,
        100,
    )
    .await?;
    let ids: Vec<String> = rows.iter().map(|s| s.id.clone()).collect();
    let found = cases::by_submissions(&app.db, &ids).await?;
    let items: Vec<Value> = rows
        .iter()
        .filter_map(|s| {
            let c = found.iter().find(|c| c.submission_id == s.id)?;
            Some(json!({
                "sign": c.sign,
                "service": app.catalogue.get(&s.service_id).map_or(s.service_id.clone(), |x| x.def.title.get(who.lang).to_owned()),
                "status": Status::parse(&c.status).map(Status::label_pl),
                "due_on": c.due_on.to_string(),
                "filed_on": crate::domain::clock::in_poland(s.filed_at).date().to_string(),
                "receipt": s.receipt_id,
                "waiting": c.status == "awaiting_applicant",
            }))
        })
        .collect();
    Ok(render(
        &app,
        StatusCode::OK,
        "my_cases.html",
        &json!({ "ui": ui(who.lang), "title": "Moje sprawy", "items": items }),
    ))
}

pub async fn case(
    app: State<AppState>,
    who: Requester,
    Path(sign): Path<String>,
) -> AppResult<Response> {
    let c = own_case(&app, &who, &sign).await?;
    let history = cases::history(&app.db, &c.id).await?;
    let steps: Vec<Value> = history.iter().filter_map(public_step).collect();
    // the open call to supplement, if the office is waiting for the resident
    let call = (c.status == "awaiting_applicant")
        .then(|| {
            history
                .iter()
                .rev()
                .find(|e| e.action == "call_to_supplement")
        })
        .flatten()
        .and_then(|e| serde_json::from_str::<Value>(&e.detail).ok())
        .map(|mut call| {
            // once the letter is delivered, the term runs from that day
            if let Some(from_delivery) = history
                .iter()
                .rev()
                .find(|e| e.action == "delivered")
                .and_then(|e| serde_json::from_str::<Value>(&e.detail).ok())
                .and_then(|d| d.get("answer_by").cloned())
            {
                call["answer_by"] = from_delivery;
            } else if call["answer_by"].is_null() {
                call["answer_by"] = call["term_pl"].clone();
            }
            call
        });
    // the case's fee and what is still owed (KPA art. 261 § 1: the office waits for it)
    let fees: Vec<Value> = crate::db::payments::open_for_case(&app.db, &c.id)
        .await?
        .iter()
        .map(|d| super::payments::view(&app, d))
        .collect();
    let awaiting_fee = fees.iter().any(|f| f["payable"] == true);
    Ok(render(
        &app,
        StatusCode::OK,
        "my_case.html",
        &json!({ "ui": ui(who.lang), "title": format!("Sprawa {}", c.sign), "sign": c.sign,
            "status": Status::parse(&c.status).map(Status::label_pl), "due_on": c.due_on.to_string(),
            "outcome": c.outcome, "steps": steps, "call": call, "version": c.version,
            "fees": fees, "awaiting_fee": awaiting_fee }),
    ))
}

/// The resident's answer to a call to supplement: files and a comment. Stored with the
/// case; the history records it as the applicant's; the term runs again.
pub async fn supplement(
    app: State<AppState>,
    who: Requester,
    Path(sign): Path<String>,
    mut mp: Multipart,
) -> AppResult<Response> {
    let c = own_case(&app, &who, &sign).await?;
    if c.status != "awaiting_applicant" {
        return Err(AppError::Conflict(
            "Urząd nie oczekuje od Ciebie niczego w tej sprawie.".into(),
        ));
    }
    let mut comment = String::new();
    let mut stored = Vec::new();
    // the rules of the service's own upload fields: count, size and type
    let rules = app
        .catalogue
        .get(&c.service_id)
        .map(|s| UploadRules::of_service(s))
        .unwrap_or_default();
    while let Some(part) = mp.next_field().await? {
        match part.name().unwrap_or("") {
            "comment" => comment = part.text().await?.trim().chars().take(2000).collect(),
            "files" => {
                let name = part.file_name().unwrap_or("").to_owned();
                if name.is_empty() {
                    continue; // the empty part of an empty file input
                }
                if stored.len() >= rules.max_files as usize {
                    return Err(AppError::bad_request(
                        "files.max",
                        format!(
                            "Za dużo plików: możesz dołączyć najwyżej {}.",
                            rules.max_files
                        ),
                    ));
                }
                if !rules.accepts(&name) {
                    return Err(AppError::bad_request(
                        "file.type",
                        format!(
                            "Plik `{name}` ma niedozwolony rodzaj (dozwolone: {}).",
                            rules.accept.join(", ")
                        ),
                    ));
                }
                let prefix = format!("cases/{}/supplements", c.id);
                if let Some(f) =
                    upload::store_browser_file(&app, part, rules.max_size_mb, &prefix).await?
                {
                    stored.push(f);
                }
            }
            _ => {}
        }
    }
    if stored.is_empty() && comment.is_empty() {
        return Err(AppError::bad_request(
            "supplement.empty",
            "Dołącz dokumenty, o które prosił urząd, albo napisz, co chcesz przekazać.",
        ));
    }
    let actor = Actor {
        id: format!("applicant:{}", who.owner),
        name: who
            .identity
            .as_ref()
            .map_or("wnioskodawca".into(), |i| i.full_name()),
        position: "wnioskodawca".into(),
    };
    crate::casework::applicant_supplemented(
        &app,
        &c,
        actor,
        json!({ "comment": comment, "files": stored }),
    )
    .await?;
    Ok(Redirect::to(&format!("/moje-sprawy/{sign}")).into_response())
}

/// A letter of the resident's own case, as PDF.
pub async fn document(
    app: State<AppState>,
    who: Requester,
    Path((sign, id)): Path<(String, String)>,
) -> AppResult<Response> {
    let c = own_case(&app, &who, &sign).await?;
    let (doc, bytes) = crate::casework::document_bytes(&app, &c, &id).await?;
    Ok(crate::web::api::cases::pdf_response(
        &crate::web::api::cases::document_file_name(&doc),
        bytes,
    ))
}
