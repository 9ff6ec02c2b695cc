//! Results (issue 14 §4): how many took part is public while a consultation is open; what
//! they answered only after it closes, or while open where an informal consultation chose
//! so (`results_while_open`). Each question is tallied: counts for yes/no, choices and
//! scale points (with the mean), Borda points for rankings (first of k options: k points,
//! last: 1), and the number of answers for free text. The tally is kept as answers come
//! (`db::consultation_tally`, see `counts`); `recount` counts the same from the answers
//! themselves, to check the kept one.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use super::counts::{self, Kind};
use super::{phase_of, today};
use crate::db::consultation_tally as kept;
use crate::db::consultations as store;
use crate::db::entity::consultation as row;
use crate::domain::consultation::{Consultation, Phase};
use crate::domain::lang::Lang;
use crate::error::AppResult;
use crate::forms::definition::{Field, FieldType};
use crate::state::AppState;

/// Whether the answers' results are public now.
pub fn answers_public(c: &row::Model, body: &Consultation) -> bool {
    let phase = phase_of(c, today());
    phase >= Phase::Closed || (body.results_while_open && phase == Phase::Open)
}

/// One row of a question's result: an option (or scale point) and its count or points.
#[derive(Debug, PartialEq, Serialize)]
pub struct Row {
    pub value: String,
    pub label: String,
    pub count: u64,
}

/// A question's result.
#[derive(Debug, PartialEq, Serialize)]
pub struct Question {
    pub id: String,
    pub label: String,
    /// `yes_no`, `choice`, `multi_choice`, `scale`, `ranking` or `text`.
    pub kind: &'static str,
    /// How many answers hold a value for it.
    pub answered: u64,
    /// Counts, or Borda points for a ranking.
    pub rows: Vec<Row>,
    /// The mean point of a scale.
    pub mean: Option<f64>,
}

struct Tally<'a> {
    field: &'a Field,
    kind: Kind,
    answered: u64,
    counts: HashMap<String, u64>,
    sum: f64,
}

impl Tally<'_> {
    fn add(&mut self, v: &Value) {
        if counts::empty(v) {
            return;
        }
        self.answered += 1;
        match self.kind {
            Kind::MultiChoice => {
                for x in v.as_array().into_iter().flatten() {
                    *self.counts.entry(counts::text_of(x)).or_default() += 1;
                }
            }
            Kind::Ranking => {
                let placed = v.as_array().map_or(&[][..], Vec::as_slice);
                let k = self.field.options.len().max(placed.len()) as u64;
                for (i, x) in placed.iter().enumerate() {
                    *self.counts.entry(counts::text_of(x)).or_default() += k - i as u64;
                }
            }
            Kind::Scale => {
                self.sum += v.as_f64().unwrap_or(0.0);
                *self.counts.entry(counts::text_of(v)).or_default() += 1;
            }
            Kind::Text => {}
            Kind::YesNo | Kind::Choice => *self.counts.entry(counts::text_of(v)).or_default() += 1,
        }
    }

    fn finish(self, lang: Lang) -> Question {
        let f = self.field;
        let row = |value: String, label: String| Row {
            count: self.counts.get(&value).copied().unwrap_or(0),
            value,
            label,
        };
        let rows = match self.kind {
            Kind::YesNo => vec![
                row("true".into(), "tak".into()),
                row("false".into(), "nie".into()),
            ],
            Kind::Scale => {
                let (lo, hi) = f.scale_bounds();
                (lo..=hi)
                    .map(|p| row(p.to_string(), p.to_string()))
                    .collect()
            }
            Kind::Text => Vec::new(),
            Kind::Choice | Kind::MultiChoice | Kind::Ranking => f
                .options
                .iter()
                .map(|o| row(o.value.clone(), o.label.get(lang).to_owned()))
                .collect(),
        };
        Question {
            id: f.id.clone(),
            label: f.label.get(lang).to_owned(),
            kind: self.kind.as_str(),
            answered: self.answered,
            mean: (self.kind == Kind::Scale && self.answered > 0)
                .then(|| self.sum / self.answered as f64),
            rows,
        }
    }
}

/// The questionnaire's questions: its fields but groups, files and plain content.
pub fn questions(svc: &crate::forms::Service) -> impl Iterator<Item = &Field> {
    svc.fields().filter(|f| {
        !matches!(
            f.kind,
            FieldType::Group | FieldType::File | FieldType::Content
        )
    })
}

/// The results of every question of the consultation's questionnaire, from the kept tally.
pub async fn tally(
    app: &AppState,
    c: &row::Model,
    body: &Consultation,
    questionnaire: &str,
    lang: Lang,
) -> AppResult<Vec<Question>> {
    let compiled = super::take_part::compiled(app, c, body, questionnaire)?;
    let svc = &compiled.service;
    let mut by_question: HashMap<String, HashMap<String, (i64, f64)>> = HashMap::new();
    for r in kept::read(&app.db, &c.id).await? {
        let e = by_question
            .entry(r.question)
            .or_default()
            .entry(r.value)
            .or_default();
        e.0 += r.count;
        e.1 += r.sum;
    }
    let none = HashMap::new();
    Ok(questions(svc)
        .map(|f| {
            let kind = Kind::of(f);
            let rows = by_question.get(&f.id).unwrap_or(&none);
            let (answered, sum) = rows.get("").copied().unwrap_or_default();
            let k = f.options.len() as i64;
            let counts = rows
                .iter()
                .filter(|(v, _)| !v.is_empty())
                .map(|(v, (count, places))| {
                    let n = if kind == Kind::Ranking {
                        count * k - *places as i64
                    } else {
                        *count
                    };
                    (v.clone(), u64::try_from(n).unwrap_or(0))
                })
                .collect();
            Tally {
                field: f,
                kind,
                answered: u64::try_from(answered).unwrap_or(0),
                counts,
                sum,
            }
            .finish(lang)
        })
        .collect())
}

/// Participation from the kept tally: `(online, paper)` answers.
pub async fn participation(app: &AppState, c: &row::Model) -> AppResult<(u64, u64)> {
    let rows = kept::read(&app.db, &c.id).await?;
    let of = |channel: &str| {
        rows.iter()
            .filter(|r| r.channel == channel && r.question.is_empty() && r.value.is_empty())
            .map(|r| u64::try_from(r.count).unwrap_or(0))
            .sum::<u64>()
    };
    Ok((of("online"), of("paper")))
}

/// The same results counted from every answer, a page at a time: what the kept tally must
/// equal.
pub async fn recount(
    app: &AppState,
    c: &row::Model,
    body: &Consultation,
    questionnaire: &str,
    lang: Lang,
) -> AppResult<Vec<Question>> {
    let compiled = super::take_part::compiled(app, c, body, questionnaire)?;
    let mut tallies: Vec<Tally<'_>> = questions(&compiled.service)
        .map(|f| Tally {
            field: f,
            kind: Kind::of(f),
            answered: 0,
            counts: HashMap::new(),
            sum: 0.0,
        })
        .collect();
    store::each_answer(&app.db, &c.id, |a| {
        let data: Value = serde_json::from_str(&a.data).unwrap_or(Value::Null);
        for t in &mut tallies {
            t.add(&data[&t.field.id]);
        }
    })
    .await?;
    Ok(tallies.into_iter().map(|t| t.finish(lang)).collect())
}

/// The tally of a consultation counted from its answers, as `counts` keeps it.
pub async fn count_answers(
    db: &impl sea_orm::ConnectionTrait,
    consultation_id: &str,
    questions: &[(String, Kind)],
) -> Result<kept::Tally, sea_orm::DbErr> {
    let mut t = kept::Tally::new();
    store::each_answer(db, consultation_id, |a| {
        let data: Value = serde_json::from_str(&a.data).unwrap_or(Value::Null);
        counts::add(&mut t, 1, &a.channel, questions, &data);
    })
    .await?;
    t.retain(|_, (count, sum)| *count != 0 || *sum != 0.0);
    Ok(t)
}

/// The kept tally of a consultation, its shards added up, as `count_answers` gives it.
pub async fn kept_tally(
    db: &impl sea_orm::ConnectionTrait,
    consultation_id: &str,
) -> Result<kept::Tally, sea_orm::DbErr> {
    Ok(kept::read(db, consultation_id)
        .await?
        .into_iter()
        .map(|c| ((c.channel, c.question, c.value), (c.count, c.sum)))
        .collect())
}
