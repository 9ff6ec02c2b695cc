//! The live state of sessions for the room's screen and every viewer: one `watch` channel
//! per session being watched on this node, holding the session's view as JSON, built once
//! per change and shared by every viewer (1,000 viewers cost one build, not 1,000).
//!
//! A change made on this node wakes the channel at once (`changed`). Changes made on other
//! nodes are seen by reading the session's change counter (`council_session.events`) once
//! an interval per node and per watched session, never per viewer; the view is rebuilt
//! only when the counter moved. The follower of a session stops when its last viewer goes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Notify, watch};

use crate::state::AppState;

struct Room {
    tx: watch::Sender<Arc<str>>,
    wake: Notify,
}

/// Every watched session on this node.
pub struct Hub {
    rooms: Mutex<HashMap<String, Arc<Room>>>,
    /// How often a watched session is read for changes made on other nodes.
    poll: Duration,
}

impl Hub {
    pub fn new(poll: Duration) -> Self {
        Self {
            rooms: Mutex::new(HashMap::new()),
            poll,
        }
    }

    /// The session's live view for one more viewer (empty until it is first built).
    pub fn watch(&self, app: &AppState, session_id: &str) -> watch::Receiver<Arc<str>> {
        let mut rooms = self
            .rooms
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(room) = rooms.get(session_id) {
            return room.tx.subscribe();
        }
        let (tx, rx) = watch::channel(Arc::<str>::from(""));
        let room = Arc::new(Room {
            tx,
            wake: Notify::new(),
        });
        rooms.insert(session_id.to_owned(), room.clone());
        tokio::spawn(follow(app.clone(), session_id.to_owned(), room));
        rx
    }

    /// The live view of a session already watched on this node: no database read for the
    /// second viewer on (a session is watched only once it was found).
    pub fn watch_existing(&self, session_id: &str) -> Option<watch::Receiver<Arc<str>>> {
        let rooms = self
            .rooms
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        rooms.get(session_id).map(|room| room.tx.subscribe())
    }

    /// Something changed in the session on this node: its viewers hear of it now.
    pub fn changed(&self, session_id: &str) {
        let rooms = self
            .rooms
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(room) = rooms.get(session_id) {
            room.wake.notify_one();
        }
    }

    /// Sessions watched on this node now.
    pub fn watched(&self) -> usize {
        self.rooms
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }

    /// Forgets `session_id` when nobody watches it any more; `true` when it did.
    fn leave_if_unwatched(&self, session_id: &str, room: &Arc<Room>) -> bool {
        let mut rooms = self
            .rooms
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if room.tx.receiver_count() == 0 {
            rooms.remove(session_id);
            true
        } else {
            false
        }
    }
}

/// Keeps one session's view fresh while anyone watches it.
async fn follow(app: AppState, id: String, room: Arc<Room>) {
    // what changed: the session's counter (every change but a vote cast) and the votes cast
    let mut seen: Option<(i32, u64)> = None;
    loop {
        if app.council_live.leave_if_unwatched(&id, &room) {
            return;
        }
        let read = async {
            let s = crate::db::council::session(&app.db, &id).await?;
            let cast = crate::db::council_votes::open_ballots(&app.db, &id).await?;
            Ok::<_, sea_orm::DbErr>(s.map(|s| (s, cast)))
        };
        match read.await {
            Ok(Some((s, cast))) if seen != Some((s.events, cast)) => {
                match super::view::session_view(&app.db, &app.settings.council, &s).await {
                    Ok(v) => {
                        seen = Some((s.events, cast));
                        let json = serde_json::to_string(&v).unwrap_or_default();
                        room.tx.send_replace(Arc::from(json));
                    }
                    Err(e) => {
                        tracing::warn!(council.session = %id, error = %e, "building the live view failed")
                    }
                }
            }
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(council.session = %id, error = %e, "reading the session failed")
            }
        }
        tokio::select! {
            // a burst (23 votes in a second) is one rebuild, not 23: changes that come
            // within 50 ms of the first are read together
            () = room.wake.notified() => tokio::time::sleep(Duration::from_millis(50)).await,
            () = tokio::time::sleep(app.council_live.poll) => {}
        }
    }
}
