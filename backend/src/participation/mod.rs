//! Participation: what residents do with their council beyond filing (consultations,
//! participatory budgets, petitions and the council's work), built on the form engine,
//! cases, letters and the worker.

pub mod petitions;
pub mod similar;
