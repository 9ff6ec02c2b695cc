//! Secret votes in eRada (issue 16 §2b): an agenda item whose vote a statute makes secret
//! (u.s.g. art. 19 ust. 1: electing the chair) carries that basis; its votes record that a
//! councillor voted (the ballot row, with no choice) and count the choices on the vote's
//! row alone, so no row holds a councillor next to their choice.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // one column a statement: SQLite alters a table one column at a time
        m.alter_table(
            Table::alter()
                .table("council_item")
                .add_column(string_len_null("secret_basis", 300))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("council_vote")
                .add_column(boolean("secret").default(false))
                .to_owned(),
        )
        .await?;
        for c in ["secret_for", "secret_against", "secret_abstain"] {
            m.alter_table(
                Table::alter()
                    .table("council_vote")
                    .add_column(integer(c).default(0))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for c in ["secret_abstain", "secret_against", "secret_for", "secret"] {
            m.alter_table(
                Table::alter()
                    .table("council_vote")
                    .drop_column(c)
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table("council_item")
                .drop_column("secret_basis")
                .to_owned(),
        )
        .await
    }
}
