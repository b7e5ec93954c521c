//! A hub over HTTP (`optout serve`): the same API that any client uses.

use std::io::Write as _;
use std::path::Path;
use std::time::Duration;

use optout_hub::http::{NEXT_HEADER, PROTOCOL_HEADER, PROTOCOL_VERSION};
use optout_hub::{AccountSettings, Actor, ImportSummary, OptOutFilter, Region};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::link::{from_hub, Answer, Command, ImportRequest, Link, Page};
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
    /// A link to the hub at `url` (`https://`, or `http://` on a network the organisation
    /// trusts), using `token`. TLS is rustls, trusting the system's roots and the public ones.
    ///
    /// # Errors
    /// [`Error::InvalidField`] naming `url` or `token`.
    pub fn new(url: &str, token: &str) -> Result<Remote> {
        let mut base = reqwest::Url::parse(url.trim()).map_err(|e| Error::field("url", e.to_string()))?;
        if !matches!(base.scheme(), "http" | "https") || base.host().is_none() {
            return Err(Error::field("url", "must be https:// or http:// and a host, like https://hub.example:8484"));
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
        request: reqwest::RequestBuilder,
    ) -> Result<(StatusCode, reqwest::header::HeaderMap, Vec<u8>)> {
        let request = request.bearer_auth(&self.token).header(PROTOCOL_HEADER, PROTOCOL_VERSION);
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
        Ok((status, std::mem::take(response.headers_mut()), bytes))
    }

    fn url(&self, path: &str) -> Result<reqwest::Url> {
        self.base.join(path).map_err(|e| Error::field("url", e.to_string()))
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        let (status, _, bytes) = self.call(self.client.get(self.url(path)?)).await?;
        if !status.is_success() {
            return Err(failure(status, &bytes));
        }
        decode(&bytes)
    }

    /// A request whose refusal (a 4xx with the hub's `{code, message}`) is an
    /// [`Error::Refused`]: for the calls that are not the sync's (the command line's, and the
    /// desktop's live reads).
    async fn ask<T: DeserializeOwned>(&self, request: reqwest::RequestBuilder) -> Result<T> {
        let (status, _, bytes) = self.call(request).await?;
        refused(status, &bytes)?;
        decode(&bytes)
    }

    /// One page of the hub's CSV export (the header first when `after` is `None`), and the
    /// `after` of the next page. `filter` holds the export's query parameters.
    async fn export_page(&self, filter: &[(&str, String)], after: Option<&str>) -> Result<(Vec<u8>, Option<String>)> {
        let mut request = self.client.get(self.url("v1/export")?).query(filter);
        if let Some(after) = after {
            request = request.query(&[("after", after)]);
        }
        let (status, headers, bytes) = self.call(request).await?;
        refused(status, &bytes)?;
        let next = headers.get(NEXT_HEADER).map(|v| v.to_str().map(str::to_owned)).transpose();
        let next = next.map_err(|_| Error::Protocol(format!("the {NEXT_HEADER} header is not text")))?;
        Ok((bytes, next))
    }

    /// Uploads a CSV opt-out list into `account` and answers the hub's import summary. `name`
    /// is the file's name, which the hub's errors quote; a file over the hub's limit is refused.
    async fn upload(&self, csv: Vec<u8>, name: &str, options: &ImportRequest<'_>) -> Result<ImportSummary> {
        let mut query = vec![("account", options.account), ("region", options.region.as_str()), ("name", name)];
        if let Some(column) = options.column {
            query.push(("column", column));
        }
        if options.dry_run {
            query.push(("dry_run", "true"));
        }
        let request = self
            .client
            .post(self.url("v1/imports")?)
            .query(&query)
            .header(reqwest::header::CONTENT_TYPE, "text/csv")
            .timeout(Duration::from_secs(3600))
            .body(csv);
        self.ask(request).await
    }

    /// `collection` (ending in `/`) with `name` after it as one path segment, escaped.
    fn named(&self, collection: &str, name: &str) -> Result<reqwest::Url> {
        let mut url = self.url(collection)?;
        url.path_segments_mut().map_err(|()| Error::field("url", "cannot have a path"))?.pop_if_empty().push(name);
        Ok(url)
    }
}

/// The export's query parameters for `filter`, as `GET /v1/export` reads them.
fn export_query(filter: &OptOutFilter) -> Vec<(&'static str, String)> {
    let OptOutFilter { account, campaign, source, from, to, phone_prefix, include_reversed } = filter;
    let mut query = Vec::new();
    for (key, value) in [("account", account), ("campaign", campaign), ("phone_prefix", phone_prefix)] {
        query.extend(value.clone().map(|v| (key, v)));
    }
    query.extend(source.map(|s| ("source", s.as_str().to_owned())));
    for (key, time) in [("from", from), ("to", to)] {
        query.extend(time.map(|t| (key, t.to_rfc3339())));
    }
    if *include_reversed {
        query.push(("include_reversed", "true".to_owned()));
    }
    query
}

/// An answer that is not a success: the hub's refusal with its reason, or a failure.
fn refused(status: StatusCode, bytes: &[u8]) -> Result<()> {
    if status.is_success() {
        return Ok(());
    }
    match serde_json::from_slice::<ErrorBody>(bytes) {
        Ok(body) if status.is_client_error() && !matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) => {
            Err(Error::Refused { code: body.code, message: body.message })
        }
        _ => Err(failure(status, bytes)),
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
    // The causes say what went wrong underneath: a refused connection, an untrusted certificate.
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
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
            Command::Settings { command_id, account, settings } => {
                let settings = AccountSettings { command_id: Some(*command_id), ..settings.clone() };
                (Method::PATCH, self.named("v1/accounts/", account)?, json(&settings)?)
            }
            Command::AddAccount(request) => (Method::POST, self.url("v1/accounts")?, json(request)?),
            Command::AddCampaign(request) => (Method::POST, self.url("v1/campaigns")?, json(request)?),
            Command::UpdateCampaign(request) => (Method::PATCH, self.url("v1/campaigns")?, json(request)?),
            Command::AddSender(request) => (Method::POST, self.url("v1/senders")?, json(request)?),
            Command::RetireSender(request) => (Method::POST, self.url("v1/senders/retire")?, json(request)?),
            Command::AddToken(request) => (Method::POST, self.url("v1/tokens")?, json(request)?),
            Command::RevokeToken(request) => {
                let url = self.url(&format!("v1/tokens/{}/revoke", request.token_id))?;
                (Method::POST, url, serde_json::json!({ "command_id": request.command_id }))
            }
        };
        let (status, _, bytes) = self.call(self.client.request(method, url).json(&body)).await?;
        if status.is_success() {
            return Ok(Answer::Accepted { outcome: decode(&bytes)? });
        }
        match status {
            // A texter's token asking for an admin's action gets the same answer every time.
            StatusCode::FORBIDDEN
            | StatusCode::CONFLICT
            | StatusCode::NOT_FOUND
            | StatusCode::UNPROCESSABLE_ENTITY
            | StatusCode::BAD_REQUEST => {
                let body: ErrorBody = decode(&bytes)?;
                Ok(Answer::Refused { code: body.code, message: body.message })
            }
            _ => Err(failure(status, &bytes)),
        }
    }

    async fn accounts(&self) -> Result<Vec<optout_hub::Account>> {
        self.ask(self.client.get(self.url("v1/accounts")?)).await
    }

    async fn campaigns(&self, account: Option<&str>) -> Result<Vec<optout_hub::Campaign>> {
        let request = self.client.get(self.url("v1/campaigns")?);
        self.ask(match account {
            Some(account) => request.query(&[("account", account)]),
            None => request,
        })
        .await
    }

    async fn tokens(&self) -> Result<Vec<optout_hub::Token>> {
        self.ask(self.client.get(self.url("v1/tokens")?)).await
    }

    async fn lookup(&self, phone: &str, region: Region) -> Result<optout_hub::Lookup> {
        let url = self.named("v1/lookup/", phone)?;
        self.ask(self.client.get(url).query(&[("region", region.as_str())])).await
    }

    async fn providers(&self) -> Result<Vec<optout_hub::ProviderConnection>> {
        self.ask(self.client.get(self.url("v1/providers")?)).await
    }

    async fn set_provider(&self, setup: &optout_hub::ProviderSetup) -> Result<optout_hub::ProviderConnection> {
        self.ask(self.client.put(self.url("v1/providers")?).json(setup)).await
    }

    async fn review_log(&self, from: Option<crate::When>, to: Option<crate::When>) -> Result<String> {
        let period: Vec<(&str, String)> =
            [("from", from), ("to", to)].into_iter().filter_map(|(k, t)| Some((k, t?.to_rfc3339()))).collect();
        let (status, _, bytes) = self.call(self.client.get(self.url("v1/review-log")?).query(&period)).await?;
        refused(status, &bytes)?;
        String::from_utf8(bytes).map_err(|_| Error::Protocol("the review log is not UTF-8".into()))
    }

    async fn import(&self, path: &Path, request: &ImportRequest<'_>) -> Result<ImportSummary> {
        let csv = tokio::fs::read(path).await.map_err(|e| Error::field(&path.display().to_string(), e.to_string()))?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        self.upload(csv, &name, request).await
    }

    /// Page by page, as the hub serves it; the pages together are byte for byte the hub's own
    /// export.
    async fn export(&self, filter: &OptOutFilter, out: &Path) -> Result<u64> {
        let failed = |e: std::io::Error| Error::field(&out.display().to_string(), e.to_string());
        let filter = export_query(filter);
        let (partial, file) = optout_hub::Partial::create(out).map_err(from_hub)?;
        let mut file = std::io::BufWriter::with_capacity(1 << 16, file);
        let mut after = None;
        let mut records = 0u64;
        loop {
            let (page, next) = self.export_page(&filter, after.as_deref()).await?;
            file.write_all(&page).map_err(failed)?;
            // Cells never hold a raw line break unquoted, but quoted ones may: count records,
            // not lines.
            records +=
                csv::ReaderBuilder::new().has_headers(false).from_reader(page.as_slice()).records().count() as u64;
            match next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        file.flush().map_err(failed)?;
        drop(file);
        partial.commit().map_err(from_hub)?;
        // The first page's first record is the header.
        Ok(records.saturating_sub(1))
    }
}
