//! The residents' register and the register of foreigners' residence as okienko keeps
//! them (issue 20 §1; ustawa o ewidencji ludności art. 8 pkt 2 and 3): one row a
//! registration of stay, by PESEL. `okienko residents import` replaces the rows whose
//! `source` is `import`; a residence case decided in okienko writes a row of `source`
//! `case` (its `record_key` is `case:<case id>`), which an import leaves alone.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("residence_registration")
                .col(string_len("record_key", 80).primary_key())
                // `import` or `case`
                .col(string_len("source", 8))
                // `residents` or `foreigners`
                .col(string_len("register", 16))
                .col(string_len("pesel", 11))
                .col(string_len("name", 300))
                .col(string_len_null("citizenship", 64))
                // `permanent` or `temporary`
                .col(string_len("stay", 16))
                .col(string_len("address", 300))
                .col(date("from_on"))
                .col(date_null("until_on"))
                .col(date_null("ended_on"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("residence_registration_pesel")
                .table("residence_registration")
                .col("pesel")
                .col("from_on")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table("residence_registration")
                .if_exists()
                .to_owned(),
        )
        .await
    }
}
