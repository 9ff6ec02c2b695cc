//! Residents taking part: one answer per person (a second one replaces the first, and says
//! so), and comments anchored to a numbered paragraph of the document.

use super::{content, open_now, participant_key, refused, today, visible};
use crate::db::consultations::{self as store, Voice};
use crate::db::entity::{consultation as row, consultation_comment};
use crate::domain::consultation::{
    Anchor, COMMENT_MAX, Consultation, Form, Participants, Refusal, age_band, anchors,
};
use crate::domain::identity::{Identity, Role};
use crate::domain::pesel::Pesel;
use crate::error::{AppError, AppResult};
use crate::forms::Input;
use crate::state::AppState;

/// The consultation `who` may take part in now, its content and their key in it.
async fn open_for<'a>(
    app: &AppState,
    who: Option<&'a Identity>,
    id: &str,
) -> AppResult<(row::Model, Consultation, String, &'a Identity, String)> {
    let who = who.ok_or(AppError::Unauthenticated)?;
    let c = visible(app, Some(who), id).await?;
    open_now(&c)?;
    let (body, questionnaire) = content(app, &c).await?;
    match body.participants() {
        Participants::Roster => {
            return Err(AppError::Forbidden(
                "only those on the consultation's roster take part in it (the roster is not kept online yet: ask the office)".into(),
            ));
        }
        Participants::Residents if !who.has_role(Role::Resident) => {
            return Err(AppError::Forbidden(
                "residents of the gmina take part, logged in through the national node".into(),
            ));
        }
        Participants::Residents => {}
    }
    let key = participant_key(&c.secret, who);
    Ok((c, body, questionnaire, who, key))
}

/// What an answer did.
pub struct Answered {
    pub version: i32,
    pub replaced: bool,
}

/// Validates `data` against the questionnaire of the current (frozen) version and stores
/// it as the person's one answer.
pub async fn answer(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    data: &serde_json::Value,
    lang: crate::domain::lang::Lang,
) -> AppResult<Answered> {
    let (c, body, questionnaire, person, key) = open_for(app, who, id).await?;
    let stored = check_answers(app, &c, &body, &questionnaire, data, lang, Some(person))?;
    let pesel = person.pesel.as_deref().and_then(|p| Pesel::parse(p).ok());
    let voice = Voice {
        participant: &key,
        version: c.version,
        data: &stored,
        channel: "online",
        area: None,
        age_band: pesel.map(|p| age_band(p.birth_date(), today())),
    };
    if body.anonymous {
        let day = crate::domain::clock::start_of_day_in_poland(today());
        let txn = sea_orm::TransactionTrait::begin(&app.db).await?;
        let first = store::put_anonymous_answer(&txn, &c.id, &voice, day).await?;
        txn.commit().await?;
        if !first {
            return Err(AppError::Conflict(
                "you have answered already; an anonymous answer cannot be changed, since nothing links it to you".into(),
            ));
        }
        return Ok(Answered {
            version: c.version,
            replaced: false,
        });
    }
    let replaced = store::put_answer(&app.db, &c.id, &voice).await?;
    Ok(Answered {
        version: c.version,
        replaced,
    })
}

/// Checks answers against the consultation's current (frozen) questionnaire with the form
/// engine, online and typed in from paper alike; gives them as stored.
pub fn check_answers(
    app: &AppState,
    c: &row::Model,
    body: &Consultation,
    questionnaire: &str,
    data: &serde_json::Value,
    lang: crate::domain::lang::Lang,
    person: Option<&Identity>,
) -> AppResult<String> {
    let svc = crate::forms::questionnaire::compile(
        &app.catalogue,
        &c.id,
        &body.subject,
        "questionnaire.yaml",
        questionnaire,
    )
    .map_err(|p| anyhow::anyhow!("stored questionnaire of {} does not compile: {p:?}", c.id))?;
    let out = crate::forms::validate(
        &svc,
        data,
        &Input {
            lang,
            today: today(),
            identity: person,
        },
    );
    if !out.valid {
        return Err(AppError::Validation(Box::new(out)));
    }
    Ok(serde_json::Value::Object(out.data).to_string())
}

pub struct NewComment<'a> {
    pub anchor: &'a str,
    pub text: &'a str,
    /// The author agrees to show their name with the comment.
    pub show_name: bool,
}

pub async fn comment(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    new: NewComment<'_>,
) -> AppResult<consultation_comment::Model> {
    let (c, body, _, person, key) = open_for(app, who, id).await?;
    if !body.forms.contains(&Form::Comments) {
        return Err(AppError::Conflict(
            "this consultation does not collect comments; answer its questionnaire".into(),
        ));
    }
    let mut refusals = Vec::new();
    let text = new.text.trim();
    if text.is_empty() || text.chars().count() > COMMENT_MAX {
        refusals.push(Refusal {
            path: "text".into(),
            code: "comment.length",
            message: format!("a comment has 1 to {COMMENT_MAX} characters"),
        });
    }
    let anchor = Anchor::parse(new.anchor);
    match anchor {
        Some(a) if anchors(&body.document).contains(&a) => {}
        Some(a) => refusals.push(Refusal {
            path: "anchor".into(),
            code: "comment.anchor_unknown",
            message: format!("the document under consultation has no {a}"),
        }),
        None => refusals.push(Refusal {
            path: "anchor".into(),
            code: "comment.anchor",
            message: "name a paragraph as `§ 3` or `§ 3 ust. 2`".into(),
        }),
    }
    let Some(anchor) = anchor.filter(|_| refusals.is_empty()) else {
        return Err(refused(refusals));
    };
    Ok(store::add_comment(
        &app.db,
        store::NewComment {
            consultation_id: &c.id,
            participant: &key,
            author_name: new.show_name.then(|| person.full_name()),
            anchor: anchor.to_string(),
            body: text,
        },
    )
    .await?)
}
