//! `PUT /api/consultations/{id}/answer` and `POST /api/consultations/{id}/comments`:
//! a logged-in resident takes part while the consultation is open.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use crate::domain::lang::Lang;
use crate::error::AppResult;
use crate::participation::consultations::take_part::{self, Declaration};
use crate::state::AppState;
use crate::web::extract::{ApiJson, Requester};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerRequest {
    /// The answers, by the questionnaire's field ids.
    #[schema(value_type = Object)]
    pub data: Value,
    /// Open kinds: the declaration of residence (and the area, for area-scoped ones).
    #[serde(default)]
    pub declaration: Option<Declaration>,
}

#[utoipa::path(put, path = "/api/consultations/{id}/answer", tag = "consultations", params(("id" = String, Path)), request_body = AnswerRequest,
    responses((status = 201, description = "answered"), (status = 200, description = "your earlier answer was replaced by this one (`replaced: true`)"),
        (status = 401, description = "not logged in"), (status = 403, description = "not among who may take part (the message says who may: the roster, or the areas' residents)"),
        (status = 404, description = "unknown consultation"), (status = 409, description = "outside its window, which the message gives"),
        (status = 422, description = "answers that break the questionnaire's rules, by field, or no declaration of residence")))]
pub async fn answer(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<AnswerRequest>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let a = take_part::answer(
        &app,
        who.identity.as_ref(),
        &id,
        &req.data,
        req.declaration.as_ref(),
        who.lang,
    )
    .await?;
    let status = if a.replaced {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    let message = match (a.replaced, who.lang) {
        (true, Lang::Pl) => {
            "Twoja wcześniejsza odpowiedź została zastąpiona tą: liczy się ostatnia."
        }
        (false, Lang::Pl) => {
            "Dziękujemy: Twoja odpowiedź została zapisana; możesz ją zmienić do zamknięcia konsultacji."
        }
        (true, Lang::En) => "your earlier answer was replaced by this one: the last one counts",
        (false, Lang::En) => {
            "thank you: your answer is recorded; you may change it until the consultation closes"
        }
    };
    Ok((
        status,
        Json(json!({ "version": a.version, "replaced": a.replaced, "message": message })),
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentRequest {
    /// The paragraph commented on: `§ 3` or `§ 3 ust. 2`.
    pub anchor: String,
    pub text: String,
    /// Show the author's name with the comment (off unless they agree).
    #[serde(default)]
    pub show_name: bool,
    /// Open kinds: the declaration of residence (and the area, for area-scoped ones).
    #[serde(default)]
    pub declaration: Option<Declaration>,
}

#[utoipa::path(post, path = "/api/consultations/{id}/comments", tag = "consultations", params(("id" = String, Path)), request_body = CommentRequest,
    responses((status = 201, description = "the comment; `status: pending` where comments are moderated before publication"), (status = 401, description = "not logged in"), (status = 403, description = "not among who may take part"),
        (status = 404, description = "unknown consultation"), (status = 409, description = "outside its window, or no comments collected"),
        (status = 422, description = "an unknown paragraph or a too-long comment")))]
pub async fn comment(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<CommentRequest>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let k = take_part::comment(
        &app,
        who.identity.as_ref(),
        &id,
        take_part::NewComment {
            anchor: &req.anchor,
            text: &req.text,
            show_name: req.show_name,
            declaration: req.declaration.as_ref(),
        },
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "id": k.id,
            "anchor": k.anchor,
            "text": k.body,
            "author": k.author_name,
            "status": k.status,
            "created_at": k.created_at.format(&Rfc3339).unwrap_or_default(),
        })),
    ))
}
