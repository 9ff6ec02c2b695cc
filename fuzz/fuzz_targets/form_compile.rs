//! A service definition (YAML) through the catalogue's compiler, and the same text as a
//! consultation's questionnaire (`forms/catalogue.rs` `compile_one`, `forms/questionnaire.rs`).
//! A definition that compiles is then asked for its JSON Schema and validates an empty
//! answer, so its compiled conditions run once. Nothing may panic.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use okienko::domain::lang::Lang;
use okienko::forms::Catalogue;
use okienko::forms::catalogue::Service;
use okienko::forms::definition::Definition;
use okienko::forms::{engine, questionnaire};

static CATALOGUE: LazyLock<Option<Catalogue>> = LazyLock::new(|| Catalogue::shipped().ok());

fn exercise(svc: &Service) {
    let input = engine::Input {
        lang: Lang::Pl,
        today: time::macros::date!(2026 - 11 - 21),
        identity: None,
    };
    let _ = engine::validate(svc, &serde_json::json!({}), &input);
    let _ = okienko::forms::schema::schema(svc, Lang::En, "https://okienko.example");
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(cat) = CATALOGUE.as_ref() else {
        return;
    };
    if let Ok(def) = serde_yaml::from_str::<Definition>(text)
        && let Ok(svc) = cat.compile_one("fuzz.yaml", text, def)
    {
        exercise(&svc);
    }
    if let Ok(svc) = questionnaire::compile(cat, "1", "Konsultacja", "questionnaire.yaml", text) {
        exercise(&svc);
    }
});
