//! The HTTP server against clients that do not play by the rules: every answer in the API's
//! shape, unknown fields refused, slow clients dropped while the others keep working, too many
//! connections turned away, and bodies nobody authenticated never read.

#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use optout_hub::http::{serve_with, ServeOptions, PROTOCOL_HEADER};
use optout_hub::Role;
use serde_json::{json, Value};
use support::organisation::*;
use support::TestHub;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

struct Server {
    base: String,
    address: std::net::SocketAddr,
    admin: String,
    texter: String,
    uploads: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

async fn start(t: &TestHub, tune: impl FnOnce(&mut ServeOptions)) -> Server {
    organisation(t).await;
    let admin = token(t, "ada", Role::Admin).await;
    let texter = token(t, "tom", Role::Texter).await;
    let dir = tempfile::tempdir().unwrap();
    let uploads = dir.path().join("uploads");
    let mut options = ServeOptions::new(uploads.clone());
    options.header_timeout = Duration::from_millis(400);
    options.body_timeout = Duration::from_millis(400);
    tune(&mut options);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(serve_with(t.hub.clone(), listener, options, std::future::pending()));
    // Serving once it answers.
    while TcpStream::connect(address).await.is_err() {}
    assert_eq!(reqwest::get(format!("http://{address}/v1/health")).await.unwrap().status(), 200);
    Server { base: format!("http://{address}"), address, admin, texter, uploads, _dir: dir }
}

/// Sends `request` as written and reads the answer until the server closes the connection or
/// `within` passes; the text read, and whether the server closed it.
async fn raw(address: std::net::SocketAddr, request: &[u8], within: Duration) -> (String, bool) {
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut answer = Vec::new();
    let closed = tokio::time::timeout(within, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await
    .is_ok();
    (String::from_utf8_lossy(&answer).into_owned(), closed)
}

/// The status, the protocol header and the JSON body of a raw answer.
fn parse(answer: &str) -> (u16, bool, Value) {
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no head in {answer:?}"));
    let status = head[9..12].parse().unwrap();
    let has_protocol = head.to_ascii_lowercase().contains(&format!("{PROTOCOL_HEADER}: 1"));
    (status, has_protocol, serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {answer:?}")))
}

async fn every_answer_is_json_with_the_protocol_header(t: &TestHub) {
    let s = start(t, |_| {}).await;
    let admin = &s.admin;
    let big = format!("{{\"events\": [{}]}}", "\"x\",".repeat(optout_hub::http::EVENTS_BODY_LIMIT / 4));
    let cases: Vec<(String, u16, &str)> = vec![
        ("GET /v1/nowhere HTTP/1.1\r\nHost: h\r\n\r\n".into(), 404, "not_found"),
        (
            format!("DELETE /v1/accounts HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer {admin}\r\n\r\n"),
            405,
            "method_not_allowed",
        ),
        ("DELETE /v1/accounts HTTP/1.1\r\nHost: h\r\n\r\n".into(), 401, "unauthorized"),
        (
            format!("GET /v1/lookup/%FF%FE HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer {admin}\r\n\r\n"),
            400,
            "bad_request",
        ),
        (
            format!(
                "POST /v1/events HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer {admin}\r\n\
                 Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{big}",
                big.len()
            ),
            413,
            "too_large",
        ),
        (format!("GET /v1/me HTTP/1.1\r\nHost: h\r\nX-Padding: {}\r\n\r\n", "a".repeat(40_000)), 431, "too_large"),
        ("GARBAGE\r\n\r\n".into(), 400, "bad_request"),
    ];
    for (request, status, code) in cases {
        let (answer, _) = raw(s.address, request.as_bytes(), Duration::from_secs(5)).await;
        let (got, has_protocol, body) = parse(&answer);
        assert_eq!((got, body["code"].as_str()), (status, Some(code)), "{request:.60}: {answer}");
        assert!(has_protocol, "{request:.60}: {answer}");
        assert!(!body["message"].as_str().unwrap().is_empty());
    }
}

async fn unknown_fields_are_refused_naming_the_field_and_nothing_is_stored(t: &TestHub) {
    let s = start(t, |_| {}).await;
    let client = reqwest::Client::new();
    let id = "7a0c3b62-8f7e-4e0e-9d8b-2f0b1c8a9e10";
    let cases = [
        (
            "POST",
            "/v1/opt-outs",
            json!({ "command_id": id, "account": "Acme", "phone": CONTACT, "reason": "x", "admin": true }),
        ),
        (
            "POST",
            "/v1/opt-ins",
            json!({ "command_id": id, "account": "Acme", "phone": CONTACT, "opt_out_id": 1, "reason": "x", "force": true }),
        ),
        ("POST", "/v1/reviews", json!({ "command_id": id, "conversation_id": 1, "action": "dismiss", "as": "root" })),
        ("POST", "/v1/events", json!({ "events": [], "sudo": 1 })),
        (
            "POST",
            "/v1/events",
            json!({ "events": [{ "type": "reply", "provider_message_id": "m1", "sender_phone": US_SENDER,
            "contact_phone": CONTACT, "body": "STOP", "opt_out": false }] }),
        ),
        ("PATCH", "/v1/accounts/Acme", json!({ "auto_opt_outs": false, "owner": "me" })),
        (
            "POST",
            "/v1/send-check",
            json!({ "account": "Acme", "sender_phone": US_SENDER, "contact_phone": CONTACT, "force": true }),
        ),
    ];
    for (method, path, body) in cases {
        let field = body.as_object().unwrap().keys().next_back().unwrap().clone();
        let response = client
            .request(method.parse().unwrap(), format!("{}{path}", s.base))
            .bearer_auth(&s.admin)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let answer: Value = response.json().await.unwrap();
        assert_eq!(status, 422, "{path}: {answer}");
        let message = answer["message"].as_str().unwrap();
        let named =
            ["admin", "force", "as", "sudo", "opt_out", "owner"].iter().any(|f| message.contains(&format!("`{f}`")));
        assert!(named, "{path} ({field}): {message}");
    }
    assert!(
        t.hub.lookup(&admin(), CONTACT, optout_hub::Region::US).await.unwrap().history.is_empty(),
        "nothing stored"
    );
    assert!(t.hub.account("Acme").await.unwrap().auto_opt_outs, "the account is as it was");
}

async fn a_slow_client_is_dropped_and_the_others_keep_working(t: &TestHub) {
    let s = start(t, |_| {}).await;
    let half_line = raw(s.address, b"POST /v1/opt-outs HT", Duration::from_secs(10));
    let stalled = format!(
        "POST /v1/opt-outs HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\n\
         Content-Length: 200\r\n\r\n{{\"command_id\":",
        s.texter
    );
    let stalled_body = raw(s.address, stalled.as_bytes(), Duration::from_secs(10));
    let others = async {
        let client = reqwest::Client::new();
        for _ in 0..10 {
            let health = client.get(format!("{}/v1/health", s.base)).send().await.unwrap();
            assert_eq!(health.status(), 200);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    let ((_, line_closed), (stalled, body_closed), ()) = tokio::join!(half_line, stalled_body, others);
    assert!(line_closed, "a half-sent request line is dropped");
    assert!(body_closed, "a stalled body is dropped");
    if !stalled.is_empty() {
        let (status, has_protocol, body) = parse(&stalled);
        assert_eq!((status, body["code"].as_str()), (408, Some("timeout")), "{stalled}");
        assert!(has_protocol);
    }
}

async fn connections_past_the_cap_are_turned_away(t: &TestHub) {
    let s = start(t, |o| {
        o.max_connections_per_client = 3;
        o.header_timeout = Duration::from_secs(30);
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut stream = TcpStream::connect(s.address).await.unwrap();
        stream.write_all(b"GET /v1/health HTTP/1.1\r\nHost: h\r\n").await.unwrap();
        held.push(stream);
    }
    // The server counts a connection once it has accepted it, which on a busy machine can come
    // after the client's connect returns: ask until the three are counted (each answer closes).
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let (answer, closed) = loop {
        let probe = b"GET /v1/health HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
        let (answer, closed) = raw(s.address, probe, Duration::from_secs(5)).await;
        if parse(&answer).0 != 200 || std::time::Instant::now() >= deadline {
            break (answer, closed);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let (status, has_protocol, body) = parse(&answer);
    assert_eq!((status, body["code"].as_str(), has_protocol, closed), (503, Some("busy"), true, true), "{answer}");
    drop(held);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let health = reqwest::get(format!("{}/v1/health", s.base)).await.unwrap();
    assert_eq!(health.status(), 200, "once they close, others are served");
}

async fn an_upload_nobody_authenticated_is_answered_before_its_body(t: &TestHub) {
    let s = start(t, |_| {}).await;
    // 250 MB announced, nothing of it sent: the answer comes anyway, and the connection closes.
    let head = "POST /v1/imports?account=Acme HTTP/1.1\r\nHost: h\r\nContent-Type: text/csv\r\nContent-Length: 250000000\r\n\r\n";
    let (answer, closed) = raw(s.address, head.as_bytes(), Duration::from_secs(5)).await;
    let (status, _, body) = parse(&answer);
    assert_eq!((status, body["code"].as_str(), closed), (401, Some("unauthorized"), true), "{answer}");
    // A texter may not import either, and is told so before sending the file.
    let head = head.replace("Host: h\r\n", &format!("Host: h\r\nAuthorization: Bearer {}\r\n", s.texter));
    let (answer, _) = raw(s.address, head.as_bytes(), Duration::from_secs(5)).await;
    assert_eq!(parse(&answer).0, 403, "{answer}");
}

async fn imports_are_kept_private_bounded_and_cleaned_up(t: &TestHub) {
    // A crash left an upload behind.
    let leftover_dir = tempfile::tempdir().unwrap();
    let leftover = leftover_dir.path().join("import-7.csv");
    std::fs::write(&leftover, "phone\n+12015550123\n").unwrap();
    let uploads = leftover_dir.path().to_owned();
    let s = start(t, |o| {
        o.upload_dir = uploads.clone();
        o.max_imports = 1;
        o.body_timeout = Duration::from_secs(30);
    })
    .await;
    assert!(!leftover.exists(), "a leftover upload is removed when the server starts");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&uploads).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "only the hub's user may enter the upload folder");
    }
    // One import arriving slowly holds the only turn; the next is told to wait.
    let mut slow = TcpStream::connect(s.address).await.unwrap();
    let head = format!(
        "POST /v1/imports?account=Acme HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer {}\r\nContent-Length: 100\r\n\r\nphone\n",
        s.admin
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let files: Vec<_> = std::fs::read_dir(&uploads).unwrap().flatten().collect();
    assert_eq!(files.len(), 1, "the upload goes to the hub's folder as it arrives");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(files[0].metadata().unwrap().permissions().mode() & 0o777, 0o600);
    }
    let busy = reqwest::Client::new()
        .post(format!("{}/v1/imports?account=Acme", s.base))
        .bearer_auth(&s.admin)
        .body("phone\n+12015550124\n")
        .send()
        .await
        .unwrap();
    assert_eq!(busy.status(), 429);
    drop(slow);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(std::fs::read_dir(&uploads).unwrap().count(), 0, "an upload is removed however it ends");
    let _ = s.uploads;
}

stories!(
    every_answer_is_json_with_the_protocol_header,
    unknown_fields_are_refused_naming_the_field_and_nothing_is_stored,
    a_slow_client_is_dropped_and_the_others_keep_working,
    connections_past_the_cap_are_turned_away,
    an_upload_nobody_authenticated_is_answered_before_its_body,
    imports_are_kept_private_bounded_and_cleaned_up,
);
