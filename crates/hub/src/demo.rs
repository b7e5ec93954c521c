//! A realistic demo organisation, built through the same ingest path as real traffic.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::phone::{e164, Region};
use crate::{
    Actor, Event, Hub, IncomingReply, NewAccount, NewCampaign, OptInRequest, OptOutRequest, OutgoingMessage, Result,
    Source,
};

/// What the demo built.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoSummary {
    /// Accounts made.
    pub accounts: u64,
    /// Contacts texted.
    pub contacts: u64,
    /// Messages ingested, both ways.
    pub messages: u64,
    /// Opt-outs in force at the end.
    pub opt_outs: u64,
}

/// A small deterministic generator (SplitMix64): the same seed builds the same organisation.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const ORDINARY: &[&str] = &[
    "Yes!",
    "Count me in",
    "Who is this?",
    "Already voted 👍",
    "Thanks for the reminder",
    "What time is the meeting?",
    "Can't make it this week, sorry",
    "Sure, send me the details",
    "No thanks",
    "Maybe",
];
const KEYWORDS: &[&str] = &["STOP", "Stop", "stop.", "UNSUBSCRIBE", "End", "quit", "Cancel", "STOPALL"];
const REQUESTS: &[&str] = &[
    "please stop texting me",
    "Take me off your list",
    "Don't text me again",
    "Remove my number please",
    "stop texting me, these cost me money",
    "STOP STOP STOP",
];
const WRONG: &[&str] = &["Wrong number", "This isn't Maria", "new number, who dis", "You have the wrong person"];
const FIRST_NAMES: &[&str] =
    &["Sam", "Maria", "Jo", "Priya", "Tom", "Aisha", "Luis", "Mei", "Kofi", "Ruth", "Dan", "Ines"];
const US_AREAS: &[u64] = &[201, 212, 213, 305, 312, 404, 415, 503, 512, 614, 617, 702, 720, 813, 917];

struct Campaign {
    account: &'static str,
    provider: u8,
    senders: Vec<String>,
}

fn contact_phone(dice: &mut Dice, provider: u8) -> String {
    loop {
        let text = if provider == 2 {
            format!("+447{}{:08}", 4 + dice.below(6), dice.below(100_000_000))
        } else {
            let area = US_AREAS[dice.below(US_AREAS.len() as u64) as usize];
            format!("+1{area}{}{:04}", 200 + dice.below(800), dice.below(10_000))
        };
        if let Ok(number) = e164(&text, Region::US) {
            return number;
        }
    }
}

impl Hub {
    /// Builds a demo organisation: three accounts (two in the US, one in the UK, with automatic
    /// opt-outs on in one), their campaigns, and `contacts` conversations whose replies go through
    /// ingest, so that opt-outs of every source exist: keyword replies, provider blocks (after a
    /// blocked send), manual opt-outs, an opt-in, and review flags.
    ///
    /// # Errors
    /// As the operations it uses; [`crate::Error::AlreadyExists`] when the hub already has the
    /// demo accounts.
    pub async fn build_demo(
        &self,
        contacts: u64,
        seed: u64,
        mut progress: impl FnMut(u64) -> bool,
    ) -> Result<DemoSummary> {
        let mut dice = Dice(seed);
        let plan = [
            ("Northside Tenants Union", true, 1u8, "Rent Strike Turnout", ["+12015550100", "+12015550101"]),
            ("Vote Forward Ohio", false, 1, "Early Vote Reminders", ["+16145550102", "+16145550103"]),
            ("Clean Rivers UK", false, 2, "Petition Follow-up", ["+447400123456", "+447400123457"]),
        ];
        let mut campaigns = Vec::new();
        let setup = Actor::admin("demo admin");
        for (account, auto, provider, campaign, senders) in plan {
            let new = NewAccount { command_id: Uuid::new_v4(), name: account.to_owned(), auto_opt_outs: auto };
            self.add_account(&setup, &new).await?;
            let new = NewCampaign {
                command_id: Uuid::new_v4(),
                account: account.to_owned(),
                name: campaign.to_owned(),
                provider,
                sender_numbers: senders.map(str::to_owned).to_vec(),
            };
            let made = self.add_campaign(&setup, &new).await?;
            campaigns.push(Campaign { account, provider, senders: made.sender_numbers });
        }
        let mut summary = DemoSummary { accounts: campaigns.len() as u64, contacts, ..Default::default() };
        let mut blocked = Vec::new();
        let mut manual = Vec::new();
        let mut events = Vec::with_capacity(4096);
        for n in 0..contacts {
            let campaign = &campaigns[dice.below(campaigns.len() as u64) as usize];
            let sender = campaign.senders[dice.below(campaign.senders.len() as u64) as usize].clone();
            let phone = contact_phone(&mut dice, campaign.provider);
            let name = dice.pick(FIRST_NAMES);
            events.push(Event::Outgoing(OutgoingMessage {
                provider_message_id: format!("demo-{seed}-{n}-out"),
                sender_phone: sender.clone(),
                contact_phone: phone.clone(),
                contact_name: Some(name.to_owned()),
                body: format!("Hi {name}, it's the {} team. Can we count on you this Saturday?", campaign.account),
                at: None,
            }));
            let roll = dice.below(100);
            let replies: Vec<&str> = match roll {
                0..=39 => vec![],
                40..=69 => vec![dice.pick(ORDINARY)],
                70..=81 => vec![dice.pick(KEYWORDS)],
                82..=87 => vec![dice.pick(REQUESTS)],
                88..=91 => vec![dice.pick(WRONG)],
                _ => vec![dice.pick(ORDINARY), dice.pick(KEYWORDS)],
            };
            for (i, body) in replies.iter().enumerate() {
                events.push(Event::Reply(IncomingReply {
                    provider_message_id: format!("demo-{seed}-{n}-in-{i}"),
                    sender_phone: sender.clone(),
                    contact_phone: phone.clone(),
                    body: (*body).to_owned(),
                    at: None,
                    provider_action: None,
                }));
            }
            summary.messages += 1 + replies.len() as u64;
            if campaign.provider == 2 && (70..=81).contains(&roll) && blocked.len() < 50 {
                blocked.push((campaign.account, sender, phone.clone()));
            } else if (82..=87).contains(&roll) && manual.len() < 50 {
                manual.push((campaign.account, phone.clone()));
            }
            if events.len() >= 4000 {
                self.ingest_batch(&events).await?;
                events.clear();
                if !progress(n + 1) {
                    return Err(crate::Error::Cancelled);
                }
            }
        }
        self.ingest_batch(&events).await?;
        // A texter tries to send again from a sender number the provider blocks: the deferred opt-out.
        for (account, sender, phone) in &blocked {
            self.send_check(account, sender, phone).await;
        }
        // Admins act on the review queue; one opt-out turns out to be a mistake.
        let admin = Actor::admin("demo admin");
        for (i, (account, phone)) in manual.iter().enumerate() {
            let outcome = self
                .opt_out(
                    &admin,
                    &OptOutRequest {
                        command_id: Uuid::from_u64_pair(seed, i as u64),
                        account: (*account).to_owned(),
                        phone: phone.clone(),
                        region: Region::US,
                        reason: "Asked to stop in their own words".to_owned(),
                        message: Some("Understood. We won't text you again.".to_owned()),
                        source: Source::Manual,
                    },
                )
                .await?;
            if i == 0 {
                self.opt_in(
                    &admin,
                    &OptInRequest {
                        command_id: Uuid::from_u64_pair(seed, u64::MAX),
                        account: (*account).to_owned(),
                        phone: phone.clone(),
                        region: Region::US,
                        opt_out_id: outcome.opt_out.id,
                        overrides_request_id: None,
                        reason: "They meant another group's texts; confirmed by phone".to_owned(),
                    },
                )
                .await?;
            }
        }
        // A list brought over from the organisation's previous texting tool, and one opt-out
        // from another system through the API.
        let list = std::env::temp_dir().join(format!("optout-demo-{}.csv", uuid::Uuid::new_v4()));
        let mut csv = String::from("Name,Mobile\n");
        for _ in 0..25 {
            csv.push_str(&format!("{},{}\n", dice.pick(FIRST_NAMES), contact_phone(&mut dice, 1)));
        }
        std::fs::write(&list, csv).map_err(|source| crate::Error::File { path: list.clone(), source })?;
        let options = crate::ImportOptions {
            dry_run: false,
            account: "Vote Forward Ohio".to_owned(),
            region: Region::US,
            column: None,
            actor: "demo admin".to_owned(),
            batch_rows: crate::DEFAULT_BATCH_ROWS,
        };
        let imported = self.import_csv(&list, &options, |_| true).await;
        let _ = std::fs::remove_file(&list);
        imported?;
        let api = OptOutRequest {
            command_id: Uuid::from_u64_pair(seed, u64::MAX - 1),
            account: "Northside Tenants Union".to_owned(),
            phone: contact_phone(&mut dice, 1),
            region: Region::US,
            reason: "Unsubscribed on the website".to_owned(),
            message: None,
            source: Source::Api,
        };
        self.opt_out(&Actor::texter("website"), &api).await?;
        summary.opt_outs = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM opt_outs WHERE reversed_at IS NULL")
            .fetch_one(&self.pool)
            .await?
            .try_into()
            .unwrap_or_default();
        progress(contacts);
        Ok(summary)
    }
}
