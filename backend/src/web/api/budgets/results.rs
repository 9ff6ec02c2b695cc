//! `GET /api/budgets/{id}/results` (the signed protocol), `…/results.csv` and
//! `…/results.pdf` (PDF/UA).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::domain::budget::zloty;
use crate::error::{AppError, AppResult};
use crate::participation::budget::{load, results};
use crate::state::AppState;

async fn protocol(app: &AppState, id: &str) -> AppResult<Value> {
    let l = load(app, id).await?;
    results::protocol(&l).ok_or(AppError::NotFound("protocol"))
}

#[utoipa::path(get, path = "/api/budgets/{id}/results", tag = "budgets", params(("id" = String, Path)),
    responses((status = 200, description = "the protocol, signed (`jws`): winners per pool with votes and amounts, leftovers, ballots online and on paper, invalid ones by reason, the draw's seed and ties"),
        (status = 404, description = "unknown edition, or no results yet")))]
pub async fn get(app: State<AppState>, Path(id): Path<String>) -> AppResult<Json<Value>> {
    Ok(Json(protocol(&app, &id).await?))
}

/// The protocol's projects as CSV with `;` for Polish spreadsheets.
pub fn csv(protocol: &Value) -> String {
    let mut out = String::from("Pula;Projekt;Tytuł;Koszt;Głosy;Wybrany\r\n");
    let cell = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    for pool in protocol["pools"].as_array().into_iter().flatten() {
        for p in pool["projects"].as_array().into_iter().flatten() {
            let row = [
                cell(pool["code"].as_str().unwrap_or_default()),
                cell(p["id"].as_str().unwrap_or_default()),
                cell(p["title"].as_str().unwrap_or_default()),
                cell(&zloty(p["cost"].as_u64().unwrap_or(0))),
                p["votes"].as_u64().unwrap_or(0).to_string(),
                if p["selected"].as_bool().unwrap_or(false) {
                    "tak".into()
                } else {
                    "nie".into()
                },
            ];
            out.push_str(&row.join(";"));
            out.push_str("\r\n");
        }
    }
    out
}

#[utoipa::path(get, path = "/api/budgets/{id}/results.csv", tag = "budgets", params(("id" = String, Path)),
    responses((status = 200, description = "text/csv: one row per project on the ballot (pool, project, title, cost, votes, selected)"),
        (status = 404, description = "unknown edition, or no results yet")))]
pub async fn get_csv(app: State<AppState>, Path(id): Path<String>) -> AppResult<Response> {
    let p = protocol(&app, &id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"wyniki.csv\"",
            ),
        ],
        csv(&p),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/budgets/{id}/results.pdf", tag = "budgets", params(("id" = String, Path)),
    responses((status = 200, description = "application/pdf (PDF/UA-1): the protocol for reading and printing, with its JWS; the signature is the JSON's"),
        (status = 404, description = "unknown edition, or no results yet")))]
pub async fn get_pdf(app: State<AppState>, Path(id): Path<String>) -> AppResult<Response> {
    let p = protocol(&app, &id).await?;
    let bytes = crate::participation::budget::protocol_pdf::render(&p)?;
    Ok(crate::web::api::cases::pdf_response(
        &format!("protokol-{id}.pdf"),
        bytes.into(),
    ))
}

#[utoipa::path(get, path = "/api/budgets/{id}/pools/{pool}/votes.pb", tag = "budgets", params(("id" = String, Path), ("pool" = String, Path)),
    responses((status = 200, description = "text/plain: the pool in pabulib's `.pb` format (META, PROJECTS with costs in złote and titles, VOTES: every valid ballot, voters numbered), for `okienko budget tally` or pabutools"),
        (status = 404, description = "unknown edition or pool"), (status = 409, description = "the results are not published yet")))]
pub async fn pabulib(
    app: State<AppState>,
    Path((id, pool)): Path<(String, String)>,
) -> AppResult<Response> {
    let l = load(&app, &id).await?;
    let file = crate::participation::budget::export::pool_file(&app, &l, &pool).await?;
    let name = format!("{}-{pool}.pb", l.edition.title);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static("text/plain; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                crate::web::disposition::header("attachment", &name),
            ),
        ],
        file,
    )
        .into_response())
}
