//! Participation (PARTICIPATION.md): what residents do with their council beyond filing:
//! public consultations (issue 14), the register of petitions and the council's work (issue
//! 16), built on the form engine, cases, letters and the worker. Imports `db`, `forms` and
//! `domain`, like `casework`; never sees requests.

pub mod budget;
pub mod consultations;
pub mod cosigners;
pub mod council;
pub mod initiative;
pub mod keyed;
pub mod paper;
pub mod petitions;
pub mod signing;
pub mod similar;
