//! Setting the organisation up through the desk, on a real embedded hub: every change goes
//! through the outbox, and a mistake is named before anything is queued.

#![allow(clippy::unwrap_used)]

mod support;

use optout_cache::OutboxStatus;
use optout_desktop::{Desk, FailureCode, FirstRun};
use optout_hub::{Campaign, Hub, Role};
use support::{done, options, settled, synced};

async fn campaign(desk: &Desk, name: &str) -> Option<Campaign> {
    desk.campaigns().await.unwrap().into_iter().find(|c| c.name == name)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_sets_up_accounts_campaigns_and_sender_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::start(dir.path(), options(FirstRun::Empty)).await.unwrap();
    synced(&desk).await;
    assert!(desk.accounts().await.unwrap().is_empty(), "an empty organisation, no demo");

    let item = desk.add_account("Acme Tenants", true).await.unwrap();
    assert_eq!(item.status, OutboxStatus::Pending);
    done(&desk, &item, "the account in the cache", || async {
        desk.accounts().await.unwrap().into_iter().find(|a| a.name == "Acme Tenants")
    })
    .await;
    let taken = desk.add_account("  acme   TENANTS ", false).await.unwrap_err();
    assert!(taken.message.starts_with("name:"), "{taken:?}");
    assert!(desk.add_account(" ", true).await.unwrap_err().message.starts_with("name:"));

    let item = desk.rename_account("Acme Tenants", "Acme Tenants Union").await.unwrap();
    assert_eq!(item.summary, "Rename Acme Tenants to Acme Tenants Union");
    let account = done(&desk, &item, "the new name in the cache", || async {
        desk.accounts().await.unwrap().into_iter().find(|a| a.name == "Acme Tenants Union")
    })
    .await;
    assert!(account.auto_opt_outs, "a rename changes nothing else");
    let account = account.name;
    assert!(desk.rename_account("Nobody", "X").await.unwrap_err().message.starts_with("account:"));

    // Sender numbers are read before anything is queued; a bad line is named by its line.
    let before = desk.outbox().await.unwrap().len();
    let bad = desk.add_campaign(&account, "Spring", 1, "(201) 555-0100\n\nnot a number\n").await.unwrap_err();
    assert!(bad.message.starts_with("line 3: \"not a number\""), "{bad:?}");
    let bad = desk.add_campaign(&account, "Spring", 3, "").await.unwrap_err();
    assert!(bad.message.starts_with("provider:"), "{bad:?}");
    let bad = desk.add_campaign("Nobody", "Spring", 1, "").await.unwrap_err();
    assert!(bad.message.starts_with("account:"), "{bad:?}");
    assert_eq!(desk.outbox().await.unwrap().len(), before, "nothing queued");

    let item = desk.add_campaign(&account, "Spring", 1, "201-555-0100\n+1 201 555 0101\n(201) 555-0100").await.unwrap();
    let spring = done(&desk, &item, "the campaign in the cache", || campaign(&desk, "Spring")).await;
    assert_eq!(spring.sender_numbers, ["+12015550100", "+12015550101"]);
    assert_eq!((spring.provider, spring.active), (optout_rules::Provider::One, true));
    let taken = desk.add_campaign(&account, "spring", 1, "").await.unwrap_err();
    assert!(taken.message.starts_with("name:"), "{taken:?}");
    let busy = desk.add_campaign(&account, "Summer", 1, "+12015550102\n+12015550100").await.unwrap_err();
    assert!(busy.message.starts_with("line 2: +12015550100 sends for the campaign \"Spring\""), "{busy:?}");

    let item = desk.add_campaign(&account, "Summer", 1, "").await.unwrap();
    let summer = done(&desk, &item, "the second campaign", || campaign(&desk, "Summer")).await;

    // A number that sends for another campaign moves only when the move names where it leaves.
    let refused = desk.add_sender(summer.id, "(201) 555-0100", None).await.unwrap_err();
    assert!(refused.message.contains("sends for the campaign \"Spring\"") && refused.message.contains("move"));
    let twice = desk.add_sender(spring.id, "+12015550100", None).await.unwrap_err();
    assert!(twice.message.contains("already"), "{twice:?}");
    let nothing = desk.add_sender(summer.id, "+12015550199", Some(spring.id)).await.unwrap_err();
    assert!(nothing.message.starts_with("phone:"), "{nothing:?}");
    let item = desk.add_sender(summer.id, "(201) 555-0100", Some(spring.id)).await.unwrap();
    assert_eq!(item.summary, "Move +12015550100 to the campaign Summer");
    let summer = done(&desk, &item, "the move in the cache", || async {
        campaign(&desk, "Summer").await.filter(|c| !c.sender_numbers.is_empty())
    })
    .await;
    assert_eq!(summer.sender_numbers, ["+12015550100"]);
    assert_eq!(campaign(&desk, "Spring").await.unwrap().sender_numbers, ["+12015550101"]);

    // A new number, then retired: it stays with its campaign as retired.
    let item = desk.add_sender(summer.id, "201.555.0102", None).await.unwrap();
    done(&desk, &item, "the new number", || async {
        campaign(&desk, "Summer").await.filter(|c| c.sender_numbers.len() == 2)
    })
    .await;
    let item = desk.retire_sender("+1 (201) 555-0102").await.unwrap();
    let summer = done(&desk, &item, "the number retired", || async {
        campaign(&desk, "Summer").await.filter(|c| !c.retired_numbers.is_empty())
    })
    .await;
    assert_eq!(
        (summer.sender_numbers, summer.retired_numbers),
        (vec!["+12015550100".into()], vec!["+12015550102".into()])
    );
    assert!(desk.retire_sender("+12015550102").await.unwrap_err().message.starts_with("phone:"));

    // Stop, then rename; a name another campaign of the account has is refused.
    let item = desk.set_campaign_active(spring.id, false).await.unwrap();
    assert_eq!(item.summary, "Stop the campaign Spring");
    done(&desk, &item, "the stop", || async { campaign(&desk, "Spring").await.filter(|c| !c.active) }).await;
    let item = desk.rename_campaign(spring.id, "Spring canvass").await.unwrap();
    done(&desk, &item, "the rename", || campaign(&desk, "Spring canvass")).await;
    assert!(desk.rename_campaign(spring.id, "SUMMER").await.unwrap_err().message.starts_with("name:"));
    assert!(desk.set_campaign_active(9999, true).await.unwrap_err().message.starts_with("campaign:"));
    desk.close().await;

    let hub = Hub::open(&dir.path().join("hub.sqlite3")).await.unwrap();
    let stopped = hub.campaigns(Some("Acme Tenants Union")).await.unwrap();
    assert!(stopped.iter().any(|c| c.name == "Spring canvass" && !c.active), "{stopped:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_s_secret_is_shown_once_kept_nowhere_and_works_until_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::start(dir.path(), options(FirstRun::Empty)).await.unwrap();
    synced(&desk).await;
    assert!(desk.tokens().await.unwrap().is_empty());
    assert!(desk.make_token("  ", Role::Admin).await.unwrap_err().message.starts_with("name:"));

    let made = desk.make_token("Ada Lovelace", Role::Texter).await.unwrap();
    assert!(made.secret.starts_with("od_") && made.secret.len() == 67, "{}", made.secret.len());
    assert!(!format!("{made:?}").contains(&made.secret), "Debug redacts the secret");
    assert_eq!(made.item.summary, "Make a token for Ada Lovelace (texter)");
    assert_eq!(settled(&desk, &made.item).await.status, OutboxStatus::Accepted);
    let tokens = desk.tokens().await.unwrap();
    let token = tokens.iter().find(|t| t.name == "Ada Lovelace").unwrap();
    assert_eq!((token.role, token.revoked_at), (Role::Texter, None));
    assert!(token.created_by.is_some());

    // Neither the cache nor its outbox holds the secret: only its hash travelled.
    let mut stored = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap().to_string_lossy().starts_with("cache") {
            stored.extend(std::fs::read(&path).unwrap());
        }
    }
    assert!(!stored.windows(made.secret.len()).any(|w| w == made.secret.as_bytes()), "the secret is in the cache");

    let hub = Hub::open(&dir.path().join("hub.sqlite3")).await.unwrap();
    assert_eq!(hub.authenticate(&made.secret).await.unwrap().unwrap().name, "Ada Lovelace");
    let item = desk.revoke_token(token.id).await.unwrap();
    assert_eq!(settled(&desk, &item).await.status, OutboxStatus::Accepted);
    let revoked = desk.tokens().await.unwrap().into_iter().find(|t| t.id == token.id).unwrap();
    assert!(revoked.revoked_at.is_some());
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert!(hub.authenticate(&made.secret).await.unwrap().is_none(), "revoked means revoked");
    // Revoking it again is the hub's to refuse, on the outbox item.
    let again = desk.revoke_token(token.id).await.unwrap();
    assert_eq!(settled(&desk, &again).await.status, OutboxStatus::Refused);
    desk.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_hub_says_so_for_what_only_the_hub_can_answer() {
    let dir = tempfile::tempdir().unwrap();
    let remote = optout_desktop::Connection::Remote { url: "http://127.0.0.1:9".into(), token: "od_x".into() };
    remote.save(dir.path()).unwrap();
    let desk = Desk::start(dir.path(), options(FirstRun::Ask)).await.unwrap();
    assert_eq!(desk.tokens().await.unwrap_err().code, FailureCode::Unreachable);
    let out = dir.path().join("review.csv");
    assert_eq!(desk.export_review_log(&out, None, None).await.unwrap_err().code, FailureCode::Unreachable);
    assert!(!out.exists(), "no file, not even an empty one");
    desk.close().await;
}
