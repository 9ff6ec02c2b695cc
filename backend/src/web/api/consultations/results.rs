//! `GET /api/consultations/{id}/results` (public: participation while open, the answers'
//! tallies after closing, the statistics fixed at closing) and
//! `GET /api/consultations/{id}/answers.csv` (the answers for the author and the
//! coordinator, formula-safe, `;`-separated for Polish spreadsheets).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::db::consultations as store;
use crate::error::{AppError, AppResult};
use crate::participation::consultations::{
    content, coordinator, may_edit, phase_of, results, take_part, today, visible,
};
use crate::state::AppState;
use crate::web::api::cases::csv_field;
use crate::web::extract::Requester;

/// The results as the API and the results page show them.
pub async fn results_json(
    app: &AppState,
    c: &crate::db::entity::consultation::Model,
    lang: crate::domain::lang::Lang,
) -> AppResult<Value> {
    let (body, questionnaire) = content(app, c).await?;
    let (online, paper) = store::count_by_channel(&app.db, &c.id).await?;
    let public = results::answers_public(c, &body);
    let questions = if public {
        Some(results::tally(app, c, &body, &questionnaire, lang).await?)
    } else {
        None
    };
    let statistics: Option<Value> = c
        .statistics
        .as_deref()
        .and_then(|s| serde_json::from_str(s).ok());
    Ok(json!({
        "id": c.id,
        "subject": body.subject,
        "phase": phase_of(c, today()).as_str(),
        "participation": { "answers": online + paper, "online": online, "paper": paper },
        "answers_public": public,
        "questions": questions,
        "statistics": statistics,
    }))
}

#[utoipa::path(get, path = "/api/consultations/{id}/results", tag = "consultations", params(("id" = String, Path)),
    responses((status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "`participation` (online, paper) always; `questions` (each question's counts, a scale's mean, a ranking's Borda points) once `answers_public`: after closing, or while open where an informal consultation chose so; `statistics` fixed at closing (online/paper, areas, age bands)"),
        (status = 404, description = "unknown, or a draft not yours")))]
pub async fn get(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let c = visible(&app, who.identity.as_ref(), &id).await?;
    Ok(Json(results_json(&app, &c, who.lang).await?))
}

#[utoipa::path(get, path = "/api/consultations/{id}/answers.csv", tag = "consultations", params(("id" = String, Path)),
    responses((status = 200, description = "text/csv: the day answered, the channel, the version and a column per question; text that looks like a formula is defused"),
        (status = 401, description = "not logged in"), (status = 403, description = "not its author or the coordinator"),
        (status = 404, description = "unknown consultation")))]
pub async fn csv(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let me = coordinator(who.identity.as_ref())?;
    let c = visible(&app, Some(me), &id).await?;
    if !may_edit(me, &c) {
        return Err(AppError::Forbidden(
            "odpowiedzi pobiera autor konsultacji albo koordynator".into(),
        ));
    }
    let (body, questionnaire) = content(&app, &c).await?;
    let compiled = take_part::compiled(&app, &c, &body, &questionnaire)?;
    let ids: Vec<String> = results::questions(&compiled.service)
        .map(|f| f.id.clone())
        .collect();
    let mut out = String::from("dzien;kanal;wersja");
    for id in &ids {
        out.push(';');
        out.push_str(&csv_field(id));
    }
    out.push_str("\r\n");
    store::each_answer(&app.db, &c.id, |a| {
        let data: Value = serde_json::from_str(&a.data).unwrap_or(Value::Null);
        let day = crate::domain::clock::in_poland(a.created_at)
            .date()
            .to_string();
        let mut cells = vec![day, a.channel.clone(), a.version.to_string()];
        cells.extend(ids.iter().map(|id| {
            match &data[id] {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                Value::Array(xs) => xs
                    .iter()
                    .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join(" > "),
                other => other.to_string(),
            }
        }));
        out.push_str(
            &cells
                .iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(";"),
        );
        out.push_str("\r\n");
    })
    .await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/csv; charset=utf-8"
                    .parse()
                    .map_err(anyhow::Error::from)?,
            ),
            (
                header::CONTENT_DISPOSITION,
                crate::web::disposition::header(
                    "attachment",
                    &format!("konsultacja-{}-odpowiedzi.csv", c.id),
                ),
            ),
        ],
        out,
    )
        .into_response())
}
