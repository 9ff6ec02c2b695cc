//! Filing a request at its threshold: the request becomes a case of the service
//! `wniosek-o-konsultacje` in its author's name (their receipt, their case, its sign and
//! term), through `filing::file` with the idempotency key of the request, so two last
//! supports arriving together, or a retry, file it once. `POST …/requests/{id}/file` lets
//! the author retry a filing that failed after the last support.

use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};

use crate::db::consultation_requests as store;
use crate::db::entity::consultation_request as row;
use crate::domain::lang::Lang;
use crate::error::{AppError, AppResult};
use crate::filing::Filed;
use crate::participation::consultations::request::{SERVICE, author, due, filing_data, find};
use crate::state::AppState;
use crate::web::extract::Requester;

/// Files `r` when it has its supports and is not filed yet; `None` otherwise.
pub async fn lodge(app: &AppState, r: &row::Model, supports: u64) -> AppResult<Option<Filed>> {
    if !due(r, supports) {
        return Ok(None);
    }
    let svc = app
        .catalogue
        .get(SERVICE)
        .cloned()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the catalogue lacks {SERVICE}")))?;
    let identity = author(r)?;
    let owner = crate::auth::owner_of(&identity);
    let who = Requester {
        owner: owner.clone(),
        identity: Some(identity),
        session: None,
        client: None,
        anon_owner: owner,
        lang: Lang::Pl,
    };
    let key = format!("consultation-request-{}", r.id);
    let filed = crate::filing::file(
        app,
        &svc,
        &who,
        &key,
        filing_data(app, r, supports),
        Vec::new(),
    )
    .await;
    let done = match filed {
        Ok(done) => done,
        // two last supports raced: the other one filed it (with its own count, so the
        // idempotency key saw a different body); it is filed once, which is what counts
        Err(AppError::Conflict(_))
            if store::find(&app.db, &r.id)
                .await?
                .is_some_and(|now| now.state != store::COLLECTING) =>
        {
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    if store::mark_filed(&app.db, &r.id, &done.submission_id).await? {
        tracing::info!(request = %r.id, submission = %done.submission_id, supports, "consultation request filed as a case");
    }
    Ok(Some(done))
}

/// `lodge` after a support: the support is recorded whatever happens to the filing, so a
/// failed filing is logged, not the supporter's error; the author retries it
/// (`POST …/requests/{id}/file`).
pub async fn lodge_after_support(app: &AppState, r: &row::Model, supports: u64) -> Option<Filed> {
    match lodge(app, r, supports).await {
        Ok(filed) => filed,
        Err(e) => {
            tracing::error!(request = %r.id, error = %e, "filing a consultation request at its threshold failed");
            None
        }
    }
}

/// The case a filing registered, as the API shows it.
pub fn case_json(done: &Filed) -> Value {
    let reg = done.claims.registration.as_ref();
    json!({
        "sign": reg.map(|r| r.case_sign.clone()),
        "due_on": reg.map(|r| r.due_on.clone()),
        "receipt_id": done.receipt_id,
    })
}

#[utoipa::path(post, path = "/api/consultations/requests/{id}/file", tag = "consultations", params(("id" = String, Path)),
    responses((status = 200, description = "filed: the case's sign and term"), (status = 401, description = "not logged in"),
        (status = 403, description = "not the request's author"), (status = 404, description = "unknown request"),
        (status = 409, description = "below the threshold (the message gives both numbers), or filed already")))]
pub async fn post(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let me = who.identity.as_ref().ok_or(AppError::Unauthenticated)?;
    let r = find(&app, &id).await?;
    if crate::auth::owner_of(me) != r.created_by {
        return Err(AppError::Forbidden(
            "złożenie wniosku ponawia jego autor".into(),
        ));
    }
    if r.state != store::COLLECTING {
        return Err(AppError::Conflict("ten wniosek został już złożony".into()));
    }
    let supports = store::supports(&app.db, &r.id).await?;
    let Some(done) = lodge(&app, &r, supports).await? else {
        return Err(AppError::Conflict(format!(
            "wniosek ma {supports} poparć; potrzeba {} (uchwała rady gminy w sprawie konsultacji)",
            r.threshold
        )));
    };
    Ok(Json(json!({ "case": case_json(&done) })))
}
