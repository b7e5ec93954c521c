//! The routes that set an organisation up: campaigns, sender numbers and tokens, for admins.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Extension, Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::{body, query, Api, ApiResult};
use crate::{
    Actor, Campaign, CampaignChange, Hub, NewCampaign, NewToken, ProviderConnection, ProviderSetup, RetireSender,
    RevokeToken, SenderChange, Token,
};

/// The campaigns' list is for texters too; the rest for admins.
pub(super) fn texters() -> Router<Api> {
    Router::new().route("/v1/campaigns", get(campaigns))
}

pub(super) fn admins() -> Router<Api> {
    Router::new()
        .route("/v1/campaigns", post(add_campaign).patch(update_campaign))
        .route("/v1/senders", post(add_sender))
        .route("/v1/senders/retire", post(retire_sender))
        .route("/v1/tokens", get(tokens).post(add_token))
        .route("/v1/tokens/{id}/revoke", post(revoke_token))
        .route("/v1/providers", get(providers).put(set_provider))
}

async fn providers(State(hub): State<Hub>, Extension(actor): Extension<Actor>) -> ApiResult<Vec<ProviderConnection>> {
    Ok(Json(hub.providers(&actor).await?))
}

async fn set_provider(
    State(hub): State<Hub>,
    Extension(actor): Extension<Actor>,
    json: Result<Json<ProviderSetup>, JsonRejection>,
) -> ApiResult<ProviderConnection> {
    Ok(Json(hub.set_provider(&actor, &body(json)?).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CampaignsQuery {
    account: Option<String>,
}

async fn campaigns(
    State(hub): State<Hub>,
    q: Result<Query<CampaignsQuery>, QueryRejection>,
) -> ApiResult<Vec<Campaign>> {
    Ok(Json(hub.campaigns(query(q)?.account.as_deref()).await?))
}

async fn add_campaign(
    State(hub): State<Hub>,
    Extension(actor): Extension<Actor>,
    json: Result<Json<NewCampaign>, JsonRejection>,
) -> ApiResult<Campaign> {
    Ok(Json(hub.add_campaign(&actor, &body(json)?).await?))
}

async fn update_campaign(
    State(hub): State<Hub>,
    Extension(actor): Extension<Actor>,
    json: Result<Json<CampaignChange>, JsonRejection>,
) -> ApiResult<Campaign> {
    Ok(Json(hub.update_campaign(&actor, &body(json)?).await?))
}

async fn add_sender(
    State(hub): State<Hub>,
    Extension(actor): Extension<Actor>,
    json: Result<Json<SenderChange>, JsonRejection>,
) -> ApiResult<Campaign> {
    Ok(Json(hub.add_sender(&actor, &body(json)?).await?))
}

async fn retire_sender(
    State(hub): State<Hub>,
    Extension(actor): Extension<Actor>,
    json: Result<Json<RetireSender>, JsonRejection>,
) -> ApiResult<Campaign> {
    Ok(Json(hub.retire_sender(&actor, &body(json)?).await?))
}

async fn tokens(State(hub): State<Hub>, Extension(actor): Extension<Actor>) -> ApiResult<Vec<Token>> {
    Ok(Json(hub.tokens(&actor).await?))
}

/// A token made: with the secret when the hub made it (shown this once), without when the
/// client sent only its hash.
#[derive(Serialize)]
struct MadeToken {
    #[serde(flatten)]
    token: Token,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<String>,
}

async fn add_token(
    State(hub): State<Hub>,
    Extension(actor): Extension<Actor>,
    json: Result<Json<NewToken>, JsonRejection>,
) -> ApiResult<MadeToken> {
    let request = body(json)?;
    if request.secret_sha256.is_some() {
        return Ok(Json(MadeToken { token: hub.add_token(&actor, &request).await?, secret: None }));
    }
    let (token, secret) = hub.create_token(&actor, &request.name, request.role).await?;
    Ok(Json(MadeToken { token, secret: Some(secret) }))
}

/// The body of a revocation: its command id, when the client made one.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Revocation {
    command_id: uuid::Uuid,
}

async fn revoke_token(
    State(hub): State<Hub>,
    Extension(actor): Extension<Actor>,
    Path(token_id): Path<i64>,
    json: Result<Json<Revocation>, JsonRejection>,
) -> ApiResult<Token> {
    let command_id = match json {
        // No body: a revocation of its own.
        Err(JsonRejection::MissingJsonContentType(_)) => uuid::Uuid::new_v4(),
        json => body(json)?.command_id,
    };
    Ok(Json(hub.revoke_token(&actor, &RevokeToken { command_id, token_id }).await?))
}
