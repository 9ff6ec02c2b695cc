//! serde refuses unknown fields in these internally tagged enums (`deny_unknown_fields`), but
//! utoipa leaves their variants open: each variant object gets `additionalProperties: false`
//! here, so that the document refuses what the code refuses.

use utoipa::Modify;
use utoipa::openapi::schema::{AdditionalProperties, Schema};
use utoipa::openapi::{OpenApi, RefOr};

pub struct Closed;

/// The component schemas of internally tagged enums that deny unknown fields.
const TAGGED: &[&str] = &["Scope", "WinnerRule", "BallotKind"];

impl Modify for Closed {
    fn modify(&self, doc: &mut OpenApi) {
        let Some(components) = doc.components.as_mut() else {
            return;
        };
        for name in TAGGED {
            let Some(RefOr::T(Schema::OneOf(one_of))) = components.schemas.get_mut(*name) else {
                continue;
            };
            for variant in &mut one_of.items {
                if let RefOr::T(Schema::Object(object)) = variant {
                    object.additional_properties =
                        Some(Box::new(AdditionalProperties::FreeForm(false)));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    /// Every schema named here is a `oneOf` of closed objects in the document.
    #[test]
    fn tagged_enums_are_closed() {
        let doc =
            serde_json::to_value(<super::super::ApiDoc as utoipa::OpenApi>::openapi()).unwrap();
        for name in super::TAGGED {
            let variants = doc["components"]["schemas"][name]["oneOf"]
                .as_array()
                .unwrap_or_else(|| panic!("{name} is not a oneOf"));
            for v in variants {
                assert_eq!(v["additionalProperties"], false, "{name}: {v}");
            }
        }
    }
}
