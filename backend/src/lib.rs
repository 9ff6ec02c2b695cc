//! okienko: citizen e-services for Polish municipalities. The codemap is docs/ARCHITECTURE.md.

pub mod domain;
pub mod forms;
