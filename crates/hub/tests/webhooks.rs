//! The providers' own callbacks over a real socket, built as each provider documents them (the
//! fixtures) and signed by the test with a test secret: genuine ones reach the record through the
//! rules, forged, replayed, misaddressed and oversized ones do not. Each story runs on SQLite and
//! on PostgreSQL.

#![allow(clippy::unwrap_used)]

mod support;

use optout_hub::http::{serve_with, ServeOptions};
use optout_hub::webhooks::{bandwidth, telnyx, twilio};
use optout_hub::{ProviderSetup, Refusal, Region};
use support::organisation::*;
use support::TestHub;

const SENDER: &str = "+14155550100";
const CONTACT_SF: &str = "+14155552671";
const TOKEN: &str = "0123456789abcdef0123456789abcdef";
const SEED: [u8; 32] = [7; 32];
const PUBLIC_URL: &str = "https://hub.example.org";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/webhooks/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

struct Hook {
    base: String,
    client: reqwest::Client,
}

/// Acme texts from +14155550100 with automatic opt-outs on; every provider is connected.
async fn start(t: &TestHub) -> Hook {
    add_account(t, "Acme", true).await.unwrap();
    add_campaign(t, "Acme", "Bay", 1, &[SENDER]).await.unwrap();
    for setup in [
        ProviderSetup::Twilio { auth_token: TOKEN.into() },
        ProviderSetup::Telnyx { public_key: telnyx::public_key_of(&SEED) },
        ProviderSetup::Bandwidth { username: "optout".into(), password: "callback-secret".into() },
    ] {
        t.hub.set_provider(&admin(), &setup).await.unwrap();
    }
    let dir = tempfile::tempdir().unwrap().keep();
    let mut options = ServeOptions::new(dir.join("uploads"));
    options.public_url = Some(PUBLIC_URL.into());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(serve_with(t.hub.clone(), listener, options, std::future::pending()));
    Hook { base, client: reqwest::Client::new() }
}

impl Hook {
    /// Posts a Twilio form to `path`, signed for the public URL with `token`.
    async fn twilio(&self, path: &str, form: &str, token: &str) -> (u16, String) {
        let params = twilio::form_params(form.as_bytes()).unwrap();
        let signature = twilio::sign(token, &format!("{PUBLIC_URL}{path}"), &params);
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header(twilio::SIGNATURE_HEADER, signature)
            .body(form.to_owned())
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }

    async fn telnyx(&self, body: &str, timestamp: i64) -> u16 {
        let timestamp = timestamp.to_string();
        let signature = telnyx::sign(&SEED, &timestamp, body.as_bytes());
        let response = self
            .client
            .post(format!("{}/v1/webhooks/telnyx", self.base))
            .header(telnyx::TIMESTAMP_HEADER, timestamp)
            .header(telnyx::SIGNATURE_HEADER, signature)
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        response.status().as_u16()
    }

    async fn bandwidth(&self, body: &str, password: &str) -> u16 {
        let response = self
            .client
            .post(format!("{}/v1/webhooks/bandwidth", self.base))
            .header("Authorization", bandwidth::basic_header("optout", password))
            .header("Content-Type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        response.status().as_u16()
    }
}

async fn opted_out(t: &TestHub, phone: &str) -> bool {
    let lookup = t.hub.lookup(&admin(), phone, Region::US).await.unwrap();
    lookup.accounts.iter().any(|a| a.opt_out.is_some())
}

async fn a_signed_twilio_stop_opts_out_and_records_the_provider_s_block(t: &TestHub) {
    let hook = start(t).await;
    text(t, SENDER, CONTACT_SF).await;
    let form = fixture("twilio-inbound-stop.form");
    let (status, body) = hook.twilio("/v1/webhooks/twilio", &form, TOKEN).await;
    assert_eq!((status, body.as_str()), (200, twilio::EMPTY_TWIML));
    assert!(opted_out(t, CONTACT_SF).await, "Acme's automatic opt-out");
    let lookup = t.hub.lookup(&admin(), CONTACT_SF, Region::US).await.unwrap();
    assert_eq!(lookup.provider_blocks.len(), 1, "OptOutType=STOP is the provider's own block, on a US campaign too");
    assert_eq!(lookup.provider_blocks[0].sender_phone, SENDER);

    // Delivered again, as Twilio may: one message, one opt-out.
    let head = t.hub.feed_head().await.unwrap();
    assert_eq!(hook.twilio("/v1/webhooks/twilio", &form, TOKEN).await.0, 200);
    assert_eq!(t.hub.feed_head().await.unwrap(), head, "a replayed MessageSid changes nothing");
    let connection = t.hub.providers(&admin()).await.unwrap().into_iter().find(|p| p.provider == "twilio").unwrap();
    assert_eq!(connection.genuine, 2);
    assert!(connection.last_genuine_at.is_some());

    // START lifts the provider's block, not the account's opt-out.
    let start = form
        .replace("OptOutType=STOP", "OptOutType=START")
        .replace("Body=STOP", "Body=START")
        .replace("SM0a1b2c3d4e5f60718293a4b5c6d7e8f9", "SM0a1b2c3d4e5f60718293a4b5c6d7e800");
    assert_eq!(hook.twilio("/v1/webhooks/twilio", &start, TOKEN).await.0, 200);
    let lookup = t.hub.lookup(&admin(), CONTACT_SF, Region::US).await.unwrap();
    assert!(lookup.provider_blocks[0].lifted_at.is_some());
    assert!(opted_out(t, CONTACT_SF).await);
}

async fn a_forged_misaddressed_or_oversized_callback_stores_nothing(t: &TestHub) {
    let hook = start(t).await;
    text(t, SENDER, CONTACT_SF).await;
    let head = t.hub.feed_head().await.unwrap();
    let form = fixture("twilio-inbound-stop.form");
    let (status, body) = hook.twilio("/v1/webhooks/twilio", &form, "ffffffffffffffffffffffffffffffff").await;
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("not_genuine"), "{body}");
    let unsigned =
        hook.client.post(format!("{}/v1/webhooks/twilio", hook.base)).body(form.clone()).send().await.unwrap();
    assert_eq!(unsigned.status(), 403);
    let tampered = form.replace("Body=STOP", "Body=hello");
    let params = twilio::form_params(form.as_bytes()).unwrap();
    let signature = twilio::sign(TOKEN, &format!("{PUBLIC_URL}/v1/webhooks/twilio"), &params);
    let response = hook
        .client
        .post(format!("{}/v1/webhooks/twilio", hook.base))
        .header(twilio::SIGNATURE_HEADER, signature)
        .body(tampered)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403, "the signature covers the body");
    let big = format!("{form}&Padding={}", "x".repeat(70_000));
    assert_eq!(hook.twilio("/v1/webhooks/twilio", &big, TOKEN).await.0, 413);
    assert_eq!(hook.telnyx(&fixture("telnyx-message-received.json"), chrono::Utc::now().timestamp() - 900).await, 403);
    assert_eq!(hook.bandwidth(&fixture("bandwidth-message-received.json"), "wrong-password").await, 403);
    assert_eq!(t.hub.feed_head().await.unwrap(), head, "nothing reached the record");
    assert!(!opted_out(t, CONTACT_SF).await);
    let refused: i64 = t.hub.providers(&admin()).await.unwrap().iter().map(|p| p.refused).sum();
    assert_eq!(refused, 5, "each refusal is counted where the admin sees it");

    // A genuine callback for a number no campaign sends from: answered, stored nowhere, counted.
    let stranger = form.replace("To=%2B14155550100", "To=%2B14155550199");
    let (status, body) = hook.twilio("/v1/webhooks/twilio", &stranger, TOKEN).await;
    assert_eq!((status, body.as_str()), (200, twilio::EMPTY_TWIML), "so that Twilio does not retry forever");
    assert_eq!(t.hub.feed_head().await.unwrap(), head);
    let twilio = t.hub.providers(&admin()).await.unwrap().into_iter().find(|p| p.provider == "twilio").unwrap();
    assert_eq!((twilio.unknown_senders, twilio.last_unknown_sender.as_deref()), (1, Some("+14155550199")));
}

async fn the_provider_s_refusal_of_a_send_opts_the_contact_out(t: &TestHub) {
    let hook = start(t).await;
    // Automatic opt-outs off: only the provider's word opts the contact out.
    settings(t, "Acme", optout_hub::AccountSettings { auto_opt_outs: Some(false), ..Default::default() }).await;
    text(t, SENDER, CONTACT_SF).await;
    let status = hook.twilio("/v1/webhooks/twilio/status", &fixture("twilio-status-21610.form"), TOKEN).await;
    assert_eq!(status.0, 204);
    let lookup = t.hub.lookup(&admin(), CONTACT_SF, Region::US).await.unwrap();
    let opt_out = lookup.accounts.iter().find_map(|a| a.opt_out.clone()).expect("the deferred opt-out");
    assert_eq!(opt_out.source, optout_hub::Source::ProviderBlock);
    assert!(opt_out.evidence.unwrap().contains("21610"));
    assert_eq!(lookup.provider_blocks.len(), 1);

    let other = "+14155552672";
    text(t, SENDER, other).await;
    let finalized = fixture("telnyx-message-finalized-opted-out.json").replace(CONTACT_SF, other);
    assert_eq!(hook.telnyx(&finalized, chrono::Utc::now().timestamp()).await, 204);
    assert!(opted_out(t, other).await, "Telnyx's 40300 too");

    let third = "+14155552673";
    text(t, SENDER, third).await;
    let failed = fixture("bandwidth-message-failed-opted-out.json").replace(CONTACT_SF, third);
    assert_eq!(hook.bandwidth(&failed, "callback-secret").await, 204);
    assert!(opted_out(t, third).await, "Bandwidth's 4775 too");
}

async fn telnyx_and_bandwidth_replies_go_through_the_rules(t: &TestHub) {
    let hook = start(t).await;
    text(t, SENDER, CONTACT_SF).await;
    assert_eq!(hook.telnyx(&fixture("telnyx-message-received.json"), chrono::Utc::now().timestamp()).await, 204);
    assert!(opted_out(t, CONTACT_SF).await, "STOP as the first response, automatic opt-outs on");

    let other = "+14155552674";
    text(t, SENDER, other).await;
    let batch = fixture("bandwidth-message-received.json").replace(CONTACT_SF, other);
    // A batch: one callback for a number no campaign sends from, one for Acme's.
    let stranger = fixture("bandwidth-message-received.json").replace(SENDER, "+14155550199").replace("kw2f", "zz9f");
    let both = format!(
        "[{},{}]",
        stranger.trim().trim_start_matches('[').trim_end_matches(']'),
        batch.trim().trim_start_matches('[').trim_end_matches(']')
    );
    assert_eq!(hook.bandwidth(&both, "callback-secret").await, 204);
    assert!(opted_out(t, other).await, "the known number is ingested despite the other");
}

async fn a_provider_not_connected_is_refused(t: &TestHub) {
    add_account(t, "Acme", true).await.unwrap();
    add_campaign(t, "Acme", "Bay", 1, &[SENDER]).await.unwrap();
    let dir = tempfile::tempdir().unwrap().keep();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(serve_with(t.hub.clone(), listener, ServeOptions::new(dir.join("u")), std::future::pending()));
    let response = reqwest::Client::new()
        .post(format!("{base}/v1/webhooks/twilio"))
        .body(fixture("twilio-inbound-stop.form"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert!(response.text().await.unwrap().contains("optout providers set twilio"));
    let bad = t.hub.set_provider(&admin(), &ProviderSetup::Telnyx { public_key: "not a key".into() }).await;
    assert!(matches!(bad, Err(optout_hub::Error::InvalidField { field, .. }) if field == "public_key"));
    let texter = optout_hub::Actor::texter("tom");
    let forbidden = t.hub.set_provider(&texter, &ProviderSetup::Twilio { auth_token: TOKEN.into() }).await;
    assert!(matches!(forbidden, Err(optout_hub::Error::Refused { code: Refusal::Forbidden, .. })));
    assert!(t.hub.providers(&admin()).await.unwrap().is_empty());
}

/// Callbacks that arrive together share commits but keep their own answers: 120 at once, STOPs
/// and ordinary replies from 40 contacts, each delivered twice, and some to a number no campaign
/// sends from. Each contact who wrote STOP is opted out once, nobody else is, each message is
/// recorded once, and the misaddressed ones are counted without holding back the rest.
async fn callbacks_at_once_each_get_their_own_answer(t: &TestHub) {
    let hook = std::sync::Arc::new(start(t).await);
    let stop = fixture("twilio-inbound-stop.form");
    let contact = |n: usize| format!("+1415555{:04}", 3000 + n);
    let mut forms = Vec::new();
    for n in 0..40 {
        text(t, SENDER, &contact(n)).await;
        let sid = format!("SM{n:032}");
        let mut form = stop
            .replace("SM0a1b2c3d4e5f60718293a4b5c6d7e8f9", &sid)
            .replace("From=%2B14155552671", &format!("From={}", contact(n).replace('+', "%2B")));
        if n % 2 == 1 {
            form = form.replace("Body=STOP", "Body=see+you+there").replace("&OptOutType=STOP", "");
        }
        forms.push(form.clone());
        forms.push(form);
    }
    for n in 0..40 {
        forms.push(
            stop.replace("SM0a1b2c3d4e5f60718293a4b5c6d7e8f9", &format!("SX{n:032}"))
                .replace("To=%2B14155550100", "To=%2B14155550199"),
        );
    }
    let answers = futures_util::future::join_all(forms.into_iter().map(|form| {
        let hook = hook.clone();
        tokio::spawn(async move { hook.twilio("/v1/webhooks/twilio", &form, TOKEN).await.0 })
    }))
    .await;
    assert!(answers.into_iter().all(|a| a.unwrap() == 200));
    for n in 0..40 {
        assert_eq!(opted_out(t, &contact(n)).await, n % 2 == 0, "contact {n}");
        let lookup = t.hub.lookup(&admin(), &contact(n), Region::US).await.unwrap();
        assert_eq!(lookup.conversations[0].messages, 2, "contact {n}: one send, one reply, however often delivered");
    }
    let twilio = t.hub.providers(&admin()).await.unwrap().into_iter().find(|p| p.provider == "twilio").unwrap();
    assert_eq!((twilio.genuine, twilio.unknown_senders), (120, 40));
}

stories!(
    callbacks_at_once_each_get_their_own_answer,
    a_signed_twilio_stop_opts_out_and_records_the_provider_s_block,
    a_forged_misaddressed_or_oversized_callback_stores_nothing,
    the_provider_s_refusal_of_a_send_opts_the_contact_out,
    telnyx_and_bandwidth_replies_go_through_the_rules,
    a_provider_not_connected_is_refused,
);
