//! Keyset pages: the rows after the last one shown, by `(sort key, id)`, as one condition
//! an index on `(…, key, id)` answers (web/cursor.rs carries the pair between pages).

use sea_orm::sea_query::{Condition, SimpleExpr};
use sea_orm::{ColumnTrait, Value};

/// Which way a page runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Asc,
    Desc,
}

/// The rows after `(key, id)`: a later key, or the same key and a later id (earlier for
/// `Desc`). The first clause, on the key alone, lets the index narrow the range.
pub fn after<C: ColumnTrait>(
    key_col: C,
    id_col: C,
    key: impl Into<Value> + Clone,
    id: String,
    order: Order,
) -> Condition {
    let (near, beyond, id_beyond): (SimpleExpr, SimpleExpr, SimpleExpr) = match order {
        Order::Asc => (
            key_col.gte(key.clone()),
            key_col.gt(key.clone()),
            id_col.gt(id),
        ),
        Order::Desc => (
            key_col.lte(key.clone()),
            key_col.lt(key.clone()),
            id_col.lt(id),
        ),
    };
    Condition::all().add(near).add(
        Condition::any()
            .add(beyond)
            .add(Condition::all().add(key_col.eq(key)).add(id_beyond)),
    )
}
