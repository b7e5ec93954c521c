// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    // WebKitGTK's compositing mode draws the page through OpenGL. Without a GPU (a virtual
    // machine, a remote desktop, Xvfb) that is software GL: half again the web process's memory,
    // and a changed list three times slower to draw (bench/RESULTS.md). Forms and lists gain
    // nothing from it. A value set in the environment wins. Set here, before any thread starts.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
    match optout_desk::run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("optout-desk: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
