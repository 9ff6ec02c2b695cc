//! The project form: a form of the form engine (PARTICIPATION.md §3), compiled by the
//! catalogue's compiler like a consultation's questionnaire, with the edition's pools as
//! the choice of where the project belongs. Its validated data is the project.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Value, json};

use super::{Loaded, refused, today};
use crate::domain::budget::{Edition, Refusal, zloty};
use crate::domain::identity::Identity;
use crate::domain::lang::Lang;
use crate::error::{AppError, AppResult};
use crate::forms::{Catalogue, Input, Service};
use crate::state::AppState;

/// A project as the form gives it.
pub struct Proposal {
    pub pool_code: String,
    pub title: String,
    /// The form's validated data, as stored.
    pub data: String,
    /// In grosze.
    pub cost: i64,
}

/// The form's definition (`steps`), in the questionnaire format; JSON is YAML.
pub fn definition(edition: &Edition) -> String {
    let pools: Vec<Value> = edition
        .pools
        .iter()
        .map(|p| json!({ "value": p.code, "label": { "pl": format!("{} (do {})", p.name, zloty(p.amount)) } }))
        .collect();
    let text = |id: &str, kind: &str, pl: &str, en: &str, max: usize| json!({ "id": id, "type": kind, "label": { "pl": pl, "en": en }, "required": true, "max_length": max });
    json!({
        "steps": [{
            "id": "projekt",
            "title": { "pl": "Projekt", "en": "Project" },
            "fields": [
                text("tytul", "text", "Tytuł projektu", "Title", 300),
                { "id": "pula", "type": "choice", "widget": "select", "required": true,
                  "label": { "pl": "Pula (obszar)", "en": "Pool (area)" }, "options": pools },
                text("miejsce", "text", "Miejsce realizacji", "Place", 500),
                text("opis", "textarea", "Opis projektu", "Description", 10_000),
                { "id": "koszt", "type": "money", "required": true, "min": 1,
                  "label": { "pl": "Szacunkowy koszt (zł)", "en": "Estimated cost (PLN)" } },
                text("beneficjenci", "textarea", "Kto skorzysta z projektu", "Who benefits", 2_000),
            ]
        }]
    })
    .to_string()
}

/// The edition's project form, compiled.
pub fn compile(catalogue: &Catalogue, id: &str, edition: &Edition) -> AppResult<Service> {
    crate::forms::questionnaire::compile(
        catalogue,
        id,
        &edition.title,
        "project.yaml",
        &definition(edition),
    )
    .map_err(|p| {
        let problems: Vec<String> = p.iter().map(ToString::to_string).collect();
        AppError::Internal(anyhow::anyhow!(
            "the project form of edition {id} does not compile: {problems:?}"
        ))
    })
}

/// Validates `data` with the form, and the cost against the chosen pool's amount.
pub fn parse(
    app: &AppState,
    l: &Loaded,
    who: &Identity,
    data: &Value,
    lang: Lang,
) -> AppResult<Proposal> {
    let svc = compile(&app.catalogue, &l.row.id, &l.edition)?;
    let out = crate::forms::validate(
        &svc,
        data,
        &Input {
            lang,
            today: today(),
            identity: Some(who),
        },
    );
    if !out.valid {
        return Err(AppError::Validation(Box::new(out)));
    }
    let field = |k: &str| out.data.get(k).and_then(Value::as_str).unwrap_or_default();
    let pool_code = field("pula").to_owned();
    let cost = field("koszt")
        .parse::<Decimal>()
        .ok()
        .and_then(|d| (d * Decimal::from(100)).to_i64())
        .unwrap_or(0);
    let Some(pool) = l.edition.pool(&pool_code) else {
        return Err(AppError::Internal(anyhow::anyhow!(
            "the form let through pool `{pool_code}`"
        )));
    };
    if u64::try_from(cost).is_ok_and(|c| c > pool.amount) {
        return Err(refused(vec![Refusal {
            path: "koszt".into(),
            code: "project.over_pool",
            message: format!(
                "projekt kosztuje więcej niż cała pula {} ({}): nie mógłby zostać sfinansowany (wymogi formalne z uchwały)",
                pool.code,
                zloty(pool.amount)
            ),
        }]));
    }
    Ok(Proposal {
        pool_code,
        title: field("tytul").trim().to_owned(),
        data: Value::Object(out.data).to_string(),
        cost,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_project_form_compiles_and_validates_a_project() {
        let edition: Edition = serde_json::from_value(json!({
            "title": "BO 2027",
            "legal_basis": { "resolution": "XV/201/2026", "adopted_on": "2026-09-24", "link": "https://bip.example.pl/u" },
            "pools": [{ "code": "GMINA", "name": "Gmina", "amount": 100_000_000, "ballot": { "kind": "knapsack" } }],
            "windows": { "intake_opens": "2027-01-11", "intake_closes": "2027-02-28", "evaluation_closes": "2027-04-30",
                         "appeals_closes": "2027-05-14", "voting_opens": "2027-06-01", "voting_closes": "2027-06-14", "results_on": "2027-06-21" },
            "rule": { "rule": "greedy" }
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        let catalogue = Catalogue::shipped().unwrap_or_default();
        let svc = compile(&catalogue, "e1", &edition).unwrap_or_else(|e| panic!("{e:?}"));
        let input = Input {
            lang: Lang::Pl,
            today: time::macros::date!(2027 - 01 - 20),
            identity: None,
        };
        let ok = crate::forms::validate(
            &svc,
            &json!({ "tytul": "Park", "pula": "GMINA", "miejsce": "ul. Lipowa", "opis": "Drzewa.",
                     "koszt": "1 200,50", "beneficjenci": "Mieszkańcy" }),
            &input,
        );
        assert!(ok.valid, "{:?}", ok.errors);
        assert_eq!(ok.data["koszt"], "1200.50");
        let bad =
            crate::forms::validate(&svc, &json!({ "tytul": "Park", "pula": "NIE-MA" }), &input);
        let paths: Vec<&str> = bad.errors.iter().map(|e| e.path.as_str()).collect();
        assert!(
            paths.contains(&"pula") && paths.contains(&"koszt"),
            "{paths:?}"
        );
    }
}
