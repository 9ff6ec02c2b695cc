//! A consultation's meetings (issue 14 §1; u.p.z.p. art. 8i ust. 2 pkt 2–3): an open
//! meeting, an expert panel, a workshop or a study walk, with its date and place, added by
//! the consultation's author or the coordinator until the report is published; the minutes
//! are uploaded to object storage once the meeting has begun. All of it is public with
//! the consultation, and every step is in its history.

use object_store::ObjectStoreExt;
use time::OffsetDateTime;

use super::{as_editor, invalid, record, visible};
use crate::db::consultation_meetings::{self as store, MEETINGS_MAX};
use crate::db::entity::{consultation as row, consultation_meeting as meeting};
use crate::domain::consultation::Form;
use crate::domain::identity::Identity;
use crate::error::{AppError, AppResult};
use crate::forms::FieldError;
use crate::state::AppState;

/// The longest description of a meeting's place.
pub const PLACE_MAX: usize = 300;

/// The forms of consultation that are meetings.
const KINDS: [Form; 4] = [
    Form::OpenMeeting,
    Form::ExpertPanel,
    Form::Workshop,
    Form::StudyWalk,
];

/// The consultation `id` if `who` may change its meetings (its author or the coordinator,
/// before the report).
pub async fn editable<'a>(
    app: &AppState,
    who: Option<&'a Identity>,
    id: &str,
) -> AppResult<(row::Model, &'a Identity)> {
    let (c, me) = as_editor(
        app,
        who,
        id,
        "spotkania dodaje autor konsultacji albo koordynator",
    )
    .await?;
    if c.reported_at.is_some() {
        return Err(AppError::Conflict(
            "raport z konsultacji jest opublikowany; jej zapis się nie zmienia".into(),
        ));
    }
    Ok((c, me))
}

/// Adds a meeting.
pub async fn add(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    kind: &str,
    starts_at: &str,
    place: &str,
) -> AppResult<meeting::Model> {
    let (c, me) = editable(app, who, id).await?;
    let mut errors = Vec::new();
    let form: Option<Form> = serde_json::from_value(serde_json::Value::String(kind.to_owned()))
        .ok()
        .filter(|f| KINDS.contains(f));
    if form.is_none() {
        errors.push(FieldError {
            path: "kind".into(),
            code: "meeting.kind".into(),
            message: "spotkanie to open_meeting, expert_panel, workshop albo study_walk (u.p.z.p. art. 8i ust. 2 pkt 2–3)".into(),
        });
    }
    let at = OffsetDateTime::parse(starts_at, &time::format_description::well_known::Rfc3339);
    if at.is_err() {
        errors.push(FieldError {
            path: "starts_at".into(),
            code: "meeting.starts_at".into(),
            message: "podaj datę i godzinę jak 2027-01-20T17:00:00+01:00".into(),
        });
    }
    let place = place.trim();
    if place.is_empty() || place.chars().count() > PLACE_MAX {
        errors.push(FieldError {
            path: "place".into(),
            code: "meeting.place".into(),
            message: format!("podaj miejsce spotkania (1 do {PLACE_MAX} znaków)"),
        });
    }
    let (Ok(at), true) = (at, errors.is_empty()) else {
        return Err(invalid(errors));
    };
    if store::list(&app.db, &c.id).await?.len() as u64 >= MEETINGS_MAX {
        return Err(AppError::Conflict(format!(
            "konsultacja ma już {MEETINGS_MAX} spotkań"
        )));
    }
    let txn = sea_orm::TransactionTrait::begin(&app.db).await?;
    let m = store::add(&txn, &c.id, kind, at, place).await?;
    record(
        &txn,
        &c.id,
        me,
        "meeting_added",
        format!("{kind} {at} ({})", m.id),
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}

/// An uploaded file of minutes, read and hashed by the web layer.
pub struct Minutes {
    pub name: String,
    pub content_type: String,
    pub sha3_256: String,
    pub bytes: bytes::Bytes,
}

/// Stores a meeting's minutes (replacing earlier ones) once the meeting has begun.
pub async fn minutes(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    meeting_id: &str,
    upload: Minutes,
) -> AppResult<meeting::Model> {
    let (c, me) = editable(app, who, id).await?;
    let m = store::find(&app.db, &c.id, meeting_id)
        .await?
        .ok_or(AppError::NotFound("meeting"))?;
    if m.starts_at > OffsetDateTime::now_utc() {
        return Err(AppError::Conflict(format!(
            "protokół dodaje się po spotkaniu, które zaczyna się {}",
            m.starts_at
        )));
    }
    if !crate::domain::files::acceptable(&upload.name, &upload.bytes) {
        return Err(AppError::bad_request(
            "file.content",
            format!(
                "`{}` nie jest dozwolonym rodzajem pliku albo jego treść nie zgadza się z nazwą",
                upload.name
            ),
        ));
    }
    let key = format!(
        "consultations/{}/meetings/{}/{}",
        c.id, m.id, upload.sha3_256
    );
    app.storage
        .put(
            &object_store::path::Path::from(key.as_str()),
            upload.bytes.into(),
        )
        .await
        .map_err(|e| anyhow::anyhow!("storing a meeting's minutes: {e}"))?;
    let txn = sea_orm::TransactionTrait::begin(&app.db).await?;
    store::set_minutes(&txn, &m.id, &key, &upload.name, &upload.content_type).await?;
    record(
        &txn,
        &c.id,
        me,
        "minutes_added",
        format!(
            "meeting {}: {} SHA3-256 {}",
            m.id, upload.name, upload.sha3_256
        ),
    )
    .await?;
    txn.commit().await?;
    store::find(&app.db, &c.id, &m.id)
        .await?
        .ok_or(AppError::NotFound("meeting"))
}

/// A meeting's minutes: the row and the file.
pub async fn minutes_file(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    meeting_id: &str,
) -> AppResult<(meeting::Model, bytes::Bytes)> {
    let c = visible(app, who, id).await?;
    let m = store::find(&app.db, &c.id, meeting_id)
        .await?
        .ok_or(AppError::NotFound("meeting"))?;
    let key = m.minutes_key.clone().ok_or(AppError::NotFound("minutes"))?;
    let bytes = app
        .storage
        .get(&object_store::path::Path::from(key.as_str()))
        .await
        .map_err(|e| anyhow::anyhow!("reading minutes {key}: {e}"))?
        .bytes()
        .await
        .map_err(|e| anyhow::anyhow!("reading minutes {key}: {e}"))?;
    Ok((m, bytes))
}
