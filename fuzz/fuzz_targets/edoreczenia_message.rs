//! The e-Doręczenia API's answers (`edoreczenia/model.rs`) as the client decodes them, and
//! the evidences among them through `edoreczenia/evidence.rs` as the polling job reads them
//! (code and event time, each classified, then summarised). The input is one response
//! body; every schema the client decodes is tried on it. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okienko::edoreczenia::evidence;
use okienko::edoreczenia::model::{
    Attachment, DraftCreated, ErrorInfo, Evidence, EvidenceWrapper, FileWrapper, Message,
    MessageInfo, MessagesWrapper,
};

fn evidences(found: &[Evidence]) {
    let items: Vec<_> = found.iter().filter_map(evidence::of).collect();
    let ready_at = items
        .iter()
        .find(|(c, _)| *c == evidence::Code::D1)
        .map(|(_, at)| *at);
    for (code, at) in &items {
        let _ = evidence::classify(*code, *at, ready_at);
        let _ = code.as_str();
    }
    if let Some(out) = evidence::summarise(&items) {
        let _ = out.state.as_str();
    }
    for e in found {
        if let Some(kind) = &e.kind {
            let _ = evidence::Code::parse(kind);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(w) = serde_json::from_slice::<EvidenceWrapper>(data) {
        evidences(&w.evidences);
    }
    if let Ok(e) = serde_json::from_slice::<Evidence>(data) {
        evidences(std::slice::from_ref(&e));
    }
    if let Ok(found) = serde_json::from_slice::<Vec<Evidence>>(data) {
        evidences(&found);
    }
    let _ = serde_json::from_slice::<MessagesWrapper>(data);
    let _ = serde_json::from_slice::<Vec<Message>>(data);
    let _ = serde_json::from_slice::<Vec<ErrorInfo>>(data);
    let _ = serde_json::from_slice::<FileWrapper>(data);
    let _ = serde_json::from_slice::<Attachment>(data);
    let _ = serde_json::from_slice::<MessageInfo>(data);
    let _ = serde_json::from_slice::<DraftCreated>(data);
});
