//! Database migrations for okienko, identical on SQLite and PostgreSQL.
//!
//! Rules (see README.md in this crate): expand/contract only, one change per statement
//! (SQLite cannot alter several things at once), and every migration runs in CI on both.

pub use sea_orm_migration::prelude::*;

mod m20261121_000001_initial;
mod m20261121_000002_identity;
mod m20261121_000003_submission_listing;
mod m20261121_000004_cases;
mod m20261121_000005_mailboxes;
mod m20261202_000006_term_end;
mod m20261202_000007_petition_register;
mod m20261202_000010_consultations;
mod m20261202_000011_consultation_participants;
mod m20261202_000012_consultation_history;
mod m20261202_000013_participation_history;
mod m20261202_000014_paper_entry;
mod m20261202_000015_consultation_roster;
mod m20261202_000016_comment_moderation;
mod m20261202_000017_consultation_statistics;
mod m20261202_000018_consultation_subscriptions;
mod m20261202_000019_consultation_meetings;
mod m20261202_000020_budget;
mod m20261202_000021_budget_milestones;
mod m20261202_000030_council;
mod m20261203_000035_initiatives;
mod m20261203_000040_petition_cosigners;
mod m20261203_000041_council_secret_votes;
mod m20261203_000050_consultation_requests;
mod m20261203_000060_signing_keys;
mod m20261203_000061_anonymous_idempotency;
mod m20261203_000062_consultation_tally;
mod m20261203_000070_budget_paper_seq;
mod m20261204_000101_payments;
mod m20261204_000201_tax_ledger;
mod m20261204_000401_permit_register;
mod m20261204_000501_consultation_documents;
mod m20261204_000502_consultation_archive;
mod m20261204_000611_residence_register;
mod m20261205_000102_payment_session_once;
mod m20261205_000103_payment_debt_hot;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_initial::Migration),
            Box::new(m20261121_000002_identity::Migration),
            Box::new(m20261121_000003_submission_listing::Migration),
            Box::new(m20261121_000004_cases::Migration),
            Box::new(m20261121_000005_mailboxes::Migration),
            Box::new(m20261202_000006_term_end::Migration),
            Box::new(m20261202_000007_petition_register::Migration),
            Box::new(m20261202_000010_consultations::Migration),
            Box::new(m20261202_000011_consultation_participants::Migration),
            Box::new(m20261202_000012_consultation_history::Migration),
            Box::new(m20261202_000013_participation_history::Migration),
            Box::new(m20261202_000014_paper_entry::Migration),
            Box::new(m20261202_000015_consultation_roster::Migration),
            Box::new(m20261202_000016_comment_moderation::Migration),
            Box::new(m20261202_000017_consultation_statistics::Migration),
            Box::new(m20261202_000018_consultation_subscriptions::Migration),
            Box::new(m20261202_000019_consultation_meetings::Migration),
            Box::new(m20261202_000020_budget::Migration),
            Box::new(m20261202_000021_budget_milestones::Migration),
            Box::new(m20261202_000030_council::Migration),
            Box::new(m20261203_000035_initiatives::Migration),
            Box::new(m20261203_000040_petition_cosigners::Migration),
            Box::new(m20261203_000041_council_secret_votes::Migration),
            Box::new(m20261203_000050_consultation_requests::Migration),
            Box::new(m20261203_000060_signing_keys::Migration),
            Box::new(m20261203_000061_anonymous_idempotency::Migration),
            Box::new(m20261203_000062_consultation_tally::Migration),
            Box::new(m20261203_000070_budget_paper_seq::Migration),
            Box::new(m20261204_000101_payments::Migration),
            Box::new(m20261204_000201_tax_ledger::Migration),
            Box::new(m20261204_000401_permit_register::Migration),
            Box::new(m20261204_000501_consultation_documents::Migration),
            Box::new(m20261204_000502_consultation_archive::Migration),
            Box::new(m20261204_000611_residence_register::Migration),
            Box::new(m20261205_000102_payment_session_once::Migration),
            Box::new(m20261205_000103_payment_debt_hot::Migration),
        ]
    }
}
