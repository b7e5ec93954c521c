//! The public types the desktop app's IPC carries have TypeScript definitions (feature `ts`):
//! `cargo test -p optout-rules --features ts --test typescript`.

#![cfg(feature = "ts")]

use optout_rules as rules;
use ts_rs::{Config, TS};

#[test]
fn every_wire_type_has_a_typescript_declaration() {
    let cfg = Config::new().with_large_int("number");
    let declarations = [
        rules::Provider::decl(&cfg),
        rules::Keyword::decl(&cfg),
        rules::RuleSet::decl(&cfg),
        rules::AccountOptOut::decl(&cfg),
        rules::DeliveryBlocked::decl(&cfg),
        rules::ConfirmationSender::decl(&cfg),
        rules::UserAction::decl(&cfg),
        rules::ReviewReason::decl(&cfg),
        rules::ReviewPattern::decl(&cfg),
        rules::Language::decl(&cfg),
        rules::Review::decl(&cfg),
        rules::Situation::decl(&cfg),
        rules::Decision::decl(&cfg),
        rules::Explained::decl(&cfg),
        rules::PreviewCell::decl(&cfg),
        rules::Highlight::decl(&cfg),
        rules::Preview::decl(&cfg),
        rules::FederalHoliday::decl(&cfg),
        rules::Confirmation::decl(&cfg),
        rules::WithholdReason::decl(&cfg),
    ];
    let all = declarations.join("\n");
    for needle in [
        r#"type RuleSet = "reference" | "us_2025""#,
        "rule_set: RuleSet",
        "rule_set_version: string",
        "canadian_contact: boolean",
        "review_pattern: ReviewPattern | null",
        "outcomes: Array<Explained>",
        "review: Review | null",
        r#"type Language = "en" | "es" | "fr""#,
    ] {
        assert!(all.contains(needle), "{needle} not in:\n{all}");
    }
}
