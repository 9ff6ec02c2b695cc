//! Residents' requests to start a consultation (issue 14 §3; Ostróda's e-service 10): a
//! resident files the request (subject, justification, area), other residents support it
//! online (one support per person, by the keyed hash of who they are under the request's
//! own secret), and at the gmina's threshold it is filed as a case in the register.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("consultation_request")
                // time-ordered (v7): the keyset of the public list
                .col(string_len("id", 36).primary_key())
                // the author's owner key (as drafts and submissions): the case is theirs
                .col(string_len("created_by", 80))
                // the author's identity as the login gave it, to file the case in their
                // name when the last support arrives (JSON; never shown)
                .col(text("author"))
                .col(string_len("state", 16))
                .col(string_len("subject", 300))
                .col(text("justification"))
                // an area code of forms/areas.yaml, or none for the whole gmina
                .col(string_len_null("area", 64))
                // the gmina's threshold when the request was filed ([consultations])
                .col(integer("threshold"))
                // the key of the supporters' keyed hashes; never leaves the database
                .col(string_len("secret", 64))
                .col(string_len_null("submission_id", 36))
                .col(timestamp_with_time_zone_null("filed_at"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("consultation_request_state")
                .table("consultation_request")
                .col("state")
                .col("id")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("consultation_request_support")
                .col(string_len("id", 36).primary_key())
                .col(string_len("request_id", 36))
                .col(string_len("supporter", 64))
                // the area the supporter declared living in (area-scoped requests)
                .col(string_len_null("area", 64))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("consultation_request_support_person")
                .table("consultation_request_support")
                .col("request_id")
                .col("supporter")
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["consultation_request_support", "consultation_request"] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
