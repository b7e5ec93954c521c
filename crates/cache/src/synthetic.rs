//! A hub that makes its feed as it is read, for benchmarks and tests at scale: three accounts
//! and their campaigns, then for each contact a conversation, a reply, and an opt-out (two in
//! three) or an outgoing message (one in three). Nothing of a real hub's cost is in it, so what
//! is measured through it is the cache's own work.

use chrono::{TimeZone, Utc};
use optout_hub::{Actor, Change};
use serde_json::json;

use optout_client::{Answer, Command, Error, ImportRequest, Link, Page, Result, When};

/// The synthetic organisation's accounts.
pub const ACCOUNTS: [&str; 3] = ["Northside Tenants Union", "Vote Forward Ohio", "Clean Rivers UK"];
const HEADER: i64 = 6;
const PER_CONTACT: i64 = 3;

/// A hub that makes its feed as it is read: three accounts and campaigns, then for each contact
/// a conversation, a reply and (for two in three) an opt-out, or (for one in three) an outgoing
/// message instead.
pub struct SyntheticHub {
    contacts: i64,
}

/// The `n`th contact's number: valid US numbers, all different.
pub fn phone(n: i64) -> String {
    format!("+1201{}{:06}", 2 + (n / 1_000_000) % 8, n % 1_000_000)
}

impl SyntheticHub {
    /// A hub of `contacts` contacts.
    pub fn new(contacts: i64) -> SyntheticHub {
        SyntheticHub { contacts }
    }

    /// The last change's sequence number.
    pub fn head(&self) -> i64 {
        HEADER + PER_CONTACT * self.contacts
    }

    /// The change at `seq`, made anew each time it is asked for.
    pub fn change(&self, seq: i64) -> Change {
        let at = Utc.timestamp_opt(1_790_000_000 + seq, 0).single().unwrap_or_default();
        let (kind, payload) = if seq <= 3 {
            let name = ACCOUNTS[(seq - 1) as usize];
            (
                "account",
                json!({"id": seq, "name": name, "auto_opt_outs": seq == 1, "confirmation_message": "You're unsubscribed.",
                "default_opt_out_message": "Understood.", "created_at": at}),
            )
        } else if seq <= HEADER {
            let n = seq - 3;
            (
                "campaign",
                json!({"id": n, "account": ACCOUNTS[(n - 1) as usize], "name": format!("Campaign {n}"),
                "provider": if n == 3 { 2 } else { 1 }, "active": true, "sender_numbers": [format!("+1201555010{n}")]}),
            )
        } else {
            let contact = (seq - HEADER - 1) / PER_CONTACT;
            let account = (contact % 3) + 1;
            let sender = format!("+1201555010{account}");
            match (seq - HEADER - 1) % PER_CONTACT {
                0 => (
                    "conversation",
                    json!({"id": contact + 1, "campaign_id": account, "account": ACCOUNTS[(account - 1) as usize],
                    "sender_phone": sender, "contact_phone": phone(contact), "contact_name": "Sam"}),
                ),
                1 => (
                    "message",
                    json!({"id": contact + 1, "conversation_id": contact + 1, "direction": "incoming",
                    "body": if contact % 3 == 2 { "See you Saturday" } else { "STOP" }, "at": at}),
                ),
                _ if contact % 3 == 2 => (
                    "message",
                    json!({"id": 10_000_000 + contact, "conversation_id": contact + 1,
                    "direction": "outgoing", "body": "Great, thanks!", "at": at}),
                ),
                _ => (
                    "opt_out",
                    json!({"id": contact + 1, "account": ACCOUNTS[(account - 1) as usize], "phone": phone(contact),
                    "source": if contact % 2 == 0 { "keyword_reply" } else { "import" }, "actor": "rules",
                    "reason": "Replied STOP", "evidence": "STOP", "sender_phone": sender, "rule": "automatic_opt_out",
                    "created_at": at, "reversed_by": null}),
                ),
            }
        };
        Change {
            seq,
            at,
            kind: kind.to_owned(),
            payload: serde_json::value::to_raw_value(&payload).expect("a literal"),
        }
    }
}

impl Link for SyntheticHub {
    fn hub(&self) -> String {
        "synthetic".into()
    }

    async fn whoami(&self) -> Result<Actor> {
        Ok(Actor::admin("bench"))
    }

    async fn changes(&self, cursor: i64, limit: u32) -> Result<Page> {
        let last = (cursor + i64::from(limit)).min(self.head());
        Ok(Page { changes: (cursor + 1..=last).map(|seq| self.change(seq)).collect(), head: self.head() })
    }

    async fn send(&self, _: &Command) -> Result<Answer> {
        Err(Error::Unreachable("a synthetic hub takes no commands".into()))
    }

    async fn accounts(&self) -> Result<Vec<optout_hub::Account>> {
        Err(Error::Unreachable("a synthetic hub is read through its feed only".into()))
    }

    async fn campaigns(&self, _: Option<&str>) -> Result<Vec<optout_hub::Campaign>> {
        Err(Error::Unreachable("a synthetic hub is read through its feed only".into()))
    }

    async fn tokens(&self) -> Result<Vec<optout_hub::Token>> {
        Err(Error::Unreachable("a synthetic hub is read through its feed only".into()))
    }

    async fn lookup(&self, _: &str, _: optout_hub::Region) -> Result<optout_hub::Lookup> {
        Err(Error::Unreachable("a synthetic hub is read through its feed only".into()))
    }

    async fn providers(&self) -> Result<Vec<optout_hub::ProviderConnection>> {
        Err(Error::Unreachable("a synthetic hub is read through its feed only".into()))
    }

    async fn set_provider(&self, _: &optout_hub::ProviderSetup) -> Result<optout_hub::ProviderConnection> {
        Err(Error::Unreachable("a synthetic hub takes no commands".into()))
    }

    async fn review_log(&self, _: Option<When>, _: Option<When>) -> Result<String> {
        Err(Error::Unreachable("a synthetic hub is read through its feed only".into()))
    }

    async fn import(&self, _: &std::path::Path, _: &ImportRequest<'_>) -> Result<optout_hub::ImportSummary> {
        Err(Error::Unreachable("a synthetic hub takes no commands".into()))
    }

    async fn export(&self, _: &optout_hub::OptOutFilter, _: &std::path::Path) -> Result<u64> {
        Err(Error::Unreachable("a synthetic hub is read through its feed only".into()))
    }
}
