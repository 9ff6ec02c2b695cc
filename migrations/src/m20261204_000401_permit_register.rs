//! The public register of mass events (u.b.i.m.) lists the permits issued on a service's
//! cases, newest decision first: cases by `(service_id, outcome, decided_at, id)`.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("case_file_service_decided")
                .table("case_file")
                .col("service_id")
                .col("outcome")
                .col("decided_at")
                .col("id")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("case_file_service_decided")
                .table("case_file")
                .to_owned(),
        )
        .await
    }
}
