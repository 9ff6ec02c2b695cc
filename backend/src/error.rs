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
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    #[error("this service requires logging in at level `{required}` or higher")]
    Unauthorized { required: &'static str },
    #[error("log in first, or send an API token as `Authorization: Bearer ...`")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("too many attempts; try again in {0} s")]
    TooManyRequests(u64),
    #[error("the submission is not valid")]
    Validation(Box<Outcome>),
    /// Well-formed but refused as a whole before any validation (e.g. too many rows).
    #[error("{message}")]
    Unprocessable { code: &'static str, message: String },
    #[error("{0}")]
    Conflict(String),
    /// The body did not arrive at `limits.body_min_bytes_per_sec` (`web::admission`).
    #[error("the request body arrived too slowly; send it again")]
    BodyTooSlow,
    #[error("the request body is too large (at most {0})")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("okienko is busy right now; nothing was saved, please try again in {0} s")]
    Overloaded(u64),
    #[error(
        "the database is not reachable; nothing was saved, please try again in {UNAVAILABLE_RETRY_AFTER} s"
    )]
    Unavailable(#[source] sea_orm::DbErr),
    /// Object storage refused a file (down, or its disk full): nothing was saved.
    #[error("the file store is not available; nothing was saved, please try again later")]
    StorageUnavailable(#[source] anyhow::Error),
    /// The online payment provider is down or slow: nothing was paid.
    #[error(
        "the payment provider is not available right now; nothing was paid, please try again later or pay by transfer"
    )]
    PaymentProviderUnavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
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
                    "the JSON does not have the expected shape: {}",
                    e.body_text()
                ),
            ),
            JsonRejection::JsonSyntaxError(e) => Self::bad_request(
                "json.syntax",
                format!("the body is not valid JSON: {}", e.body_text()),
            ),
            JsonRejection::MissingJsonContentType(_) => {
                Self::UnsupportedMediaType("send `Content-Type: application/json`".into())
            }
            JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Self::PayloadTooLarge("the configured JSON limit".into())
            }
            JsonRejection::BytesRejection(e) if too_slow(&e) => Self::BodyTooSlow,
            other => Self::bad_request("json.body", other.body_text()),
        }
    }
}

impl From<QueryRejection> for AppError {
    fn from(r: QueryRejection) -> Self {
        Self::bad_request("query", r.body_text())
    }
}

impl From<MultipartError> for AppError {
    fn from(e: MultipartError) -> Self {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Self::PayloadTooLarge("the configured upload limit".into())
        } else if too_slow(&e) {
            Self::BodyTooSlow
        } else {
            Self::bad_request(
                "multipart",
                format!("the multipart body is broken: {}", e.body_text()),
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
                "something went wrong on our side; nothing you sent was lost, please try again"
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
