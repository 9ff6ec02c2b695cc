//! Results (issue 14 §4): how many took part is public while a consultation is open; what
//! they answered only after it closes, or while open where an informal consultation chose
//! so (`results_while_open`). Each question is tallied over every answer, a page at a time:
//! counts for yes/no, choices and scale points (with the mean), Borda points for rankings
//! (first of k options: k points, last: 1), and the number of answers for free text.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use super::{phase_of, today};
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
#[derive(Debug, Serialize)]
pub struct Row {
    pub value: String,
    pub label: String,
    pub count: u64,
}

/// A question's result.
#[derive(Debug, Serialize)]
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
    kind: &'static str,
    answered: u64,
    counts: HashMap<String, u64>,
    sum: f64,
}

fn kind_of(f: &Field) -> &'static str {
    match f.kind {
        FieldType::YesNo => "yes_no",
        FieldType::Choice => "choice",
        FieldType::MultiChoice => "multi_choice",
        FieldType::Scale => "scale",
        FieldType::Ranking => "ranking",
        _ => "text",
    }
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Tally<'_> {
    fn add(&mut self, v: &Value) {
        if v.is_null() || v.as_str() == Some("") || v.as_array().is_some_and(Vec::is_empty) {
            return;
        }
        self.answered += 1;
        match self.kind {
            "multi_choice" => {
                for x in v.as_array().into_iter().flatten() {
                    *self.counts.entry(text_of(x)).or_default() += 1;
                }
            }
            "ranking" => {
                let placed = v.as_array().map_or(&[][..], Vec::as_slice);
                let k = self.field.options.len().max(placed.len()) as u64;
                for (i, x) in placed.iter().enumerate() {
                    *self.counts.entry(text_of(x)).or_default() += k - i as u64;
                }
            }
            "scale" => {
                self.sum += v.as_f64().unwrap_or(0.0);
                *self.counts.entry(text_of(v)).or_default() += 1;
            }
            "text" => {}
            _ => *self.counts.entry(text_of(v)).or_default() += 1,
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
            "yes_no" => vec![
                row("true".into(), "tak".into()),
                row("false".into(), "nie".into()),
            ],
            "scale" => {
                let (lo, hi) = f.scale_bounds();
                (lo..=hi)
                    .map(|p| row(p.to_string(), p.to_string()))
                    .collect()
            }
            "text" => Vec::new(),
            _ => f
                .options
                .iter()
                .map(|o| row(o.value.clone(), o.label.get(lang).to_owned()))
                .collect(),
        };
        Question {
            id: f.id.clone(),
            label: f.label.get(lang).to_owned(),
            kind: self.kind,
            answered: self.answered,
            mean: (self.kind == "scale" && self.answered > 0)
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

/// Tallies every question of the consultation's questionnaire over all its answers.
pub async fn tally(
    app: &AppState,
    c: &row::Model,
    body: &Consultation,
    questionnaire: &str,
    lang: Lang,
) -> AppResult<Vec<Question>> {
    let svc = super::take_part::compiled(app, c, body, questionnaire)?;
    let mut tallies: Vec<Tally<'_>> = questions(&svc)
        .map(|f| Tally {
            field: f,
            kind: kind_of(f),
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
