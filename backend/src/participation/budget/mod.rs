//! The participatory budget (budżet obywatelski, u.s.g. art. 5a; PARTICIPATION.md §3):
//! editions, pools, projects, evaluation with appeals, ballots, and the tally.

pub mod pabulib;
pub mod tally;
