//! The hub commands with `--hub URL`, against a real `optout serve` on loopback: the same
//! answers as on the hub's own database, and the same exit codes when something is wrong.

#![allow(clippy::unwrap_used)]

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// `optout serve` on a free port of loopback, stopped when dropped.
struct Served {
    child: Child,
    url: String,
    data: PathBuf,
    admin: String,
    texter: String,
}

impl Served {
    fn start(dir: &Path) -> Served {
        let data = dir.join("hub");
        let token = |role: &str| {
            let made = json(&local(&data, &["tokens", "create", "--role", role, "--name", "cli test", "--json"]));
            made["secret"].as_str().unwrap().to_owned()
        };
        let (admin, texter) = (token("admin"), token("texter"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_optout"))
            .arg("--data-dir")
            .arg(&data)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stderr.take().unwrap()).read_line(&mut line).unwrap();
        let url = line.split_whitespace().find(|w| w.starts_with("http://")).unwrap().to_owned();
        Served { child, url, data, admin, texter }
    }

    /// `optout --hub URL …` with `token` in the environment.
    fn remote(&self, token: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_optout"))
            .args(["--hub", &self.url])
            .args(args)
            .env("OPTOUT_TOKEN", token)
            .output()
            .unwrap()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `optout --data-dir DATA …`: the hub's own database.
fn local(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_optout")).arg("--data-dir").arg(data).args(args).output().unwrap()
}

fn json(output: &Output) -> serde_json::Value {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn fails(output: &Output, code: i32, message: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "{stderr}");
    assert!(stderr.contains(message), "wanted {message:?} in: {stderr}");
}

#[test]
fn an_admin_does_over_http_what_the_hub_does_locally() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Served::start(dir.path());
    let admin = |args: &[&str]| hub.remote(&hub.admin, args);

    let made = json(&admin(&["accounts", "add", "Acme", "--auto-opt-outs", "off", "--json"]));
    assert_eq!(made["auto_opt_outs"], false);
    json(&admin(&["accounts", "set", "Acme", "--auto-opt-outs", "on", "--json"]));
    assert_eq!(json(&local(&hub.data, &["accounts", "list", "--json"]))[0]["auto_opt_outs"], true);

    // More rows than one export page, a duplicate and a bad line.
    let list = dir.path().join("big list.csv");
    let mut text = String::from("Name,Mobile\r\n");
    for n in 0..12_000 {
        text.push_str(&format!("Person {n},(201) 555-{:04}\r\n", n % 10_000));
    }
    text.push_str("Bad,12\r\n");
    std::fs::write(&list, text).unwrap();
    let summary = json(&admin(&["import", list.to_str().unwrap(), "--account", "Acme", "--json"]));
    assert_eq!((summary["rows"].as_u64(), summary["opted_out"].as_u64()), (Some(12_001), Some(10_000)));
    assert_eq!((summary["duplicates"].as_u64(), summary["rejected"].as_u64()), (Some(2_000), Some(1)));
    assert_eq!(summary["errors"][0]["line"], 12_002);

    let out = json(&admin(&["opt-out", "+44 7911 123456", "--account", "Acme", "--reason", "=asked", "--json"]));
    assert_eq!(out["opt_out"]["actor"], "cli test", "recorded as the token's holder");
    let back = json(&admin(&["opt-in", "(201) 555-0007", "--account", "Acme", "--reason", "mistake", "--json"]));
    assert!(back["opt_out"]["reversed_by"].is_object());
    let lookup = json(&admin(&["lookup", "201 555 0007", "--json"]));
    assert_eq!(lookup, json(&local(&hub.data, &["lookup", "201 555 0007", "--json"])));

    // The export over HTTP is byte for byte the hub's own, across pages.
    let (remote, here) = (dir.path().join("remote.csv"), dir.path().join("local.csv"));
    let args = |out: &Path| {
        ["export", "--account", "Acme", "--include-reversed", "--out", out.to_str().unwrap(), "--json"]
            .map(str::to_owned)
    };
    let written = json(&hub.remote(&hub.admin, &args(&remote).each_ref().map(String::as_str)));
    json(&local(&hub.data, &args(&here).each_ref().map(String::as_str)));
    assert_eq!(written["rows"], 10_001);
    let bytes = std::fs::read(&remote).unwrap();
    assert_eq!(bytes, std::fs::read(&here).unwrap());
    assert!(String::from_utf8(bytes).unwrap().contains(",'=asked,"), "formula neutralised");
}

#[test]
fn refusals_name_the_place_exit_non_zero_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Served::start(dir.path());
    json(&hub.remote(&hub.admin, &["accounts", "add", "Acme", "--json"]));
    let list = dir.path().join("emails.csv");
    std::fs::write(&list, "Name,Mobile\nSam,2015550101\n").unwrap();
    let list = list.to_str().unwrap();

    let admin = |args: &[&str]| hub.remote(&hub.admin, args);
    fails(&admin(&["opt-out", "555-CALL", "--account", "Acme", "--reason", "x"]), 1, "phone: \"555-CALL\"");
    fails(&admin(&["opt-out", "2015550101", "--account", "Nobody", "--reason", "x"]), 1, "no account named \"Nobody\"");
    fails(&admin(&["opt-in", "2015550101", "--account", "Acme", "--reason", "x"]), 1, "an opt-out of 2015550101");
    fails(&admin(&["import", list, "--account", "Acme", "--column", "Email"]), 1, "emails.csv:1: no column \"Email\"");
    fails(&admin(&["import", "/nonexistent/list.csv", "--account", "Acme"]), 1, "/nonexistent/list.csv");
    fails(&admin(&["export", "--account", "Nobody", "--out", "x.csv"]), 1, "no account named \"Nobody\"");
    fails(&admin(&["demo", "--contacts", "10"]), 1, "run them where the hub runs");
    let texter =
        hub.remote(&hub.texter, &["opt-in", "2015550101", "--account", "Acme", "--reason", "x", "--opt-out-id", "1"]);
    fails(&texter, 1, "this needs an admin token");
    fails(&hub.remote("od_not-a-token", &["accounts", "list"]), 1, "the token is unknown or revoked");
    let no_token = Command::new(env!("CARGO_BIN_EXE_optout"))
        .args(["--hub", &hub.url, "accounts", "list"])
        .env_remove("OPTOUT_TOKEN")
        .output()
        .unwrap();
    fails(&no_token, 1, "--hub needs a token");

    // Nothing above reached the record.
    let export = dir.path().join("out.csv");
    json(&local(&hub.data, &["export", "--include-reversed", "--out", export.to_str().unwrap(), "--json"]));
    assert_eq!(std::fs::read_to_string(&export).unwrap().lines().count(), 1, "only the header");
    assert!(!Path::new("x.csv").exists() && !Path::new(".x.csv.partial").exists(), "a refused export leaves no file");

    // A hub that is not there is a broken connection, not bad input.
    let gone = hub.url.clone();
    drop(hub);
    let output = Command::new(env!("CARGO_BIN_EXE_optout"))
        .args(["--hub", &gone, "--token", "od_x", "accounts", "list"])
        .output()
        .unwrap();
    fails(&output, 3, "cannot reach the hub");
}
