//! Results kept as they come (issue 14 §7): `consultation_tally` holds, per consultation,
//! channel, question and value, how many answers hold that value (`count`) and a sum
//! (`sum`: a scale's points on the question's row, a ranking's places), so the results of
//! a million answers are a sum over a few hundred rows instead of a read of every answer.
//! Each answer adds its contribution in its own transaction, and a changed answer
//! subtracts the one it replaces. Writers spread over `shard`s (the results add them up)
//! so concurrent answers do not queue on the same rows.
//!
//! Row keys: `question = ''` and `value = ''` counts the answers of a channel;
//! `value = ''` under a question counts the answers holding a value for it (with a scale's
//! points in `sum`); any other value counts that option or scale point (a ranking's places,
//! first = 0, summed in `sum`). Option values are never empty, so `''` is free.
//!
//! An index of answers by channel lets the participation be counted from it alone.
//!
//! The backfill tallies the answers already stored, under each consultation's current
//! questionnaire, as `participation::consultations::counts` does: it reads only the
//! fields' ids and types from the questionnaire's YAML.

use std::collections::BTreeMap;

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use serde_json::Value;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("consultation_tally")
                .col(string_len("consultation_id", 36))
                .col(string_len("channel", 16))
                .col(string_len("question", 64))
                .col(text("value"))
                .col(small_integer("shard"))
                .col(big_integer("count"))
                .col(double("sum"))
                .primary_key(
                    Index::create()
                        .col("consultation_id")
                        .col("channel")
                        .col("question")
                        .col("value")
                        .col("shard"),
                )
                .to_owned(),
        )
        .await?;
        // the participation by channel counted from this index alone (SQLite: 1.2 s at a
        // million answers without it, 0.15 s with it)
        m.create_index(
            Index::create()
                .name("consultation_answer_channel")
                .table("consultation_answer")
                .col("consultation_id")
                .col("channel")
                .to_owned(),
        )
        .await?;
        backfill(m.get_connection()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("consultation_answer_channel")
                .table("consultation_answer")
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table("consultation_tally").to_owned())
            .await
    }
}

type Tally = BTreeMap<(String, String, String), (i64, f64)>;

async fn backfill(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let p = |n: usize| match backend {
        DatabaseBackend::Postgres => format!("${n}"),
        _ => "?".to_owned(),
    };
    let consultations = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT c.id AS id, v.questionnaire AS questionnaire FROM consultation c \
             JOIN consultation_version v ON v.consultation_id = c.id AND v.version = c.version",
        ))
        .await?;
    for c in consultations {
        let id: String = c.try_get("", "id")?;
        let text: String = c.try_get("", "questionnaire")?;
        let yaml: Value = serde_yaml::from_str(&text).unwrap_or(Value::Null);
        let mut questions = Vec::new();
        fields(&yaml, &mut questions);
        let mut tally = Tally::new();
        let mut after = String::new();
        loop {
            let page = db
                .query_all_raw(Statement::from_sql_and_values(
                    backend,
                    format!(
                        "SELECT id, channel, data FROM consultation_answer WHERE consultation_id = {} AND id > {} ORDER BY id LIMIT 5000",
                        p(1),
                        p(2)
                    ),
                    [id.clone().into(), after.clone().into()],
                ))
                .await?;
            for a in &page {
                let channel: String = a.try_get("", "channel")?;
                let data: String = a.try_get("", "data")?;
                let data: Value = serde_json::from_str(&data).unwrap_or(Value::Null);
                add(&mut tally, &channel, &questions, &data);
            }
            match page.last() {
                Some(last) if page.len() == 5000 => after = last.try_get("", "id")?,
                _ => break,
            }
        }
        for chunk in tally.into_iter().collect::<Vec<_>>().chunks(200) {
            let mut sql = String::from(
                "INSERT INTO consultation_tally (consultation_id, channel, question, value, shard, count, sum) VALUES ",
            );
            let mut values: Vec<sea_orm_migration::sea_orm::Value> = Vec::new();
            for (i, ((channel, question, value), (count, sum))) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push_str(", ");
                }
                let n = values.len();
                sql.push_str(&format!(
                    "({}, {}, {}, {}, 0, {}, {})",
                    p(n + 1),
                    p(n + 2),
                    p(n + 3),
                    p(n + 4),
                    p(n + 5),
                    p(n + 6)
                ));
                values.extend([
                    id.clone().into(),
                    channel.clone().into(),
                    question.clone().into(),
                    value.clone().into(),
                    (*count).into(),
                    (*sum).into(),
                ]);
            }
            db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
                .await?;
        }
    }
    Ok(())
}

/// The questionnaire's questions in order: `(id, type)` of every field, groups, files and
/// plain content left out.
fn fields(v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(o) => {
            if let (Some(Value::String(id)), Some(Value::String(kind))) =
                (o.get("id"), o.get("type"))
                && !matches!(kind.as_str(), "group" | "file" | "content")
                && !out.iter().any(|(x, _)| x == id)
            {
                out.push((id.clone(), kind.clone()));
            }
            o.values().for_each(|x| fields(x, out));
        }
        Value::Array(xs) => xs.iter().for_each(|x| fields(x, out)),
        _ => {}
    }
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn add(tally: &mut Tally, channel: &str, questions: &[(String, String)], data: &Value) {
    let mut put = |question: &str, value: String, count: i64, sum: f64| {
        let e = tally
            .entry((channel.to_owned(), question.to_owned(), value))
            .or_default();
        e.0 += count;
        e.1 += sum;
    };
    put("", String::new(), 1, 0.0);
    for (q, kind) in questions {
        let v = &data[q];
        if v.is_null() || v.as_str() == Some("") || v.as_array().is_some_and(Vec::is_empty) {
            continue;
        }
        let scale = kind == "scale";
        put(
            q,
            String::new(),
            1,
            if scale {
                v.as_f64().unwrap_or(0.0)
            } else {
                0.0
            },
        );
        match kind.as_str() {
            "multi_choice" | "ranking" => {
                for (i, x) in v.as_array().into_iter().flatten().enumerate() {
                    let place = if kind == "ranking" { i as f64 } else { 0.0 };
                    put(q, text_of(x), 1, place);
                }
            }
            "yes_no" | "choice" | "scale" => put(q, text_of(v), 1, 0.0),
            _ => {}
        }
    }
}
