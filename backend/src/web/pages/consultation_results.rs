//! `/konsultacje/{id}/wyniki`: the results page. Participation while open; after closing
//! (or while open where an informal consultation chose so) every question with a
//! server-rendered SVG chart and its data table; the statistics fixed at closing.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::consultation_texts::{text, texts};
use super::{render, ui};
use crate::error::AppResult;
use crate::participation::consultations::visible;
use crate::state::AppState;
use crate::web::api::consultations::results::results_json;
use crate::web::charts::bars;
use crate::web::extract::Requester;

/// A chart and its table's rows from `(label, count)` pairs.
fn chart(id: &str, title: &str, rows: Vec<(String, f64)>, unit: &str) -> Value {
    json!({
        "id": id,
        "title": title,
        "svg": bars(id, title, &rows, unit),
        "rows": rows.iter().map(|(l, v)| json!({ "label": l, "value": v })).collect::<Vec<_>>(),
        "unit": unit.trim(),
    })
}

fn rows_of(list: &Value, label: &str, value: &str) -> Vec<(String, f64)> {
    list.as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            let l = r[label]
                .as_str()
                .map_or_else(|| r[label].to_string(), str::to_owned);
            (l, r[value].as_f64().unwrap_or(0.0))
        })
        .collect()
}

pub async fn get(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let c = visible(&app, who.identity.as_ref(), &id).await?;
    let r = results_json(&app, &c, who.lang).await?;
    let questions: Vec<Value> = r["questions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|q| {
            let ranking = q["kind"] == "ranking";
            let rows = rows_of(&q["rows"], "label", "count");
            json!({
                "label": q["label"],
                "answered": q["answered"],
                "mean": q["mean"].as_f64().map(|m| format!("{m:.2}")),
                "ranking": ranking,
                "charts": (!rows.is_empty()).then(|| chart(
                    &format!("q-{}", q["id"].as_str().unwrap_or_default()),
                    q["label"].as_str().unwrap_or_default(),
                    rows,
                    if ranking { " pkt" } else { "" },
                )).into_iter().collect::<Vec<_>>(),
            })
        })
        .collect();
    let s = &r["statistics"];
    let statistics = (!s.is_null()).then(|| {
        let areas: Vec<(String, f64)> = s["areas"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|a| {
                let code = a["code"].as_str().unwrap_or_default();
                let name = app
                    .catalogue
                    .areas
                    .get(code)
                    .map_or(code, |x| x.name.get(who.lang));
                (name.to_owned(), a["count"].as_f64().unwrap_or(0.0))
            })
            .collect();
        let channels = vec![
            (
                text(who.lang, "online").to_owned(),
                s["online"].as_f64().unwrap_or(0.0),
            ),
            (
                text(who.lang, "paper").to_owned(),
                s["paper"].as_f64().unwrap_or(0.0),
            ),
        ];
        let mut charts = vec![chart(
            "stat-channels",
            text(who.lang, "by_channel"),
            channels,
            "",
        )];
        if !areas.is_empty() {
            charts.push(chart("stat-areas", text(who.lang, "by_area"), areas, ""));
        }
        charts.push(chart(
            "stat-ages",
            text(who.lang, "by_age"),
            rows_of(&s["age_bands"], "band", "count"),
            "",
        ));
        json!({ "fixed_on": s["fixed_on"], "answers": s["answers"], "charts": charts })
    });
    Ok(render(
        &app,
        StatusCode::OK,
        "consultation_results.html",
        &json!({
            "ui": ui(who.lang),
            "t": texts(who.lang),
            "title": format!("{}: {}", text(who.lang, "results_title"), r["subject"].as_str().unwrap_or_default()),
            "id": c.id,
            "subject": r["subject"],
            "participation": r["participation"],
            "answers_public": r["answers_public"],
            "questions": questions,
            "statistics": statistics,
        }),
    ))
}
