//! The commands that set the organisation up, begin a first run, and read the rules' choices
//! and the review log: each as thin as those in `commands.rs`, and granted the same way.

use optout_cache::OutboxItem;
use optout_desktop::{DeskStatus, Failure, FirstRunChoice, MadeToken, ProviderWebhook, RuleChoices};
use optout_hub::{ProviderConnection, ProviderSetup, Role, Token};
use tauri::State;

use crate::commands::Shared;

type Answer<T> = Result<T, Failure>;

/// Begin a first run: the demo organisation, or an empty one of the admin's own.
#[tauri::command]
pub async fn begin(desk: State<'_, Shared>, choice: FirstRunChoice) -> Answer<DeskStatus> {
    desk.begin(choice).await
}

/// The rule sets an account may choose, in the rules engine's words, and the review clock's range.
#[tauri::command]
pub fn rule_choices() -> RuleChoices {
    optout_desktop::rule_choices()
}

/// Add an account.
#[tauri::command]
pub async fn add_account(desk: State<'_, Shared>, name: String, auto_opt_outs: bool) -> Answer<OutboxItem> {
    desk.desk().await?.add_account(&name, auto_opt_outs).await
}

/// Rename an account.
#[tauri::command]
pub async fn rename_account(desk: State<'_, Shared>, account: String, name: String) -> Answer<OutboxItem> {
    desk.desk().await?.rename_account(&account, &name).await
}

/// Add a campaign with its sender numbers, one a line.
#[tauri::command]
pub async fn add_campaign(
    desk: State<'_, Shared>,
    account: String,
    name: String,
    provider: u8,
    sender_numbers: String,
) -> Answer<OutboxItem> {
    desk.desk().await?.add_campaign(&account, &name, provider, &sender_numbers).await
}

/// Stop or restart a campaign.
#[tauri::command]
pub async fn set_campaign_active(desk: State<'_, Shared>, campaign_id: i64, active: bool) -> Answer<OutboxItem> {
    desk.desk().await?.set_campaign_active(campaign_id, active).await
}

/// Rename a campaign.
#[tauri::command]
pub async fn rename_campaign(desk: State<'_, Shared>, campaign_id: i64, name: String) -> Answer<OutboxItem> {
    desk.desk().await?.rename_campaign(campaign_id, &name).await
}

/// Give a sender number to a campaign, moving it from the campaign `move_from` when it names one.
#[tauri::command]
pub async fn add_sender(
    desk: State<'_, Shared>,
    campaign_id: i64,
    phone: String,
    move_from: Option<i64>,
) -> Answer<OutboxItem> {
    desk.desk().await?.add_sender(campaign_id, &phone, move_from).await
}

/// Retire a sender number.
#[tauri::command]
pub async fn retire_sender(desk: State<'_, Shared>, phone: String) -> Answer<OutboxItem> {
    desk.desk().await?.retire_sender(&phone).await
}

/// The tokens, live from the hub.
#[tauri::command]
pub async fn tokens(desk: State<'_, Shared>) -> Answer<Vec<Token>> {
    desk.desk().await?.tokens().await
}

/// Make a token; its secret is in this answer only.
#[tauri::command]
pub async fn make_token(desk: State<'_, Shared>, name: String, role: Role) -> Answer<MadeToken> {
    desk.desk().await?.make_token(&name, role).await
}

/// Revoke a token.
#[tauri::command]
pub async fn revoke_token(desk: State<'_, Shared>, token_id: i64) -> Answer<OutboxItem> {
    desk.desk().await?.revoke_token(token_id).await
}

/// Write the hub's review log, from `from` to `to` (RFC 3339, either open), to a CSV at `path`.
#[tauri::command]
pub async fn export_review_log(
    desk: State<'_, Shared>,
    path: String,
    from: Option<chrono::DateTime<chrono::Utc>>,
    to: Option<chrono::DateTime<chrono::Utc>>,
) -> Answer<()> {
    desk.desk().await?.export_review_log(std::path::Path::new(&path), from, to).await
}

/// The providers connected to the hub and what has arrived from each.
#[tauri::command]
pub async fn providers(desk: State<'_, Shared>) -> Answer<Vec<ProviderConnection>> {
    desk.desk().await?.providers().await
}

/// Connect a provider, or change its secret.
#[tauri::command]
pub async fn set_provider(desk: State<'_, Shared>, setup: ProviderSetup) -> Answer<ProviderConnection> {
    desk.desk().await?.set_provider(setup).await
}

/// The webhooks to give the providers.
#[tauri::command]
pub async fn provider_webhooks(desk: State<'_, Shared>) -> Answer<Vec<ProviderWebhook>> {
    Ok(desk.desk().await?.provider_webhooks())
}
