//! OpenAPI links for the main flows, so that a client generator (and schemathesis's stateful
//! phase, `scripts/schemathesis`) knows which answer feeds which operation: a new draft is
//! read, patched, replaced and deleted; a filing's receipt is fetched; a listed submission's
//! receipt and a listed case are opened.

use utoipa::Modify;
use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::path::Operation;
use utoipa::openapi::{OpenApi, RefOr};

pub struct Links;

/// One link: the answer it starts at, its name, the operation it leads to and the path
/// parameter it fills from the answer.
struct Link {
    from: &'static str,
    method: &'static str,
    status: &'static str,
    name: &'static str,
    to: &'static str,
    to_method: &'static str,
    param: &'static str,
    value: &'static str,
}

const fn link(
    from: (&'static str, &'static str, &'static str),
    name: &'static str,
    to: (&'static str, &'static str),
    param: &'static str,
    value: &'static str,
) -> Link {
    Link {
        from: from.0,
        method: from.1,
        status: from.2,
        name,
        to: to.0,
        to_method: to.1,
        param,
        value,
    }
}

const LINKS: &[Link] = &[
    link(
        ("/api/services/{id}/drafts", "post", "201"),
        "ReadDraft",
        ("/api/drafts/{id}", "get"),
        "id",
        "$response.body#/id",
    ),
    link(
        ("/api/services/{id}/drafts", "post", "201"),
        "ReplaceDraft",
        ("/api/drafts/{id}", "put"),
        "id",
        "$response.body#/id",
    ),
    link(
        ("/api/services/{id}/drafts", "post", "201"),
        "MergeDraft",
        ("/api/drafts/{id}", "patch"),
        "id",
        "$response.body#/id",
    ),
    link(
        ("/api/services/{id}/drafts", "post", "201"),
        "DeleteDraft",
        ("/api/drafts/{id}", "delete"),
        "id",
        "$response.body#/id",
    ),
    link(
        ("/api/services/{id}/submissions", "post", "201"),
        "Receipt",
        ("/api/receipts/{id}", "get"),
        "id",
        "$response.body#/receipt/id",
    ),
    link(
        ("/api/services/{id}/submissions", "post", "200"),
        "Receipt",
        ("/api/receipts/{id}", "get"),
        "id",
        "$response.body#/receipt/id",
    ),
    link(
        ("/api/submissions", "get", "200"),
        "Receipt",
        ("/api/receipts/{id}", "get"),
        "id",
        "$response.body#/items/0/receipt_id",
    ),
    link(
        ("/api/cases", "get", "200"),
        "Case",
        ("/api/cases/{sign}", "get"),
        "sign",
        "$response.body#/items/0/sign",
    ),
    link(
        ("/api/cases", "get", "200"),
        "CaseHistory",
        ("/api/cases/{sign}/history", "get"),
        "sign",
        "$response.body#/items/0/sign",
    ),
    link(
        ("/api/consultations", "get", "200"),
        "Consultation",
        ("/api/consultations/{id}", "get"),
        "id",
        "$response.body#/items/0/id",
    ),
    link(
        ("/api/petitions", "get", "200"),
        "Petition",
        ("/api/petitions/{sign}", "get"),
        "sign",
        "$response.body#/items/0/sign",
    ),
];

/// `#/paths/~1api~1drafts~1{id}/get`: a JSON pointer to an operation of this document.
fn operation_ref(path: &str, method: &str) -> String {
    format!(
        "#/paths/{}/{method}",
        path.replace('~', "~0").replace('/', "~1")
    )
}

fn operation<'a>(doc: &'a mut OpenApi, path: &str, method: &str) -> Option<&'a mut Operation> {
    let item = doc.paths.paths.get_mut(path)?;
    match method {
        "get" => item.get.as_mut(),
        "post" => item.post.as_mut(),
        "put" => item.put.as_mut(),
        "patch" => item.patch.as_mut(),
        "delete" => item.delete.as_mut(),
        _ => None,
    }
}

impl Modify for Links {
    fn modify(&self, doc: &mut OpenApi) {
        for &Link {
            from,
            method,
            status,
            name,
            to,
            to_method,
            param,
            value,
        } in LINKS
        {
            let link = LinkBuilder::new()
                .operation_ref(operation_ref(to, to_method))
                .parameter(param, value)
                .build();
            if let Some(RefOr::T(response)) =
                operation(doc, from, method).and_then(|op| op.responses.responses.get_mut(status))
            {
                response.links.insert(name.into(), RefOr::T(link));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    /// Every link starts at a documented answer and names an operation of the document.
    #[test]
    fn every_link_joins_two_documented_operations() {
        let doc =
            serde_json::to_value(<super::super::ApiDoc as utoipa::OpenApi>::openapi()).unwrap();
        for &super::Link {
            from,
            method,
            status,
            name,
            to,
            to_method,
            param,
            ..
        } in super::LINKS
        {
            let link = &doc["paths"][from][method]["responses"][status]["links"][name];
            assert!(
                link.is_object(),
                "{method} {from} {status} has no link {name}"
            );
            let target = &doc["paths"][to][to_method];
            assert!(target.is_object(), "{name}: no operation {to_method} {to}");
            let params = target["parameters"].as_array().cloned().unwrap_or_default();
            assert!(
                params
                    .iter()
                    .any(|p| p["name"] == param && p["in"] == "path"),
                "{name}: {to_method} {to} has no path parameter {param}"
            );
        }
    }
}
