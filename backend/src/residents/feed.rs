//! The residence cases decided in okienko feed the embedded registers, in the decision's
//! transaction: a `zameldowanie` granted registers the person from the day of the decision
//! (ustawa o ewidencji ludności art. 24, 25: the registration is the entry in the
//! register); a `wymeldowanie` granted ends the named person's registrations of that
//! stay from that day (art. 35: deregistration by decision).

use sea_orm::ConnectionTrait;
use serde_json::Value;
use time::Date;

use crate::db::entity::case_file;
use crate::domain::pesel::Pesel;
use crate::domain::residence::{Register, Registration, Stay};
use crate::error::AppResult;

pub const REGISTRATION: &str = "zameldowanie";
pub const DEREGISTRATION: &str = "wymeldowanie";

/// Whether deciding a case of `service` changes the registers.
pub fn feeds(service: &str) -> bool {
    service == REGISTRATION || service == DEREGISTRATION
}

/// The registration a granted `zameldowanie` makes, from its filed data.
pub fn registration(case_id: &str, data: &Value, day: Date) -> Option<Registration> {
    let text = |k: &str| data[k].as_str().unwrap_or_default().trim().to_owned();
    let pesel = Pesel::parse(&text("pesel")).ok()?;
    let stay = Stay::parse(&text("stay_kind"))?;
    let name = format!("{} {}", text("given_name"), text("family_name"))
        .trim()
        .to_owned();
    let address = data["address"]
        .as_object()
        .map(crate::forms::diff::address)
        .unwrap_or_default();
    Some(Registration {
        key: format!("case:{case_id}"),
        register: Register::Residents,
        pesel,
        name,
        citizenship: None,
        stay,
        address,
        from_on: day,
        until_on: match stay {
            Stay::Temporary => data["temporary_until"]
                .as_str()
                .and_then(crate::forms::expr::parse_date),
            Stay::Permanent => None,
        },
        ended_on: None,
    })
}

/// Writes what the decision `granted` on `case` changes in the registers; the caller's
/// transaction is the decision's. A case whose data names no person (a deregistration
/// without the PESEL) changes nothing: the clerk enters it in the register system.
pub async fn granted(
    db: &impl ConnectionTrait,
    case: &case_file::Model,
    day: Date,
) -> AppResult<()> {
    let Some(sub) = crate::db::submissions::by_id(db, &case.submission_id).await? else {
        return Ok(());
    };
    let data: Value = serde_json::from_str(&sub.data).unwrap_or_default();
    match case.service_id.as_str() {
        REGISTRATION => {
            if let Some(r) = registration(&case.id, &data, day) {
                crate::db::residence::record(db, &r).await?;
            }
        }
        DEREGISTRATION => {
            let pesel = data["person_pesel"]
                .as_str()
                .and_then(|p| Pesel::parse(p).ok());
            let stay = data["stay_kind"].as_str().and_then(Stay::parse);
            if let (Some(p), Some(s)) = (pesel, stay) {
                crate::db::residence::end(db, &p, s, day).await?;
            }
        }
        _ => {}
    }
    Ok(())
}
