//! The HTTP API: JSON over axum, a thin layer over [`Hub`].

use std::future::Future;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::{
    AccountSettings, Actor, Error, Event, Hub, OptInRequest, OptOutFilter, OptOutRequest, Region, Role, Source,
};

/// The largest request body accepted.
pub const BODY_LIMIT: usize = 64 * 1024;

/// The largest CSV accepted by `POST /v1/imports`: a few million rows.
pub const IMPORT_LIMIT: usize = 256 << 20;

/// The header of an export page that holds the next page's `after`; absent on the last page.
pub const NEXT_HEADER: &str = "optout-next";

/// The header in which client and hub name the version of this API they speak.
pub const PROTOCOL_HEADER: &str = "optout-protocol";

/// The version of this API. A request that names another version is refused with
/// `409 protocol_version`; every answer names this one.
pub const PROTOCOL_VERSION: &str = "1";

/// Refuses a request that names another protocol version, and names ours on every answer.
async fn protocol(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let theirs = request.headers().get(PROTOCOL_HEADER).map(|v| v.to_str().unwrap_or("?").to_owned());
    let mut response = match theirs {
        Some(version) if version != PROTOCOL_VERSION => ApiError::new(
            StatusCode::CONFLICT,
            "protocol_version",
            format!("this hub speaks protocol {PROTOCOL_VERSION}, the client {version}; update the older one"),
        )
        .into_response(),
        _ => next.run(request).await,
    };
    response.headers_mut().insert(PROTOCOL_HEADER, axum::http::HeaderValue::from_static(PROTOCOL_VERSION));
    response
}

/// An error as the API answers it: `{"code": "...", "message": "..."}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
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
            Error::Refused { code: "forbidden", .. } => StatusCode::FORBIDDEN,
            Error::Refused { .. } => StatusCode::CONFLICT,
            _ if error.is_client_error() => StatusCode::UNPROCESSABLE_ENTITY,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            // The cause goes to the server's log, never to the client: it may name tables or paths.
            eprintln!("optout serve: {error}");
            return ApiError::new(status, "internal", "the hub could not do that; nothing was changed");
        }
        ApiError::new(status, error.code(), error.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(serde_json::json!({ "code": self.code, "message": self.message }))).into_response()
    }
}

type ApiResult<T> = Result<Json<T>, ApiError>;

fn body<T: DeserializeOwned>(body: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    body.map(|Json(t)| t).map_err(|rejection| {
        let status = rejection.status();
        let code = if status == StatusCode::PAYLOAD_TOO_LARGE { "too_large" } else { "invalid_json" };
        ApiError::new(status, code, rejection.body_text())
    })
}

fn query<T>(query: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    query.map(|Query(t)| t).map_err(|r| ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", r.body_text()))
}

/// Who is calling, if they may: 401 without a live token, 403 without the role.
async fn caller(hub: &Hub, headers: &HeaderMap, needs: Role) -> Result<Actor, ApiError> {
    let secret = headers
        .get(axum::http::header::AUTHORIZATION)
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

/// The routes, over a hub.
pub fn router(hub: Hub) -> Router {
    Router::new()
        .route("/v1/health", get(health))
        .route("/v1/me", get(me))
        .route("/v1/send-check", post(send_check))
        .route("/v1/events", post(events))
        .route("/v1/opt-outs", post(opt_out).get(list_opt_outs))
        .route("/v1/opt-ins", post(opt_in))
        .route("/v1/reviews", post(review))
        .route("/v1/lookup/{phone}", get(lookup))
        .route("/v1/changes", get(changes))
        .route("/v1/accounts", get(accounts).post(add_account))
        .route("/v1/accounts/{name}", patch(update_account))
        .route("/v1/campaigns", get(campaigns))
        .route("/v1/export", get(export))
        .route("/v1/imports", post(import).layer(DefaultBodyLimit::max(IMPORT_LIMIT)))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(protocol))
        .with_state(hub)
}

/// Serves the API on `listener` until `shutdown` completes.
///
/// # Errors
/// The listener's I/O errors.
pub async fn serve(
    hub: Hub,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(hub)).with_graceful_shutdown(shutdown).await
}

async fn health(State(hub): State<Hub>) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "ok": true, "backend": hub.backend() }))
}

#[derive(Deserialize)]
struct SendCheckBody {
    account: String,
    sender_phone: String,
    contact_phone: String,
}

async fn me(State(hub): State<Hub>, headers: HeaderMap) -> ApiResult<Actor> {
    Ok(Json(caller(&hub, &headers, Role::Texter).await?))
}

async fn send_check(
    State(hub): State<Hub>,
    headers: HeaderMap,
    json: Result<Json<SendCheckBody>, JsonRejection>,
) -> ApiResult<crate::SendCheck> {
    caller(&hub, &headers, Role::Texter).await?;
    let b = body(json)?;
    Ok(Json(hub.send_check(&b.account, &b.sender_phone, &b.contact_phone).await))
}

#[derive(Deserialize)]
struct EventsBody {
    events: Vec<Event>,
}

async fn events(
    State(hub): State<Hub>,
    headers: HeaderMap,
    json: Result<Json<EventsBody>, JsonRejection>,
) -> ApiResult<Vec<crate::Ingested>> {
    caller(&hub, &headers, Role::Texter).await?;
    Ok(Json(hub.ingest_batch(&body(json)?.events).await?))
}

async fn opt_out(
    State(hub): State<Hub>,
    headers: HeaderMap,
    json: Result<Json<OptOutRequest>, JsonRejection>,
) -> ApiResult<crate::OptOutOutcome> {
    let actor = caller(&hub, &headers, Role::Texter).await?;
    Ok(Json(hub.opt_out(&actor, &body(json)?).await?))
}

async fn opt_in(
    State(hub): State<Hub>,
    headers: HeaderMap,
    json: Result<Json<OptInRequest>, JsonRejection>,
) -> ApiResult<crate::OptInOutcome> {
    let actor = caller(&hub, &headers, Role::Admin).await?;
    Ok(Json(hub.opt_in(&actor, &body(json)?).await?))
}

async fn review(
    State(hub): State<Hub>,
    headers: HeaderMap,
    json: Result<Json<crate::ReviewRequest>, JsonRejection>,
) -> ApiResult<crate::ReviewOutcome> {
    let actor = caller(&hub, &headers, Role::Admin).await?;
    Ok(Json(hub.review(&actor, &body(json)?).await?))
}

#[derive(Deserialize)]
struct ListQuery {
    account: Option<String>,
    campaign: Option<String>,
    source: Option<String>,
    from: Option<chrono::DateTime<chrono::Utc>>,
    to: Option<chrono::DateTime<chrono::Utc>>,
    phone_prefix: Option<String>,
    #[serde(default)]
    include_reversed: bool,
    after: Option<String>,
    limit: Option<u32>,
}

impl ListQuery {
    /// The filter it names.
    fn filter(&self) -> Result<OptOutFilter, ApiError> {
        Ok(OptOutFilter {
            account: self.account.clone(),
            campaign: self.campaign.clone(),
            source: self.source.as_deref().map(Source::parse).transpose()?,
            from: self.from,
            to: self.to,
            phone_prefix: self.phone_prefix.clone(),
            include_reversed: self.include_reversed,
        })
    }
}

async fn list_opt_outs(
    State(hub): State<Hub>,
    headers: HeaderMap,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> ApiResult<crate::OptOutPage> {
    caller(&hub, &headers, Role::Admin).await?;
    let q = query(q)?;
    let filter = q.filter()?;
    Ok(Json(hub.list_opt_outs(&filter, q.after.as_deref(), q.limit.unwrap_or(100)).await?))
}

#[derive(Deserialize)]
struct RegionQuery {
    region: Option<String>,
}

async fn lookup(
    State(hub): State<Hub>,
    headers: HeaderMap,
    Path(phone): Path<String>,
    q: Result<Query<RegionQuery>, QueryRejection>,
) -> ApiResult<crate::Lookup> {
    caller(&hub, &headers, Role::Admin).await?;
    let region = query(q)?.region.as_deref().map(Region::parse).transpose()?.unwrap_or_default();
    Ok(Json(hub.lookup(&phone, region).await?))
}

#[derive(Deserialize)]
struct ChangesQuery {
    after: Option<i64>,
    limit: Option<u32>,
}

#[derive(Serialize)]
struct ChangesPage {
    changes: Vec<crate::Change>,
    head: i64,
}

async fn changes(
    State(hub): State<Hub>,
    headers: HeaderMap,
    q: Result<Query<ChangesQuery>, QueryRejection>,
) -> ApiResult<ChangesPage> {
    caller(&hub, &headers, Role::Admin).await?;
    let q = query(q)?;
    let changes = hub.changes_after(q.after.unwrap_or(0), q.limit.unwrap_or(1000)).await?;
    Ok(Json(ChangesPage { changes, head: hub.feed_head().await? }))
}

async fn accounts(State(hub): State<Hub>, headers: HeaderMap) -> ApiResult<Vec<crate::Account>> {
    caller(&hub, &headers, Role::Texter).await?;
    Ok(Json(hub.accounts().await?))
}

#[derive(Deserialize)]
struct NewAccount {
    name: String,
    #[serde(default = "yes")]
    auto_opt_outs: bool,
}

fn yes() -> bool {
    true
}

async fn add_account(
    State(hub): State<Hub>,
    headers: HeaderMap,
    json: Result<Json<NewAccount>, JsonRejection>,
) -> ApiResult<crate::Account> {
    caller(&hub, &headers, Role::Admin).await?;
    let b = body(json)?;
    Ok(Json(hub.add_account(&b.name, b.auto_opt_outs).await?))
}

async fn update_account(
    State(hub): State<Hub>,
    headers: HeaderMap,
    Path(name): Path<String>,
    json: Result<Json<AccountSettings>, JsonRejection>,
) -> ApiResult<crate::Account> {
    caller(&hub, &headers, Role::Admin).await?;
    Ok(Json(hub.update_account(&name, &body(json)?).await?))
}

async fn campaigns(State(hub): State<Hub>, headers: HeaderMap) -> ApiResult<Vec<crate::Campaign>> {
    caller(&hub, &headers, Role::Texter).await?;
    Ok(Json(hub.campaigns(None).await?))
}

/// One page of the CSV export ([`Hub::export_page`]); [`NEXT_HEADER`] names the next.
async fn export(
    State(hub): State<Hub>,
    headers: HeaderMap,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    caller(&hub, &headers, Role::Admin).await?;
    let q = query(q)?;
    if let Some(account) = &q.account {
        hub.account(account).await?;
    }
    let filter = q.filter()?;
    let (text, next) = hub.export_page(&filter, q.after.as_deref()).await?;
    let mut response = ([(axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8")], text).into_response();
    if let Some(next) = next.and_then(|n| axum::http::HeaderValue::from_str(&n).ok()) {
        response.headers_mut().insert(NEXT_HEADER, next);
    }
    Ok(response)
}

#[derive(Deserialize)]
struct ImportQuery {
    account: String,
    region: Option<String>,
    column: Option<String>,
    /// The file's name on the client, so that errors name it.
    name: Option<String>,
}

/// Removes the uploaded copy however the import ends.
struct Upload(std::path::PathBuf);

impl Drop for Upload {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Imports the CSV in the body ([`Hub::import_csv`]) and answers its summary. The same file sent
/// again resumes or counts as already imported, as on the command line.
async fn import(
    State(hub): State<Hub>,
    headers: HeaderMap,
    q: Result<Query<ImportQuery>, QueryRejection>,
    body: axum::body::Bytes,
) -> ApiResult<crate::ImportSummary> {
    let actor = caller(&hub, &headers, Role::Admin).await?;
    let q = query(q)?;
    let options = crate::ImportOptions {
        account: q.account,
        region: q.region.as_deref().map(Region::parse).transpose()?.unwrap_or_default(),
        column: q.column,
        actor: actor.name,
        batch_rows: crate::DEFAULT_BATCH_ROWS,
    };
    // Errors name the client's file, never the hub's copy of it.
    let shown = std::path::PathBuf::from(
        q.name.as_deref().and_then(|n| std::path::Path::new(n).file_name()).unwrap_or("the uploaded CSV".as_ref()),
    );
    let upload = Upload(std::env::temp_dir().join(format!("optout-import-{}.csv", uuid::Uuid::new_v4())));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&upload.0)
        .and_then(|mut file| std::io::Write::write_all(&mut file, &body));
    written.map_err(|source| Error::File { path: upload.0.clone(), source })?;
    let summary = hub.import_csv(&upload.0, &options, |_| true).await.map_err(|error| match error {
        Error::Csv { line, message, .. } => Error::Csv { path: shown, line, message },
        other => other,
    })?;
    Ok(Json(summary))
}
