//! The form engine: definitions in `forms/`, compiled into services that validate
//! submission data. Imports only `domain` (docs/ARCHITECTURE.md).

pub mod areas;
pub mod catalogue;
pub mod check;
pub mod definition;
pub mod diff;
pub mod due;
pub mod efiling;
pub mod engine;
pub mod expr;
pub mod messages;
pub mod national;
pub mod office;
pub mod questionnaire;
pub mod schema;
pub mod situations;
pub mod tables;
pub mod uploads;

pub use catalogue::{Catalogue, Service};
pub use due::due_on;
pub use engine::{FieldError, Input, Outcome, validate};
