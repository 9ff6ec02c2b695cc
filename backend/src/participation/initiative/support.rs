//! A resident supports an initiative online: once, with the right to vote for the council
//! on the day (u.s.g. art. 41a ust. 2).

use crate::db::initiatives::{self as store, COLLECTING, Counts, NewSupport};
use crate::domain::identity::{Identity, Role};
use crate::domain::initiative::{Declaration, Ineligible, eligible};
use crate::domain::pesel::Pesel;
use crate::error::{AppError, AppResult};
use crate::forms::FieldError;
use crate::state::AppState;

use super::{find, supporter_key, today};

/// Records the support of the logged-in resident and answers the initiative's counts.
pub async fn online(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    declared: Declaration,
) -> AppResult<Counts> {
    let who = who.ok_or(AppError::Unauthenticated)?;
    let i = find(app, id).await?;
    if !who.has_role(Role::Resident) {
        return Err(AppError::Forbidden(
            "inicjatywę popierają mieszkańcy gminy zalogowani przez węzeł krajowy".into(),
        ));
    }
    if i.state != COLLECTING {
        return Err(AppError::Conflict(
            "komitet złożył już tę inicjatywę w radzie gminy: poparcia nie są już zbierane".into(),
        ));
    }
    let pesel = who
        .pesel
        .as_deref()
        .and_then(|p| Pesel::parse(p).ok())
        .ok_or_else(|| {
            AppError::Forbidden(
                "poparcie wymaga numeru PESEL z węzła krajowego: bez niego urząd nie sprawdzi rejestru wyborców".into(),
            )
        })?;
    let day = today();
    eligible(&pesel, declared, day).map_err(refusal)?;
    let key = supporter_key(&i.secret, &pesel);
    let name = who.full_name();
    let added = store::add_support(
        &app.db,
        NewSupport {
            initiative_id: &i.id,
            supporter: &key,
            channel: "online",
            name: &name,
            address: None,
            pesel: i.keeps_pesel.then_some(pesel.as_ref()),
            supported_on: day,
            entered_by: None,
        },
    )
    .await?;
    if !added {
        return Err(AppError::Conflict(
            "ta inicjatywa ma już Twoje poparcie: każdy mieszkaniec popiera ją raz".into(),
        ));
    }
    metrics::counter!("okienko_initiative_supports_total", "channel" => "online").increment(1);
    Ok(store::counts(&app.db, &i.id).await?)
}

/// The refusal of an ineligible supporter: a minor is not among who may support (403, with
/// the day they may); a missing declaration is a field to confirm (422).
pub fn refusal(why: Ineligible) -> AppError {
    match why {
        Ineligible::Minor { .. } => AppError::Forbidden(why.message()),
        Ineligible::NotResident => AppError::fields(vec![FieldError {
            path: "permanent_resident".into(),
            code: why.code().into(),
            message: why.message(),
        }]),
        Ineligible::Citizenship => AppError::fields(vec![FieldError {
            path: "eu_citizen".into(),
            code: why.code().into(),
            message: why.message(),
        }]),
    }
}
