//! The commands the window may call. Each is granted in `capabilities/default.json`.

use optout_rules::Preview;

/// What each provider, and the account, would do with `reply` in every situation.
#[tauri::command]
pub fn preview(reply: String) -> Preview {
    optout_rules::preview(&reply)
}
