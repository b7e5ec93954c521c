fn main() {
    // Only the commands listed here get permissions, and only those granted in
    // capabilities/default.json can be called from the window.
    let manifest = tauri_build::AppManifest::new().commands(&[
        "preview",
        "status",
        "retry",
        "accounts",
        "campaigns",
        "number",
        "opt_outs",
        "conversations",
        "conversation",
        "trends",
        "outbox",
        "opt_out",
        "opt_out_many",
        "opt_in",
        "review",
        "save_settings",
        "start_import",
        "start_export",
        "job",
        "cancel_job",
        "choose_file",
        "connect_hub",
        "begin",
        "rule_choices",
        "add_account",
        "rename_account",
        "add_campaign",
        "set_campaign_active",
        "rename_campaign",
        "add_sender",
        "retire_sender",
        "tokens",
        "make_token",
        "revoke_token",
        "export_review_log",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .unwrap_or_else(|e| panic!("tauri build script: {e:#}"));
}
