//! Przelewy24's REST API v1: `POST /api/v1/transaction/register` (→ a token, the resident
//! goes to `/trnRequest/{token}`), the notification to `urlStatus` signed with `sign`, and
//! `PUT /api/v1/transaction/verify`. Every `sign` is the SHA-384 (hex) of a JSON object
//! of the request's fields and the CRC key, in the documented order, without escaping
//! slashes or non-ASCII characters (PHP's `JSON_UNESCAPED_UNICODE|JSON_UNESCAPED_SLASHES`,
//! which is what serde_json writes). Authentication is HTTP Basic: the POS id and the API
//! key ("klucz do raportów").

use std::time::Duration;

use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha384};

use super::provider::{NewTransaction, Notification, PaymentProvider, ProviderError};
use crate::domain::payment::Grosze;
use crate::forms::catalogue::hex;

/// A notification body larger than this is refused unread.
pub const MAX_NOTIFICATION_BYTES: usize = 4_096;

#[derive(Debug, Clone)]
pub struct Przelewy24 {
    /// `https://secure.przelewy24.pl` (or the sandbox, or the emulator).
    pub base_url: String,
    pub merchant_id: i64,
    pub pos_id: i64,
    pub crc: String,
    pub api_key: String,
    http: reqwest::Client,
}

impl Przelewy24 {
    pub fn new(base_url: &str, merchant_id: i64, pos_id: i64, crc: &str, api_key: &str) -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_default();
        Self {
            base_url: base_url.trim_end_matches('/').to_string(),
            merchant_id,
            pos_id,
            crc: crc.to_string(),
            api_key: api_key.to_string(),
            http,
        }
    }

    fn sign(value: &serde_json::Value) -> String {
        hex(&Sha384::digest(value.to_string().as_bytes()))
    }

    /// `sign` of a registration.
    pub fn register_sign(&self, session_id: &str, amount: i64) -> String {
        Self::sign(&json!({
            "sessionId": session_id, "merchantId": self.merchant_id, "amount": amount,
            "currency": "PLN", "crc": self.crc,
        }))
    }

    /// `sign` of a verification.
    pub fn verify_sign(&self, session_id: &str, order_id: i64, amount: i64) -> String {
        Self::sign(&json!({
            "sessionId": session_id, "orderId": order_id, "amount": amount,
            "currency": "PLN", "crc": self.crc,
        }))
    }

    /// `sign` of a notification, from its fields.
    pub fn notification_sign(&self, n: &Wire) -> String {
        Self::sign(&json!({
            "merchantId": n.merchant_id, "posId": n.pos_id, "sessionId": n.session_id,
            "amount": n.amount, "originAmount": n.origin_amount, "currency": n.currency,
            "orderId": n.order_id, "methodId": n.method_id, "statement": n.statement,
            "crc": self.crc,
        }))
    }

    async fn call(
        &self,
        request: reqwest::RequestBuilder,
        body: serde_json::Value,
    ) -> Result<serde_json::Value, ProviderError> {
        let response = request
            .basic_auth(self.pos_id.to_string(), Some(&self.api_key))
            .json(&body)
            .send()
            .await
            .map_err(|e| ProviderError::Unavailable(e.to_string()))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|e| ProviderError::Unavailable(e.to_string()))?;
        let short: String = text.chars().take(300).collect();
        if status.is_server_error() {
            return Err(ProviderError::Unavailable(format!("{status}: {short}")));
        }
        if !status.is_success() {
            return Err(ProviderError::Refused(format!("{status}: {short}")));
        }
        serde_json::from_str(&text).map_err(|_| ProviderError::Unavailable(short))
    }
}

/// A notification as Przelewy24 sends it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Wire {
    pub merchant_id: i64,
    pub pos_id: i64,
    pub session_id: String,
    pub amount: i64,
    pub origin_amount: i64,
    pub currency: String,
    pub order_id: i64,
    pub method_id: i64,
    pub statement: String,
    pub sign: String,
}

#[async_trait::async_trait]
impl PaymentProvider for Przelewy24 {
    async fn register(&self, t: &NewTransaction) -> Result<String, ProviderError> {
        let amount = t.amount.get();
        let body = json!({
            "merchantId": self.merchant_id, "posId": self.pos_id, "sessionId": t.session_id,
            "amount": amount, "currency": "PLN",
            "description": t.description.chars().take(1024).collect::<String>(),
            "email": t.email, "country": "PL", "language": "pl",
            "urlReturn": t.url_return, "urlStatus": t.url_status,
            "timeLimit": t.time_limit_minutes,
            "sign": self.register_sign(&t.session_id, amount),
        });
        let url = format!("{}/api/v1/transaction/register", self.base_url);
        let answer = self.call(self.http.post(url), body).await?;
        let token = answer["data"]["token"]
            .as_str()
            .filter(|t| {
                !t.is_empty()
                    && t.len() <= 100
                    && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            })
            .ok_or_else(|| ProviderError::Unavailable("no token in the answer".into()))?;
        Ok(format!("{}/trnRequest/{token}", self.base_url))
    }

    fn notification(&self, body: &[u8]) -> Result<Notification, ProviderError> {
        if body.len() > MAX_NOTIFICATION_BYTES {
            return Err(ProviderError::Malformed("too large".into()));
        }
        let wire: Wire =
            serde_json::from_slice(body).map_err(|e| ProviderError::Malformed(e.to_string()))?;
        let expected = self.notification_sign(&wire);
        if !crate::auth::constant_time_eq(expected.as_bytes(), wire.sign.as_bytes()) {
            return Err(ProviderError::BadSignature);
        }
        if wire.merchant_id != self.merchant_id || wire.pos_id != self.pos_id {
            return Err(ProviderError::Malformed(
                "another merchant's notification".into(),
            ));
        }
        let amount =
            Grosze::new(wire.amount).map_err(|e| ProviderError::Malformed(e.to_string()))?;
        Ok(Notification {
            session_id: wire.session_id,
            order_id: wire.order_id,
            amount,
            currency: wire.currency,
        })
    }

    async fn verify(&self, n: &Notification) -> Result<(), ProviderError> {
        let amount = n.amount.get();
        let body = json!({
            "merchantId": self.merchant_id, "posId": self.pos_id, "sessionId": n.session_id,
            "amount": amount, "currency": n.currency, "orderId": n.order_id,
            "sign": self.verify_sign(&n.session_id, n.order_id, amount),
        });
        let url = format!("{}/api/v1/transaction/verify", self.base_url);
        let answer = self.call(self.http.put(url), body).await?;
        match answer["data"]["status"].as_str() {
            Some("success") => Ok(()),
            other => Err(ProviderError::Refused(format!("verify answered {other:?}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p24() -> Przelewy24 {
        Przelewy24::new(
            "http://127.0.0.1:1",
            123_456,
            123_456,
            "a1b2c3d4e5f6a7b8",
            "key",
        )
    }

    #[test]
    fn signs_are_sha384_of_the_documented_json() {
        let p = p24();
        let expected = hex(&Sha384::digest(
            r#"{"sessionId":"s-1/ą","merchantId":123456,"amount":1700,"currency":"PLN","crc":"a1b2c3d4e5f6a7b8"}"#
                .as_bytes(),
        ));
        assert_eq!(p.register_sign("s-1/ą", 1700), expected);
        assert_eq!(p.register_sign("s-1/ą", 1700).len(), 96);
        let verify = hex(&Sha384::digest(
            br#"{"sessionId":"s-1","orderId":42,"amount":1700,"currency":"PLN","crc":"a1b2c3d4e5f6a7b8"}"#,
        ));
        assert_eq!(p.verify_sign("s-1", 42, 1700), verify);
    }

    fn notification(p: &Przelewy24, amount: i64, tamper: bool) -> Vec<u8> {
        let mut wire = json!({
            "merchantId": 123456, "posId": 123456, "sessionId": "s-1", "amount": amount,
            "originAmount": amount, "currency": "PLN", "orderId": 42, "methodId": 25,
            "statement": "p24-A1-B2-C3", "sign": "",
        });
        let parsed: Wire = serde_json::from_value(wire.clone()).unwrap();
        wire["sign"] = p.notification_sign(&parsed).into();
        if tamper {
            wire["amount"] = (amount + 1).into();
        }
        serde_json::to_vec(&wire).unwrap()
    }

    #[test]
    fn notifications_are_checked() {
        let p = p24();
        let n = p.notification(&notification(&p, 1700, false)).unwrap();
        assert_eq!(n.amount, Grosze::new(1700).unwrap());
        assert_eq!(n.order_id, 42);
        assert!(matches!(
            p.notification(&notification(&p, 1700, true)),
            Err(ProviderError::BadSignature)
        ));
        let mut other = p24();
        other.crc = "another".into();
        assert!(matches!(
            other.notification(&notification(&p, 1700, false)),
            Err(ProviderError::BadSignature)
        ));
        assert!(matches!(
            p.notification(b"{}"),
            Err(ProviderError::Malformed(_))
        ));
        assert!(matches!(
            p.notification(&vec![b' '; MAX_NOTIFICATION_BYTES + 1]),
            Err(ProviderError::Malformed(_))
        ));
    }
}
