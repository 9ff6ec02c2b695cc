//! The public register of petitions as pages and an Atom feed (u.p.p. art. 8 ust. 1):
//! `/petycje` (filters, pages), `/petycje/{sign}` (one petition and its steps) and
//! `/petycje.atom` (the newest, for readers and the BIP).

use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

use super::atom::{Entry, feed};
use super::{render, ui};
use crate::error::{AppError, AppResult};
use crate::participation::cosigners;
use crate::state::AppState;
use crate::web::api::petitions::{RegisterQuery, one, page, report};
use crate::web::extract::{Language, Requester};

pub async fn list(
    app: State<AppState>,
    Language(lang): Language,
    Query(q): Query<RegisterQuery>,
) -> AppResult<Response> {
    let (items, next) = page(&app, &q).await?;
    let next_href = next.map(|c| {
        let mut href = format!("/petycje?after={c}");
        if let Some(s) = &q.state {
            href.push_str(&format!("&state={}", urlencoding(s)));
        }
        if let Some(y) = q.year {
            href.push_str(&format!("&year={y}"));
        }
        href
    });
    Ok(render(
        &app,
        StatusCode::OK,
        "petitions.html",
        &json!({ "ui": ui(lang), "title": "Rejestr petycji", "items": items, "next": next_href,
            "state": q.state, "year": q.year }),
    ))
}

pub async fn get(
    app: State<AppState>,
    who: Requester,
    Path(sign): Path<String>,
) -> AppResult<Response> {
    petition_page(&app, &who, &sign, None, StatusCode::OK).await
}

/// A petition's page, with the co-signers of a group's petition (the representative sees
/// all who confirmed) and, for a logged-in person, the form to co-sign it; `notice` is the
/// refusal of a co-signing.
async fn petition_page(
    app: &AppState,
    who: &Requester,
    sign: &str,
    notice: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let p = one(app, sign).await?;
    let cosigners = if cosigners::is_group(app, sign).await? {
        Some(cosigners::page(app, who.identity.as_ref(), sign, None, 100).await?)
    } else {
        None
    };
    let me = who.identity.as_ref();
    let may_cosign = cosigners.is_some() && p.state == "in_progress" && me.is_some();
    Ok(render(
        app,
        status,
        "petition.html",
        &json!({ "ui": ui(who.lang), "title": format!("Petycja {}", p.sign), "p": p,
            "cosigners": cosigners, "may_cosign": may_cosign,
            "login": crate::web::auth::login_url("low", &format!("/petycje/{sign}")),
            "logged_in": me.is_some(), "notice": notice }),
    ))
}

/// `POST /petycje/{sign}/wspolpodpis`: the logged-in person co-signs a group's petition,
/// with or without consent to their name being published (`consent=yes`).
pub async fn cosign(
    app: State<AppState>,
    who: Requester,
    Path(sign): Path<String>,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    let consent = url::form_urlencoded::parse(&raw).any(|(k, v)| k == "consent" && v == "yes");
    match cosigners::confirm(&app, who.identity.as_ref(), &sign, consent).await {
        Ok(_) => Ok(Redirect::to(&format!("/petycje/{sign}?wspolpodpis=zapisany")).into_response()),
        Err(AppError::Conflict(m)) => {
            petition_page(&app, &who, &sign, Some(m), StatusCode::CONFLICT).await
        }
        Err(AppError::Forbidden(m)) => {
            petition_page(&app, &who, &sign, Some(m), StatusCode::FORBIDDEN).await
        }
        Err(e) => Err(e),
    }
}

/// The yearly summary (u.p.p. art. 14).
pub async fn year(
    app: State<AppState>,
    Language(lang): Language,
    Path(year): Path<i32>,
) -> AppResult<Response> {
    let r = report(&app, year).await?;
    Ok(render(
        &app,
        StatusCode::OK,
        "petitions_report.html",
        &json!({ "ui": ui(lang), "title": format!("Zbiorcza informacja o petycjach za {year} r."), "r": r }),
    ))
}

/// The newest petitions as an Atom feed (RFC 4287).
pub async fn atom(app: State<AppState>) -> AppResult<Response> {
    let q = RegisterQuery {
        limit: Some(50),
        ..RegisterQuery::default()
    };
    let (items, _) = page(&app, &q).await?;
    let base = app.settings.base_url();
    let entries: Vec<Entry> = items
        .iter()
        .map(|p| Entry {
            title: p.subject.clone(),
            id: format!("{base}/petycje/{}", p.sign),
            href: format!("{base}/petycje/{}", p.sign),
            updated: p.filed_on.clone(),
            author: p
                .petitioner
                .as_deref()
                .unwrap_or("Wnoszący petycję")
                .to_owned(),
            summary: format!(
                "{} — {}. Adresat: {}.",
                p.state_label, p.subject, p.addressee
            ),
        })
        .collect();
    let title = format!("Rejestr petycji — {}", app.settings.authority.name);
    Ok(feed(&base, "/petycje", &title, &entries))
}

fn urlencoding(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}
