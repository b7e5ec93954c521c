//! Telnyx Messaging (API v2) webhooks: `message.received`, `message.sent`, `message.finalized`.
//!
//! Telnyx signs every webhook with Ed25519 (Telnyx docs, "Receiving webhooks for messaging" and
//! the Python SDK's "webhooks" page): `telnyx-signature-ed25519` is the base64 signature of
//! `{telnyx-timestamp}|{raw body}`, `telnyx-timestamp` is Unix seconds, and the key is the
//! account's public key from the Mission Control portal, in base64. As Telnyx's SDKs do
//! (telnyx-python `src/telnyx/lib/webhook_verification.py`, telnyx-node `src/lib/webhooks.ts`), a
//! timestamp more than 5 minutes from now, either way, is refused against replays; the signature is
//! over the timestamp header exactly as sent. Verification is `verify_strict`, which also refuses
//! weak keys and non-canonical signatures that a lax verifier accepts.
//!
//! Telnyx blocks a recipient who replied STOP at the messaging profile, and a later send to them
//! fails with error 40300 "Blocked due to STOP message" (Telnyx docs, "Advanced Opt-In/Out" and
//! the error page 40300). The inbound STOP itself carries no flag saying Telnyx acted on it, so
//! Telnyx replies have no provider action.

use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, VerifyingKey};
use serde_json::Value;

use super::{check_size, json_error, shown, Callback, Field, InboundMessage, ProviderName, Rejection, StatusUpdate};

/// The header with the signature.
pub const SIGNATURE_HEADER: &str = "telnyx-signature-ed25519";

/// The header with the time of signing, in Unix seconds.
pub const TIMESTAMP_HEADER: &str = "telnyx-timestamp";

/// How far the timestamp may be from now, either way: 5 minutes, as Telnyx's SDKs allow.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// Telnyx's error code for a send to a recipient who replied STOP.
pub const OPTED_OUT_ERROR: &str = "40300";

/// The most recipients read from one message (a group MMS has a handful).
pub const MAX_RECIPIENTS: usize = 100;

/// An account's public key for checking webhooks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

/// A public key that cannot be used: a setting to fix, not a request to refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Telnyx public key: {0}")]
pub struct BadPublicKey(String);

impl PublicKey {
    /// Reads the key as the Telnyx portal shows it: 32 bytes in base64.
    ///
    /// # Errors
    /// [`BadPublicKey`] when it is not base64, not 32 bytes, or not a point on the curve.
    pub fn from_base64(key: &str) -> Result<PublicKey, BadPublicKey> {
        let bytes = STANDARD.decode(key.trim()).map_err(|_| BadPublicKey("not base64".to_owned()))?;
        let bytes: [u8; 32] =
            bytes.try_into().map_err(|b: Vec<u8>| BadPublicKey(format!("{} bytes, an Ed25519 key has 32", b.len())))?;
        VerifyingKey::from_bytes(&bytes).map(PublicKey).map_err(|_| BadPublicKey("not an Ed25519 key".to_owned()))
    }
}

/// Checks that Telnyx signed this body at a time within `tolerance` of `now`.
///
/// Pass the headers as received (`None` when absent or not text) and the body exactly as read,
/// before any JSON parsing.
///
/// # Errors
/// [`Rejection::NotGenuine`] naming the header: missing, not Unix seconds, `812 s old`,
/// `40 s in the future`, not base64, or not matching the timestamp and body.
pub fn verify(
    public_key: &PublicKey,
    timestamp_header: Option<&str>,
    signature_header: Option<&str>,
    body: &[u8],
    now: DateTime<Utc>,
    tolerance: Duration,
) -> Result<(), Rejection> {
    let signature = signature_header.filter(|s| !s.trim().is_empty());
    let signature = signature.ok_or_else(|| Rejection::not_genuine(SIGNATURE_HEADER, "missing"))?;
    let timestamp = timestamp_header.filter(|t| !t.trim().is_empty());
    let timestamp = timestamp.ok_or_else(|| Rejection::not_genuine(TIMESTAMP_HEADER, "missing"))?;
    let signed_at =
        unix_seconds(timestamp).ok_or_else(|| Rejection::not_genuine(TIMESTAMP_HEADER, "not Unix seconds"))?;
    let age = i128::from(now.timestamp()) - i128::from(signed_at);
    let tolerance = i128::from(tolerance.as_secs());
    if age > tolerance {
        return Err(Rejection::not_genuine(TIMESTAMP_HEADER, format!("{age} s old")));
    }
    if -age > tolerance {
        return Err(Rejection::not_genuine(TIMESTAMP_HEADER, format!("{} s in the future", -age)));
    }
    let bytes =
        STANDARD.decode(signature.trim()).map_err(|_| Rejection::not_genuine(SIGNATURE_HEADER, "not base64"))?;
    let bytes: [u8; 64] =
        bytes.try_into().map_err(|_| Rejection::not_genuine(SIGNATURE_HEADER, "not a 64-byte Ed25519 signature"))?;
    let signature = Signature::from_bytes(&bytes);
    public_key
        .0
        .verify_strict(&signed_message(timestamp, body), &signature)
        .map_err(|_| Rejection::not_genuine(SIGNATURE_HEADER, "does not match the timestamp and body"))
}

/// Digits only: a sign, spaces or a fraction are not what Telnyx sends, and 19 digits fit an i64.
fn unix_seconds(text: &str) -> Option<i64> {
    if text.is_empty() || text.len() > 19 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn signed_message(timestamp: &str, body: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(timestamp.len() + 1 + body.len());
    message.extend_from_slice(timestamp.as_bytes());
    message.push(b'|');
    message.extend_from_slice(body);
    message
}

/// The signature Telnyx would send, made with the private key of `seed`, for tests that play
/// Telnyx.
#[cfg(any(test, feature = "test-signing"))]
pub fn sign(seed: &[u8; 32], timestamp: &str, body: &[u8]) -> String {
    use ed25519_dalek::Signer;
    let key = ed25519_dalek::SigningKey::from_bytes(seed);
    STANDARD.encode(key.sign(&signed_message(timestamp, body)).to_bytes())
}

/// The public key of `seed`, in base64 as the Telnyx portal shows one, for tests that play Telnyx.
#[cfg(any(test, feature = "test-signing"))]
pub fn public_key_of(seed: &[u8; 32]) -> String {
    STANDARD.encode(ed25519_dalek::SigningKey::from_bytes(seed).verifying_key().to_bytes())
}

/// Reads a verified webhook body (Telnyx API reference, "Inbound message" and "Outbound message"
/// callbacks): `message.received` is one [`Callback::Inbound`]; `message.sent` and
/// `message.finalized` are one [`Callback::Status`] per recipient; another event is
/// [`Callback::Ignored`].
///
/// The message id is `data.payload.id` (not the event's `data.id`); the time is
/// `data.occurred_at`. An inbound message's sender number is the first of `data.payload.to`.
///
/// # Errors
/// [`Rejection::Malformed`] naming the place: `body` when it is not JSON or too long, else the
/// path of the field missing or of the wrong type (`data.payload.from.phone_number: missing`).
pub fn parse(body: &[u8]) -> Result<Vec<Callback>, Rejection> {
    check_size(body)?;
    let value: Value = serde_json::from_slice(body).map_err(|e| json_error(&e))?;
    let root = Field::root(&value, String::new());
    if !value.is_object() {
        return Err(Rejection::malformed("body", "expected a JSON object"));
    }
    let data = root.get("data")?;
    let event = data.get("event_type")?.string()?;
    let status_event = match event {
        "message.received" => false,
        "message.sent" | "message.finalized" => true,
        other => {
            let what = format!("Telnyx event {}: not a message event the hub acts on", shown(other));
            return Ok(vec![Callback::Ignored { what }]);
        }
    };
    let at = data.get("occurred_at")?.time();
    let payload = data.get("payload")?;
    let provider_message_id = payload.get("id")?.string()?.to_owned();
    let from = payload.get("from")?.get("phone_number")?.string()?.to_owned();
    let recipients = payload.get("to")?;
    let to = recipients.elements(MAX_RECIPIENTS)?;
    if !status_event {
        let first = to.first().ok_or_else(|| Rejection::malformed(recipients.place(), "empty"))?;
        return Ok(vec![Callback::Inbound(InboundMessage {
            provider: ProviderName::Telnyx,
            provider_message_id,
            sender_phone: first.get("phone_number")?.string()?.to_owned(),
            contact_phone: from,
            body: payload.get("text")?.optional_string()?.unwrap_or_default().to_owned(),
            at,
            provider_action: None,
        })]);
    }
    let mut codes = Vec::new();
    for error in payload.get("errors")?.elements(MAX_RECIPIENTS)? {
        codes.extend(error.get("code")?.code()?);
    }
    let recipient_opted_out = codes.iter().any(|c| c == OPTED_OUT_ERROR);
    // The opt-out is the code the hub acts on, so it is the one reported when there are several.
    let error_code = if recipient_opted_out { Some(OPTED_OUT_ERROR.to_owned()) } else { codes.into_iter().next() };
    let mut updates = Vec::with_capacity(to.len());
    for recipient in &to {
        updates.push(Callback::Status(StatusUpdate {
            provider: ProviderName::Telnyx,
            provider_message_id: provider_message_id.clone(),
            sender_phone: from.clone(),
            contact_phone: recipient.get("phone_number")?.string()?.to_owned(),
            status: recipient.get("status")?.optional_string()?.map_or_else(|| event.to_owned(), str::to_owned),
            error_code: error_code.clone(),
            recipient_opted_out,
            at,
        }));
    }
    if updates.is_empty() {
        return Err(Rejection::malformed(recipients.place(), "empty"));
    }
    Ok(updates)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    const RECEIVED: &[u8] = include_bytes!("../../tests/fixtures/webhooks/telnyx-message-received.json");
    const FINALIZED: &[u8] = include_bytes!("../../tests/fixtures/webhooks/telnyx-message-finalized-opted-out.json");
    const SEED: [u8; 32] = *b"optout-desk telnyx test seed 001";
    const SIGNED_AT: i64 = 1_796_150_000;

    fn now() -> DateTime<Utc> {
        Utc.timestamp_opt(SIGNED_AT, 0).unwrap()
    }

    fn key() -> PublicKey {
        PublicKey::from_base64(&public_key_of(&SEED)).unwrap()
    }

    fn check(
        timestamp: Option<&str>,
        signature: Option<&str>,
        body: &[u8],
        at: DateTime<Utc>,
    ) -> Result<(), Rejection> {
        verify(&key(), timestamp, signature, body, at, DEFAULT_TOLERANCE)
    }

    fn reason(result: Result<(), Rejection>) -> String {
        result.unwrap_err().to_string()
    }

    #[test]
    fn a_signed_body_is_accepted_within_the_tolerance() {
        let ts = SIGNED_AT.to_string();
        let signature = sign(&SEED, &ts, RECEIVED);
        check(Some(&ts), Some(&signature), RECEIVED, now()).unwrap();
        check(Some(&ts), Some(&signature), RECEIVED, now() + chrono::Duration::seconds(300)).unwrap();
        check(Some(&ts), Some(&signature), RECEIVED, now() - chrono::Duration::seconds(300)).unwrap();
    }

    #[test]
    fn old_and_future_timestamps_are_refused() {
        let ts = SIGNED_AT.to_string();
        let signature = sign(&SEED, &ts, RECEIVED);
        let late = now() + chrono::Duration::seconds(812);
        assert_eq!(reason(check(Some(&ts), Some(&signature), RECEIVED, late)), "telnyx-timestamp: 812 s old");
        let early = now() - chrono::Duration::seconds(301);
        assert_eq!(
            reason(check(Some(&ts), Some(&signature), RECEIVED, early)),
            "telnyx-timestamp: 301 s in the future"
        );
        let tight =
            verify(&key(), Some(&ts), Some(&signature), RECEIVED, now() + chrono::Duration::seconds(2), Duration::ZERO);
        assert_eq!(reason(tight), "telnyx-timestamp: 2 s old");
    }

    #[test]
    fn forged_tampered_and_re_dated_requests_are_refused() {
        let ts = SIGNED_AT.to_string();
        let signature = sign(&SEED, &ts, RECEIVED);
        let mismatch = "telnyx-signature-ed25519: does not match the timestamp and body";
        let forged = STANDARD.encode([7u8; 64]);
        assert_eq!(reason(check(Some(&ts), Some(&forged), RECEIVED, now())), mismatch);
        let other_key = sign(&[9u8; 32], &ts, RECEIVED);
        assert_eq!(reason(check(Some(&ts), Some(&other_key), RECEIVED, now())), mismatch);
        let mut tampered = RECEIVED.to_vec();
        let at = tampered.windows(4).position(|w| w == b"STOP").unwrap();
        tampered[at..at + 4].copy_from_slice(b"SToP");
        assert_eq!(reason(check(Some(&ts), Some(&signature), &tampered, now())), mismatch);
        // The same signature under a later timestamp, as a replay would try.
        let later = (SIGNED_AT + 1).to_string();
        assert_eq!(reason(check(Some(&later), Some(&signature), RECEIVED, now())), mismatch);
    }

    #[test]
    fn missing_and_broken_headers_are_named() {
        let ts = SIGNED_AT.to_string();
        let signature = sign(&SEED, &ts, RECEIVED);
        assert_eq!(reason(check(Some(&ts), None, RECEIVED, now())), "telnyx-signature-ed25519: missing");
        assert_eq!(reason(check(None, Some(&signature), RECEIVED, now())), "telnyx-timestamp: missing");
        assert_eq!(reason(check(Some(" "), Some(&signature), RECEIVED, now())), "telnyx-timestamp: missing");
        for bad in ["+1796150000", "1796150000.5", "soon", "99999999999999999999"] {
            assert_eq!(
                reason(check(Some(bad), Some(&signature), RECEIVED, now())),
                "telnyx-timestamp: not Unix seconds"
            );
        }
        assert_eq!(reason(check(Some(&ts), Some("%%%"), RECEIVED, now())), "telnyx-signature-ed25519: not base64");
        let short = STANDARD.encode([1u8; 63]);
        assert_eq!(
            reason(check(Some(&ts), Some(&short), RECEIVED, now())),
            "telnyx-signature-ed25519: not a 64-byte Ed25519 signature"
        );
    }

    #[test]
    fn a_public_key_is_read_as_the_portal_shows_it() {
        assert_eq!(PublicKey::from_base64("nope!").unwrap_err().to_string(), "Telnyx public key: not base64");
        assert_eq!(
            PublicKey::from_base64(&STANDARD.encode([0u8; 31])).unwrap_err().to_string(),
            "Telnyx public key: 31 bytes, an Ed25519 key has 32"
        );
        assert!(PublicKey::from_base64(&format!(" {} ", public_key_of(&SEED))).is_ok());
    }

    #[test]
    fn a_received_message_is_a_reply() {
        let callbacks = parse(RECEIVED).unwrap();
        let [Callback::Inbound(m)] = callbacks.as_slice() else { panic!("{callbacks:?}") };
        assert_eq!(m.provider_message_id, "7ee4241c-f127-47e5-9c34-3aac291f8058");
        assert_eq!((m.sender_phone.as_str(), m.contact_phone.as_str()), ("+14155550100", "+14155552671"));
        assert_eq!((m.body.as_str(), m.provider_action), ("STOP", None));
        assert_eq!(
            m.at,
            Some(Utc.with_ymd_and_hms(2026, 11, 30, 18, 10, 2).unwrap() + chrono::Duration::milliseconds(574))
        );
    }

    #[test]
    fn a_finalized_message_blocked_by_stop_says_the_recipient_opted_out() {
        let callbacks = parse(FINALIZED).unwrap();
        let [Callback::Status(s)] = callbacks.as_slice() else { panic!("{callbacks:?}") };
        assert_eq!(s.provider_message_id, "40385f64-5717-4562-b3fc-2c963f66afa6");
        assert_eq!((s.sender_phone.as_str(), s.contact_phone.as_str()), ("+14155550100", "+14155552671"));
        assert_eq!(
            (s.status.as_str(), s.error_code.as_deref(), s.recipient_opted_out),
            ("sending_failed", Some("40300"), true)
        );
    }

    #[test]
    fn each_recipient_has_its_status_and_other_events_are_ignored() {
        let body = br#"{"data": {"event_type": "message.sent", "id": "e", "payload": {"id": "m", "from": {"phone_number": "+1"},
            "to": [{"phone_number": "+2", "status": "sent"}, {"phone_number": "+3"}], "errors": [{"code": 40008, "title": "x"}]}}}"#;
        let callbacks = parse(body).unwrap();
        let [Callback::Status(a), Callback::Status(b)] = callbacks.as_slice() else { panic!("{callbacks:?}") };
        assert_eq!((a.status.as_str(), b.status.as_str(), b.contact_phone.as_str()), ("sent", "message.sent", "+3"));
        assert_eq!((a.error_code.as_deref(), a.recipient_opted_out, a.at), (Some("40008"), false, None));
        let call = br#"{"data": {"event_type": "call.initiated", "payload": {}}}"#;
        assert!(matches!(parse(call).unwrap().as_slice(), [Callback::Ignored { .. }]));
    }

    #[test]
    fn malformed_bodies_name_the_place() {
        let reason = |body: &str| parse(body.as_bytes()).unwrap_err().to_string();
        assert_eq!(reason("{\"data\" 1}"), "body: not JSON at line 1 column 9 (expected `:`)");
        assert_eq!(reason("[]"), "body: expected a JSON object");
        assert_eq!(reason(r#"{"data": []}"#), "data: expected an object, found an array");
        assert_eq!(reason(r#"{"data": {}}"#), "data.event_type: missing");
        let no_from = r#"{"data": {"event_type": "message.received", "payload": {"id": "m", "from": {}, "to": []}}}"#;
        assert_eq!(reason(no_from), "data.payload.from.phone_number: missing");
        let no_to = r#"{"data": {"event_type": "message.received", "payload": {"id": "m", "from": {"phone_number": "+1"}, "to": []}}}"#;
        assert_eq!(reason(no_to), "data.payload.to: empty");
        let bad_text = r#"{"data": {"event_type": "message.received", "payload": {"id": "m", "from": {"phone_number": "+1"},
            "to": [{"phone_number": "+2"}], "text": 5}}}"#;
        assert_eq!(reason(bad_text), "data.payload.text: expected a string, found a number");
        let many: Vec<String> = (0..=MAX_RECIPIENTS).map(|i| format!(r#"{{"phone_number": "+{i}"}}"#)).collect();
        let crowd = format!(
            r#"{{"data": {{"event_type": "message.sent", "payload": {{"id": "m", "from": {{"phone_number": "+1"}}, "to": [{}]}}}}}}"#,
            many.join(",")
        );
        assert_eq!(reason(&crowd), "data.payload.to: 101 entries, at most 100");
    }

    #[test]
    fn no_prefix_of_a_fixture_panics() {
        for body in [RECEIVED, FINALIZED] {
            for end in 0..body.len() {
                let _ = parse(&body[..end]);
            }
            assert!(parse(body).is_ok());
        }
    }
}
