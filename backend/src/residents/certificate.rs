//! Certificates from the residents' register and from the register of foreigners'
//! residence (issue 20 §1): what the register holds of the person on the day of issue
//! (KPA art. 218 § 1: a certificate of facts from a register the organ keeps; the
//! registers of ustawa o ewidencji ludności art. 8 pkt 2 and 3), with the stamp duty the
//! request computed and the JWS, laid out by the ledger's certificates
//! (`ledger::certificate::lay_out`). A clerk's `decide granted` issues it.

use serde::Serialize;
use time::Date;

use super::ResidentsRegister;
use crate::domain::clock::pl_date;
use crate::domain::pesel::Pesel;
use crate::domain::residence::{Register, Registration, Stay};
use crate::error::{AppError, AppResult};
use crate::ledger::certificate::{Request, lay_out};
use crate::receipt::Keystore;

/// The JWS claim `kind` of a register's certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Zaświadczenie z rejestru mieszkańców (o zameldowaniu).
    Residents,
    /// Zaświadczenie z rejestru zamieszkania cudzoziemców.
    ForeignersResidence,
}

impl Kind {
    /// The certificate a service issues, by its id in `forms/`.
    pub fn of_service(id: &str) -> Option<Self> {
        match id {
            "zaswiadczenie-o-zameldowaniu" => Some(Self::Residents),
            "zaswiadczenie-z-rejestru-cudzoziemcow" => Some(Self::ForeignersResidence),
            _ => None,
        }
    }

    pub fn register(self) -> Register {
        match self {
            Self::Residents => Register::Residents,
            Self::ForeignersResidence => Register::Foreigners,
        }
    }
}

fn stay_sentence(r: &Registration) -> String {
    let mut s = format!(
        "{} pod adresem: {}, od dnia {}",
        r.stay.pl(),
        r.address,
        pl_date(r.from_on)
    );
    if let (Stay::Temporary, Some(u)) = (r.stay, r.until_on) {
        s.push_str(&format!(" do dnia {}", pl_date(u)));
    }
    if let Some(c) = &r.citizenship {
        s.push_str(&format!(" (obywatelstwo: {c})"));
    }
    s
}

/// The sentences the certificate states, in Polish: the registrations current on `as_of`,
/// then the earlier ones, or that the register holds none.
pub fn statement(
    kind: Kind,
    who: &str,
    registrations: &[Registration],
    as_of: Date,
    authority: &str,
) -> Vec<String> {
    let register = kind.register();
    let day = pl_date(as_of);
    let mine: Vec<_> = registrations
        .iter()
        .filter(|r| r.register == register && r.from_on <= as_of)
        .collect();
    let (current, past): (Vec<&Registration>, Vec<&Registration>) =
        mine.iter().copied().partition(|r| r.current_on(as_of));
    let mut out = vec![if current.is_empty() {
        format!(
            "{who} nie figuruje na dzień {day} w {} prowadzonym przez {authority} jako osoba zameldowana.",
            locative(register)
        )
    } else {
        format!(
            "{who} figuruje na dzień {day} w {} prowadzonym przez {authority} jako osoba zameldowana na:",
            locative(register)
        )
    }];
    out.extend(current.iter().map(|r| format!("— {}.", stay_sentence(r))));
    if !past.is_empty() {
        out.push("Wcześniejsze zameldowania w rejestrze:".into());
        out.extend(past.iter().map(|r| {
            let end = r.ended_on.or(r.until_on).map(pl_date).unwrap_or_default();
            format!("— {}, do dnia {end}.", stay_sentence(r))
        }));
    }
    out
}

fn locative(r: Register) -> &'static str {
    match r {
        Register::Residents => "rejestrze mieszkańców",
        Register::Foreigners => "rejestrze zamieszkania cudzoziemców",
    }
}

/// Issues the certificate for the PESEL the request names: `(title, PDF)`.
pub async fn issue(
    register: &dyn ResidentsRegister,
    keys: &Keystore,
    kind: Kind,
    r: &Request<'_>,
    today: Date,
) -> AppResult<(String, Vec<u8>)> {
    let pesel = Pesel::parse(r.data["pesel"].as_str().unwrap_or_default()).map_err(|e| {
        AppError::Conflict(format!("Nie można odczytać numeru PESEL z wniosku: {e}."))
    })?;
    let registrations = register.registrations(&pesel).await?;
    let who = format!("{}, PESEL {pesel}", r.addressee);
    let sentences = statement(kind, &who, &registrations, today, r.authority);
    let basis = format!(
        "art. 218 § 1 tego kodeksu, z {} (art. 8 ustawy o ewidencji ludności)",
        kind.register().pl()
    );
    lay_out(
        keys,
        r,
        kind,
        pesel.as_ref(),
        &basis,
        sentences,
        None,
        today,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn reg(register: Register, stay: Stay, from: Date, ended: Option<Date>) -> Registration {
        Registration {
            key: "R".into(),
            register,
            pesel: Pesel::parse("44051401359").unwrap(),
            name: "Jan Kowalski".into(),
            citizenship: (register == Register::Foreigners).then(|| "Ukraina".into()),
            stay,
            address: "Rynek 1, 14-100 Ostróda".into(),
            from_on: from,
            until_on: (stay == Stay::Temporary).then_some(date!(2027 - 06 - 30)),
            ended_on: ended,
        }
    }

    #[test]
    fn kpa_art_218_the_statement_names_the_current_and_earlier_registrations() {
        let as_of = date!(2026 - 12 - 04);
        let rows = [
            reg(
                Register::Residents,
                Stay::Permanent,
                date!(2010 - 05 - 01),
                Some(date!(2020 - 01 - 01)),
            ),
            reg(
                Register::Residents,
                Stay::Permanent,
                date!(2020 - 01 - 02),
                None,
            ),
            reg(
                Register::Foreigners,
                Stay::Temporary,
                date!(2026 - 01 - 02),
                None,
            ),
        ];
        let s = statement(Kind::Residents, "Jan Kowalski", &rows, as_of, "Burmistrz");
        assert!(
            s[0].contains("figuruje na dzień 04.12.2026 w rejestrze mieszkańców"),
            "{s:?}"
        );
        assert_eq!(
            s[1],
            "— pobyt stały pod adresem: Rynek 1, 14-100 Ostróda, od dnia 02.01.2020."
        );
        assert_eq!(s[2], "Wcześniejsze zameldowania w rejestrze:");
        assert!(
            s[3].ends_with("od dnia 01.05.2010, do dnia 01.01.2020."),
            "{s:?}"
        );
        assert_eq!(s.len(), 4);
        let f = statement(Kind::ForeignersResidence, "Ivan", &rows, as_of, "Burmistrz");
        assert!(
            f[1].contains("pobyt czasowy")
                && f[1].contains("do dnia 30.06.2027 (obywatelstwo: Ukraina)"),
            "{f:?}"
        );
        let none = statement(
            Kind::ForeignersResidence,
            "Jan",
            &rows[..2],
            as_of,
            "Burmistrz",
        );
        assert_eq!(none.len(), 1);
        assert!(none[0].contains("nie figuruje"), "{none:?}");
    }
}
