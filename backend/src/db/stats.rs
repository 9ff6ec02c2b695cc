//! The figures town halls report in their yearly digitisation reports, straight from the
//! tables (grouped in the database, not scanned here).

use sea_orm::{ConnectionTrait, DbErr, Statement};

pub struct Counted {
    pub service_id: String,
    pub status: String,
    pub count: i64,
}

pub async fn cases_by_service_and_status(db: &impl ConnectionTrait) -> Result<Vec<Counted>, DbErr> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT service_id, status, COUNT(*) AS n FROM case_file GROUP BY service_id, status ORDER BY service_id, status",
        ))
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Counted {
                service_id: r.try_get("", "service_id")?,
                status: r.try_get("", "status")?,
                count: r.try_get("", "n")?,
            })
        })
        .collect()
}

/// Submissions per calendar month (`YYYY-MM`, UTC), oldest first.
pub async fn submissions_per_month(db: &impl ConnectionTrait) -> Result<Vec<(String, i64)>, DbErr> {
    let backend = db.get_database_backend();
    let month = match backend {
        sea_orm::DatabaseBackend::Postgres => "to_char(filed_at AT TIME ZONE 'UTC', 'YYYY-MM')",
        _ => "strftime('%Y-%m', filed_at)",
    };
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            format!("SELECT {month} AS m, COUNT(*) AS n FROM submission GROUP BY m ORDER BY m"),
        ))
        .await?;
    rows.into_iter()
        .map(|r| Ok((r.try_get("", "m")?, r.try_get("", "n")?)))
        .collect()
}

/// For decided cases: service, days from filing to decision, and whether it was late.
pub async fn decided(db: &impl ConnectionTrait) -> Result<Vec<(String, f64, bool)>, DbErr> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    use super::entity::case_file;
    // one row per decided case; a yearly report reads them once
    let cases = case_file::Entity::find()
        .filter(case_file::Column::DecidedAt.is_not_null())
        .all(db)
        .await?;
    Ok(cases
        .into_iter()
        .filter_map(|c| {
            let at = c.decided_at?;
            let days = (at - c.filed_at).as_seconds_f64() / 86_400.0;
            let late = crate::domain::clock::in_poland(at).date() > c.due_on;
            Some((c.service_id, days, late))
        })
        .collect())
}
