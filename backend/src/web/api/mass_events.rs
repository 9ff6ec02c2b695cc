//! `GET /api/mass-events`: the public register of mass-event permits (u.b.i.m. art. 25 and
//! 29), newest permit first, by keyset pages; open to anyone.

use axum::Json;
use axum::extract::{Query, State};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::db::permits;
use crate::error::AppResult;
use crate::mass_events::{self, PublicPermit};
use crate::state::AppState;
use crate::web::cursor;

/// The register's page.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct RegisterQuery {
    /// The cursor of the next page.
    #[param(pattern = "^[A-Za-z0-9_-]*$")]
    pub after: Option<String>,
    /// Page size, 1–100 (20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
}

/// One page of the register, newest permit first, and the cursor of the next.
pub async fn page(
    app: &AppState,
    q: &RegisterQuery,
) -> AppResult<(Vec<PublicPermit>, Option<String>)> {
    let limit = cursor::limit(q.limit, 20, 100)?;
    let after = cursor::decode::<time::OffsetDateTime>(q.after.as_deref())?;
    let rows = permits::granted_page(&app.db, mass_events::SERVICE, after, limit + 1).await?;
    let (shown, next) = cursor::page(rows, limit, |(c, _)| {
        (c.decided_at.unwrap_or(c.filed_at), c.id.clone())
    });
    let items = shown
        .iter()
        .filter_map(|(c, s)| mass_events::public(c, s))
        .collect();
    Ok((items, next))
}

#[utoipa::path(get, path = "/api/mass-events", tag = "mass-events", params(RegisterQuery),
    responses((status = 200, description = "a page of the public register of mass-event permits, newest first"),
        (status = 400, description = "a page size or cursor that is not valid")))]
pub async fn list(app: State<AppState>, Query(q): Query<RegisterQuery>) -> AppResult<Json<Value>> {
    let (items, next) = page(&app, &q).await?;
    Ok(Json(json!({ "items": items, "next": next })))
}
