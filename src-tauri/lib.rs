//! The OptOut Desk desktop shell: a window and thin commands over the crates.
//!
//! Business logic lives in `crates/`; each command here takes its input, calls the desk
//! (`optout-desktop`) and returns the crates' own types. Their TypeScript twins in
//! `ui/src/lib/ipc/bindings.ts` are generated from them (`tests/bindings.rs`).

mod commands;

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

fn options() -> optout_desktop::Options {
    let mut options = optout_desktop::Options::default();
    if let Some(contacts) = std::env::var("OPTOUT_DESK_DEMO_CONTACTS").ok().and_then(|n| n.parse().ok()) {
        options.demo_contacts = contacts;
    }
    options
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
        ])
        .run(tauri::generate_context!())
}
