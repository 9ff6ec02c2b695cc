//! The results of consultations kept as answers come (`consultation_tally`, issue 14 §7):
//! per consultation, channel, question and value a count and a sum, changed in the
//! answer's own transaction. A transaction writes its changes to one of `SHARDS` copies of
//! the rows, picked at random, so concurrent answers seldom wait for each other's rows;
//! reading adds the shards up. Rows are changed in key order, so two answers never wait
//! for each other crosswise.

use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, Statement, Value};

/// Copies of each row that writers spread over.
const SHARDS: u8 = 64;

/// A change to the tally, or a tally: `(channel, question, value)` to `(count, sum)`.
/// See `participation::consultations::counts` for what the keys mean.
pub type Tally = BTreeMap<(String, String, String), (i64, f64)>;

/// One row of a consultation's tally, its shards added up.
#[derive(Debug, Clone, PartialEq)]
pub struct Count {
    pub channel: String,
    pub question: String,
    pub value: String,
    pub count: i64,
    pub sum: f64,
}

fn placeholder(backend: DatabaseBackend, n: usize) -> String {
    match backend {
        DatabaseBackend::Postgres => format!("${n}"),
        _ => "?".to_owned(),
    }
}

/// The statement adding `change` to the consultation's tally (`None` when it changes
/// nothing): one multi-row upsert into a random shard, rows in key order.
pub fn add(backend: DatabaseBackend, consultation_id: &str, change: &Tally) -> Option<Statement> {
    let rows: Vec<_> = change
        .iter()
        .filter(|(_, (count, sum))| *count != 0 || *sum != 0.0)
        .collect();
    if rows.is_empty() {
        return None;
    }
    let shard = i16::from(uuid::Uuid::new_v4().as_bytes()[0] % SHARDS);
    let mut sql = String::from(
        "INSERT INTO consultation_tally (consultation_id, channel, question, value, shard, count, sum) VALUES ",
    );
    let mut values: Vec<Value> = Vec::with_capacity(rows.len() * 7);
    for (i, ((channel, question, value), (count, sum))) in rows.into_iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        let p: Vec<String> = (1..=7)
            .map(|k| placeholder(backend, values.len() + k))
            .collect();
        sql.push_str(&format!("({})", p.join(", ")));
        values.extend([
            consultation_id.into(),
            channel.as_str().into(),
            question.as_str().into(),
            value.as_str().into(),
            shard.into(),
            (*count).into(),
            (*sum).into(),
        ]);
    }
    sql.push_str(
        " ON CONFLICT (consultation_id, channel, question, value, shard) DO UPDATE SET \
         count = consultation_tally.count + excluded.count, sum = consultation_tally.sum + excluded.sum",
    );
    Some(Statement::from_sql_and_values(backend, sql, values))
}

/// A consultation's tally, its shards added up; rows that came back to nothing left out.
pub async fn read(db: &impl ConnectionTrait, consultation_id: &str) -> Result<Vec<Count>, DbErr> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT channel, question, value, CAST(SUM(count) AS BIGINT) AS count, CAST(SUM(sum) AS DOUBLE PRECISION) AS sum \
                 FROM consultation_tally WHERE consultation_id = {} GROUP BY channel, question, value",
                placeholder(backend, 1)
            ),
            [consultation_id.into()],
        ))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let c = Count {
            channel: r.try_get("", "channel")?,
            question: r.try_get("", "question")?,
            value: r.try_get("", "value")?,
            count: r.try_get("", "count")?,
            sum: r.try_get("", "sum")?,
        };
        if c.count != 0 || c.sum != 0.0 {
            out.push(c);
        }
    }
    Ok(out)
}

/// Replaces a consultation's tally by `tally` (a recount). Run it in a transaction.
pub async fn replace(
    txn: &impl ConnectionTrait,
    consultation_id: &str,
    tally: &Tally,
) -> Result<(), DbErr> {
    let backend = txn.get_database_backend();
    txn.execute_raw(Statement::from_sql_and_values(
        backend,
        format!(
            "DELETE FROM consultation_tally WHERE consultation_id = {}",
            placeholder(backend, 1)
        ),
        [consultation_id.into()],
    ))
    .await?;
    let rows: Vec<_> = tally.iter().collect();
    for chunk in rows.chunks(500) {
        let part: Tally = chunk.iter().map(|(k, v)| ((*k).clone(), **v)).collect();
        if let Some(s) = add(backend, consultation_id, &part) {
            txn.execute_raw(s).await?;
        }
    }
    Ok(())
}
