//! okienko: citizen e-services for Polish municipalities. The codemap is docs/ARCHITECTURE.md.

pub mod auth;
pub mod bench;
pub mod casework;
pub mod config;
pub mod crisis_centre;
pub mod db;
pub mod delivery;
pub mod domain;
pub mod edoreczenia;
pub mod error;
pub mod filing;
pub mod forms;
pub mod integrity;
pub mod ledger;
#[cfg(test)]
mod legal_table;
pub mod letters;
pub mod mail;
pub mod mass_events;
pub mod participation;
pub mod payments;
pub mod receipt;
pub mod residents;
pub mod signatures;
pub mod startup;
pub mod state;
pub mod storage;
pub mod telemetry;
pub mod web;
pub mod worker;
