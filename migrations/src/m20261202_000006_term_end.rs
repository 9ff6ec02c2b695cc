//! A case's term end before art. 57 § 4 KPA moves it off a day off: pauses (art. 35 § 5) are
//! added to this day and the move to a working day is made once, at the end. Older rows
//! keep NULL and are read as their `due_on`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("case_file")
                .add_column(date_null("term_end"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("case_file")
                .drop_column("term_end")
                .to_owned(),
        )
        .await
    }
}
