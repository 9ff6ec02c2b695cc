#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]
//! One integration binary: the HTTP API and pages through a `TestApp`, on SQLite by default
//! and on PostgreSQL when `OKIENKO_TEST_DATABASE_URL` is set (each test gets its own database).

mod api;
mod assemblies;
mod auth;
mod bench;
mod budget;
mod budget_import;
mod budget_paper;
mod cases;
mod catalogue;
mod complaints;
mod consultation_archive;
mod consultation_console;
mod consultation_documents;
mod consultation_english;
mod consultation_meetings;
mod consultation_moderation;
mod consultation_paper;
mod consultation_report_pdf;
mod consultation_requests;
mod consultation_results;
mod consultation_subscriptions;
mod consultation_taking_part;
mod consultation_tally;
mod consultations;
mod contract;
mod council;
mod delivery;
mod edoreczenia;
mod faults;
mod helpers;
mod initiatives;
mod integrity;
mod ledger;
mod nodes;
mod pages;
mod payment_pages;
mod payments;
mod petitions;
mod reliability;
mod residents;
mod route_matrix;
mod security;
mod signatures;
mod tax_forms;
