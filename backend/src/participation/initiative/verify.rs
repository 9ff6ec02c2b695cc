//! The office verifies the supports of a filed initiative against the voters' register
//! (rejestr wyborców): one by one with the reason of each rejection, or by importing the
//! register's PESELs as CSV, which accepts every pending support found in it and rejects
//! the rest with that reason.

use std::collections::HashSet;

use crate::db::initiatives::{self as store, COLLECTING, Counts};
use crate::domain::identity::Identity;
use crate::domain::pesel::Pesel;
use crate::error::{AppError, AppResult};
use crate::forms::FieldError;
use crate::state::AppState;

use super::{find, office, supporter_key};

/// The reason given to a support not found in the register.
pub const NOT_IN_REGISTER: &str =
    "osoba nie figuruje w rejestrze wyborców gminy (art. 41a ust. 2 u.s.g.)";
const REASON_MAX: usize = 400;
/// The most lines an import takes (a gmina's register has at most a few hundred thousand).
pub const REGISTER_MAX_LINES: usize = 500_000;

async fn filed_for_office(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
) -> AppResult<(crate::db::entity::initiative::Model, String)> {
    let who = office(who)?;
    let i = find(app, id).await?;
    if i.state == COLLECTING {
        return Err(AppError::Conflict(
            "poparcia sprawdza się po złożeniu inicjatywy przez komitet".into(),
        ));
    }
    Ok((i, crate::auth::owner_of(who)))
}

/// Accepts or rejects one support; a rejection needs its reason.
pub async fn one(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    support_id: &str,
    accepted: bool,
    reason: Option<&str>,
) -> AppResult<Counts> {
    let (i, by) = filed_for_office(app, who, id).await?;
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if !accepted && reason.is_none_or(|r| r.chars().count() > REASON_MAX) {
        return Err(AppError::fields(vec![FieldError {
            path: "reason".into(),
            code: "initiative.reason".into(),
            message: format!("podaj przyczynę odrzucenia poparcia (do {REASON_MAX} znaków)"),
        }]));
    }
    let verdict = if accepted { "accepted" } else { "rejected" };
    let reason = if accepted { None } else { reason };
    if !store::set_verdict(&app.db, &i.id, support_id, verdict, reason, &by).await? {
        return Err(AppError::NotFound("support"));
    }
    Ok(store::counts(&app.db, &i.id).await?)
}

/// The PESELs of a register export: one per line, the first `;`- or `,`-separated column;
/// a header line is skipped. Every bad line is named.
pub fn register_pesels(csv: &str) -> Result<Vec<Pesel>, Vec<FieldError>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (n, line) in csv.lines().enumerate() {
        let first = line
            .split([';', ','])
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches('"');
        if first.is_empty() || (n == 0 && !first.starts_with(|c: char| c.is_ascii_digit())) {
            continue;
        }
        match Pesel::parse(first) {
            Ok(p) => out.push(p),
            Err(e) if errors.len() < 20 => errors.push(FieldError {
                path: format!("line {}", n + 1),
                code: e.code().into(),
                message: format!("wiersz {}: {e}", n + 1),
            }),
            Err(_) => {}
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if out.len() > REGISTER_MAX_LINES {
        return Err(vec![FieldError {
            path: "body".into(),
            code: "rows.max".into(),
            message: format!("najwyżej {REGISTER_MAX_LINES} wierszy w jednym pliku"),
        }]);
    }
    Ok(out)
}

/// What an import did.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Checked {
    pub accepted: u64,
    pub rejected: u64,
    pub counts: Counts,
}

/// Checks every pending support against the register's PESELs.
pub async fn against_register(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    csv: &str,
) -> AppResult<Checked> {
    let (i, by) = filed_for_office(app, who, id).await?;
    let pesels = register_pesels(csv).map_err(AppError::fields)?;
    let keys: HashSet<String> = pesels.iter().map(|p| supporter_key(&i.secret, p)).collect();
    let (mut found, mut missing) = (Vec::new(), Vec::new());
    let mut after: Option<String> = None;
    loop {
        let page = store::supports(&app.db, &i.id, after.as_deref(), 1000).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id.clone());
        for s in page.into_iter().filter(|s| s.verdict == "pending") {
            if keys.contains(&s.supporter) {
                found.push(s.id);
            } else {
                missing.push(s.id);
            }
        }
    }
    let accepted = store::set_verdicts(&app.db, &i.id, &found, "accepted", None, &by).await?;
    let rejected = store::set_verdicts(
        &app.db,
        &i.id,
        &missing,
        "rejected",
        Some(NOT_IN_REGISTER),
        &by,
    )
    .await?;
    tracing::info!(initiative = %i.id, accepted, rejected, "supports checked against the register");
    Ok(Checked {
        accepted,
        rejected,
        counts: store::counts(&app.db, &i.id).await?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_csv_skips_its_header_and_names_bad_lines() {
        let ok = register_pesels("pesel;nazwisko\n44051401359;Kowalski\n").unwrap();
        assert_eq!(ok.len(), 1);
        let bad = register_pesels("44051401359\n44051401358\n").unwrap_err();
        assert_eq!(bad[0].path, "line 2");
        assert_eq!(bad[0].code, "pesel.checksum");
    }
}
