//! `GET /api/stats`: the measures municipalities report yearly: cases by service and
//! status, processing time (median, 90th percentile) per service, the share decided after
//! the deadline, submissions per month, e-services in use.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::casework;
use crate::db::stats;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::extract::Requester;

/// The `q`-quantile of sorted values (nearest rank).
fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (q * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted.get(rank - 1).copied()
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

pub async fn figures(app: &AppState) -> AppResult<Value> {
    let counted = stats::cases_by_service_and_status(&app.db).await?;
    let mut by_service: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    for c in counted {
        by_service
            .entry(c.service_id)
            .or_default()
            .insert(c.status, c.count);
    }
    let mut times: BTreeMap<String, (Vec<f64>, usize)> = BTreeMap::new();
    let (mut decided_all, mut late_all) = (0usize, 0usize);
    for (service, days, late) in stats::decided(&app.db).await? {
        let e = times.entry(service).or_default();
        e.0.push(days);
        e.1 += usize::from(late);
        decided_all += 1;
        late_all += usize::from(late);
    }
    let processing: Vec<Value> = times
        .into_iter()
        .map(|(service, (mut days, late))| {
            days.sort_by(f64::total_cmp);
            json!({
                "service_id": service,
                "decided": days.len(),
                "median_days": quantile(&days, 0.5).map(round1),
                "p90_days": quantile(&days, 0.9).map(round1),
                "late_share": round1(100.0 * late as f64 / days.len() as f64) / 100.0,
            })
        })
        .collect();
    let per_month: Vec<Value> = stats::submissions_per_month(&app.db)
        .await?
        .into_iter()
        .map(|(m, n)| json!({ "month": m, "count": n }))
        .collect();
    let cases: Vec<Value> = by_service
        .iter()
        .map(|(s, st)| json!({ "service_id": s, "total": st.values().sum::<i64>(), "by_status": st }))
        .collect();
    Ok(json!({
        "services_in_catalogue": app.catalogue.services.len(),
        "services_in_use": by_service.len(),
        "cases": cases,
        "processing": processing,
        "late_share": if decided_all == 0 { 0.0 } else { round1(100.0 * late_all as f64 / decided_all as f64) / 100.0 },
        "submissions_per_month": per_month,
        "initiatives_overdue": crate::db::initiatives::overdue(
            &app.db,
            crate::participation::initiative::file::SERVICE,
            crate::participation::initiative::today(),
        )
        .await?,
    }))
}

#[utoipa::path(get, path = "/api/stats", tag = "cases",
    responses((status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "the yearly-report figures"), (status = 403, description = "not staff")))]
pub async fn get(app: State<AppState>, who: Requester) -> AppResult<Json<Value>> {
    casework::access(&app, &who, false)?;
    Ok(Json(figures(&app).await?))
}

#[cfg(test)]
mod tests {
    #[test]
    fn nearest_rank_quantiles() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
        assert_eq!(super::quantile(&v, 0.5), Some(5.0));
        assert_eq!(super::quantile(&v, 0.9), Some(9.0));
        assert_eq!(super::quantile(&[3.0], 0.9), Some(3.0));
        assert_eq!(super::quantile(&[], 0.5), None);
    }
}
