//! A resident supports a request to start a consultation: once, living in the gmina (in
//! the request's area, for an area's request).

use crate::db::consultation_requests::{self as store, COLLECTING};
use crate::db::entity::consultation_request as row;
use crate::domain::identity::{Identity, Role};
use crate::error::{AppError, AppResult};
use crate::participation::consultations::take_part::{Declaration, residence};
use crate::state::AppState;

use super::{find, scope};

/// Records the support of the logged-in resident; answers the request and its supports.
pub async fn online(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    declaration: Option<&Declaration>,
) -> AppResult<(row::Model, u64)> {
    let who = who.ok_or(AppError::Unauthenticated)?;
    let r = find(app, id).await?;
    if !who.has_role(Role::Resident) {
        return Err(AppError::Forbidden(
            "wniosek o konsultacje popierają mieszkańcy gminy zalogowani przez węzeł krajowy"
                .into(),
        ));
    }
    if r.state != COLLECTING {
        return Err(AppError::Conflict(
            "ten wniosek ma już wymaganą liczbę poparć i został złożony w urzędzie: poparcia nie są już zbierane".into(),
        ));
    }
    let area = match residence(app, &scope(&r), declaration) {
        Ok(area) => area,
        Err(e) if e.code == "residence.outside" => {
            return Err(AppError::Forbidden(format!(
                "wniosek dotyczy jednego obszaru: popierają go jego mieszkańcy ({})",
                super::area_name(app, &r)
            )));
        }
        Err(e) => return Err(AppError::fields(vec![e])),
    };
    let key = crate::participation::keyed::person_key(&r.secret, who);
    if !store::add_support(&app.db, &r.id, &key, area.as_deref()).await? {
        return Err(AppError::Conflict(
            "ten wniosek ma już Twoje poparcie: każdy mieszkaniec popiera go raz".into(),
        ));
    }
    metrics::counter!("okienko_consultation_request_supports_total").increment(1);
    let n = store::supports(&app.db, &r.id).await?;
    Ok((r, n))
}
