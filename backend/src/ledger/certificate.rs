//! Certificates issued from the tax ledger (issue 20 §1): no tax arrears or the state of
//! arrears (Ordynacja podatkowa art. 306e § 1), presence in the register of taxpayers
//! (art. 306a § 1). A clerk's `decide granted` on the case issues it (`casework::letter`):
//! the statement read from the ledger on the day of issue, the stamp duty the request
//! computed (ustawa o opłacie skarbowej, załącznik część II poz. 21; art. 2 ust. 1 pkt 1
//! exempts), and a JWS over its claims, laid out as PDF/UA (`receipt::pdf::document`).

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;
use time::Date;

use super::TaxLedger;
use crate::domain::clock::pl_date;
use crate::domain::ledger::{Balance, TaxObject, Taxpayer, TaxpayerId};
use crate::error::{AppError, AppResult};
use crate::receipt::Keystore;
use crate::receipt::pdf::{Line, document};

/// The JWS header's `typ` of a certificate.
pub const TYPE: &str = "okienko-certificate+jwt";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Zaświadczenie o niezaleganiu albo stwierdzające stan zaległości (art. 306e § 1).
    NoArrears,
    /// Zaświadczenie o figurowaniu w ewidencji podatników (art. 306a § 1).
    InRegister,
}

impl Kind {
    /// The certificate a service issues, by its id in `forms/`.
    pub fn of_service(id: &str) -> Option<Self> {
        match id {
            "zaswiadczenie-o-niezaleganiu" => Some(Self::NoArrears),
            "zaswiadczenie-o-figurowaniu" => Some(Self::InRegister),
            _ => None,
        }
    }
}

/// What the ledger says on the day of issue.
pub struct Facts {
    pub taxpayer: Option<Taxpayer>,
    pub balance: Option<Balance>,
    pub objects: Vec<TaxObject>,
}

/// Reads the facts a certificate of `kind` states about `id` on `as_of`.
pub async fn facts(
    ledger: &dyn TaxLedger,
    kind: Kind,
    id: &TaxpayerId,
    as_of: Date,
) -> AppResult<Facts> {
    let Some(t) = ledger.taxpayer(id).await? else {
        return Ok(Facts {
            taxpayer: None,
            balance: None,
            objects: vec![],
        });
    };
    let (balance, objects) = match kind {
        Kind::NoArrears => (Some(super::balance(ledger, &t, as_of).await?), vec![]),
        Kind::InRegister => (None, ledger.objects(&t).await?),
    };
    Ok(Facts {
        taxpayer: Some(t),
        balance,
        objects,
    })
}

/// `812.5` as `812,50 zł`.
pub fn zl(d: Decimal) -> String {
    format!("{:.2} zł", d.round_dp(2)).replace('.', ",")
}

/// The sentences the certificate states, in Polish.
pub fn statement(kind: Kind, who: &str, f: &Facts, as_of: Date, authority: &str) -> Vec<String> {
    let day = pl_date(as_of);
    let Some(t) = &f.taxpayer else {
        return vec![match kind {
            Kind::NoArrears => format!(
                "{who} nie figuruje w ewidencji podatników organu podatkowego ({authority}) i na dzień {day} nie posiada zaległości podatkowych w podatkach lokalnych, których jest on wierzycielem."
            ),
            Kind::InRegister => format!(
                "{who} nie figuruje na dzień {day} w ewidencji podatników organu podatkowego ({authority})."
            ),
        }];
    };
    match (kind, &f.balance) {
        (Kind::NoArrears, Some(b)) if b.has_arrears() => vec![format!(
            "{who} (konto podatnika {}) posiada na dzień {day} zaległości podatkowe w podatkach lokalnych w wysokości {} (należności, których termin płatności upłynął: {}; wpłaty: {}).",
            t.key,
            zl(b.arrears),
            zl(b.due),
            zl(b.paid)
        )],
        (Kind::NoArrears, _) => vec![format!(
            "{who} (konto podatnika {}) nie posiada na dzień {day} zaległości podatkowych w podatkach lokalnych, których wierzycielem jest {authority}.",
            t.key
        )],
        (Kind::InRegister, _) => {
            let mut families: Vec<_> = f.objects.iter().map(|o| o.family).collect();
            families.sort();
            families.dedup();
            let list = families
                .iter()
                .map(|f| f.pl())
                .collect::<Vec<_>>()
                .join(", ");
            let mut out = vec![format!(
                "{who} figuruje na dzień {day} w ewidencji podatników organu podatkowego ({authority}) pod numerem konta {} jako podatnik: {}; przedmiotów opodatkowania: {}.",
                t.key,
                if list.is_empty() {
                    "bez przedmiotów opodatkowania".into()
                } else {
                    list
                },
                f.objects.len()
            )];
            out.extend(f.objects.iter().map(|o| {
                format!(
                    "— {}: {}, podstawa {}",
                    o.category,
                    o.location,
                    o.base.normalize()
                )
            }));
            out
        }
    }
}

/// The stamp duty line: the fee the request computed from the purpose, or its exemption.
pub fn fee_line(fee: Decimal, purpose: &str) -> String {
    if fee.is_zero() {
        format!(
            "Zaświadczenie wolne od opłaty skarbowej (art. 2 ust. 1 pkt 1 ustawy o opłacie skarbowej; cel: {purpose})."
        )
    } else {
        format!(
            "Opłata skarbowa: {} (ustawa o opłacie skarbowej, załącznik część II poz. 21).",
            zl(fee)
        )
    }
}

/// What the certificate's JWS signs; `K` is the kind (`Kind` here, the registers' in
/// `residents::certificate`).
#[derive(Debug, Serialize)]
pub struct Claims<'a, K: Serialize> {
    pub iss: &'a str,
    /// The case's sign again: `receipt verify` checks a JWS's `sub` as every okienko JWS.
    pub sub: &'a str,
    pub kind: K,
    pub case: &'a str,
    /// Whom it is about: the PESEL or NIP.
    pub subject: &'a str,
    pub as_of: String,
    pub fee: String,
    /// The SHA3-256 of the statement's sentences joined by newlines.
    pub statement_sha3_256: String,
    pub arrears: Option<String>,
    pub iat: i64,
}

/// The parts of a certificate its case supplies.
pub struct Request<'a> {
    pub case_sign: &'a str,
    pub register_no: String,
    pub filed_on: Date,
    pub authority: &'a str,
    pub issuer: &'a str,
    pub signer: String,
    pub addressee: String,
    /// The filed request's data: `pesel` (or `taxpayer_kind: company` and `nip`),
    /// `purpose`, `fee`.
    pub data: &'a Value,
}

impl Request<'_> {
    /// The stamp duty the request computed (17 zł when it is missing).
    pub fn fee(&self) -> Decimal {
        self.data["fee"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .or_else(|| {
                self.data["fee"]
                    .as_f64()
                    .and_then(|x| Decimal::try_from(x).ok())
            })
            .unwrap_or(Decimal::from(17))
    }

    /// Whom the request names: a company's NIP (`taxpayer_kind: company`) or the PESEL.
    pub fn subject(&self) -> AppResult<TaxpayerId> {
        let (kind, value) = if self.data["taxpayer_kind"].as_str() == Some("company") {
            ("nip", self.data["nip"].as_str())
        } else {
            ("pesel", self.data["pesel"].as_str())
        };
        TaxpayerId::parse(kind, value.unwrap_or_default()).map_err(|e| {
            AppError::Conflict(format!(
                "Nie można odczytać numeru {} z wniosku: {e}.",
                kind.to_uppercase()
            ))
        })
    }
}

/// Issues the certificate: `(title, PDF)`.
pub async fn issue(
    ledger: &dyn TaxLedger,
    keys: &Keystore,
    kind: Kind,
    r: &Request<'_>,
    today: Date,
) -> AppResult<(String, Vec<u8>)> {
    let id = r.subject()?;
    let f = facts(ledger, kind, &id, today).await?;
    let who = match &id {
        TaxpayerId::Pesel(p) => format!("{}, PESEL {p}", r.addressee),
        TaxpayerId::Nip(n) => format!(
            "{}, NIP {}",
            r.data["company_name"].as_str().unwrap_or(&r.addressee),
            n.as_ref()
        ),
    };
    let sentences = statement(kind, &who, &f, today, r.authority);
    let basis = format!(
        "art. 306a § 1{} Ordynacji podatkowej",
        if kind == Kind::NoArrears {
            " i art. 306e § 1"
        } else {
            ""
        }
    );
    let arrears = f
        .balance
        .as_ref()
        .map(|b| b.arrears.round_dp(2).to_string());
    lay_out(keys, r, kind, id.value(), &basis, sentences, arrears, today)
}

/// The certificate's JWS (typ `okienko-certificate+jwt`) over its `Claims`.
pub fn sign<K: Serialize>(
    keys: &Keystore,
    r: &Request<'_>,
    kind: K,
    subject: &str,
    sentences: &[String],
    arrears: Option<String>,
    today: Date,
) -> AppResult<String> {
    let claims = Claims {
        iss: r.issuer,
        sub: r.case_sign,
        kind,
        case: r.case_sign,
        subject,
        as_of: today.to_string(),
        fee: r.fee().round_dp(2).to_string(),
        statement_sha3_256: crate::receipt::claims::sha3_hex(sentences.join("\n").as_bytes()),
        arrears,
        iat: time::OffsetDateTime::now_utc().unix_timestamp(),
    };
    Ok(crate::participation::signing::sign(keys, TYPE, &claims)?)
}

/// Signs and lays out a certificate whose statement is made: the heading, KPA art. 217
/// with `basis`, the sentences, the stamp duty and the JWS over `Claims`; `(title, PDF)`.
#[expect(clippy::too_many_arguments, reason = "the parts of one certificate")]
pub fn lay_out<K: Serialize>(
    keys: &Keystore,
    r: &Request<'_>,
    kind: K,
    subject: &str,
    basis: &str,
    sentences: Vec<String>,
    arrears: Option<String>,
    today: Date,
) -> AppResult<(String, Vec<u8>)> {
    let fee = r.fee();
    let purpose = r.data["purpose"].as_str().unwrap_or("other");
    let jws = sign(keys, r, kind, subject, &sentences, arrears, today)?;
    let title = "ZAŚWIADCZENIE".to_owned();
    let mut lines = vec![
        Line::Heading(r.authority.to_owned()),
        Line::Text(pl_date(today)),
        Line::Text(format!("Znak sprawy: {}", r.case_sign)),
        Line::Gap,
        Line::Text(r.addressee.clone()),
        Line::Gap,
        Line::Title(title.clone()),
        Line::Gap,
        Line::Text(format!(
            "Na podstawie art. 217 Kodeksu postępowania administracyjnego oraz {basis}, na wniosek złożony {} (nr w rejestrze {}), {} zaświadcza, że:",
            pl_date(r.filed_on),
            r.register_no,
            r.authority
        )),
    ];
    lines.extend(sentences.into_iter().map(Line::Text));
    lines.extend([
        Line::Gap,
        Line::Text(fee_line(fee, purpose)),
        Line::Gap,
        Line::Text(r.signer.clone()),
        Line::Small("Zaświadczenie wydane w systemie okienko i podpisane jego kluczem (JWS poniżej; klucze publiczne: /.well-known/jwks.json).".into()),
        Line::Small(jws),
    ]);
    let bytes = document(&format!("{title} — {}", r.case_sign), lines)?;
    Ok((title, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ledger::{Family, Instalment, Payment};
    use time::macros::date;

    fn taxpayer() -> Taxpayer {
        Taxpayer {
            key: "T1".into(),
            id: TaxpayerId::parse("pesel", "44051401359").unwrap(),
            name: "Jan Kowalski".into(),
            address: "Ostróda".into(),
        }
    }

    #[test]
    fn op_art_306e_the_statement_names_the_arrears_or_their_absence() {
        let i = [Instalment {
            year: 2026,
            family: Family::Property,
            number: 1,
            due_on: date!(2026 - 03 - 15),
            amount: Decimal::new(20312, 2),
        }];
        let p = [Payment {
            key: "P".into(),
            paid_on: date!(2026 - 03 - 01),
            amount: Decimal::from(100),
        }];
        let as_of = date!(2026 - 12 - 04);
        let f = Facts {
            taxpayer: Some(taxpayer()),
            balance: Some(Balance::of(&i, &p, as_of)),
            objects: vec![],
        };
        let s = statement(Kind::NoArrears, "Jan Kowalski", &f, as_of, "Wójt");
        assert!(s[0].contains("posiada na dzień 04.12.2026 zaległości podatkowe w podatkach lokalnych w wysokości 103,12 zł"), "{s:?}");
        let none = Facts {
            taxpayer: None,
            balance: None,
            objects: vec![],
        };
        let s = statement(Kind::NoArrears, "Jan Kowalski", &none, as_of, "Wójt");
        assert!(s[0].contains("nie posiada zaległości"), "{s:?}");
        assert_eq!(
            fee_line(Decimal::from(17), "other"),
            "Opłata skarbowa: 17,00 zł (ustawa o opłacie skarbowej, załącznik część II poz. 21)."
        );
        assert!(fee_line(Decimal::ZERO, "social_assistance").contains("wolne od opłaty skarbowej"));
    }
}
