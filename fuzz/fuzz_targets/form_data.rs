//! A step page's form post (`web/pages/form_data.rs`), as `web/pages/step.rs` reads it: the
//! first line names a shipped service and one of its steps (`in-1 objects` when it names
//! none), the rest is the `application/x-www-form-urlencoded` body. The pairs are merged
//! into the draft's data, which is then validated. Nothing may panic.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use okienko::domain::lang::Lang;
use okienko::forms::{Catalogue, engine};
use okienko::web::pages::form_data::merge_step;
use serde_json::{Map, Value};

static CATALOGUE: LazyLock<Option<Catalogue>> = LazyLock::new(|| Catalogue::shipped().ok());

fuzz_target!(|data: &[u8]| {
    let Some(cat) = CATALOGUE.as_ref() else {
        return;
    };
    let split = data.iter().position(|b| *b == b'\n');
    let named = split
        .and_then(|i| std::str::from_utf8(&data[..i]).ok())
        .and_then(|line| line.split_once(' '))
        .and_then(|(id, step)| cat.get(id.trim()).map(|svc| (svc, step.trim().to_owned())));
    let (svc, step, body) = match (named, split) {
        (Some((svc, step)), Some(i)) => (svc, step, &data[i + 1..]),
        _ => match cat.get("in-1") {
            Some(svc) => (svc, "objects".to_owned(), data),
            None => return,
        },
    };
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(body).into_owned().collect();
    let mut answers = Map::new();
    if merge_step(svc, &step, &pairs, &mut answers).is_err() {
        return;
    }
    let input = engine::Input {
        lang: Lang::Pl,
        today: time::macros::date!(2026 - 11 - 21),
        identity: None,
    };
    let _ = engine::validate(svc, &Value::Object(answers), &input);
});
