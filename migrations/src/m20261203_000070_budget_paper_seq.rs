//! The participatory budget's paper lock (issue 15): every paper voting card typed in or
//! decided bumps `budget_edition.paper_seq` in its own transaction, and the tally publishes
//! its protocol only where the counter is still the one it read before counting. A card
//! accepted while the count runs makes the publication fail and the next worker pass count
//! again; once the protocol is published, no card can be typed in or accepted.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("budget_edition")
                .add_column(big_integer("paper_seq").default(0))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("budget_edition")
                .drop_column("paper_seq")
                .to_owned(),
        )
        .await
    }
}
