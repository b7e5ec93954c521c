//! The API's routes: each handler takes the caller, whom the guard of its group authenticated,
//! reads its input and calls one method of the hub.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Extension, Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::{
    body, guarded, imports, organisation, query, Api, ApiError, ApiResult, EVENTS_BODY_LIMIT, MAX_EVENTS, NEXT_HEADER,
};
use crate::{AccountSettings, Actor, Event, Hub, OptInRequest, OptOutFilter, OptOutRequest, Region, Role, Source};

pub(super) fn routes(hub: &Hub) -> Router<Api> {
    let texters = Router::new()
        .route("/v1/me", get(me))
        .route("/v1/send-check", post(send_check))
        .route("/v1/events", post(events).layer(DefaultBodyLimit::max(EVENTS_BODY_LIMIT)))
        .route("/v1/opt-outs", post(opt_out))
        .route("/v1/accounts", get(accounts))
        .merge(organisation::texters());
    let admins = Router::new()
        .route("/v1/opt-ins", post(opt_in))
        .route("/v1/opt-outs", get(list_opt_outs))
        .route("/v1/reviews", post(review))
        .route("/v1/lookup/{phone}", get(lookup))
        .route("/v1/changes", get(changes))
        .route("/v1/accounts", post(add_account))
        .route("/v1/accounts/{name}", patch(update_account))
        .route("/v1/export", get(export))
        .route("/v1/review-log", get(review_log))
        .route("/v1/imports", post(imports::import))
        .merge(organisation::admins());
    Router::new()
        .route("/v1/health", get(health))
        .merge(super::webhooks::routes())
        .merge(guarded(hub, Role::Texter, texters))
        .merge(guarded(hub, Role::Admin, admins))
}

async fn health(State(hub): State<Hub>) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "ok": true, "backend": hub.backend() }))
}

async fn me(Extension(actor): Extension<Actor>) -> Json<Actor> {
    Json(actor)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SendCheckBody {
    account: String,
    sender_phone: String,
    contact_phone: String,
}

async fn send_check(
    State(hub): State<Hub>,
    json: Result<Json<SendCheckBody>, JsonRejection>,
) -> ApiResult<crate::SendCheck> {
    let b = body(json)?;
    Ok(Json(hub.send_check(&b.account, &b.sender_phone, &b.contact_phone).await))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventsBody {
    events: Vec<Event>,
}

async fn events(
    State(hub): State<Hub>,
    json: Result<Json<EventsBody>, JsonRejection>,
) -> ApiResult<Vec<crate::Ingested>> {
    let events = body(json)?.events;
    if events.len() > MAX_EVENTS {
        let message = format!("{} events in one batch; send at most {MAX_EVENTS} per request", events.len());
        return Err(crate::Error::InvalidField { field: "events".into(), message }.into());
    }
    Ok(Json(hub.ingest_batch(&events).await?))
}

async fn opt_out(
    State(hub): State<Hub>,
    Extension(actor): Extension<Actor>,
    json: Result<Json<OptOutRequest>, JsonRejection>,
) -> ApiResult<crate::OptOutOutcome> {
    Ok(Json(hub.opt_out(&actor, &body(json)?).await?))
}

async fn opt_in(
    State(hub): State<Hub>,
    Extension(actor): Extension<Actor>,
    json: Result<Json<OptInRequest>, JsonRejection>,
) -> ApiResult<crate::OptInOutcome> {
    Ok(Json(hub.opt_in(&actor, &body(json)?).await?))
}

async fn review(
    State(hub): State<Hub>,
    Extension(actor): Extension<Actor>,
    json: Result<Json<crate::ReviewRequest>, JsonRejection>,
) -> ApiResult<crate::ReviewOutcome> {
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
    Extension(actor): Extension<Actor>,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> ApiResult<crate::OptOutPage> {
    let q = query(q)?;
    let filter = q.filter()?;
    Ok(Json(hub.list_opt_outs(&actor, &filter, q.after.as_deref(), q.limit.unwrap_or(100)).await?))
}

#[derive(Deserialize)]
struct RegionQuery {
    region: Option<String>,
}

async fn lookup(
    State(hub): State<Hub>,
    Extension(actor): Extension<Actor>,
    Path(phone): Path<String>,
    q: Result<Query<RegionQuery>, QueryRejection>,
) -> ApiResult<crate::Lookup> {
    let region = query(q)?.region.as_deref().map(Region::parse).transpose()?.unwrap_or_default();
    Ok(Json(hub.lookup(&actor, &phone, region).await?))
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
    Extension(actor): Extension<Actor>,
    q: Result<Query<ChangesQuery>, QueryRejection>,
) -> ApiResult<ChangesPage> {
    let q = query(q)?;
    let changes = hub.changes_after(&actor, q.after.unwrap_or(0), q.limit.unwrap_or(1000)).await?;
    Ok(Json(ChangesPage { changes, head: hub.feed_head().await? }))
}

async fn accounts(State(hub): State<Hub>) -> ApiResult<Vec<crate::Account>> {
    Ok(Json(hub.accounts().await?))
}

async fn add_account(
    State(hub): State<Hub>,
    Extension(actor): Extension<Actor>,
    json: Result<Json<crate::NewAccount>, JsonRejection>,
) -> ApiResult<crate::Account> {
    Ok(Json(hub.add_account(&actor, &body(json)?).await?))
}

async fn update_account(
    State(hub): State<Hub>,
    Extension(actor): Extension<Actor>,
    Path(name): Path<String>,
    json: Result<Json<AccountSettings>, JsonRejection>,
) -> ApiResult<crate::Account> {
    Ok(Json(hub.update_account(&actor, &name, &body(json)?).await?))
}

/// One page of the CSV export ([`Hub::export_page`]); [`NEXT_HEADER`] names the next.
async fn export(
    State(hub): State<Hub>,
    Extension(actor): Extension<Actor>,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let q = query(q)?;
    if let Some(account) = &q.account {
        hub.account(account).await?;
    }
    let filter = q.filter()?;
    let (text, next) = hub.export_page(&actor, &filter, q.after.as_deref()).await?;
    let mut response = ([(axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8")], text).into_response();
    if let Some(next) = next.and_then(|n| axum::http::HeaderValue::from_str(&n).ok()) {
        response.headers_mut().insert(NEXT_HEADER, next);
    }
    Ok(response)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeriodQuery {
    from: Option<chrono::DateTime<chrono::Utc>>,
    to: Option<chrono::DateTime<chrono::Utc>>,
}

/// The review log as CSV ([`Hub::review_log_csv`]).
async fn review_log(
    State(hub): State<Hub>,
    Extension(actor): Extension<Actor>,
    q: Result<Query<PeriodQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let q = query(q)?;
    let text = hub.review_log_csv(&actor, q.from, q.to).await?;
    Ok(([(axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8")], text).into_response())
}
