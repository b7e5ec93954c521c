//! `optout preview`, run as a user runs it.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn optout(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_optout"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("optout runs");
    child.stdin.take().expect("stdin").write_all(stdin).expect("stdin written");
    child.wait_with_output().expect("optout finishes")
}

fn stdout(output: &Output) -> String {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

const US_ON_FIRST: [&str; 7] = ["preview", "--provider", "1", "--auto-opt-outs", "on", "--first-response", "yes"];

#[test]
fn json_is_one_object_with_the_documented_keys() {
    let out = stdout(&optout(&[&US_ON_FIRST[..], &["--json", "--", "cancel."]].concat(), b""));
    let value: serde_json::Value = serde_json::from_str(&out).expect("one JSON object");
    let object = value.as_object().expect("an object");
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "account_opt_out",
            "confirmation_sent_by",
            "delivery_blocked",
            "explanation",
            "keyword",
            "provider_opt_in",
            "provider_opt_out",
            "review_pattern",
            "review_reason",
            "rule_set",
            "rule_set_version",
            "user_action"
        ]
    );
    assert_eq!(value["keyword"], "CANCEL");
    assert_eq!(value["account_opt_out"], "immediate");
    assert_eq!(value["confirmation_sent_by"], "account");
    assert_eq!(value["user_action"], "none");
    assert!(value["explanation"].as_str().is_some_and(|e| e.contains("might not act")));
}

#[test]
fn a_plain_request_is_a_review_in_every_cell_of_the_matrix() {
    let out = stdout(&optout(&["preview", "--all", "--json", "--", "no", "more", "texts", "please"], b""));
    let cells: Vec<serde_json::Value> = serde_json::from_str(&out).expect("a JSON array");
    assert_eq!(cells.len(), 24, "twelve situations under two rule sets");
    for cell in &cells {
        assert_eq!(cell["user_action"], "review", "{cell}");
        assert_eq!(cell["review_reason"], "opt_out_request", "{cell}");
        assert_eq!(cell["account_opt_out"], "none", "{cell}");
    }
    let readable = stdout(&optout(&["preview", "--all", "--", "STOP"], b""));
    assert_eq!(readable.lines().count(), 13, "a header and twelve rows:\n{readable}");
    assert!(readable.contains("deferred") && readable.contains("immediate"), "{readable}");
}

#[test]
fn the_readable_summary_names_the_situation_and_the_rule() {
    let out = stdout(&optout(&[&US_ON_FIRST[..], &["--", "STOP"]].concat(), b""));
    assert!(out.starts_with("Provider 1 (US/CA), automatic opt-outs on, first response"), "{out}");
    assert!(out.contains("account opt-out       immediate"), "{out}");
    assert!(out.contains("Rule:"), "{out}");
}

#[test]
fn stdin_gives_one_json_line_per_reply() {
    let input = "STOP\r\nplease take me off your list\nI'm in!\n\nstpo";
    let out = stdout(&optout(&[&US_ON_FIRST[..], &["--stdin"]].concat(), input.as_bytes()));
    let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    assert_eq!(lines.len(), 5);
    assert_eq!((lines[0]["reply"].as_str(), lines[0]["account_opt_out"].as_str()), (Some("STOP"), Some("immediate")));
    assert_eq!(lines[1]["user_action"], "review");
    assert_eq!(lines[2]["user_action"], "none");
    assert_eq!(lines[3]["reply"], "");
    assert_eq!(lines[4]["review_reason"], "opt_out_request");
}

#[test]
fn bad_arguments_exit_2_with_a_clear_message() {
    for args in [
        &["preview", "--provider", "3", "--auto-opt-outs", "on", "--first-response", "yes", "--", "STOP"][..],
        &["preview", "--provider", "1", "--", "STOP"],
        &["preview", "--all", "--provider", "1", "--", "STOP"],
        &["preview", "--all"],
        &["preview", "--provider", "1", "--auto-opt-outs", "maybe", "--first-response", "yes", "--", "x"],
    ] {
        let output = optout(args, b"");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(err.contains("error:") && err.contains("--"), "{args:?}: {err}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn invalid_utf8_on_stdin_names_the_line() {
    let output = optout(&["preview", "--all", "--stdin"], b"STOP\nok\n\xff\xfe\n");
    assert_eq!(output.status.code(), Some(1));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("standard input, line 3: not valid UTF-8"), "{err}");
}
