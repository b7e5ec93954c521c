//! The commands the window may call. Each is granted in `capabilities/default.json`, takes the
//! desk from the app's state, calls one method of it and returns its own types; a failure
//! crosses as `{ code, message }`.

use optout_cache::{
    ConversationDetail, ConversationFilter, ConversationPage, NumberRecord, OptOutListPage, OptOutQuery, OutboxItem,
    Trends,
};
use optout_desktop::{DeskStatus, Failure, FilePurpose, Job, Session};
use optout_hub::{Account, AccountSettings, Campaign, Region, ReviewAction};
use optout_rules::Preview;
use tauri::State;

/// The app's state: the desk, which a change of hub replaces.
pub type Shared = Session;

type Answer<T> = Result<T, Failure>;

/// What each provider, and the account, would do with `reply` in every situation.
#[tauri::command]
pub fn preview(reply: String) -> Preview {
    optout_rules::preview(&reply)
}

/// Where the hub and the sync stand.
#[tauri::command]
pub async fn status(desk: State<'_, Shared>) -> Answer<DeskStatus> {
    desk.status().await
}

/// Sync now.
#[tauri::command]
pub async fn retry(desk: State<'_, Shared>) -> Answer<()> {
    desk.desk().await?.retry().await
}

/// The accounts and their settings.
#[tauri::command]
pub async fn accounts(desk: State<'_, Shared>) -> Answer<Vec<Account>> {
    desk.desk().await?.accounts().await
}

/// The campaigns.
#[tauri::command]
pub async fn campaigns(desk: State<'_, Shared>) -> Answer<Vec<Campaign>> {
    desk.desk().await?.campaigns().await
}

/// One number in full.
#[tauri::command]
pub async fn number(desk: State<'_, Shared>, phone: String) -> Answer<NumberRecord> {
    desk.desk().await?.number(&phone).await
}

/// A page of the opt-out list.
#[tauri::command]
pub async fn opt_outs(
    desk: State<'_, Shared>,
    query: OptOutQuery,
    after: Option<String>,
    limit: u32,
) -> Answer<OptOutListPage> {
    desk.desk().await?.opt_outs(&query, after.as_deref(), limit).await
}

/// A page of conversations.
#[tauri::command]
pub async fn conversations(
    desk: State<'_, Shared>,
    filter: ConversationFilter,
    after: Option<String>,
    limit: u32,
) -> Answer<ConversationPage> {
    desk.desk().await?.conversations(&filter, after.as_deref(), limit).await
}

/// One conversation with its messages.
#[tauri::command]
pub async fn conversation(desk: State<'_, Shared>, id: i64) -> Answer<ConversationDetail> {
    desk.desk().await?.conversation(id).await
}

/// Opt-outs a day by source, and campaign opt-out rates.
#[tauri::command]
pub async fn trends(desk: State<'_, Shared>, days: u32, utc_offset_minutes: i32) -> Answer<Trends> {
    desk.desk().await?.trends(days, utc_offset_minutes).await
}

/// The outbox.
#[tauri::command]
pub async fn outbox(desk: State<'_, Shared>) -> Answer<Vec<OutboxItem>> {
    desk.desk().await?.outbox().await
}

/// Opt a number out of an account by hand.
#[tauri::command]
pub async fn opt_out(
    desk: State<'_, Shared>,
    account: String,
    phone: String,
    reason: String,
    message: Option<String>,
) -> Answer<OutboxItem> {
    desk.desk().await?.opt_out(&account, &phone, &reason, message).await
}

/// Opt a pasted list of numbers out of an account.
#[tauri::command]
pub async fn opt_out_many(
    desk: State<'_, Shared>,
    account: String,
    phones: String,
    reason: String,
) -> Answer<Vec<OutboxItem>> {
    desk.desk().await?.opt_out_many(&account, &phones, &reason).await
}

/// Reverse one opt-out.
#[tauri::command]
pub async fn opt_in(
    desk: State<'_, Shared>,
    account: String,
    phone: String,
    opt_out_id: i64,
    overrides_request_id: Option<i64>,
    reason: String,
) -> Answer<OutboxItem> {
    desk.desk().await?.opt_in(&account, &phone, opt_out_id, overrides_request_id, &reason).await
}

/// Settle a conversation's review flag.
#[tauri::command]
pub async fn review(desk: State<'_, Shared>, conversation_id: i64, action: ReviewAction) -> Answer<OutboxItem> {
    desk.desk().await?.review(conversation_id, action).await
}

/// Change an account's settings.
#[tauri::command]
pub async fn save_settings(desk: State<'_, Shared>, account: String, settings: AccountSettings) -> Answer<OutboxItem> {
    desk.desk().await?.save_settings(&account, settings).await
}

/// Start importing a CSV file into an account.
#[tauri::command]
pub async fn start_import(
    desk: State<'_, Shared>,
    path: String,
    account: String,
    region: Region,
    column: Option<String>,
    dry_run: bool,
) -> Answer<Job> {
    desk.desk().await?.start_import(std::path::Path::new(&path), &account, region, column, dry_run).await
}

/// Start exporting the filtered opt-out list to a CSV file.
#[tauri::command]
pub async fn start_export(desk: State<'_, Shared>, path: String, query: OptOutQuery) -> Answer<Job> {
    desk.desk().await?.start_export(std::path::Path::new(&path), query).await
}

/// Where an import or export stands.
#[tauri::command]
pub async fn job(desk: State<'_, Shared>, id: u64) -> Answer<Job> {
    desk.desk().await?.job(id)
}

/// Stop an import or export.
#[tauri::command]
pub async fn cancel_job(desk: State<'_, Shared>, id: u64) -> Answer<()> {
    desk.desk().await?.cancel_job(id)
}

/// Asks the admin for a CSV file in a native dialog: one to read (`import`) or to write
/// (`export` for the opt-out list, `review_log` for the review log). None when they close it.
#[tauri::command]
pub async fn choose_file(app: tauri::AppHandle, purpose: FilePurpose) -> Option<String> {
    use tauri_plugin_dialog::DialogExt;
    let (chosen, answer) = tokio::sync::oneshot::channel();
    let dialog = app.dialog().file().add_filter("CSV", &["csv", "txt"]);
    let send = move |path: Option<tauri_plugin_dialog::FilePath>| {
        let _ = chosen.send(path);
    };
    match purpose {
        FilePurpose::Import => dialog.pick_file(send),
        FilePurpose::Export => dialog.set_file_name("opt-outs.csv").save_file(send),
        FilePurpose::ReviewLog => dialog.set_file_name("review-log.csv").save_file(send),
    }
    let path = answer.await.ok().flatten()?;
    path.into_path().ok().map(|p| p.display().to_string())
}

/// Connect to the hub at `url` with `token`, or back to this computer's hub when `url` is none.
#[tauri::command]
pub async fn connect_hub(desk: State<'_, Shared>, url: Option<String>, token: String) -> Answer<DeskStatus> {
    desk.connect(url.as_deref(), &token).await?;
    desk.status().await
}
