//! The clerks' pages: the unit's queue, a case with its submission, history and actions,
//! and the figures. They call the same code as the case API.

use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::{Value, json};

use super::{render, ui};
use crate::casework::{self, ActionRequest};
use crate::db::cases;
use crate::domain::case::{Outcome, Status};
use crate::domain::procedure::Procedure;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::api::cases::{QueueQuery, case_json, event_json, queue_page};
use crate::web::extract::Requester;
use crate::web::pages::step::summary_text;

fn service_title(app: &AppState, id: &str, who: &Requester) -> String {
    app.catalogue
        .get(id)
        .map_or_else(|| id.to_owned(), |s| s.def.title.get(who.lang).to_owned())
}

pub async fn queue(
    app: State<AppState>,
    who: Requester,
    Query(q): Query<QueueQuery>,
) -> AppResult<Response> {
    let access = casework::access(&app, &who, false)?;
    let (rows, next) = queue_page(&app, &access, &q).await?;
    let ids: Vec<String> = rows.iter().map(|c| c.id.clone()).collect();
    let awaiting_fee = crate::db::payments::awaiting_fee(&app.db, &ids).await?;
    let items: Vec<Value> = rows
        .iter()
        .map(|c| {
            let mut v = case_json(c);
            v["service_title"] = json!(service_title(&app, &c.service_id, &who));
            v["awaiting_fee"] = json!(awaiting_fee.contains(&c.id));
            v
        })
        .collect();
    let statuses: Vec<Value> = Status::ALL
        .iter()
        .map(|s| json!({ "value": s.as_str(), "label": s.label_pl(), "selected": q.status.as_deref() == Some(s.as_str()) }))
        .collect();
    let next_href = next.map(|n| {
        let mut url = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("status", q.status.clone().unwrap_or_default()),
            (
                "overdue",
                q.overdue.map(|b| b.to_string()).unwrap_or_default(),
            ),
            (
                "due_this_week",
                q.due_this_week.map(|b| b.to_string()).unwrap_or_default(),
            ),
            ("mine", q.mine.map(|b| b.to_string()).unwrap_or_default()),
            ("after", n),
        ] {
            if !v.is_empty() {
                url.append_pair(k, &v);
            }
        }
        format!("/urzad?{}", url.finish())
    });
    let unit = match &access {
        casework::Access::Unit { unit, .. } => unit.clone(),
        casework::Access::All { .. } => String::new(),
    };
    Ok(render(
        &app,
        StatusCode::OK,
        "staff_queue.html",
        &json!({ "ui": ui(who.lang), "title": "Sprawy", "unit": unit, "items": items, "statuses": statuses,
            "overdue": q.overdue == Some(true), "due_this_week": q.due_this_week == Some(true), "mine": q.mine == Some(true),
            "next": next_href }),
    ))
}

/// A kind of letter as the clerk reads it.
fn letter_label(kind: &str) -> &'static str {
    match kind {
        "granted" => "uwzględnienie",
        "refused" => "odmowa",
        "left_unconsidered" => "pozostawienie bez rozpoznania",
        "discontinued" => "umorzenie",
        "call_to_supplement" => "wezwanie do uzupełnienia",
        "delay_notice" => "zawiadomienie o zwłoce",
        "fee_notice" => "powiadomienie o opłacie",
        "suspended" => "zawieszenie postępowania",
        "resumed" => "podjęcie postępowania",
        _ => "pismo",
    }
}

/// The kinds of letter an action of the page makes.
fn letters_of(action: &str) -> &'static [&'static str] {
    match action {
        "decide" => &["granted", "refused", "discontinued", "left_unconsidered"],
        "call_to_supplement" => &["call_to_supplement"],
        "extend" => &["delay_notice"],
        "fee_notice" => &["fee_notice"],
        "suspend" => &["suspended"],
        "resume" => &["resumed"],
        _ => &[],
    }
}

/// Where a letter whose kind takes `channel` goes in this case, as the clerk reads it: the
/// national service only when it is configured and the application gave an address for
/// electronic delivery (`edoreczenia::letters::enqueue_if_national` decides alike).
fn channel_line(channel: crate::config::Channel, configured: bool, ade: Option<&str>) -> String {
    use crate::config::Channel;
    match (channel, configured, ade) {
        (Channel::Portal, _, _) => "skrzynka w portalu".into(),
        (Channel::National, true, Some(ade)) => {
            format!("e-Doręczenia, na adres do doręczeń elektronicznych {ade}")
        }
        (Channel::National, true, None) => {
            "skrzynka w portalu, bo wniosek nie podaje adresu do doręczeń elektronicznych (ustawienie: e-Doręczenia)".into()
        }
        (Channel::National, false, _) => {
            "skrzynka w portalu, bo usługa e-Doręczenia nie jest skonfigurowana".into()
        }
    }
}

/// Which channel each action's letters take (`delivery.channels`): `{action: line}` for the
/// page, one line per action that makes a letter of this procedure.
fn channels_for(
    app: &AppState,
    procedure: Procedure,
    actions: &[&str],
    ade: Option<&str>,
) -> serde_json::Map<String, Value> {
    actions
        .iter()
        .filter_map(|a| {
            let parts: Vec<String> = letters_of(a)
                .iter()
                .filter(|k| procedure.allows_letter(k).is_ok())
                .map(|k| {
                    let line = channel_line(
                        app.settings.delivery.channel(k),
                        app.edoreczenia.is_some(),
                        ade,
                    );
                    format!("{}: {line}", letter_label(k))
                })
                .collect();
            (!parts.is_empty()).then(|| ((*a).to_owned(), Value::String(parts.join("; "))))
        })
        .collect()
}

/// The actions a clerk can take from here, with the fields each needs.
fn actions_for(status: Status, procedure: Procedure) -> Vec<&'static str> {
    use crate::domain::case::{Action, next};
    // a representative of each action the page offers; the state machine decides
    let decide = Action::Decide {
        outcome: if status == Status::AwaitingApplicant {
            Outcome::LeftUnconsidered
        } else {
            Outcome::Granted
        },
    };
    let call = Action::CallToSupplement {
        term: crate::domain::case::MIN_SUPPLEMENT_TERM,
    };
    [
        Action::Take,
        Action::Start,
        Action::Assign,
        call,
        Action::Supplemented,
        decide,
        Action::Extend,
        Action::FeeNotice,
        Action::Suspend,
        Action::Resume,
        Action::Join,
        Action::Transfer,
        Action::Close,
        Action::Archive,
        Action::Reopen,
    ]
    .iter()
    .filter(|a| next(status, a).is_ok())
    // a fee is notified for public information only (UDIP art. 15 ust. 2)
    .filter(|a| **a != Action::FeeNotice || procedure == Procedure::PublicInformation)
    // only administrative proceedings are suspended (KPA art. 97–103)
    .filter(|a| **a != Action::Suspend || procedure.allows_letter("suspended").is_ok())
    // petitions on the same matter are joined (u.p.p. art. 11)
    .filter(|a| **a != Action::Join || procedure == Procedure::Petition)
    .map(Action::name)
    .collect()
}

async fn case_page(
    app: &AppState,
    who: &Requester,
    sign: &str,
    error: Option<(StatusCode, String)>,
) -> AppResult<Response> {
    let access = casework::access(app, who, false)?;
    let case = casework::visible_case(app, &access, sign).await?;
    let submission = crate::db::submissions::by_id(&app.db, &case.submission_id).await?;
    // petitions on the same matter, to consider joining them (u.p.p. art. 11)
    let similar = match &submission {
        Some(sub) => {
            crate::participation::petitions::similar_to(&app.db, &app.catalogue, &case, sub).await?
        }
        None => Vec::new(),
    };
    let history = cases::history(&app.db, &case.id).await?;
    let svc = app.catalogue.get(&case.service_id);
    let procedure = svc.as_ref().map(|s| s.def.procedure).unwrap_or_default();
    // the data as filed, labelled with the definition when it is the version filed under
    let rows: Vec<Value> = submission
        .as_ref()
        .and_then(|s| serde_json::from_str::<serde_json::Map<String, Value>>(&s.data).ok())
        .map(|data| {
            data.iter()
                .map(|(k, v)| {
                    let label = svc
                        .filter(|svc| {
                            submission
                                .as_ref()
                                .is_some_and(|s| s.definition_hash == svc.hash)
                        })
                        .and_then(|svc| svc.field(k))
                        .map_or_else(|| k.clone(), |f| f.label.get(who.lang).to_owned());
                    json!({ "label": label, "value": summary_text(v) })
                })
                .collect()
        })
        .unwrap_or_default();
    let attachments: Vec<Value> = crate::db::submissions::attachments_of(
        &app.db,
        &case.submission_id,
    )
    .await?
    .iter()
    .map(|a| json!({ "field": a.field, "name": a.name, "size": a.size, "sha3_256": a.sha3_256 }))
    .collect();
    let documents: Vec<Value> = cases::documents(&app.db, &case.id)
        .await?
        .iter()
        .map(|d| json!({ "id": d.id, "title": d.title, "kind": d.kind, "created": crate::domain::clock::in_poland(d.created_at).date().to_string() }))
        .collect();
    // the case's fee: "awaiting payment" while it is not paid in full (KPA art. 261 § 1)
    let fees: Vec<Value> = crate::db::payments::open_for_case(&app.db, &case.id)
        .await?
        .iter()
        .map(|d| super::payments::view(app, d))
        .collect();
    let awaiting_fee = fees.iter().any(|f| f["payable"] == true);
    // letters sent in the case and where each stands with the addressee
    let day = |t: time::OffsetDateTime| crate::domain::clock::in_poland(t).date().to_string();
    let letters: Vec<Value> = crate::db::mailboxes::of_case(&app.db, &case.sign)
        .await?
        .iter()
        .filter(|(m, _)| m.document_id.is_some())
        .flat_map(|(m, copies)| {
            copies.iter().filter(|c| c.folder == "inbox").map(move |c| {
                let state = match c.status.as_str() {
                    "awaiting" => format!(
                        "nieodebrane; doręczenie zastępcze {}",
                        day(crate::delivery::deemed_at(c))
                    ),
                    "delivered" => format!("odebrane {}", c.delivered_at.map(day).unwrap_or_default()),
                    "deemed_delivered" => format!(
                        "doręczone zastępczo {}",
                        c.delivered_at.map(day).unwrap_or_default()
                    ),
                    other => other.to_owned(),
                };
                json!({ "subject": m.subject, "sent": day(m.created_at), "state": state, "waiting": c.status == "awaiting" })
            })
        })
        .collect();
    // a correction: what it corrects and what it changes
    let correction = match (svc, &submission) {
        (Some(svc), Some(sub)) => super::correction::section(app, svc, sub, who.lang).await?,
        _ => None,
    };
    let status = Status::parse(&case.status).unwrap_or(Status::Registered);
    let actions = actions_for(status, procedure);
    let ade = svc.zip(submission.as_ref()).and_then(|(svc, s)| {
        let data = serde_json::from_str(&s.data).ok()?;
        crate::edoreczenia::letters::applicant_ade(svc, &data)
    });
    let channels = channels_for(app, procedure, &actions, ade.as_deref());
    // what the petition or complaint lacks and the rule that follows (u.p.p. art. 7)
    let gaps = submission.as_ref().and_then(|s| {
        let data = serde_json::from_str(&s.data).ok()?;
        let called = history.iter().any(|e| e.action == "call_to_supplement");
        status
            .is_open()
            .then(|| casework::art7::suggestion(procedure, &data, case.started_on, called))
            .flatten()
    });
    let mut v = case_json(&case);
    v["receipt_id"] = json!(submission.as_ref().map(|s| s.receipt_id.clone()));
    v["service_title"] = json!(service_title(app, &case.service_id, who));
    // the e-filing XML, for a filing made under the current definition (api::cases::efiling)
    v["efiling"] = json!(svc.is_some_and(|s| {
        s.efiling_schema.is_some()
            && submission
                .as_ref()
                .is_some_and(|sub| sub.definition_hash == s.hash)
    }));
    let units: Vec<Value> = app
        .catalogue
        .office
        .units
        .iter()
        .filter(|u| u.symbol != case.unit)
        .map(|u| json!({ "symbol": u.symbol, "name": u.name.get(who.lang) }))
        .collect();
    let (status_code, error) = match error {
        Some((s, e)) => (s, Some(e)),
        None => (StatusCode::OK, None),
    };
    Ok(render(
        app,
        status_code,
        "staff_case.html",
        &json!({ "ui": ui(who.lang), "title": format!("Sprawa {}", case.sign), "case": v, "rows": rows,
            "history": history.iter().map(event_json).collect::<Vec<_>>(),
            "signatures": super::signatures::of_history(&history),
            "intact": cases::first_broken(&history).is_none(),
            "actions": actions, "channels": channels, "units": units, "error": error,
            "call_term": procedure.fixed_call_term().unwrap_or(crate::domain::case::MIN_SUPPLEMENT_TERM).to_string(),
            "ends_without_decision": procedure.ends_without_decision(),
            "may_forward": procedure.forward_within().is_some(),
            "certificate": procedure == Procedure::Certificate,
            "similar": similar, "gaps": gaps, "correction": correction,
            "attachments": attachments, "documents": documents, "letters": letters,
            "fees": fees, "awaiting_fee": awaiting_fee,
            "may_assign": access.may_assign(), "me": access.actor().id }),
    ))
}

pub async fn case(
    app: State<AppState>,
    who: Requester,
    Path(sign): Path<String>,
) -> AppResult<Response> {
    case_page(&app, &who, &sign, None).await
}

/// A form's action: the same rules as the API; a refusal shows the case with the reason.
pub async fn act(
    app: State<AppState>,
    who: Requester,
    Path((sign, action)): Path<(String, String)>,
    RawForm(body): RawForm,
) -> AppResult<Response> {
    let mut r = ActionRequest::default();
    for (k, v) in url::form_urlencoded::parse(&body) {
        let v = v.trim().to_owned();
        let opt = || (!v.is_empty()).then(|| v.clone());
        match k.as_ref() {
            "version" => r.version = v.parse().unwrap_or(-1),
            "reason" => r.reason = opt(),
            "assignee" => r.assignee = opt(),
            "term" => r.term = opt(),
            "items" => {
                r.items = v
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect()
            }
            "outcome" => r.outcome = serde_json::from_value(json!(v)).ok(),
            "due_on" => r.due_on = opt(),
            "unit" => r.unit = opt(),
            "note" => r.note = opt(),
            "fee" => r.fee = opt(),
            "ground" => r.ground = opt(),
            "join_with" => r.join_with = opt(),
            "wait_until" => r.wait_until = opt(),
            "call_delivered_on" => r.call_delivered_on = opt(),
            "forward_to" => r.forward_to = opt(),
            _ => {}
        }
    }
    match casework::act(&app, &who, &sign, &action, r).await {
        Ok(_) => Ok(Redirect::to(&format!("/urzad/sprawy/{sign}")).into_response()),
        Err(e @ (AppError::Conflict(_) | AppError::BadRequest { .. } | AppError::Forbidden(_))) => {
            let status = match &e {
                AppError::Conflict(_) => StatusCode::CONFLICT,
                AppError::Forbidden(_) => StatusCode::FORBIDDEN,
                _ => StatusCode::BAD_REQUEST,
            };
            case_page(&app, &who, &sign, Some((status, e.to_string()))).await
        }
        Err(e) => Err(e),
    }
}

/// The figures for the yearly report, as charts with their data tables.
pub async fn stats(app: State<AppState>, who: Requester) -> AppResult<Response> {
    casework::access(&app, &who, false)?;
    let f = crate::web::api::stats::figures(&app).await?;
    let title = |id: &str| service_title(&app, id, &who);
    let arr = |k: &str| f[k].as_array().cloned().unwrap_or_default();
    let per_month: Vec<(String, f64)> = arr("submissions_per_month")
        .iter()
        .map(|m| {
            (
                m["month"].as_str().unwrap_or("").to_owned(),
                m["count"].as_f64().unwrap_or(0.0),
            )
        })
        .collect();
    let by_service: Vec<(String, f64)> = arr("cases")
        .iter()
        .map(|c| {
            (
                title(c["service_id"].as_str().unwrap_or("")),
                c["total"].as_f64().unwrap_or(0.0),
            )
        })
        .collect();
    let medians: Vec<(String, f64)> = arr("processing")
        .iter()
        .map(|p| {
            (
                title(p["service_id"].as_str().unwrap_or("")),
                p["median_days"].as_f64().unwrap_or(0.0),
            )
        })
        .collect();
    let processing: Vec<Value> = arr("processing")
        .iter()
        .map(|p| {
            let mut p = p.clone();
            p["title"] = json!(title(p["service_id"].as_str().unwrap_or("")));
            p["late_percent"] = json!((p["late_share"].as_f64().unwrap_or(0.0) * 100.0).round());
            p
        })
        .collect();
    let charts = crate::web::charts::bars;
    Ok(render(
        &app,
        StatusCode::OK,
        "stats.html",
        &json!({ "ui": ui(who.lang), "title": "Statystyki",
            "services_in_catalogue": f["services_in_catalogue"], "services_in_use": f["services_in_use"],
            "late_percent": (f["late_share"].as_f64().unwrap_or(0.0) * 100.0).round(),
            "per_month": per_month.iter().map(|(m, n)| json!({"month": m, "count": n})).collect::<Vec<_>>(),
            "by_service": by_service.iter().map(|(s, n)| json!({"service": s, "count": n})).collect::<Vec<_>>(),
            "processing": processing,
            "chart_months": charts("c-months", "Wnioski w miesiącach", &per_month, ""),
            "chart_services": charts("c-services", "Sprawy według usługi", &by_service, ""),
            "chart_medians": charts("c-medians", "Mediana czasu załatwienia (dni)", &medians, " dni") }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Channel;

    #[test]
    fn the_clerk_reads_where_a_letter_goes() {
        let ade = Some("AE:PL-30275-59799-JADHJ-27");
        assert_eq!(
            channel_line(Channel::Portal, true, ade),
            "skrzynka w portalu"
        );
        assert_eq!(
            channel_line(Channel::National, true, ade),
            "e-Doręczenia, na adres do doręczeń elektronicznych AE:PL-30275-59799-JADHJ-27"
        );
        assert!(channel_line(Channel::National, true, None).contains("nie podaje adresu"));
        assert!(channel_line(Channel::National, false, ade).contains("nie jest skonfigurowana"));
    }
}
