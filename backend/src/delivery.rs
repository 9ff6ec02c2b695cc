//! E-delivery (modelled on e-Doręczenia, DOMAIN.md §1): mailboxes with addresses, letters
//! from cases delivered to residents, evidences signed like receipts, and the jobs that
//! follow a message (the e-mail notice, the reminder, deemed delivery once 14 full days
//! have passed).

use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::{Duration, OffsetDateTime};

use crate::db::entity::{case_file, evidence, mailbox, message, message_copy};
use crate::db::{mailboxes, outbox};
use crate::domain::ade::Ade;
use crate::receipt::Keystore;

/// A reminder goes out after this many days unopened.
pub const REMINDER_AFTER_DAYS: i64 = 7;

/// When an addressee's copy counts as delivered if left unopened: the start of the 15th
/// day after the day it became available (u.d.e. art. 42 ust. 2, `domain::deemed`).
pub fn deemed_at(copy: &message_copy::Model) -> OffsetDateTime {
    crate::domain::deemed::deemed_at(copy.available_at.unwrap_or(copy.created_at))
}

/// Receiving a letter in an inbox (the addressee's explicit action, a POST): the first
/// time records E.1; returns the copy as it now is.
pub async fn receive(
    app: &crate::state::AppState,
    copy: message_copy::Model,
    m: &message::Model,
) -> anyhow::Result<message_copy::Model> {
    use sea_orm::TransactionTrait;
    if copy.folder != "inbox" || copy.status != "awaiting" {
        return Ok(copy);
    }
    let txn = app.db.begin().await?;
    mark_delivered(&txn, app, &copy, m, "opened", OffsetDateTime::now_utc()).await?;
    txn.commit().await?;
    Ok(mailboxes::copy_by_id(&app.db, &copy.id)
        .await?
        .unwrap_or(copy))
}

/// A fresh random address `AE:PL-NNNNN-NNNNN-LLLLL-CC` with its check pair.
pub fn new_address() -> String {
    let mut b = [0u8; 13];
    if getrandom::fill(&mut b).is_err() {
        std::process::abort();
    }
    let num = |x: &[u8]| 10_000 + (u32::from_le_bytes([x[0], x[1], x[2], 0]) % 90_000);
    let letters: String = b[8..13].iter().map(|x| char::from(b'A' + x % 26)).collect();
    Ade::with_check(num(&b[0..3]), num(&b[3..6]), &letters)
        .map(|a| a.as_ref().to_owned())
        .unwrap_or_else(|_| {
            format!(
                "AE:PL-{:05}-{:05}-{letters}-00",
                num(&b[0..3]),
                num(&b[3..6])
            )
        })
}

/// What an evidence attests, signed as a compact JWS with the receipt keys.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EvidenceClaims {
    pub iss: String,
    /// The evidence id.
    pub sub: String,
    pub iat: i64,
    /// `A.1`, `D.1`, `E.1`, `BP.WX`, ...
    pub code: String,
    pub meaning: String,
    pub message_id: String,
    /// The mailbox the evidence is about (the sender for A.1 and BP.WX, the addressee else).
    pub mailbox: String,
    pub sender: String,
    /// When the event happened (RFC 3339, UTC).
    pub at: String,
    /// SHA3-256 of the message (subject, body, attachment hashes).
    pub message_sha3_256: String,
    /// For E.1: `opened` or `deemed` (u.d.e. art. 41 ust. 1 pkt 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<String>,
}

pub const EVIDENCE_TYPE: &str = "okienko-evidence+jwt";

fn meaning(code: &str) -> &'static str {
    match code {
        "A.1" => "dowód nadania: przesyłka przyjęta do wysłania",
        "D.1" => "dowód dostarczenia: przesyłka gotowa do odbioru w skrzynce adresata",
        "E.1" => "dowód otrzymania",
        "BP.WX" => "potwierdzenie wysłania (podmiot publiczny)",
        "BP.OX" => "potwierdzenie otrzymania (podmiot publiczny)",
        _ => "dowód",
    }
}

pub fn sign_evidence(keys: &Keystore, claims: &EvidenceClaims) -> anyhow::Result<String> {
    use jsonwebtoken::{Algorithm, Header};
    let (kid, key) = keys.active()?;
    let mut h = Header::new(Algorithm::EdDSA);
    h.kid = Some(kid);
    h.typ = Some(EVIDENCE_TYPE.into());
    Ok(jsonwebtoken::encode(&h, claims, &key)?)
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Makes, signs and stores the evidence `code` for `mailbox` (once).
pub async fn evidence(
    txn: &impl ConnectionTrait,
    app: &crate::state::AppState,
    m: &message::Model,
    mailbox: &str,
    code: &str,
    at: OffsetDateTime,
    delivery: Option<&str>,
) -> anyhow::Result<bool> {
    let id = uuid::Uuid::now_v7().to_string();
    let claims = EvidenceClaims {
        iss: app.settings.base_url(),
        sub: id.clone(),
        iat: OffsetDateTime::now_utc().unix_timestamp(),
        code: code.to_owned(),
        meaning: meaning(code).to_owned(),
        message_id: m.id.clone(),
        mailbox: mailbox.to_owned(),
        sender: m.sender.clone(),
        at: rfc3339(at),
        message_sha3_256: m.sha3_256.clone(),
        delivery: delivery.map(str::to_owned),
    };
    let jws = sign_evidence(&app.keys, &claims)?;
    Ok(mailboxes::add_evidence(
        txn,
        evidence::Model {
            id,
            message_id: m.id.clone(),
            mailbox: mailbox.to_owned(),
            code: code.to_owned(),
            at,
            jws,
        },
    )
    .await?)
}

/// The digest of a message as its evidences name it.
pub fn message_digest(subject: &str, body: &str, attachment_hashes: &[&str]) -> String {
    crate::receipt::claims::sha3_hex(
        format!("{subject}\u{1f}{body}\u{1f}{}", attachment_hashes.join(",")).as_bytes(),
    )
}

/// Sends a case's letter from the unit's mailbox to the resident's, with its evidences and
/// the jobs that follow, in the caller's transaction. `None` when the resident has no
/// mailbox (an anonymous filing): the letter then goes by other means.
pub async fn send_case_letter(
    txn: &impl ConnectionTrait,
    app: &crate::state::AppState,
    case: &case_file::Model,
    document: &crate::db::entity::case_document::Model,
    now: OffsetDateTime,
) -> anyhow::Result<Option<message::Model>> {
    let Some(resident) = mailboxes::by_owner(txn, &case.owner).await? else {
        return Ok(None);
    };
    let unit = unit_mailbox(txn, app, &case.unit).await?;
    let subject = format!("{} — sprawa {}", document.title, case.sign);
    let body = format!(
        "W załączeniu pismo w sprawie {}. Odebranie pisma w skrzynce w portalu jest jego odebraniem; pismo nieodebrane portal traktuje jak doręczone po upływie {} dni od dnia jego udostępnienia, tak jak e-Doręczenia (art. 42 ust. 2 ustawy o doręczeniach elektronicznych). Skutek prawny doręczenia ma pismo doręczone na adres do doręczeń elektronicznych.",
        case.sign,
        crate::domain::deemed::FULL_DAYS
    );
    let m = send_from_unit(
        txn,
        app,
        &unit,
        Outgoing {
            recipients: std::slice::from_ref(&resident.address),
            subject: &subject,
            body: &body,
            case_sign: Some(&case.sign),
            document_id: Some(&document.id),
            attachment_hashes: &[document.sha3_256.as_str()],
            thread_id: None,
            ref_to: None,
        },
        now,
    )
    .await?;
    Ok(Some(m))
}

/// The references an outgoing message carries (`caseId`, `threadId`, `refToMessageId`),
/// checked in one place against the sending unit: the case must be the unit's, and the
/// thread and the message referred to must be in the unit's mailbox. Otherwise a clerk of
/// one unit could add letters (history entries, deliveries, answered calls) to another
/// unit's case and send the resident's reply there. `Some(what)` names the first foreign
/// reference, for a 404 that reveals no more than a missing one would.
pub async fn foreign_reference(
    db: &impl ConnectionTrait,
    unit: &mailbox::Model,
    case_sign: Option<&str>,
    thread_id: Option<&str>,
    ref_to: Option<&str>,
) -> Result<Option<&'static str>, sea_orm::DbErr> {
    let symbol = unit.owner.strip_prefix("unit:");
    if let Some(sign) = case_sign {
        let case = crate::db::cases::by_sign(db, sign).await?;
        if symbol.is_none() || case.is_none_or(|c| Some(c.unit.as_str()) != symbol) {
            return Ok(Some("case"));
        }
    }
    if let Some(t) = thread_id
        && !mailboxes::holds_thread(db, &unit.address, t).await?
    {
        return Ok(Some("thread"));
    }
    if let Some(r) = ref_to {
        let Some((_, m)) = mailboxes::copy_in(db, &unit.address, r).await? else {
            return Ok(Some("message"));
        };
        if thread_id.is_some_and(|t| t != m.thread_id) {
            return Ok(Some("message"));
        }
    }
    Ok(None)
}

/// The evidences of `m` the holder of mailbox `viewer` may see: the sender sees them all;
/// an addressee sees the sender's (A.1, BP.WX) and their own, never another addressee's
/// (which would show who else got the letter and when they opened it).
pub fn visible_to(
    m: &message::Model,
    viewer: &str,
    all: Vec<evidence::Model>,
) -> Vec<evidence::Model> {
    if m.sender == viewer {
        return all;
    }
    all.into_iter()
        .filter(|e| e.mailbox == viewer || e.mailbox == m.sender)
        .collect()
}

/// Whether `copy` is a letter in an inbox not yet received: its content waits for the
/// explicit "receive" (which records E.1), so a link preview or prefetch opens nothing.
pub fn awaits_receipt(copy: &message_copy::Model) -> bool {
    copy.folder == "inbox" && copy.status == "awaiting"
}

/// A message the office sends.
pub struct Outgoing<'a> {
    pub recipients: &'a [String],
    pub subject: &'a str,
    pub body: &'a str,
    pub case_sign: Option<&'a str>,
    pub document_id: Option<&'a str>,
    pub attachment_hashes: &'a [&'a str],
    pub thread_id: Option<&'a str>,
    pub ref_to: Option<&'a str>,
}

/// Sends from a unit's mailbox: A.1 and BP.WX for the unit, D.1 for each addressee, and
/// each addressee's notice, reminders and deemed delivery in the outbox.
pub async fn send_from_unit(
    txn: &impl ConnectionTrait,
    app: &crate::state::AppState,
    unit: &mailbox::Model,
    o: Outgoing<'_>,
    now: OffsetDateTime,
) -> anyhow::Result<message::Model> {
    let digest = message_digest(o.subject, o.body, o.attachment_hashes);
    let (m, _copies) = mailboxes::send(
        txn,
        mailboxes::NewMessage {
            sender: &unit.address,
            recipients: o.recipients,
            subject: o.subject,
            body: o.body,
            case_sign: o.case_sign,
            document_id: o.document_id,
            thread_id: o.thread_id,
            ref_to: o.ref_to,
            sha3_256: &digest,
            at: now,
        },
    )
    .await?;
    after_sending(txn, app, unit, &m, o.recipients, now).await?;
    Ok(m)
}

/// What follows a unit's message out: A.1 and BP.WX for the unit, D.1 for each
/// addressee, and each addressee's notice, reminders and deemed delivery in the outbox.
async fn after_sending(
    txn: &impl ConnectionTrait,
    app: &crate::state::AppState,
    unit: &mailbox::Model,
    m: &message::Model,
    recipients: &[String],
    now: OffsetDateTime,
) -> anyhow::Result<()> {
    evidence(txn, app, m, &unit.address, "A.1", now, None).await?;
    evidence(txn, app, m, &unit.address, "BP.WX", now, None).await?;
    for r in recipients {
        evidence(txn, app, m, r, "D.1", now, None).await?;
        let job = json!({ "message_id": m.id, "mailbox": r });
        outbox::enqueue(txn, "notice", &job, now).await?;
        outbox::enqueue(
            txn,
            "reminder",
            &job,
            now + Duration::days(REMINDER_AFTER_DAYS),
        )
        .await?;
        let deemed = crate::domain::deemed::deemed_at(now);
        outbox::enqueue(txn, "last_call", &job, deemed - Duration::days(1)).await?;
        outbox::enqueue(txn, "deemed_delivery", &job, deemed).await?;
    }
    Ok(())
}

/// Sends a unit's draft with its attachments; `None` when it was sent already.
pub async fn send_draft(
    txn: &impl ConnectionTrait,
    app: &crate::state::AppState,
    unit: &mailbox::Model,
    draft: &message::Model,
    now: OffsetDateTime,
) -> anyhow::Result<Option<Vec<String>>> {
    let files = mailboxes::attachments(txn, &draft.id).await?;
    let hashes: Vec<&str> = files.iter().map(|f| f.sha3_256.as_str()).collect();
    let digest = message_digest(&draft.subject, &draft.body, &hashes);
    let Some(recipients) = mailboxes::send_draft(txn, draft, &digest, now).await? else {
        return Ok(None);
    };
    let sent = message::Model {
        sha3_256: digest,
        created_at: now,
        draft_recipients: None,
        ..draft.clone()
    };
    after_sending(txn, app, unit, &sent, &recipients, now).await?;
    Ok(Some(recipients))
}

/// The unit's mailbox, created with its first message.
pub async fn unit_mailbox(
    txn: &impl ConnectionTrait,
    app: &crate::state::AppState,
    symbol: &str,
) -> anyhow::Result<mailbox::Model> {
    let unit_name = app
        .catalogue
        .office
        .unit(symbol)
        .map_or_else(|| symbol.to_owned(), |u| u.name.pl.clone());
    Ok(mailboxes::ensure(
        txn,
        "unit",
        &format!("unit:{symbol}"),
        &format!("{} — {unit_name}", app.settings.authority.name),
        None,
        new_address,
    )
    .await?)
}

/// The resident's mailbox, created at their first login.
pub async fn resident_mailbox(
    db: &impl ConnectionTrait,
    owner: &str,
    identity: &crate::domain::identity::Identity,
) -> anyhow::Result<mailbox::Model> {
    Ok(mailboxes::ensure(
        db,
        "resident",
        owner,
        &identity.full_name(),
        identity.email.as_deref(),
        new_address,
    )
    .await?)
}

/// Delivery of an addressee's copy (opened, or deemed after 14 days): the copy's status,
/// the E.1 evidence, and the case history when the letter belongs to a case. `false` when
/// it was delivered already (a second open or a retried job changes nothing).
pub async fn mark_delivered(
    txn: &impl ConnectionTrait,
    app: &crate::state::AppState,
    copy: &message_copy::Model,
    m: &message::Model,
    how: &str,
    at: OffsetDateTime,
) -> anyhow::Result<bool> {
    let status = if how == "opened" {
        "delivered"
    } else {
        "deemed_delivered"
    };
    if !mailboxes::deliver(txn, &copy.id, status, at).await? {
        return Ok(false);
    }
    evidence(txn, app, m, &copy.mailbox, "E.1", at, Some(how)).await?;
    if let Some(sign) = &m.case_sign
        && let Some(case) = crate::db::cases::by_sign(txn, sign).await?
    {
        let mut detail = json!({ "message_id": m.id, "how": how, "delivered_at": rfc3339(at), "document_id": m.document_id });
        if let Some(answer_by) =
            call_answer_by(txn, app, &case, m.document_id.as_deref(), at).await?
        {
            detail["answer_by"] = json!(answer_by.to_string());
        }
        crate::db::cases::append(
            txn,
            &case.id,
            &crate::db::cases::Actor::system(),
            crate::db::cases::Entry {
                action: "delivered",
                status: &case.status,
                detail: &detail,
                at,
                document_id: m.document_id.clone(),
            },
        )
        .await?;
    }
    Ok(true)
}

/// When the letter `document_id` delivered at `at` is the case's open call to supplement:
/// the last day of its term, which runs from that delivery (KPA art. 64 § 2).
pub async fn call_answer_by(
    txn: &impl ConnectionTrait,
    app: &crate::state::AppState,
    case: &case_file::Model,
    document_id: Option<&str>,
    at: OffsetDateTime,
) -> anyhow::Result<Option<time::Date>> {
    if case.status != "awaiting_applicant" || document_id.is_none() {
        return Ok(None);
    }
    let history = crate::db::cases::history(txn, &case.id).await?;
    let term = history
        .iter()
        .rev()
        .find(|e| e.action == "call_to_supplement")
        .filter(|call| call.document_id.as_deref() == document_id)
        .and_then(|call| serde_json::from_str::<serde_json::Value>(&call.detail).ok())
        .and_then(|d| {
            d["term"]
                .as_str()
                .and_then(|t| crate::domain::term::Term::parse(t).ok())
        });
    Ok(term.and_then(|term| {
        crate::domain::term::due_date(
            term,
            crate::domain::clock::in_poland(at).date(),
            &[],
            app.settings.cases.saturday_counts,
        )
    }))
}

/// A resident's reply in a case letter's thread: it goes to the unit that wrote, arrives
/// at once (a public entity's mailbox receives on arrival, u.d.e. art. 41 ust. 1 pkt 2:
/// A.1, E.1 and BP.OX), and lands in the case.
pub async fn reply_to_case(
    txn: &impl ConnectionTrait,
    app: &crate::state::AppState,
    from: &mailbox::Model,
    original: &message::Model,
    text: &str,
    files: &[serde_json::Value],
    now: OffsetDateTime,
) -> anyhow::Result<message::Model> {
    let hashes: Vec<&str> = files
        .iter()
        .filter_map(|f| f["sha3_256"].as_str())
        .collect();
    let subject = format!("Odp.: {}", original.subject);
    let body = if files.is_empty() {
        text.to_owned()
    } else {
        let names: Vec<&str> = files.iter().filter_map(|f| f["name"].as_str()).collect();
        format!("{text}\n\nZałączniki: {}", names.join(", "))
    };
    let digest = message_digest(&subject, &body, &hashes);
    let recipients = [original.sender.clone()];
    let (m, copies) = mailboxes::send(
        txn,
        mailboxes::NewMessage {
            sender: &from.address,
            recipients: &recipients,
            subject: &subject,
            body: &body,
            case_sign: original.case_sign.as_deref(),
            document_id: None,
            thread_id: Some(&original.thread_id),
            ref_to: Some(&original.id),
            sha3_256: &digest,
            at: now,
        },
    )
    .await?;
    for f in files {
        mailboxes::add_attachment(
            txn,
            crate::db::entity::message_attachment::Model {
                id: uuid::Uuid::now_v7().to_string(),
                message_id: m.id.clone(),
                name: f["name"].as_str().unwrap_or("plik").to_owned(),
                content_type: f["name"]
                    .as_str()
                    .and_then(crate::domain::files::extension)
                    .and_then(crate::domain::files::mime_for_extension)
                    .unwrap_or("application/octet-stream")
                    .to_owned(),
                size: f["size"].as_i64().unwrap_or(0),
                sha3_256: f["sha3_256"].as_str().unwrap_or("").to_owned(),
                storage_key: f["storage_key"].as_str().unwrap_or("").to_owned(),
            },
        )
        .await?;
    }
    evidence(txn, app, &m, &from.address, "A.1", now, None).await?;
    if let Some(unit_copy) = copies.iter().find(|c| c.folder == "inbox") {
        mailboxes::deliver(txn, &unit_copy.id, "delivered", now).await?;
        evidence(
            txn,
            app,
            &m,
            &unit_copy.mailbox,
            "E.1",
            now,
            Some("arrival"),
        )
        .await?;
        evidence(txn, app, &m, &unit_copy.mailbox, "BP.OX", now, None).await?;
    }
    Ok(m)
}

/// An evidence as a PDF a person can keep: what it attests and the signed JWS to verify.
pub fn evidence_pdf(e: &evidence::Model, claims: &EvidenceClaims) -> anyhow::Result<Vec<u8>> {
    use crate::receipt::pdf::{Line, document};
    let lines = vec![
        Line::Title(format!("Dowód {}", claims.code)),
        Line::Text(claims.meaning.clone()),
        Line::Gap,
        Line::Heading("Przesyłka".into()),
        Line::Text(format!("{} (nadawca {})", claims.message_id, claims.sender)),
        Line::Heading("Skrzynka".into()),
        Line::Text(claims.mailbox.clone()),
        Line::Heading("Chwila zdarzenia (UTC)".into()),
        Line::Text(format!(
            "{}{}",
            claims.at,
            claims
                .delivery
                .as_deref()
                .map(|d| match d {
                    "deemed" => " — doręczenie zastępcze po 14 dniach (art. 41 u.d.e.)".to_owned(),
                    "opened" => " — odebranie przez adresata".to_owned(),
                    other => format!(" — {other}"),
                })
                .unwrap_or_default()
        )),
        Line::Heading("Skrót przesyłki (SHA3-256)".into()),
        Line::Small(claims.message_sha3_256.clone()),
        Line::Gap,
        Line::Heading("Podpis elektroniczny (JWS, EdDSA)".into()),
        Line::Small(format!("Wystawca: {}", claims.iss)),
        Line::Small(
            "Sprawdź: okienko receipt verify <plik> --jwks <adres>/.well-known/jwks.json".into(),
        ),
        Line::Small(e.jws.clone()),
    ];
    document(
        &format!("Dowód {} — {}", claims.code, claims.message_id),
        lines,
    )
}

/// A message attachment's row and bytes (the caller checked the mailbox holds the message).
pub async fn attachment_bytes(
    app: &crate::state::AppState,
    message_id: &str,
    attachment_id: &str,
) -> anyhow::Result<Option<(crate::db::entity::message_attachment::Model, bytes::Bytes)>> {
    use object_store::ObjectStoreExt;
    let Some(a) = mailboxes::attachments(&app.db, message_id)
        .await?
        .into_iter()
        .find(|a| a.id == attachment_id)
    else {
        return Ok(None);
    };
    let bytes = app
        .storage
        .get(&object_store::path::Path::from(a.storage_key.as_str()))
        .await?
        .bytes()
        .await?;
    Ok(Some((a, bytes)))
}
