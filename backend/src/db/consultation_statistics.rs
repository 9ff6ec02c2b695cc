//! Counting a consultation's voices for the statistics fixed at closing: by channel,
//! declared area and age band, grouped in the database.

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

use super::entity::{consultation_answer as answer, consultation_participant as who};

/// What a count is grouped by.
#[derive(Clone, Copy)]
pub enum By {
    Channel,
    Area,
    AgeBand,
}

/// Answers grouped `by`, as `(value, count)`; a missing value is `None`.
pub async fn answers(
    db: &impl ConnectionTrait,
    consultation_id: &str,
    by: By,
) -> Result<Vec<(Option<String>, i64)>, DbErr> {
    let col = match by {
        By::Channel => answer::Column::Channel,
        By::Area => answer::Column::Area,
        By::AgeBand => answer::Column::AgeBand,
    };
    answer::Entity::find()
        .select_only()
        .column(col)
        .column_as(answer::Column::Id.count(), "n")
        .filter(answer::Column::ConsultationId.eq(consultation_id))
        .group_by(col)
        .into_tuple()
        .all(db)
        .await
}

/// Those who answered an anonymous consultation, grouped `by` (their facts are kept with
/// them, not with the answers).
pub async fn people(
    db: &impl ConnectionTrait,
    consultation_id: &str,
    by: By,
) -> Result<Vec<(Option<String>, i64)>, DbErr> {
    let col = match by {
        By::Channel => who::Column::Channel,
        By::Area => who::Column::Area,
        By::AgeBand => who::Column::AgeBand,
    };
    who::Entity::find()
        .select_only()
        .column(col)
        .column_as(who::Column::Participant.count(), "n")
        .filter(who::Column::ConsultationId.eq(consultation_id))
        .group_by(col)
        .into_tuple()
        .all(db)
        .await
}
