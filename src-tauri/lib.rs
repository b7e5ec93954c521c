//! The OptOut Desk desktop shell: a window and thin commands over the crates.
//!
//! Business logic lives in `crates/`; each command here takes its input, calls the desk
//! (`optout-desktop`) and returns the crates' own types. Their TypeScript twins in
//! `ui/src/lib/ipc/bindings.ts` are generated from them (`tests/bindings.rs`).

mod commands;
mod organisation;

use std::path::PathBuf;

use tauri::Manager;

/// The data folder: `OPTOUT_DESK_DATA_DIR` when set (tests, a second profile), else the
/// platform's data folder for the app (the one `optout` uses too).
fn data_dir(app: &tauri::App) -> Result<PathBuf, Box<dyn std::error::Error>> {
    match std::env::var_os("OPTOUT_DESK_DATA_DIR") {
        Some(dir) => Ok(PathBuf::from(dir)),
        None => Ok(app.path().app_data_dir()?),
    }
}

/// `OPTOUT_DESK_DEMO_CONTACTS` sizes the demo and, when set, builds it on a first run without
/// asking (the tests and benchmarks set it); without it, a first run asks how to begin.
fn options() -> optout_desktop::Options {
    optout_desktop::Options::for_app(std::env::var("OPTOUT_DESK_DEMO_CONTACTS").ok().as_deref())
}

/// Opens the app window and runs until it closes.
///
/// # Errors
/// When the window system or the webview cannot start, or the data folder cannot be opened.
pub fn run() -> tauri::Result<()> {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let dir = data_dir(app)?;
            let session = tauri::async_runtime::block_on(optout_desktop::Session::open(&dir, options()))?;
            app.manage::<commands::Shared>(session);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::preview,
            commands::status,
            commands::retry,
            commands::accounts,
            commands::campaigns,
            commands::number,
            commands::opt_outs,
            commands::conversations,
            commands::conversation,
            commands::trends,
            commands::outbox,
            commands::opt_out,
            commands::opt_out_many,
            commands::opt_in,
            commands::review,
            commands::save_settings,
            commands::start_import,
            commands::start_export,
            commands::job,
            commands::cancel_job,
            commands::choose_file,
            commands::connect_hub,
            organisation::begin,
            organisation::rule_choices,
            organisation::add_account,
            organisation::rename_account,
            organisation::add_campaign,
            organisation::set_campaign_active,
            organisation::rename_campaign,
            organisation::add_sender,
            organisation::retire_sender,
            organisation::tokens,
            organisation::make_token,
            organisation::revoke_token,
            organisation::providers,
            organisation::set_provider,
            organisation::provider_webhooks,
            organisation::export_review_log,
        ])
        .run(tauri::generate_context!())
}
