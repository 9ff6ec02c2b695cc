//! The console's draft form, shared by a new consultation (`new.rs`) and editing a draft
//! (`edit.rs`): every field the API's save accepts (kind, subject, the council's
//! resolution, areas, dates, forms, who takes part, anonymity, moderation, results while
//! open, the document and the questionnaire), read from the posted form into a
//! `Consultation` with a refusal per field for what does not parse (a date, the kind), and
//! rendered back with each refusal beside its field and everything typed kept.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::super::{render, ui};
use crate::domain::consultation::{
    Consultation, Dates, Form, Kind, LegalBasis, Moderation, Participants, Scope,
};
use crate::forms::FieldError;
use crate::state::AppState;
use crate::web::extract::Requester;

/// Every form a consultation may take, with its label.
pub const FORMS: [(&str, &str); 10] = [
    ("comments", "zbieranie uwag"),
    ("open_meeting", "spotkanie otwarte"),
    ("expert_panel", "panel ekspercki"),
    ("workshop", "warsztat"),
    ("study_walk", "spacer studyjny"),
    ("survey", "badanie ankietowe"),
    ("geo_survey", "ankieta geoprzestrzenna"),
    ("interview", "wywiad"),
    ("consultation_point", "punkt konsultacyjny"),
    ("designer_hours", "dyżur projektanta"),
];

/// Where the form is posted: a new draft, or a new version of draft `id` at `version`.
pub enum Mode<'a> {
    New,
    Edit { id: &'a str, version: i32 },
}

/// The form's values as posted, to render back unchanged.
pub fn values(pairs: &[(String, String)]) -> Value {
    let one = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map_or("", |(_, v)| v.as_str())
            .to_owned()
    };
    let many = |k: &str| {
        pairs
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
    };
    json!({
        "kind": one("kind"), "subject": one("subject"), "resolution": one("resolution"),
        "adopted_on": one("adopted_on"), "link": one("link"), "announced_on": one("announced_on"),
        "opens_on": one("opens_on"), "closes_on": one("closes_on"), "report_due_on": one("report_due_on"),
        "areas": many("areas"), "forms": many("forms"), "participants": one("participants"),
        "anonymous": one("anonymous") == "yes",
        "moderation": if one("moderation") == "before" { "before" } else { "after" },
        "results_while_open": one("results_while_open") == "yes",
        "document": one("document"), "questionnaire": one("questionnaire"),
    })
}

/// The form's values of a stored consultation.
pub fn values_of(c: &Consultation, questionnaire: &str) -> Value {
    let areas = match &c.scope {
        Scope::Gmina => Vec::new(),
        Scope::Areas { areas } => areas.clone(),
    };
    let forms: Vec<Value> = c
        .forms
        .iter()
        .filter_map(|f| serde_json::to_value(f).ok())
        .collect();
    json!({
        "kind": c.kind.as_str(), "subject": c.subject, "resolution": c.legal_basis.resolution,
        "adopted_on": c.legal_basis.adopted_on.to_string(), "link": c.legal_basis.link,
        "announced_on": c.dates.announced_on.to_string(), "opens_on": c.dates.opens_on.to_string(),
        "closes_on": c.dates.closes_on.to_string(), "report_due_on": c.dates.report_due_on.to_string(),
        "areas": areas, "forms": forms,
        "participants": c.participants.and_then(|p| serde_json::to_value(p).ok()).unwrap_or(json!("")),
        "anonymous": c.anonymous,
        "moderation": if c.moderation == Moderation::Before { "before" } else { "after" },
        "results_while_open": c.results_while_open,
        "document": c.document, "questionnaire": questionnaire,
    })
}

fn text(v: &Value, k: &str) -> String {
    v[k].as_str().unwrap_or_default().to_owned()
}

fn date(
    v: &Value,
    k: &str,
    path: &str,
    label: &str,
    errors: &mut Vec<FieldError>,
) -> Option<time::Date> {
    let raw = text(v, k);
    let parsed = time::Date::parse(
        raw.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    );
    match parsed {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(FieldError {
                path: path.into(),
                code: "date".into(),
                message: format!(
                    "{label}: podaj datę w postaci RRRR-MM-DD (wpisano „{}”)",
                    raw.trim()
                ),
            });
            None
        }
    }
}

/// The consultation the form describes, or a refusal for each field that does not parse.
pub fn consultation(v: &Value) -> Result<Consultation, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = Kind::parse(&text(v, "kind"));
    if kind.is_none() {
        errors.push(FieldError {
            path: "kind".into(),
            code: "kind".into(),
            message: "wybierz rodzaj konsultacji".into(),
        });
    }
    let adopted_on = date(
        v,
        "adopted_on",
        "legal_basis.adopted_on",
        "data podjęcia uchwały",
        &mut errors,
    );
    let announced_on = date(
        v,
        "announced_on",
        "dates.announced_on",
        "ogłoszenie",
        &mut errors,
    );
    let opens_on = date(v, "opens_on", "dates.opens_on", "rozpoczęcie", &mut errors);
    let closes_on = date(
        v,
        "closes_on",
        "dates.closes_on",
        "ostatni dzień",
        &mut errors,
    );
    let report_due_on = date(
        v,
        "report_due_on",
        "dates.report_due_on",
        "raport",
        &mut errors,
    );
    let mut forms = Vec::new();
    for f in v["forms"].as_array().into_iter().flatten() {
        match serde_json::from_value::<Form>(f.clone()) {
            Ok(f) => forms.push(f),
            Err(_) => errors.push(FieldError {
                path: "forms".into(),
                code: "forms.unknown".into(),
                message: format!("nieznana forma konsultacji: {f}"),
            }),
        }
    }
    let participants = match v["participants"].as_str().unwrap_or_default() {
        "" => None,
        "residents" => Some(Participants::Residents),
        "roster" => Some(Participants::Roster),
        other => {
            errors.push(FieldError {
                path: "participants".into(),
                code: "participants.unknown".into(),
                message: format!("nieznany krąg uczestników: {other}"),
            });
            None
        }
    };
    let areas: Vec<String> = v["areas"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a.as_str().map(str::to_owned))
        .collect();
    let (
        Some(kind),
        Some(adopted_on),
        Some(announced_on),
        Some(opens_on),
        Some(closes_on),
        Some(report_due_on),
        true,
    ) = (
        kind,
        adopted_on,
        announced_on,
        opens_on,
        closes_on,
        report_due_on,
        errors.is_empty(),
    )
    else {
        return Err(errors);
    };
    Ok(Consultation {
        kind,
        subject: text(v, "subject"),
        legal_basis: LegalBasis {
            resolution: text(v, "resolution"),
            adopted_on,
            link: text(v, "link"),
        },
        scope: if areas.is_empty() {
            Scope::Gmina
        } else {
            Scope::Areas { areas }
        },
        dates: Dates {
            announced_on,
            opens_on,
            closes_on,
            report_due_on,
        },
        forms,
        participants,
        anonymous: v["anonymous"].as_bool().unwrap_or(false),
        document: text(v, "document"),
        moderation: if v["moderation"] == "before" {
            Moderation::Before
        } else {
            Moderation::After
        },
        results_while_open: v["results_while_open"].as_bool().unwrap_or(false),
    })
}

/// Each field's refusals, joined, by the field's path (an area's refusal under
/// `scope.areas`).
fn by_field(errors: &[FieldError]) -> Value {
    let mut m: Map<String, Value> = Map::new();
    for e in errors {
        let path = if e.path.starts_with("scope.areas") {
            "scope.areas".to_owned()
        } else {
            e.path.clone()
        };
        let entry = m.entry(path).or_insert_with(|| json!([]));
        if let Some(list) = entry.as_array_mut() {
            list.push(json!(e.message));
        }
    }
    Value::Object(m)
}

/// The form page; `notice` says why a save was refused as a whole (a 409).
pub fn page(
    app: &AppState,
    who: &Requester,
    mode: Mode<'_>,
    values: &Value,
    errors: &[FieldError],
    notice: Option<&str>,
    status: StatusCode,
) -> Response {
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    let areas: Vec<Value> = app
        .catalogue
        .areas
        .areas
        .iter()
        .map(|a| json!({ "code": a.code, "name": a.name.get(who.lang) }))
        .collect();
    let forms: Vec<Value> = FORMS
        .iter()
        .map(|(code, label)| json!({ "code": code, "label": label }))
        .collect();
    let (title, action, version, id) = match mode {
        Mode::New => (
            "Nowa konsultacja".to_owned(),
            "/konsole/konsultacje/nowa".to_owned(),
            None,
            None,
        ),
        Mode::Edit { id, version } => (
            format!("Edycja projektu: {}", text(values, "subject")),
            format!("/konsole/konsultacje/{id}/edycja"),
            Some(version),
            Some(id),
        ),
    };
    render(
        app,
        status,
        "console_consultation_new.html",
        &json!({
            "ui": ui(who.lang), "title": title, "action": action, "version": version, "id": id,
            "v": values, "kinds": kinds, "areas": areas, "all_forms": forms,
            "errors": errors, "e": by_field(errors), "notice": notice,
        }),
    )
}
