//! The providers' own callbacks: `POST /v1/webhooks/twilio`, `/v1/webhooks/twilio/status`,
//! `/v1/webhooks/telnyx` and `/v1/webhooks/bandwidth`.
//!
//! No bearer token here: a callback is let in only when it is genuine (the provider's signature,
//! or the credentials the organisation set), and then goes in through the same path as
//! `/v1/events`. A callback that is not genuine is 403 and stores nothing; one for a number no
//! campaign sends from is stored nowhere, counted for the admin, and answered 200 so that the
//! provider does not retry it forever. Bodies that must be read before they can be checked are
//! small and few at a time: a stranger can make the server hold at most
//! [`UNCHECKED_BODIES`] × [`SIGNED_BODY_LIMIT`].

use axum::body::Body;
use axum::extract::State;
use axum::http::Uri;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;

use super::{Api, ApiError};
use crate::providers::Arrival;
use crate::webhooks::{bandwidth, telnyx, twilio, Callback, ProviderName, Rejection};
use crate::{Error, Event, Hub, RefusedSend};

/// The most a signed callback's body may be, read before its signature can be checked.
/// Twilio's and Telnyx's messaging callbacks are a few KiB.
pub const SIGNED_BODY_LIMIT: usize = 64 * 1024;

/// Signed callbacks whose bodies may be read at once.
pub const UNCHECKED_BODIES: usize = 256;

/// The webhooks an organisation gives its providers: the provider, the path on the hub, and
/// where in the provider's console it goes. What the app and the README show.
pub const WEBHOOKS: [(ProviderName, &str, &str); 4] = [
    (ProviderName::Twilio, "/v1/webhooks/twilio", "each sender number's \"A message comes in\" webhook (HTTP POST)"),
    (ProviderName::Twilio, "/v1/webhooks/twilio/status", "the status callback URL of the messages the platform sends"),
    (ProviderName::Telnyx, "/v1/webhooks/telnyx", "the messaging profile's inbound webhook URL (API v2)"),
    (
        ProviderName::Bandwidth,
        "/v1/webhooks/bandwidth",
        "the messaging application's callback URL, with Basic credentials",
    ),
];

pub(super) fn routes() -> Router<Api> {
    let [twilio, status, telnyx, bandwidth] = WEBHOOKS.map(|(_, path, _)| path);
    Router::new()
        .route(twilio, post(twilio_inbound))
        .route(status, post(twilio_status))
        .route(telnyx, post(telnyx_events))
        .route(bandwidth, post(bandwidth_callbacks))
}

fn refused(rejection: &Rejection) -> ApiError {
    match rejection {
        Rejection::NotGenuine { .. } => ApiError::new(StatusCode::FORBIDDEN, "not_genuine", rejection.to_string()),
        Rejection::Malformed { .. } => ApiError::new(StatusCode::BAD_REQUEST, "malformed", rejection.to_string()),
    }
}

/// The provider's secret, or 403 when the organisation has not connected it.
async fn secret(hub: &Hub, provider: ProviderName) -> Result<String, ApiError> {
    hub.provider_secret(provider).await?.ok_or_else(|| {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "not_connected",
            format!("{} is not connected to this hub: optout providers set {0}", provider.as_str()),
        )
    })
}

/// Reads a body that must be read before it can be checked: small, and few at a time.
async fn unchecked_body(api: &Api, body: Body) -> Result<axum::body::Bytes, ApiError> {
    let _turn = api.unchecked.try_acquire().map_err(|_| {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "busy", "too many callbacks at once; send it again shortly")
    })?;
    axum::body::to_bytes(body, SIGNED_BODY_LIMIT).await.map_err(|e| {
        if super::timed_out(&e) {
            return ApiError::new(StatusCode::REQUEST_TIMEOUT, "timeout", "the callback stopped arriving");
        }
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("a callback is at most {} KiB", SIGNED_BODY_LIMIT >> 10),
        )
    })
}

/// Counts a refusal and answers it.
async fn not_genuine(hub: &Hub, provider: ProviderName, rejection: &Rejection) -> ApiError {
    let why = rejection.to_string();
    tracing::warn!(target: "optout::webhooks", provider = provider.as_str(), "refused: {why}");
    let _ = hub.arrived(provider, Arrival::Refused(&why)).await;
    refused(rejection)
}

/// Ingests the callbacks of one genuine request, each on its own: one for a number no campaign
/// sends from is counted and left out, and does not hold back the others.
async fn ingest(api: &Api, provider: ProviderName, callbacks: Vec<Callback>) -> Result<(), ApiError> {
    let hub = &api.hub;
    hub.arrived(provider, Arrival::Genuine).await?;
    for callback in callbacks {
        let (event, sender) = match callback {
            Callback::Inbound(message) => {
                let sender = message.sender_phone.clone();
                (Event::Reply(message.to_reply()), sender)
            }
            Callback::Status(status) if status.recipient_opted_out => {
                let sender = status.sender_phone.clone();
                let refused = RefusedSend {
                    provider_message_id: status.provider_message_id,
                    provider: provider.as_str().to_owned(),
                    sender_phone: status.sender_phone,
                    contact_phone: status.contact_phone,
                    error_code: status.error_code,
                    at: status.at,
                };
                (Event::Refused(refused), sender)
            }
            Callback::Status(_) | Callback::Ignored { .. } => continue,
        };
        match api.group.ingest(event).await {
            Ok(_) => {}
            Err(Error::UnknownSender(_)) => hub.arrived(provider, Arrival::UnknownSender(&sender)).await?,
            Err(error) => return Err(error.into()),
        }
    }
    Ok(())
}

/// The URL Twilio signed: the one the organisation gave it (`--public-url`, as the hub often sits
/// behind a proxy), or as this request reached the hub.
fn signed_url(api: &Api, headers: &HeaderMap, uri: &Uri) -> String {
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    match &api.public_url {
        Some(base) => format!("{}{path}", base.trim_end_matches('/')),
        None => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
            format!("http://{host}{path}")
        }
    }
}

async fn twilio(api: Api, headers: HeaderMap, uri: Uri, body: Body) -> Result<(), ApiError> {
    let token = secret(&api.hub, ProviderName::Twilio).await?;
    let bytes = unchecked_body(&api, body).await?;
    let params = twilio::form_params(&bytes).map_err(|r| refused(&r))?;
    let signature = headers.get(twilio::SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
    let url = signed_url(&api, &headers, &uri);
    if let Err(rejection) = twilio::check(&token, &url, &params, signature) {
        return Err(not_genuine(&api.hub, ProviderName::Twilio, &rejection).await);
    }
    let callback = twilio::parse(&params).map_err(|r| refused(&r))?;
    ingest(&api, ProviderName::Twilio, vec![callback]).await
}

async fn twilio_inbound(State(api): State<Api>, headers: HeaderMap, uri: Uri, body: Body) -> Response {
    match twilio(api, headers, uri, body).await {
        // Twilio reads the answer as instructions: an empty response sends nothing.
        Ok(()) => ([(header::CONTENT_TYPE, twilio::TWIML_CONTENT_TYPE)], twilio::EMPTY_TWIML).into_response(),
        Err(error) => error.into_response(),
    }
}

async fn twilio_status(State(api): State<Api>, headers: HeaderMap, uri: Uri, body: Body) -> Response {
    match twilio(api, headers, uri, body).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => error.into_response(),
    }
}

async fn telnyx_events(State(api): State<Api>, headers: HeaderMap, body: Body) -> Result<StatusCode, ApiError> {
    let key = secret(&api.hub, ProviderName::Telnyx).await?;
    let key = telnyx::PublicKey::from_base64(&key).map_err(|e| Error::Corrupt(format!("the Telnyx key: {e}")))?;
    let bytes = unchecked_body(&api, body).await?;
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let checked = telnyx::verify(
        &key,
        header(telnyx::TIMESTAMP_HEADER),
        header(telnyx::SIGNATURE_HEADER),
        &bytes,
        chrono::Utc::now(),
        telnyx::DEFAULT_TOLERANCE,
    );
    if let Err(rejection) = checked {
        return Err(not_genuine(&api.hub, ProviderName::Telnyx, &rejection).await);
    }
    ingest(&api, ProviderName::Telnyx, telnyx::parse(&bytes).map_err(|r| refused(&r))?).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn bandwidth_callbacks(State(api): State<Api>, headers: HeaderMap, body: Body) -> Result<StatusCode, ApiError> {
    let credentials = secret(&api.hub, ProviderName::Bandwidth).await?;
    let (username, password) = credentials.split_once(':').unwrap_or((&credentials, ""));
    let authorization = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    // The credentials are in the headers: checked before a byte of the body is read.
    if let Err(rejection) = bandwidth::check_basic(username, password, authorization) {
        return Err(not_genuine(&api.hub, ProviderName::Bandwidth, &rejection).await);
    }
    let bytes = axum::body::to_bytes(body, crate::webhooks::MAX_BODY_BYTES).await.map_err(|_| {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", "a batch of callbacks is at most 1 MiB")
    })?;
    ingest(&api, ProviderName::Bandwidth, bandwidth::parse(&bytes).map_err(|r| refused(&r))?).await?;
    Ok(StatusCode::NO_CONTENT)
}
