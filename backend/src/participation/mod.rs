//! Participation instruments (PARTICIPATION.md): so far public consultations (issue 14).
//! Imports `db`, `forms` and `domain`, like `casework`; never sees requests.

pub mod consultations;
