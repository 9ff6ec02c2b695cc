//! Hash chains: each case's history (`db::cases::first_broken`) and each participation
//! instrument's (`db::participation_history::first_break`), read in pages across cases.

use sea_orm::{ConnectionTrait, DbErr};

use super::{PAGE, Report};
use crate::db::entity::{case_event, participation_event};
use crate::db::{cases, integrity, participation_history};

/// An entry of a chain: which chain, and its place in it.
trait Chained {
    fn place(&self) -> (&str, i32);
}

impl Chained for case_event::Model {
    fn place(&self) -> (&str, i32) {
        (&self.case_id, self.seq)
    }
}

impl Chained for participation_event::Model {
    fn place(&self) -> (&str, i32) {
        (&self.subject_id, self.seq)
    }
}

/// Reads the entries in pages ordered by (chain, place) and hands each whole chain to
/// `check`, however the pages cut it.
async fn walk<E: Chained>(
    mut fetch: impl AsyncFnMut(Option<(String, i32)>) -> Result<Vec<E>, DbErr>,
    report: &mut Report,
    mut check: impl FnMut(&[E], &mut Report),
) -> anyhow::Result<()> {
    let mut after = None;
    let mut chain: Vec<E> = Vec::new();
    loop {
        let page = fetch(after.take()).await?;
        let Some(last) = page.last() else { break };
        let (id, seq) = last.place();
        after = Some((id.to_owned(), seq));
        for e in page {
            if chain.first().is_some_and(|f| f.place().0 != e.place().0) {
                check(&chain, report);
                chain.clear();
            }
            chain.push(e);
        }
    }
    if !chain.is_empty() {
        check(&chain, report);
    }
    Ok(())
}

pub async fn cases(db: &impl ConnectionTrait, report: &mut Report) -> anyhow::Result<()> {
    let fetch = async |after: Option<(String, i32)>| {
        integrity::case_events_after(db, after.as_ref().map(|(c, s)| (c.as_str(), *s)), PAGE).await
    };
    walk(fetch, report, |events: &[case_event::Model], report| {
        report.count("case histories", 1);
        report.count("case history entries", events.len() as u64);
        if let Some(seq) = cases::first_broken(events) {
            report.problem(format!(
                "case {}: history entry {seq} does not follow from the one before",
                events[0].case_id
            ));
        }
    })
    .await
}

pub async fn participation(db: &impl ConnectionTrait, report: &mut Report) -> anyhow::Result<()> {
    let fetch = async |after: Option<(String, i32)>| {
        integrity::participation_events_after(
            db,
            after.as_ref().map(|(c, s)| (c.as_str(), *s)),
            PAGE,
        )
        .await
    };
    walk(
        fetch,
        report,
        |events: &[participation_event::Model], report| {
            report.count("participation histories", 1);
            if let Some(seq) = participation_history::first_break(events) {
                report.problem(format!(
                    "participation history of {}: entry {seq} does not follow from the one before",
                    events[0].subject_id
                ));
            }
        },
    )
    .await
}
