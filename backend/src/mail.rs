//! E-mail notices over SMTP (lettre), or `.eml` files in `<data_dir>/mail/` when no SMTP
//! server is configured. A notice says only that a letter waits and where: never its
//! content (u.d.e. notices are "awiza").

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde_json::json;

use crate::db::entity::{mailbox, message, message_copy};
use crate::state::AppState;

pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

impl Mailer {
    pub fn from_settings(settings: &crate::config::Settings) -> anyhow::Result<Self> {
        match settings.mail.smtp_url.as_deref().filter(|u| !u.is_empty()) {
            Some(url) => Ok(Self::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| anyhow::anyhow!("configuration error in `mail.smtp_url`: {e}"))?
                    .timeout(Some(std::time::Duration::from_secs(10)))
                    .build(),
            )),
            None => {
                let dir = settings.data_dir.join("mail");
                std::fs::create_dir_all(&dir)?;
                Ok(Self::Files(AsyncFileTransport::<Tokio1Executor>::new(dir)))
            }
        }
    }

    pub async fn send(&self, m: Message) -> anyhow::Result<()> {
        match self {
            Self::Smtp(t) => {
                t.send(m).await?;
            }
            Self::Files(t) => {
                t.send(m).await?;
            }
        }
        Ok(())
    }
}

/// The notice of kind `notice` (a letter arrived), `reminder` (7 days unopened) or
/// `last_call` (deemed delivered tomorrow), in Polish and English, text and HTML.
pub async fn notice(
    app: &AppState,
    to: &str,
    kind: &str,
    mb: &mailbox::Model,
    m: &message::Model,
    copy: &message_copy::Model,
) -> anyhow::Result<()> {
    let link = format!("{}/skrzynka/{}", app.settings.base_url(), m.id);
    let deemed = crate::domain::clock::in_poland(crate::delivery::deemed_at(copy))
        .date()
        .to_string();
    let ctx = json!({ "kind": kind, "name": mb.name, "link": link, "authority": app.settings.authority.name,
        "deemed_on": deemed, "case_sign": m.case_sign });
    let context = tera::Context::from_serialize(&ctx)?;
    let text = app.templates.render("mail/notice.txt", &context)?;
    let html = app.templates.render("mail/notice.html", &context)?;
    let subject = match kind {
        "reminder" => {
            "Przypomnienie: pismo czeka w Twojej skrzynce / Reminder: a letter is waiting"
        }
        "last_call" => {
            "Jutro pismo zostanie uznane za doręczone / Tomorrow the letter counts as delivered"
        }
        _ => "Nowe pismo w Twojej skrzynce / A new letter in your mailbox",
    };
    let msg = Message::builder()
        .from(app.settings.mail.from.parse::<Mailbox>()?)
        .to(to.parse::<Mailbox>()?)
        .subject(subject)
        .multipart(MultiPart::alternative_plain_html(text, html))?;
    app.mailer.send(msg).await?;
    metrics::counter!("okienko_notices_sent_total", "kind" => kind.to_owned()).increment(1);
    Ok(())
}

/// The confirmation that a submission was filed: its receipt number, case sign and a link
/// to the receipt (which only its owner can open), never the data filed.
pub async fn filing_receipt(
    app: &AppState,
    to: &str,
    receipt_id: &str,
    case_sign: &str,
) -> anyhow::Result<()> {
    let ctx = json!({ "receipt": receipt_id, "case_sign": case_sign, "authority": app.settings.authority.name,
        "link": format!("{}/potwierdzenie/{receipt_id}", app.settings.base_url()) });
    let context = tera::Context::from_serialize(&ctx)?;
    let text = app.templates.render("mail/filed.txt", &context)?;
    let html = app.templates.render("mail/filed.html", &context)?;
    let msg = Message::builder()
        .from(app.settings.mail.from.parse::<Mailbox>()?)
        .to(to.parse::<Mailbox>()?)
        .subject(format!("Wniosek złożony: {case_sign} / Submission filed"))
        .multipart(MultiPart::alternative_plain_html(text, html))?;
    app.mailer.send(msg).await?;
    metrics::counter!("okienko_notices_sent_total", "kind" => "filing_receipt").increment(1);
    Ok(())
}
