//! Residents taking part: one answer per person (a second one replaces the first, and says
//! so), and comments anchored to a numbered paragraph of the document.

use super::{content, participant_key, phase_of, refused, today, visible};
use crate::db::consultations as store;
use crate::db::entity::{consultation as row, consultation_comment};
use crate::domain::consultation::{
    Anchor, COMMENT_MAX, Consultation, Form, Participants, Phase, Refusal, anchors,
};
use crate::domain::identity::{Identity, Role};
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
    let phase = phase_of(&c, today());
    if phase != Phase::Open {
        return Err(AppError::Conflict(format!(
            "the consultation takes answers and comments from {} to {}; it is {} now",
            c.opens_on,
            c.closes_on,
            phase.as_str()
        )));
    }
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
    let svc = crate::forms::questionnaire::compile(
        &app.catalogue,
        &c.id,
        &body.subject,
        "questionnaire.yaml",
        &questionnaire,
    )
    .map_err(|p| anyhow::anyhow!("stored questionnaire of {} does not compile: {p:?}", c.id))?;
    let out = crate::forms::validate(
        &svc,
        data,
        &Input {
            lang,
            today: today(),
            identity: Some(person),
        },
    );
    if !out.valid {
        return Err(AppError::Validation(Box::new(out)));
    }
    let stored = serde_json::Value::Object(out.data).to_string();
    if body.anonymous {
        let day = crate::domain::clock::start_of_day_in_poland(today());
        let txn = sea_orm::TransactionTrait::begin(&app.db).await?;
        let first = store::put_anonymous_answer(&txn, &c.id, &key, c.version, &stored, day).await?;
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
    let replaced = store::put_answer(&app.db, &c.id, &key, c.version, &stored).await?;
    Ok(Answered {
        version: c.version,
        replaced,
    })
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
