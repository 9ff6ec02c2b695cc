//! The statistics fixed at closing (issue 14 §4; PARTICIPATION.md §7 "statistics fixed at
//! closing so that they match the published protocol"): how many answered online and on
//! paper, by declared area and by age band (from the PESEL's birth date on the day of
//! answering). They are computed once, in the transaction of the move to `closed`, and
//! stored with the consultation; nothing recomputes them later.

use sea_orm::{ConnectionTrait, DbErr};
use serde_json::{Value, json};

use crate::db::consultation_statistics::{self as count, By};
use crate::db::entity::consultation as row;
use crate::domain::consultation::AGE_BANDS;

/// Counts the consultation's voices now.
pub async fn compute(
    db: &impl ConnectionTrait,
    c: &row::Model,
    anonymous: bool,
    on: time::Date,
) -> Result<Value, DbErr> {
    let channels = count::answers(db, &c.id, By::Channel).await?;
    let of = |rows: &[(Option<String>, i64)], key: &str| {
        rows.iter()
            .filter(|(k, _)| k.as_deref() == Some(key))
            .map(|(_, n)| *n)
            .sum::<i64>()
    };
    let (online, paper) = (of(&channels, "online"), of(&channels, "paper"));
    // an anonymous consultation keeps the facts with who answered, not with the answers
    let (areas, ages) = if anonymous {
        (
            count::people(db, &c.id, By::Area).await?,
            count::people(db, &c.id, By::AgeBand).await?,
        )
    } else {
        (
            count::answers(db, &c.id, By::Area).await?,
            count::answers(db, &c.id, By::AgeBand).await?,
        )
    };
    let mut areas: Vec<(String, i64)> = areas
        .into_iter()
        .filter_map(|(a, n)| a.map(|a| (a, n)))
        .collect();
    areas.sort();
    let mut age_bands: Vec<Value> = AGE_BANDS
        .iter()
        .map(|b| json!({ "band": b, "count": of(&ages, b) }))
        .collect();
    let unknown: i64 = ages
        .iter()
        .filter(|(b, _)| b.is_none())
        .map(|(_, n)| n)
        .sum();
    if unknown > 0 {
        age_bands.push(json!({ "band": "unknown", "count": unknown }));
    }
    Ok(json!({
        "fixed_on": on.to_string(),
        "answers": online + paper,
        "online": online,
        "paper": paper,
        "areas": areas.iter().map(|(a, n)| json!({ "code": a, "count": n })).collect::<Vec<_>>(),
        "age_bands": age_bands,
    }))
}

/// Fixes the statistics of a consultation that is closing, in the move's transaction;
/// once: a consultation that has them keeps them.
pub async fn fix(txn: &impl ConnectionTrait, c: &row::Model, on: time::Date) -> Result<(), DbErr> {
    if c.statistics.is_some() {
        return Ok(());
    }
    let anonymous = super::stored_body(txn, c)
        .await?
        .is_some_and(|b| b.anonymous);
    let stats = compute(txn, c, anonymous, on).await?;
    crate::db::consultations::fix_statistics(txn, &c.id, &stats.to_string()).await?;
    Ok(())
}
