//! A real form validating arbitrary answers (`forms/engine.rs`), as `/api/services/{id}/validate`
//! does it: the first line names a shipped service (`in-1` when it names none), the rest is
//! the request body `{"data": {...}}`. Validated anonymously and as a signed-in resident, in
//! both languages. Nothing may panic.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use okienko::domain::identity::Identity;
use okienko::domain::lang::Lang;
use okienko::domain::level::IdentityLevel;
use okienko::forms::{Catalogue, engine};
use serde_json::{Map, Value};

static CATALOGUE: LazyLock<Option<Catalogue>> = LazyLock::new(|| Catalogue::shipped().ok());

fn resident() -> Identity {
    Identity {
        subject: "fuzz".into(),
        provider: "national".into(),
        pesel: Some("44051401359".into()),
        given_name: Some("Jan".into()),
        family_name: Some("Kowalski".into()),
        birth_date: Some("1944-05-14".into()),
        email: Some("jan@example.invalid".into()),
        level: IdentityLevel::Substantial,
        roles: Vec::new(),
        unit: None,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(cat) = CATALOGUE.as_ref() else {
        return;
    };
    let (first, rest) = text.split_once('\n').unwrap_or(("", text));
    let (svc, body) = match cat.get(first.trim()) {
        Some(svc) => (svc, rest),
        None => match cat.get("in-1") {
            Some(svc) => (svc, text),
            None => return,
        },
    };
    let Ok(body) = serde_json::from_str::<Map<String, Value>>(body) else {
        return;
    };
    let Ok(answers) = okienko::filing::data_of(body) else {
        return;
    };
    let who = resident();
    for (lang, identity) in [(Lang::Pl, None), (Lang::En, Some(&who))] {
        let input = engine::Input {
            lang,
            today: time::macros::date!(2026 - 11 - 21),
            identity,
        };
        let out = engine::validate(svc, &answers, &input);
        let _ = serde_json::to_string(&out);
    }
});
