//! The embedded tax ledger (`ledger::Embedded`): a taxpayer by identifier, their objects,
//! assessments, instalments and payments; an import replaces the whole ledger in one
//! transaction. Amounts are stored in grosze, areas and values as exact decimal text.

use rust_decimal::Decimal;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use super::entity::{
    ledger_assessment as assessment, ledger_instalment as instalment, ledger_object as object,
    ledger_payment as payment, ledger_taxpayer as taxpayer,
};
use crate::domain::ledger::{
    Assessment, AssessmentKind, Family, Instalment, Payment, Snapshot, TaxObject, Taxpayer,
    TaxpayerId,
};

/// The most rows of one kind read for one taxpayer (the import refuses more).
pub const MAX_PER_TAXPAYER: u64 = 10_000;
/// Rows a statement inserts at once: placeholders are bounded (SQLite: 32,766).
const CHUNK: usize = 1000;

fn corrupt(what: &str, key: &str) -> DbErr {
    DbErr::Custom(format!("ledger row {what} `{key}` does not parse"))
}

fn grosze(d: Decimal) -> Result<i64, DbErr> {
    let g = (d * Decimal::ONE_HUNDRED).normalize();
    i64::try_from(g).map_err(|_| DbErr::Custom(format!("amount {d} is not whole grosze")))
}

fn zloty(g: i64) -> Decimal {
    Decimal::new(g, 2)
}

fn family(s: &str, key: &str) -> Result<Family, DbErr> {
    Family::parse(s).ok_or_else(|| corrupt("family", key))
}

pub async fn taxpayer(
    db: &impl ConnectionTrait,
    id: &TaxpayerId,
) -> Result<Option<Taxpayer>, DbErr> {
    let Some(m) = taxpayer::Entity::find()
        .filter(taxpayer::Column::Kind.eq(id.kind()))
        .filter(taxpayer::Column::Identifier.eq(id.value()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(Taxpayer {
        id: TaxpayerId::parse(&m.kind, &m.identifier)
            .map_err(|_| corrupt("taxpayer", &m.taxpayer_key))?,
        key: m.taxpayer_key,
        name: m.name,
        address: m.address,
    }))
}

pub async fn objects(db: &impl ConnectionTrait, key: &str) -> Result<Vec<TaxObject>, DbErr> {
    object::Entity::find()
        .filter(object::Column::TaxpayerKey.eq(key))
        .order_by_asc(object::Column::ObjectKey)
        .limit(MAX_PER_TAXPAYER)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            Ok(TaxObject {
                family: family(&m.family, &m.object_key)?,
                base: m
                    .base
                    .parse()
                    .map_err(|_| corrupt("object", &m.object_key))?,
                key: m.object_key,
                category: m.category,
                location: m.location,
                land_register: m.land_register,
            })
        })
        .collect()
}

/// Newest year first.
pub async fn assessments(db: &impl ConnectionTrait, key: &str) -> Result<Vec<Assessment>, DbErr> {
    assessment::Entity::find()
        .filter(assessment::Column::TaxpayerKey.eq(key))
        .order_by_desc(assessment::Column::Year)
        .order_by_asc(assessment::Column::Family)
        .limit(MAX_PER_TAXPAYER)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            Ok(Assessment {
                family: family(&m.family, &m.reference)?,
                kind: AssessmentKind::parse(&m.kind)
                    .ok_or_else(|| corrupt("assessment", &m.reference))?,
                year: m.year,
                reference: m.reference,
                issued_on: m.issued_on,
                amount: zloty(m.amount_gr),
            })
        })
        .collect()
}

pub async fn instalments(db: &impl ConnectionTrait, key: &str) -> Result<Vec<Instalment>, DbErr> {
    instalment::Entity::find()
        .filter(instalment::Column::TaxpayerKey.eq(key))
        .order_by_asc(instalment::Column::DueOn)
        .limit(MAX_PER_TAXPAYER)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            Ok(Instalment {
                family: family(&m.family, &m.taxpayer_key)?,
                year: m.year,
                number: m.number,
                due_on: m.due_on,
                amount: zloty(m.amount_gr),
            })
        })
        .collect()
}

pub async fn payments(db: &impl ConnectionTrait, key: &str) -> Result<Vec<Payment>, DbErr> {
    Ok(payment::Entity::find()
        .filter(payment::Column::TaxpayerKey.eq(key))
        .order_by_asc(payment::Column::PaidOn)
        .limit(MAX_PER_TAXPAYER)
        .all(db)
        .await?
        .into_iter()
        .map(|m| Payment {
            key: m.payment_key,
            paid_on: m.paid_on,
            amount: zloty(m.amount_gr),
        })
        .collect())
}

/// Replaces the whole ledger with `s` in one transaction: importing the same files again
/// leaves it as it was, and a row gone from the domain system is gone here too.
pub async fn replace(db: &DatabaseConnection, s: &Snapshot) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    payment::Entity::delete_many().exec(&txn).await?;
    instalment::Entity::delete_many().exec(&txn).await?;
    assessment::Entity::delete_many().exec(&txn).await?;
    object::Entity::delete_many().exec(&txn).await?;
    taxpayer::Entity::delete_many().exec(&txn).await?;
    for c in s.taxpayers.chunks(CHUNK) {
        taxpayer::Entity::insert_many(c.iter().map(|t| taxpayer::ActiveModel {
            taxpayer_key: Set(t.key.clone()),
            kind: Set(t.id.kind().to_owned()),
            identifier: Set(t.id.value().to_owned()),
            name: Set(t.name.clone()),
            address: Set(t.address.clone()),
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    for c in s.objects.chunks(CHUNK) {
        object::Entity::insert_many(c.iter().map(|(k, o)| object::ActiveModel {
            taxpayer_key: Set(k.clone()),
            object_key: Set(o.key.clone()),
            family: Set(o.family.as_str().to_owned()),
            category: Set(o.category.clone()),
            location: Set(o.location.clone()),
            land_register: Set(o.land_register.clone()),
            base: Set(o.base.normalize().to_string()),
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    for c in s.assessments.chunks(CHUNK) {
        let rows = c
            .iter()
            .map(|(k, a)| {
                Ok(assessment::ActiveModel {
                    taxpayer_key: Set(k.clone()),
                    year: Set(a.year),
                    family: Set(a.family.as_str().to_owned()),
                    kind: Set(a.kind.as_str().to_owned()),
                    reference: Set(a.reference.clone()),
                    issued_on: Set(a.issued_on),
                    amount_gr: Set(grosze(a.amount)?),
                })
            })
            .collect::<Result<Vec<_>, DbErr>>()?;
        assessment::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await?;
    }
    for c in s.instalments.chunks(CHUNK) {
        let rows = c
            .iter()
            .map(|(k, i)| {
                Ok(instalment::ActiveModel {
                    taxpayer_key: Set(k.clone()),
                    year: Set(i.year),
                    family: Set(i.family.as_str().to_owned()),
                    number: Set(i.number),
                    due_on: Set(i.due_on),
                    amount_gr: Set(grosze(i.amount)?),
                })
            })
            .collect::<Result<Vec<_>, DbErr>>()?;
        instalment::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await?;
    }
    for c in s.payments.chunks(CHUNK) {
        let rows = c
            .iter()
            .map(|(k, p)| {
                Ok(payment::ActiveModel {
                    payment_key: Set(p.key.clone()),
                    taxpayer_key: Set(k.clone()),
                    paid_on: Set(p.paid_on),
                    amount_gr: Set(grosze(p.amount)?),
                })
            })
            .collect::<Result<Vec<_>, DbErr>>()?;
        payment::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await
}
