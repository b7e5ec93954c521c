//! An organisation sets itself up: campaigns, sender numbers (added, moved, retired), accounts
//! renamed, tokens for people and systems; each an admin's command, in the audit log and on the
//! feed. Each story runs on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used)]

mod support;

use optout_hub::{
    Actor, CampaignChange, Changed, Error, ImportOptions, NewToken, Refusal, Region, RetireSender, RevokeToken, Role,
    SenderChange,
};
use support::organisation::*;
use support::TestHub;
use uuid::Uuid;

fn sender(phone: &str, account: &str, campaign: &str, move_from_campaign: Option<i64>) -> SenderChange {
    SenderChange {
        command_id: Uuid::new_v4(),
        phone: phone.into(),
        account: account.into(),
        campaign: campaign.into(),
        move_from_campaign,
    }
}

async fn changed_campaigns(t: &TestHub, after: i64) -> Vec<optout_hub::Campaign> {
    let changes = t.hub.changes_after(&admin(), after, 1000).await.unwrap();
    changes
        .iter()
        .filter_map(|c| match c.decode().unwrap() {
            Changed::Campaign(campaign) => Some(campaign),
            _ => None,
        })
        .collect()
}

async fn a_campaign_is_set_up_and_bad_input_changes_nothing(t: &TestHub) {
    add_account(t, "Acme", true).await.unwrap();
    let spring = add_campaign(t, "Acme", "Spring", 1, &["(201) 555-0100", "+1 201 555 0101"]).await.unwrap();
    assert_eq!(spring.sender_numbers, [US_SENDER, US_SENDER_2]);
    let head = t.hub.feed_head().await.unwrap();
    let cases = [
        add_campaign(t, "Nobody", "Fall", 1, &[]).await.unwrap_err(),
        add_campaign(t, "Acme", "Fall", 1, &["+12015550102", "555-CALL"]).await.unwrap_err(),
        add_campaign(t, "Acme", "Fall", 1, &[US_SENDER]).await.unwrap_err(),
        add_campaign(t, "Acme", "spring", 1, &[]).await.unwrap_err(),
        add_campaign(t, "Acme", "Fall", 3, &[]).await.unwrap_err(),
    ];
    assert!(matches!(&cases[0], Error::UnknownAccount(name) if name == "Nobody"), "{:?}", cases[0]);
    assert!(matches!(&cases[1], Error::InvalidPhone { field, .. } if field == "sender_numbers[1]"), "{:?}", cases[1]);
    assert!(cases[2].to_string().contains("campaign \"Spring\" of \"Acme\""), "{}", cases[2]);
    assert!(matches!(&cases[3], Error::AlreadyExists(_)), "names differ only in case: {:?}", cases[3]);
    assert!(matches!(&cases[4], Error::InvalidField { field, .. } if field == "provider"), "{:?}", cases[4]);
    let texter = Actor::texter("tom");
    let request = optout_hub::NewCampaign {
        command_id: Uuid::new_v4(),
        account: "Acme".into(),
        name: "Fall".into(),
        provider: 1,
        sender_numbers: vec![],
    };
    let refused = t.hub.add_campaign(&texter, &request).await.unwrap_err();
    assert!(matches!(refused, Error::Refused { code: Refusal::Forbidden, .. }), "{refused:?}");
    assert_eq!(t.hub.feed_head().await.unwrap(), head, "nothing was stored");
    assert_eq!(t.hub.campaigns(Some("Acme")).await.unwrap().len(), 1);

    // The same command sent twice is one campaign, answered the same.
    let fall = optout_hub::NewCampaign { sender_numbers: vec!["+12015550102".into()], ..request };
    let first = t.hub.add_campaign(&admin(), &fall).await.unwrap();
    assert_eq!(t.hub.add_campaign(&admin(), &fall).await.unwrap(), first);
    assert_eq!(t.hub.campaigns(Some("Acme")).await.unwrap().len(), 2);
    assert_eq!(changed_campaigns(t, head).await, [first]);
}

async fn a_sender_number_moves_only_when_the_move_is_named_and_retires_with_its_record(t: &TestHub) {
    organisation(t).await;
    let summer = add_campaign(t, "Acme", "Summer", 1, &[]).await.unwrap();
    let spring = t.hub.campaigns(Some("Acme")).await.unwrap().into_iter().find(|c| c.name == "Spring").unwrap();
    text(t, US_SENDER_2, CONTACT).await;

    let blind = t.hub.add_sender(&admin(), &sender(US_SENDER_2, "Acme", "Summer", None)).await.unwrap_err();
    assert!(blind.to_string().contains("a move must name the campaign it leaves"), "{blind}");
    let head = t.hub.feed_head().await.unwrap();
    let moved = t.hub.add_sender(&admin(), &sender(US_SENDER_2, "Acme", "Summer", Some(spring.id))).await.unwrap();
    assert_eq!((moved.id, moved.sender_numbers.clone()), (summer.id, vec![US_SENDER_2.to_owned()]));
    let published = changed_campaigns(t, head).await;
    assert_eq!(published.len(), 2, "both campaigns are on the feed");
    assert_eq!(published[0].sender_numbers, [US_SENDER], "Spring keeps its other number");

    // The contact answers the text Spring sent them: the reply counts for Spring's conversation.
    let reply = reply(t, US_SENDER_2, CONTACT, "STOP").await;
    assert!(reply.opt_out_id.is_some());
    let lookup = t.hub.lookup(&admin(), CONTACT, Region::US).await.unwrap();
    assert_eq!(lookup.conversations[0].campaign, "Spring");

    // Retired: no more sends, but a late reply still counts.
    let retire = RetireSender { command_id: Uuid::new_v4(), phone: "201-555-0100".into() };
    let after = t.hub.retire_sender(&admin(), &retire).await.unwrap();
    assert_eq!((after.sender_numbers.len(), after.retired_numbers.clone()), (0, vec![US_SENDER.to_owned()]));
    let other = "+12015550124";
    assert_eq!(t.hub.send_check("Acme", US_SENDER, other).await.code, "sender_retired");
    let late = optout_hub::IncomingReply {
        provider_message_id: "late-1".into(),
        sender_phone: US_SENDER.into(),
        contact_phone: other.into(),
        body: "Stop".into(),
        at: None,
        provider_action: None,
    };
    let late = t.hub.ingest_reply(&late).await.unwrap().reply.unwrap();
    assert!(late.opt_out_id.is_some(), "a reply to a retired number still opts out");
    let back = t.hub.add_sender(&admin(), &sender(US_SENDER, "Acme", "Spring", None)).await.unwrap();
    assert_eq!(back.sender_numbers, [US_SENDER], "a retired number may send again");

    // Every change is in the audit log, found by the number.
    let history = t.hub.lookup(&admin(), US_SENDER_2, Region::US).await.unwrap().history;
    let actions: Vec<&str> = history.iter().map(|l| l.action.as_str()).collect();
    assert_eq!(actions, ["sender_added"]);
    assert!(history[0].reason.contains("Moved") && history[0].actor == "ada@example.org", "{history:?}");
    let history = t.hub.lookup(&admin(), US_SENDER, Region::US).await.unwrap().history;
    let actions: Vec<&str> = history.iter().map(|l| l.action.as_str()).collect();
    assert_eq!(actions, ["sender_retired", "sender_added"]);
}

async fn an_account_and_a_campaign_are_renamed_and_stopped(t: &TestHub) {
    organisation(t).await;
    let renamed =
        settings(t, "Acme", optout_hub::AccountSettings { name: Some("Acme Union".into()), ..Default::default() })
            .await;
    assert_eq!(renamed.name, "Acme Union");
    assert!(matches!(t.hub.account("Acme").await, Err(Error::UnknownAccount(_))));
    let taken = t
        .hub
        .update_account(
            &admin(),
            "Acme Union",
            &optout_hub::AccountSettings { name: Some("brit".into()), ..Default::default() },
        )
        .await
        .unwrap_err();
    assert!(matches!(taken, Error::AlreadyExists(_)), "{taken:?}");
    let change = CampaignChange {
        command_id: Uuid::new_v4(),
        account: "Acme Union".into(),
        campaign: "Spring".into(),
        active: Some(false),
        rename: Some("Spring 2026".into()),
    };
    let stopped = t.hub.update_campaign(&admin(), &change).await.unwrap();
    assert_eq!((stopped.name.as_str(), stopped.active), ("Spring 2026", false));
    assert_eq!(t.hub.send_check("Acme Union", US_SENDER, CONTACT).await.code, "campaign_stopped");
}

async fn tokens_are_made_from_a_hash_listed_with_their_use_and_revoked(t: &TestHub) {
    organisation(t).await;
    let secret = optout_hub::new_secret().unwrap();
    let request = NewToken {
        command_id: Uuid::new_v4(),
        name: "dialer".into(),
        role: Role::Texter,
        secret_sha256: Some(optout_hub::secret_sha256(&secret)),
    };
    let token = t.hub.add_token(&admin(), &request).await.unwrap();
    assert_eq!((token.created_by.as_deref(), token.last_used_at), (Some("ada@example.org"), None));
    assert_eq!(t.hub.authenticate(&secret).await.unwrap(), Some(Actor::texter("dialer")));
    let listed = t.hub.tokens(&admin()).await.unwrap();
    assert!(listed[0].last_used_at.is_some(), "its use is recorded: {listed:?}");
    let mut raw = t.raw().await;
    let stored: i64 =
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM commands WHERE request LIKE '%{}%'", &secret[3..]))
            .fetch_one(&mut raw)
            .await
            .unwrap();
    assert_eq!(stored, 0, "the secret is nowhere in the record");

    let texter = Actor::texter("dialer");
    assert!(matches!(t.hub.add_token(&texter, &request).await, Err(Error::Refused { code: Refusal::Forbidden, .. })));
    let bad = NewToken { command_id: Uuid::new_v4(), secret_sha256: Some("not-a-hash".into()), ..request.clone() };
    assert!(matches!(t.hub.add_token(&admin(), &bad).await, Err(Error::InvalidField { .. })));
    let revoke = RevokeToken { command_id: Uuid::new_v4(), token_id: token.id };
    assert!(t.hub.revoke_token(&admin(), &revoke).await.unwrap().revoked_at.is_some());
    assert_eq!(t.hub.authenticate(&secret).await.unwrap(), None);
    let again = RevokeToken { command_id: Uuid::new_v4(), token_id: token.id };
    assert!(matches!(t.hub.revoke_token(&admin(), &again).await, Err(Error::NotFound(_))));
}

/// The hub refuses a texter every read that holds the record or its secrets, whoever asks it:
/// the HTTP routes, the app's embedded hub or the command line.
async fn a_texter_reads_only_the_accounts_and_campaigns_and_imports_nothing(t: &TestHub) {
    organisation(t).await;
    let tom = Actor::texter("tom");
    let all = optout_hub::OptOutFilter::default();
    let forbidden = |result: Result<(), Error>, what: &str| {
        assert!(matches!(result, Err(Error::Refused { code: Refusal::Forbidden, .. })), "{what}: {result:?}");
    };
    forbidden(t.hub.lookup(&tom, CONTACT, Region::US).await.map(drop), "lookup");
    forbidden(t.hub.list_opt_outs(&tom, &all, None, 10).await.map(drop), "opt-out list");
    forbidden(t.hub.export_page(&tom, &all, None).await.map(drop), "export page");
    forbidden(t.hub.export_csv(&tom, &all, Vec::new(), "x.csv".as_ref(), |_| true).await.map(drop), "export");
    forbidden(t.hub.changes_after(&tom, 0, 10).await.map(drop), "feed");
    forbidden(t.hub.tokens(&tom).await.map(drop), "tokens");
    forbidden(t.hub.providers(&tom).await.map(drop), "providers");
    forbidden(t.hub.review_log_csv(&tom, None, None).await.map(drop), "review log");
    forbidden(t.hub.stop_requests(&tom, 1).await.map(drop), "requests to stop");
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("list.csv");
    std::fs::write(&list, format!("phone\n{CONTACT}\n")).unwrap();
    let options =
        ImportOptions { account: "Acme".into(), region: Region::US, column: None, batch_rows: 100, dry_run: false };
    forbidden(t.hub.import_csv(&tom, &list, &options, |_| true).await.map(drop), "import");
    let page = t.hub.list_opt_outs(&admin(), &all, None, 10).await.unwrap();
    assert!(page.opt_outs.is_empty(), "the texter's import opted nobody out");
    assert!(!t.hub.accounts().await.unwrap().is_empty());
    assert!(!t.hub.campaigns(None).await.unwrap().is_empty());
    assert!(t.hub.lookup(&admin(), CONTACT, Region::US).await.is_ok());
}

stories!(
    a_campaign_is_set_up_and_bad_input_changes_nothing,
    a_sender_number_moves_only_when_the_move_is_named_and_retires_with_its_record,
    an_account_and_a_campaign_are_renamed_and_stopped,
    tokens_are_made_from_a_hash_listed_with_their_use_and_revoked,
    a_texter_reads_only_the_accounts_and_campaigns_and_imports_nothing,
);
