//! `GET` and `POST /api/petitions/{sign}/cosigners`: the co-signers of a group's petition
//! (u.p.p. art. 4 ust. 2 pkt 1, art. 4 ust. 3): each confirms, logged in, once.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::participation::cosigners::{self, Cosigner, CosignerPage};
use crate::state::AppState;
use crate::web::extract::{ApiJson, Requester};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct CosignerQuery {
    /// The cursor of the next page (the last co-signer's id).
    #[param(
        pattern = "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})?$"
    )]
    pub after: Option<String>,
    /// Page size, 1–100 (50).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
}

impl CosignerQuery {
    pub fn after(&self) -> AppResult<Option<&str>> {
        match self.after.as_deref().filter(|a| !a.is_empty()) {
            None => Ok(None),
            Some(a) if uuid::Uuid::try_parse(a).is_ok() => Ok(Some(a)),
            Some(_) => Err(AppError::bad_request(
                "after",
                "`after` to identyfikator współpodpisującego.",
            )),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmRequest {
    /// Consent to the publication of one's name in the register (art. 4 ust. 3).
    pub consent: bool,
}

/// The co-signers: to anyone, those who consented to their name being published; to the
/// representative who filed it, everyone who confirmed, with their consent.
#[utoipa::path(get, path = "/api/petitions/{sign}/cosigners", tag = "petitions", params(("sign" = String, Path), CosignerQuery),
    responses((status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "a page of co-signers, with the counts", body = CosignerPage),
        (status = 400, description = "a cursor or limit that is not valid"),
        (status = 404, description = "no petition with this sign"), (status = 409, description = "the petition was not filed by a group")))]
pub async fn list(
    app: State<AppState>,
    who: Requester,
    Path(sign): Path<String>,
    Query(q): Query<CosignerQuery>,
) -> AppResult<Json<CosignerPage>> {
    let limit = crate::web::cursor::limit(q.limit, 50, 100)?;
    Ok(Json(
        cosigners::page(&app, who.identity.as_ref(), &sign, q.after()?, limit).await?,
    ))
}

/// The logged-in person confirms they co-sign the group's petition, with or without
/// consent to their name being published.
#[utoipa::path(post, path = "/api/petitions/{sign}/cosigners", tag = "petitions", params(("sign" = String, Path)), request_body = ConfirmRequest,
    responses((status = 201, description = "the confirmation", body = Cosigner), (status = 401, description = "not logged in"),
        (status = 403, description = "the login gives no name"), (status = 404, description = "no petition with this sign"),
        (status = 409, description = "not a group's petition, already dealt with, or confirmed already"),
        (status = 422, description = "a body that is not `{consent}`")))]
pub async fn confirm(
    app: State<AppState>,
    who: Requester,
    Path(sign): Path<String>,
    ApiJson(r): ApiJson<ConfirmRequest>,
) -> AppResult<(StatusCode, Json<Cosigner>)> {
    let c = cosigners::confirm(&app, who.identity.as_ref(), &sign, r.consent).await?;
    Ok((StatusCode::CREATED, Json(c)))
}
