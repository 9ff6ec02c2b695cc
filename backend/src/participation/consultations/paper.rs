//! Paper answers to a consultation's questionnaire (hybrid consultations): the card's
//! answers are checked by the same form engine as online ones, and an accepted card counts
//! unless the person's voice counts already. The online voice wins: a card from someone
//! who answered online is a duplicate, and answering online after an accepted card
//! replaces it (`db::consultations::put_answer`). In an anonymous consultation nothing can
//! find an earlier answer to replace, so there the first voice counts, on either channel.

use std::sync::Arc;

use sea_orm::{ConnectionTrait, DatabaseTransaction, DbErr};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::counts;
use super::take_part::{Declaration, check_answers, compiled, residence};
use super::versions::Compiled;
use super::{content, invalid, open_now, roster, today, visible};
use crate::db::consultation_tally as kept;
use crate::db::consultations::{self as store, Voice};
use crate::db::entity::consultation as row;
use crate::domain::consultation::{Consultation, Participants, age_band};
use crate::domain::identity::{Identity, Role};
use crate::domain::lang::Lang;
use crate::domain::pesel::Pesel;
use crate::error::{AppError, AppResult};
use crate::forms::FieldError;
use crate::participation::keyed;
use crate::participation::paper::{Applied, Instrument};
use crate::state::AppState;

/// The consultation instrument of `participation::paper`.
pub struct Answers;

pub struct Open {
    row: row::Model,
    body: Consultation,
    compiled: Arc<Compiled>,
}

/// What a typed-in consultation card holds once checked.
#[derive(Serialize, Deserialize)]
struct Card {
    version: i32,
    answers: Value,
    area: Option<String>,
    age_band: String,
}

/// Who handles paper: clerks and the coordinator (`admin`).
pub fn handles_paper(who: &Identity) -> bool {
    who.has_role(Role::Clerk) || who.has_role(Role::Admin)
}

impl Instrument for Answers {
    const NAME: &'static str = "consultation";
    type Subject = Open;

    async fn subject(&self, app: &AppState, who: &Identity, id: &str) -> AppResult<Open> {
        if !handles_paper(who) {
            return Err(AppError::Forbidden(
                "karty papierowe wpisują i przyjmują urzędnicy (rola clerk) i koordynator konsultacji".into(),
            ));
        }
        let row = visible(app, Some(who), id).await?;
        open_now(&row)?;
        let (body, questionnaire) = content(app, &row).await?;
        let compiled = compiled(app, &row, &body, &questionnaire)?;
        Ok(Open {
            row,
            body,
            compiled,
        })
    }

    fn subject_id(s: &Open) -> &str {
        &s.row.id
    }

    fn secret(s: &Open) -> &str {
        &s.row.secret
    }

    fn anonymous(s: &Open) -> bool {
        s.body.anonymous
    }

    async fn check(
        &self,
        app: &AppState,
        s: &Open,
        pesel: &Pesel,
        data: &Value,
    ) -> AppResult<String> {
        // who may take part: the roster, or a resident's declaration signed on the card
        let area = match s.body.participants() {
            Participants::Roster => {
                let member = keyed::key(&s.row.secret, &keyed::Subject::Pesel(pesel));
                if roster::voice(app, &s.row, s.body.kind, &member)
                    .await
                    .is_err()
                {
                    return Err(invalid(vec![FieldError {
                        path: "pesel".into(),
                        code: "roster.absent".into(),
                        message: roster::who_may(s.body.kind),
                    }]));
                }
                None
            }
            Participants::Residents => {
                let declaration: Option<Declaration> =
                    serde_json::from_value(data["declaration"].clone()).ok();
                residence(app, &s.body.scope, declaration.as_ref()).map_err(|e| invalid(vec![e]))?
            }
        };
        let answers = check_answers(&s.compiled, &data["answers"], Lang::Pl, None)?;
        let card = Card {
            version: s.row.version,
            answers: serde_json::from_str(&answers).map_err(anyhow::Error::from)?,
            area,
            age_band: age_band(pesel.birth_date(), today()).to_owned(),
        };
        Ok(serde_json::to_string(&card).map_err(anyhow::Error::from)?)
    }

    async fn apply(
        &self,
        txn: &DatabaseTransaction,
        s: &Open,
        person_key: &str,
        data: &str,
    ) -> Result<Applied, DbErr> {
        let card: Card = serde_json::from_str(data)
            .map_err(|e| DbErr::Custom(format!("paper card of {}: {e}", s.row.id)))?;
        let answers = card.answers.to_string();
        // a member of the roster answers with their voice (an organisation's, for its
        // representatives)
        let key = match s.body.participants() {
            Participants::Residents => person_key.to_owned(),
            Participants::Roster => {
                match crate::db::consultation_roster::voice_of(txn, &s.row.id, person_key).await? {
                    Some(v) => v,
                    None => {
                        return Ok(Applied::Refused(
                            "tej osoby nie ma już na liście uprawnionych".into(),
                        ));
                    }
                }
            }
        };
        let voice = Voice {
            participant: &key,
            version: card.version,
            data: &answers,
            channel: "paper",
            area: card.area.as_deref(),
            age_band: Some(&card.age_band),
        };
        // a card that counts adds to the kept tally in the card's transaction
        let count = || async {
            let change = counts::change(&s.compiled.questions, None, ("paper", &answers));
            match kept::add(txn.get_database_backend(), &s.row.id, &change) {
                Some(st) => txn.execute_raw(st).await.map(drop),
                None => Ok(()),
            }
        };
        if s.body.anonymous {
            let day = crate::domain::clock::start_of_day_in_poland(today());
            return Ok(
                if store::put_anonymous_answer(txn, &s.row.id, &voice, day).await? {
                    count().await?;
                    Applied::Counted
                } else {
                    Applied::Duplicate(
                        "ta osoba już odpowiedziała; w konsultacji anonimowej liczy się pierwszy głos"
                            .into(),
                    )
                },
            );
        }
        Ok(
            match store::add_paper_answer(txn, &s.row.id, &voice).await? {
                None => {
                    count().await?;
                    Applied::Counted
                }
                Some(channel) if channel == "online" => Applied::Duplicate(
                    "ta osoba odpowiedziała przez internet; liczy się odpowiedź internetowa".into(),
                ),
                Some(_) => Applied::Duplicate(
                    "ta osoba odpowiedziała już na wcześniejszej karcie, która się liczy".into(),
                ),
            },
        )
    }
}
