//! What one answer adds to a consultation's kept tally (`db::consultation_tally`), so the
//! results are read from a few hundred rows, not from every answer. Keys are
//! `(channel, question, value)`:
//! - `("online" | "paper", "", "")`: one answer of that channel;
//! - `(channel, question, "")`: one answer holding a value for the question (`answered`),
//!   with a scale's point in the sum;
//! - `(channel, question, value)`: one answer choosing the option or scale point; for a
//!   ranking, placing the option, with its place (first = 0) in the sum, from which the
//!   Borda points follow (`k` × count − places, k the number of options).
//!
//! Free text is only counted as answered. An empty option value would collide with `""`;
//! the form engine accepts only listed options, and options are never empty.

use serde_json::Value;

use crate::db::consultation_tally::Tally;
use crate::forms::definition::{Field, FieldType};

/// How a question is tallied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    YesNo,
    Choice,
    MultiChoice,
    Scale,
    Ranking,
    Text,
}

impl Kind {
    pub fn of(f: &Field) -> Self {
        match f.kind {
            FieldType::YesNo => Self::YesNo,
            FieldType::Choice => Self::Choice,
            FieldType::MultiChoice => Self::MultiChoice,
            FieldType::Scale => Self::Scale,
            FieldType::Ranking => Self::Ranking,
            _ => Self::Text,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::YesNo => "yes_no",
            Self::Choice => "choice",
            Self::MultiChoice => "multi_choice",
            Self::Scale => "scale",
            Self::Ranking => "ranking",
            Self::Text => "text",
        }
    }
}

/// A value as the tally keys it: strings as they are, anything else as JSON.
pub fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Whether an answer holds no value for a question.
pub fn empty(v: &Value) -> bool {
    v.is_null() || v.as_str() == Some("") || v.as_array().is_some_and(Vec::is_empty)
}

/// Adds `sign` (1 to add, -1 to take away) times the answer `data` of `channel` to `tally`,
/// for the questions `questions` (id and kind).
pub fn add(
    tally: &mut Tally,
    sign: i64,
    channel: &str,
    questions: &[(String, Kind)],
    data: &Value,
) {
    let mut put = |question: &str, value: String, sum: f64| {
        let e = tally
            .entry((channel.to_owned(), question.to_owned(), value))
            .or_default();
        e.0 += sign;
        e.1 += sign as f64 * sum;
    };
    put("", String::new(), 0.0);
    for (q, kind) in questions {
        let v = &data[q];
        if empty(v) {
            continue;
        }
        let point = if *kind == Kind::Scale {
            v.as_f64().unwrap_or(0.0)
        } else {
            0.0
        };
        put(q, String::new(), point);
        match kind {
            Kind::MultiChoice | Kind::Ranking => {
                for (i, x) in v.as_array().into_iter().flatten().enumerate() {
                    let place = if *kind == Kind::Ranking {
                        i as f64
                    } else {
                        0.0
                    };
                    put(q, text_of(x), place);
                }
            }
            Kind::YesNo | Kind::Choice | Kind::Scale => put(q, text_of(v), 0.0),
            Kind::Text => {}
        }
    }
}

/// The change of replacing `earlier` (channel and stored data, if any) by `now`.
pub fn change(
    questions: &[(String, Kind)],
    earlier: Option<(&str, &str)>,
    now: (&str, &str),
) -> Tally {
    let mut t = Tally::new();
    if let Some((channel, data)) = earlier {
        let data: Value = serde_json::from_str(data).unwrap_or(Value::Null);
        add(&mut t, -1, channel, questions, &data);
    }
    let data: Value = serde_json::from_str(now.1).unwrap_or(Value::Null);
    add(&mut t, 1, now.0, questions, &data);
    t.retain(|_, (count, sum)| *count != 0 || *sum != 0.0);
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qs() -> Vec<(String, Kind)> {
        vec![
            ("a".into(), Kind::YesNo),
            ("s".into(), Kind::Scale),
            ("r".into(), Kind::Ranking),
            ("t".into(), Kind::Text),
        ]
    }

    #[test]
    fn an_answer_counts_its_values_places_and_points() {
        let t = change(
            &qs(),
            None,
            ("online", r#"{"a":true,"s":4,"r":["x","y"],"t":"hi"}"#),
        );
        let get = |q: &str, v: &str| t.get(&("online".into(), q.into(), v.into())).copied();
        assert_eq!(get("", ""), Some((1, 0.0)));
        assert_eq!(get("a", "true"), Some((1, 0.0)));
        assert_eq!(get("s", ""), Some((1, 4.0)));
        assert_eq!(get("s", "4"), Some((1, 0.0)));
        assert_eq!(get("r", "y"), Some((1, 1.0)));
        assert_eq!(get("t", ""), Some((1, 0.0)));
        assert_eq!(get("t", "hi"), None);
    }

    #[test]
    fn a_replaced_answer_leaves_only_what_changed() {
        let before = r#"{"a":true,"s":4,"t":"hi"}"#;
        let t = change(
            &qs(),
            Some(("paper", before)),
            ("paper", r#"{"a":false,"s":4,"t":"ho"}"#),
        );
        let keys: Vec<_> = t
            .iter()
            .map(|(k, v)| (k.2.clone(), k.1.clone(), *v))
            .collect();
        assert_eq!(
            keys,
            vec![
                ("false".into(), "a".into(), (1, 0.0)),
                ("true".into(), "a".into(), (-1, 0.0)),
            ]
        );
    }
}
