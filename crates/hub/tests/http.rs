//! The HTTP API over a real socket, on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used)]

mod support;

use optout_hub::Role;
use serde_json::{json, Value};
use support::organisation::*;
use support::TestHub;

struct Api {
    base: String,
    client: reqwest::Client,
    admin: String,
    texter: String,
}

async fn start(t: &TestHub) -> Api {
    add_account(t, "Acme", true).await.unwrap();
    add_campaign(t, "Acme", "Spring", 1, &["+12015550100"]).await.unwrap();
    let admin = token(t, "ada", Role::Admin).await;
    let texter = token(t, "tom", Role::Texter).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(optout_hub::http::serve(t.hub.clone(), listener, std::future::pending()));
    Api { base, client: reqwest::Client::new(), admin, texter }
}

impl Api {
    async fn post(&self, token: Option<&str>, path: &str, body: Value) -> (u16, Value) {
        let mut request = self.client.post(format!("{}{path}", self.base)).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        (response.status().as_u16(), response.json().await.unwrap())
    }

    async fn get(&self, token: &str, path: &str) -> (u16, Value) {
        let response = self.client.get(format!("{}{path}", self.base)).bearer_auth(token).send().await.unwrap();
        (response.status().as_u16(), response.json().await.unwrap())
    }
}

/// A revoked token stops working at once on the server that revoked it, and within a second on
/// another server process that serves the same database (which trusts a token it found live for
/// that long, so that it does not read the tokens table on every request).
async fn a_revoked_token_stops_working(t: &TestHub) {
    let api = start(t).await;
    let other = t.reopen().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let other_base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(optout_hub::http::serve(other.clone(), listener, std::future::pending()));
    let other_api =
        Api { base: other_base, client: reqwest::Client::new(), admin: api.admin.clone(), texter: api.texter.clone() };
    let check = json!({ "account": "Acme", "sender_phone": "+12015550100", "contact_phone": "+12015550123" });
    for server in [&api, &other_api] {
        let (status, _) = server.post(Some(&api.texter), "/v1/send-check", check.clone()).await;
        assert_eq!(status, 200);
    }
    let tom = t.hub.tokens(&admin()).await.unwrap().into_iter().find(|token| token.name == "tom").unwrap();
    t.hub
        .revoke_token(&admin(), &optout_hub::RevokeToken { command_id: uuid::Uuid::new_v4(), token_id: tom.id })
        .await
        .unwrap();
    let (status, _) = api.post(Some(&api.texter), "/v1/send-check", check.clone()).await;
    assert_eq!(status, 401, "the revoking server refuses it at once");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (status, _) = other_api.post(Some(&api.texter), "/v1/send-check", check).await;
    assert_eq!(status, 401, "the other server refuses it within a second");
}

fn opt_out(id: &str) -> Value {
    json!({ "command_id": id, "account": "Acme", "phone": "+12015550123", "reason": "asked on the phone" })
}

async fn tokens_and_roles_guard_every_call(t: &TestHub) {
    let api = start(t).await;
    let check = json!({ "account": "Acme", "sender_phone": "+12015550100", "contact_phone": "+12015550123" });
    let (status, body) = api.post(None, "/v1/send-check", check.clone()).await;
    assert_eq!((status, body["code"].as_str()), (401, Some("unauthorized")));
    let (status, _) = api.post(Some("od_0000"), "/v1/send-check", check.clone()).await;
    assert_eq!(status, 401);
    let (status, body) = api.post(Some(&api.texter), "/v1/send-check", check.clone()).await;
    assert_eq!((status, body["allowed"].as_bool()), (200, Some(true)));

    let id = "7d7c1a4e-0f7e-4a8e-9a51-4b0f3f3e2a01";
    let (status, out) = api.post(Some(&api.texter), "/v1/opt-outs", opt_out(id)).await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["opt_out"]["actor"], "tom", "the token's name is the actor");
    let (_, again) = api.post(Some(&api.texter), "/v1/opt-outs", opt_out(id)).await;
    assert_eq!(again, out, "the same command answers the same");

    let opt_in = json!({ "command_id": "7d7c1a4e-0f7e-4a8e-9a51-4b0f3f3e2a02", "account": "Acme",
        "phone": "+12015550123", "opt_out_id": out["opt_out"]["id"], "reason": "mistake" });
    let (status, body) = api.post(Some(&api.texter), "/v1/opt-ins", opt_in.clone()).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")));
    let (status, body) = api.get(&api.texter, "/v1/changes").await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = api.post(Some(&api.admin), "/v1/opt-ins", opt_in).await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = api.post(Some(&api.texter), "/v1/send-check", check).await;
    assert_eq!(body["allowed"], true);

    let (status, lookup) = api.get(&api.admin, "/v1/lookup/%2B12015550123").await;
    assert_eq!(status, 200);
    assert_eq!(lookup["history"].as_array().unwrap().len(), 2);
    let (status, page) = api.get(&api.admin, "/v1/opt-outs?account=Acme&include_reversed=true&limit=5").await;
    assert_eq!((status, page["opt_outs"].as_array().unwrap().len()), (200, 1));
    let (_, feed) = api.get(&api.admin, "/v1/changes?after=0&limit=3").await;
    assert_eq!(feed["changes"].as_array().unwrap().len(), 3);
}

async fn bad_requests_get_a_clear_error_and_change_nothing(t: &TestHub) {
    let api = start(t).await;
    let head = t.hub.feed_head().await.unwrap();
    let response = api
        .client
        .post(format!("{}/v1/opt-outs", api.base))
        .bearer_auth(&api.texter)
        .header("content-type", "application/json")
        .body("{\"account\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "invalid_json");

    let (status, body) = api.post(Some(&api.texter), "/v1/opt-outs", json!({ "account": "Acme" })).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["message"].as_str().unwrap().contains("command_id"), "{body}");

    let bad_phone = json!({ "command_id": "7d7c1a4e-0f7e-4a8e-9a51-4b0f3f3e2a03", "account": "Acme",
        "phone": "not a number", "reason": "x" });
    let (status, body) = api.post(Some(&api.texter), "/v1/opt-outs", bad_phone).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_phone")));
    assert!(body["message"].as_str().unwrap().starts_with("phone:"), "{body}");

    let unknown = json!({ "command_id": "7d7c1a4e-0f7e-4a8e-9a51-4b0f3f3e2a04", "account": "Nobody",
        "phone": "+12015550123", "reason": "x" });
    let (status, body) = api.post(Some(&api.texter), "/v1/opt-outs", unknown).await;
    assert_eq!((status, body["code"].as_str()), (404, Some("unknown_account")));

    // Every answer names the protocol; a client that speaks another version is told so.
    let response = api.client.get(format!("{}/v1/me", api.base)).bearer_auth(&api.admin).send().await.unwrap();
    assert_eq!(response.headers()["optout-protocol"], optout_hub::http::PROTOCOL_VERSION);
    assert_eq!(response.json::<Value>().await.unwrap(), json!({ "name": "ada", "role": "admin" }));
    let response = api
        .client
        .get(format!("{}/v1/me", api.base))
        .bearer_auth(&api.admin)
        .header("optout-protocol", "2")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "protocol_version");

    let huge = json!({ "account": "x".repeat(optout_hub::http::BODY_LIMIT) });
    let (status, body) = api.post(Some(&api.texter), "/v1/send-check", huge).await;
    assert_eq!((status, body["code"].as_str()), (413, Some("too_large")));
    assert_eq!(t.hub.feed_head().await.unwrap(), head);

    // A broken database: sends are refused, and the client learns nothing about its insides.
    t.hub.close().await;
    let check = json!({ "account": "Acme", "sender_phone": "+12015550100", "contact_phone": "+12015550123" });
    let (status, body) = api.post(Some(&api.texter), "/v1/send-check", check.clone()).await;
    assert_eq!((status, body["allowed"].as_bool(), body["code"].as_str()), (200, Some(false), Some("unavailable")));
    let stranger = format!("od_{}", "0".repeat(64));
    let (status, body) = api.post(Some(&stranger), "/v1/send-check", check).await;
    assert_eq!((status, body["code"].as_str()), (500, Some("internal")), "the token cannot even be checked");
    let text = body.to_string().to_lowercase();
    for leak in ["select", "sqlite", "postgres", "pool", "/tmp"] {
        assert!(!text.contains(leak), "{text}");
    }
}

/// A CSV uploaded to `POST /v1/imports` is imported as from a file, its errors name the
/// client's file and never the hub's copy; `GET /v1/export` pages, put together, are the hub's
/// own export byte for byte.
async fn a_list_goes_in_and_out_over_http(t: &TestHub) {
    let api = start(t).await;
    let upload = |token: &str, query: &str, csv: String| {
        api.client
            .post(format!("{}/v1/imports?account=Acme&name=list.csv{query}", api.base))
            .bearer_auth(token)
            .body(csv)
            .send()
    };
    let head = t.hub.feed_head().await.unwrap();
    let mut csv = String::from("Mobile\n");
    for n in 0..6_000 {
        csv.push_str(&format!("201555{n:04}\n"));
    }
    let response = upload(&api.texter, "", csv.clone()).await.unwrap();
    assert_eq!(response.status(), 403);
    let response = upload(&api.admin, "&column=Email", csv.clone()).await.unwrap();
    assert_eq!(response.status(), 422);
    let message = response.json::<Value>().await.unwrap()["message"].as_str().unwrap().to_owned();
    assert!(message.starts_with("list.csv:1: no column \"Email\""), "{message}");
    assert_eq!(t.hub.feed_head().await.unwrap(), head, "nothing stored");

    let response = upload(&api.admin, "", csv).await.unwrap();
    assert_eq!(response.status(), 200);
    let summary: Value = response.json().await.unwrap();
    assert_eq!((summary["opted_out"].as_u64(), summary["rejected"].as_u64()), (Some(6_000), Some(0)));

    let (mut pages, mut after, mut count) = (Vec::new(), None::<String>, 0);
    loop {
        let mut url = format!("{}/v1/export?account=Acme", api.base);
        if let Some(after) = &after {
            url.push_str(&format!("&after={after}"));
        }
        let response = api.client.get(url).bearer_auth(&api.admin).send().await.unwrap();
        assert_eq!(response.status(), 200);
        after = response.headers().get(optout_hub::http::NEXT_HEADER).map(|v| v.to_str().unwrap().to_owned());
        pages.extend_from_slice(&response.bytes().await.unwrap());
        count += 1;
        if after.is_none() {
            break;
        }
    }
    assert!(count >= 2, "more than one page");
    let filter = optout_hub::OptOutFilter { account: Some("Acme".into()), ..Default::default() };
    let mut own = Vec::new();
    t.hub.export_csv(&admin(), &filter, &mut own, "x.csv".as_ref(), |_| true).await.unwrap();
    assert_eq!(String::from_utf8(pages).unwrap(), String::from_utf8(own).unwrap());
    let (status, body) = api.get(&api.admin, "/v1/export?after=nonsense").await;
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_field")));
}

/// A provider's day arrives in batches of thousands: `POST /v1/events` takes 2,000 events (a
/// thousand sends, each answered) in one request, and says how many it takes at most when
/// sent more; a body past its limit is refused whole.
async fn events_arrive_in_batches_of_thousands(t: &TestHub) {
    let api = start(t).await;
    let mut events = Vec::new();
    for n in 0..1_000 {
        let contact = format!("+1201556{n:04}");
        events.push(json!({ "type": "outgoing", "provider_message_id": format!("out-{n}"),
            "sender_phone": "+12015550100", "contact_phone": contact,
            "body": "Rent strike meeting Thursday 7pm at the library. Can you make it?" }));
        let reply = if n % 10 == 0 { "STOP" } else { "yes, see you there" };
        events.push(json!({ "type": "reply", "provider_message_id": format!("in-{n}"),
            "sender_phone": "+12015550100", "contact_phone": contact, "body": reply }));
    }
    let (status, answers) = api.post(Some(&api.texter), "/v1/events", json!({ "events": events })).await;
    assert_eq!(status, 200, "{answers}");
    assert_eq!(answers.as_array().unwrap().len(), 2_000);
    let check = json!({ "account": "Acme", "sender_phone": "+12015550100", "contact_phone": "+12015560010" });
    let (_, answer) = api.post(Some(&api.texter), "/v1/send-check", check).await;
    assert_eq!(answer["allowed"], false, "the STOP in the batch opted the contact out: {answer}");

    let head = t.hub.feed_head().await.unwrap();
    let many: Vec<Value> = (0..=optout_hub::http::MAX_EVENTS)
        .map(|n| {
            json!({ "type": "outgoing", "provider_message_id": format!("more-{n}"),
            "sender_phone": "+12015550100", "contact_phone": "+12015550123", "body": "hi" })
        })
        .collect();
    let (status, body) = api.post(Some(&api.texter), "/v1/events", json!({ "events": many })).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_field")));
    assert!(body["message"].as_str().unwrap().contains("at most 5000"), "{body}");
    let huge = json!({ "events": [{ "type": "reply", "provider_message_id": "x", "sender_phone": "+12015550100",
        "contact_phone": "+12015550123", "body": "x".repeat(optout_hub::http::EVENTS_BODY_LIMIT) }] });
    let (status, body) = api.post(Some(&api.texter), "/v1/events", huge).await;
    assert_eq!((status, body["code"].as_str()), (413, Some("too_large")));
    // A provider message id of the batch above, given to another contact's STOP.
    let reused = json!({ "events": [{ "type": "reply", "provider_message_id": "in-1",
        "sender_phone": "+12015550100", "contact_phone": "+12015550123", "body": "STOP" }] });
    let (status, body) = api.post(Some(&api.texter), "/v1/events", reused).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_field")), "{body}");
    assert!(body["message"].as_str().unwrap().starts_with("events[0].provider_message_id: already names"), "{body}");
    assert_eq!(t.hub.feed_head().await.unwrap(), head, "nothing of the refused batches was kept");
}

stories!(
    events_arrive_in_batches_of_thousands,
    a_list_goes_in_and_out_over_http,
    tokens_and_roles_guard_every_call,
    a_revoked_token_stops_working,
    bad_requests_get_a_clear_error_and_change_nothing
);
