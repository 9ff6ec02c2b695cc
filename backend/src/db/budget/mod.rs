//! The participatory budget's tables: editions, projects with their supports, and the
//! vote (who voted apart from the ballots). Writes that must happen once are conditional
//! updates, so any number of nodes and workers may race on them.

pub mod ballots;
pub mod editions;
pub mod milestones;
pub mod projects;
