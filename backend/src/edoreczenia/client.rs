//! The client of the UA API: one `reqwest` client with mutual TLS, bounded in time and in
//! the size of what it reads, following no redirect to another origin.

use std::time::Duration;

use base64::Engine;

use super::Error;
use super::auth::Tokens;
use super::model::{
    Attachment, DraftCreated, Evidence, EvidenceWrapper, FileData, FileMetadata, FileWrapper,
    Message, MessageAddressData, MessageInfo, MessageMetadata, MessagesWrapper, SendDraft,
    ShippingService,
};
use crate::config;

const JSON: &str = "application/json";

/// At most this many redirects, each to the same origin.
const MAX_REDIRECTS: usize = 3;

/// A file to send.
pub struct File<'a> {
    pub name: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
}

/// A message to send from the office's address.
pub struct Outgoing<'a> {
    pub to: &'a [String],
    pub subject: &'a str,
    pub body: &'a str,
    /// The case sign (`caseId`).
    pub case_id: Option<&'a str>,
    pub thread_id: Option<&'a str>,
    pub ref_to_message_id: Option<&'a str>,
    pub files: &'a [File<'a>],
}

/// What the service said to a sending.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    /// The draft's id, the message's id until the service assigns per-addressee ones.
    pub message_id: String,
    /// The sending task (`MessageInfo.messageTaskId`), to ask its status.
    pub message_task_id: Option<String>,
    pub warning: Option<String>,
}

/// Which folder to list (`label`).
pub const INBOX: &str = "INBOX";
pub const SENT: &str = "SENT";

/// The service's client.
#[derive(Debug)]
pub struct Client {
    http: reqwest::Client,
    base: url::Url,
    tokens: Tokens,
    max_bytes: usize,
}

fn read_pem(path: &std::path::Path, what: &str) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|e| Error::Config(format!("{what} {}: {e}", path.display())))
}

impl Client {
    /// Builds the client from `edoreczenia.*`; `None` when the service is not configured.
    pub fn from_settings(s: &config::Edoreczenia) -> Result<Option<Self>, Error> {
        let Some(base) = &s.base_url else {
            return Ok(None);
        };
        let base = url::Url::parse(base.trim_end_matches('/'))
            .map_err(|e| Error::Config(format!("edoreczenia.base_url: {e}")))?;
        let token_url = s
            .token_url
            .as_deref()
            .ok_or_else(|| Error::Config("edoreczenia.token_url is not set".into()))
            .and_then(|u| {
                url::Url::parse(u).map_err(|e| Error::Config(format!("edoreczenia.token_url: {e}")))
            })?;
        let client_id = s
            .client_id
            .clone()
            .ok_or_else(|| Error::Config("edoreczenia.client_id is not set".into()))?;
        let timeout = Duration::from_secs(s.timeout_secs.max(1));
        let mut b = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::custom(|attempt| {
                let same_origin = attempt
                    .previous()
                    .first()
                    .is_some_and(|first| first.origin() == attempt.url().origin());
                if same_origin && attempt.previous().len() <= MAX_REDIRECTS {
                    attempt.follow()
                } else {
                    attempt.stop()
                }
            }))
            .https_only(base.scheme() == "https" && token_url.scheme() == "https");
        if let (Some(cert), Some(key)) = (&s.client_certificate, &s.client_key) {
            let mut pem = read_pem(cert, "edoreczenia.client_certificate")?;
            pem.push(b'\n');
            pem.extend(read_pem(key, "edoreczenia.client_key")?);
            let identity = reqwest::Identity::from_pem(&pem)
                .map_err(|e| Error::Config(format!("edoreczenia.client_key: {e}")));
            pem.fill(0);
            b = b.identity(identity?);
        }
        if let Some(ca) = &s.ca_certificate {
            let cert = reqwest::Certificate::from_pem(&read_pem(ca, "edoreczenia.ca_certificate")?)
                .map_err(|e| Error::Config(format!("edoreczenia.ca_certificate: {e}")))?;
            b = b.add_root_certificate(cert);
        }
        let http = b.build().map_err(|e| Error::Config(e.to_string()))?;
        Ok(Some(Self {
            http,
            base,
            tokens: Tokens::new(token_url, client_id, s.client_secret.clone(), &s.scopes),
            max_bytes: s.max_response_mib.saturating_mul(1024 * 1024),
        }))
    }

    /// `base/{segments…}` with each segment percent-encoded.
    fn url(&self, segments: &[&str]) -> url::Url {
        let mut u = self.base.clone();
        if let Ok(mut p) = u.path_segments_mut() {
            p.pop_if_empty();
            p.extend(segments);
        }
        u
    }

    /// Sends `build()` with the bearer token; once more with a new token after a 401.
    async fn call(
        &self,
        accept: &str,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<(reqwest::StatusCode, Vec<u8>), Error> {
        for attempt in 0..2 {
            let token = self.tokens.bearer(&self.http).await?;
            let res = build(&self.http)
                .bearer_auth(token.expose())
                .header(reqwest::header::ACCEPT, accept)
                .send()
                .await
                .map_err(Error::transport)?;
            let status = res.status();
            if status == reqwest::StatusCode::UNAUTHORIZED && attempt == 0 {
                self.tokens.forget().await;
                continue;
            }
            let body = read_bounded(res, self.max_bytes).await?;
            if !status.is_success() {
                let errors = serde_json::from_slice::<Vec<super::model::ErrorInfo>>(&body)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|e| {
                        format!(
                            "{}: {}",
                            e.error.unwrap_or_default(),
                            e.error_description.unwrap_or_default()
                        )
                    })
                    .collect();
                return Err(Error::Status { status, errors });
            }
            return Ok((status, body));
        }
        Err(Error::Token("the service refused a fresh token".into()))
    }

    async fn json<T: serde::de::DeserializeOwned>(
        &self,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<T, Error> {
        let (_, body) = self.call(JSON, build).await?;
        serde_json::from_slice(&body).map_err(|e| Error::Decode(e.to_string()))
    }

    /// Sends a message with its attachments from `from` (the office's address) as the
    /// specification's scenario does it: a draft (`POST /{ade}/drafts`), each attachment
    /// added to it (`POST /{ade}/drafts/{id}/attachments`, SHA-3 hashed), then the draft sent
    /// (`POST /{ade}/drafts/send`).
    pub async fn send(&self, from: &str, m: &Outgoing<'_>) -> Result<Sent, Error> {
        if m.to.is_empty() || m.to.len() > 15 {
            return Err(Error::Invalid("1 to 15 addressees".into()));
        }
        if m.body.chars().count() > 5000 {
            return Err(Error::Invalid(
                "the text is longer than 5000 characters".into(),
            ));
        }
        let draft = Message {
            message_metadata: Some(MessageMetadata {
                from: Some(MessageAddressData::ade(from)),
                to: m.to.iter().map(|a| MessageAddressData::ade(a)).collect(),
                subject: Some(m.subject.to_owned()),
                case_id: m.case_id.map(str::to_owned),
                thread_id: m.thread_id.map(str::to_owned),
                ref_to_message_id: m.ref_to_message_id.map(str::to_owned),
                shipping_service: ShippingService::Electronic,
                ..Default::default()
            }),
            text_body: Some(m.body.to_owned()),
            ..Default::default()
        };
        let url = self.url(&[from, "drafts"]);
        let created: DraftCreated = self.json(|c| c.post(url.clone()).json(&draft)).await?;
        let id = created
            .message_id
            .ok_or_else(|| Error::Decode("the new draft has no messageId".into()))?;
        for f in m.files {
            self.add_attachment(from, &id, f).await?;
        }
        let url = self.url(&[from, "drafts", "send"]);
        let body = SendDraft {
            message_id: id.clone(),
        };
        let info: MessageInfo = self.json(|c| c.post(url.clone()).json(&body)).await?;
        Ok(Sent {
            message_id: id,
            message_task_id: info.message_task_id,
            warning: info.warning.or(created.warning),
        })
    }

    async fn add_attachment(
        &self,
        from: &str,
        draft: &str,
        f: &File<'_>,
    ) -> Result<FileWrapper, Error> {
        use sha3::Digest;
        let data = FileData {
            file_metadata: Some(FileMetadata {
                file_id: uuid::Uuid::new_v4().to_string(),
                filename: Some(f.name.to_owned()),
                content_type: Some(f.content_type.to_owned()),
                size: i64::try_from(f.bytes.len()).ok(),
                alg: Some("SHA-3".into()),
                hash: Some(
                    sha3::Sha3_256::digest(f.bytes)
                        .iter()
                        .map(|b| format!("{b:02x}"))
                        .collect(),
                ),
                description: None,
            }),
            file: Some(base64::engine::general_purpose::STANDARD.encode(f.bytes)),
        };
        let url = self.url(&[from, "drafts", draft, "attachments"]);
        self.json(|c| c.post(url.clone()).json(&data)).await
    }

    /// A page of the mailbox's messages in `label` (`INBOX`, `SENT`, …), with metadata.
    pub async fn messages(
        &self,
        mailbox: &str,
        label: &str,
        offset: u32,
        limit: u32,
    ) -> Result<MessagesWrapper, Error> {
        let url = self.url(&[mailbox, "messages"]);
        let query = [
            ("label", label.to_owned()),
            ("format", "metadata".to_owned()),
            ("offset", offset.to_string()),
            ("limit", limit.clamp(1, 2000).to_string()),
        ];
        self.json(|c| c.get(url.clone()).query(&query)).await
    }

    /// A message in full (its text and attachment list). Getting it in full is, for the
    /// service, reading it.
    pub async fn message(&self, mailbox: &str, id: &str) -> Result<Option<Message>, Error> {
        let url = self.url(&[mailbox, "messages", id]);
        let (status, body) = self
            .call(JSON, |c| c.get(url.clone()).query(&[("format", "full")]))
            .await?;
        if status == reqwest::StatusCode::ACCEPTED {
            return Err(Error::Pending);
        }
        let found: Vec<Message> =
            serde_json::from_slice(&body).map_err(|e| Error::Decode(e.to_string()))?;
        Ok(found.into_iter().next())
    }

    /// An attachment of a received message, with its content.
    pub async fn attachment(
        &self,
        mailbox: &str,
        message_id: &str,
        attachment_id: &str,
    ) -> Result<Attachment, Error> {
        let url = self.url(&[
            mailbox,
            "messages",
            message_id,
            "attachments",
            attachment_id,
        ]);
        self.json(|c| c.get(url.clone())).await
    }

    /// The evidences of one message.
    pub async fn evidences(&self, mailbox: &str, message_id: &str) -> Result<Vec<Evidence>, Error> {
        let url = self.url(&[mailbox, "messages", message_id, "evidences"]);
        let w: EvidenceWrapper = self
            .json(|c| {
                c.get(url.clone())
                    .query(&[("sortColumn", "eventDate"), ("sortDirection", "asc")])
            })
            .await?;
        Ok(w.evidences)
    }

    /// The mailbox's evidences not yet fetched (`downloaded=false`): what the worker polls.
    pub async fn new_evidences(&self, mailbox: &str) -> Result<Vec<Evidence>, Error> {
        let url = self.url(&[mailbox, "messages", "evidences"]);
        let w: EvidenceWrapper = self
            .json(|c| {
                c.get(url.clone()).query(&[
                    ("downloaded", "false"),
                    ("sortColumn", "eventDate"),
                    ("sortDirection", "asc"),
                ])
            })
            .await?;
        Ok(w.evidences)
    }

    /// One evidence by its id.
    pub async fn evidence(
        &self,
        mailbox: &str,
        evidence_id: &str,
    ) -> Result<Option<Evidence>, Error> {
        let url = self.url(&[mailbox, "messages", "evidences", evidence_id]);
        let found: Vec<Evidence> = self.json(|c| c.get(url.clone())).await?;
        Ok(found.into_iter().next())
    }

    /// An evidence's signed document (`purde`: electronic, `puh`: hybrid), as bytes to keep.
    pub async fn evidence_document(
        &self,
        mailbox: &str,
        hybrid: bool,
        evidence_id: &str,
    ) -> Result<Vec<u8>, Error> {
        let kind = if hybrid { "puh" } else { "purde" };
        let url = self.url(&[mailbox, "evidences", kind, evidence_id]);
        let (_, body) = self
            .call("application/octet-stream", |c| c.get(url.clone()))
            .await?;
        Ok(body)
    }
}

/// Reads a response body, refusing one larger than `max` bytes (by its length header or as
/// it streams).
pub(super) async fn read_bounded(mut res: reqwest::Response, max: usize) -> Result<Vec<u8>, Error> {
    if res.content_length().is_some_and(|n| n > max as u64) {
        return Err(Error::TooLarge(max));
    }
    let mut body = Vec::new();
    while let Some(chunk) = res.chunk().await.map_err(Error::transport)? {
        if body.len() + chunk.len() > max {
            return Err(Error::TooLarge(max));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
