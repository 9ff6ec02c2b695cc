//! A node's memory of consultation versions. A saved version never changes (saving makes a
//! new one), so its content and its questionnaire compiled by the form engine can be kept
//! by `(consultation, version)` for as long as the node runs, on any number of nodes:
//! answering then reads only the consultation's row, not its version's, and does not
//! compile the questionnaire again for every answer (issue 14 §7).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::counts::Kind;
use crate::domain::consultation::Consultation;
use crate::forms::Service;

/// Versions kept before the memory starts over (consultations open at once are few).
const KEPT: usize = 256;

/// A version's content as saved.
pub struct Content {
    pub body: Consultation,
    pub questionnaire: String,
}

/// A version's questionnaire compiled, with its questions' ids and kinds in order.
pub struct Compiled {
    pub service: Service,
    pub questions: Vec<(String, Kind)>,
}

#[derive(Default)]
pub struct Versions {
    content: Mutex<HashMap<(String, i32), Arc<Content>>>,
    compiled: Mutex<HashMap<(String, i32), Arc<Compiled>>>,
}

fn get<T>(map: &Mutex<HashMap<(String, i32), Arc<T>>>, id: &str, v: i32) -> Option<Arc<T>> {
    map.lock()
        .ok()
        .and_then(|m| m.get(&(id.to_owned(), v)).cloned())
}

fn keep<T>(map: &Mutex<HashMap<(String, i32), Arc<T>>>, id: &str, v: i32, value: Arc<T>) {
    if let Ok(mut m) = map.lock() {
        if m.len() >= KEPT {
            m.clear();
        }
        m.insert((id.to_owned(), v), value);
    }
}

impl Versions {
    pub fn content(&self, id: &str, v: i32) -> Option<Arc<Content>> {
        get(&self.content, id, v)
    }

    pub fn keep_content(&self, id: &str, v: i32, c: Arc<Content>) {
        keep(&self.content, id, v, c);
    }

    pub fn compiled(&self, id: &str, v: i32) -> Option<Arc<Compiled>> {
        get(&self.compiled, id, v)
    }

    pub fn keep_compiled(&self, id: &str, v: i32, c: Arc<Compiled>) {
        keep(&self.compiled, id, v, c);
    }
}
