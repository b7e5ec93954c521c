//! What the hub commands print: text for a person, or with `--json` the value itself.

use std::io::Write as _;
use std::path::Path;

use serde::Serialize;

/// A stored string as it may reach a terminal: control characters (an escape sequence could
/// rewrite the screen, forging a line of history) and the marks that reorder text shown
/// escaped, the rest as it is.
pub(crate) fn shown(text: &str) -> String {
    let hidden = |c: char| {
        c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(hidden) {
        return text.to_owned();
    }
    text.chars().map(|c| if hidden(c) { c.escape_unicode().to_string() } else { c.to_string() }).collect()
}

pub(crate) fn print<T: Serialize + ?Sized>(json: bool, value: &T, text: impl FnOnce() -> String) {
    let out = if json { serde_json::to_string_pretty(value).unwrap_or_default() } else { text() };
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{out}");
}

pub(crate) fn print_accounts(json: bool, accounts: &[optout_hub::Account]) {
    print(json, &accounts, || {
        accounts
            .iter()
            .map(|a| format!("{}\tautomatic opt-outs {}", shown(&a.name), if a.auto_opt_outs { "on" } else { "off" }))
            .collect::<Vec<_>>()
            .join("\n")
    });
}

pub(crate) fn print_account(json: bool, account: &optout_hub::Account) {
    print(json, account, || {
        format!("{}: automatic opt-outs {}", shown(&account.name), if account.auto_opt_outs { "on" } else { "off" })
    });
}

pub(crate) fn print_import(json: bool, summary: &optout_hub::ImportSummary, file: &Path) {
    print(json, summary, || {
        let would = if summary.dry_run { "would be " } else { "" };
        let mut text = format!(
            "{} rows: {} {would}opted out, {} already opted out, {} duplicates, {} rejected",
            summary.rows, summary.opted_out, summary.already_opted_out, summary.duplicates, summary.rejected
        );
        if !summary.history_columns.is_empty() {
            text.push_str(&format!(
                "\nkept from the file: {}; {} opt-outs keep their own date",
                summary.history_columns.join(", "),
                summary.dated
            ));
        }
        for w in summary.warnings.iter().take(20) {
            text.push_str(&format!("\n{}:{}: {:?}: {}", shown(&file.display().to_string()), w.line, w.value, w.reason));
        }
        if summary.dry_run {
            text.push_str("\n(a dry run: nothing was written)");
        }
        for e in summary.errors.iter().take(20) {
            text.push_str(&format!("\n{}:{}: {:?}: {}", shown(&file.display().to_string()), e.line, e.value, e.reason));
        }
        let unlisted = summary.rejected.saturating_sub(summary.errors.len().min(20) as u64);
        if unlisted > 0 {
            let by_reason: Vec<String> =
                summary.rejected_by_reason.iter().map(|(reason, n)| format!("{reason}: {n}")).collect();
            text.push_str(&format!(
                "\n… and {unlisted} more (--json lists the first {}); refused by reason: {}",
                optout_hub::MAX_ROW_ERRORS,
                by_reason.join(", ")
            ));
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
        match &outcome.request {
            Some(request) => format!(
                "{} was already opted out of {} (opt-out {}, {}); this request to stop is kept after it (request {})",
                o.phone,
                shown(&o.account),
                o.id,
                o.created_at.format("%Y-%m-%d %H:%M UTC"),
                request.id
            ),
            None => format!("{} opted out of {} (opt-out {})", o.phone, shown(&o.account), o.id),
        }
    });
}

pub(crate) fn print_opt_in(json: bool, outcome: &optout_hub::OptInOutcome) {
    print(json, outcome, || {
        let o = &outcome.opt_out;
        format!("{} opted back in to {} (opt-out {} reversed)", o.phone, shown(&o.account), o.id)
    });
}

pub(crate) fn describe_lookup(lookup: &optout_hub::Lookup) -> String {
    let mut text = format!("{}\n", lookup.phone);
    for status in &lookup.accounts {
        match &status.opt_out {
            Some(o) => text.push_str(&format!(
                "  {}: opted out {} ({}, by {}: {})\n",
                shown(&status.account),
                o.created_at.format("%Y-%m-%d %H:%M UTC"),
                o.source.as_str(),
                shown(&o.actor),
                shown(&o.reason)
            )),
            None => text.push_str(&format!("  {}: textable\n", shown(&status.account))),
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
            shown(&c.account),
            shown(&c.campaign),
            c.sender_phone,
            c.messages,
            c.review_reason.as_ref().map(|r| format!(", needs review ({})", shown(r))).unwrap_or_default()
        ));
    }
    if !lookup.history.is_empty() {
        text.push_str("  history:\n");
    }
    for e in &lookup.history {
        text.push_str(&format!(
            "    {} {} {} by {} ({}{}): {}{}\n",
            e.at.format("%Y-%m-%d %H:%M UTC"),
            e.action,
            shown(e.account.as_deref().unwrap_or("-")),
            shown(&e.actor),
            e.source,
            e.sender_phone.as_ref().map(|s| format!(", to {s}")).unwrap_or_default(),
            shown(&e.reason),
            e.evidence.as_ref().map(|w| format!(" \"{}\"", shown(w))).unwrap_or_default()
        ));
    }
    text.trim_end().to_owned()
}

pub(crate) fn print_campaign(json: bool, campaign: &optout_hub::Campaign) {
    print(json, campaign, || describe_campaign(campaign));
}

pub(crate) fn print_campaigns(json: bool, campaigns: &[optout_hub::Campaign]) {
    print(json, campaigns, || campaigns.iter().map(describe_campaign).collect::<Vec<_>>().join("\n"));
}

fn describe_campaign(c: &optout_hub::Campaign) -> String {
    let mut text = format!(
        "{} / {} (Provider {}, {}): {}",
        shown(&c.account),
        shown(&c.name),
        c.provider.number(),
        if c.active { "texts" } else { "stopped" },
        if c.sender_numbers.is_empty() { "no sender number".to_owned() } else { c.sender_numbers.join(", ") }
    );
    if !c.retired_numbers.is_empty() {
        text.push_str(&format!("; retired {}", c.retired_numbers.join(", ")));
    }
    text
}

pub(crate) fn print_tokens(json: bool, tokens: &[optout_hub::Token]) {
    print(json, tokens, || {
        tokens
            .iter()
            .map(|t| {
                let used = t.last_used_at.map_or("never used".to_owned(), |at| format!("last used {}", minute(at)));
                let state = match t.revoked_at {
                    Some(at) => format!("revoked {}", minute(at)),
                    None => "live".to_owned(),
                };
                let by = t.created_by.as_deref().map(|b| format!(" by {}", shown(b))).unwrap_or_default();
                format!(
                    "{}\t{}\t{}\tmade {}{by}\t{used}\t{state}",
                    t.id,
                    shown(&t.name),
                    t.role.as_str(),
                    minute(t.created_at)
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
}

fn minute(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

pub(crate) fn print_providers(json: bool, providers: &[optout_hub::ProviderConnection]) {
    print(json, providers, || {
        if providers.is_empty() {
            return "no provider is connected (optout providers set twilio|telnyx|bandwidth …)".to_owned();
        }
        providers
            .iter()
            .map(|p| {
                let genuine = p.last_genuine_at.map_or("no genuine callback yet".to_owned(), |at| {
                    format!("{} genuine callbacks, the latest {}", p.genuine, minute(at))
                });
                let mut line = format!(
                    "{}: set {} by {}; {genuine}; webhook /v1/webhooks/{}",
                    p.provider,
                    minute(p.updated_at),
                    shown(&p.updated_by),
                    p.provider
                );
                if p.refused > 0 {
                    let why = p.last_refused_why.as_deref().map(shown).unwrap_or_default();
                    line.push_str(&format!("; {} refused as not genuine, the latest: {why}", p.refused));
                }
                if p.unknown_senders > 0 {
                    let number = p.last_unknown_sender.as_deref().map(shown).unwrap_or_default();
                    line.push_str(&format!(
                        "; {} for numbers no campaign sends from, the latest to {number}",
                        p.unknown_senders
                    ));
                }
                line
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
}
