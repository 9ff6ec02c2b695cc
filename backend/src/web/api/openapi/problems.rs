//! The statuses every `/api/` operation can answer besides its own, and their one format.
//!
//! A handler's annotation lists what its own code answers; what the layers in front of every
//! handler answer is added here, so that the document lists every status an operation really
//! returns (issue 17 §3, checked by schemathesis in `scripts/schemathesis`):
//! - 503 from the admission gate (`overloaded`, with `Retry-After`) or an unreachable database;
//! - 400 when the operation takes a path parameter, a query or a body (the framework's
//!   rejection of a malformed one, rewritten by `web/problem.rs`);
//! - 422 when it takes a keyset cursor (`after`);
//! - 413 and 415 when it takes a body (larger than `limits`, or not the documented type).
//!
//! Every 4xx and 5xx answer of an `/api/` operation is an RFC 9457 problem: those without
//! content of their own get the `Problem` schema.

use utoipa::Modify;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::{ContentBuilder, ObjectBuilder, Ref, RefOr, Response, ResponseBuilder, Type};

pub struct Problems;

/// `(status, description)` that every operation of this shape answers.
fn generic(op: &Operation, item: &PathItem) -> Vec<(&'static str, &'static str)> {
    let params = op.parameters.as_ref().is_some_and(|p| !p.is_empty())
        || item.parameters.as_ref().is_some_and(|p| !p.is_empty());
    let body = op.request_body.is_some();
    let mut out = vec![(
        "503",
        "overloaded (`Retry-After`), or the database is unreachable",
    )];
    if params || body {
        out.push(("400", "a malformed path parameter, query or body"));
    }
    if op.parameters.iter().flatten().any(is_cursor) {
        out.push(("422", "`after` is not a cursor this API gave out"));
    }
    if body {
        out.push(("413", "the body is larger than the limits allow"));
        out.push(("415", "the body is not of a documented content type"));
    }
    out
}

/// The opaque keyset cursor of `web/cursor.rs`: a token in its alphabet that it did not
/// give out is 422.
fn is_cursor(p: &RefOr<utoipa::openapi::path::Parameter>) -> bool {
    let p = serde_json::to_value(p).unwrap_or_default();
    p["name"] == "after" && p["schema"]["pattern"] == CURSOR_PATTERN
}

/// The `pattern` of every `after` that `web/cursor.rs` decodes.
pub const CURSOR_PATTERN: &str = "^[A-Za-z0-9_-]*$";

fn problem_schema() -> utoipa::openapi::Schema {
    ObjectBuilder::new()
        .property("type", ObjectBuilder::new().schema_type(Type::String))
        .property("title", ObjectBuilder::new().schema_type(Type::String))
        .property("status", ObjectBuilder::new().schema_type(Type::Integer))
        .property("detail", ObjectBuilder::new().schema_type(Type::String))
        .property("code", ObjectBuilder::new().schema_type(Type::String))
        .required("type")
        .required("status")
        .build()
        .into()
}

fn problem_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            crate::error::PROBLEM_JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
}

impl Modify for Problems {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        doc.components
            .get_or_insert_with(Default::default)
            .schemas
            .insert("Problem".into(), RefOr::T(problem_schema()));
        for (path, item) in doc.paths.paths.iter_mut() {
            if !path.starts_with("/api/") {
                continue;
            }
            let shared = item.clone();
            let ops: [&mut Option<Operation>; 5] = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for op in ops.into_iter().flatten() {
                for (status, description) in generic(op, &shared) {
                    op.responses
                        .responses
                        .entry(status.into())
                        .or_insert_with(|| RefOr::T(problem_response(description)));
                }
                for (status, response) in op.responses.responses.iter_mut() {
                    let error = status.starts_with('4') || status.starts_with('5');
                    if let RefOr::T(r) = response
                        && error
                        && r.content.is_empty()
                    {
                        r.content = problem_response(&r.description).content;
                    }
                }
            }
        }
    }
}
