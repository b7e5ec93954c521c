//! Send checks under load and in doubt: each story runs on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used)]

mod support;

use support::organisation::*;
use support::{Storage, TestHub};

async fn a_send_check_in_doubt_says_no(t: &TestHub) {
    organisation(t).await;
    let hub = &t.hub;
    assert!(hub.send_check("Acme", US_SENDER, "+12015550188").await.allowed, "a number never seen is allowed");
    assert_eq!(hub.send_check("Acme", US_SENDER, "555-12").await.code, "invalid_phone");
    assert_eq!(hub.send_check("Nobody", US_SENDER, CONTACT).await.code, "unknown_account");
    assert_eq!(hub.send_check("Acme", "+12015550177", CONTACT).await.code, "unknown_sender");
    assert_eq!(hub.send_check("Acme", UK_SENDER, UK_CONTACT).await.code, "other_account");
    let retire = optout_hub::RetireSender { command_id: uuid::Uuid::new_v4(), phone: US_SENDER_2.into() };
    hub.retire_sender(&admin(), &retire).await.unwrap();
    assert_eq!(hub.send_check("Acme", US_SENDER_2, CONTACT).await.code, "sender_retired");
    let stop = optout_hub::CampaignChange {
        command_id: uuid::Uuid::new_v4(),
        account: "Acme".into(),
        campaign: "Spring".into(),
        active: Some(false),
        rename: None,
    };
    hub.update_campaign(&admin(), &stop).await.unwrap();
    assert_eq!(hub.send_check("Acme", US_SENDER, CONTACT).await.code, "campaign_stopped");
    hub.close().await;
    let check = hub.send_check("Brit", UK_SENDER, UK_CONTACT).await;
    assert_eq!((check.allowed, check.code.as_str()), (false, "unavailable"));
}

/// Send checks asked at once share queries; each must still get its own answer.
async fn many_send_checks_at_once_each_get_their_own_answer(t: &TestHub) {
    organisation(t).await;
    text(t, UK_SENDER, UK_CONTACT).await;
    reply(t, UK_SENDER, UK_CONTACT, "STOP").await;
    let contacts: Vec<String> = (0..30).map(|i| format!("+1201555{:04}", 200 + i)).collect();
    for contact in contacts.iter().step_by(3) {
        t.hub.opt_out(&admin(), &opt_out_request("Acme", contact, "asked on the phone")).await.unwrap();
    }
    let senders = [US_SENDER, US_SENDER_2, UK_SENDER, "+12015550177"];
    let questions: Vec<(&str, &str, String)> = (0..240)
        .map(|i| {
            let account = if i % 7 == 0 { "Brit" } else { "Acme" };
            let contact = if i % 11 == 0 { UK_CONTACT.to_owned() } else { contacts[i % contacts.len()].clone() };
            (account, senders[i % senders.len()], contact)
        })
        .collect();
    // The first pass records the deferred opt-out; from then on every answer stays the same.
    for (account, sender, contact) in &questions {
        t.hub.send_check(account, sender, contact).await;
    }
    let mut alone = Vec::new();
    for (account, sender, contact) in &questions {
        alone.push(t.hub.send_check(account, sender, contact).await);
    }
    let codes: std::collections::BTreeSet<&str> = alone.iter().map(|a| a.code.as_str()).collect();
    assert_eq!(
        codes.into_iter().collect::<Vec<_>>(),
        ["allowed", "opted_out", "other_account", "unknown_sender"],
        "the questions cover every kind of answer"
    );

    for _ in 0..3 {
        let asked: Vec<_> = questions
            .iter()
            .map(|(account, sender, contact)| {
                let (hub, account, sender, contact) = (t.hub.clone(), *account, *sender, contact.clone());
                tokio::spawn(async move { hub.send_check(account, sender, &contact).await })
            })
            .collect();
        for (i, (asked, alone)) in asked.into_iter().zip(&alone).enumerate() {
            assert_eq!(&asked.await.unwrap(), alone, "question {i}: {:?}", questions[i]);
        }
    }
}

/// A connection the server dropped (a restart, a failover, an administrator) costs no answer.
async fn send_checks_go_on_when_the_server_drops_connections(t: &TestHub) {
    use sqlx::Executor;
    organisation(t).await;
    t.hub.opt_out(&admin(), &opt_out_request("Acme", CONTACT, "asked")).await.unwrap();
    assert_eq!(t.hub.send_check("Acme", US_SENDER, CONTACT).await.code, "opted_out");
    if t.storage == Storage::Postgres {
        let mut raw = t.raw().await;
        raw.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        .await
        .unwrap();
    }
    assert_eq!(t.hub.send_check("Acme", US_SENDER, CONTACT).await.code, "opted_out");
    assert!(t.hub.send_check("Acme", US_SENDER, "+12015550188").await.allowed);
}

stories!(
    a_send_check_in_doubt_says_no,
    many_send_checks_at_once_each_get_their_own_answer,
    send_checks_go_on_when_the_server_drops_connections,
);
