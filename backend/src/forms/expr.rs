//! Expressions in form definitions, written in CEL (https://cel.dev).
//!
//! Two uses, one syntax:
//! - **predicates** (`visible_if`, `required_if`, check rules) run on the `cel` interpreter;
//!   numbers reach them as doubles, which is fine for comparisons;
//! - **computed values** are parsed by the same CEL parser but evaluated here, in exact
//!   decimals, because money must never pass through a float.

use std::collections::BTreeSet;
use std::str::FromStr;
use std::sync::Arc;

use cel::common::ast::{Expr, LiteralValue, operators};
use rust_decimal::Decimal;
use serde_json::Value;
use time::Date;

use crate::domain::holidays::next_working_day;
use crate::domain::money::{round_to_full_zloty, round_to_grosz};

/// The names an expression reads: plain identifiers and `group.column` selections.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct References {
    pub names: BTreeSet<String>,
    pub columns: BTreeSet<(String, String)>,
}

fn collect(e: &cel::IdedExpr, out: &mut References) {
    match &e.expr {
        Expr::Ident(name) => {
            out.names.insert(name.clone());
        }
        Expr::Select(s) => match &s.operand.expr {
            Expr::Ident(group) => {
                out.columns.insert((group.clone(), s.field.clone()));
            }
            _ => collect(&s.operand, out),
        },
        Expr::Call(c) => {
            if let Some(t) = &c.target {
                collect(t, out);
            }
            c.args.iter().for_each(|a| collect(a, out));
        }
        Expr::List(l) => l.elements.iter().for_each(|a| collect(a, out)),
        Expr::Comprehension(c) => {
            let mut inner = References::default();
            collect(&c.iter_range, out);
            collect(&c.loop_step, &mut inner);
            collect(&c.result, &mut inner);
            collect(&c.loop_cond, &mut inner);
            inner.names.remove(&c.iter_var);
            inner.names.remove(&c.accu_var);
            out.names.extend(inner.names);
            out.columns.extend(inner.columns);
        }
        _ => {}
    }
}

/// Parse errors and unknown names, as one line each, for `forms check`.
pub type CompileError = String;

/// A predicate compiled once when the catalogue loads.
pub struct Predicate {
    pub source: String,
    program: cel::Program,
    pub references: References,
}

impl std::fmt::Debug for Predicate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Predicate")
            .field("source", &self.source)
            .finish()
    }
}

/// The shared CEL environment: the standard library only.
pub fn environment() -> Arc<cel::Env> {
    Arc::new(cel::Env::stdlib())
}

impl Predicate {
    pub fn compile(env: &cel::Env, source: &str) -> Result<Self, CompileError> {
        let program = env
            .compile(source)
            .map_err(|e| format!("cannot parse `{source}`: {e}"))?;
        let mut references = References::default();
        collect(program.expression(), &mut references);
        Ok(Self {
            source: source.to_owned(),
            program,
            references,
        })
    }

    /// Evaluates to a boolean; anything else (a type error, a missing value) is `None`.
    pub fn eval(&self, ctx: &cel::Context) -> Result<bool, String> {
        match self.program.execute(ctx) {
            Ok(cel::Value::Bool(b)) => Ok(b),
            Ok(other) => Err(format!(
                "`{}` gave {other:?}, not true or false",
                self.source
            )),
            Err(e) => Err(format!("`{}`: {e}", self.source)),
        }
    }
}

/// Builds the root context of one evaluation: functions plus `today`.
pub fn root_context(env: &Arc<cel::Env>, today: Date) -> cel::Context<'static, 'static> {
    let mut ctx = cel::Context::with_env(env.clone());
    // Names are not overloads of the standard library, so these calls cannot fail.
    let _ = ctx.add_function("days_until", move |d: Arc<String>| -> i64 {
        parse_date(&d).map_or(i64::MIN, |d| (d - today).whole_days())
    });
    let _ = ctx.add_function("days_since", move |d: Arc<String>| -> i64 {
        parse_date(&d).map_or(i64::MIN, |d| (today - d).whole_days())
    });
    let _ = ctx.add_function("plus_days", |d: Arc<String>, n: i64| -> String {
        plus_days(&d, n).map_or_else(|| d.to_string(), |x| x.to_string())
    });
    let _ = ctx.add_function("working_day", |d: Arc<String>| -> String {
        parse_date(&d).map_or_else(|| d.to_string(), |d| tax_working_day(d).to_string())
    });
    ctx.add_variable_from_value("today", today.to_string());
    ctx.add_variable_from_value("year_now", i64::from(today.year()));
    ctx
}

/// `date` plus `n` days (`n` may be negative), `YYYY-MM-DD`; `None` for a bad date.
fn plus_days(date: &str, n: i64) -> Option<Date> {
    // `Duration::days` panics past ±106 751 991 167 300 days; a field's value may be anything
    parse_date(date)?.checked_add(time::Duration::seconds(n.checked_mul(86_400)?))
}

/// The day a tax term ending on `date` really ends (Ordynacja podatkowa art. 12 § 5): a
/// Saturday or a statutory day off moves it to the next working day. Saturday always
/// counts here, whatever the KPA setting (`cases.saturday_counts`) says.
pub fn tax_working_day(date: Date) -> Date {
    next_working_day(date, true)
}

pub fn parse_date(s: &str) -> Option<Date> {
    Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

/// Turns a normalised field value into the value a predicate sees.
pub fn to_cel(v: &Value, decimal: bool) -> cel::Value {
    match v {
        Value::Null => cel::Value::Null,
        Value::Bool(b) => cel::Value::Bool(*b),
        Value::Number(n) => n
            .as_i64()
            .map(cel::Value::Int)
            .unwrap_or_else(|| cel::Value::Float(n.as_f64().unwrap_or(0.0))),
        Value::String(s) if decimal => s
            .parse::<f64>()
            .map(cel::Value::Float)
            .unwrap_or(cel::Value::Null),
        Value::String(s) => cel::Value::String(Arc::new(s.clone())),
        Value::Array(a) => cel::Value::List(Arc::new(a.iter().map(|x| to_cel(x, false)).collect())),
        Value::Object(o) => {
            let map: std::collections::HashMap<String, cel::Value> = o
                .iter()
                .map(|(k, x)| (k.clone(), to_cel(x, false)))
                .collect();
            cel::Value::Map(map.into())
        }
    }
}

/// A value during decimal evaluation.
#[derive(Debug, Clone, PartialEq)]
pub enum Num {
    Dec(Decimal),
    Str(String),
    Bool(bool),
    List(Vec<Num>),
    Null,
}

/// What a computed expression can read.
pub trait Scope {
    /// A field value (row fields first, then the whole form).
    fn value(&self, name: &str) -> Num;
    /// The values of one column of a repeating group.
    fn column(&self, group: &str, field: &str) -> Num;
    /// `table[key]`: a rate from a data table.
    fn lookup(&self, table: &str, key: &str) -> Num;
    fn is_table(&self, name: &str) -> bool;
}

/// A computed value: CEL syntax, evaluated in exact decimals.
#[derive(Debug, Clone)]
pub struct Computation {
    pub source: String,
    expr: cel::IdedExpr,
    pub references: References,
}

const FUNCTIONS: [&str; 6] = ["sum", "round_zl", "round_gr", "min", "max", "count"];

impl Computation {
    pub fn compile(env: &cel::Env, source: &str) -> Result<Self, CompileError> {
        let program = env
            .compile(source)
            .map_err(|e| format!("cannot parse `{source}`: {e}"))?;
        let expr = program.expression().clone();
        check_supported(&expr)?;
        let mut references = References::default();
        collect(&expr, &mut references);
        Ok(Self {
            source: source.to_owned(),
            expr,
            references,
        })
    }

    pub fn eval(&self, scope: &dyn Scope) -> Num {
        eval(&self.expr, scope)
    }
}

fn check_supported(e: &cel::IdedExpr) -> Result<(), CompileError> {
    match &e.expr {
        Expr::Ident(_) | Expr::Literal(_) => Ok(()),
        Expr::Select(s) => check_supported(&s.operand),
        Expr::Call(c) => {
            let known = c.func_name.starts_with('_')
                || c.func_name == operators::NEGATE
                || c.func_name == operators::LOGICAL_NOT
                || FUNCTIONS.contains(&c.func_name.as_str());
            if !known || c.target.is_some() {
                return Err(format!(
                    "computed values may use + - * / comparisons ?: table[key] and {}; not `{}`",
                    FUNCTIONS.join(", "),
                    c.func_name
                ));
            }
            c.args.iter().try_for_each(check_supported)
        }
        _ => Err("computed values may not use lists, maps or macros".into()),
    }
}

fn literal(l: &LiteralValue) -> Num {
    match l {
        LiteralValue::Int(i) => Num::Dec(Decimal::from(*i.inner())),
        LiteralValue::UInt(u) => Num::Dec(Decimal::from(*u.inner())),
        // The literal as written (shortest round-trip form), so `1.45` is exactly 1.45.
        LiteralValue::Double(d) => Decimal::from_str(&d.inner().to_string())
            .map(Num::Dec)
            .unwrap_or(Num::Null),
        LiteralValue::String(s) => Num::Str(s.inner().to_owned()),
        LiteralValue::Boolean(b) => Num::Bool(*b.inner()),
        _ => Num::Null,
    }
}

fn dec(n: &Num) -> Option<Decimal> {
    match n {
        Num::Dec(d) => Some(*d),
        _ => None,
    }
}

fn eval(e: &cel::IdedExpr, scope: &dyn Scope) -> Num {
    match &e.expr {
        Expr::Literal(l) => literal(l),
        Expr::Ident(name) => scope.value(name),
        Expr::Select(s) => match &s.operand.expr {
            Expr::Ident(group) => scope.column(group, &s.field),
            _ => Num::Null,
        },
        Expr::Call(c) => call(&c.func_name, &c.args, scope),
        _ => Num::Null,
    }
}

fn arith(a: Num, b: Num, f: impl Fn(Decimal, Decimal) -> Option<Decimal>) -> Num {
    match (dec(&a), dec(&b)) {
        (Some(x), Some(y)) => f(x, y).map(Num::Dec).unwrap_or(Num::Null),
        _ => Num::Null,
    }
}

fn compare(a: &Num, b: &Num) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Num::Dec(x), Num::Dec(y)) => Some(x.cmp(y)),
        (Num::Str(x), Num::Str(y)) => Some(x.cmp(y)),
        (Num::Bool(x), Num::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

fn call(name: &str, args: &[cel::IdedExpr], scope: &dyn Scope) -> Num {
    use std::cmp::Ordering::*;
    let arg = |i: usize| args.get(i).map_or(Num::Null, |a| eval(a, scope));
    let truthy = |n: Num| matches!(n, Num::Bool(true));
    match name {
        operators::ADD => arith(arg(0), arg(1), Decimal::checked_add),
        operators::SUBSTRACT => arith(arg(0), arg(1), Decimal::checked_sub),
        operators::MULTIPLY => arith(arg(0), arg(1), Decimal::checked_mul),
        operators::DIVIDE => arith(arg(0), arg(1), Decimal::checked_div),
        operators::NEGATE => dec(&arg(0)).map_or(Num::Null, |d| Num::Dec(-d)),
        operators::LOGICAL_NOT => match arg(0) {
            Num::Bool(b) => Num::Bool(!b),
            _ => Num::Null,
        },
        operators::LOGICAL_AND => Num::Bool(truthy(arg(0)) && truthy(arg(1))),
        operators::LOGICAL_OR => Num::Bool(truthy(arg(0)) || truthy(arg(1))),
        operators::CONDITIONAL => match arg(0) {
            Num::Bool(true) => arg(1),
            Num::Bool(false) => arg(2),
            _ => Num::Null,
        },
        operators::EQUALS => Num::Bool(arg(0) == arg(1)),
        operators::NOT_EQUALS => Num::Bool(arg(0) != arg(1)),
        operators::LESS
        | operators::LESS_EQUALS
        | operators::GREATER
        | operators::GREATER_EQUALS => match compare(&arg(0), &arg(1)) {
            Some(o) => Num::Bool(match name {
                operators::LESS => o == Less,
                operators::LESS_EQUALS => o != Greater,
                operators::GREATER => o == Greater,
                _ => o != Less,
            }),
            None => Num::Null,
        },
        operators::INDEX => match (args.first().map(|a| &a.expr), arg(1)) {
            (Some(Expr::Ident(table)), Num::Str(key)) if scope.is_table(table) => {
                scope.lookup(table, &key)
            }
            _ => Num::Null,
        },
        "sum" => match arg(0) {
            Num::List(items) => Num::Dec(items.iter().filter_map(dec).sum()),
            other => other,
        },
        "count" => match arg(0) {
            Num::List(items) => Num::Dec(Decimal::from(items.len())),
            Num::Null => Num::Dec(Decimal::ZERO),
            _ => Num::Dec(Decimal::ONE),
        },
        "round_zl" => dec(&arg(0)).map_or(Num::Null, |d| Num::Dec(round_to_full_zloty(d))),
        "round_gr" => dec(&arg(0)).map_or(Num::Null, |d| Num::Dec(round_to_grosz(d))),
        "min" => arith(arg(0), arg(1), |a, b| Some(a.min(b))),
        "max" => arith(arg(0), arg(1), |a, b| Some(a.max(b))),
        _ => Num::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    struct Vars(HashMap<&'static str, Num>);

    impl Scope for Vars {
        fn value(&self, name: &str) -> Num {
            self.0.get(name).cloned().unwrap_or(Num::Null)
        }
        fn column(&self, _: &str, field: &str) -> Num {
            self.value(field)
        }
        fn lookup(&self, _: &str, key: &str) -> Num {
            match key {
                "land_business" => Num::Dec(Decimal::new(145, 2)),
                _ => Num::Null,
            }
        }
        fn is_table(&self, name: &str) -> bool {
            name == "rates"
        }
    }

    fn run(src: &str, vars: Vars) -> Num {
        Computation::compile(&environment(), src)
            .unwrap()
            .eval(&vars)
    }

    fn d(s: &str) -> Num {
        Num::Dec(Decimal::from_str(s).unwrap())
    }

    #[test]
    fn tax_is_area_times_rate_rounded_to_zloty() {
        let vars = Vars(HashMap::from([
            ("base", d("1234.5678")),
            ("category", Num::Str("land_business".into())),
        ]));
        assert_eq!(run("round_zl(base * rates[category])", vars), d("1790"));
    }

    #[test]
    fn decimal_literals_are_exact() {
        assert_eq!(run("0.1 + 0.2", Vars(HashMap::new())), d("0.3"));
        assert_eq!(
            run(
                "base * 0.02",
                Vars(HashMap::from([("base", d("1000000.01"))]))
            ),
            d("20000.0002")
        );
    }

    #[test]
    fn missing_values_and_sums() {
        assert_eq!(run("base * 2", Vars(HashMap::new())), Num::Null);
        let rows = Num::List(vec![d("1.50"), Num::Null, d("2.25")]);
        assert_eq!(
            run(
                "sum(rows.tax)",
                Vars(HashMap::from([("tax", rows.clone())]))
            ),
            d("3.75")
        );
        assert_eq!(
            run("count(rows.tax)", Vars(HashMap::from([("tax", rows)]))),
            d("3")
        );
        assert_eq!(
            run("x > 1 ? 10 : 20", Vars(HashMap::from([("x", d("2"))]))),
            d("10")
        );
    }

    #[test]
    fn unsupported_constructs_are_refused_at_compile_time() {
        assert!(Computation::compile(&environment(), "[1,2]").is_err());
        assert!(Computation::compile(&environment(), "base.startsWith('a')").is_err());
        assert!(Computation::compile(&environment(), "base *").is_err());
    }

    #[test]
    fn references_are_collected() {
        let c = Computation::compile(&environment(), "round_zl(sum(zdn1.tax) + extra)").unwrap();
        assert!(c.references.names.contains("extra"));
        assert!(
            c.references
                .columns
                .contains(&("zdn1".into(), "tax".into()))
        );
    }

    #[test]
    fn predicates_see_variables_and_functions() {
        let env = environment();
        let today = time::macros::date!(2026 - 11 - 21);
        let mut ctx = root_context(&env, today);
        ctx.add_variable_from_value("kind", "correction");
        ctx.add_variable_from_value("area", 12.5);
        ctx.add_variable_from_value("when", "2026-11-28");
        let p = |s: &str| Predicate::compile(&env, s).unwrap().eval(&ctx);
        assert_eq!(p("kind == 'correction' && area > 10.0"), Ok(true));
        assert_eq!(p("days_until(when) == 7"), Ok(true));
        assert!(p("kind + 1").is_err());
    }

    /// Ordynacja podatkowa art. 12 § 5: a tax term ending on a Saturday or a holiday ends
    /// on the next working day. DN-1 for 2026 is due by 31 January 2026, a Saturday, so by
    /// Monday 2 February 2026; IN-1 for an event on Saturday 17 January 2026 is due 14 days
    /// later, also on Saturday 31 January, so again by Monday 2 February.
    #[test]
    fn art_12_5_tax_terms_move_off_saturdays_and_holidays() {
        let env = environment();
        let at = |today| {
            let mut ctx = root_context(&env, today);
            ctx.add_variable_from_value("year", 2026);
            ctx.add_variable_from_value("event_date", "2026-01-17");
            ctx
        };
        let p = |src: &str, today| Predicate::compile(&env, src).unwrap().eval(&at(today));
        let dn1 = "days_until(working_day(string(year) + '-01-31')) >= 0";
        assert_eq!(p(dn1, time::macros::date!(2026 - 02 - 02)), Ok(true));
        assert_eq!(p(dn1, time::macros::date!(2026 - 02 - 03)), Ok(false));
        let in1 = "days_until(working_day(plus_days(event_date, 14))) >= 0";
        assert_eq!(p(in1, time::macros::date!(2026 - 02 - 02)), Ok(true));
        assert_eq!(p(in1, time::macros::date!(2026 - 02 - 03)), Ok(false));
        let today = time::macros::date!(2026 - 01 - 01);
        // 6 January 2026 (Epiphany, a Tuesday) → Wednesday 7 January
        assert_eq!(
            p("working_day('2026-01-06') == '2026-01-07'", today),
            Ok(true)
        );
        // 24 December 2026 (Thursday, a day off from 2025), 25–26, 27 Sunday → Monday 28
        assert_eq!(
            p("working_day('2026-12-24') == '2026-12-28'", today),
            Ok(true)
        );
        // a working day stays; bad dates pass through unchanged
        assert_eq!(
            p("working_day('2026-02-02') == '2026-02-02'", today),
            Ok(true)
        );
        assert_eq!(p("working_day('nonsense') == 'nonsense'", today), Ok(true));
        assert_eq!(
            p("plus_days('2026-12-25', 7) == '2027-01-01'", today),
            Ok(true)
        );
        assert_eq!(
            p("plus_days('2026-03-01', -1) == '2026-02-28'", today),
            Ok(true)
        );
    }

    /// Found by reading for the `expr` fuzz target: a day count past what `time::Duration`
    /// holds panicked; a date that cannot be reached passes through unchanged, as a bad date
    /// does.
    #[test]
    fn plus_days_beyond_any_calendar_gives_the_date_back() {
        let env = environment();
        let ctx = root_context(&env, time::macros::date!(2026 - 01 - 01));
        let p = |s: &str| Predicate::compile(&env, s).unwrap().eval(&ctx);
        for n in [
            "9223372036854775807",
            "-9223372036854775807 - 1",
            "106751991167301",
            "3660000",
        ] {
            assert_eq!(
                p(&format!("plus_days('2026-01-01', {n}) == '2026-01-01'")),
                Ok(true),
                "{n}"
            );
        }
    }

    proptest! {
        #[test]
        fn decimal_evaluation_matches_rust_decimal(a in -1_000_000i64..1_000_000, b in 1i64..1_000_000, s in 0u32..4) {
            let (x, y) = (Decimal::new(a, s), Decimal::new(b, 2));
            let vars = Vars(HashMap::from([("x", Num::Dec(x)), ("y", Num::Dec(y))]));
            prop_assert_eq!(run("x * y + x - y", vars), Num::Dec(x * y + x - y));
        }

        #[test]
        fn comparisons_agree_with_cel(a in -1000i64..1000, b in -1000i64..1000) {
            let env = environment();
            let mut ctx = root_context(&env, time::macros::date!(2026 - 01 - 01));
            ctx.add_variable_from_value("a", a);
            ctx.add_variable_from_value("b", b);
            let cel = Predicate::compile(&env, "a < b").unwrap().eval(&ctx).unwrap();
            let vars = Vars(HashMap::from([("a", Num::Dec(Decimal::from(a))), ("b", Num::Dec(Decimal::from(b)))]));
            prop_assert_eq!(run("a < b", vars), Num::Bool(cel));
        }
    }
}
