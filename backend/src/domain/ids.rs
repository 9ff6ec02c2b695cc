//! Typed identifiers: a submission id is never confused with a draft id.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new time-ordered (v7) id, so that ids sort by creation.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            pub fn parse(s: &str) -> Option<Self> {
                Uuid::try_parse(s).ok().map(Self)
            }

            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self {
                Self(u)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

uuid_id!(
    /// A saved, not yet submitted draft.
    DraftId
);
uuid_id!(
    /// A filed submission.
    SubmissionId
);
uuid_id!(
    /// A stored attachment of a submission.
    AttachmentId
);

uuid_id!(
    /// A public consultation (issue 14).
    ConsultationId
);
uuid_id!(
    /// A resident's comment on a consultation's document.
    CommentId
);
uuid_id!(
    /// A document of a consultation (the draft under consultation, a map, the justification).
    ConsultationDocumentId
);
uuid_id!(
    /// An edition of the participatory budget (issue 15).
    EditionId
);
uuid_id!(
    /// A project proposed in a participatory budget edition.
    ProjectId
);
uuid_id!(
    /// A session of the council (issue 16 §2).
    SessionId
);
uuid_id!(
    /// An item of a council session's agenda.
    AgendaItemId
);
uuid_id!(
    /// An electronic vote at a council session.
    VoteId
);

/// The human-facing receipt number, e.g. `UPO-2026-01J9Y2...`; unique, not guessable from others.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReceiptId(String);

impl ReceiptId {
    pub fn generate(year: i32, submission: SubmissionId) -> Self {
        let simple = submission.as_uuid().simple().to_string().to_uppercase();
        Self(format!("UPO-{year}-{simple}"))
    }

    /// Accepts only the shape `generate` produces, so odd input never reaches the database.
    pub fn parse(s: &str) -> Option<Self> {
        let rest = s.strip_prefix("UPO-")?;
        let (year, hex) = rest.split_once('-')?;
        let ok = year.len() == 4
            && year.bytes().all(|b| b.is_ascii_digit())
            && hex.len() == 32
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b));
        ok.then(|| Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ReceiptId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipt_ids_round_trip_and_reject_anything_else() {
        let id = ReceiptId::generate(2026, SubmissionId::new());
        assert_eq!(ReceiptId::parse(id.as_str()), Some(id.clone()));
        for bad in [
            "",
            "UPO-2026-",
            "UPO-26-ABC",
            "upo-2026-00000000000000000000000000000000",
            "UPO-2026-0000000000000000000000000000000g",
        ] {
            assert_eq!(ReceiptId::parse(bad), None, "{bad}");
        }
    }
}
