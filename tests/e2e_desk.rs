//! End to end: the admin's daily work in the real app window, on a real embedded hub and cache.

mod support;

use fantoccini::Locator;
use optout_hub::{Hub, IncomingReply, OptOutFilter, OutgoingMessage, Source};

const HOSTILE_NAME: &str = r#"<img src=x onerror="document.title='pwned'">"#;
const HOSTILE_REPLY: &str = r#"<script>document.title='pwned'</script><img src=x onerror="document.title='pwned'">"#;
const HOSTILE_CONTACT: &str = "+12015550177";
const MINUTE: std::time::Duration = std::time::Duration::from_secs(60);

/// A demo organisation, plus a conversation whose contact name and reply are markup, written
/// straight into the hub the app will open.
async fn organisation(dir: &std::path::Path) -> String {
    let hub = Hub::open(&dir.join("hub.sqlite3")).await.expect("the hub");
    hub.build_demo(support::DEMO_CONTACTS, 1, |_| true).await.expect("the demo");
    let outgoing = OutgoingMessage {
        provider_message_id: "e2e-out".into(),
        sender_phone: "+12015550100".into(),
        contact_phone: HOSTILE_CONTACT.into(),
        contact_name: Some(HOSTILE_NAME.into()),
        body: "Can we count on you this Saturday?".into(),
        at: None,
    };
    hub.ingest_outgoing(&outgoing).await.expect("the outgoing message");
    let reply = IncomingReply {
        provider_message_id: "e2e-in".into(),
        sender_phone: "+12015550100".into(),
        contact_phone: HOSTILE_CONTACT.into(),
        body: HOSTILE_REPLY.into(),
        at: None,
        provider_action: None,
    };
    hub.ingest_reply(&reply).await.expect("the reply");
    // A contact who replied a keyword on a US campaign, and was opted out automatically.
    let filter =
        OptOutFilter { source: Some(Source::KeywordReply), phone_prefix: Some("+1".into()), ..Default::default() };
    let page = hub.list_opt_outs(&optout_hub::Actor::admin("ada"), &filter, None, 1).await.expect("the opt-out list");
    let phone = page.opt_outs.first().expect("an automatic opt-out").phone.clone();
    hub.close().await;
    phone
}

/// Starts an import of `list` into Vote Forward Ohio through the dialog, the path typed as the
/// native file dialog would fill it in.
async fn import(app: &support::Desktop, list: &std::path::Path) {
    app.click("[data-testid=import]").await;
    app.type_into("[data-testid=import-dialog] input[name=path]", &list.display().to_string()).await;
    let select =
        app.client.find(Locator::Css("[data-testid=import-dialog] select[name=account]")).await.expect("account");
    select.select_by_value("Vote Forward Ohio").await.expect("choosing the account");
    app.click("[data-testid=start-import]").await;
}

/// `+12015550143` as a person writes it: `(201) 555-0143`.
fn national(phone: &str) -> String {
    format!("({}) {}-{}", &phone[2..5], &phone[5..8], &phone[8..])
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_looks_up_reverses_opts_out_filters_and_changes_settings() {
    let data = tempfile::tempdir().expect("a data folder");
    let keyworded = organisation(data.path()).await;
    let app = support::launch_on(data.path()).await;

    // The chrome says where the sync stands.
    let status = app.text_when("[data-testid=sync-status]", |t| t.contains("Synced")).await;
    assert!(status.contains("0 pending") && status.contains("(admin)"), "{status}");

    // Messenger: markup in a name and a reply is shown as text, and runs nothing.
    app.type_into("[data-testid=conversation-search]", HOSTILE_CONTACT).await;
    app.text_when("[data-testid=conversation-list]", |t| t.contains("<img src=x")).await;
    app.click("[data-testid=conversation]").await;
    let thread = app.text_when("[data-testid=messages]", |t| t.contains("<script>")).await;
    assert!(thread.contains(HOSTILE_REPLY), "{thread}");
    app.assert_no_markup_ran().await;
    app.screenshot("messenger").await;

    // The review queue: ask one flagged contact whether they want to stop; dismiss another flag.
    // (A space: clearing alone fires no input event; the search trims it away.)
    app.type_into("[data-testid=conversation-search]", " ").await;
    app.click("[data-view=needs_review]").await;
    app.text_when("[data-testid=conversation]", |t| t.contains("Review") && !t.contains("<img")).await;
    app.click("[data-testid=conversation]").await;
    app.text_when("[data-testid=review-panel]", |t| t.contains("Needs review")).await;
    app.click("[data-testid=ask]").await;
    app.screenshot("review").await;
    let flagged = app.text("[data-testid=conversation-list]").await;
    app.click("[data-testid=send-question]").await;
    app.text_when("[data-testid=review-panel] [data-testid=command-result]", |t| t.starts_with("Done")).await;
    app.text_when("[data-testid=messages]", |t| t.contains("would you like us to stop texting you?")).await;
    // Settled, the conversation leaves the queue; the next one is dismissed.
    let queue = app.text_when("[data-testid=conversation-list]", |t| t != flagged).await;
    app.click("[data-testid=conversation]").await;
    app.click("[data-testid=dismiss]").await;
    app.text_when("[data-testid=review-panel] [data-testid=command-result]", |t| t.starts_with("Done")).await;
    app.text_when("[data-testid=conversation-list]", |t| t != queue).await;

    // From the conversation itself: opt the contact out, then (as an admin) back in.
    app.click("[data-testid=thread-opt-out]").await;
    app.click("[data-testid=confirm-opt-out]").await;
    app.text_when("[data-testid=opt-out-dialog] [data-testid=command-result]", |t| t.starts_with("Done")).await;
    app.click("[data-testid=opt-out-dialog] button.primary").await;
    let standing = app.text_when("[data-testid=standing]", |t| t.contains("Opted out of")).await;
    assert!(standing.contains("Manual"), "{standing}");
    app.click("[data-testid=thread-opt-in]").await;
    app.type_into("[data-testid=opt-in-dialog] textarea", "texted the wrong person by mistake").await;
    app.click("[data-testid=confirm-opt-in]").await;
    app.text_when("[data-testid=opt-in-dialog] [data-testid=command-result]", |t| t.starts_with("Done")).await;
    app.click("[data-testid=opt-in-dialog] button.primary").await;
    app.text_when("[data-testid=standing]", |t| t.contains("Can be texted")).await;

    // Phone lookup: a number that cannot be read says why.
    app.click("[data-area=lookup]").await;
    app.type_into("[data-testid=lookup-phone]", "555-01").await;
    app.click("form button[type=submit]").await;
    let error = app.text("[data-testid=lookup-error]").await;
    assert!(error.starts_with("phone:"), "{error}");

    // The number that replied a keyword, typed as a person writes it.
    app.type_into("[data-testid=lookup-phone]", &national(&keyworded)).await;
    app.click("form button[type=submit]").await;
    assert_eq!(app.text_when("[data-testid=lookup-number]", |t| t == keyworded).await, keyworded);
    let account = "Northside Tenants Union";
    let row = format!("[data-testid=standing] tr[data-account='{account}']");
    let standing = app.text(&row).await;
    assert!(standing.contains("Opted out") && standing.contains("Automatic"), "{standing}");
    app.screenshot("lookup").await;

    // Reversing it warns loudly that the contact asked, and needs a reason.
    app.click(&format!("{row} button")).await;
    let warning = app.text("[data-testid=asked-warning]").await;
    assert!(warning.contains("asked to stop themselves"), "{warning}");
    let confirm = app.client.find(Locator::Css("[data-testid=confirm-opt-in]")).await.expect("the button");
    assert!(!confirm.is_enabled().await.expect("its state"), "no opt-in without a reason");
    app.type_into("[data-testid=opt-in-dialog] textarea", "replied STOP to the wrong group").await;
    app.screenshot("opt-in-dialog").await;
    app.click("[data-testid=confirm-opt-in]").await;
    app.text_when("[data-testid=command-result]", |t| t.starts_with("Done")).await;
    app.click("[data-testid=opt-in-dialog] button.primary").await;
    app.text_when(&row, |t| t.contains("Can be texted")).await;
    let history = app.text("[data-testid=history]").await;
    assert!(history.contains("Opted back in") && history.contains("replied STOP to the wrong group"), "{history}");

    // Opting out by hand, with the message box unchecked: nothing is sent.
    app.click(&format!("{row} button")).await;
    app.click("[data-testid=opt-out-dialog] input[name=send]").await;
    app.text_when("[data-testid=opt-out-dialog]", |t| t.contains("No message will be sent")).await;
    app.click("[data-testid=confirm-opt-out]").await;
    app.text_when("[data-testid=command-result]", |t| t.starts_with("Done")).await;
    app.click("[data-testid=opt-out-dialog] button.primary").await;
    let standing = app.text_when(&row, |t| t.contains("Opted out")).await;
    assert!(standing.contains("Manual"), "{standing}");

    // Opt Out Manager: trends for deliverability; filters narrow the list; the detail shows the history.
    app.click("[data-area=manager]").await;
    app.click("[data-testid=show-trends]").await;
    let rates = app.text_when("[data-testid=campaign-rates]", |t| t.contains('%')).await;
    assert!(rates.contains("Rent Strike Turnout") && rates.contains("Petition Follow-up"), "{rates}");
    app.screenshot("trends").await;
    app.click("[data-testid=show-trends]").await;
    let everything = app.text_when("[data-testid=total]", |t| t.contains("opt-outs")).await;
    let select = app.client.find(Locator::Css("[data-testid=filter-source]")).await.expect("the source filter");
    select.select_by_value("manual").await.expect("choosing manual");
    let manual = app.text_when("[data-testid=total]", |t| t != everything).await;
    let order = app.client.find(Locator::Css("[data-testid=order]")).await.expect("the order");
    order.select_by_index(1).await.expect("oldest first");
    app.text_when("[data-testid=total]", |t| t.contains("oldest first")).await;
    // Rows below the fold are rendered but not visible: read what they hold, not what shows.
    let rows = app
        .client
        .execute("return [...document.querySelectorAll('[data-testid=opt-out-row]')].map(r => r.textContent)", vec![])
        .await
        .expect("the rows");
    let rows = rows.as_array().expect("a list of rows");
    assert!(!rows.is_empty(), "{manual}");
    assert!(rows.iter().all(|r| r.as_str().is_some_and(|t| t.contains("Manual"))), "{rows:?}");
    app.type_into("[data-testid=filter-phone]", &national(&keyworded)).await;
    app.text_when("[data-testid=total]", |t| t.starts_with("1 opt-out")).await;
    app.click("[data-testid=opt-out-row]").await;
    let detail = app.text_when("[data-testid=detail]", |t| t.contains("Opted back in")).await;
    assert!(detail.contains(&keyworded), "{detail}");
    app.screenshot("manager").await;

    // A pasted list: a bad line is named and nothing is queued; a good list is.
    app.click("[data-testid=paste-list]").await;
    let select = app.client.find(Locator::Css("[data-testid=paste-dialog] select")).await.expect("account");
    select.select_by_value("Clean Rivers UK").await.expect("choosing the account");
    // (U+E007 is WebDriver's Enter key: a new line in the text area.)
    app.type_into("[data-testid=paste-dialog] textarea[name=phones]", "07400 111222\u{E007}not a number").await;
    app.click("[data-testid=paste-dialog] button.danger").await;
    let error = app.text("[data-testid=paste-dialog] .error").await;
    assert!(error.starts_with("line 2"), "{error}");
    app.type_into("[data-testid=paste-dialog] textarea[name=phones]", "07400 111222\u{E007}+44 7400 111333").await;
    app.click("[data-testid=paste-dialog] button.danger").await;
    let result = app.text("[data-testid=paste-result]").await;
    assert!(result.starts_with("2 opt-outs sent"), "{result}");
    app.click("[data-testid=paste-dialog] button.primary").await;

    // Import a CSV through the dialog.
    let list = data.path().join("door-knock.csv");
    std::fs::write(&list, "name,Mobile\nAda,(614) 555-0141\nBo,not a number\nCy,614-555-0142\n").expect("the list");
    import(&app, &list).await;
    let summary = app.text_when("[data-testid=import-summary]", |t| t.contains("refused")).await;
    assert!(summary.contains("2 opted out") && summary.contains("1 refused"), "{summary}");
    let refused = app.text("[data-testid=import-summary] table").await;
    assert!(refused.contains('3') && refused.contains("not a number"), "the refused line: {refused}");
    app.screenshot("import").await;
    app.click("[data-testid=import-dialog] button.primary").await;

    // Export the list as filtered: only the imported numbers.
    let select = app.client.find(Locator::Css("[data-testid=filter-source]")).await.expect("the source filter");
    select.select_by_value("import").await.expect("choosing import");
    app.type_into("[data-testid=filter-phone]", "+1614555014").await;
    app.text_when("[data-testid=total]", |t| t.starts_with("2 opt-outs")).await;
    let out = data.path().join("export.csv");
    app.click("[data-testid=export]").await;
    app.type_into("[data-testid=export-dialog] input[name=path]", &out.display().to_string()).await;
    app.click("[data-testid=start-export]").await;
    app.text_when("[data-testid=export-dialog]", |t| t.contains("Saved to")).await;
    app.click("[data-testid=export-dialog] button.primary").await;
    let exported = std::fs::read_to_string(&out).expect("the export");
    assert_eq!(exported.lines().count(), 3, "a header and two rows: {exported}");
    assert!(exported.contains("+16145550141,Vote Forward Ohio,import,"), "{exported}");

    // A long list: cancelled after its first batch, it keeps what it committed; the same file
    // then resumes where it stopped, and every number is opted out once.
    let long = data.path().join("long list.csv");
    let numbers: String = (0..300_000).map(|n| format!("(380) {}-{:04}\n", 200 + n / 10_000, n % 10_000)).collect();
    std::fs::write(&long, numbers).expect("the long list");
    import(&app, &long).await;
    let rows = |job: &str| job.parse::<u64>().unwrap_or(0);
    app.attribute_when("[data-testid=job]", "data-rows", |r| rows(r) > 0).await;
    app.click("[data-testid=job] button").await;
    let cancelled = app.text_when("[data-testid=job]", |t| t.starts_with("Cancelled after")).await;
    let kept = rows(&app.attribute_when("[data-testid=job]", "data-rows", |_| true).await);
    assert!(kept > 0 && kept < 300_000, "{cancelled}");
    assert!(cancelled.contains("import the same file again"), "{cancelled}");
    // The bar shows what was committed, not what was read ahead (the lines are all one length).
    let percent: f64 = app.attribute_when("[data-testid=job] progress", "value", |_| true).await.parse().unwrap_or(0.0);
    let committed = kept as f64 * 100.0 / 300_000.0;
    assert!((percent - committed).abs() < 2.0, "the bar says {percent}% for {kept} of 300,000 rows");
    app.screenshot("import-cancelled").await;
    app.click("[data-testid=import-dialog] button.primary").await;
    import(&app, &long).await;
    // Numbers are grouped as the system's locale says, or not at all.
    let summary = app.text_within(MINUTE, "[data-testid=import-summary]", |t| t.contains("Resumed")).await;
    let summary = summary.replace(',', "");
    assert!(summary.contains("300000 rows") && summary.contains("300000 opted out"), "{summary}");
    assert!(summary.contains(&format!("at line {}", kept + 1)), "resumed where it stopped: {summary}");
    app.click("[data-testid=import-dialog] button.primary").await;
    app.type_into("[data-testid=filter-phone]", "+1380").await;
    app.text_within(MINUTE, "[data-testid=total]", |t| t.replace(',', "").starts_with("300000 opt-outs")).await;

    // Settings: the switch explains what changes, and the change reaches the hub.
    app.click("[data-area=settings]").await;
    let form = "form[data-account='Vote Forward Ohio']";
    let before = app.text(form).await;
    assert!(before.contains("Automatic opt-outs off"), "{before}");
    app.click(&format!("{form} [data-testid=auto-opt-outs]")).await;
    let after = app.text_when(form, |t| t.contains("Automatic opt-outs on")).await;
    assert_ne!(before, after, "the explanation follows the switch");
    app.click(&format!("{form} button[type=submit]")).await;
    app.text_when(&format!("{form} [data-testid=command-result]"), |t| t.starts_with("Done")).await;
    app.screenshot("settings").await;

    // The hub connection: an unreachable hub is refused with a reason and changes nothing; a
    // real one (this same record, served over HTTP) is tested, then used.
    app.type_into("input[name=url]", "http://127.0.0.1:9").await;
    app.type_into("input[name=token]", "some-token").await;
    app.click("form:has(input[name=url]) button[type=submit]").await;
    let error = app.text("[data-testid=hub-error]").await;
    assert!(error.contains("cannot reach the hub"), "{error}");
    let served = Hub::open(&data.path().join("hub.sqlite3")).await.expect("the hub");
    let setup = optout_hub::Actor::admin("setup");
    let (ada, token) = served.create_token(&setup, "ada", optout_hub::Role::Admin).await.expect("a token");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let url = format!("http://{}", listener.local_addr().expect("its address"));
    tokio::spawn(optout_hub::http::serve(served.clone(), listener, std::future::pending()));
    app.type_into("input[name=url]", &url).await;
    app.type_into("input[name=token]", &token).await;
    app.click("form:has(input[name=url]) button[type=submit]").await;
    let hub = app.text_when("[data-testid=hub]", |t| t.contains("Connected to")).await;
    assert!(hub.contains(&url) && hub.contains("ada (admin)"), "{hub}");
    // The cache syncs the whole organisation again from the remote hub: not a click's wait.
    app.text_within(MINUTE, "[data-testid=sync-status]", |t| t.contains("Synced") && t.contains("ada")).await;
    app.screenshot("settings-remote").await;

    // The hub stops accepting this computer's token: a list read live from it says so and
    // leads back to the hub connection.
    let revoke = optout_hub::RevokeToken { command_id: uuid::Uuid::new_v4(), token_id: ada.id };
    served.revoke_token(&setup, &revoke).await.expect("revoked: the serving hub refuses it at once");
    app.click("[data-area=organisation]").await;
    app.click("[data-part=tokens]").await;
    let refused = app.text("[data-testid=tokens-offline]").await;
    assert!(refused.contains("does not accept this computer's token"), "{refused}");
    app.screenshot("token-refused").await;
    app.click("[data-testid=tokens-offline] [data-testid=check-hub]").await;
    app.text_when("[data-testid=hub]", |t| t.contains("Connected to")).await;
    app.click("form:has(input[name=url]) button[type=button]:not([disabled])").await;
    app.text_when("[data-testid=hub]", |t| t.contains("runs its own hub")).await;

    app.close().await;
    let hub = Hub::open(&data.path().join("hub.sqlite3")).await.expect("the hub");
    assert!(hub.account("Vote Forward Ohio").await.expect("the account").auto_opt_outs);
}
