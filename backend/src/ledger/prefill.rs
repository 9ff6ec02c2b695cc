//! A logged-in taxpayer's tax form prefilled from the ledger (issue 20 §2): the fields a
//! definition marks `prefill: ledger` get what the ledger knows, once, when the draft is
//! first opened; the resident may change every value (the ledger is what the office
//! knows, the form what the taxpayer declares). docs/ledger.md lists the fields filled.

use serde_json::{Map, Value, json};

use super::TaxLedger;
use crate::domain::identity::Identity;
use crate::domain::ledger::{Assessment, TaxObject, Taxpayer, TaxpayerId};
use crate::error::AppResult;
use crate::forms::Service;
use crate::forms::definition::{Field, FieldType, Prefill};

/// What the ledger knows of one taxpayer, for a form.
pub struct Known {
    pub taxpayer: Taxpayer,
    pub objects: Vec<TaxObject>,
    pub last: Option<Assessment>,
}

/// The ledger's account of the person logged in (by their PESEL), if it has one.
pub async fn known(ledger: &dyn TaxLedger, who: &Identity) -> AppResult<Option<Known>> {
    let Some(id) = who
        .pesel
        .as_deref()
        .and_then(|p| TaxpayerId::parse("pesel", p).ok())
    else {
        return Ok(None);
    };
    let Some(taxpayer) = ledger.taxpayer(&id).await? else {
        return Ok(None);
    };
    let (objects, assessments) =
        tokio::try_join!(ledger.objects(&taxpayer), ledger.assessments(&taxpayer))?;
    Ok(Some(Known {
        taxpayer,
        objects,
        last: assessments.into_iter().next(),
    }))
}

/// Fills an empty draft of `svc` for `who`; `true` when something was filled.
pub async fn seed(
    ledger: &dyn TaxLedger,
    who: &Identity,
    svc: &Service,
    data: &mut Map<String, Value>,
) -> AppResult<bool> {
    if !data.is_empty() || !svc.fields().any(|f| f.prefill == Some(Prefill::Ledger)) {
        return Ok(false);
    }
    let Some(k) = known(ledger, who).await? else {
        return Ok(false);
    };
    fill(svc, &k, data);
    Ok(!data.is_empty())
}

/// Writes what `k` says into every `prefill: ledger` field of `svc`.
pub fn fill(svc: &Service, k: &Known, data: &mut Map<String, Value>) {
    for f in svc.fields().filter(|f| f.prefill == Some(Prefill::Ledger)) {
        if let Some(v) = value(svc, f, k) {
            data.insert(f.id.clone(), v);
        }
    }
}

fn value(svc: &Service, f: &Field, k: &Known) -> Option<Value> {
    if f.kind == FieldType::Group {
        return Some(Value::Array(rows(svc, f, &k.objects)));
    }
    let last = k.last.as_ref();
    let s = match f.id.as_str() {
        "name" => k.taxpayer.name.clone(),
        "nip" | "pesel" if k.taxpayer.id.kind() == f.id => k.taxpayer.id.value().to_owned(),
        "previous_reference" => last?.reference.clone(),
        "previous_year" => last?.year.to_string(),
        "previous_tax" => last?.amount.to_string(),
        _ => return None,
    };
    Some(Value::String(s))
}

/// The objects whose category the group's `category` field offers (the form's rates
/// table), one row each, at most the group's `max_rows`.
fn rows(svc: &Service, group: &Field, objects: &[TaxObject]) -> Vec<Value> {
    let offered = |category: &str| {
        group
            .fields
            .iter()
            .find(|f| f.id == "category")
            .is_some_and(|c| match &c.options_from {
                Some(t) => svc.table(t).is_some_and(|t| t.rate(category).is_some()),
                None => c.options.iter().any(|o| o.value == category),
            })
    };
    let has = |id: &str| group.fields.iter().any(|f| f.id == id);
    objects
        .iter()
        .filter(|o| offered(&o.category))
        .take(group.row_limit() as usize)
        .map(|o| {
            let mut row = json!({ "category": o.category, "base": o.base.normalize().to_string() });
            if has("location") {
                row["location"] = o.location.clone().into();
            }
            if let Some(lr) = o.land_register.as_ref().filter(|_| has("land_register")) {
                row["land_register"] = lr.clone().into();
            }
            row
        })
        .collect()
}
