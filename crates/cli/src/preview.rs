//! `optout preview`: the rules engine's decision for a reply, readable or as JSON.

use std::fmt::Write as _;
use std::io::{BufRead, Write};

use clap::ValueEnum;
use optout_rules::{decide, preview, Decision, Explained, Preview, Provider, RuleSet, Situation};
use serde::Serialize;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The campaign's provider: 1 (US/Canada) or 2 (UK).
    #[arg(long, value_enum, required_unless_present = "all", conflicts_with = "all")]
    provider: Option<ProviderArg>,
    /// The account's automatic opt-outs setting.
    #[arg(long, value_enum, required_unless_present = "all", conflicts_with = "all")]
    auto_opt_outs: Option<OnOff>,
    /// Whether the reply is the contact's first response to the initial message.
    #[arg(long, value_enum, required_unless_present = "all", conflicts_with = "all")]
    first_response: Option<YesNo>,
    /// The keywords the account's automatic opt-outs act on: reference (the default) or us_2025
    /// (adds REVOKE and OPT OUT, and ARRET from Canadian numbers).
    #[arg(long, value_enum, default_value = "reference")]
    rule_set: RuleSetArg,
    /// The contact's number is Canadian (Provider 1).
    #[arg(long, conflicts_with = "all")]
    canadian: bool,
    /// Show every situation (both providers, automatic opt-outs on and off, first response or
    /// not, US or Canadian contact) under both rule sets.
    #[arg(long)]
    all: bool,
    /// Print JSON instead of a readable summary.
    #[arg(long)]
    json: bool,
    /// Read replies from standard input, one per line, and print one JSON object per line.
    #[arg(long, conflicts_with = "text")]
    stdin: bool,
    /// The reply, after `--`.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, required_unless_present = "stdin")]
    text: Vec<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ProviderArg {
    #[value(name = "1")]
    One,
    #[value(name = "2")]
    Two,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RuleSetArg {
    Reference,
    #[value(name = "us_2025")]
    Us2025,
}

impl RuleSetArg {
    pub fn rule_set(self) -> RuleSet {
        match self {
            RuleSetArg::Reference => RuleSet::Reference,
            RuleSetArg::Us2025 => RuleSet::Us2025,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum OnOff {
    On,
    Off,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum YesNo {
    Yes,
    No,
}

/// Why a preview could not be printed.
#[derive(Debug)]
pub enum Error {
    /// A line of standard input is not UTF-8.
    NotUtf8 { line: usize },
    /// Reading standard input or writing standard output failed.
    Io(std::io::Error),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::NotUtf8 { line } => write!(f, "standard input, line {line}: not valid UTF-8"),
            Error::Io(e) => write!(f, "{e}"),
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}

impl Args {
    /// The one situation asked for, or `None` with `--all`.
    fn situation(&self) -> Option<Situation> {
        Some(Situation {
            provider: match self.provider? {
                ProviderArg::One => Provider::One,
                ProviderArg::Two => Provider::Two,
            },
            auto_opt_outs: matches!(self.auto_opt_outs?, OnOff::On),
            first_response: matches!(self.first_response?, YesNo::Yes),
            rule_set: self.rule_set.rule_set(),
            canadian_contact: self.canadian,
        })
    }
}

/// A reply from standard input with what happens to it.
#[derive(Serialize)]
struct StdinLine<'a, T: Serialize> {
    reply: &'a str,
    #[serde(flatten)]
    outcome: T,
}

/// A reply from standard input with what happens to it in every situation and rule set.
#[derive(Serialize)]
struct AllOutcomes<'a> {
    reply: &'a str,
    outcomes: Vec<serde_json::Value>,
}

/// Runs `optout preview`.
pub fn run(args: &Args, input: &mut dyn BufRead, out: &mut dyn Write) -> Result<(), Error> {
    let situation = args.situation();
    if args.stdin {
        let mut line = Vec::new();
        let mut number = 0;
        while input.read_until(b'\n', &mut line)? > 0 {
            number += 1;
            let text = std::str::from_utf8(&line).map_err(|_| Error::NotUtf8 { line: number })?;
            let reply = text.strip_suffix('\n').map(|r| r.strip_suffix('\r').unwrap_or(r)).unwrap_or(text);
            let json = match situation {
                Some(s) => serde_json::to_string(&StdinLine { reply, outcome: decide(reply, s).explain() }),
                None => serde_json::to_string(&AllOutcomes { reply, outcomes: every_outcome(&preview(reply)) }),
            };
            writeln!(out, "{}", json.map_err(std::io::Error::other)?)?;
            line.clear();
        }
        return Ok(());
    }
    let reply = args.text.join(" ");
    let text = match (situation, args.json) {
        (Some(s), true) => to_json(&decide(&reply, s).explain())?,
        (Some(s), false) => summary(&decide(&reply, s).explain()),
        (None, true) => to_json(&every_outcome(&preview(&reply)))?,
        (None, false) => matrix(&reply, args.rule_set.rule_set()),
    };
    writeln!(out, "{text}")?;
    Ok(())
}

/// Every outcome of a preview, each with the situation it is for: one object a row and rule set.
fn every_outcome(p: &Preview) -> Vec<serde_json::Value> {
    p.outcomes()
        .map(|e| {
            let mut object = serde_json::to_value(e.decision.situation).unwrap_or_default();
            if let (Some(object), Ok(serde_json::Value::Object(outcome))) =
                (object.as_object_mut(), serde_json::to_value(e))
            {
                object.extend(outcome);
            }
            object
        })
        .collect()
}

fn to_json<T: Serialize>(value: &T) -> Result<String, Error> {
    Ok(serde_json::to_string_pretty(value).map_err(std::io::Error::other)?)
}

/// The words a value serialises to (`"manual_opt_out"`), for the readable output.
fn word<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Bool(true)) => "yes".into(),
        Ok(serde_json::Value::Bool(false)) => "no".into(),
        _ => "-".into(),
    }
}

fn situation_line(s: Situation) -> String {
    format!(
        "{}, automatic opt-outs {}, {}{}, rule set {}",
        s.provider.label(),
        if s.auto_opt_outs { "on" } else { "off" },
        if s.first_response { "first response" } else { "not the first response" },
        if s.canadian_contact { ", Canadian contact" } else { "" },
        s.rule_set.label()
    )
}

fn summary(e: &Explained) -> String {
    let d: &Decision = &e.decision;
    let mut text = situation_line(d.situation);
    let rows = [
        ("keyword", d.keyword.map_or("-".into(), |k| k.to_string())),
        ("account opt-out", word(&d.account_opt_out)),
        ("provider opt-out", word(&d.provider_opt_out)),
        ("provider opt-in", word(&d.provider_opt_in)),
        ("delivery blocked", word(&d.delivery_blocked)),
        ("confirmation sent by", word(&d.confirmation_sent_by)),
        ("user action", word(&d.user_action)),
        ("review reason", d.review_reason.map_or("-".into(), |r| word(&r))),
    ];
    for (name, value) in rows {
        let _ = write!(text, "\n  {name:<21} {value}");
    }
    let _ = write!(text, "\n\n{}", wrap(&e.explanation, 96));
    text
}

/// Every situation under `rule_set`, a row each; the last column says where the other rule set
/// decides otherwise.
fn matrix(reply: &str, rule_set: RuleSet) -> String {
    let p = preview(reply);
    let mut text = format!(
        "{:<9} {:<5} {:<6} {:<4} {:<12} {:<10} {:<9} {:<10} {:<13} {:<15} {:<16} {}",
        "provider",
        "auto",
        "first",
        "CA",
        "keyword",
        "account",
        "provider",
        "blocked",
        "confirmation",
        "action",
        "review",
        "other rule set"
    );
    for cell in &p.cells {
        let Some(outcome) = cell.outcome(rule_set) else { continue };
        let d = &outcome.decision;
        let provider_effect = if d.provider_opt_in { "opt-in".into() } else { word(&d.provider_opt_out) };
        let other = RuleSet::ALL.into_iter().find(|r| *r != rule_set).unwrap_or(rule_set);
        let _ = write!(
            text,
            "\n{:<9} {:<5} {:<6} {:<4} {:<12} {:<10} {:<9} {:<10} {:<13} {:<15} {:<16} {}",
            word(&cell.provider),
            if cell.auto_opt_outs { "on" } else { "off" },
            if cell.first_response { "yes" } else { "no" },
            if cell.canadian_contact { "yes" } else { "no" },
            d.keyword.map_or("-".into(), |k| k.to_string()),
            word(&d.account_opt_out),
            provider_effect,
            word(&d.delivery_blocked),
            word(&d.confirmation_sent_by),
            word(&d.user_action),
            d.review_reason.map_or("-".into(), |r| word(&r)),
            if cell.rule_sets_differ { format!("differs: {other}") } else { "same".to_owned() },
        );
    }
    text
}

/// Breaks `text` into lines of at most `width` characters, at spaces.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split(' ') {
        let len = word.chars().count();
        if line_len > 0 && line_len + 1 + len > width {
            out.push('\n');
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += len;
    }
    out
}
