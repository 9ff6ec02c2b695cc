//! sea-orm entities, one per table (see migrations/). Only `db` uses them.

pub mod api_client;
pub mod attachment;
pub mod case_document;
pub mod case_event;
pub mod case_file;
pub mod consultation;
pub mod consultation_answer;
pub mod consultation_comment;
pub mod consultation_participant;
pub mod consultation_version;
pub mod draft;
pub mod evidence;
pub mod initiative;
pub mod initiative_support;
pub mod login_flow;
pub mod mailbox;
pub mod message;
pub mod message_attachment;
pub mod message_copy;
pub mod outbox;
pub mod participation_event;
pub mod receipt;
pub mod service_definition;
pub mod session;
pub mod submission;
