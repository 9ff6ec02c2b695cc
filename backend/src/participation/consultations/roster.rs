//! The roster of closed and authorised-group consultations (issue 14 §3; organisations:
//! ustawa o działalności pożytku publicznego i o wolontariacie art. 5 ust. 5): imported
//! from CSV, checked line by line with the domain types, kept only as keyed hashes under
//! the consultation's secret. An import is all or nothing and replaces the roster.
//!
//! The CSV has one member a line: `rodzaj;numer;pesel_przedstawiciela` (`,` works too):
//! - `pesel;44051401359;` a named resident;
//! - `nip;8567346215;44051401359` or `krs;0000123456;44051401359` an organisation and the
//!   PESEL of a representative (one line per representative; they share one voice).
//!
//! Blank lines, lines starting `#` and a header line starting `rodzaj` are skipped.

use std::collections::HashMap;

use super::{coordinator, invalid, may_edit, phase_of, today, visible};
use crate::db::consultation_roster::{self as store, Member};
use crate::db::participation_history::{self as history, Entry};
use crate::domain::consultation::{Participants, Phase};
use crate::domain::identity::Identity;
use crate::domain::krs::Krs;
use crate::domain::nip::Nip;
use crate::domain::pesel::Pesel;
use crate::error::{AppError, AppResult};
use crate::forms::FieldError;
use crate::participation::keyed;
use crate::state::AppState;

/// The most members one roster holds, and the most line errors one refusal lists.
pub const ROSTER_MAX: usize = 20_000;
const ERRORS_MAX: usize = 100;

/// An organisation's key: its register and number under the consultation's secret.
fn organisation_key(secret: &str, register: &str, number: &str) -> String {
    crate::forms::catalogue::hex(&keyed::hmac_sha256(
        secret.as_bytes(),
        format!("org:{register}:{number}").as_bytes(),
    ))
}

fn person_key(secret: &str, pesel: &Pesel) -> String {
    keyed::key(secret, &keyed::Subject::Pesel(pesel))
}

/// Parses the CSV into members keyed under `secret`, or every line's error (up to 100).
pub fn parse(secret: &str, csv: &str) -> Result<Vec<Member>, Vec<FieldError>> {
    let mut members = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, raw) in csv.lines().enumerate() {
        let line = i + 1;
        let text = raw.trim().trim_start_matches('\u{feff}');
        if text.is_empty() || text.starts_with('#') || text.to_lowercase().starts_with("rodzaj") {
            continue;
        }
        let sep = if text.contains(';') { ';' } else { ',' };
        let cells: Vec<&str> = text
            .split(sep)
            .map(|c| c.trim().trim_matches('"'))
            .collect();
        let err = |code: &str, message: String| FieldError {
            path: format!("line {line}"),
            code: code.into(),
            message: format!("wiersz {line}: {message}"),
        };
        let cell = |n: usize| cells.get(n).copied().unwrap_or("");
        let pesel = |text: &str, what: &str| {
            Pesel::parse(text).map_err(|e| err(e.code(), format!("{what}: {e}")))
        };
        let parsed = match cell(0).to_lowercase().as_str() {
            "pesel" => pesel(cell(1), "PESEL").map(|p| (p, None)),
            "nip" => Nip::parse(cell(1))
                .map_err(|e| err(e.code(), format!("NIP: {e}")))
                .and_then(|n| {
                    let org = ("nip", n.as_ref().to_owned());
                    pesel(cell(2), "PESEL przedstawiciela").map(|p| (p, Some(org)))
                }),
            "krs" => Krs::parse(cell(1))
                .map_err(|e| err(e.code(), format!("KRS: {e}")))
                .and_then(|k| {
                    let org = ("krs", k.as_ref().to_owned());
                    pesel(cell(2), "PESEL przedstawiciela").map(|p| (p, Some(org)))
                }),
            other => Err(err(
                "roster.kind",
                format!("rodzaj to pesel, nip albo krs, nie „{other}”"),
            )),
        };
        match parsed {
            Ok((p, org)) => {
                let member = person_key(secret, &p);
                if let Some(first) = seen.insert(member.clone(), line) {
                    errors.push(err(
                        "roster.twice",
                        format!("ta osoba jest już w wierszu {first}; każdy głosuje jednym głosem"),
                    ));
                    continue;
                }
                let (voice, kind) = match org {
                    Some((register, number)) => {
                        (organisation_key(secret, register, &number), "organisation")
                    }
                    None => (member.clone(), "person"),
                };
                members.push(Member {
                    member,
                    voice,
                    kind,
                });
            }
            Err(e) => errors.push(e),
        }
        if errors.len() >= ERRORS_MAX {
            break;
        }
    }
    if members.len() > ROSTER_MAX {
        errors.push(FieldError {
            path: "roster".into(),
            code: "roster.size".into(),
            message: format!("lista ma najwyżej {ROSTER_MAX} wierszy"),
        });
    }
    if errors.is_empty() {
        Ok(members)
    } else {
        Err(errors)
    }
}

/// What an import did.
pub struct Imported {
    pub members: usize,
    pub organisations: usize,
}

/// Replaces the roster of a roster consultation, before it closes.
pub async fn import(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    csv: &str,
) -> AppResult<Imported> {
    let me = coordinator(who)?;
    let c = visible(app, who, id).await?;
    if !may_edit(me, &c) {
        return Err(AppError::Forbidden(
            "listę uprawnionych wczytuje autor konsultacji albo koordynator".into(),
        ));
    }
    let (body, _) = super::content(app, &c).await?;
    if body.participants() != Participants::Roster {
        return Err(AppError::Conflict(
            "w tej konsultacji biorą udział mieszkańcy gminy; lista uprawnionych jest dla konsultacji zamkniętych i z upoważnioną grupą".into(),
        ));
    }
    let phase = phase_of(&c, today());
    if phase > Phase::Open {
        return Err(AppError::Conflict(format!(
            "listę uprawnionych wczytuje się do zakończenia konsultacji ({})",
            c.closes_on
        )));
    }
    let members = parse(&c.secret, csv).map_err(invalid)?;
    let organisations = {
        let mut voices: Vec<&str> = members
            .iter()
            .filter(|m| m.kind == "organisation")
            .map(|m| m.voice.as_str())
            .collect();
        voices.sort_unstable();
        voices.dedup();
        voices.len()
    };
    let (actor, name) = super::actor(me);
    let txn = sea_orm::TransactionTrait::begin(&app.db).await?;
    store::replace(&txn, &c.id, &members).await?;
    history::append(
        &txn,
        &c.id,
        Entry {
            actor: &actor,
            actor_name: &name,
            action: "roster_imported",
            detail: format!("{} members, {organisations} organisations", members.len()),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Imported {
        members: members.len(),
        organisations,
    })
}

/// The voice `member` answers with in a roster consultation, or the 403 saying who may
/// take part.
pub async fn voice(
    app: &AppState,
    c: &crate::db::entity::consultation::Model,
    kind: crate::domain::consultation::Kind,
    member: &str,
) -> AppResult<String> {
    store::voice_of(&app.db, &c.id, member)
        .await?
        .ok_or_else(|| AppError::Forbidden(who_may(kind)))
}

/// Who takes part in a roster consultation of `kind`, for refusals.
pub fn who_may(kind: crate::domain::consultation::Kind) -> String {
    use crate::domain::consultation::Kind;
    if kind == Kind::AuthorisedGroup {
        "w tej konsultacji biorą udział organizacje z listy konsultacji, przez swoich przedstawicieli (ustawa o działalności pożytku publicznego i o wolontariacie, art. 5 ust. 5); nie ma Cię na liście".into()
    } else {
        "w tej konsultacji biorą udział tylko osoby z listy uprawnionych, którą ustalił organizator; nie ma Cię na liście".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_roster_keeps_only_keys_and_names_every_bad_line() {
        let csv = "rodzaj;numer;pesel_przedstawiciela\npesel;44051401359;\nnip;8567346215;02070803628\nkrs;123456;85071503827\n# koniec\n";
        let m = parse("s", csv).unwrap();
        assert_eq!(m.len(), 3);
        assert_eq!((m[0].kind, m[1].kind), ("person", "organisation"));
        assert_eq!(m[0].member, m[0].voice);
        assert_ne!(m[1].member, m[1].voice);
        assert!(
            m.iter()
                .all(|x| !x.member.contains("4405") && x.member.len() == 64)
        );
        let bad = "pesel,44051401358\nnip,8567346216,44051401359\nkrs,0000000000,44051401359\nregon,1,2\npesel,44051401359\nnip,8567346215,\npesel,44051401359\n";
        let e = parse("s", bad).unwrap_err();
        let codes: Vec<(&str, &str)> = e
            .iter()
            .map(|x| (x.path.as_str(), x.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                ("line 1", "pesel.checksum"),
                ("line 2", "nip.checksum"),
                ("line 3", "krs.format"),
                ("line 4", "roster.kind"),
                ("line 6", "pesel.format"),
                ("line 7", "roster.twice"),
            ]
        );
    }
}
