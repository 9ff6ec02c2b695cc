//! The councillors' and the coordinator's console of consultations (issue 14 §5):
//! `list.rs` consultations by phase, `new.rs` drafting from a kind's template, `edit.rs`
//! editing a draft (both through `draft_form.rs`), `paper.rs` typing in a paper card, `detail.rs`
//! one consultation (participation, preview, results, report, moderation, paper cards,
//! history), `actions.rs` its buttons, `documents.rs` uploading and removing its documents. Councillors and the coordinator (roles
//! `councillor`, `admin`) only; every action goes through `participation::consultations`
//! and so lands in the consultation's history.

pub mod actions;
pub mod detail;
pub mod documents;
pub mod draft_form;
pub mod edit;
pub mod list;
pub mod new;
pub mod paper;
