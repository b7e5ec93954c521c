//! A hub over HTTP (`optout serve`): the same API that any client uses.

use std::time::Duration;

use optout_hub::http::{PROTOCOL_HEADER, PROTOCOL_VERSION};
use optout_hub::Actor;
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::link::{Answer, Command, Link, Page};
use crate::{Error, Result};

/// The largest answer read from a hub. A page of 10,000 changes is a few megabytes; anything
/// much larger is a broken or hostile hub, and reading stops.
pub const MAX_RESPONSE: usize = 64 << 20;

/// A hub reached over HTTP with a bearer token.
#[derive(Clone)]
pub struct Remote {
    base: reqwest::Url,
    token: String,
    client: reqwest::Client,
}

impl std::fmt::Debug for Remote {
    /// Never shows the token.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Remote").field("base", &self.base.as_str()).finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    code: String,
    message: String,
}

impl Remote {
    /// A link to the hub at `url`, using `token`. Plain `http://` only for now: `https://` is
    /// refused with a clear error until the app carries a TLS stack of its own (the end-to-end
    /// tests' WebDriver client brings a second one, and two cannot share the process).
    ///
    /// # Errors
    /// [`Error::InvalidField`] naming `url` or `token`.
    pub fn new(url: &str, token: &str) -> Result<Remote> {
        let mut base = reqwest::Url::parse(url.trim()).map_err(|e| Error::field("url", e.to_string()))?;
        if base.scheme() != "http" || base.host().is_none() {
            return Err(Error::field("url", "must be http:// and a host, like http://hub.example:8484"));
        }
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        let token = token.trim();
        if token.is_empty() || !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::field("token", "must be the token that `optout tokens create` printed"));
        }
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| Error::field("url", e.to_string()))?;
        Ok(Remote { base, token: token.to_owned(), client })
    }

    /// Sends one request and reads its answer, checking the protocol version and the size.
    async fn call(
        &self,
        method: Method,
        url: reqwest::Url,
        body: Option<&serde_json::Value>,
    ) -> Result<(StatusCode, Vec<u8>)> {
        let mut request =
            self.client.request(method, url).bearer_auth(&self.token).header(PROTOCOL_HEADER, PROTOCOL_VERSION);
        if let Some(body) = body {
            request = request.json(body);
        }
        let mut response = request.send().await.map_err(|e| Error::Unreachable(without_url(&e)))?;
        let status = response.status();
        match response.headers().get(PROTOCOL_HEADER).map(|v| v.to_str().unwrap_or("?")) {
            Some(PROTOCOL_VERSION) => {}
            Some(other) => {
                return Err(Error::Protocol(format!(
                    "the hub speaks protocol {other}, this app {PROTOCOL_VERSION}; update the older one"
                )))
            }
            None if status.is_server_error() => return Err(Error::Unreachable(format!("the hub answered {status}"))),
            None => {
                return Err(Error::Protocol(format!("the answer ({status}) does not come from an OptOut Desk hub")))
            }
        }
        if response.content_length().is_some_and(|length| length > MAX_RESPONSE as u64) {
            return Err(Error::Protocol(format!(
                "an answer of {} bytes is too large",
                response.content_length().unwrap_or(0)
            )));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| Error::Unreachable(without_url(&e)))? {
            if bytes.len() + chunk.len() > MAX_RESPONSE {
                return Err(Error::Protocol(format!("an answer over {} MiB is too large", MAX_RESPONSE >> 20)));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok((status, bytes))
    }

    fn url(&self, path: &str) -> Result<reqwest::Url> {
        self.base.join(path).map_err(|e| Error::field("url", e.to_string()))
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        let (status, bytes) = self.call(Method::GET, self.url(path)?, None).await?;
        if !status.is_success() {
            return Err(failure(status, &bytes));
        }
        decode(&bytes)
    }
}

fn json(value: &impl Serialize) -> Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| Error::Protocol(e.to_string()))
}

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| Error::Protocol(format!("malformed JSON: {e}")))
}

/// An answer that is not a success, as an error.
fn failure(status: StatusCode, bytes: &[u8]) -> Error {
    let message = serde_json::from_slice::<ErrorBody>(bytes).map_or_else(|_| status.to_string(), |b| b.message);
    match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Error::Unauthorized(message),
        s if s.is_server_error() => Error::Unreachable(format!("the hub answered {status}: {message}")),
        _ => Error::Protocol(format!("{status}: {message}")),
    }
}

/// A transport error's text without the URL, which may carry a token in a query by mistake.
fn without_url(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "no connection"
    } else if error.is_body() || error.is_decode() {
        "the connection broke during the answer"
    } else {
        "the request failed"
    };
    let mut text = error.to_string();
    if let Some(url) = error.url() {
        text = text.replace(url.as_str(), "the hub");
    }
    format!("{kind} ({text})")
}

impl Link for Remote {
    fn hub(&self) -> String {
        self.base.to_string()
    }

    async fn whoami(&self) -> Result<Actor> {
        self.get("v1/me").await
    }

    async fn changes(&self, cursor: i64, limit: u32) -> Result<Page> {
        self.get(&format!("v1/changes?after={cursor}&limit={limit}")).await
    }

    async fn send(&self, command: &Command) -> Result<Answer> {
        let (method, url, body) = match command {
            Command::OptOut(request) => (Method::POST, self.url("v1/opt-outs")?, json(request)?),
            Command::OptIn(request) => (Method::POST, self.url("v1/opt-ins")?, json(request)?),
            Command::Review(request) => (Method::POST, self.url("v1/reviews")?, json(request)?),
            Command::Settings { account, settings, .. } => {
                let mut url = self.url("v1/accounts/")?;
                url.path_segments_mut()
                    .map_err(|()| Error::field("url", "cannot name an account"))?
                    .pop_if_empty()
                    .push(account);
                (Method::PATCH, url, json(settings)?)
            }
        };
        let (status, bytes) = self.call(method, url, Some(&body)).await?;
        if status.is_success() {
            return Ok(Answer::Accepted { outcome: decode(&bytes)? });
        }
        match status {
            StatusCode::CONFLICT
            | StatusCode::NOT_FOUND
            | StatusCode::UNPROCESSABLE_ENTITY
            | StatusCode::BAD_REQUEST => {
                let body: ErrorBody = decode(&bytes)?;
                Ok(Answer::Refused { code: body.code, message: body.message })
            }
            _ => Err(failure(status, &bytes)),
        }
    }
}
