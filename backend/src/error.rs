//! The one error type of the web layer and its one `IntoResponse`.
//!
//! Policy: handlers return `AppResult`; client mistakes get a specific 4xx with a stable
//! `code`; internal failures are logged once here and answered with an opaque 500.

use axum::extract::multipart::MultipartError;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::forms::Outcome;

pub type AppResult<T, E = AppError> = Result<T, E>;

/// `Retry-After` of a 503 while the database or the file store is unreachable: a restart
/// or a failover takes seconds, and clients sent back sooner would only add load.
pub const UNAVAILABLE_RETRY_AFTER: u64 = 2;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// What was not found, as the English noun the call site names (`"case"`); the message
    /// is Polish (`not_found_message`).
    #[error("{}", not_found_message(.0))]
    NotFound(&'static str),
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    #[error(
        "Ta usługa wymaga logowania na poziomie bezpieczeństwa {} (`{required}`) lub wyższym; zaloguj się ponownie przez węzeł krajowy.",
        level_pl(.required)
    )]
    Unauthorized { required: &'static str },
    #[error("Najpierw się zaloguj albo wyślij token API w nagłówku `Authorization: Bearer ...`.")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("Zbyt wiele prób; spróbuj ponownie za {0} s.")]
    TooManyRequests(u64),
    #[error("Formularz zawiera błędy; popraw wskazane pola.")]
    Validation(Box<Outcome>),
    /// Well-formed but refused as a whole before any validation (e.g. too many rows).
    #[error("{message}")]
    Unprocessable { code: &'static str, message: String },
    #[error("{0}")]
    Conflict(String),
    /// The body did not arrive at `limits.body_min_bytes_per_sec` (`web::admission`).
    #[error("Dane przychodziły zbyt wolno i nie zostały przyjęte; wyślij je ponownie.")]
    BodyTooSlow,
    #[error("Przesłane dane są za duże ({0}); nic nie zostało zapisane.")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("okienko jest teraz przeciążone; nic nie zostało zapisane, spróbuj ponownie za {0} s.")]
    Overloaded(u64),
    #[error(
        "Baza danych jest chwilowo niedostępna; nic nie zostało zapisane, spróbuj ponownie za {UNAVAILABLE_RETRY_AFTER} s."
    )]
    Unavailable(#[source] sea_orm::DbErr),
    /// Object storage refused a file (down, or its disk full): nothing was saved.
    #[error(
        "Magazyn plików jest chwilowo niedostępny; nic nie zostało zapisane, spróbuj ponownie później."
    )]
    StorageUnavailable(#[source] anyhow::Error),
    /// The online payment provider is down or slow: nothing was paid.
    #[error(
        "Operator płatności jest chwilowo niedostępny; nic nie zostało zapłacone. Spróbuj ponownie później albo zapłać przelewem."
    )]
    PaymentProviderUnavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// An eIDAS level of assurance as the Polish sentence names it ("na poziomie …").
fn level_pl(level: &str) -> &'static str {
    match level {
        "low" => "niskim",
        "substantial" => "średnim",
        "high" => "wysokim",
        _ => "wymaganym",
    }
}

/// The Polish message of `AppError::NotFound(what)`: call sites name what was missing with
/// a stable English noun (`"case"`), and this is where people get a sentence for it.
pub fn not_found_message(what: &str) -> String {
    let m = match what {
        "attachment" => "Nie znaleziono załącznika.",
        "budget edition" => "Nie znaleziono edycji budżetu obywatelskiego.",
        "case" => "Nie znaleziono sprawy.",
        "case with this sign and access code" => {
            "Nie znaleziono sprawy o tym znaku i kodzie dostępu; sprawdź je na potwierdzeniu złożenia."
        }
        "comment" => "Nie znaleziono uwagi.",
        "consultation" => "Nie znaleziono konsultacji.",
        "consultation request" => "Nie znaleziono wniosku o przeprowadzenie konsultacji.",
        "debt" => "Nie znaleziono należności.",
        "dev-idp" => "Nie znaleziono tej strony dostawcy tożsamości.",
        "document" => "Nie znaleziono dokumentu.",
        "draft" => "Nie znaleziono wersji roboczej.",
        "e-filing document" => "Ta sprawa nie ma dokumentu elektronicznego deklaracji (XML).",
        "e-filing schema" => "Ta usługa nie ma schematu dokumentu elektronicznego (XSD).",
        "evidence" => "Nie znaleziono dowodu doręczenia.",
        "identifier kind" => "Nie znaleziono takiego rodzaju identyfikatora.",
        "initiative" => "Nie znaleziono inicjatywy uchwałodawczej.",
        "item" => "Nie znaleziono punktu porządku obrad.",
        "mailbox" => "Nie znaleziono skrzynki.",
        "meeting" => "Nie znaleziono spotkania.",
        "message" => "Nie znaleziono wiadomości.",
        "minutes" => "Nie znaleziono protokołu spotkania.",
        "page" => "Nie znaleziono strony.",
        "paper card" => "Nie znaleziono karty papierowej.",
        "payment" => "Nie znaleziono płatności.",
        "payment session" => "Nie znaleziono transakcji płatności.",
        "petition" => "Nie znaleziono petycji.",
        "pool" => "Nie znaleziono puli budżetu.",
        "project" => "Nie znaleziono projektu.",
        "protocol" => "Nie znaleziono protokołu wyników głosowania.",
        "receipt" => "Nie znaleziono potwierdzenia.",
        "report" => "Nie znaleziono raportu.",
        "resource" => "Nie ma takiego zasobu API.",
        "service" => "Nie znaleziono usługi.",
        "service version" => "Nie znaleziono tej wersji usługi.",
        "session" => "Nie znaleziono sesji rady.",
        "step" => "Nie znaleziono tego kroku formularza.",
        "subscription" => "Nie znaleziono subskrypcji.",
        "support" => "Nie znaleziono poparcia.",
        "thread" => "Nie znaleziono wątku.",
        "vote" => "Nie znaleziono głosowania.",
        other => return format!("Nie znaleziono: {other}."),
    };
    m.to_owned()
}

impl AppError {
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::BadRequest {
            code,
            message: message.into(),
        }
    }

    /// A 422 naming each field's problem, in the one validation format of the forms.
    pub fn fields(errors: Vec<crate::forms::FieldError>) -> Self {
        Self::Validation(Box::new(crate::forms::Outcome {
            valid: false,
            errors,
            warnings: Vec::new(),
            computed: Default::default(),
            data: Default::default(),
            hidden: Vec::new(),
            route: (String::new(), String::new()),
            to: None,
            term: crate::domain::term::Term::Immediately,
            fee: None,
        }))
    }

    fn status(&self) -> StatusCode {
        match self {
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            Self::Unauthenticated => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Validation(_) | Self::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::BodyTooSlow => StatusCode::REQUEST_TIMEOUT,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unavailable(_)
            | Self::StorageUnavailable(_)
            | Self::Overloaded(_)
            | Self::PaymentProviderUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::NotFound(_) => "not_found",
            Self::BadRequest { code, .. } => code,
            Self::Unauthorized { .. } => "login_required",
            Self::Unauthenticated => "unauthenticated",
            Self::Forbidden(_) => "forbidden",
            Self::TooManyRequests(_) => "too_many_requests",
            Self::Validation(_) => "validation_failed",
            Self::Unprocessable { code, .. } => code,
            Self::Conflict(_) => "conflict",
            Self::PayloadTooLarge(_) => "payload_too_large",
            Self::BodyTooSlow => "body_too_slow",
            Self::UnsupportedMediaType(_) => "unsupported_media_type",
            Self::Unavailable(_) => "unavailable",
            Self::StorageUnavailable(_) => "storage_unavailable",
            Self::Overloaded(_) => "overloaded",
            Self::PaymentProviderUnavailable(_) => "payment_provider_unavailable",
            Self::Internal(_) => "internal",
        }
    }
}

/// The media type of every error answer (RFC 9457).
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An RFC 9457 problem: a stable `type` per error code (`urn:okienko:problem:<code>`), the
/// status's `title`, the message as `detail`, and, for clients written against the earlier
/// format, the same `code` and message under `error`.
pub fn problem(status: StatusCode, code: &str, message: &str) -> serde_json::Value {
    json!({
        "type": format!("urn:okienko:problem:{code}"),
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": message,
        "code": code,
        "error": { "code": code, "message": message },
    })
}

/// `body` as an `application/problem+json` response with `status`.
pub fn problem_response(status: StatusCode, body: &serde_json::Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON))],
        body.to_string(),
    )
        .into_response()
}

/// What an error response was about, kept on the response so that pages can show it as a
/// page instead of JSON (see `web::pages::html_errors`).
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub code: &'static str,
    pub message: String,
}

impl From<sea_orm::DbErr> for AppError {
    fn from(e: sea_orm::DbErr) -> Self {
        match e {
            e if crate::db::unreachable(&e) => Self::Unavailable(e),
            other => Self::Internal(other.into()),
        }
    }
}

/// Whether a body error is, or was caused by, the admission gate's cut of a too slow body.
fn too_slow(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(e);
    while let Some(c) = cause {
        if c.to_string().contains(crate::web::admission::TOO_SLOW) {
            return true;
        }
        cause = c.source();
    }
    false
}

impl From<JsonRejection> for AppError {
    fn from(r: JsonRejection) -> Self {
        match r {
            JsonRejection::JsonDataError(e) => Self::bad_request(
                "json.shape",
                format!(
                    "Dane JSON nie mają oczekiwanej struktury: {}",
                    e.body_text()
                ),
            ),
            JsonRejection::JsonSyntaxError(e) => Self::bad_request(
                "json.syntax",
                format!("Treść nie jest poprawnym JSON-em: {}", e.body_text()),
            ),
            JsonRejection::MissingJsonContentType(_) => Self::UnsupportedMediaType(
                "Wyślij dane z nagłówkiem `Content-Type: application/json`.".into(),
            ),
            JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Self::PayloadTooLarge("przekroczono limit danych JSON".into())
            }
            JsonRejection::BytesRejection(e) if too_slow(&e) => Self::BodyTooSlow,
            other => Self::bad_request(
                "json.body",
                format!("Nie udało się odczytać danych JSON: {}", other.body_text()),
            ),
        }
    }
}

impl From<QueryRejection> for AppError {
    fn from(r: QueryRejection) -> Self {
        Self::bad_request(
            "query",
            format!("Nieprawidłowe parametry adresu: {}", r.body_text()),
        )
    }
}

impl From<MultipartError> for AppError {
    fn from(e: MultipartError) -> Self {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Self::PayloadTooLarge("przekroczono limit przesyłanych plików".into())
        } else if too_slow(&e) {
            Self::BodyTooSlow
        } else {
            Self::bad_request(
                "multipart",
                format!("Przesłane pliki są uszkodzone: {}", e.body_text()),
            )
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        match &self {
            Self::Internal(e) => tracing::error!(error = ?e, "request failed"),
            Self::Unavailable(e) => tracing::error!(error = %e, "database unavailable"),
            Self::PaymentProviderUnavailable(e) => {
                tracing::warn!(error = %e, "payment provider unavailable")
            }
            Self::StorageUnavailable(e) => {
                tracing::error!(error = %format!("{e:#}"), "object storage unavailable")
            }
            _ => {}
        }
        let message = match &self {
            Self::Internal(_) => {
                "Wystąpił błąd po naszej stronie; nic z tego, co wysłano, nie przepadło. Spróbuj ponownie."
                    .to_owned()
            }
            other => other.to_string(),
        };
        let mut body = problem(status, self.code(), &message);
        if let Self::Validation(outcome) = &self {
            body["errors"] = json!(outcome.errors);
            body["warnings"] = json!(outcome.warnings);
        }
        let mut res = problem_response(status, &body);
        res.extensions_mut().insert(ErrorInfo {
            code: self.code(),
            message: message.clone(),
        });
        if let Self::TooManyRequests(secs) | Self::Overloaded(secs) = self {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if matches!(self, Self::Unavailable(_) | Self::StorageUnavailable(_)) {
            res.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(UNAVAILABLE_RETRY_AFTER),
            );
        }
        if matches!(self, Self::Unauthenticated) {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"okienko\""),
            );
        }
        if let Self::Unauthorized { required } = self {
            let v = format!(
                "Bearer realm=\"okienko\", acr_values=\"http://eidas.europa.eu/LoA/{required}\""
            );
            if let Ok(v) = HeaderValue::from_str(&v) {
                res.headers_mut().insert(header::WWW_AUTHENTICATE, v);
            }
        }
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every noun a call site gives `NotFound` has its Polish sentence: none falls through
    /// to the generic "Nie znaleziono: …" with an English word in it.
    #[test]
    fn every_not_found_noun_has_a_polish_message() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    out.push(p);
                }
            }
        }
        let mut files = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let needle = concat!("AppError::NotFound", "(\"");
        let mut seen = 0;
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for (i, _) in text.match_indices(needle) {
                let rest = &text[i + needle.len()..];
                let noun = &rest[..rest.find('"').unwrap()];
                let m = not_found_message(noun);
                assert!(
                    !m.starts_with("Nie znaleziono: "),
                    "{}: NotFound(\"{noun}\") has no Polish message",
                    f.display()
                );
                seen += 1;
            }
        }
        assert!(seen > 50, "only {seen} call sites found");
    }

    #[test]
    fn the_messages_people_read_are_polish() {
        assert_eq!(
            AppError::NotFound("case").to_string(),
            "Nie znaleziono sprawy."
        );
        assert_eq!(
            AppError::TooManyRequests(30).to_string(),
            "Zbyt wiele prób; spróbuj ponownie za 30 s."
        );
    }
}
