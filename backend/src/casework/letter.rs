//! The office's letters in a case: the service's template (or okienko's plain one for its
//! procedure) filled from the case and the action, laid out as a PDF and stored.

use super::Term;
use crate::db::cases::Actor;
use crate::db::entity::case_file;
use crate::domain::clock;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Renders the letter of `kind` for `case` and stores its PDF; the row is written by the
/// caller's transaction. A service that defines letters but not this one refuses (409).
pub(super) async fn make(
    app: &AppState,
    case: &case_file::Model,
    kind: &str,
    actor: &Actor,
    detail: &serde_json::Value,
    reason: Option<&str>,
) -> AppResult<crate::db::entity::case_document::Model> {
    if kind == "granted"
        && let Some(cert) = Certificate::of_service(&case.service_id)
    {
        return certificate(app, case, cert, actor).await;
    }
    let svc = app.catalogue.get(&case.service_id);
    let template = crate::letters::template(svc.map(|s| s.as_ref()), kind).ok_or_else(|| {
        AppError::Conflict(format!(
            "Usługa `{}` nie ma wzoru pisma `{kind}`; administrator musi dodać `letters.{kind}` do jej definicji w forms/.",
            case.service_id
        ))
    })?;
    let submission = crate::db::submissions::by_id(&app.db, &case.submission_id).await?;
    let applicant = submission
        .as_ref()
        .and_then(|s| serde_json::from_str::<serde_json::Value>(&s.applicant).ok())
        .and_then(|a| a["name"].as_str().map(str::to_owned))
        .unwrap_or_else(|| "Wnioskodawca".into());
    let today = clock::in_poland(time::OffsetDateTime::now_utc()).date();
    let pl_date = clock::pl_date;
    let items = detail["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default();
    let date_of = |k: &str| {
        detail[k]
            .as_str()
            .and_then(crate::forms::expr::parse_date)
            .map(pl_date)
            .unwrap_or_default()
    };
    let term = detail["term"]
        .as_str()
        .and_then(|t| Term::parse(t).ok())
        .map(Term::pl)
        .unwrap_or_default();
    let new_due_on = date_of("new_due_on");
    let service_title = svc.map_or_else(|| case.service_id.clone(), |s| s.def.title.pl.clone());
    // the council's cases (its office's unit) are answered by the council (u.s.g. art. 18b)
    let authority = if case.unit == app.settings.council.office_unit {
        app.settings.council.name.clone()
    } else {
        app.settings.authority.name.clone()
    };
    let values = std::collections::BTreeMap::from([
        ("sign", case.sign.clone()),
        ("register_no", format!("{}/{}", case.register_no, case.year)),
        ("filed_on", pl_date(case.started_on)),
        ("date", pl_date(today)),
        ("applicant", applicant.clone()),
        ("service", service_title),
        ("authority", authority.clone()),
        ("reason", reason.unwrap_or("").to_owned()),
        ("items", items),
        ("term", term),
        ("new_due_on", new_due_on),
        ("fee", detail["fee"].as_str().unwrap_or("").to_owned()),
        (
            "forward_to",
            detail["forward_to"].as_str().unwrap_or("").to_owned(),
        ),
    ]);
    // while the case's fee is owed, the letter carries how to pay it (issue 21 §1)
    let fees = crate::db::payments::open_for_case(&app.db, &case.id).await?;
    let payment = fees
        .iter()
        .flat_map(|d| crate::payments::transfer::letter_lines(&app.settings.payments, d))
        .collect();
    let bytes = crate::letters::pdf(&crate::letters::Letter {
        template: &template,
        values: &values,
        authority: &authority,
        place_and_date: pl_date(today),
        sign: &case.sign,
        addressee: applicant,
        reason: if kind == "call_to_supplement" {
            None
        } else {
            reason
        },
        signer: format!("z upoważnienia organu — {}, {}", actor.name, actor.position),
        payment,
    })?;
    store(app, case, kind, template.title, bytes).await
}

/// The certificates a `granted` issues: from the tax ledger or from a residents' register.
#[derive(Clone, Copy)]
enum Certificate {
    Ledger(crate::ledger::certificate::Kind),
    Register(crate::residents::certificate::Kind),
}

impl Certificate {
    fn of_service(id: &str) -> Option<Self> {
        crate::ledger::certificate::Kind::of_service(id)
            .map(Self::Ledger)
            .or_else(|| crate::residents::certificate::Kind::of_service(id).map(Self::Register))
    }
}

/// A certificate read from the tax ledger (`ledger::certificate`) or a residents' register
/// (`residents::certificate`), where the service is one.
async fn certificate(
    app: &AppState,
    case: &case_file::Model,
    cert: Certificate,
    actor: &Actor,
) -> AppResult<crate::db::entity::case_document::Model> {
    awaiting_fee(app, case).await?;
    let submission = crate::db::submissions::by_id(&app.db, &case.submission_id).await?;
    let data = submission
        .as_ref()
        .and_then(|s| serde_json::from_str::<serde_json::Value>(&s.data).ok())
        .unwrap_or_default();
    let addressee = [&data["given_name"], &data["family_name"]]
        .iter()
        .filter_map(|v| v.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let issuer = app.settings.base_url();
    let request = crate::ledger::certificate::Request {
        case_sign: &case.sign,
        register_no: format!("{}/{}", case.register_no, case.year),
        filed_on: case.started_on,
        authority: &app.settings.authority.name,
        issuer: &issuer,
        signer: format!("z upoważnienia organu — {}, {}", actor.name, actor.position),
        addressee,
        data: &data,
    };
    let today = clock::in_poland(time::OffsetDateTime::now_utc()).date();
    let (title, bytes) = match cert {
        Certificate::Ledger(k) => {
            crate::ledger::certificate::issue(app.ledger.as_ref(), &app.keys, k, &request, today)
                .await?
        }
        Certificate::Register(k) => {
            crate::residents::certificate::issue(
                app.residents.as_ref(),
                &app.keys,
                k,
                &request,
                today,
            )
            .await?
        }
    };
    store(app, case, "granted", title, bytes).await
}

/// Refuses (409) while the case's fee is not paid in full: a request without its stamp duty
/// is called to be completed (KPA art. 261 § 1) and the certificate is not issued until the
/// duty is paid (ustawa o opłacie skarbowej art. 6 ust. 1 pkt 1 and art. 8 ust. 1: paid
/// when the request is filed). A case with no fee debt (exempt, or filed before payments
/// were set up) is not held.
async fn awaiting_fee(app: &AppState, case: &case_file::Model) -> AppResult<()> {
    let fees = crate::db::payments::open_for_case(&app.db, &case.id).await?;
    let owed: i64 = fees.iter().map(|d| (d.amount - d.paid).max(0)).sum();
    if owed > 0 {
        let zl = crate::domain::payment::Grosze::new(owed)
            .map_or_else(|_| owed.to_string(), |g| g.to_string());
        return Err(AppError::Conflict(format!(
            "sprawa oczekuje na opłatę ({zl} do zapłaty): zaświadczenie wydaje się po jej uiszczeniu (art. 261 § 1 KPA)"
        )));
    }
    Ok(())
}

/// Stores a letter's PDF; the row is written by the caller's transaction.
async fn store(
    app: &AppState,
    case: &case_file::Model,
    kind: &str,
    title: String,
    bytes: Vec<u8>,
) -> AppResult<crate::db::entity::case_document::Model> {
    use object_store::ObjectStoreExt;
    let id = uuid::Uuid::now_v7().to_string();
    let key = format!("cases/{}/letters/{id}.pdf", case.id);
    let sha3 = crate::receipt::claims::sha3_hex(&bytes);
    let size = bytes.len() as i64;
    app.storage
        .put(&object_store::path::Path::from(key.as_str()), bytes.into())
        .await
        .map_err(|e| anyhow::anyhow!("storing a letter: {e}"))?;
    Ok(crate::db::entity::case_document::Model {
        id,
        case_id: case.id.clone(),
        kind: kind.to_owned(),
        title,
        storage_key: key,
        sha3_256: sha3,
        size,
        created_at: time::OffsetDateTime::now_utc(),
    })
}
