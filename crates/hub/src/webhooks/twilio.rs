//! Twilio Programmable Messaging webhooks: incoming messages and status callbacks.
//!
//! Twilio posts `application/x-www-form-urlencoded` parameters and signs each request in
//! `X-Twilio-Signature`: base64 of HMAC-SHA1, keyed by the account's auth token, over the URL
//! Twilio called followed by every POST parameter's name and value, sorted by name (Twilio docs,
//! "Secure webhooks" / "Webhooks security"). Where the docs are silent this follows Twilio's own
//! validators, read in twilio-python `twilio/request_validator.py` and twilio-node
//! `src/webhooks/webhooks.ts`:
//! - a name sent more than once contributes each of its distinct values once, in sorted order;
//! - the URL is tried both without its port and with the scheme's default port (443, 80), since
//!   Twilio's signing is inconsistent about it.
//!
//! The URL must be the one Twilio called, as configured in Twilio (scheme, host, path and query
//! exactly), not the one a proxy in front of the hub forwarded.
//!
//! JSON-bodied webhooks (`bodySHA256` in the URL) are not messaging webhooks and are not read here.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use super::{check_size, Callback, InboundMessage, ProviderAction, ProviderName, Rejection, StatusUpdate};

/// The header Twilio signs requests in.
pub const SIGNATURE_HEADER: &str = "X-Twilio-Signature";

/// The answer to an incoming message that asks Twilio to send nothing back: an empty TwiML
/// `<Response>` (Twilio docs, "Messaging Webhooks", and the help article "Receive SMS and MMS
/// messages without responding"). The hub sends its confirmations itself. Status callbacks need
/// no body; any 2xx will do.
pub const EMPTY_TWIML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";

/// The content type of [`EMPTY_TWIML`].
pub const TWIML_CONTENT_TYPE: &str = "text/xml";

/// The most form parameters read from one request. An incoming MMS with ten pictures has fewer
/// than fifty.
pub const MAX_PARAMS: usize = 500;

/// Twilio's error code for a send to a recipient who replied STOP to the sender ("Attempt to send
/// to unsubscribed recipient", Twilio docs, error 21610).
pub const OPTED_OUT_ERROR: &str = "21610";

/// The form parameters of a request body, in the order sent, decoded (`+` is a space).
///
/// # Errors
/// [`Rejection::Malformed`] for a body over [`super::MAX_BODY_BYTES`] or with more than
/// [`MAX_PARAMS`] parameters.
pub fn form_params(body: &[u8]) -> Result<Vec<(String, String)>, Rejection> {
    check_size(body)?;
    let mut params = Vec::new();
    for (name, value) in form_urlencoded::parse(body) {
        if params.len() == MAX_PARAMS {
            return Err(Rejection::malformed("body", format!("more than {MAX_PARAMS} form parameters")));
        }
        params.push((name.into_owned(), value.into_owned()));
    }
    Ok(params)
}

/// Whether `signature_header` is Twilio's signature of this request (see the module).
///
/// A missing, empty or undecodable header is `false`, and so is an empty auth token (an
/// unconfigured account must not accept requests). The comparison takes constant time.
///
/// ```
/// use optout_hub::webhooks::twilio;
/// // The example of Twilio's request validator tests (twilio-python).
/// let params: Vec<(String, String)> = [
///     ("CallSid", "CA1234567890ABCDE"), ("Caller", "+14158675309"), ("Digits", "1234"),
///     ("From", "+14158675309"), ("To", "+18005551212"),
/// ].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
/// let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
/// assert!(twilio::verify("12345", url, &params, Some("RSOYDt4T1cUTdK1PDd93/VVr8B8=")));
/// assert!(!twilio::verify("54321", url, &params, Some("RSOYDt4T1cUTdK1PDd93/VVr8B8=")));
/// ```
pub fn verify(auth_token: &str, url: &str, params: &[(String, String)], signature_header: Option<&str>) -> bool {
    check(auth_token, url, params, signature_header).is_ok()
}

/// As [`verify`], saying why a request is refused, for the log.
///
/// # Errors
/// [`Rejection::NotGenuine`] naming `X-Twilio-Signature` (missing, not base64, does not match)
/// or the auth token (not configured).
pub fn check(
    auth_token: &str,
    url: &str,
    params: &[(String, String)],
    signature_header: Option<&str>,
) -> Result<(), Rejection> {
    if auth_token.is_empty() {
        return Err(Rejection::not_genuine("Twilio auth token", "not configured"));
    }
    let header = signature_header.map(str::trim).filter(|h| !h.is_empty());
    let header = header.ok_or_else(|| Rejection::not_genuine(SIGNATURE_HEADER, "missing"))?;
    let signature = STANDARD.decode(header).map_err(|_| Rejection::not_genuine(SIGNATURE_HEADER, "not base64"))?;
    if signature.len() != 20 {
        return Err(Rejection::not_genuine(SIGNATURE_HEADER, "not a 20-byte HMAC-SHA1"));
    }
    for candidate in url_variants(url) {
        if mac(auth_token, &candidate, params).is_some_and(|mac| mac.verify_slice(&signature).is_ok()) {
            return Ok(());
        }
    }
    Err(Rejection::not_genuine(SIGNATURE_HEADER, "does not match the URL and parameters"))
}

/// The signature Twilio would send for this request, for tests that play Twilio.
#[cfg(any(test, feature = "test-signing"))]
pub fn sign(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    mac(auth_token, url, params).map(|mac| STANDARD.encode(mac.finalize().into_bytes())).unwrap_or_default()
}

/// The HMAC over the URL and the parameters, sorted by name (byte order, which is code point order
/// for UTF-8), each name's distinct values sorted, as Twilio's validators build it. (HMAC takes a
/// key of any length, so this is never `None` in practice.)
fn mac(auth_token: &str, url: &str, params: &[(String, String)]) -> Option<Hmac<Sha1>> {
    let mut sorted: Vec<(&str, &str)> = params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut mac = Hmac::<Sha1>::new_from_slice(auth_token.as_bytes()).ok()?;
    mac.update(url.as_bytes());
    for (name, value) in sorted {
        mac.update(name.as_bytes());
        mac.update(value.as_bytes());
    }
    Some(mac)
}

/// The URL without its port and with the scheme's default port, as Twilio's validators try
/// both; just the URL when it has no `http` or `https` authority to change.
fn url_variants(url: &str) -> Vec<String> {
    let Some(scheme_end) = url.find("://") else { return vec![url.to_owned()] };
    let start = scheme_end + 3;
    let end = url[start..].find(['/', '?', '#']).map_or(url.len(), |i| start + i);
    let authority = &url[start..end];
    let host_start = authority.rfind('@').map_or(0, |i| i + 1);
    let host = &authority[host_start..];
    // An IPv6 host has colons of its own: its port comes after the closing bracket.
    let port_colon = match host.rfind(']') {
        Some(bracket) => host[bracket..].find(':').map(|i| bracket + i),
        None => host.rfind(':'),
    };
    let port = port_colon.filter(|&i| !host[i + 1..].is_empty() && host[i + 1..].bytes().all(|b| b.is_ascii_digit()));
    let host_end = start + host_start + port.unwrap_or(host.len());
    let without = format!("{}{}", &url[..host_end], &url[end..]);
    let default_port = match url[..scheme_end].to_ascii_lowercase().as_str() {
        "https" => Some(":443"),
        "http" => Some(":80"),
        _ => None,
    };
    let with = match (port, default_port) {
        (Some(_), _) => Some(url.to_owned()),
        (None, Some(p)) => Some(format!("{}{p}{}", &url[..end], &url[end..])),
        (None, None) => None,
    };
    let mut variants = vec![without];
    variants.extend(with.filter(|w| *w != variants[0]));
    variants
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn required<'a>(params: &'a [(String, String)], name: &str) -> Result<&'a str, Rejection> {
    match param(params, name) {
        None => Err(Rejection::malformed(name, "missing")),
        Some(v) if v.trim().is_empty() => Err(Rejection::malformed(name, "empty")),
        Some(v) => Ok(v),
    }
}

/// Reads a verified request's parameters: an incoming message (Twilio docs, "Twilio's request to
/// your incoming message Webhook URL") or a status callback for a message sent (one with
/// `MessageStatus`, Twilio docs, "Track the message status of outbound messages"). A voice
/// callback (a `CallSid` and no `MessageSid`) is [`Callback::Ignored`].
///
/// Twilio sends no time with either, so `at` is `None`. `OptOutType` (`STOP`, `START`, `HELP`,
/// present when Advanced Opt-Out handled the message) becomes the provider action; an
/// `ErrorCode` of [`OPTED_OUT_ERROR`] marks the recipient as opted out.
///
/// # Errors
/// [`Rejection::Malformed`] naming the parameter (`MessageSid`, `From`, `To`, `MessageStatus`)
/// that is missing or empty.
pub fn parse(params: &[(String, String)]) -> Result<Callback, Rejection> {
    if param(params, "MessageSid").is_none() && param(params, "CallSid").is_some() {
        return Ok(Callback::Ignored { what: "Twilio voice callback: the hub reads messages only".to_owned() });
    }
    let provider_message_id = required(params, "MessageSid")?.to_owned();
    let from = required(params, "From")?.to_owned();
    let to = required(params, "To")?.to_owned();
    if param(params, "MessageStatus").is_some() {
        let status = required(params, "MessageStatus")?.to_owned();
        let error_code = param(params, "ErrorCode").map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned);
        let recipient_opted_out = error_code.as_deref() == Some(OPTED_OUT_ERROR);
        return Ok(Callback::Status(StatusUpdate {
            provider: ProviderName::Twilio,
            provider_message_id,
            sender_phone: from,
            contact_phone: to,
            status,
            error_code,
            recipient_opted_out,
            at: None,
        }));
    }
    let provider_action = match param(params, "OptOutType").map(|t| t.trim().to_ascii_uppercase()).as_deref() {
        Some("STOP") => Some(ProviderAction::OptedOut),
        Some("START") => Some(ProviderAction::OptedIn),
        Some("HELP") => Some(ProviderAction::Help),
        // A type Twilio adds later is no reason to refuse the reply; the rules still read it.
        _ => None,
    };
    Ok(Callback::Inbound(InboundMessage {
        provider: ProviderName::Twilio,
        provider_message_id,
        sender_phone: to,
        contact_phone: from,
        body: param(params, "Body").unwrap_or_default().to_owned(),
        at: None,
        provider_action,
    }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const INBOUND: &[u8] = include_bytes!("../../tests/fixtures/webhooks/twilio-inbound-stop.form");
    const STATUS: &[u8] = include_bytes!("../../tests/fixtures/webhooks/twilio-status-21610.form");
    const TOKEN: &str = "test-auth-token-0123456789abcdef";
    const HOOK: &str = "https://hub.example.org/v1/webhooks/twilio?org=acme";

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    /// The example of Twilio's validator tests (twilio-python `tests/unit/test_request_validator.py`).
    fn example() -> Vec<(String, String)> {
        pairs(&[
            ("CallSid", "CA1234567890ABCDE"),
            ("Digits", "1234"),
            ("From", "+14158675309"),
            ("To", "+18005551212"),
            ("Caller", "+14158675309"),
        ])
    }
    const EXAMPLE_URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";

    #[test]
    fn twilios_own_examples_are_accepted() {
        assert!(verify("12345", EXAMPLE_URL, &example(), Some("RSOYDt4T1cUTdK1PDd93/VVr8B8=")));
        assert_eq!(sign("12345", EXAMPLE_URL, &example()), "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        // The older "Security" page's worked example, with the caller +12349013030.
        let older = pairs(&[
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+12349013030"),
            ("Digits", "1234"),
            ("From", "+12349013030"),
            ("To", "+18005551212"),
        ]);
        assert!(verify("12345", EXAMPLE_URL, &older, Some("0/KCTR6DLpKmkAf8muzZqo1nDgQ=")));
    }

    #[test]
    fn the_port_is_tried_with_and_without_as_twilios_validators_do() {
        // Expected values from the same twilio-python tests.
        let with_443 = "kvajT1Ptam85bY51eRf/AJRuM3w=";
        assert!(verify("12345", EXAMPLE_URL, &example(), Some(with_443)));
        assert!(verify(
            "12345",
            "https://mycompany.com:1234/myapp.php?foo=1&bar=2",
            &example(),
            Some("RSOYDt4T1cUTdK1PDd93/VVr8B8=")
        ));
        assert!(verify(
            "12345",
            "http://mycompany.com:1234/myapp.php?foo=1&bar=2",
            &example(),
            Some("Zmvh+3yNM1Phv2jhDCwEM3q5ebU=")
        ));
        assert!(verify(
            "12345",
            "http://mycompany.com/myapp.php?foo=1&bar=2",
            &example(),
            Some("0ZXoZLH/DfblKGATFgpif+LLRf4=")
        ));
        // Port 443 belongs to https only.
        assert!(!verify("12345", "http://mycompany.com/myapp.php?foo=1&bar=2", &example(), Some(with_443)));
    }

    #[test]
    fn a_repeated_name_counts_each_distinct_value_once_in_order() {
        let params = pairs(&[
            ("Sid", "CA123"),
            ("SidAccount", "AC123"),
            ("Digits", "5678"),
            ("Digits", "1234"),
            ("Digits", "1234"),
        ]);
        assert!(verify("12345", EXAMPLE_URL, &params, Some("IK+Dwps556ElfBT0I3Rgjkr1wJU=")));
    }

    #[test]
    fn url_variants_change_only_the_port() {
        assert_eq!(
            url_variants("https://a.example/x?p=1:2"),
            ["https://a.example/x?p=1:2", "https://a.example:443/x?p=1:2"]
        );
        assert_eq!(url_variants("http://u:pw@a.example:8080"), ["http://u:pw@a.example", "http://u:pw@a.example:8080"]);
        assert_eq!(url_variants("https://[::1]:8443/h"), ["https://[::1]/h", "https://[::1]:8443/h"]);
        assert_eq!(url_variants("https://[::1]/h"), ["https://[::1]/h", "https://[::1]:443/h"]);
        assert_eq!(url_variants("not a url"), ["not a url"]);
        assert_eq!(url_variants("ftp://a.example/"), ["ftp://a.example/"]);
    }

    #[test]
    fn a_signed_fixture_is_accepted_and_any_change_refused() {
        let params = form_params(INBOUND).unwrap();
        let signature = sign(TOKEN, HOOK, &params);
        assert!(verify(TOKEN, HOOK, &params, Some(&signature)));
        let mut reordered = params.clone();
        reordered.reverse();
        assert!(verify(TOKEN, HOOK, &reordered, Some(&signature)), "order of the form is not signed");
        let mut extra = params.clone();
        extra.push(("Injected".to_owned(), "1".to_owned()));
        assert!(!verify(TOKEN, HOOK, &extra, Some(&signature)));
        let tampered: Vec<_> =
            params.iter().map(|(k, v)| (k.clone(), if k == "Body" { "HELLO".to_owned() } else { v.clone() })).collect();
        assert!(!verify(TOKEN, HOOK, &tampered, Some(&signature)));
        assert!(!verify("another-token", HOOK, &params, Some(&signature)));
        assert!(!verify(TOKEN, "https://hub.example.org/v1/webhooks/twilio?org=other", &params, Some(&signature)));
        assert!(!verify(TOKEN, "https://hub.example.org/v1/webhooks/twilio", &params, Some(&signature)));
        assert!(!verify("", HOOK, &params, Some(&sign("", HOOK, &params))), "an empty token accepts nothing");
    }

    #[test]
    fn a_missing_empty_or_broken_header_is_refused_with_a_reason() {
        let params = form_params(INBOUND).unwrap();
        let reason = |h: Option<&str>| check(TOKEN, HOOK, &params, h).unwrap_err().to_string();
        assert_eq!(reason(None), "X-Twilio-Signature: missing");
        assert_eq!(reason(Some("  ")), "X-Twilio-Signature: missing");
        assert_eq!(reason(Some("not*base64")), "X-Twilio-Signature: not base64");
        assert_eq!(reason(Some("AAAA")), "X-Twilio-Signature: not a 20-byte HMAC-SHA1");
        assert_eq!(
            reason(Some("RSOYDt4T1cUTdK1PDd93/VVr8B8=")),
            "X-Twilio-Signature: does not match the URL and parameters"
        );
        let signature = sign(TOKEN, HOOK, &params);
        assert!(!verify(TOKEN, HOOK, &params, Some(&signature[..signature.len() - 2])));
    }

    #[test]
    fn an_incoming_stop_handled_by_advanced_opt_out_is_read() {
        let Callback::Inbound(m) = parse(&form_params(INBOUND).unwrap()).unwrap() else { panic!("a reply") };
        assert_eq!(m.provider, ProviderName::Twilio);
        assert_eq!(m.provider_message_id, "SM0a1b2c3d4e5f60718293a4b5c6d7e8f9");
        assert_eq!((m.sender_phone.as_str(), m.contact_phone.as_str()), ("+14155550100", "+14155552671"));
        assert_eq!((m.body.as_str(), m.provider_action, m.at), ("STOP", Some(ProviderAction::OptedOut), None));
    }

    #[test]
    fn opt_out_types_map_to_provider_actions() {
        let with = |t: &str| {
            let mut p =
                pairs(&[("MessageSid", "SM1"), ("From", "+14155552671"), ("To", "+14155550100"), ("Body", "x")]);
            p.push(("OptOutType".to_owned(), t.to_owned()));
            match parse(&p).unwrap() {
                Callback::Inbound(m) => m.provider_action,
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(with("START"), Some(ProviderAction::OptedIn));
        assert_eq!(with("help"), Some(ProviderAction::Help));
        assert_eq!(with("SOMETHING-NEW"), None);
    }

    #[test]
    fn a_status_callback_with_21610_says_the_recipient_opted_out() {
        let params = form_params(STATUS).unwrap();
        assert!(verify(TOKEN, HOOK, &params, Some(&sign(TOKEN, HOOK, &params))));
        let Callback::Status(s) = parse(&params).unwrap() else { panic!("a status") };
        assert_eq!((s.sender_phone.as_str(), s.contact_phone.as_str()), ("+14155550100", "+14155552671"));
        assert_eq!(
            (s.status.as_str(), s.error_code.as_deref(), s.recipient_opted_out),
            ("failed", Some("21610"), true)
        );
        let delivered = pairs(&[
            ("MessageSid", "SM1"),
            ("MessageStatus", "delivered"),
            ("ErrorCode", ""),
            ("From", "+1"),
            ("To", "+2"),
        ]);
        let Callback::Status(s) = parse(&delivered).unwrap() else { panic!("a status") };
        assert_eq!((s.error_code, s.recipient_opted_out), (None, false));
    }

    #[test]
    fn a_missing_parameter_is_named() {
        let reason = |p: &[(&str, &str)]| parse(&pairs(p)).unwrap_err().to_string();
        assert_eq!(reason(&[("From", "+1"), ("To", "+2")]), "MessageSid: missing");
        assert_eq!(reason(&[("MessageSid", "SM1"), ("From", " "), ("To", "+2")]), "From: empty");
        assert_eq!(
            reason(&[("MessageSid", "SM1"), ("From", "+1"), ("To", "+2"), ("MessageStatus", "")]),
            "MessageStatus: empty"
        );
        assert!(matches!(parse(&pairs(&[("CallSid", "CA1")])).unwrap(), Callback::Ignored { .. }));
    }

    #[test]
    fn the_form_is_decoded_and_bounded() {
        let params = form_params(b"Body=Stop+it%21&From=%2B14155552671&Body=again").unwrap();
        assert_eq!(params, pairs(&[("Body", "Stop it!"), ("From", "+14155552671"), ("Body", "again")]));
        let many: String = (0..=MAX_PARAMS).map(|i| format!("p{i}=1&")).collect();
        assert_eq!(form_params(many.as_bytes()).unwrap_err().to_string(), "body: more than 500 form parameters");
        assert!(form_params(&vec![b'a'; super::super::MAX_BODY_BYTES + 1]).is_err());
        assert!(
            form_params(&[0xff, b'=', 0xfe]).is_ok(),
            "undecodable bytes are replaced, and then fail the signature"
        );
        assert!(EMPTY_TWIML.contains("<Response></Response>"));
    }
}
