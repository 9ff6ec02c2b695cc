//! The CEL expression language of form definitions (`forms/expr.rs`): the first line is an
//! expression, compiled as a predicate and as a computed value; the rest, when it is a JSON
//! object, gives the variables both are evaluated over. Nothing may panic.
#![no_main]

use std::str::FromStr;

use libfuzzer_sys::fuzz_target;
use okienko::forms::expr::{self, Computation, Num, Predicate, Scope};
use rust_decimal::Decimal;
use serde_json::{Map, Value};

/// The variables of the input as a computed value sees them: numbers and decimal strings
/// as decimals, `group.column` from an array of objects, `rates[key]` from a fixed table.
struct Vars<'a>(&'a Map<String, Value>);

fn num(v: Option<&Value>) -> Num {
    match v {
        None | Some(Value::Null) => Num::Null,
        Some(Value::Bool(b)) => Num::Bool(*b),
        Some(Value::Number(n)) => Decimal::from_str(&n.to_string()).map_or(Num::Null, Num::Dec),
        Some(Value::String(s)) => {
            Decimal::from_str(s).map_or_else(|_| Num::Str(s.clone()), Num::Dec)
        }
        Some(Value::Array(a)) => Num::List(a.iter().map(|x| num(Some(x))).collect()),
        Some(Value::Object(_)) => Num::Null,
    }
}

impl Scope for Vars<'_> {
    fn value(&self, name: &str) -> Num {
        num(self.0.get(name))
    }
    fn column(&self, group: &str, field: &str) -> Num {
        let rows = self.0.get(group).and_then(Value::as_array);
        Num::List(
            rows.map(|r| r.iter().map(|row| num(row.get(field))).collect())
                .unwrap_or_default(),
        )
    }
    fn lookup(&self, _: &str, key: &str) -> Num {
        match key {
            "land_business" => Num::Dec(Decimal::new(145, 2)),
            "building_residential" => Num::Dec(Decimal::new(115, 2)),
            _ => Num::Null,
        }
    }
    fn is_table(&self, name: &str) -> bool {
        name == "rates"
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (source, rest) = text.split_once('\n').unwrap_or((text, ""));
    let vars = match serde_json::from_str::<Value>(rest) {
        Ok(Value::Object(o)) => o,
        _ => Map::new(),
    };
    let env = expr::environment();
    if let Ok(p) = Predicate::compile(&env, source) {
        let today = time::macros::date!(2026 - 11 - 21);
        for decimal in [false, true] {
            let mut ctx = expr::root_context(&env, today);
            for (k, v) in &vars {
                ctx.add_variable_from_value(k.as_str(), expr::to_cel(v, decimal));
            }
            let _ = p.eval(&ctx);
        }
    }
    if let Ok(c) = Computation::compile(&env, source) {
        let _ = c.eval(&Vars(&vars));
    }
});
