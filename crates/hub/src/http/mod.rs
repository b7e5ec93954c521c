//! The HTTP API: JSON over axum, a thin layer over [`Hub`].
//!
//! Every answer is `{"code", "message"}` JSON when it is not a success, and names the protocol
//! version in [`PROTOCOL_HEADER`]: the router's own answers (no such route, a wrong method, a
//! body too large, a path that does not decode) are rewritten to that shape in one place,
//! [`shape`], and the few that the HTTP parser writes itself (a header too large, a request that
//! does not parse) by the server ([`serve`]).
//!
//! A caller is authenticated, and its role checked, before its body is read: a stranger on the
//! network can make the server read nothing but headers, within a deadline.

use std::sync::Arc;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRef, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use serde::de::DeserializeOwned;

use crate::{Actor, Error, Hub, Refusal, Role};

mod imports;
mod organisation;
mod routes;
mod serve;
mod webhooks;

pub use serve::{serve, serve_with, ServeOptions};
pub use webhooks::WEBHOOKS;

/// The largest request body accepted, but for imports and batches of events: a command.
pub const BODY_LIMIT: usize = 64 * 1024;

/// The most events `POST /v1/events` takes in one batch: one transaction, its rows written
/// together.
pub const MAX_EVENTS: usize = 5_000;

/// The largest body of `POST /v1/events`: [`MAX_EVENTS`] events with replies of a few hundred
/// characters (a thousand long ones of 1,600 characters, ten SMS segments, fit too).
pub const EVENTS_BODY_LIMIT: usize = 4 << 20;

/// The largest CSV accepted by `POST /v1/imports`: a few million rows.
pub const IMPORT_LIMIT: usize = 256 << 20;

/// The header of an export page that holds the next page's `after`; absent on the last page.
pub const NEXT_HEADER: &str = "optout-next";

/// The header in which client and hub name the version of this API they speak.
pub const PROTOCOL_HEADER: &str = "optout-protocol";

/// The version of this API. A request that names another version is refused with
/// `409 protocol_version`; every answer names this one.
pub const PROTOCOL_VERSION: &str = "1";

/// What the handlers share: the hub, and the server's own limits.
#[derive(Clone)]
pub(crate) struct Api {
    pub(crate) hub: Hub,
    pub(crate) uploads: Arc<imports::Uploads>,
    /// Turns for the providers' callbacks whose bodies are read before they can be checked.
    pub(crate) unchecked: Arc<tokio::sync::Semaphore>,
    /// The hub's address as the providers know it (`--public-url`): what Twilio signs.
    pub(crate) public_url: Option<String>,
    /// The callbacks' way in: many requests to one commit.
    pub(crate) group: crate::ingest::group::GroupCommit,
}

impl FromRef<Api> for Hub {
    fn from_ref(api: &Api) -> Hub {
        api.hub.clone()
    }
}

/// An error as the API answers it: `{"code": "...", "message": "..."}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into() }
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> ApiError {
        let status = match &error {
            Error::UnknownAccount(_) | Error::UnknownCampaign(_) | Error::UnknownSender(_) | Error::NotFound(_) => {
                StatusCode::NOT_FOUND
            }
            Error::AlreadyExists(_) | Error::CommandReused(_) => StatusCode::CONFLICT,
            Error::Refused { code, .. } => match code {
                Refusal::Forbidden => StatusCode::FORBIDDEN,
                Refusal::NotThisOptOut | Refusal::OptedOutAgain | Refusal::AlreadyReversed | Refusal::NotTextable => {
                    StatusCode::CONFLICT
                }
            },
            Error::ImportStopped { cause, .. } if !cause.is_client_error() => StatusCode::INTERNAL_SERVER_ERROR,
            _ if error.is_client_error() => StatusCode::UNPROCESSABLE_ENTITY,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            // The cause goes to the server's log, never to the client: it may name tables or paths.
            tracing::error!(target: "optout::http", "{error}");
            let message = match &error {
                Error::ImportStopped { .. } => error.kept_and_resume(),
                _ => "the hub could not do that; nothing was changed".to_owned(),
            };
            return ApiError::new(status, "internal", message);
        }
        ApiError::new(status, error.code().as_str(), error.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(serde_json::json!({ "code": self.code, "message": self.message }))).into_response()
    }
}

pub(crate) type ApiResult<T> = Result<Json<T>, ApiError>;

/// A JSON body, or a `{code, message}` naming what is wrong with it (an unknown field among them).
pub(crate) fn body<T: DeserializeOwned>(body: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    body.map(|Json(t)| t).map_err(|rejection| {
        if timed_out(&rejection) {
            return ApiError::new(StatusCode::REQUEST_TIMEOUT, "timeout", "the request body stopped arriving");
        }
        let status = rejection.status();
        let code = if status == StatusCode::PAYLOAD_TOO_LARGE { "too_large" } else { "invalid_json" };
        ApiError::new(status, code, rejection.body_text())
    })
}

/// Whether the body stopped arriving (see `serve`), somewhere down the error's causes.
pub(crate) fn timed_out(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if error.is::<tower_http::timeout::TimeoutError>() {
            return true;
        }
        cause = error.source();
    }
    false
}

pub(crate) fn query<T>(query: Result<axum::extract::Query<T>, QueryRejection>) -> Result<T, ApiError> {
    query.map(|q| q.0).map_err(|r| ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", r.body_text()))
}

/// Refuses a request that names another protocol version; gives every answer that is not a
/// success the `{code, message}` shape; and names our version on every answer.
async fn shape(request: Request, next: Next) -> Response {
    let theirs = request.headers().get(PROTOCOL_HEADER).map(|v| v.to_str().unwrap_or("?").to_owned());
    let (method, path) = (request.method().clone(), request.uri().path().to_owned());
    let mut response = match theirs {
        Some(version) if version != PROTOCOL_VERSION => ApiError::new(
            StatusCode::CONFLICT,
            "protocol_version",
            format!("this hub speaks protocol {PROTOCOL_VERSION}, the client {version}; update the older one"),
        )
        .into_response(),
        _ => next.run(request).await,
    };
    let json =
        response.headers().get(header::CONTENT_TYPE).is_some_and(|t| t.as_bytes().starts_with(b"application/json"));
    if !response.status().is_success() && !json {
        response = reshaped(response, &method, &path).await;
    }
    response.headers_mut().insert(PROTOCOL_HEADER, HeaderValue::from_static(PROTOCOL_VERSION));
    response
}

/// An answer of the router's own (plain text or empty) as `{code, message}`.
async fn reshaped(response: Response, method: &axum::http::Method, path: &str) -> Response {
    let status = response.status();
    // The router's own texts are a line or two; read no more than that.
    let text = axum::body::to_bytes(response.into_body(), 4096).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&text).trim().to_owned();
    let (code, fallback) = match status {
        StatusCode::NOT_FOUND => ("not_found", format!("no such route: {method} {path}")),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", format!("{path} does not take {method}")),
        StatusCode::PAYLOAD_TOO_LARGE => ("too_large", "the request body is too large".to_owned()),
        StatusCode::REQUEST_TIMEOUT => ("timeout", "the request came too slowly".to_owned()),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "send Content-Type: application/json".into()),
        s if s.is_server_error() => ("internal", "the hub could not do that; nothing was changed".to_owned()),
        _ => ("bad_request", "the request cannot be read".to_owned()),
    };
    let message = if text.is_empty() || status.is_server_error() { fallback } else { text };
    ApiError::new(status, code, message).into_response()
}

/// Who is calling, if they may: 401 without a live token, 403 without the role. The actor goes
/// into the request for the handler; nothing of the body has been read yet.
async fn authenticate(
    axum::extract::State((hub, needs)): axum::extract::State<(Hub, Role)>,
    mut request: Request,
    next: Next,
) -> Response {
    match caller(&hub, request.headers(), needs).await {
        Ok(actor) => {
            request.extensions_mut().insert(actor);
            next.run(request).await
        }
        Err(error) => {
            // Say so and hang up: a client that sends a body nobody will read should not keep
            // the connection.
            let mut response = error.into_response();
            response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
            response
        }
    }
}

async fn caller(hub: &Hub, headers: &axum::http::HeaderMap, needs: Role) -> Result<Actor, ApiError> {
    let secret = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "send Authorization: Bearer <token>"))?;
    let actor = hub
        .authenticate(secret.trim())
        .await?
        .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "the token is unknown or revoked"))?;
    if needs == Role::Admin && actor.role != Role::Admin {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden", "this needs an admin token"));
    }
    Ok(actor)
}

/// `routes`, each open only to a live token with the role `needs`.
pub(crate) fn guarded(hub: &Hub, needs: Role, routes: Router<Api>) -> Router<Api> {
    routes.route_layer(axum::middleware::from_fn_with_state((hub.clone(), needs), authenticate))
}

/// The routes, over a hub, with uploads kept in `options.upload_dir`.
pub fn router(hub: Hub, options: &ServeOptions) -> Router {
    let api = Api {
        hub: hub.clone(),
        uploads: Arc::new(imports::Uploads::new(options)),
        unchecked: Arc::new(tokio::sync::Semaphore::new(webhooks::UNCHECKED_BODIES)),
        public_url: options.public_url.clone(),
        group: crate::ingest::group::GroupCommit::start(hub.clone()),
    };
    routes::routes(&hub)
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(shape))
        .with_state(api)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_import_that_stopped_says_what_it_kept_and_nothing_of_the_hub() {
        let stopped = Error::ImportStopped {
            cause: Box::new(Error::Corrupt("table opt_outs: disk I/O error at /var/lib/hub.sqlite3".into())),
            next_line: 25_001,
            kept: "the lines before it are imported and kept (25000 numbers opted out, 0 already were)".into(),
        };
        let answer = ApiError::from(stopped);
        assert_eq!((answer.status, answer.code), (StatusCode::INTERNAL_SERVER_ERROR, "internal"));
        assert!(answer.message.contains("25000 numbers opted out"), "{}", answer.message);
        assert!(answer.message.contains("send the same file again to resume"), "{}", answer.message);
        assert!(!answer.message.contains("sqlite3") && !answer.message.contains("nothing was changed"));
    }
}
