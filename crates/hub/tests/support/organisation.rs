//! The organisation most stories start from, and the few things they do with it.

use optout_hub::{Actor, IncomingReply, OptInRequest, OptOutRequest, OutgoingMessage, Region, Source};
use uuid::Uuid;

use super::TestHub;

pub const US_SENDER: &str = "+12015550100";
pub const US_SENDER_2: &str = "+12015550101";
pub const UK_SENDER: &str = "+447400123456";
pub const UK_SENDER_2: &str = "+447400123457";
pub const CONTACT: &str = "+12015550123";
pub const UK_CONTACT: &str = "+447911123456";

/// Two accounts: Acme texts the US with automatic opt-outs on; Brit texts the UK with them off.
pub async fn organisation(t: &TestHub) {
    add_account(t, "Acme", true).await.unwrap();
    add_campaign(t, "Acme", "Spring", 1, &[US_SENDER, US_SENDER_2]).await.unwrap();
    add_account(t, "Brit", false).await.unwrap();
    add_campaign(t, "Brit", "Autumn", 2, &[UK_SENDER, UK_SENDER_2]).await.unwrap();
}

pub async fn add_account(t: &TestHub, name: &str, auto_opt_outs: bool) -> optout_hub::Result<optout_hub::Account> {
    let request = optout_hub::NewAccount { command_id: Uuid::new_v4(), name: name.into(), auto_opt_outs };
    t.hub.add_account(&admin(), &request).await
}

pub async fn add_campaign(
    t: &TestHub,
    account: &str,
    name: &str,
    provider: u8,
    senders: &[&str],
) -> optout_hub::Result<optout_hub::Campaign> {
    let request = optout_hub::NewCampaign {
        command_id: Uuid::new_v4(),
        account: account.into(),
        name: name.into(),
        provider,
        sender_numbers: senders.iter().map(|s| (*s).to_owned()).collect(),
    };
    t.hub.add_campaign(&admin(), &request).await
}

pub async fn settings(t: &TestHub, account: &str, settings: optout_hub::AccountSettings) -> optout_hub::Account {
    t.hub.update_account(&admin(), account, &settings).await.unwrap()
}

pub async fn token(t: &TestHub, name: &str, role: optout_hub::Role) -> String {
    t.hub.create_token(&admin(), name, role).await.unwrap().1
}

pub async fn text(t: &TestHub, sender: &str, contact: &str) {
    t.hub
        .ingest_outgoing(&OutgoingMessage {
            provider_message_id: Uuid::new_v4().to_string(),
            sender_phone: sender.into(),
            contact_phone: contact.into(),
            contact_name: Some("Sam".into()),
            body: "Hi Sam, can we count on your vote?".into(),
            at: None,
        })
        .await
        .unwrap();
}

/// A reply under the provider message id `id`, arriving now, with no action of the provider's.
pub fn incoming(id: &str, sender: &str, contact: &str, body: &str) -> IncomingReply {
    IncomingReply {
        provider_message_id: id.into(),
        sender_phone: sender.into(),
        contact_phone: contact.into(),
        body: body.into(),
        at: None,
        provider_action: None,
    }
}

pub async fn reply(t: &TestHub, sender: &str, contact: &str, body: &str) -> optout_hub::ReplyOutcome {
    t.hub.ingest_reply(&incoming(&Uuid::new_v4().to_string(), sender, contact, body)).await.unwrap().reply.unwrap()
}

pub fn opt_out_request(account: &str, phone: &str, reason: &str) -> OptOutRequest {
    OptOutRequest {
        command_id: Uuid::new_v4(),
        account: account.into(),
        phone: phone.into(),
        region: Region::US,
        reason: reason.into(),
        message: None,
        source: Source::Manual,
    }
}

pub fn opt_in_request(account: &str, phone: &str, opt_out_id: i64) -> OptInRequest {
    OptInRequest {
        command_id: Uuid::new_v4(),
        account: account.into(),
        phone: phone.into(),
        region: Region::US,
        opt_out_id,
        overrides_request_id: None,
        reason: "Replied STOP to a friend's text by mistake; asked us by email to resume".into(),
    }
}

pub fn admin() -> Actor {
    Actor::admin("ada@example.org")
}
