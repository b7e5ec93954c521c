//! Provider webhooks: whether a callback is genuine, and what it says.
//!
//! Twilio, Telnyx and Bandwidth call the hub when a contact texts a sender number and when a
//! message the platform sent changes state. This module checks that a callback really comes from
//! the provider (invariant 9: only genuine traffic enters the record) and turns it into
//! [`Callback`]s. Everything here is a pure function over the request's bytes, headers and the
//! organisation's secrets: no storage, no HTTP server, no clock (the caller passes `now`).
//!
//! | provider | genuine when | read with |
//! | --- | --- | --- |
//! | Twilio | `X-Twilio-Signature` is the HMAC-SHA1 of the URL and form parameters under the auth token | [`twilio::verify`], [`twilio::form_params`], [`twilio::parse`] |
//! | Telnyx | `telnyx-signature-ed25519` signs `{telnyx-timestamp}\|{body}`, the timestamp within 5 minutes | [`telnyx::verify`], [`telnyx::parse`] |
//! | Bandwidth | HTTP Basic credentials equal those set in the Bandwidth application | [`bandwidth::verify_basic`], [`bandwidth::parse`] |
//!
//! # In a handler
//! 1. Refuse a body over [`MAX_BODY_BYTES`] before reading it all (the parsers refuse it too).
//! 2. Check genuineness on the raw request first; answer 401 or 403 when it fails, and read nothing
//!    of the body. [`Rejection::NotGenuine`] says why, for the log.
//! 3. Parse. A [`Rejection::Malformed`] is a 400: the same bytes would fail again.
//! 4. Answer 2xx for every parsed callback, [`Callback::Ignored`] too, so the provider does not
//!    retry (for Twilio's incoming messages, with [`twilio::EMPTY_TWIML`]).
//! 5. Providers deliver at least once: [`Callback::dedupe_key`] names a callback so that a
//!    repeat can be recognised. Replies are also deduplicated by the hub on their message id.
//!
//! ```
//! use optout_hub::webhooks::{bandwidth, Callback};
//!
//! // "Basic " + base64("optout:s3cret")
//! let authorization = Some("Basic b3B0b3V0OnMzY3JldA==");
//! assert!(bandwidth::verify_basic("optout", "s3cret", authorization));
//! assert!(!bandwidth::verify_basic("optout", "other", authorization));
//!
//! let body = br#"[{"type": "message-received", "time": "2026-11-30T18:20:16Z", "to": "+14155550100",
//!   "message": {"id": "m-1", "owner": "+14155550100", "from": "+14155552671", "text": "STOP",
//!   "to": ["+14155550100"], "direction": "in"}}]"#;
//! let callbacks = bandwidth::parse(body).unwrap();
//! let Callback::Inbound(message) = &callbacks[0] else { panic!("a reply") };
//! assert_eq!(message.to_reply().body, "STOP");
//! assert!(bandwidth::parse(b"[{").is_err());
//! ```
//!
//! Phone numbers are passed on as the provider wrote them (E.164 as a rule): the hub parses and
//! validates them when it ingests.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::IncomingReply;

pub mod bandwidth;
pub mod telnyx;
pub mod twilio;

/// The largest callback body the parsers read. A Bandwidth batch of 1,000 callbacks fits; a
/// handler should refuse a longer body before reading it (axum's `DefaultBodyLimit`).
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// A provider that calls the hub's webhooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProviderName {
    /// Twilio Programmable Messaging.
    Twilio,
    /// Telnyx Messaging (API v2 webhooks).
    Telnyx,
    /// Bandwidth Messaging (v2 callbacks).
    Bandwidth,
}

impl ProviderName {
    /// Its name in lower case: `twilio`, `telnyx`, `bandwidth`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderName::Twilio => "twilio",
            ProviderName::Telnyx => "telnyx",
            ProviderName::Bandwidth => "bandwidth",
        }
    }
}

pub use crate::ingest::ProviderAction;

/// One callback from a provider, in the hub's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    /// A contact's message to a sender number.
    Inbound(InboundMessage),
    /// What the provider did with a message the platform sent.
    Status(StatusUpdate),
    /// A callback the hub does not act on, answered 2xx so that the provider does not retry.
    Ignored {
        /// Which callback it was and why the hub ignores it, for the log.
        what: String,
    },
}

/// A contact's message to one of the organisation's sender numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundMessage {
    /// Who delivered it.
    pub provider: ProviderName,
    /// The provider's id for the message.
    pub provider_message_id: String,
    /// The organisation's number that received it.
    pub sender_phone: String,
    /// The contact who wrote it.
    pub contact_phone: String,
    /// The text as the contact wrote it (empty for a picture without text).
    pub body: String,
    /// When the provider says it arrived; `None` when it does not say or says it unreadably.
    pub at: Option<DateTime<Utc>>,
    /// What the provider did with it, when it says (see [`ProviderAction`]).
    pub provider_action: Option<ProviderAction>,
}

impl InboundMessage {
    /// The reply as the hub ingests it ([`crate::Hub::ingest_reply`]).
    pub fn to_reply(&self) -> IncomingReply {
        IncomingReply {
            provider_message_id: self.provider_message_id.clone(),
            sender_phone: self.sender_phone.clone(),
            contact_phone: self.contact_phone.clone(),
            body: self.body.clone(),
            at: self.at,
            provider_action: self.provider_action,
        }
    }
}

/// What the provider did with a message the platform sent, for one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusUpdate {
    /// Who sent it.
    pub provider: ProviderName,
    /// The provider's id for the message.
    pub provider_message_id: String,
    /// The sender number it was sent from.
    pub sender_phone: String,
    /// The contact it was sent to.
    pub contact_phone: String,
    /// The provider's word for the state, as it wrote it (`delivered`, `undelivered`,
    /// `delivery_failed`, `message-failed`…).
    pub status: String,
    /// The provider's error code, as it wrote it, when there is one.
    pub error_code: Option<String>,
    /// Whether the provider refused the message because the recipient opted out of this sender
    /// (Twilio 21610, Telnyx 40300, Bandwidth 4775): a provider block.
    pub recipient_opted_out: bool,
    /// When the provider says the state changed; `None` when it does not say.
    pub at: Option<DateTime<Utc>>,
}

impl Callback {
    /// A name for the callback that is the same when the provider delivers it again, for
    /// recognising repeats (every provider here delivers at least once); `None` for
    /// [`Callback::Ignored`]. A status update is named by message, state and recipient, since one
    /// message has many states and a group message many recipients.
    pub fn dedupe_key(&self) -> Option<String> {
        match self {
            Callback::Inbound(m) => Some(format!("{}|{}|inbound", m.provider.as_str(), m.provider_message_id)),
            Callback::Status(s) => {
                Some(format!("{}|{}|{}|{}", s.provider.as_str(), s.provider_message_id, s.status, s.contact_phone))
            }
            Callback::Ignored { .. } => None,
        }
    }
}

/// Why a callback was refused, naming the header or field at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// Nothing shows the callback comes from the provider: answer 401 or 403, read nothing of it.
    #[error("{place}: {problem}")]
    NotGenuine {
        /// The header at fault (`X-Twilio-Signature`, `telnyx-timestamp`, `Authorization`…).
        place: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The body cannot be read as the provider documents it: answer 400.
    #[error("{place}: {problem}")]
    Malformed {
        /// The field at fault, as a path into the body (`data.payload.from.phone_number`,
        /// `[3].message.id`, `MessageSid`), or `body` for the whole of it.
        place: String,
        /// What is wrong with it.
        problem: String,
    },
}

impl Rejection {
    /// The header or field at fault.
    pub fn place(&self) -> &str {
        match self {
            Rejection::NotGenuine { place, .. } | Rejection::Malformed { place, .. } => place,
        }
    }

    /// A stable code for the HTTP answer: `webhook_not_genuine` or `webhook_malformed`.
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::NotGenuine { .. } => "webhook_not_genuine",
            Rejection::Malformed { .. } => "webhook_malformed",
        }
    }

    pub(crate) fn not_genuine(place: &str, problem: impl Into<String>) -> Rejection {
        Rejection::NotGenuine { place: place.to_owned(), problem: problem.into() }
    }

    pub(crate) fn malformed(place: &str, problem: impl Into<String>) -> Rejection {
        Rejection::Malformed { place: place.to_owned(), problem: problem.into() }
    }
}

/// Refuses a body longer than [`MAX_BODY_BYTES`].
pub(crate) fn check_size(body: &[u8]) -> Result<(), Rejection> {
    if body.len() > MAX_BODY_BYTES {
        return Err(Rejection::malformed("body", format!("{} bytes, at most {MAX_BODY_BYTES}", body.len())));
    }
    Ok(())
}

/// What serde_json said about a body, said for the person reading the log.
pub(crate) fn json_error(error: &serde_json::Error) -> Rejection {
    use serde_json::error::Category;
    match error.classify() {
        Category::Syntax | Category::Eof | Category::Io => Rejection::malformed(
            "body",
            format!("not JSON at line {} column {} ({})", error.line(), error.column(), syntax_reason(error)),
        ),
        Category::Data => Rejection::malformed("body", error.to_string()),
    }
}

/// serde_json's reason without its position, which [`json_error`] gives in its own words.
fn syntax_reason(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_owned(),
        None => text,
    }
}

/// A value in a JSON body and the path to it, so that an error names the field.
pub(crate) struct Field<'a> {
    path: String,
    value: Option<&'a Value>,
}

impl<'a> Field<'a> {
    /// The whole body, or one element of a batch, under the path given (`""` for the body).
    pub(crate) fn root(value: &'a Value, path: String) -> Field<'a> {
        Field { path, value: Some(value) }
    }

    fn place(&self) -> &str {
        if self.path.is_empty() {
            "body"
        } else {
            &self.path
        }
    }

    fn wrong_type(&self, expected: &str) -> Rejection {
        let found = match self.value {
            None | Some(Value::Null) => "nothing",
            Some(Value::Bool(_)) => "a boolean",
            Some(Value::Number(_)) => "a number",
            Some(Value::String(_)) => "a string",
            Some(Value::Array(_)) => "an array",
            Some(Value::Object(_)) => "an object",
        };
        Rejection::malformed(self.place(), format!("expected {expected}, found {found}"))
    }

    /// The member `key` of this object (absent when this is absent or null).
    ///
    /// # Errors
    /// When this is present but not an object.
    pub(crate) fn get(&self, key: &str) -> Result<Field<'a>, Rejection> {
        let path = if self.path.is_empty() { key.to_owned() } else { format!("{}.{key}", self.path) };
        match self.value {
            None | Some(Value::Null) => Ok(Field { path, value: None }),
            Some(Value::Object(map)) => Ok(Field { path, value: map.get(key) }),
            Some(_) => Err(self.wrong_type("an object")),
        }
    }

    /// The elements of this array, each with its path; empty when this is absent or null.
    ///
    /// # Errors
    /// When this is present but not an array, or has more than `max` elements.
    pub(crate) fn elements(&self, max: usize) -> Result<Vec<Field<'a>>, Rejection> {
        match self.value {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) if items.len() > max => {
                Err(Rejection::malformed(self.place(), format!("{} entries, at most {max}", items.len())))
            }
            Some(Value::Array(items)) => Ok(items
                .iter()
                .enumerate()
                .map(|(i, value)| Field { path: format!("{}[{i}]", self.path), value: Some(value) })
                .collect()),
            Some(_) => Err(self.wrong_type("an array")),
        }
    }

    /// This string, which must be there and not blank.
    pub(crate) fn string(&self) -> Result<&'a str, Rejection> {
        match self.optional_string()? {
            None => Err(Rejection::malformed(self.place(), "missing")),
            Some(text) if text.trim().is_empty() => Err(Rejection::malformed(self.place(), "empty")),
            Some(text) => Ok(text),
        }
    }

    /// This string, or `None` when it is absent or null.
    pub(crate) fn optional_string(&self) -> Result<Option<&'a str>, Rejection> {
        match self.value {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(_) => Err(self.wrong_type("a string")),
        }
    }

    /// An error code, which providers write as a string or as a whole number; `None` when absent,
    /// null or blank.
    pub(crate) fn code(&self) -> Result<Option<String>, Rejection> {
        match self.value {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.trim().to_owned())),
            Some(Value::Number(n)) if n.is_u64() || n.is_i64() => Ok(Some(n.to_string())),
            Some(_) => Err(self.wrong_type("a string or a whole number")),
        }
    }

    /// This RFC 3339 time. An absent or unreadable time is `None` rather than a refusal: the time
    /// is only informative (the hub stamps its own), and refusing a genuine STOP over it would lose
    /// the opt-out.
    pub(crate) fn time(&self) -> Option<DateTime<Utc>> {
        let text = self.value?.as_str()?;
        DateTime::parse_from_rfc3339(text.trim()).ok().map(|t| t.with_timezone(&Utc))
    }
}

/// A callback type or event name from the provider, cut short for [`Callback::Ignored`].
pub(crate) fn shown(name: &str) -> String {
    name.chars().take(80).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn status() -> StatusUpdate {
        StatusUpdate {
            provider: ProviderName::Bandwidth,
            provider_message_id: "m-1".to_owned(),
            sender_phone: "+14155550100".to_owned(),
            contact_phone: "+14155552671".to_owned(),
            status: "message-failed".to_owned(),
            error_code: Some("4775".to_owned()),
            recipient_opted_out: true,
            at: None,
        }
    }

    #[test]
    fn a_repeat_has_the_same_key_and_another_state_or_recipient_another() {
        let first = Callback::Status(status());
        assert_eq!(first.dedupe_key(), Callback::Status(status()).dedupe_key());
        let delivered = Callback::Status(StatusUpdate { status: "message-delivered".to_owned(), ..status() });
        assert_ne!(first.dedupe_key(), delivered.dedupe_key());
        let other = Callback::Status(StatusUpdate { contact_phone: "+14155552672".to_owned(), ..status() });
        assert_ne!(first.dedupe_key(), other.dedupe_key());
        assert_eq!(Callback::Ignored { what: "x".to_owned() }.dedupe_key(), None);
    }

    #[test]
    fn an_inbound_message_becomes_the_reply_the_hub_ingests() {
        let message = InboundMessage {
            provider: ProviderName::Twilio,
            provider_message_id: "SM1".to_owned(),
            sender_phone: "+14155550100".to_owned(),
            contact_phone: "+14155552671".to_owned(),
            body: "STOP".to_owned(),
            at: None,
            provider_action: Some(ProviderAction::OptedOut),
        };
        let reply = message.to_reply();
        assert_eq!(
            (reply.provider_message_id.as_str(), reply.sender_phone.as_str(), reply.contact_phone.as_str()),
            ("SM1", "+14155550100", "+14155552671")
        );
        assert_eq!((reply.body.as_str(), reply.at), ("STOP", None));
        assert_eq!(Callback::Inbound(message).dedupe_key().unwrap(), "twilio|SM1|inbound");
    }

    #[test]
    fn a_rejection_names_its_place_and_code() {
        let r = Rejection::not_genuine("X-Twilio-Signature", "missing");
        assert_eq!(
            (r.to_string().as_str(), r.place(), r.code()),
            ("X-Twilio-Signature: missing", "X-Twilio-Signature", "webhook_not_genuine")
        );
        assert_eq!(Rejection::malformed("body", "x").code(), "webhook_malformed");
        assert_eq!(ProviderName::Telnyx.as_str(), "telnyx");
    }

    #[test]
    fn fields_name_their_path() {
        let value: Value = serde_json::from_str(r#"{"a": {"b": [{"c": 5}, {"c": " "}], "s": "x"}}"#).unwrap();
        let root = Field::root(&value, String::new());
        let items = root.get("a").unwrap().get("b").unwrap().elements(10).unwrap();
        assert_eq!(
            items[0].get("c").unwrap().string().unwrap_err().to_string(),
            "a.b[0].c: expected a string, found a number"
        );
        assert_eq!(items[1].get("c").unwrap().string().unwrap_err().to_string(), "a.b[1].c: empty");
        assert_eq!(items[0].get("c").unwrap().code().unwrap().as_deref(), Some("5"));
        assert_eq!(root.get("z").unwrap().get("y").unwrap().string().unwrap_err().to_string(), "z.y: missing");
        let error = root.get("a").unwrap().get("s").unwrap().get("t").err().unwrap();
        assert_eq!(error.to_string(), "a.s: expected an object, found a string");
        assert_eq!(
            root.get("a").unwrap().get("b").unwrap().elements(1).err().unwrap().to_string(),
            "a.b: 2 entries, at most 1"
        );
        assert_eq!(root.get("a").unwrap().get("s").unwrap().time(), None);
    }

    #[test]
    fn a_body_that_is_not_json_says_where() {
        let error = serde_json::from_slice::<Value>(b"{\"a\" 1}").unwrap_err();
        assert_eq!(json_error(&error).to_string(), "body: not JSON at line 1 column 6 (expected `:`)");
        assert!(check_size(&vec![b' '; MAX_BODY_BYTES + 1]).is_err());
        assert!(check_size(&vec![b' '; MAX_BODY_BYTES]).is_ok());
    }
}
