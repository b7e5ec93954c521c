//! End to end: a first run that sets up an organisation of one's own, and the review queue
//! against its clock, in the real app window on a real embedded hub.

mod support;

use chrono::{Duration, Utc};
use optout_hub::{Hub, IncomingReply};

const ACCOUNT: &str = "Riverside Tenants";
const RENAMED: &str = "Riverside Tenants Union";
const DONE: fn(&str) -> bool = |t| t.starts_with("Done");

#[tokio::test(flavor = "multi_thread")]
async fn a_first_run_sets_up_an_organisation_of_ones_own() {
    let data = tempfile::tempdir().expect("a data folder");
    let app = support::launch_asking(data.path(), &[]).await;

    // Nothing is made before the admin chooses.
    let welcome = app.text("[data-testid=first-run]").await;
    assert!(welcome.contains("Explore the demo") && welcome.contains("Connect to a hub"), "{welcome}");
    assert!(!data.path().join("hub.sqlite3").exists());
    app.click("[data-choice=connect]").await;
    app.text("[data-testid=first-run] input[name=url]").await;
    app.screenshot("first-run").await;

    // Set up my own: an empty organisation, and the Organisation area opens.
    app.click("[data-choice=own]").await;
    app.text("[data-testid=no-accounts]").await;
    app.screenshot("organisation-empty").await;

    app.type_into("[data-testid=add-account] input[name=name]", ACCOUNT).await;
    app.click("[data-testid=add-account] button[type=submit]").await;
    app.text_when("[data-testid=add-account] [data-testid=command-result]", DONE).await;
    let card = format!("article[data-account='{ACCOUNT}']");
    app.text(&card).await;

    // A campaign: a bad line is named and nothing is queued; then one sender number.
    app.click(&format!("{card} [data-testid=add-campaign]")).await;
    app.type_into("[data-testid=campaign-dialog] input[name=name]", "Spring canvass").await;
    // (U+E007 is WebDriver's Enter key: a new line in the text area.)
    app.type_into("[data-testid=campaign-dialog] textarea[name=numbers]", "(201) 555-0100\u{E007}not a number").await;
    app.click("[data-testid=confirm-campaign]").await;
    let error = app.text("[data-testid=campaign-dialog] .error").await;
    assert!(error.starts_with("line 2: \"not a number\""), "{error}");
    app.screenshot("campaign-dialog").await;
    assert!(app.text("[data-testid=sync-status]").await.contains("0 pending"));
    app.type_into("[data-testid=campaign-dialog] textarea[name=numbers]", "(201) 555-0100").await;
    app.click("[data-testid=confirm-campaign]").await;
    app.text_when("[data-testid=campaign-dialog] [data-testid=command-result]", DONE).await;
    app.click("[data-testid=campaign-dialog] button.primary").await;
    let campaign = format!("{card} section[data-campaign='Spring canvass']");
    let senders = app.text_when(&campaign, |t| t.contains("+12015550100")).await;
    assert!(senders.contains("Texting") && senders.contains("US and Canada"), "{senders}");

    // Rename the account: its campaign goes with it.
    app.click(&format!("{card} [data-testid=rename-account]")).await;
    app.type_into(&format!("{card} form input[name=name]"), RENAMED).await;
    app.click(&format!("{card} form button[type=submit]")).await;
    let renamed = format!("article[data-account='{RENAMED}']");
    app.text_when(&format!("{renamed} [data-testid=command-result]"), DONE).await;
    app.text_when(&renamed, |t| t.contains("Spring canvass")).await;

    // Rename the campaign, in the same form the account's name is changed in.
    let campaign = format!("{renamed} section[data-campaign='Spring canvass']");
    app.click(&format!("{campaign} [data-testid=rename-campaign]")).await;
    assert_eq!(app.value(&format!("{campaign} form input[name=name]")).await, "Spring canvass");
    app.type_into(&format!("{campaign} form input[name=name]"), "Spring canvass 2027").await;
    app.screenshot("rename-campaign").await;
    app.click(&format!("{campaign} form button[type=submit]")).await;
    let campaign = format!("{renamed} section[data-campaign='Spring canvass 2027']");
    app.text_when(&format!("{campaign} [data-testid=command-result]"), DONE).await;
    app.screenshot("organisation").await;

    // A token: its secret shown once, in a field to copy from; then revoked.
    app.click("[data-part=tokens]").await;
    app.text_when("[data-testid=tokens]", |t| t.contains("No tokens yet")).await;
    app.type_into("[data-testid=make-token] input[name=name]", "Ada Lovelace").await;
    app.select("[data-testid=make-token] select[name=role]", "admin").await;
    app.click("[data-testid=make-token] button[type=submit]").await;
    let secret = app.value("[data-testid=token-secret] input[name=secret]").await;
    assert!(secret.starts_with("od_") && secret.len() == 67, "{secret}");
    assert!(app.text("[data-testid=token-secret]").await.contains("you will not see it again"));
    app.text_when("[data-testid=tokens] [data-testid=command-result]", DONE).await;
    let row = "tr[data-token='Ada Lovelace']";
    let listed = app.text(row).await;
    assert!(listed.contains("Admin") && listed.contains("Never"), "{listed}");
    app.screenshot("tokens").await;
    let hub = Hub::open(&data.path().join("hub.sqlite3")).await.expect("the hub");
    assert_eq!(hub.authenticate(&secret).await.expect("a lookup").expect("a live token").name, "Ada Lovelace");
    app.click("[data-testid=token-secret] button:not(.primary)").await;

    app.click(&format!("{row} [data-testid=revoke]")).await;
    app.text("[data-testid=revoke-dialog]").await;
    app.screenshot("revoke-dialog").await;
    app.click("[data-testid=confirm-revoke]").await;
    app.text_when("[data-testid=revoke-dialog] [data-testid=command-result]", DONE).await;
    app.click("[data-testid=revoke-dialog] button.primary").await;
    app.text_when(row, |t| t.contains("Revoked")).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert!(hub.authenticate(&secret).await.expect("a lookup").is_none(), "revoked");
    assert!(!std::fs::read(data.path().join("cache-embedded.sqlite3"))
        .expect("the cache")
        .windows(secret.len())
        .any(|w| w == secret.as_bytes()));

    // Providers: the webhooks to give each, and Twilio connected with its auth token, which goes
    // to the hub and nowhere else.
    app.click("[data-part=providers]").await;
    let twilio = "[data-testid=providers] article[data-provider=twilio]";
    let card = app.text_when(twilio, |t| t.contains("Not connected")).await;
    assert!(card.contains("/v1/webhooks/twilio") && card.contains("/v1/webhooks/twilio/status"), "{card}");
    app.click(&format!("{twilio} button")).await;
    app.click(&format!("{twilio} [data-testid=provider-form] button[type=submit]")).await;
    assert!(app.text(twilio).await.contains("Not connected"), "an empty secret is refused by the form");
    let auth_token = "0123456789abcdef0123456789abcdef";
    app.type_into(&format!("{twilio} input[name=secret]"), auth_token).await;
    app.click(&format!("{twilio} [data-testid=provider-form] button[type=submit]")).await;
    let card = app.text_when(twilio, |t| t.contains("Connected") && !t.contains("Not connected")).await;
    assert!(card.contains("No genuine callback yet") && !card.contains(auth_token), "{card}");
    app.screenshot("providers").await;
    let connected = hub.providers(&optout_hub::Actor::admin("ada")).await.expect("the connections");
    assert_eq!(connected.iter().map(|c| c.provider.as_str()).collect::<Vec<_>>(), ["twilio"]);
    assert!(!std::fs::read(data.path().join("cache-embedded.sqlite3"))
        .expect("the cache")
        .windows(auth_token.len())
        .any(|w| w == auth_token.as_bytes()));

    // Settings: the rule sets in the rules engine's words, and the review clock.
    app.click("[data-area=settings]").await;
    let form = format!("form[data-account='{RENAMED}']");
    let settings = app.text(&form).await;
    assert!(settings.contains("US 2025 revocation words") && settings.contains("business days"), "{settings}");
    app.click(&format!("{form} input[data-rule-set=us_2025]")).await;
    app.type_into(&format!("{form} [data-testid=review-days]"), "5").await;
    app.click(&format!("{form} button[type=submit]")).await;
    app.text_when(&format!("{form} [data-testid=command-result]"), DONE).await;
    app.screenshot("settings-rules").await;
    app.close().await;

    let account = hub.account(RENAMED).await.expect("the renamed account");
    assert_eq!((account.rule_set, account.review_days), (optout_rules::RuleSet::Us2025, 5));
    let campaigns = hub.campaigns(Some(RENAMED)).await.expect("its campaigns");
    assert_eq!(campaigns[0].name, "Spring canvass 2027");
    assert_eq!(campaigns[0].sender_numbers, ["+12015550100"]);
}

fn plea(phone: &str, days_ago: i64) -> IncomingReply {
    IncomingReply {
        provider_message_id: format!("plea-{phone}"),
        sender_phone: "+12015550100".into(),
        contact_phone: phone.into(),
        body: "please stop texting me".into(),
        at: Some(Utc::now() - Duration::days(days_ago)),
        provider_action: None,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_review_queue_leads_with_the_overdue_and_says_when_each_is_due() {
    let data = tempfile::tempdir().expect("a data folder");
    let hub = Hub::open(&data.path().join("hub.sqlite3")).await.expect("the hub");
    hub.build_demo(support::DEMO_CONTACTS, 1, |_| true).await.expect("the demo");
    hub.ingest_reply(&plea("+12015550163", 21)).await.expect("a reply three weeks old");
    hub.ingest_reply(&plea("+12015550164", 35)).await.expect("a reply five weeks old");
    hub.close().await;
    let app = support::launch_on(data.path()).await;

    // The sidebar counts them; choosing it opens the queue.
    app.click("[data-area=settings]").await;
    let clock = app.text_when("[data-testid=review-clock]", |t| t.contains("2 overdue")).await;
    assert!(clock.contains("Review queue"), "{clock}");
    app.click("[data-testid=review-clock]").await;
    app.attribute_when("[data-view=needs_review]", "aria-selected", |s| s == "true").await;

    let first = app.text_when("[data-testid=conversation]", |t| t.contains("+12015550164")).await;
    assert!(first.contains("Overdue since"), "{first}");
    let states = app
        .client
        .execute("return [...document.querySelectorAll('[data-testid=due]')].map(d => d.dataset.dueState)", vec![])
        .await
        .expect("the due dates");
    let states: Vec<&str> = states.as_array().expect("a list").iter().filter_map(|s| s.as_str()).collect();
    assert_eq!(&states[..2], ["overdue", "overdue"], "{states:?}");
    assert!(states[2..].iter().all(|s| *s != "overdue"), "the soonest due first: {states:?}");
    app.click("[data-testid=conversation]").await;
    let due = app.text("[data-testid=review-due]").await;
    assert!(due.starts_with("Overdue since") && due.contains("raised"), "{due}");
    app.screenshot("review-queue").await;

    // The review log, written where the admin says.
    let out = data.path().join("review-log.csv");
    app.click("[data-testid=export-review-log]").await;
    app.type_into("[data-testid=review-log-dialog] input[name=path]", &out.display().to_string()).await;
    app.screenshot("review-log-dialog").await;
    app.click("[data-testid=start-review-log]").await;
    app.text("[data-testid=review-log-saved]").await;
    app.click("[data-testid=review-log-dialog] button.primary").await;
    let log = std::fs::read_to_string(&out).expect("the review log");
    assert!(log.contains("+12015550164") && log.contains("flag raised"), "{log}");

    // The lookup shows the open flag's due date too.
    app.click("[data-area=lookup]").await;
    app.type_into("[data-testid=lookup-phone]", "(201) 555-0163").await;
    app.click("form button[type=submit]").await;
    let flag = app.text("[data-testid=lookup-due]").await;
    assert!(flag.starts_with("Overdue since"), "{flag}");
    app.screenshot("lookup-due").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_new_screens_follow_a_dark_desktop_theme() {
    let data = tempfile::tempdir().expect("a data folder");
    let app = support::launch_asking(data.path(), &[("GTK_THEME", "Adwaita:dark")]).await;
    app.text("[data-testid=first-run]").await;
    app.screenshot("dark-first-run").await;
    app.click("[data-choice=demo]").await;
    app.text_within(std::time::Duration::from_secs(120), "[data-testid=sync-status]", |t| t.contains("Synced")).await;
    app.click("[data-area=organisation]").await;
    app.text_when("main", |t| t.contains("Vote Forward Ohio")).await;
    app.screenshot("dark-organisation").await;
    app.click("[data-part=tokens]").await;
    app.type_into("[data-testid=make-token] input[name=name]", "Texting platform").await;
    app.click("[data-testid=make-token] button[type=submit]").await;
    app.text_when("[data-testid=tokens] [data-testid=command-result]", |t| t.starts_with("Done")).await;
    app.screenshot("dark-tokens").await;
    app.click("[data-area=messenger]").await;
    app.click("[data-view=needs_review]").await;
    app.text_when("[data-testid=conversation]", |t| t.contains("Due ")).await;
    app.click("[data-testid=conversation]").await;
    app.text("[data-testid=review-due]").await;
    app.screenshot("dark-review-queue").await;
    app.click("[data-area=settings]").await;
    app.text("[data-testid=rule-sets]").await;
    app.screenshot("dark-settings").await;
    app.click("[data-area=preview]").await;
    app.type_into("[data-testid=reply]", "Revoke").await;
    app.text_when("[data-testid=matrix]", |t| t.contains("differs")).await;
    app.screenshot("dark-preview-revoke").await;
    app.type_into("[data-testid=reply]", "Por favor, quítenme de su lista").await;
    let flag = app.text("[data-testid=review-flag]").await;
    assert!(flag.contains("Spanish") && flag.contains("quítenme de su lista"), "{flag}");
    app.screenshot("dark-preview-review").await;
    app.close().await;
}
