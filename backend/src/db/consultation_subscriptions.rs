//! Residents' subscriptions to consultations: one per resident and scope (`*` or an area).

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};

use super::entity::consultation_subscription as sub;

/// Every consultation, not one area's.
pub const ALL: &str = "*";

/// Subscribes `owner` to `scope` at `email`; an existing subscription to the same scope
/// takes the new address. `true` when it is new.
pub async fn subscribe(
    db: &impl ConnectionTrait,
    owner: &str,
    email: &str,
    scope: &str,
    token: &str,
) -> Result<(sub::Model, bool), DbErr> {
    let existing = sub::Entity::find()
        .filter(sub::Column::Owner.eq(owner))
        .filter(sub::Column::Scope.eq(scope))
        .one(db)
        .await?;
    if let Some(e) = existing {
        sub::Entity::update_many()
            .col_expr(sub::Column::Email, Expr::value(email))
            .filter(sub::Column::Id.eq(&e.id))
            .exec(db)
            .await?;
        return Ok((
            sub::Model {
                email: email.to_owned(),
                ..e
            },
            false,
        ));
    }
    let m = sub::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        owner: Set(owner.to_owned()),
        email: Set(email.to_owned()),
        scope: Set(scope.to_owned()),
        token: Set(token.to_owned()),
        created_at: Set(super::now()),
    }
    .insert(db)
    .await?;
    Ok((m, true))
}

pub async fn mine(db: &impl ConnectionTrait, owner: &str) -> Result<Vec<sub::Model>, DbErr> {
    sub::Entity::find()
        .filter(sub::Column::Owner.eq(owner))
        .order_by_asc(sub::Column::Scope)
        .all(db)
        .await
}

/// Ends the subscription with `token`; `false` when there is none.
pub async fn unsubscribe(db: &impl ConnectionTrait, token: &str) -> Result<bool, DbErr> {
    let r = sub::Entity::delete_many()
        .filter(sub::Column::Token.eq(token))
        .exec(db)
        .await?;
    Ok(r.rows_affected > 0)
}

/// The subscriptions a consultation of `areas` concerns: those to every consultation and
/// those to one of its areas; `None` (the whole gmina) concerns every subscription.
pub async fn matching(
    db: &impl ConnectionTrait,
    areas: Option<&[String]>,
) -> Result<Vec<sub::Model>, DbErr> {
    let mut q = sub::Entity::find();
    if let Some(areas) = areas {
        let mut scopes: Vec<&str> = areas.iter().map(String::as_str).collect();
        scopes.push(ALL);
        q = q.filter(sub::Column::Scope.is_in(scopes));
    }
    q.order_by_asc(sub::Column::Id).all(db).await
}

pub async fn by_id(db: &impl ConnectionTrait, id: &str) -> Result<Option<sub::Model>, DbErr> {
    sub::Entity::find_by_id(id.to_owned()).one(db).await
}
