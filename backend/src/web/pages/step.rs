//! One page per step: fields with their values, an error summary and inline errors;
//! repeating groups with add/remove buttons; `sprawdz` is the check-your-answers page.

use axum::extract::{Path, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::{Map, Value, json};

use super::{form_data, message_page, render, ui};
use crate::db::drafts;
use crate::domain::ids::DraftId;
use crate::domain::lang::Lang;
use crate::error::{AppError, AppResult};
use crate::forms::definition::{Field, FieldType, Prefill};
use crate::forms::{FieldError, Outcome, Service};
use crate::state::AppState;
use crate::web::extract::Requester;
use crate::web::view;

pub const REVIEW: &str = "sprawdz";

/// The validation of `data`, worked out on a blocking thread (see
/// [`crate::filing::validate_off_runtime`]).
async fn outcome(
    svc: &std::sync::Arc<Service>,
    data: Value,
    who: &Requester,
) -> AppResult<Outcome> {
    crate::filing::validate_off_runtime(svc.clone(), data, who.lang, who.identity.clone()).await
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

fn error_at<'a>(errors: &'a [FieldError], path: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|e| e.path == path)
        .map(|e| e.message.as_str())
}

pub fn field_view(
    svc: &Service,
    f: &Field,
    name: &str,
    value: Option<&Value>,
    errors: &[FieldError],
    lang: Lang,
    locked: bool,
) -> Value {
    let mut v = view::field(svc, f, lang);
    v["name"] = name.into();
    v["value"] = text(value).into();
    v["error"] = error_at(errors, name).into();
    v["locked"] = locked.into();
    v["is_computed"] = f.computed.is_some().into();
    if let Some(opts) = v.get_mut("options").and_then(Value::as_array_mut) {
        for o in opts {
            let ov = o["value"].clone();
            let selected = match value {
                Some(Value::Array(a)) => a.contains(&ov),
                Some(x) => *x == ov,
                None => false,
            };
            o["selected"] = selected.into();
        }
    }
    if f.kind == FieldType::Scale {
        let (lo, hi) = f.scale_bounds();
        let chosen = text(value);
        let points: Vec<Value> = (lo..=hi)
            .map(|n| json!({ "n": n, "selected": chosen == n.to_string() }))
            .collect();
        v["points"] = Value::Array(points);
    }
    if f.kind == FieldType::Ranking {
        // one select a place, best first; a place holds the option ranked there
        let ranked: Vec<Value> = value.and_then(Value::as_array).cloned().unwrap_or_default();
        let places = v["options"].as_array().map_or(0, Vec::len);
        let positions: Vec<Value> = (0..places)
            .map(|i| json!({ "n": i + 1, "choice": ranked.get(i).cloned().unwrap_or(Value::Null) }))
            .collect();
        v["positions"] = Value::Array(positions);
    }
    if f.kind == FieldType::Address {
        // an array, not a map: the template keeps this order (street first)
        let pl = lang == Lang::Pl;
        let parts: Vec<Value> = [
            ("street", "Ulica", "Street"),
            ("building", "Numer domu", "Building"),
            ("flat", "Numer lokalu", "Flat"),
            ("postal_code", "Kod pocztowy", "Postal code"),
            ("locality", "Miejscowość", "Locality"),
            ("teryt", "TERYT (SIMC)", "TERYT (SIMC)"),
        ]
        .into_iter()
        .map(|(k, label_pl, label_en)| {
            let p = format!("{name}.{k}");
            json!({ "key": k, "label": if pl { label_pl } else { label_en }, "name": p,
                "value": text(value.and_then(|a| a.get(k))), "error": error_at(errors, &p) })
        })
        .collect();
        v["parts"] = Value::Array(parts);
    }
    if f.kind == FieldType::Group {
        let rows: Vec<Value> = value
            .and_then(Value::as_array)
            .map(|rows| {
                rows.iter()
                    .enumerate()
                    .map(|(i, row)| {
                        let fields: Vec<Value> = f
                            .fields
                            .iter()
                            .map(|rf| {
                                field_view(
                                    svc,
                                    rf,
                                    &format!("{name}[{i}].{}", rf.id),
                                    row.get(&rf.id),
                                    errors,
                                    lang,
                                    false,
                                )
                            })
                            .collect();
                        json!({ "index": i, "number": i + 1, "fields": fields })
                    })
                    .collect()
            })
            .unwrap_or_default();
        v["rows"] = rows.into();
    }
    v
}

struct Ctx {
    svc: std::sync::Arc<Service>,
    draft: crate::db::entity::draft::Model,
    data: Map<String, Value>,
}

async fn load(app: &AppState, who: &Requester, id: &str, draft: &str) -> AppResult<Ctx> {
    let svc = crate::web::api::service(app, id)?;
    let draft_id = DraftId::parse(draft).ok_or(AppError::NotFound("draft"))?;
    let draft = drafts::find_owned(&app.db, draft_id, &who.owner)
        .await?
        .ok_or(AppError::NotFound("draft"))?;
    if draft.service_id != svc.def.id {
        return Err(AppError::NotFound("draft"));
    }
    let data = serde_json::from_str(&draft.data).unwrap_or_default();
    Ok(Ctx { svc, draft, data })
}

/// Visible steps in order, for this data.
fn visible_steps(svc: &Service, out: &Outcome) -> Vec<String> {
    svc.def
        .steps
        .iter()
        .filter(|s| !out.hidden.contains(&s.id))
        .map(|s| s.id.clone())
        .collect()
}

async fn page(
    app: &AppState,
    who: &Requester,
    c: &Ctx,
    step_id: &str,
    errors: &[FieldError],
    status: StatusCode,
) -> AppResult<Response> {
    let out = outcome(&c.svc, Value::Object(c.data.clone()), who).await?;
    let earlier = earlier_filings(app, who, c, step_id).await?;
    Ok(page_for(
        app, who, c, step_id, errors, status, &out, &earlier,
    ))
}

/// The filer's own filings of this service when the step has a `filing` field (what a
/// correction corrects), to pick from; none otherwise.
async fn earlier_filings(
    app: &AppState,
    who: &Requester,
    c: &Ctx,
    step_id: &str,
) -> AppResult<Vec<Value>> {
    let asks = c
        .svc
        .def
        .steps
        .iter()
        .filter(|s| s.id == step_id)
        .flat_map(|s| &s.fields)
        .any(|f| f.kind == FieldType::Filing);
    if !asks {
        return Ok(Vec::new());
    }
    super::correction::own_filings(app, &c.svc, &who.owner, who.lang).await
}

/// A `filing` field with earlier filings to pick from is a select of them.
fn offer_filings(v: &mut Value, earlier: &[Value], value: Option<&Value>) {
    if earlier.is_empty() {
        return;
    }
    let options: Vec<Value> = earlier
        .iter()
        .map(|o| {
            let mut o = o.clone();
            o["selected"] = (value == Some(&o["value"])).into();
            o
        })
        .collect();
    v["type"] = "choice".into();
    v["widget"] = "select".into();
    v["options"] = options.into();
}

#[expect(clippy::too_many_arguments, reason = "the page's parts, each its own")]
fn page_for(
    app: &AppState,
    who: &Requester,
    c: &Ctx,
    step_id: &str,
    errors: &[FieldError],
    status: StatusCode,
    out: &Outcome,
    earlier: &[Value],
) -> Response {
    let steps = visible_steps(&c.svc, out);
    let lang = who.lang;
    let base = format!("/uslugi/{}/wniosek/{}", c.svc.def.id, c.draft.id);
    let service = view::summary(&c.svc, lang);
    if step_id == REVIEW {
        let mut sections = Vec::new();
        let mut files = Vec::new();
        for s in c.svc.def.steps.iter().filter(|s| steps.contains(&s.id)) {
            let mut rows = Vec::new();
            for f in s
                .fields
                .iter()
                .filter(|f| !out.hidden.contains(&f.id) && f.kind != FieldType::Content)
            {
                if f.kind == FieldType::File {
                    files.push(field_view(&c.svc, f, &f.id, None, errors, lang, false));
                    continue;
                }
                let shown = out.data.get(&f.id).map(summary_text).unwrap_or_default();
                rows.push(json!({ "label": f.label.get(lang), "value": shown, "error": errors.iter().find(|e| e.concerns(&f.id)).map(|e| e.message.clone()) }));
            }
            sections.push(json!({ "title": s.title.get(lang), "href": format!("{base}/{}", s.id), "rows": rows }));
        }
        let ctx = json!({ "ui": ui(lang), "title": ui(lang)["check_answers"], "service": service, "sections": sections, "files": files,
            "errors": errors, "warnings": out.warnings, "action": format!("{base}/zloz"), "back": steps.last().map(|s| format!("{base}/{s}")),
            "fee_due": out.fee.map(|f| json!({ "text": view::amount(f, lang), "exempt": f.is_zero() })) });
        return render(app, status, "review.html", &ctx);
    }
    let Some(step) = c.svc.def.steps.iter().find(|s| s.id == step_id) else {
        let t = ui(lang)["not_found"].as_str().unwrap_or("").to_owned();
        return message_page(app, lang, StatusCode::NOT_FOUND, &t, "");
    };
    let locked_ok = who.identity.is_some();
    let fields: Vec<Value> = step
        .fields
        .iter()
        .filter(|f| !out.hidden.contains(&f.id))
        .map(|f| {
            let value = out.data.get(&f.id).or_else(|| c.data.get(&f.id));
            let mut v = field_view(
                &c.svc,
                f,
                &f.id,
                value,
                errors,
                lang,
                locked_ok && f.prefill.is_some_and(|p| p != Prefill::Ledger),
            );
            if f.kind == FieldType::Filing {
                offer_filings(&mut v, earlier, value);
            }
            v
        })
        .collect();
    let pos = steps.iter().position(|s| s == step_id).unwrap_or(0);
    let ctx = json!({
        "ui": ui(lang), "title": step.title.get(lang), "service": service, "step": { "id": step.id, "title": step.title.get(lang), "number": pos + 1, "count": steps.len() },
        "fields": fields, "errors": errors, "action": format!("{base}/{}", step.id),
        "back": if pos > 0 { Some(format!("{base}/{}", steps[pos - 1])) } else { Some(format!("/uslugi/{}", c.svc.def.id)) },
    });
    render(app, status, "step.html", &ctx)
}

pub fn summary_text(v: &Value) -> String {
    match v {
        Value::Array(rows) => rows.iter().map(summary_text).collect::<Vec<_>>().join("; "),
        Value::Object(o) => o
            .values()
            .map(summary_text)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        Value::Bool(true) => "tak / yes".into(),
        Value::Bool(false) => "nie / no".into(),
        other => text(Some(other)),
    }
}

pub async fn get(
    app: State<AppState>,
    who: Requester,
    Path((id, draft, step)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let mut c = load(&app, &who, &id, &draft).await?;
    if let Some(identity) = &who.identity
        && crate::ledger::prefill::seed(app.ledger.as_ref(), identity, &c.svc, &mut c.data).await?
    {
        c.draft = drafts::update(&app.db, c.draft, &Value::Object(c.data.clone())).await?;
    }
    page(&app, &who, &c, &step, &[], StatusCode::OK).await
}

/// Saves the step; on "continue" moves on only when this step has no errors.
pub async fn post(
    app: State<AppState>,
    who: Requester,
    Path((id, draft, step)): Path<(String, String, String)>,
    RawForm(body): RawForm,
) -> AppResult<Response> {
    let mut c = load(&app, &who, &id, &draft).await?;
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let action = pairs
        .iter()
        .find(|(k, _)| k == "action")
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| "next".into());
    form_data::merge_step(&c.svc, &step, &pairs, &mut c.data)?;
    if let Some(group) = action.strip_prefix("add_row:") {
        if let Some(Value::Array(rows)) = c.data.get_mut(group) {
            rows.push(json!({}));
        } else if c
            .svc
            .field(group)
            .is_some_and(|f| f.kind == FieldType::Group)
        {
            c.data.insert(group.to_owned(), json!([{}]));
        }
    } else if let Some(rest) = action.strip_prefix("remove_row:")
        && let Some((group, i)) = rest.split_once(':')
        && let (Some(Value::Array(rows)), Ok(i)) = (c.data.get_mut(group), i.parse::<usize>())
        && i < rows.len()
    {
        rows.remove(i);
    }
    let saved = drafts::update(&app.db, c.draft.clone(), &Value::Object(c.data.clone())).await?;
    c.draft = saved;
    let base = format!("/uslugi/{id}/wniosek/{draft}");
    if action != "next" {
        return Ok(Redirect::to(&format!("{base}/{step}")).into_response());
    }
    let out = outcome(&c.svc, Value::Object(c.data.clone()), &who).await?;
    let Some(st) = c.svc.def.steps.iter().find(|s| s.id == step) else {
        return Err(AppError::NotFound("step"));
    };
    let mine = |e: &&FieldError| {
        st.fields
            .iter()
            .any(|f| f.kind != FieldType::File && e.concerns(&f.id))
    };
    let errors: Vec<FieldError> = out.errors.iter().filter(mine).cloned().collect();
    if !errors.is_empty() {
        let earlier = earlier_filings(&app, &who, &c, &step).await?;
        return Ok(page_for(
            &app,
            &who,
            &c,
            &step,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
            &out,
            &earlier,
        ));
    }
    let steps = visible_steps(&c.svc, &out);
    let next = steps
        .iter()
        .skip_while(|s| **s != step)
        .nth(1)
        .cloned()
        .unwrap_or_else(|| REVIEW.into());
    Ok(Redirect::to(&format!("{base}/{next}")).into_response())
}

pub(super) async fn review_with_errors(
    app: &AppState,
    who: &Requester,
    id: &str,
    draft: &str,
    errors: &[FieldError],
    status: StatusCode,
) -> AppResult<Response> {
    let c = load(app, who, id, draft).await?;
    page(app, who, &c, REVIEW, errors, status).await
}

pub(super) async fn draft_data(
    app: &AppState,
    who: &Requester,
    id: &str,
    draft: &str,
) -> AppResult<(Value, DraftId)> {
    let c = load(app, who, id, draft).await?;
    Ok((
        Value::Object(c.data),
        DraftId::parse(draft).ok_or(AppError::NotFound("draft"))?,
    ))
}
