//! Residents taking part: one answer per person (a second one replaces the first, and says
//! so), and comments anchored to a numbered paragraph of the document.

use std::sync::Arc;

use super::counts;
use super::versions::{Compiled, Content};
use super::{current, invalid, open_now, participant_key, refused, roster, today, visible};
use crate::db::consultation_tally as kept;
use crate::db::consultations::{self as store, Voice};
use crate::db::entity::{consultation as row, consultation_comment};
use crate::domain::consultation::{
    Anchor, COMMENT_MAX, Consultation, Form, Moderation, Participants, Refusal, Scope, age_band,
    anchors,
};
use crate::domain::identity::{Identity, Role};
use crate::domain::lang::Lang;
use crate::domain::pesel::Pesel;
use crate::error::{AppError, AppResult};
use crate::forms::{FieldError, Input};
use crate::state::AppState;

/// What a resident declares to take part in an open kind: that they live in the gmina
/// (where one lives counts, not zameldowanie), and in which of its areas when the
/// consultation is limited to some.
#[derive(Debug, Default, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Declaration {
    #[serde(default)]
    pub lives_in_gmina: bool,
    /// An area code of the consultation's scope.
    #[serde(default)]
    pub area: Option<String>,
}

/// Checks a declaration of residence against a territorial scope (a consultation's, or a
/// residents' request's): the declared area (for area-scoped ones), or the refusal.
/// `residence.outside` is someone who lives elsewhere than the scope's areas.
pub fn residence(
    app: &AppState,
    scope: &Scope,
    d: Option<&Declaration>,
) -> Result<Option<String>, FieldError> {
    let d = d.cloned().unwrap_or_default();
    if !d.lives_in_gmina {
        return Err(FieldError {
            path: "declaration.lives_in_gmina".into(),
            code: "residence.declaration".into(),
            message: "w konsultacjach biorą udział mieszkańcy gminy: potwierdź, że mieszkasz na jej terenie (u.s.g. art. 5a ust. 1; liczy się miejsce zamieszkania, nie zameldowanie)".into(),
        });
    }
    let Scope::Areas { areas } = scope else {
        return Ok(None);
    };
    let names = areas
        .iter()
        .map(|a| {
            app.catalogue
                .areas
                .get(a)
                .map_or(a.clone(), |x| x.name.get(Lang::Pl).to_owned())
        })
        .collect::<Vec<_>>()
        .join(", ");
    match d.area.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        None => Err(FieldError {
            path: "declaration.area".into(),
            code: "residence.area".into(),
            message: format!("wskaż obszar, na którym mieszkasz ({names})"),
        }),
        Some(a) if areas.iter().any(|x| x == a) => Ok(Some(a.to_owned())),
        Some(_) => Err(FieldError {
            path: "declaration.area".into(),
            code: "residence.outside".into(),
            message: format!("ta konsultacja dotyczy mieszkańców obszarów: {names}"),
        }),
    }
}

/// The consultation `who` may take part in now.
struct Taking<'a> {
    c: row::Model,
    content: Arc<Content>,
    person: &'a Identity,
    /// The key whose voice this is: the person's, or their organisation's.
    key: String,
    /// The declared area.
    area: Option<String>,
}

async fn open_for<'a>(
    app: &AppState,
    who: Option<&'a Identity>,
    id: &str,
    declaration: Option<&Declaration>,
) -> AppResult<Taking<'a>> {
    let who = who.ok_or(AppError::Unauthenticated)?;
    let c = visible(app, Some(who), id).await?;
    open_now(&c)?;
    let content = current(app, &c).await?;
    let body = &content.body;
    let member = participant_key(&c.secret, who);
    let (key, area) = match body.participants() {
        Participants::Roster => (roster::voice(app, &c, body.kind, &member).await?, None),
        Participants::Residents if !who.has_role(Role::Resident) => {
            return Err(AppError::Forbidden(
                "w konsultacjach biorą udział mieszkańcy gminy zalogowani przez węzeł krajowy"
                    .into(),
            ));
        }
        Participants::Residents => match residence(app, &body.scope, declaration) {
            Ok(area) => (member, area),
            Err(e) if e.code == "residence.outside" => return Err(AppError::Forbidden(e.message)),
            Err(e) => return Err(invalid(vec![e])),
        },
    };
    Ok(Taking {
        c,
        content,
        person: who,
        key,
        area,
    })
}

/// What an answer did.
pub struct Answered {
    pub version: i32,
    pub replaced: bool,
}

/// Validates `data` against the questionnaire of the current (frozen) version and stores
/// it as the person's one answer, with its change to the kept tally in the same
/// transaction.
pub async fn answer(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    data: &serde_json::Value,
    declaration: Option<&Declaration>,
    lang: Lang,
) -> AppResult<Answered> {
    let Taking {
        c,
        content,
        person,
        key,
        area,
    } = open_for(app, who, id, declaration).await?;
    let body = &content.body;
    let compiled = compiled(app, &c, body, &content.questionnaire)?;
    let stored = check_answers(&compiled, data, lang, Some(person))?;
    let pesel = person.pesel.as_deref().and_then(|p| Pesel::parse(p).ok());
    let voice = Voice {
        participant: &key,
        version: c.version,
        data: &stored,
        channel: "online",
        area: area.as_deref(),
        age_band: pesel.map(|p| age_band(p.birth_date(), today())),
    };
    let backend = sea_orm::ConnectionTrait::get_database_backend(&app.db);
    let txn = sea_orm::TransactionTrait::begin(&app.db).await?;
    if body.anonymous {
        let day = crate::domain::clock::start_of_day_in_poland(today());
        let first = store::put_anonymous_answer(&txn, &c.id, &voice, day).await?;
        if !first {
            return Err(AppError::Conflict(
                "Twoja odpowiedź została już zapisana; odpowiedzi anonimowej nie można zmienić, bo nic nie łączy jej z Tobą.".into(),
            ));
        }
        let change = counts::change(&compiled.questions, None, ("online", &stored));
        if let Some(s) = kept::add(backend, &c.id, &change) {
            sea_orm::ConnectionTrait::execute_raw(&txn, s).await?;
        }
        txn.commit().await?;
        return Ok(Answered {
            version: c.version,
            replaced: false,
        });
    }
    let earlier = store::put_answer(&txn, &c.id, &voice, |earlier| {
        let change = counts::change(
            &compiled.questions,
            earlier.map(|e| (e.channel.as_str(), e.data.as_str())),
            ("online", &stored),
        );
        kept::add(backend, &c.id, &change)
    })
    .await?;
    txn.commit().await?;
    Ok(Answered {
        version: c.version,
        replaced: earlier.is_some(),
    })
}

/// Checks answers against the consultation's current (frozen) questionnaire with the form
/// engine, online and typed in from paper alike; gives them as stored.
pub fn check_answers(
    compiled: &Compiled,
    data: &serde_json::Value,
    lang: Lang,
    person: Option<&Identity>,
) -> AppResult<String> {
    let out = crate::forms::validate(
        &compiled.service,
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
    pub declaration: Option<&'a Declaration>,
}

pub async fn comment(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    new: NewComment<'_>,
) -> AppResult<consultation_comment::Model> {
    let Taking {
        c,
        content,
        person,
        key,
        ..
    } = open_for(app, who, id, new.declaration).await?;
    let body = &content.body;
    if !body.forms.contains(&Form::Comments) {
        return Err(AppError::Conflict(
            "Ta konsultacja nie zbiera uwag; wypełnij jej ankietę.".into(),
        ));
    }
    let mut refusals = Vec::new();
    let text = new.text.trim();
    if text.is_empty() || text.chars().count() > COMMENT_MAX {
        refusals.push(Refusal {
            path: "text".into(),
            code: "comment.length",
            message: format!("Uwaga może mieć od 1 do {COMMENT_MAX} znaków."),
        });
    }
    let anchor = Anchor::parse(new.anchor);
    match anchor {
        Some(a) if anchors(&body.document).contains(&a) => {}
        Some(a) => refusals.push(Refusal {
            path: "anchor".into(),
            code: "comment.anchor_unknown",
            message: format!("Konsultowany dokument nie zawiera {a}."),
        }),
        None => refusals.push(Refusal {
            path: "anchor".into(),
            code: "comment.anchor",
            message: "Wskaż fragment dokumentu jako `§ 3` albo `§ 3 ust. 2`.".into(),
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
            status: match body.moderation {
                Moderation::After => "published",
                Moderation::Before => "pending",
            },
        },
    )
    .await?)
}

/// The consultation's current (frozen) questionnaire, compiled by the form engine, kept by
/// the node once compiled.
pub fn compiled(
    app: &AppState,
    c: &row::Model,
    body: &Consultation,
    questionnaire: &str,
) -> AppResult<Arc<Compiled>> {
    if let Some(kept) = app.consultation_versions.compiled(&c.id, c.version) {
        return Ok(kept);
    }
    let service = crate::forms::questionnaire::compile(
        &app.catalogue,
        &c.id,
        &body.subject,
        "questionnaire.yaml",
        questionnaire,
    )
    .map_err(|p| {
        AppError::Internal(anyhow::anyhow!(
            "stored questionnaire of {} does not compile: {p:?}",
            c.id
        ))
    })?;
    let questions = super::results::questions(&service)
        .map(|f| (f.id.clone(), counts::Kind::of(f)))
        .collect();
    let kept = Arc::new(Compiled { service, questions });
    app.consultation_versions
        .keep_compiled(&c.id, c.version, kept.clone());
    Ok(kept)
}
