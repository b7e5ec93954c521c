//! The OptOut Desk desktop shell: a window and thin commands over the crates.
//!
//! Business logic lives in `crates/`; each command here takes its input, calls a crate and
//! returns the crate's own types. Their TypeScript twins in `ui/src/lib/ipc/bindings.ts` are
//! generated from them (`tests/bindings.rs`).

mod commands;

/// Opens the app window and runs until it closes.
///
/// # Errors
/// When the window system or the webview cannot start.
pub fn run() -> tauri::Result<()> {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![commands::preview])
        .run(tauri::generate_context!())
}
