//! The hub commands, run as a user would, on a real data folder and real CSV files.

#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Output};

fn optout(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_optout")).arg("--data-dir").arg(dir).args(args).output().unwrap()
}

fn json(output: &Output) -> serde_json::Value {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn an_admin_imports_opts_out_and_in_looks_up_and_exports() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("hub");
    json(&optout(&data, &["accounts", "add", "Acme", "--auto-opt-outs", "off", "--json"]));
    let list = dir.path().join("list.csv");
    std::fs::write(&list, "\u{feff}Full Name,Mobile\r\nSam,(201) 555-0101\r\nKim,201 555 0101\r\nJo,12\r\n").unwrap();
    let summary = json(&optout(&data, &["import", list.to_str().unwrap(), "--account", "Acme", "--json"]));
    assert_eq!(summary["rows"], 3);
    assert_eq!(summary["opted_out"], 1);
    assert_eq!(summary["duplicates"], 1);
    assert_eq!(summary["rejected"], 1);
    assert_eq!(summary["errors"][0]["line"], 4);
    assert_eq!(summary["errors"][0]["value"], "12");

    let out = json(&optout(&data, &["opt-out", "+1 201 555 0102", "--account", "Acme", "--reason", "asked", "--json"]));
    assert_eq!(out["opt_out"]["source"], "manual");
    let back = json(&optout(&data, &["opt-in", "2015550102", "--account", "Acme", "--reason", "mistake", "--json"]));
    assert!(back["opt_out"]["reversed_by"].is_object());

    let lookup = json(&optout(&data, &["lookup", "201-555-0101", "--json"]));
    assert_eq!(lookup["accounts"][0]["opt_out"]["source"], "import");
    let text = optout(&data, &["lookup", "201-555-0102"]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("Acme: textable") && text.contains("opt_in"), "{text}");

    let export = dir.path().join("out.csv");
    json(&optout(
        &data,
        &["export", "--account", "Acme", "--include-reversed", "--out", export.to_str().unwrap(), "--json"],
    ));
    let rows: Vec<csv::StringRecord> = csv::Reader::from_path(&export).unwrap().records().map(Result::unwrap).collect();
    let phones: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(phones, ["+12015550101", "+12015550102"]);
}

#[test]
fn bad_input_names_the_place_exits_non_zero_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("hub");
    json(&optout(&data, &["accounts", "add", "Acme", "--json"]));
    let cases: [(&[&str], &str); 4] = [
        (&["opt-out", "555-CALL", "--account", "Acme", "--reason", "x"], "phone: \"555-CALL\""),
        (&["opt-out", "+12015550101", "--account", "Nobody", "--reason", "x"], "no account named \"Nobody\""),
        (&["import", "/nonexistent/list.csv", "--account", "Acme"], "/nonexistent/list.csv"),
        (&["accounts", "add", "Acme"], "already exists"),
    ];
    for (args, message) in cases {
        let output = optout(&data, args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    let export = dir.path().join("out.csv");
    json(&optout(&data, &["export", "--out", export.to_str().unwrap(), "--json"]));
    assert_eq!(std::fs::read_to_string(&export).unwrap().lines().count(), 1, "only the header: nothing was stored");
}

#[test]
fn a_region_or_source_that_does_not_exist_is_refused_with_the_ones_that_do() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("hub");
    let cases: [(&[&str], &str); 4] = [
        (&["lookup", "2015550101", "--region", "XX"], "[possible values: US, CA, GB, UK]"),
        (&["opt-out", "2015550101", "--account", "Acme", "--reason", "x", "--region", "FR"], "US, CA, GB, UK"),
        (&["import", "list.csv", "--account", "Acme", "--region", "XX"], "US, CA, GB, UK"),
        (&["export", "--out", "x.csv", "--source", "reply"], "keyword_reply, manual, provider_block, import, api"),
    ];
    for (args, values) in cases {
        let output = optout(&data, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains("invalid value") && stderr.contains(values), "{args:?}: {stderr}");
    }
    assert!(!data.exists(), "refused before the hub was opened");
    let lower = json(&optout(&data, &["lookup", "07911 123456", "--region", "uk", "--json"]));
    assert_eq!(lower["phone"], "+447911123456", "any case, UK for GB");
}

#[test]
fn a_token_is_shown_once_and_listed_without_its_secret() {
    let dir = tempfile::tempdir().unwrap();
    let made = json(&optout(dir.path(), &["tokens", "create", "--role", "texter", "--name", "dialer", "--json"]));
    let secret = made["secret"].as_str().unwrap();
    assert!(secret.starts_with("od_") && secret.len() == 67);
    let listed = optout(dir.path(), &["tokens", "list"]);
    let listed = String::from_utf8(listed.stdout).unwrap();
    assert!(listed.contains("dialer") && !listed.contains(secret), "{listed}");
}

#[test]
fn a_repeated_request_to_stop_refuses_the_opt_in_until_the_admin_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("hub");
    json(&optout(&data, &["accounts", "add", "Acme", "--json"]));
    let phone = "+1 201 555 0150";
    json(&optout(&data, &["opt-out", phone, "--account", "Acme", "--reason", "asked on the phone", "--json"]));
    let again = optout(&data, &["opt-out", phone, "--account", "Acme", "--reason", "said it again by email"]);
    let again = String::from_utf8(again.stdout).unwrap();
    assert!(again.contains("already opted out") && again.contains("request"), "{again}");

    let refused = optout(&data, &["opt-in", phone, "--account", "Acme", "--reason", "mistake"]);
    assert_eq!(refused.status.code(), Some(1));
    let why = String::from_utf8(refused.stderr).unwrap();
    assert!(why.contains("asked to stop again") && why.contains("said it again by email"), "{why}");
    let request: String =
        why.split("must name request ").nth(1).unwrap().chars().take_while(char::is_ascii_digit).collect();

    let text = String::from_utf8(optout(&data, &["lookup", phone]).stdout).unwrap();
    assert!(text.contains("stop_request") && text.contains("said it again by email"), "{text}");
    let back = json(&optout(
        &data,
        &["opt-in", phone, "--account", "Acme", "--reason", "confirmed", "--overrides-request", &request, "--json"],
    ));
    assert!(back["opt_out"]["reversed_by"].is_object());
}

#[test]
fn stored_text_never_reaches_the_terminal_as_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("hub");
    json(&optout(&data, &["accounts", "add", "Acme", "--json"]));
    let forged = "asked\u{1b}[2K\r2026-01-01 00:00 UTC opt_in Acme by ada (admin): confirmed";
    json(&optout(&data, &["opt-out", "+12015550160", "--account", "Acme", "--reason", forged, "--json"]));
    let text = String::from_utf8(optout(&data, &["lookup", "+12015550160"]).stdout).unwrap();
    assert!(!text.contains('\u{1b}') && !text.contains('\r'), "{text:?}");
    assert!(text.contains("\\u{1b}[2K\\u{d}"), "shown escaped: {text}");
}

#[test]
fn an_organisation_sets_up_its_campaigns_and_sender_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("hub");
    json(&optout(&data, &["accounts", "add", "Acme", "--json"]));
    let made = json(&optout(
        &data,
        &["campaigns", "add", "Spring", "--account", "Acme", "--provider", "1", "--sender", "(415) 555-2671", "--json"],
    ));
    assert_eq!(made["sender_numbers"][0], "+14155552671");
    json(&optout(&data, &["campaigns", "add", "Fall", "--account", "Acme", "--provider", "1", "--json"]));
    let cases: [(&[&str], &str); 4] = [
        (&["campaigns", "add", "Winter", "--account", "Nobody", "--provider", "1"], "no account named \"Nobody\""),
        (
            &["campaigns", "add", "Winter", "--account", "Acme", "--provider", "1", "--sender", "12"],
            "sender_numbers[0]",
        ),
        (
            &["senders", "add", "+14155552671", "--campaign", "Fall", "--account", "Acme"],
            "sends for campaign \"Spring\"",
        ),
        (&["senders", "retire", "+14155550000"], "not found"),
    ];
    for (args, message) in cases {
        let output = optout(&data, args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    let moved = json(&optout(
        &data,
        &["senders", "add", "+14155552671", "--campaign", "Fall", "--account", "Acme", "--move", "--json"],
    ));
    assert_eq!(moved["name"], "Fall");
    json(&optout(&data, &["senders", "retire", "+14155552671", "--json"]));
    json(&optout(&data, &["campaigns", "set", "Fall", "--account", "Acme", "--active", "off", "--json"]));
    let listed = String::from_utf8(optout(&data, &["campaigns", "list", "--account", "Acme"]).stdout).unwrap();
    assert!(listed.contains("Acme / Fall (Provider 1, stopped): no sender number; retired +14155552671"), "{listed}");
    json(&optout(&data, &["accounts", "set", "Acme", "--rename", "Acme Union", "--json"]));
    let accounts = json(&optout(&data, &["accounts", "list", "--json"]));
    assert_eq!(accounts[0]["name"], "Acme Union");
}
