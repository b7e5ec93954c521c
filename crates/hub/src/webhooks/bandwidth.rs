//! Bandwidth Messaging v2 callbacks: `message-received`, `message-sending`, `message-delivered`,
//! `message-failed`.
//!
//! Bandwidth posts a JSON array of callbacks and signs nothing: the organisation sets HTTP Basic
//! credentials on its Bandwidth messaging application (`InboundCallbackCreds` and
//! `OutboundCallbackCreds`, Bandwidth docs, "How to manage Applications") and Bandwidth sends them
//! with every callback. Both parts are compared in constant time, over their SHA-256 so that not
//! even their lengths show in the timing.
//!
//! Bandwidth delivers every callback at least once and retries for 24 hours until it gets a 2xx
//! (Bandwidth docs, "Webhooks" under Messaging): repeats within one batch are dropped here, and
//! [`Callback::dedupe_key`] names the rest (message id, type and recipient, since a group
//! message's receipts share one id).
//!
//! A send to a recipient who opted out fails with error 4775
//! `destination-rejected-due-to-user-opt-out`, "Carrier Rejected due to user opt out" (Bandwidth
//! docs, Messaging "Errors", carrier reported client errors). Bandwidth handles STOP only for
//! toll-free numbers, at the network, and flags no inbound message as handled, so Bandwidth
//! replies have no provider action.

use std::collections::HashSet;
use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::de::{Deserializer, Error as _, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{check_size, json_error, shown, Callback, Field, InboundMessage, ProviderName, Rejection, StatusUpdate};

/// The most callbacks read from one request.
pub const MAX_CALLBACKS: usize = 1000;

/// Bandwidth's error code for a send refused because the recipient opted out.
pub const OPTED_OUT_ERROR: &str = "4775";

/// Whether `authorization_header` carries the expected Basic credentials.
///
/// A missing header, another scheme, undecodable credentials and empty expected credentials
/// (an unconfigured application must not accept callbacks) are all `false`.
///
/// ```
/// use optout_hub::webhooks::bandwidth;
/// // "Basic " + base64("optout:s3cret")
/// assert!(bandwidth::verify_basic("optout", "s3cret", Some("Basic b3B0b3V0OnMzY3JldA==")));
/// assert!(!bandwidth::verify_basic("optout", "s3cret", Some("Basic b3B0b3V0OnNlY3JldA==")));
/// assert!(!bandwidth::verify_basic("optout", "s3cret", None));
/// ```
pub fn verify_basic(expected_username: &str, expected_password: &str, authorization_header: Option<&str>) -> bool {
    check_basic(expected_username, expected_password, authorization_header).is_ok()
}

/// As [`verify_basic`], saying why a request is refused, for the log. It never says which of
/// the username and password was wrong.
///
/// # Errors
/// [`Rejection::NotGenuine`] naming `Authorization` or the unconfigured credentials.
pub fn check_basic(
    expected_username: &str,
    expected_password: &str,
    authorization_header: Option<&str>,
) -> Result<(), Rejection> {
    const HEADER: &str = "Authorization";
    if expected_username.is_empty() || expected_password.is_empty() {
        return Err(Rejection::not_genuine("Bandwidth callback credentials", "not configured"));
    }
    let header = authorization_header.map(str::trim).filter(|h| !h.is_empty());
    let header = header.ok_or_else(|| Rejection::not_genuine(HEADER, "missing"))?;
    // RFC 7617: the scheme is case-insensitive, the credentials are base64 of `user-id:password`,
    // and the user-id cannot contain a colon, so the first colon splits them.
    let credentials = match header.split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("Basic") => rest.trim(),
        _ => return Err(Rejection::not_genuine(HEADER, "not Basic credentials")),
    };
    let decoded = STANDARD.decode(credentials).map_err(|_| Rejection::not_genuine(HEADER, "not base64"))?;
    let colon = decoded.iter().position(|&b| b == b':');
    let colon = colon.ok_or_else(|| Rejection::not_genuine(HEADER, "no colon between username and password"))?;
    let (username, password) = (&decoded[..colon], &decoded[colon + 1..]);
    let same = |given: &[u8], expected: &str| Sha256::digest(given).ct_eq(&Sha256::digest(expected.as_bytes()));
    // `&` on the choices, not `&&`: both comparisons always run.
    if bool::from(same(username, expected_username) & same(password, expected_password)) {
        Ok(())
    } else {
        Err(Rejection::not_genuine(HEADER, "wrong username or password"))
    }
}

/// The `Authorization` header Bandwidth would send with these credentials, for tests that play
/// Bandwidth.
#[cfg(any(test, feature = "test-signing"))]
pub fn basic_header(username: &str, password: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{username}:{password}")))
}

/// Reads a verified callback body (Bandwidth docs, Messaging "Webhooks"): each `message-received`
/// is a [`Callback::Inbound`], each `message-sending`, `message-delivered` and `message-failed` a
/// [`Callback::Status`] whose status is that type, other types [`Callback::Ignored`]. A repeat of
/// a callback (same message id, type and recipient) in the same batch is dropped.
///
/// An inbound message's sender number is `message.owner` (the organisation's number that this copy
/// of a group message belongs to), else the callback's `to`; a status update's recipient is the
/// callback's `to`, else the only number of `message.to`.
///
/// # Errors
/// [`Rejection::Malformed`] naming `body` when it is not a JSON array, is too long or holds more
/// than [`MAX_CALLBACKS`] callbacks, else the path of the field at fault (`[3].message.id:
/// missing`).
pub fn parse(body: &[u8]) -> Result<Vec<Callback>, Rejection> {
    check_size(body)?;
    let Batch(items) = serde_json::from_slice(body).map_err(|e| json_error(&e))?;
    let mut seen = HashSet::new();
    let mut callbacks = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let callback = read(Field::root(item, format!("[{i}]")))?;
        if callback.dedupe_key().is_none_or(|key| seen.insert(key)) {
            callbacks.push(callback);
        }
    }
    Ok(callbacks)
}

fn read(item: Field<'_>) -> Result<Callback, Rejection> {
    let kind = item.get("type")?.string()?;
    let inbound = match kind {
        "message-received" => true,
        "message-sending" | "message-delivered" | "message-failed" => false,
        other => {
            let what = format!("Bandwidth callback {}: not a message event the hub acts on", shown(other));
            return Ok(Callback::Ignored { what });
        }
    };
    let message = item.get("message")?;
    let provider_message_id = message.get("id")?.string()?.to_owned();
    let callback_to = item.get("to")?.optional_string()?.filter(|t| !t.trim().is_empty());
    if inbound {
        let owner = message.get("owner")?.optional_string()?.filter(|o| !o.trim().is_empty());
        let sender = match owner.or(callback_to) {
            Some(number) => number.to_owned(),
            None => return Err(Rejection::malformed(message.get("owner")?.place(), "missing")),
        };
        return Ok(Callback::Inbound(InboundMessage {
            provider: ProviderName::Bandwidth,
            provider_message_id,
            sender_phone: sender,
            contact_phone: message.get("from")?.string()?.to_owned(),
            body: message.get("text")?.optional_string()?.unwrap_or_default().to_owned(),
            at: message.get("time")?.time().or_else(|| item.get("time").ok().and_then(|t| t.time())),
            provider_action: None,
        }));
    }
    let contact = match callback_to {
        Some(number) => number.to_owned(),
        None => only_recipient(&message.get("to")?)?,
    };
    let error_code = item.get("errorCode")?.code()?;
    Ok(Callback::Status(StatusUpdate {
        provider: ProviderName::Bandwidth,
        provider_message_id,
        sender_phone: message.get("from")?.string()?.to_owned(),
        contact_phone: contact,
        status: kind.to_owned(),
        recipient_opted_out: error_code.as_deref() == Some(OPTED_OUT_ERROR),
        error_code,
        at: item.get("time")?.time(),
    }))
}

/// The one number of `message.to`, when the callback has no `to` of its own.
fn only_recipient(to: &Field<'_>) -> Result<String, Rejection> {
    match to.elements(2)?.as_slice() {
        [only] => Ok(only.string()?.to_owned()),
        [] => Err(Rejection::malformed(to.place(), "missing")),
        _ => Err(Rejection::malformed(to.place(), "several recipients and no `to` saying which this is")),
    }
}

/// The callbacks of one request, refused past [`MAX_CALLBACKS`] while reading, before the rest is
/// built.
struct Batch(Vec<Value>);

impl<'de> Deserialize<'de> for Batch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Batch, D::Error> {
        deserializer.deserialize_seq(BatchVisitor)
    }
}

struct BatchVisitor;

impl<'de> Visitor<'de> for BatchVisitor {
    type Value = Batch;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array of callbacks")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Batch, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(MAX_CALLBACKS));
        while let Some(item) = seq.next_element::<Value>()? {
            if items.len() == MAX_CALLBACKS {
                return Err(A::Error::custom(format!("more than {MAX_CALLBACKS} callbacks")));
            }
            items.push(item);
        }
        Ok(Batch(items))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    const RECEIVED: &[u8] = include_bytes!("../../tests/fixtures/webhooks/bandwidth-message-received.json");
    const FAILED: &[u8] = include_bytes!("../../tests/fixtures/webhooks/bandwidth-message-failed-opted-out.json");

    #[test]
    fn the_expected_credentials_are_accepted() {
        let header = basic_header("optout-hub", "correct horse: battery");
        assert!(verify_basic("optout-hub", "correct horse: battery", Some(&header)), "a colon may be in the password");
        let lower = header.replacen("Basic", "basic", 1);
        assert!(verify_basic("optout-hub", "correct horse: battery", Some(&lower)));
    }

    #[test]
    fn other_credentials_and_broken_headers_are_refused_with_a_reason() {
        let reason = |h: Option<&str>| check_basic("optout-hub", "s3cret", h).unwrap_err().to_string();
        assert_eq!(reason(Some(&basic_header("optout-hub", "guess"))), "Authorization: wrong username or password");
        assert_eq!(reason(Some(&basic_header("someone", "s3cret"))), "Authorization: wrong username or password");
        assert_eq!(reason(Some(&basic_header("optout-hub", "s3cret2"))), "Authorization: wrong username or password");
        assert_eq!(reason(None), "Authorization: missing");
        assert_eq!(reason(Some("Bearer abc")), "Authorization: not Basic credentials");
        assert_eq!(reason(Some("Basic")), "Authorization: not Basic credentials");
        assert_eq!(reason(Some("Basic ***")), "Authorization: not base64");
        assert_eq!(
            reason(Some(&format!("Basic {}", STANDARD.encode("nocolon")))),
            "Authorization: no colon between username and password"
        );
        assert!(!verify_basic("", "", Some(&basic_header("", ""))), "unset credentials accept nothing");
    }

    #[test]
    fn a_received_message_is_a_reply() {
        assert!(verify_basic("optout-hub", "s3cret", Some(&basic_header("optout-hub", "s3cret"))));
        let callbacks = parse(RECEIVED).unwrap();
        let [Callback::Inbound(m)] = callbacks.as_slice() else { panic!("{callbacks:?}") };
        assert_eq!(m.provider_message_id, "17960702168292kw2fuqty55yp2b2");
        assert_eq!((m.sender_phone.as_str(), m.contact_phone.as_str()), ("+14155550100", "+14155552671"));
        assert_eq!((m.body.as_str(), m.provider_action), ("Stop", None));
        assert_eq!(m.at, Some(Utc.with_ymd_and_hms(2026, 11, 30, 18, 20, 16).unwrap()));
    }

    #[test]
    fn a_failure_with_4775_says_the_recipient_opted_out() {
        let callbacks = parse(FAILED).unwrap();
        let [Callback::Status(s)] = callbacks.as_slice() else { panic!("{callbacks:?}") };
        assert_eq!((s.sender_phone.as_str(), s.contact_phone.as_str()), ("+14155550100", "+14155552671"));
        assert_eq!(
            (s.status.as_str(), s.error_code.as_deref(), s.recipient_opted_out),
            ("message-failed", Some("4775"), true)
        );
        assert_eq!(s.at, Some(Utc.with_ymd_and_hms(2026, 11, 30, 18, 25, 3).unwrap()));
    }

    #[test]
    fn repeats_in_a_batch_are_dropped_and_other_types_ignored() {
        let one = r#"{"type": "message-delivered", "time": "2026-11-30T18:20:16Z", "to": "+2", "description": "ok",
            "message": {"id": "m1", "from": "+1", "to": ["+2", "+3"], "owner": "+1", "direction": "out"}}"#;
        let other_recipient = one.replace(r#""to": "+2", "description""#, r#""to": "+3", "description""#);
        let read = r#"{"type": "message-read", "message": {"id": "m1"}}"#;
        let body = format!("[{one}, {one}, {other_recipient}, {read}]");
        let callbacks = parse(body.as_bytes()).unwrap();
        assert_eq!(callbacks.len(), 3, "{callbacks:?}");
        let Callback::Status(s) = &callbacks[1] else { panic!("{callbacks:?}") };
        assert_eq!((s.contact_phone.as_str(), s.error_code.as_deref(), s.recipient_opted_out), ("+3", None, false));
        assert!(matches!(&callbacks[2], Callback::Ignored { what } if what.contains("message-read")));
        assert_eq!(parse(b"[]").unwrap(), Vec::new());
    }

    #[test]
    fn a_batch_is_bounded() {
        let item = r#"{"type": "message-sending", "to": "+2", "message": {"id": "m", "from": "+1"}}"#;
        let batch = |n: usize| format!("[{}]", vec![item; n].join(","));
        assert_eq!(parse(batch(MAX_CALLBACKS).as_bytes()).unwrap().len(), 1, "1,000 repeats are one callback");
        let error = parse(batch(MAX_CALLBACKS + 1).as_bytes()).unwrap_err().to_string();
        assert!(error.starts_with("body: more than 1000 callbacks at line 1 column"), "{error}");
    }

    #[test]
    fn malformed_bodies_name_the_place() {
        let reason = |body: &str| parse(body.as_bytes()).unwrap_err().to_string();
        assert_eq!(reason("[{"), "body: not JSON at line 1 column 2 (EOF while parsing an object)");
        assert!(reason("{}").starts_with("body: invalid type: map, expected a JSON array of callbacks"));
        assert_eq!(reason("[5]"), "[0]: expected an object, found a number");
        assert_eq!(reason(r#"[{"type": "message-received", "message": {}}]"#), "[0].message.id: missing");
        let ok = r#"{"type": "message-received", "to": "+2", "message": {"id": "m", "from": "+1"}}"#;
        let no_owner = r#"{"type": "message-received", "message": {"id": "m", "from": "+1"}}"#;
        assert_eq!(reason(&format!("[{ok}, {no_owner}]")), "[1].message.owner: missing");
        let group = r#"{"type": "message-failed", "errorCode": 4432, "message": {"id": "m", "from": "+1", "to": ["+2", "+3"]}}"#;
        assert_eq!(
            reason(&format!("[{group}]")),
            "[0].message.to: several recipients and no `to` saying which this is"
        );
        let bad_code =
            r#"{"type": "message-failed", "to": "+2", "errorCode": 47.5, "message": {"id": "m", "from": "+1"}}"#;
        assert_eq!(
            reason(&format!("[{bad_code}]")),
            "[0].errorCode: expected a string or a whole number, found a number"
        );
        let alone =
            r#"{"type": "message-failed", "errorCode": "4775", "message": {"id": "m", "from": "+1", "to": ["+2"]}}"#;
        let callbacks = parse(format!("[{alone}]").as_bytes()).unwrap();
        let [Callback::Status(s)] = callbacks.as_slice() else { panic!("{callbacks:?}") };
        assert_eq!((s.contact_phone.as_str(), s.recipient_opted_out), ("+2", true));
    }

    #[test]
    fn no_prefix_of_a_fixture_panics() {
        for body in [RECEIVED, FAILED] {
            for end in 0..body.len() {
                let _ = parse(&body[..end]);
            }
        }
    }
}
