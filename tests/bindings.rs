//! The TypeScript types the UI uses are generated from the Rust types that cross IPC; this test
//! fails when `ui/src/lib/ipc/bindings.ts` is stale. `./x bindings` rewrites it.

use std::path::Path;

use optout_cache as cache;
use optout_client as client;
use optout_desktop as desktop;
use optout_hub as hub;
use optout_rules as rules;
use ts_rs::{Config, TS};

const PATH: &str = "ui/src/lib/ipc/bindings.ts";

fn typescript() -> String {
    // Ids and counts are far below 2^53: plain numbers in JSON, and in TypeScript.
    let cfg = Config::new().with_large_int("number");
    let declarations = [
        rules::Provider::decl(&cfg),
        rules::Keyword::decl(&cfg),
        rules::AccountOptOut::decl(&cfg),
        rules::DeliveryBlocked::decl(&cfg),
        rules::ConfirmationSender::decl(&cfg),
        rules::UserAction::decl(&cfg),
        rules::ReviewReason::decl(&cfg),
        rules::Situation::decl(&cfg),
        rules::Decision::decl(&cfg),
        rules::Explained::decl(&cfg),
        rules::PreviewCell::decl(&cfg),
        rules::Highlight::decl(&cfg),
        rules::Preview::decl(&cfg),
        rules::RuleSet::decl(&cfg),
        rules::Review::decl(&cfg),
        rules::ReviewPattern::decl(&cfg),
        rules::Language::decl(&cfg),
        hub::Role::decl(&cfg),
        hub::Actor::decl(&cfg),
        hub::Source::decl(&cfg),
        hub::Region::decl(&cfg),
        hub::Account::decl(&cfg),
        hub::AccountSettings::decl(&cfg),
        hub::Campaign::decl(&cfg),
        hub::OptIn::decl(&cfg),
        hub::OptOut::decl(&cfg),
        hub::StopRequest::decl(&cfg),
        hub::ProviderBlock::decl(&cfg),
        hub::Token::decl(&cfg),
        hub::ProviderConnection::decl(&cfg),
        hub::ProviderSetup::decl(&cfg),
        cache::PullProgress::decl(&cfg),
        cache::Status::decl(&cfg),
        serde_json::Value::decl(&cfg),
        client::Answer::decl(&cfg),
        cache::OutboxStatus::decl(&cfg),
        cache::OutboxItem::decl(&cfg),
        cache::AccountStanding::decl(&cfg),
        cache::ConversationRow::decl(&cfg),
        cache::ConversationView::decl(&cfg),
        cache::ConversationFilter::decl(&cfg),
        cache::ConversationPage::decl(&cfg),
        cache::MessageRow::decl(&cfg),
        cache::ConversationDetail::decl(&cfg),
        cache::NumberRecord::decl(&cfg),
        cache::OptOutQuery::decl(&cfg),
        cache::OptOutListPage::decl(&cfg),
        cache::DayOfOptOuts::decl(&cfg),
        cache::CampaignRate::decl(&cfg),
        cache::Trends::decl(&cfg),
        cache::ReviewCounts::decl(&cfg),
        hub::ReviewAction::decl(&cfg),
        hub::RowError::decl(&cfg),
        hub::ImportSummary::decl(&cfg),
        desktop::JobState::decl(&cfg),
        desktop::JobKind::decl(&cfg),
        desktop::Job::decl(&cfg),
        desktop::HubMode::decl(&cfg),
        desktop::DeskStatus::decl(&cfg),
        desktop::FailureCode::decl(&cfg),
        desktop::Failure::decl(&cfg),
        desktop::FilePurpose::decl(&cfg),
        desktop::FirstRunChoice::decl(&cfg),
        desktop::MadeToken::decl(&cfg),
        desktop::ProviderWebhook::decl(&cfg),
        desktop::RuleSetChoice::decl(&cfg),
        desktop::RuleChoices::decl(&cfg),
    ];
    let mut text = String::from("// Generated from the Rust types by `./x bindings`. Do not edit by hand.\n");
    for declaration in declarations {
        text.push_str("\nexport ");
        text.push_str(&declaration);
        text.push('\n');
    }
    text
}

#[test]
fn bindings_are_fresh() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(PATH);
    let generated = typescript();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        return;
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(on_disk == generated, "{PATH} is stale: run `./x bindings` and commit the result");
}
