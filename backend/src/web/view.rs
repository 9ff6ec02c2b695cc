//! A service definition resolved for one language: what the API returns and pages render.

use serde_json::{Value, json};

use crate::domain::lang::Lang;
use crate::forms::Service;
use crate::forms::definition::Field;

pub fn summary(svc: &Service, lang: Lang) -> Value {
    json!({
        "id": svc.def.id,
        "version": svc.def.version,
        "title": svc.def.title.get(lang),
        "description": svc.def.description.get(lang),
        "category": svc.def.category,
        "identity_level": svc.def.identity_level,
        "applicant": svc.def.applicant,
        "processing_term": svc.def.processing_term,
        "estimated_minutes": svc.def.estimated_minutes,
        "term_text": term_text(&svc.def.processing_term, lang),
        // the terms the data may set instead (`terms`: the first rule that holds)
        "terms": svc.def.terms.iter().map(|t| json!({
            "term": t.term,
            "term_text": term_text(&t.term, lang),
            "legal_basis": t.legal_basis.get(lang),
        })).collect::<Vec<_>>(),
        "fee": svc.def.fee.as_ref().map(|f| json!({
            "amount": f.amount.to_string(),
            "kind": f.kind.as_str(),
            "text": amount(f.amount, lang),
        })),
    })
}

/// A processing term as a resident reads it: `P14D` is "14 dni", `P1M` "1 miesiąc", an
/// empty term "od razu"; anything else as written.
pub fn term_text(term: &str, lang: Lang) -> String {
    let pl = lang == Lang::Pl;
    if term.is_empty() {
        return if pl { "od razu" } else { "at once" }.into();
    }
    let Some((n, unit)) = crate::forms::catalogue::parse_term(term).or_else(|| {
        term.strip_prefix('P')?
            .strip_suffix('W')?
            .parse()
            .ok()
            .map(|w: u32| (w * 7, 'D'))
    }) else {
        return term.to_owned();
    };
    let few = (2..=4).contains(&(n % 10)) && !(12..=14).contains(&(n % 100));
    let word = match (unit, pl) {
        ('D', true) if n == 1 => "dzień",
        ('D', true) => "dni",
        ('M', true) if n == 1 => "miesiąc",
        ('M', true) if few => "miesiące",
        ('M', true) => "miesięcy",
        ('D', false) if n == 1 => "day",
        ('D', false) => "days",
        (_, false) if n == 1 => "month",
        _ => "months",
    };
    format!("{n} {word}")
}

/// A sum in złoty as a resident reads it: `17,00 zł`, `PLN 17.00`.
pub fn amount(x: rust_decimal::Decimal, lang: Lang) -> String {
    let x = format!("{x:.2}");
    match lang {
        Lang::Pl => format!("{} zł", x.replace('.', ",")),
        _ => format!("PLN {x}"),
    }
}

/// The fee in full: its amount, kind, basis, when nothing is due, and the table's exemptions.
fn fee(svc: &Service, lang: Lang) -> Value {
    let Some(f) = &svc.def.fee else {
        return Value::Null;
    };
    let exemptions: Vec<Value> = (svc.fee_table.iter())
        .flat_map(|t| &t.exemptions)
        .map(|e| json!({ "key": e.key, "label": e.label.get(lang), "basis": e.basis }))
        .collect();
    let position = (f.position.as_ref())
        .and_then(|k| svc.fee_table.as_ref()?.row(k))
        .map(|r| json!({ "key": r.key, "label": r.label.get(lang), "basis": r.basis }));
    json!({
        "amount": f.amount.to_string(),
        "text": amount(f.amount, lang),
        "kind": f.kind.as_str(),
        "legal_basis": f.legal_basis.get(lang),
        "position": position,
        "exempt_if": f.exempt_if,
        "exemptions": exemptions,
    })
}

pub fn full(svc: &Service, lang: Lang) -> Value {
    let mut v = summary(svc, lang);
    v["definition_hash"] = svc.hash.clone().into();
    v["legal_basis"] = svc.def.legal_basis.get(lang).into();
    v["fee"] = fee(svc, lang);
    v["routing"] = json!({ "unit": svc.def.routing.unit, "jrwa": svc.def.routing.jrwa });
    v["requirements"] = svc
        .def
        .requirements
        .iter()
        .map(|t| Value::from(t.get(lang)))
        .collect();
    v["steps"] = svc
        .def
        .steps
        .iter()
        .map(|s| {
            json!({
                "id": s.id,
                "title": s.title.get(lang),
                "visible_if": s.visible_if,
                "fields": s.fields.iter().map(|f| field(svc, f, lang)).collect::<Vec<_>>(),
            })
        })
        .collect();
    v["checks"] = svc
        .def
        .checks
        .iter()
        .map(|c| json!({ "id": c.id, "rule": c.rule, "when": c.when, "path": c.path, "severity": c.severity, "message": c.message.get(lang) }))
        .collect();
    v
}

pub fn options(svc: &Service, f: &Field, lang: Lang) -> Vec<Value> {
    match &f.options_from {
        Some(alias) => svc
            .table(alias)
            .map(|t| t.rows.iter().map(|r| json!({ "value": r.key, "label": r.label.get(lang), "rate": r.rate.to_string(), "unit": r.unit })).collect())
            .unwrap_or_default(),
        None => f.options.iter().map(|o| json!({ "value": o.value, "label": o.label.get(lang) })).collect(),
    }
}

pub fn field(svc: &Service, f: &Field, lang: Lang) -> Value {
    let mut v = json!({
        "id": f.id,
        "type": f.kind,
        "label": f.label.get(lang),
        "hint": f.hint.as_ref().map(|h| h.get(lang)),
        "required": f.required,
    });
    let set = |v: &mut Value, k: &str, x: Value| {
        if !x.is_null() {
            v[k] = x;
        }
    };
    set(&mut v, "text", f.text.as_ref().map(|t| t.get(lang)).into());
    set(&mut v, "form_box", f.form_box.clone().into());
    set(&mut v, "required_if", f.required_if.clone().into());
    set(&mut v, "visible_if", f.visible_if.clone().into());
    set(&mut v, "computed", f.computed.clone().into());
    set(
        &mut v,
        "prefill",
        f.prefill
            .map(|p| serde_json::to_value(p).unwrap_or_default())
            .unwrap_or_default(),
    );
    set(&mut v, "min", f.min.clone().unwrap_or_default());
    set(&mut v, "max", f.max.clone().unwrap_or_default());
    set(&mut v, "min_length", f.min_length.into());
    set(&mut v, "max_length", f.max_length.into());
    set(&mut v, "pattern", f.pattern.clone().into());
    if f.kind.is_decimal() {
        v["scale"] = f.decimal_scale().into();
    }
    set(
        &mut v,
        "unit",
        f.unit
            .map(|u| serde_json::to_value(u).unwrap_or_default())
            .unwrap_or_default(),
    );
    if !f.options.is_empty() || f.options_from.is_some() {
        v["options"] = options(svc, f, lang).into();
    }
    set(
        &mut v,
        "widget",
        f.widget
            .map(|w| serde_json::to_value(w).unwrap_or_default())
            .unwrap_or_default(),
    );
    if !f.accept.is_empty() {
        v["accept"] = f.accept.clone().into();
        v["max_size_mb"] = f.max_size_mb.unwrap_or(10).into();
        v["max_files"] = f.max_files.unwrap_or(1).into();
    }
    set(&mut v, "min_rows", f.min_rows.into());
    set(&mut v, "max_rows", f.max_rows.into());
    if !f.fields.is_empty() {
        v["fields"] = f.fields.iter().map(|rf| field(svc, rf, lang)).collect();
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_and_amounts_read_as_words() {
        assert_eq!(term_text("P14D", Lang::Pl), "14 dni");
        assert_eq!(term_text("P1M", Lang::Pl), "1 miesiąc");
        assert_eq!(term_text("P3M", Lang::Pl), "3 miesiące");
        assert_eq!(term_text("P2W", Lang::En), "14 days");
        assert_eq!(term_text("", Lang::Pl), "od razu");
        assert_eq!(
            amount(rust_decimal::Decimal::new(17, 0), Lang::Pl),
            "17,00 zł"
        );
        assert_eq!(
            amount(rust_decimal::Decimal::new(1750, 2), Lang::En),
            "PLN 17.50"
        );
    }
}
