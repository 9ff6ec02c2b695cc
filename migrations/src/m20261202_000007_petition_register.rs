//! The public register of petitions lists a service's cases newest first.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("case_file_service_filed")
                .table("case_file")
                .col("service_id")
                .col("filed_at")
                .col("id")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("case_file_service_filed")
                .table("case_file")
                .to_owned(),
        )
        .await
    }
}
