//! The catalogue page a resident sees first: services by life situation and by office
//! unit, national services marked as links out, and a search that ignores case and Polish
//! diacritics; each service with its term, fee and what to prepare.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{render, ui};
use crate::domain::lang::Lang;
use crate::domain::search::{self, fold};
use crate::forms::national::NationalService;
use crate::forms::{Catalogue, Service};
use crate::state::AppState;
use crate::web::extract::Language;
use crate::web::view;

#[derive(Debug, Deserialize)]
pub struct Search {
    pub q: Option<String>,
}

pub async fn get(
    app: State<AppState>,
    Language(lang): Language,
    Query(s): Query<Search>,
) -> Response {
    let raw = s.q.unwrap_or_default();
    let q: String = raw.chars().take(search::MAX_QUERY_CHARS).collect();
    let query = search::Query::parse(&q);
    let c = &app.catalogue;
    let searched = !query.is_empty();
    let mut ctx =
        json!({ "ui": ui(lang), "q": q, "title": ui(lang)["portal"], "searched": searched });
    if !searched {
        ctx["situations"] = situations(c, lang).into();
        ctx["units"] = units(c, lang).into();
        ctx["national"] = c
            .national
            .services
            .iter()
            .map(|n| national(n, lang))
            .collect();
    } else {
        ctx["results"] = found(c, &query, lang).into();
    }
    render(&app, StatusCode::OK, "catalogue.html", &ctx)
}

/// A service of the gmina as the catalogue lists it.
fn entry(svc: &Service, lang: Lang) -> Value {
    let mut v = view::summary(svc, lang);
    v["href"] = format!("/uslugi/{}", svc.def.id).into();
    v["requirements"] = svc
        .def
        .requirements
        .iter()
        .map(|t| Value::from(t.get(lang)))
        .collect();
    v
}

/// A national service as the catalogue lists it: a page of ours that links out.
fn national(n: &NationalService, lang: Lang) -> Value {
    json!({
        "id": n.id,
        "title": n.title.get(lang),
        "description": n.description.get(lang),
        "href": format!("/uslugi-krajowe/{}", n.id),
        "national": true,
        "term": n.term.get(lang),
        "fee_text": n.fee.get(lang),
        "requirements": n.requirements.iter().map(|t| t.get(lang)).collect::<Vec<_>>(),
    })
}

/// A catalogue entry by id: the gmina's listed service or a national one.
fn by_id(c: &Catalogue, id: &str, lang: Lang) -> Option<Value> {
    c.get_listed(id)
        .map(|s| entry(s, lang))
        .or_else(|| c.national.get(id).map(|n| national(n, lang)))
}

fn situations(c: &Catalogue, lang: Lang) -> Vec<Value> {
    (c.situations.situations.iter())
        .map(|s| {
            let services: Vec<Value> = s
                .services
                .iter()
                .filter_map(|id| by_id(c, id, lang))
                .collect();
            json!({ "id": s.id, "title": s.title.get(lang), "services": services })
        })
        .collect()
}

/// The listed services grouped by the unit their cases go to, in `units.yaml`'s order.
fn units(c: &Catalogue, lang: Lang) -> Vec<Value> {
    (c.office.units.iter())
        .filter_map(|u| {
            let services: Vec<Value> = (c.listed())
                .filter(|s| s.def.routing.unit == u.symbol)
                .map(|s| entry(s, lang))
                .collect();
            (!services.is_empty()).then(
                || json!({ "symbol": u.symbol, "name": u.name.get(lang), "services": services }),
            )
        })
        .collect()
}

/// Every listed and national service whose title, description or id holds every word.
fn found(c: &Catalogue, q: &search::Query, lang: Lang) -> Vec<Value> {
    let hay = |parts: [&str; 4]| fold(&parts.join(" "));
    let own = (c.listed())
        .filter(|s| {
            let d = &s.def;
            q.matches(&hay([
                d.title.pl.as_str(),
                d.title.get(lang),
                d.description.get(lang),
                d.id.as_str(),
            ]))
        })
        .map(|s| entry(s, lang));
    let out = (c.national.services.iter())
        .filter(|n| {
            q.matches(&hay([
                n.title.pl.as_str(),
                n.title.get(lang),
                n.description.get(lang),
                n.id.as_str(),
            ]))
        })
        .map(|n| national(n, lang));
    own.chain(out).collect()
}
