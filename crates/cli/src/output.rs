//! What the hub commands print: text for a person, or with `--json` the value itself.

use std::io::Write as _;
use std::path::Path;

use serde::Serialize;

pub(crate) fn print<T: Serialize + ?Sized>(json: bool, value: &T, text: impl FnOnce() -> String) {
    let out = if json { serde_json::to_string_pretty(value).unwrap_or_default() } else { text() };
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{out}");
}

pub(crate) fn print_accounts(json: bool, accounts: &[optout_hub::Account]) {
    print(json, &accounts, || {
        accounts
            .iter()
            .map(|a| format!("{}\tautomatic opt-outs {}", a.name, if a.auto_opt_outs { "on" } else { "off" }))
            .collect::<Vec<_>>()
            .join("\n")
    });
}

pub(crate) fn print_account(json: bool, account: &optout_hub::Account) {
    print(json, account, || {
        format!("{}: automatic opt-outs {}", account.name, if account.auto_opt_outs { "on" } else { "off" })
    });
}

pub(crate) fn print_import(json: bool, summary: &optout_hub::ImportSummary, file: &Path) {
    print(json, summary, || {
        let mut text = format!(
            "{} rows: {} opted out, {} already opted out, {} duplicates, {} rejected",
            summary.rows, summary.opted_out, summary.already_opted_out, summary.duplicates, summary.rejected
        );
        for e in summary.errors.iter().take(20) {
            text.push_str(&format!("\n{}:{}: {:?}: {}", file.display(), e.line, e.value, e.reason));
        }
        if summary.errors.len() > 20 {
            text.push_str(&format!("\n… and {} more (--json lists them all)", summary.errors.len() - 20));
        }
        text
    });
}

pub(crate) fn print_export(json: bool, rows: u64, out: &Path) {
    print(json, &serde_json::json!({ "rows": rows, "out": out }), || {
        format!("{rows} opt-outs written to {}", out.display())
    });
}

pub(crate) fn print_opt_out(json: bool, outcome: &optout_hub::OptOutOutcome) {
    print(json, outcome, || {
        let o = &outcome.opt_out;
        if outcome.already_opted_out {
            format!("{} was already opted out of {} (opt-out {}, {})", o.phone, o.account, o.id, o.created_at)
        } else {
            format!("{} opted out of {} (opt-out {})", o.phone, o.account, o.id)
        }
    });
}

pub(crate) fn print_opt_in(json: bool, outcome: &optout_hub::OptInOutcome) {
    print(json, outcome, || {
        let o = &outcome.opt_out;
        format!("{} opted back in to {} (opt-out {} reversed)", o.phone, o.account, o.id)
    });
}

pub(crate) fn describe_lookup(lookup: &optout_hub::Lookup) -> String {
    let mut text = format!("{}\n", lookup.phone);
    for status in &lookup.accounts {
        match &status.opt_out {
            Some(o) => text.push_str(&format!(
                "  {}: opted out {} ({}, by {}: {})\n",
                status.account,
                o.created_at.format("%Y-%m-%d %H:%M UTC"),
                o.source.as_str(),
                o.actor,
                o.reason
            )),
            None => text.push_str(&format!("  {}: textable\n", status.account)),
        }
    }
    for block in &lookup.provider_blocks {
        let state = if block.lifted_at.is_some() { "lifted" } else { "in force" };
        text.push_str(&format!("  provider block on {} ({state})\n", block.sender_phone));
    }
    for c in &lookup.conversations {
        text.push_str(&format!(
            "  conversation {} in {} / {} from {}: {} messages{}\n",
            c.id,
            c.account,
            c.campaign,
            c.sender_phone,
            c.messages,
            c.review_reason.as_ref().map(|r| format!(", needs review ({r})")).unwrap_or_default()
        ));
    }
    if !lookup.history.is_empty() {
        text.push_str("  history:\n");
    }
    for e in &lookup.history {
        text.push_str(&format!(
            "    {} {} {} by {} ({}): {}\n",
            e.at.format("%Y-%m-%d %H:%M UTC"),
            e.action,
            e.account.as_deref().unwrap_or("-"),
            e.actor,
            e.source,
            e.reason
        ));
    }
    text.trim_end().to_owned()
}
