//! End to end: the real app window, under Xvfb, driven over WebDriver.

mod support;

use std::time::Duration;

#[tokio::test(flavor = "multi_thread")]
async fn the_provider_preview_explains_replies_as_the_admin_types() {
    let app = support::launch().await;

    // Once the window has drawn its navigation, it has all six areas: the Organisation too, for
    // this computer's admin.
    app.text("nav [data-area=organisation]").await;
    let areas = app.client.find_all(fantoccini::Locator::Css("nav [data-area]")).await.expect("the navigation");
    assert_eq!(areas.len(), 6);
    app.click("[data-area=preview]").await;

    // A keyword with punctuation: Provider 1, automatic opt-outs on, first response, under the
    // reference keywords.
    app.type_into("[data-testid=reply]", "cancel.").await;
    let cell = app.text_when("[data-cell=p1-on-first-us-reference]", |t| t.contains("Opted out now")).await;
    assert!(cell.contains("By the account"), "the account sends the confirmation: {cell}");
    assert_eq!(app.text("[data-testid=keyword]").await, "cancel");
    let explanation = app.text("[data-testid=explanation]").await;
    assert!(explanation.contains("CANCEL") && explanation.contains("might not act"), "{explanation}");
    let later = app.text("[data-cell=p1-on-later-us-reference]").await;
    assert!(later.contains("No opt-out") && later.contains("Opt out by hand"), "{later}");
    app.screenshot("preview-cancel").await;

    // A plain request that is no keyword: review, never an opt-out.
    app.type_into("[data-testid=reply]", "no more texts please").await;
    let cell = app.text_when("[data-cell=p1-on-first-us-reference]", |t| t.contains("Review")).await;
    assert!(cell.contains("asks to stop") && cell.contains("No opt-out"), "{cell}");
    let uk = app.text("[data-cell=p2-off-first-uk-us_2025]").await;
    assert!(uk.contains("Review") && !uk.contains("Blocks"), "{uk}");
    let flag = app.text("[data-testid=review-flag]").await;
    assert!(flag.contains("a refusal of more messages") && flag.contains("English"), "{flag}");
    app.screenshot("preview-review").await;

    // REVOKE: a keyword of the US 2025 words only, so the rule sets differ on Provider 1.
    app.type_into("[data-testid=reply]", "REVOKE").await;
    let reference = app.text_when("[data-cell=p1-on-first-us-reference]", |t| t.contains("No opt-out")).await;
    assert!(reference.contains("Review"), "{reference}");
    let us_2025 = app.text("[data-cell=p1-on-first-us-us_2025]").await;
    assert!(us_2025.contains("Opted out now"), "{us_2025}");
    let row = app.text("tr[data-row=p1-on-first-us]").await;
    assert!(row.contains("differs"), "{row}");
    app.screenshot("preview-revoke").await;

    // A reply full of markup is shown as text; nothing in it runs.
    let hostile = r#"<img src=x onerror="document.title='pwned'"><script>document.title='pwned'</script>"#;
    app.type_into("[data-testid=reply]", hostile).await;
    app.text_when("[data-testid=received]", |t| t.contains("<img src=x")).await;
    app.assert_no_markup_ran().await;
    app.screenshot("preview-markup").await;

    // The window may call our own command and nothing else: a core command is refused.
    let ipc = |command: &'static str, args: serde_json::Value| {
        let client = app.client.clone();
        async move {
            let script = "const [command, args, done] = arguments;
                 window.__TAURI_INTERNALS__.invoke(command, args)
                   .then(() => done('allowed'), (e) => done('refused: ' + e));";
            let answer = client.execute_async(script, vec![command.into(), args]).await.expect("an IPC answer");
            answer.as_str().unwrap_or_default().to_owned()
        }
    };
    assert_eq!(ipc("preview", serde_json::json!({ "reply": "STOP" })).await, "allowed");
    let core = ipc("plugin:window|set_title", serde_json::json!({ "label": "main", "value": "changed" })).await;
    assert!(core.starts_with("refused") && core.contains("not allowed"), "{core}");

    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_area_follows_a_dark_desktop_theme() {
    let app = support::launch_with(&[("GTK_THEME", "Adwaita:dark")]).await;
    app.text_within(Duration::from_secs(60), "[data-testid=sync-status]", |t| t.contains("Synced")).await;
    let dark = app.client.execute("return matchMedia('(prefers-color-scheme: dark)').matches", vec![]).await;
    assert_eq!(dark.expect("a script result"), serde_json::json!(true), "the page sees the dark theme");
    let colours = "return [getComputedStyle(document.body).backgroundColor,
        getComputedStyle(document.querySelector('main h1')).color];";
    for area in ["messenger", "manager", "lookup", "organisation", "settings", "preview"] {
        app.click(&format!("[data-area={area}]")).await;
        app.text("main h1").await;
        let pair = app.client.execute(colours, vec![]).await.expect("the colours");
        // The dark palette: light text on a dark surface, never dark on dark.
        assert_eq!(pair, serde_json::json!(["rgb(23, 32, 42)", "rgb(232, 237, 243)"]), "{area}");
        // The current area under the pointer keeps its own colours.
        let current = "const s = getComputedStyle(document.querySelector('nav [aria-current=page]'));
            return [s.backgroundColor, s.color];";
        let pair = app.client.execute(current, vec![]).await.expect("the colours");
        assert_eq!(pair, serde_json::json!(["rgb(111, 179, 230)", "rgb(13, 22, 32)"]), "{area}");
        app.screenshot(&format!("dark-{area}")).await;
    }
    app.close().await;
}
