//! The embedded residents' registers (`residents::Embedded`): registrations by PESEL; an
//! import replaces the imported rows in one transaction and keeps those okienko's own
//! residence cases wrote.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait, sea_query::Expr,
};
use time::Date;

use super::entity::residence_registration as reg;
use crate::domain::pesel::Pesel;
use crate::domain::residence::{Register, Registration, Stay};

/// The most registrations read for one person (the import refuses more).
pub const MAX_PER_PERSON: u64 = 1_000;
const CHUNK: usize = 1000;

fn corrupt(key: &str) -> DbErr {
    DbErr::Custom(format!("residence registration `{key}` does not parse"))
}

fn parse(m: reg::Model) -> Result<Registration, DbErr> {
    Ok(Registration {
        register: Register::parse(&m.register).ok_or_else(|| corrupt(&m.record_key))?,
        stay: Stay::parse(&m.stay).ok_or_else(|| corrupt(&m.record_key))?,
        pesel: Pesel::parse(&m.pesel).map_err(|_| corrupt(&m.record_key))?,
        key: m.record_key,
        name: m.name,
        citizenship: m.citizenship,
        address: m.address,
        from_on: m.from_on,
        until_on: m.until_on,
        ended_on: m.ended_on,
    })
}

fn row(source: &str, r: &Registration) -> reg::ActiveModel {
    reg::ActiveModel {
        record_key: Set(r.key.clone()),
        source: Set(source.to_owned()),
        register: Set(r.register.as_str().to_owned()),
        pesel: Set(r.pesel.as_ref().to_owned()),
        name: Set(r.name.clone()),
        citizenship: Set(r.citizenship.clone()),
        stay: Set(r.stay.as_str().to_owned()),
        address: Set(r.address.clone()),
        from_on: Set(r.from_on),
        until_on: Set(r.until_on),
        ended_on: Set(r.ended_on),
    }
}

/// A person's registrations in either register, earliest first.
pub async fn of_person(
    db: &impl ConnectionTrait,
    pesel: &Pesel,
) -> Result<Vec<Registration>, DbErr> {
    reg::Entity::find()
        .filter(reg::Column::Pesel.eq(pesel.as_ref()))
        .order_by_asc(reg::Column::FromOn)
        .order_by_asc(reg::Column::RecordKey)
        .limit(MAX_PER_PERSON)
        .all(db)
        .await?
        .into_iter()
        .map(parse)
        .collect()
}

/// Writes a registration a residence case decided (`source` `case`); the caller's
/// transaction is the decision's.
pub async fn record(db: &impl ConnectionTrait, r: &Registration) -> Result<(), DbErr> {
    reg::Entity::insert(row("case", r))
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Deregisters `pesel` from its `stay` registrations still open on `day` (wymeldowanie);
/// returns how many it ended.
pub async fn end(
    db: &impl ConnectionTrait,
    pesel: &Pesel,
    stay: Stay,
    day: Date,
) -> Result<u64, DbErr> {
    let r = reg::Entity::update_many()
        .col_expr(reg::Column::EndedOn, Expr::value(day))
        .filter(reg::Column::Pesel.eq(pesel.as_ref()))
        .filter(reg::Column::Stay.eq(stay.as_str()))
        .filter(reg::Column::EndedOn.is_null())
        .filter(reg::Column::FromOn.lte(day))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

/// Replaces every imported registration with `rows` in one transaction.
pub async fn replace_imported(db: &DatabaseConnection, rows: &[Registration]) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    reg::Entity::delete_many()
        .filter(reg::Column::Source.eq("import"))
        .exec(&txn)
        .await?;
    for c in rows.chunks(CHUNK) {
        reg::Entity::insert_many(c.iter().map(|r| row("import", r)))
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await
}
