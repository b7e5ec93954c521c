//! `optout serve` as a child process, probed as an adversary would: strangers uploading huge
//! bodies, and an opt-in racing a new request to stop, many rounds, on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used)]

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

/// The hub's own test support: its throwaway PostgreSQL cluster.
#[path = "../../hub/tests/support/mod.rs"]
#[allow(unused_macros)]
mod storages;

const ACCOUNT: &str = "Northside Tenants Union";

/// `optout serve` on a free port of loopback over a hub with one account and campaign, stopped
/// when dropped.
struct Served {
    child: Child,
    url: String,
    admin: String,
    texter: String,
    _dir: tempfile::TempDir,
}

fn optout(hub: &[String], args: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_optout")).args(hub).args(args).arg("--json").output().unwrap();
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

impl Served {
    /// On SQLite in a temp folder, or on PostgreSQL at `database_url`.
    fn start(database_url: Option<String>) -> Served {
        let dir = tempfile::tempdir().unwrap();
        let mut hub = vec!["--data-dir".to_owned(), dir.path().join("hub").display().to_string()];
        if let Some(url) = database_url {
            hub.extend(["--database-url".to_owned(), url]);
        }
        // Northside Tenants Union texts the US from +12015550100 and +12015550101, automatic
        // opt-outs on.
        optout(&hub, &["demo", "--contacts", "10"]);
        let token =
            |role: &str| optout(&hub, &["tokens", "create", "--role", role])["secret"].as_str().unwrap().to_owned();
        let (admin, texter) = (token("admin"), token("texter"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_optout"))
            .args(&hub)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut log = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        let url = loop {
            line.clear();
            assert!(log.read_line(&mut line).unwrap() > 0, "optout serve ended before it served");
            if let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://")) {
                break url.to_owned();
            }
        };
        Served { child, url, admin, texter, _dir: dir }
    }

    async fn post(&self, token: &str, path: &str, body: &Value) -> (u16, Value) {
        let response = reqwest::Client::new()
            .post(format!("{}{path}", self.url))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
    }

    fn rss_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status.lines().find(|l| l.starts_with(field)).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Strangers upload four 250 MB files at once and hold slow connections: the server refuses them
/// before reading a body, and holds no more than 64 MiB over its idle memory.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn strangers_cannot_make_the_server_hold_their_uploads() {
    let served = tokio::task::spawn_blocking(|| Served::start(None)).await.unwrap();
    for _ in 0..20 {
        reqwest::get(format!("{}/v1/health", served.url)).await.unwrap();
    }
    let idle = served.rss_kib("VmRSS:");
    let address = served.url.trim_start_matches("http://").to_owned();
    let uploads = (0..4).map(|_| {
        let address = address.clone();
        tokio::spawn(async move {
            use tokio::io::AsyncWriteExt;
            let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
            let head = "POST /v1/imports?account=Northside%20Tenants%20Union HTTP/1.1\r\nHost: h\r\nContent-Type: text/csv\r\n\
                        Content-Length: 250000000\r\n\r\n";
            stream.write_all(head.as_bytes()).await.unwrap();
            let chunk = "+12015550123\n".repeat(80_000).into_bytes();
            let mut sent = 0usize;
            while sent < 250_000_000 {
                if stream.write_all(&chunk).await.is_err() {
                    break;
                }
                sent += chunk.len();
            }
            sent
        })
    });
    let sent: Vec<usize> = futures_util_join(uploads.collect()).await;
    let peak = served.rss_kib("VmHWM:");
    assert!(sent.iter().all(|&n| n < 250_000_000), "the server hung up on each: {sent:?}");
    assert!(peak < idle + 64 * 1024, "peak {peak} KiB against {idle} KiB idle");
}

async fn futures_util_join<T: Send + 'static>(tasks: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::with_capacity(tasks.len());
    for task in tasks {
        out.push(task.await.unwrap());
    }
    out
}

/// How many rounds the race runs: `OPTOUT_RACE_ROUNDS`, 20 by default (`bench/race.sh` runs
/// hundreds).
fn rounds() -> usize {
    std::env::var("OPTOUT_RACE_ROUNDS").ok().and_then(|n| n.parse().ok()).unwrap_or(20)
}

/// Each round: the contact is opted out by STOP (O1); then an admin's opt-in naming O1 and a new
/// request to stop (STOP to the other sender number, or a texter's opt-out) are sent at the same
/// moment. Whichever commits first, the contact must end opted out.
async fn race(served: &Served) -> (usize, usize) {
    let (mut lost, mut refused) = (0, 0);
    for round in 0..rounds() {
        let contact = format!("+1201555{:04}", 3000 + round);
        let event = |sender: &str, id: String| {
            json!({ "events": [
                { "type": "outgoing", "provider_message_id": format!("{id}-out"), "sender_phone": sender,
                  "contact_phone": contact, "body": "Can we count on you Tuesday?" },
                { "type": "reply", "provider_message_id": id, "sender_phone": sender, "contact_phone": contact, "body": "STOP" }
            ] })
        };
        let (status, first) =
            served.post(&served.texter, "/v1/events", &event("+12015550100", format!("a{round}"))).await;
        assert_eq!(status, 200, "{first}");
        let o1 = first[1]["reply"]["opt_out_id"].as_i64().unwrap();
        let opt_in = json!({ "command_id": uuid(round, 1), "account": ACCOUNT, "phone": contact, "opt_out_id": o1,
            "reason": "replied STOP to the wrong group" });
        let again = if round % 2 == 0 {
            ("/v1/events", event("+12015550101", format!("b{round}")))
        } else {
            (
                "/v1/opt-outs",
                json!({ "command_id": uuid(round, 2), "account": ACCOUNT, "phone": contact, "reason": "called: stop" }),
            )
        };
        let ((in_status, in_answer), (again_status, _)) = tokio::join!(
            served.post(&served.admin, "/v1/opt-ins", &opt_in),
            served.post(&served.texter, again.0, &again.1)
        );
        assert_eq!(again_status, 200);
        match (in_status, in_answer["code"].as_str()) {
            (200, _) => {}
            (409, Some("opted_out_again")) => refused += 1,
            other => panic!("round {round}: {other:?} {in_answer}"),
        }
        for sender in ["+12015550100", "+12015550101"] {
            let check = json!({ "account": ACCOUNT, "sender_phone": sender, "contact_phone": contact });
            let (_, answer) = served.post(&served.texter, "/v1/send-check", &check).await;
            if answer["allowed"] != false {
                lost += 1;
                break;
            }
        }
    }
    (lost, refused)
}

fn uuid(round: usize, n: u8) -> String {
    format!("00000000-0000-4000-8000-{:010}{n:02}", round)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_opt_in_racing_a_new_request_loses_no_opt_out_on_sqlite() {
    let served = tokio::task::spawn_blocking(|| Served::start(None)).await.unwrap();
    let (lost, refused) = race(&served).await;
    eprintln!("race on SQLite: {} rounds, {lost} lost, {refused} opt-ins refused", rounds());
    assert_eq!(lost, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_opt_in_racing_a_new_request_loses_no_opt_out_on_postgres() {
    let url = storages::cluster().new_database().await;
    let served = tokio::task::spawn_blocking(move || Served::start(Some(url))).await.unwrap();
    let (lost, refused) = race(&served).await;
    eprintln!("race on PostgreSQL: {} rounds, {lost} lost, {refused} opt-ins refused", rounds());
    assert_eq!(lost, 0);
}

/// A new organisation from an empty hub to a campaign whose signed Twilio replies opt contacts
/// out, with the command line alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn from_an_empty_hub_to_signed_twilio_replies_with_the_command_line_alone() {
    let dir = tempfile::tempdir().unwrap();
    let hub = vec!["--data-dir".to_owned(), dir.path().join("hub").display().to_string()];
    let sender = "+14155550100";
    optout(&hub, &["accounts", "add", "Bay Area Tenants"]);
    optout(
        &hub,
        &["campaigns", "add", "Rent Vote", "--account", "Bay Area Tenants", "--provider", "1", "--sender", sender],
    );
    let token_file = dir.path().join("twilio-token");
    let auth_token = "5f4dcc3b5aa765d61d8327deb882cf99";
    std::fs::write(&token_file, format!("{auth_token}\n")).unwrap();
    let set = optout(&hub, &["providers", "set", "twilio", "--auth-token-file", token_file.to_str().unwrap()]);
    assert_eq!(set[0]["provider"], "twilio");
    assert!(!set.to_string().contains(auth_token), "the secret is never in an answer");

    let public = "https://hub.bayarea.example";
    let mut child = Command::new(env!("CARGO_BIN_EXE_optout"))
        .args(&hub)
        .args(["serve", "--listen", "127.0.0.1:0", "--public-url", public])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut log = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let url = loop {
        line.clear();
        assert!(log.read_line(&mut line).unwrap() > 0, "optout serve ended before it served");
        if let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://")) {
            break url.to_owned();
        }
    };
    let contact = "+14155552671";
    let params: Vec<(String, String)> = [
        ("MessageSid", "SM11111111111111111111111111111111"),
        ("AccountSid", "AC00000000000000000000000000000001"),
        ("From", contact),
        ("To", sender),
        ("Body", "STOP"),
        ("NumMedia", "0"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let signature = optout_hub::webhooks::twilio::sign(auth_token, &format!("{public}/v1/webhooks/twilio"), &params);
    let response = reqwest::Client::new()
        .post(format!("{url}/v1/webhooks/twilio"))
        .header(optout_hub::webhooks::twilio::SIGNATURE_HEADER, signature)
        .form(&params)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let _ = child.kill();
    let _ = child.wait();
    let lookup = optout(&hub, &["lookup", contact]);
    assert_eq!(lookup["accounts"][0]["opt_out"]["source"], "keyword_reply", "{lookup}");
    let providers = optout(&hub, &["providers", "list"]);
    assert!(providers[0]["last_genuine_at"].is_string(), "{providers}");
}
