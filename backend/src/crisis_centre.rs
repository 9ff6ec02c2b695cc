//! Simplified assemblies (Prawo o zgromadzeniach art. 21–22) are notified to the gmina's
//! crisis management centre, or to the voivodeship's where the gmina has none (art. 22
//! ust. 1), by telephone or e-mail (ust. 3). `forms/units.yaml` names the centre: a unit of
//! the office takes the case itself; an outside centre gets the notice by e-mail, sent
//! through the outbox in the filing's transaction, and the organiser is told so.

use lettre::Message;
use lettre::message::Mailbox;
use serde_json::{Map, Value};

use crate::db::submissions;
use crate::domain::lang::Lang;
use crate::forms::definition::{FieldType, Recipient};
use crate::forms::office::CrisisCentre;
use crate::forms::{Input, Service, validate};
use crate::state::AppState;

/// The e-mail address a filing routed `to` goes on to: the outside centre's, if any.
pub fn forward_to(svc: &Service, to: Option<Recipient>) -> Option<String> {
    outside_centre(svc, to).map(|c| c.email.clone())
}

fn centre(svc: &Service, to: Option<Recipient>) -> Option<&CrisisCentre> {
    (to == Some(Recipient::CrisisCentre))
        .then_some(svc.crisis_centre.as_ref())
        .flatten()
}

fn outside_centre(svc: &Service, to: Option<Recipient>) -> Option<&CrisisCentre> {
    centre(svc, to).filter(|c| c.unit.is_none())
}

/// What the confirmation page tells the organiser of a filing with stored `data`, filed
/// on `filed_on`: which centre has the notice and how to reach it round the clock.
pub fn confirmation_note(
    svc: &Service,
    data: &Value,
    filed_on: time::Date,
    lang: Lang,
) -> Option<String> {
    let input = Input {
        lang,
        today: filed_on,
        identity: None,
    };
    let c = centre(svc, validate(svc, data, &input).to)?;
    let (name, phone, email) = (c.name.get(lang), &c.phone, &c.email);
    Some(match (c.unit.is_some(), lang) {
        (true, Lang::Pl) => format!(
            "Zawiadomienie w trybie uproszczonym przyjmuje {name} (art. 22 ust. 1 Prawa o zgromadzeniach). Całodobowy kontakt: tel. {phone}, e-mail {email}."
        ),
        (true, Lang::En) => format!(
            "The simplified-procedure notice is taken by the {name} (art. 22(1) of the Assemblies Act). Round-the-clock contact: phone {phone}, e-mail {email}."
        ),
        (false, Lang::Pl) => format!(
            "Gmina nie ma własnego centrum zarządzania kryzysowego, więc zawiadomienie w trybie uproszczonym należy do: {name} (art. 22 ust. 1 Prawa o zgromadzeniach). Przesyłamy je tam e-mailem na adres {email}. Kontakt z centrum: tel. {phone}."
        ),
        (false, Lang::En) => format!(
            "The gmina has no crisis management centre of its own, so the simplified-procedure notice goes to the {name} (art. 22(1) of the Assemblies Act). We are sending it there by e-mail to {email}. The centre's phone: {phone}."
        ),
    })
}

/// Does a `CRISIS_CENTRE_NOTICE` job: e-mails the filing's answers to the centre, with
/// the organiser's e-mail to reply to. A filing that is gone is not retried.
pub async fn send(app: &AppState, job: &Value) -> anyhow::Result<()> {
    let text = |k: &str| job[k].as_str().unwrap_or_default();
    let Some(s) = submissions::by_id(&app.db, text("submission_id")).await? else {
        return Ok(());
    };
    let Some(svc) = app.catalogue.get(&s.service_id) else {
        anyhow::bail!("service `{}` is not in the catalogue", s.service_id);
    };
    let data: Map<String, Value> = serde_json::from_str(&s.data)?;
    let filed = crate::domain::clock::in_poland(s.filed_at);
    let mut body = format!(
        "{} przekazuje zawiadomienie złożone przez portal okienko {} (potwierdzenie {}, sprawa {}). \
         Zawiadomienie o zgromadzeniu w trybie uproszczonym (art. 22 ustawy Prawo o zgromadzeniach):\n\n",
        app.settings.authority.name,
        filed.date(),
        text("receipt_id"),
        text("case_sign"),
    );
    body.push_str(&answers(svc, &data));
    let mut msg = Message::builder()
        .from(app.settings.mail.from.parse::<Mailbox>()?)
        .to(text("to").parse::<Mailbox>()?)
        .subject(format!(
            "Zawiadomienie o zgromadzeniu (tryb uproszczony): {}",
            data.get("assembly_date")
                .and_then(Value::as_str)
                .unwrap_or_default()
        ));
    if let Some(Ok(reply)) = data
        .get("email")
        .and_then(Value::as_str)
        .map(str::parse::<Mailbox>)
    {
        msg = msg.reply_to(reply);
    }
    app.mailer.send(msg.body(body)?).await?;
    metrics::counter!("okienko_notices_sent_total", "kind" => "crisis_centre").increment(1);
    Ok(())
}

/// Each answered field as `label: value`, in the form's order, in Polish.
fn answers(svc: &Service, data: &Map<String, Value>) -> String {
    svc.fields()
        .filter(|f| !matches!(f.kind, FieldType::Content | FieldType::File))
        .filter_map(|f| {
            let v = data.get(&f.id)?;
            let option = f.options.iter().find(|o| v.as_str() == Some(&o.value));
            let shown = option.map_or_else(|| plain(v), |o| o.label.pl.clone());
            Some(format!("{}: {shown}\n", f.label.pl))
        })
        .collect()
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => if *b { "tak" } else { "nie" }.into(),
        Value::Object(o) => o.values().map(plain).collect::<Vec<_>>().join(", "),
        Value::Array(a) => a.iter().map(plain).collect::<Vec<_>>().join("; "),
        other => other.to_string(),
    }
}
