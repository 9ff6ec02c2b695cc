//! The UA API 3.0.8 schemas okienko uses (`components/schemas` of
//! ../shared/reference/edoreczenia-ua-api-3.0.8.yaml), field for field. Every field is
//! optional and absent ones are not sent, as the document makes almost all of them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `Message`: a message, a draft, or what the service answers with.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_control_data: Option<MessageControlData>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_metadata: Option<MessageMetadata>,
    /// At most 5000 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_body: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidences: Vec<Evidence>,
}

/// `ShippingService`: the RDE (electronic) or the hybrid (paper) service.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ShippingService {
    #[default]
    Electronic,
    Hybrid,
}

/// `MessageMetadata` (`shippingService` is its one required field).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageMetadata {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<MessageAddressData>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<MessageAddressData>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ref_to_message_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thread_id: Option<String>,
    /// The case sign.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receipt_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submission_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_date: Option<String>,
    pub shipping_service: ShippingService,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub additional_data: BTreeMap<String, String>,
}

/// `MessageAddressData`: an address for electronic delivery and who is behind it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageAddressData {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub e_delivery_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contributor: Option<Contributor>,
}

impl MessageAddressData {
    pub fn ade(address: &str) -> Self {
        Self {
            e_delivery_address: Some(address.to_owned()),
            contributor: None,
        }
    }
}

/// `Contributor`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Contributor {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
}

/// `MessageControlData`: set by the service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageControlData {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_task_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opened: Option<bool>,
    /// `W trakcie weryfikacji` … `Uznana za doręczoną`, `Niedoręczona`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_description: Option<String>,
    /// `Message`, `Evidence`, `Stub` (the notice that a message arrived), `massMessageGrouped`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_type: Option<String>,
    /// Days left until deemed delivery; 0 once it happened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_to_receive: Option<i64>,
}

/// `Attachment`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attachment_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<FileData>,
}

/// `FileData`: the metadata and the content (base64).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileData {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_metadata: Option<FileMetadata>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

/// `FileMetadata` (`fileId` required). SHA-3 is the only hash algorithm the service allows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileMetadata {
    pub file_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// `FileWrapper`: the answer to an uploaded attachment.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileWrapper {
    pub attachment_id: Option<String>,
    pub warning: Option<String>,
    pub file_metadata: Option<FileMetadata>,
}

/// `Evidence` (`evidenceId` and `messageId` required).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    pub evidence_id: String,
    pub message_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_date: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reason_details: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_data: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub downloaded: Option<bool>,
    /// The code: `A.1`, `E.1`, `BP.WX`, … or an undotted variant (`E1`, `BPWX`).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<MessageAddressData>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<MessageAddressData>,
}

/// `EvidenceWrapper`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceWrapper {
    #[serde(default)]
    pub evidences: Vec<Evidence>,
    pub warning: Option<String>,
}

/// `MessagesWrapper`: a page of messages.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessagesWrapper {
    #[serde(default)]
    pub messages: Vec<Message>,
    pub total: Option<i64>,
    pub warning: Option<String>,
}

/// `MessageInfo`: the answer to a sending (202).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageInfo {
    pub warning: Option<String>,
    pub message_task_id: Option<String>,
}

/// `MessageOperationResponseSingleWrapperPut`: the answer to a new draft.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DraftCreated {
    pub message_id: Option<String>,
    pub warning: Option<String>,
}

/// `SendDraft`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SendDraft {
    pub message_id: String,
}

/// `ErrorInfo`: one item of an `ErrorResponse`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorInfo {
    pub error: Option<String>,
    #[serde(rename = "error_description")]
    pub error_description: Option<String>,
    pub message_id: Option<String>,
}
