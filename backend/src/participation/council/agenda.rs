//! The calendar of sessions the council office keeps (u.s.g. art. 20): date, place and the
//! agenda, each item with the majority it needs and, where it deals with one, its case;
//! the agenda's exports are `web::api::council::export`.

use sea_orm::TransactionTrait;
use sea_orm::sea_query::Expr;
use serde::Deserialize;
use serde_json::json;
use time::{OffsetDateTime, PrimitiveDateTime};

use super::{committee, committee_or_office, office, record, session, text};
use crate::db::council::{self as db, NewItem, NewSession};
use crate::db::entity::{council_item, council_session as row};
use crate::domain::case::Action;
use crate::domain::clock;
use crate::domain::council::Majority;
use crate::domain::identity::Identity;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub fn today() -> time::Date {
    clock::in_poland(OffsetDateTime::now_utc()).date()
}

/// A moment as the office types it: RFC 3339, or `YYYY-MM-DDTHH:MM` in Polish time.
pub fn parse_moment(raw: &str, field: &'static str) -> AppResult<OffsetDateTime> {
    let raw = raw.trim();
    let bad = || {
        AppError::bad_request(
            field,
            format!("`{field}` to data i godzina, np. 2026-12-10T16:00 (czas polski)"),
        )
    };
    if let Ok(t) = OffsetDateTime::parse(raw, &time::format_description::well_known::Rfc3339) {
        return Ok(t);
    }
    let naive = PrimitiveDateTime::parse(
        raw,
        &time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]"),
    )
    .map_err(|_| bad())?;
    // the offset in force then: clocks move at 01:00 UTC, far from any session's hour
    let offset = clock::poland_offset(naive.assume_utc() - time::Duration::hours(2));
    let at = naive.assume_offset(offset);
    if !(2000..=2100).contains(&at.year()) {
        return Err(bad());
    }
    Ok(at)
}

/// An address of a recording or minutes: http(s), at most 500 characters.
fn link(raw: &str, field: &'static str) -> AppResult<String> {
    let t = text(raw, field, 500)?;
    match url::Url::parse(t) {
        Ok(u) if matches!(u.scheme(), "https" | "http") => Ok(t.to_owned()),
        _ => Err(AppError::bad_request(
            field,
            format!("`{field}` to adres strony (https://…)"),
        )),
    }
}

/// A new session in the calendar.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSessionRequest {
    /// e.g. `XII sesja Rady Gminy Przykładowo`.
    pub title: String,
    /// `2026-12-10T16:00` (Polish time) or RFC 3339.
    pub starts_at: String,
    pub place: String,
}

pub async fn create(
    app: &AppState,
    who: Option<&Identity>,
    r: &NewSessionRequest,
) -> AppResult<row::Model> {
    let actor = office(app, who)?;
    let title = text(&r.title, "title", 300)?;
    let place = text(&r.place, "place", 300)?;
    let starts_at = parse_moment(&r.starts_at, "starts_at")?;
    let txn = app.db.begin().await?;
    let s = db::create_session(
        &txn,
        NewSession {
            title,
            starts_at,
            place,
        },
    )
    .await?;
    db::lock(&txn, &s.id).await?;
    record(
        &txn,
        &s.id,
        &actor,
        "created",
        json!({ "title": title, "starts_at": super::view::pl_time(starts_at), "place": place }),
    )
    .await?;
    txn.commit().await?;
    tracing::info!(council.session = %s.id, "session planned");
    session(app, &s.id).await
}

/// What the office changes in a session; absent fields stay as they are.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditSessionRequest {
    pub title: Option<String>,
    pub starts_at: Option<String>,
    pub place: Option<String>,
    /// The chair of this session (`provider:subject` of a member), over the settings' one.
    pub chair: Option<String>,
    /// The recording (u.s.g. art. 20 ust. 1b), https://…
    pub recording_url: Option<String>,
    /// The minutes (protokół) as published, https://…
    pub minutes_url: Option<String>,
}

pub async fn edit(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    r: &EditSessionRequest,
) -> AppResult<row::Model> {
    let actor = office(app, who)?;
    let s = session(app, id).await?;
    let mut changes = Vec::new();
    let mut detail = serde_json::Map::new();
    let planned = s.status == "planned";
    let not_planned =
        || AppError::Conflict("tytuł, termin i miejsce zmienia się przed otwarciem sesji".into());
    if let Some(t) = &r.title {
        if !planned {
            return Err(not_planned());
        }
        let t = text(t, "title", 300)?;
        changes.push((row::Column::Title, Expr::value(t)));
        detail.insert("title".into(), json!(t));
    }
    if let Some(p) = &r.place {
        if !planned {
            return Err(not_planned());
        }
        let p = text(p, "place", 300)?;
        changes.push((row::Column::Place, Expr::value(p)));
        detail.insert("place".into(), json!(p));
    }
    if let Some(at) = &r.starts_at {
        if !planned {
            return Err(not_planned());
        }
        let at = parse_moment(at, "starts_at")?;
        changes.push((row::Column::StartsAt, Expr::value(at)));
        detail.insert("starts_at".into(), json!(super::view::pl_time(at)));
    }
    if let Some(c) = &r.chair {
        let m = app.settings.council.member(c.trim()).ok_or_else(|| {
            AppError::bad_request(
                "chair",
                "`chair` to konto (provider:subject) jednego z członków rady",
            )
        })?;
        changes.push((row::Column::Chair, Expr::value(m.login.clone())));
        detail.insert("chair".into(), json!(m.name));
    }
    if let Some(u) = &r.recording_url {
        let u = link(u, "recording_url")?;
        detail.insert("recording_url".into(), json!(u));
        changes.push((row::Column::RecordingUrl, Expr::value(u)));
    }
    if let Some(u) = &r.minutes_url {
        let u = link(u, "minutes_url")?;
        detail.insert("minutes_url".into(), json!(u));
        changes.push((row::Column::MinutesUrl, Expr::value(u)));
    }
    if changes.is_empty() {
        return Err(AppError::bad_request("body", "nie podano nic do zmiany"));
    }
    let txn = app.db.begin().await?;
    db::lock(&txn, &s.id).await?;
    db::update_session(&txn, &s.id, changes).await?;
    record(
        &txn,
        &s.id,
        &actor,
        "edited",
        serde_json::Value::Object(detail),
    )
    .await?;
    txn.commit().await?;
    app.council_live.changed(&s.id);
    session(app, &s.id).await
}

/// An item added at the end of a session's agenda.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewItemRequest {
    pub title: String,
    /// The council's case the item deals with (a petition, a complaint), if any.
    pub case_sign: Option<String>,
    /// The case's version as the page showed it (with `case_sign`).
    pub case_version: Option<i32>,
    /// `simple` (the default), `absolute` or `qualified:N/D`.
    pub majority: Option<String>,
    /// The statute that makes the item's vote secret, e.g. `art. 19 ust. 1 ustawy o
    /// samorządzie gminnym` (electing the chair); absent, its votes are open and named
    /// (art. 14).
    pub secret_basis: Option<String>,
}

/// Adds an item to a session that has not ended; one dealing with a council's case puts
/// the case on the agenda (a step of the case the register of petitions shows). The
/// council office and the committee's members do it.
pub async fn add_item(
    app: &AppState,
    who: Option<&Identity>,
    session_id: &str,
    r: &NewItemRequest,
) -> AppResult<council_item::Model> {
    let actor = committee_or_office(app, who)?;
    let s = session(app, session_id).await?;
    if s.status == "closed" {
        return Err(AppError::Conflict(
            "sesja została zamknięta; jej porządku obrad nie zmienia się".into(),
        ));
    }
    let title = text(&r.title, "title", 500)?;
    let majority = Majority::parse(r.majority.as_deref().unwrap_or("simple"))
        .map_err(|e| AppError::bad_request("majority", e))?
        .as_string();
    let secret_basis = match r.secret_basis.as_deref().map(str::trim) {
        Some(b) if !b.is_empty() => Some(text(b, "secret_basis", 300)?),
        _ => None,
    };
    let case = match r.case_sign.as_deref().map(str::trim) {
        Some(sign) if !sign.is_empty() => Some(committee::council_case(app, sign).await?),
        _ => None,
    };
    let txn = app.db.begin().await?;
    db::lock(&txn, &s.id).await?;
    let item = db::add_item(
        &txn,
        &s.id,
        NewItem {
            title,
            case_sign: case.as_ref().map(|c| c.sign.as_str()),
            majority: &majority,
            secret_basis,
        },
    )
    .await?;
    if let Some(c) = &case {
        let version = r.case_version.ok_or_else(|| {
            AppError::bad_request(
                "case_version",
                "podaj `case_version`: wersję sprawy ze strony",
            )
        })?;
        let detail = json!({
            "from": c.status,
            "session_id": s.id,
            "session_title": s.title,
            "session_on": super::view::pl_time(s.starts_at),
            "item": item.position,
        });
        committee::case_step(&txn, c, version, &actor, &Action::Agenda, &detail).await?;
    }
    record(
        &txn,
        &s.id,
        &actor,
        "item_added",
        json!({ "position": item.position, "title": title, "case": item.case_sign, "majority": majority, "secret_basis": secret_basis }),
    )
    .await?;
    txn.commit().await?;
    app.council_live.changed(&s.id);
    Ok(item)
}

/// A page of the calendar: upcoming sessions from today on (soonest first), or past ones
/// (newest first), after the keyset `(starts_at, id)`; and the next page's key.
pub async fn calendar(
    app: &AppState,
    past: bool,
    after: Option<(OffsetDateTime, String)>,
    limit: u64,
) -> AppResult<(Vec<row::Model>, Option<(OffsetDateTime, String)>)> {
    let from = clock::start_of_day_in_poland(today());
    let mut rows = db::sessions_page(&app.db, from, past, after, limit + 1).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(20));
    let next = more
        .then(|| rows.last().map(|s| (s.starts_at, s.id.clone())))
        .flatten();
    Ok((rows, next))
}
