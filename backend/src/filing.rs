//! Filing a submission: validate, store attachments, sign the receipt, and persist the
//! submission with its receipt in one transaction. Shared by the JSON API and the pages.

use bytes::Bytes;
use object_store::ObjectStoreExt;
use object_store::path::Path as StorePath;
use serde_json::{Map, Value, json};

use crate::db::cases::{NewCase, Registered};
use crate::db::entity::{attachment, receipt, submission};
use crate::db::submissions::{self, NewFiling, Pending};
use crate::domain::clock;
use crate::domain::ids::{AttachmentId, ReceiptId, SubmissionId};
use crate::domain::level::IdentityLevel;
use crate::domain::term::term_end;
use crate::error::{AppError, AppResult};
use crate::forms::definition::FieldType;
use crate::forms::{Input, Service, validate};
use crate::receipt::claims::{
    Applicant, AttachmentRef, Authority, Digest3, Registration, ServiceRef, canonical_json,
    sha3_hex,
};
use crate::receipt::{ReceiptClaims, verify};
use crate::state::AppState;
use crate::web::extract::Requester;

pub mod fee;
pub mod references;
pub mod signatures;

/// An uploaded file, already read and hashed.
pub struct Upload {
    pub field: String,
    pub name: String,
    pub content_type: String,
    pub bytes: Bytes,
    pub sha3_256: String,
}

pub struct Filed {
    pub receipt_id: String,
    pub submission_id: String,
    pub jws: String,
    pub claims: ReceiptClaims,
    pub warnings: Vec<crate::forms::FieldError>,
    /// False when an earlier filing with the same idempotency key was returned.
    pub created: bool,
}

/// Refuses a filing whose service needs a stronger identity than the requester has.
pub fn require_level(svc: &Service, who: &Requester) -> AppResult<()> {
    let required = svc.def.identity_level;
    if required == IdentityLevel::None {
        return Ok(());
    }
    match &who.identity {
        Some(id) if id.level >= required => Ok(()),
        _ => Err(AppError::Unauthorized {
            required: required.as_str(),
        }),
    }
}

/// Validation on a blocking thread: a large form (hundreds of rows, each with its CEL
/// predicates) costs milliseconds of CPU, which an async worker must not spend while the
/// requests queued behind it wait.
pub async fn validate_off_runtime(
    svc: std::sync::Arc<Service>,
    data: Value,
    lang: crate::domain::lang::Lang,
    identity: Option<crate::domain::identity::Identity>,
) -> AppResult<crate::forms::Outcome> {
    let today = clock::in_poland(time::OffsetDateTime::now_utc()).date();
    tokio::task::spawn_blocking(move || {
        validate(
            &svc,
            &data,
            &Input {
                lang,
                today,
                identity: identity.as_ref(),
            },
        )
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("validation stopped: {e}")))
}

/// Files `data` with its `uploads` for `who`: checks everything first (the form, the files,
/// their signatures, the references to earlier filings), stores the files, then writes the
/// submission, its receipt and its case in one transaction. A retry with the same
/// idempotency key and body gets the first filing's receipt.
pub async fn file(
    app: &AppState,
    svc: &std::sync::Arc<Service>,
    who: &Requester,
    idempotency_key: &str,
    data: Value,
    uploads: Vec<Upload>,
) -> AppResult<Filed> {
    require_level(svc, who)?;
    let request_hash = request_hash(&data, &uploads);
    if let Some(existing) = previous(app, who, idempotency_key, &request_hash).await? {
        return Ok(existing);
    }
    let (mut outcome, verified_signatures) = checked(app, svc, who, data, &uploads).await?;

    let filed_at = time::OffsetDateTime::now_utc();
    let today = clock::in_poland(filed_at).date();
    let submission_id = SubmissionId::new();
    let receipt_id = ReceiptId::generate(today.year(), submission_id);
    let (attachments, refs) = store(app, today, submission_id, uploads).await?;
    let stored_keys: Vec<String> = attachments.iter().map(|a| a.storage_key.clone()).collect();

    let owed = fee::due(svc, outcome.fee, &outcome.data);
    let fee = fee::candidates(app, svc, &who.owner, owed, today)?;
    let stored = Value::Object(std::mem::take(&mut outcome.data));
    let mut claims = receipt_claims(app, svc, who, &receipt_id, submission_id, filed_at, &stored);
    claims.attachments = refs;
    let (due_on, term_end) = terms(app, svc, &outcome, &stored, today)?;
    let access_code = access_code();
    let (unit, jrwa) = outcome.route.clone();

    let filing = NewFiling {
        submission: submission::Model {
            id: submission_id.to_string(),
            owner: who.owner.clone(),
            service_id: svc.def.id.clone(),
            service_version: svc.def.version as i32,
            definition_hash: svc.hash.clone(),
            data: stored.to_string(),
            applicant: serde_json::to_string(&claims.applicant).unwrap_or_default(),
            identity_level: claims.applicant.level.clone(),
            receipt_id: receipt_id.to_string(),
            idempotency_key: Some(stored_key(who, idempotency_key)),
            request_hash: request_hash.clone(),
            filed_at,
        },
        attachments,
        receipt: receipt::Model {
            id: receipt_id.to_string(),
            submission_id: submission_id.to_string(),
            jws: String::new(),
            created_at: filed_at,
        },
        case: NewCase {
            submission_id: submission_id.to_string(),
            service_id: svc.def.id.clone(),
            owner: who.owner.clone(),
            unit,
            jrwa,
            year: today.year(),
            term: outcome.term.to_string(),
            started_on: today,
            due_on,
            term_end,
            access_code_hash: crate::auth::sha256_hex(&access_code),
            filed_at,
            signatures: verified_signatures,
        },
        notice_email: who.identity.as_ref().and_then(|i| i.email.clone()),
        forward_to: crate::crisis_centre::forward_to(svc, outcome.to),
        fee,
    };
    let registration = move |reg: &Registered| Registration {
        register_no: format!("{}/{}", reg.register_no, reg.year),
        case_sign: reg.sign.clone(),
        due_on: due_on.to_string(),
        access_code: access_code.clone(),
    };
    let template = claims.clone();
    let (signer, registration_of) = (app.clone(), registration.clone());
    let pending = Pending {
        filing,
        sign: Box::new(move |reg| {
            let mut claims = template.clone();
            claims.registration = Some(registration_of(reg));
            verify::sign(&signer.keys, &claims)
        }),
    };
    let written = match app.committer.write(pending).await {
        Ok(w) => w,
        Err(e) => {
            // the database refused the filing, so its files belong to none (a racing twin's
            // are under its own submission id). With the connection cut the commit may
            // have happened all the same: then the files stay, as an orphan costs a few
            // bytes and a receipt without its files would be a loss.
            if !crate::db::unreachable(&e) {
                crate::storage::discard(&app.storage, stored_keys.iter()).await;
            }
            // Two requests with one key raced: the loser returns the winner's receipt.
            if let Some(existing) = previous(app, who, idempotency_key, &request_hash)
                .await
                .ok()
                .flatten()
            {
                return Ok(existing);
            }
            return Err(e.into());
        }
    };
    claims.registration = Some(registration(&written.registered));
    metrics::counter!("okienko_submissions_total", "service" => svc.def.id.clone()).increment(1);
    tracing::info!(service.id = %svc.def.id, receipt.id = %receipt_id, "submission filed");
    Ok(Filed {
        receipt_id: receipt_id.to_string(),
        submission_id: submission_id.to_string(),
        jws: written.jws,
        claims,
        warnings: outcome.warnings,
        created: true,
    })
}

/// The fingerprint of a request: its data and its files' digests. A retry with the same
/// idempotency key must send the same.
fn request_hash(data: &Value, uploads: &[Upload]) -> String {
    let files: Vec<&str> = uploads.iter().map(|u| u.sha3_256.as_str()).collect();
    sha3_hex(format!("{}|{}", canonical_json(data), files.join(",")).as_bytes())
}

/// Everything checked before anything is stored: the files (what the server measured, their
/// content, their signatures), the form's data, and the earlier filings it refers to. Gives
/// the form's outcome and the signatures' records, or every error at once.
async fn checked(
    app: &AppState,
    svc: &std::sync::Arc<Service>,
    who: &Requester,
    mut data: Value,
    uploads: &[Upload],
) -> AppResult<(crate::forms::Outcome, Vec<Value>)> {
    let Some(obj) = data.as_object_mut() else {
        return Err(AppError::bad_request(
            "data.type",
            "`data` musi być obiektem JSON.",
        ));
    };
    let mut file_errors = measured_files(svc, who, obj, uploads);
    // signed files: verified before anything is stored, refused with what failed
    let (signature_errors, verified_signatures) = signatures::check(app, svc, uploads).await?;
    file_errors.extend(signature_errors);

    let mut outcome =
        validate_off_runtime(svc.clone(), data, who.lang, who.identity.clone()).await?;
    if outcome.valid {
        file_errors.extend(references::check(app, svc, who, &outcome.data).await?);
    }
    if !file_errors.is_empty() {
        outcome.errors.extend(file_errors);
        outcome.valid = false;
    }
    if !outcome.valid {
        return Err(AppError::Validation(Box::new(outcome)));
    }
    Ok((outcome, verified_signatures))
}

/// File fields carry only what the server itself measured from the uploaded parts: a value
/// the client sent for one is an error, and each is replaced by its files' names, types,
/// sizes and digests. A file whose content is not what its name says is an error too.
fn measured_files(
    svc: &Service,
    who: &Requester,
    obj: &mut Map<String, Value>,
    uploads: &[Upload],
) -> Vec<crate::forms::FieldError> {
    let error = |path: &str, code: &str| crate::forms::FieldError {
        path: path.to_owned(),
        code: code.into(),
        message: crate::forms::messages::message(code, who.lang, &[]),
    };
    let mut errors = Vec::new();
    for f in svc.fields().filter(|f| f.kind == FieldType::File) {
        if obj
            .get(&f.id)
            .is_some_and(|v| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
        {
            errors.push(error(&f.id, "file.missing"));
        }
        let files: Vec<Value> = uploads
            .iter()
            .filter(|u| u.field == f.id)
            .map(|u| json!({ "name": u.name, "content_type": u.content_type, "size": u.bytes.len(), "sha3_256": u.sha3_256 }))
            .collect();
        if files.is_empty() {
            obj.remove(&f.id);
        } else {
            obj.insert(f.id.clone(), Value::Array(files));
        }
    }
    for u in uploads {
        if !crate::domain::files::acceptable(&u.name, &u.bytes) {
            errors.push(error(&u.field, "file.content"));
        }
    }
    errors
}

/// Puts the files into object storage under the submission's keys: their rows and their
/// references for the receipt. When one cannot be stored, those stored before it are
/// removed, as they belong to no filing.
async fn store(
    app: &AppState,
    today: time::Date,
    submission_id: SubmissionId,
    uploads: Vec<Upload>,
) -> AppResult<(Vec<attachment::Model>, Vec<AttachmentRef>)> {
    let mut attachments: Vec<attachment::Model> = Vec::new();
    let mut refs = Vec::new();
    for (i, u) in uploads.into_iter().enumerate() {
        let key = crate::storage::attachment_key(today, &submission_id.to_string(), i, &u.sha3_256);
        let size = u.bytes.len();
        if let Err(e) = app
            .storage
            .put(&StorePath::from(key.as_str()), u.bytes.into())
            .await
        {
            crate::storage::discard(&app.storage, attachments.iter().map(|a| &a.storage_key)).await;
            return Err(AppError::StorageUnavailable(
                anyhow::Error::new(e).context("storing an attachment"),
            ));
        }
        refs.push(AttachmentRef {
            field: u.field.clone(),
            name: u.name.clone(),
            size: size as u64,
            sha3_256: u.sha3_256.clone(),
        });
        attachments.push(attachment::Model {
            id: AttachmentId::new().to_string(),
            submission_id: submission_id.to_string(),
            field: u.field,
            position: i as i32,
            name: u.name,
            content_type: u.content_type,
            size: size as i64,
            sha3_256: u.sha3_256,
            storage_key: key,
        });
    }
    Ok((attachments, refs))
}

/// What the receipt attests, before the registration numbers (given in the transaction)
/// and the attachments.
fn receipt_claims(
    app: &AppState,
    svc: &Service,
    who: &Requester,
    receipt_id: &ReceiptId,
    submission_id: SubmissionId,
    filed_at: time::OffsetDateTime,
    stored: &Value,
) -> ReceiptClaims {
    let rfc3339 = |t: time::OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    };
    let identity = who.identity.as_ref();
    ReceiptClaims {
        iss: app.settings.base_url(),
        sub: receipt_id.to_string(),
        iat: filed_at.unix_timestamp(),
        receipt_id: receipt_id.to_string(),
        submission_id: submission_id.to_string(),
        authority: Authority {
            name: app.settings.authority.name.clone(),
            ade: app.settings.authority.ade.clone(),
        },
        applicant: Applicant {
            name: identity.map(|i| i.full_name()).filter(|n| !n.is_empty()),
            pesel: identity.and_then(|i| i.pesel.clone()),
            level: identity
                .map_or(IdentityLevel::None, |i| i.level)
                .as_str()
                .into(),
        },
        service: ServiceRef {
            id: svc.def.id.clone(),
            version: svc.def.version,
            title: svc.def.title.pl.clone(),
            definition_hash: svc.hash.clone(),
        },
        filed_at: rfc3339(filed_at),
        generated_at: rfc3339(time::OffsetDateTime::now_utc()),
        digest: Digest3 {
            alg: "SHA3-256".into(),
            submission: sha3_hex(canonical_json(stored).as_bytes()),
        },
        attachments: Vec::new(),
        registration: None,
    }
}

/// The case's due date and its term's end, from the day it starts: the processing term, or
/// the one a `terms` rule gives this data (u.p.z.p. art. 64 ust. 1: 21 days for a small
/// house; O.p. art. 77 § 1 pkt 6: 2 months with a correction). A service's cap (a mass
/// event: 7 days before it) is itself the term's end.
fn terms(
    app: &AppState,
    svc: &Service,
    outcome: &crate::forms::Outcome,
    stored: &Value,
    started_on: time::Date,
) -> AppResult<(time::Date, time::Date)> {
    let term = outcome.term;
    let beyond = || anyhow::anyhow!("the term {term} runs past the calendar");
    let own_end = term_end(term, started_on, &[]).ok_or_else(beyond)?;
    let saturday = app.settings.cases.saturday_counts;
    let due_on = stored
        .as_object()
        .and_then(|data| crate::forms::due_on(svc, term, data, started_on, saturday))
        .ok_or_else(beyond)?;
    Ok((due_on, own_end.min(due_on)))
}

/// How an `Idempotency-Key` is stored. A logged-in resident's or an API client's is theirs
/// (their owner); an anonymous filer's cannot be (an API client of the public-information
/// service keeps no owner cookie, so each retry would be a new owner), so it is stored as
/// `anon:` and its SHA3-256, and found by itself together with the body's fingerprint.
fn stored_key(who: &Requester, key: &str) -> String {
    if anonymous(who) {
        format!("anon:{}", sha3_hex(key.as_bytes()))
    } else {
        key.to_owned()
    }
}

fn anonymous(who: &Requester) -> bool {
    who.identity.is_none() && who.client.is_none()
}

/// The filing an idempotency key already produced, for the same body (the same
/// `request_hash`). The key reused for a different body is refused (422): so a guessed key
/// alone never returns someone else's receipt.
async fn previous(
    app: &AppState,
    who: &Requester,
    key: &str,
    request_hash: &str,
) -> AppResult<Option<Filed>> {
    let found = if anonymous(who) {
        submissions::find_by_anonymous_key(&app.db, &stored_key(who, key)).await?
    } else {
        submissions::find_by_idempotency_key(&app.db, &who.owner, key).await?
    };
    let Some((s, r)) = found else {
        return Ok(None);
    };
    if s.request_hash != request_hash {
        return Err(AppError::Unprocessable {
            code: "idempotency_key.reused",
            message:
                "Ten klucz `Idempotency-Key` został już użyty dla innego wniosku; użyj nowego klucza."
                    .into(),
        });
    }
    let claims: ReceiptClaims = verify::verify(&r.jws, &app.keys.jwks())
        .map_err(|e| anyhow::anyhow!("stored receipt: {e}"))?;
    Ok(Some(Filed {
        receipt_id: r.id,
        submission_id: s.id,
        jws: r.jws,
        claims,
        warnings: vec![],
        created: false,
    }))
}

/// A code for the public status lookup: 10 characters from an alphabet without look-alikes
/// (about 50 bits), printed on the receipt; only its hash is stored.
fn access_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut b = [0u8; 10];
    if getrandom::fill(&mut b).is_err() {
        std::process::abort();
    }
    b.iter()
        .map(|x| ALPHABET[usize::from(*x) % ALPHABET.len()] as char)
        .collect()
}

/// Checks an `Idempotency-Key`: 1 to 128 visible ASCII characters.
pub fn parse_idempotency_key(raw: Option<&str>) -> AppResult<String> {
    let k = raw.map(str::trim).unwrap_or_default();
    if k.is_empty() {
        return Err(AppError::bad_request(
            "idempotency_key.missing",
            "Wyślij nagłówek `Idempotency-Key` (np. UUID), aby ponowienie nie złożyło wniosku dwukrotnie.",
        ));
    }
    if k.len() > 128 || !k.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AppError::bad_request(
            "idempotency_key.format",
            "`Idempotency-Key` ma od 1 do 128 widocznych znaków ASCII.",
        ));
    }
    Ok(k.to_owned())
}

/// Keeps only `data` of a `{"data": {...}}` request, refusing anything else at the top.
pub fn data_of(mut body: Map<String, Value>) -> AppResult<Value> {
    if let Some(k) = body.keys().find(|k| *k != "data") {
        return Err(AppError::bad_request(
            "body.unknown_field",
            format!("Nieznany klucz `{k}`; wyślij {{\"data\": {{...}}}}."),
        ));
    }
    // taken, not cloned: a body near the size limit holds tens of thousands of values
    match body.remove("data") {
        Some(v @ Value::Object(_)) => Ok(v),
        Some(_) => Err(AppError::bad_request(
            "data.type",
            "`data` musi być obiektem JSON.",
        )),
        None => Err(AppError::bad_request(
            "data.missing",
            "Wyślij {\"data\": {...}}.",
        )),
    }
}
