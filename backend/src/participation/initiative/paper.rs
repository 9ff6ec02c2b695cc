//! Paper support lists (u.s.g. art. 41a): a clerk types in each signature of a list the
//! committee hands in, a second clerk accepts it (`participation::paper`, four eyes). The
//! same keyed hash as online removes doubles: whoever supported first counts, online or on
//! paper, and a second signature of the same person is a duplicate.

use sea_orm::DatabaseTransaction;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::db::entity::initiative as row;
use crate::db::initiatives::{self as store, COLLECTING, NewSupport};
use crate::domain::identity::Identity;
use crate::domain::initiative::{Declaration, eligible};
use crate::domain::pesel::Pesel;
use crate::error::{AppError, AppResult};
use crate::forms::FieldError;
use crate::participation::paper::{Applied, Instrument};
use crate::state::AppState;

use super::{find, office, today};

/// The supports of an initiative, as paper cards.
pub struct Supports;

/// One signature of a paper list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Signature {
    name: String,
    address: String,
    /// The day written beside the signature; today when the list gives none.
    signed_on: Option<String>,
}

fn date(s: &str) -> Option<time::Date> {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

fn problem(path: &str, code: &str, message: String) -> AppError {
    AppError::fields(vec![FieldError {
        path: path.into(),
        code: code.into(),
        message,
    }])
}

impl Instrument for Supports {
    const NAME: &'static str = "initiative";
    type Subject = row::Model;

    async fn subject(&self, app: &AppState, who: &Identity, id: &str) -> AppResult<row::Model> {
        office(Some(who))?;
        let i = find(app, id).await?;
        if i.state != COLLECTING {
            return Err(AppError::Conflict(
                "listy poparcia wpisuje się przed złożeniem inicjatywy".into(),
            ));
        }
        Ok(i)
    }

    fn subject_id(s: &row::Model) -> &str {
        &s.id
    }

    fn secret(s: &row::Model) -> &str {
        &s.secret
    }

    fn anonymous(_: &row::Model) -> bool {
        false
    }

    async fn check(
        &self,
        _app: &AppState,
        s: &row::Model,
        pesel: &Pesel,
        data: &Value,
    ) -> AppResult<String> {
        let sig: Signature = serde_json::from_value(data.clone()).map_err(|e| {
            problem(
                "data",
                "initiative.signature",
                format!("podpis z listy: imię i nazwisko, adres i data (RRRR-MM-DD): {e}"),
            )
        })?;
        let name = sig.name.trim();
        if !(3..=300).contains(&name.chars().count()) {
            return Err(problem(
                "data.name",
                "length",
                "imię i nazwisko: od 3 do 300 znaków".into(),
            ));
        }
        let address = sig.address.trim();
        if !(3..=400).contains(&address.chars().count()) {
            return Err(problem(
                "data.address",
                "length",
                "adres: od 3 do 400 znaków".into(),
            ));
        }
        let day = match sig
            .signed_on
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            None => today(),
            Some(d) => date(d).ok_or_else(|| {
                problem(
                    "data.signed_on",
                    "date",
                    "data podpisu w postaci RRRR-MM-DD".into(),
                )
            })?,
        };
        if day > today() {
            return Err(problem(
                "data.signed_on",
                "date.future",
                "data podpisu nie może być późniejsza niż dziś".into(),
            ));
        }
        // the list's header carries the declarations of residence and citizenship
        let declared = Declaration {
            permanent_resident: true,
            eu_citizen: true,
        };
        eligible(pesel, declared, day).map_err(super::support::refusal)?;
        let mut stored = json!({ "name": name, "address": address, "signed_on": day.to_string() });
        if s.keeps_pesel {
            stored["pesel"] = json!(pesel.as_ref() as &str);
        }
        Ok(stored.to_string())
    }

    async fn apply(
        &self,
        txn: &DatabaseTransaction,
        s: &row::Model,
        person_key: &str,
        data: &str,
    ) -> Result<Applied, sea_orm::DbErr> {
        let v: Value = serde_json::from_str(data).unwrap_or(Value::Null);
        let text = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
        let day = date(&text("signed_on")).unwrap_or_else(today);
        let (name, address, pesel) = (text("name"), text("address"), text("pesel"));
        let added = store::add_support(
            txn,
            NewSupport {
                initiative_id: &s.id,
                supporter: person_key,
                channel: "paper",
                name: &name,
                address: Some(&address),
                pesel: (!pesel.is_empty()).then_some(pesel.as_str()),
                supported_on: day,
                entered_by: None,
            },
        )
        .await?;
        Ok(if added {
            Applied::Counted
        } else {
            Applied::Duplicate(
                "ta osoba już poparła projekt (online albo na innej liście); liczy się jedno poparcie".into(),
            )
        })
    }
}
