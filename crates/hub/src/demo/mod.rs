//! A realistic demo organisation, built through the same ingest path as real traffic.

use chrono::{Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::phone::Region;
use crate::store::Bulk;
use crate::{Actor, Hub, NewAccount, NewCampaign, OptInRequest, OptOutRequest, Result, Source};

mod settle;
mod traffic;
use traffic::{contact_phone, Answer, Dice, FIRST_NAMES, PLAN};
pub use traffic::{DemoContact, DemoTraffic};

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

/// The events the demo ingests to a transaction. A batch dirties pages all over the phone-keyed
/// indexes, and each dirty page is written to the WAL and again to the database once a batch:
/// at a million contacts, batches of 32,000 wrote 7.7 GB where 4,000 wrote 27 GB, and took 134 s
/// instead of 189 s (bench/RESULTS.md, "Settings the code chose by measuring").
const BATCH_EVENTS: usize = 32_000;

/// The demo's admin, who acts on its review queue.
const ADMIN: &str = "demo admin";

impl Hub {
    /// The demo's accounts, campaigns and sender numbers, with no traffic yet.
    ///
    /// # Errors
    /// As [`Hub::add_account`] and [`Hub::add_campaign`]; [`crate::Error::AlreadyExists`] when
    /// the hub already has them.
    pub async fn add_demo_organisation(&self) -> Result<()> {
        let setup = Actor::admin(ADMIN);
        for (account, auto, provider, campaign, senders) in PLAN {
            let new = NewAccount { command_id: Uuid::new_v4(), name: account.to_owned(), auto_opt_outs: auto };
            self.add_account(&setup, &new).await?;
            let new = NewCampaign {
                command_id: Uuid::new_v4(),
                account: account.to_owned(),
                name: campaign.to_owned(),
                provider,
                sender_numbers: senders.map(str::to_owned).to_vec(),
            };
            self.add_campaign(&setup, &new).await?;
        }
        Ok(())
    }

    /// Builds a demo organisation: three accounts (two in the US, one in the UK, with automatic
    /// opt-outs on in one), their campaigns, and `contacts` conversations over the last 90 days
    /// whose replies go through ingest, so that opt-outs of every source exist: keyword replies,
    /// provider blocks (after a blocked send), manual opt-outs, a list imported on a few days,
    /// opt-ins, and review flags: those older than a week settled, the others waiting.
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
        self.add_demo_organisation().await?;
        let now = Utc::now();
        let mut traffic = DemoTraffic::new(seed, contacts, now);
        let mut summary = DemoSummary { accounts: PLAN.len() as u64, contacts, ..Default::default() };
        let (mut blocked, mut manual) = (Vec::new(), Vec::new());
        let mut events = Vec::with_capacity(BATCH_EVENTS + 2);
        let mut done = 0;
        let recent = now - Duration::days(7);
        // A new organisation's traffic is one long run of large writes, as an import is.
        let mut bulk = Bulk::open(&self.pool, self.backend).await?;
        while let Some(contact) = traffic.next_contact(&mut events) {
            done += 1;
            if contact.provider == 2 && contact.answer == Answer::Keyword && blocked.len() < 50 {
                blocked.push(contact);
            } else if contact.answer == Answer::Request && contact.last_at >= recent && manual.len() < 20 {
                manual.push(contact);
            }
            if events.len() >= BATCH_EVENTS {
                summary.messages += events.len() as u64;
                Hub::ingest_bulk(&mut bulk, &events).await?;
                events.clear();
                if !progress(done) {
                    return Err(crate::Error::Cancelled);
                }
            }
        }
        summary.messages += events.len() as u64;
        Hub::ingest_bulk(&mut bulk, &events).await?;
        bulk.finish().await?;
        drop(bulk);
        let mut write = self.write().await?;
        settle::settle_flags_before(&mut write, recent.timestamp_micros(), ADMIN).await?;
        write.commit().await?;
        // A texter tries to send again from a sender number the provider blocks: the deferred opt-out.
        for contact in &blocked {
            self.send_check(contact.account, &contact.sender, &contact.phone).await;
        }
        self.act_on_recent_requests(seed, &manual).await?;
        self.import_old_list(&mut traffic.dice, now).await?;
        let api = OptOutRequest {
            command_id: Uuid::from_u64_pair(seed, u64::MAX - 1),
            account: PLAN[0].0.to_owned(),
            phone: contact_phone(&mut traffic.dice, 1),
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

    /// Admins act on this week's requests to stop; a few opt-outs turn out to be mistakes.
    async fn act_on_recent_requests(&self, seed: u64, requests: &[DemoContact]) -> Result<()> {
        const MISTAKES: [&str; 3] = [
            "They meant another group's texts; confirmed by phone",
            "Their partner sent it from their phone; they asked to stay on",
            "Replied to the wrong thread; confirmed by email",
        ];
        let admin = Actor::admin(ADMIN);
        for (i, contact) in requests.iter().enumerate() {
            let outcome = self
                .opt_out(
                    &admin,
                    &OptOutRequest {
                        command_id: Uuid::from_u64_pair(seed, i as u64),
                        account: contact.account.to_owned(),
                        phone: contact.phone.clone(),
                        region: Region::US,
                        reason: "Asked to stop in their own words".to_owned(),
                        message: Some("Understood. We won't text you again.".to_owned()),
                        source: Source::Manual,
                    },
                )
                .await?;
            if let Some(reason) = MISTAKES.get(i) {
                self.opt_in(
                    &admin,
                    &OptInRequest {
                        command_id: Uuid::from_u64_pair(seed, u64::MAX - 2 - i as u64),
                        account: contact.account.to_owned(),
                        phone: contact.phone.clone(),
                        region: Region::US,
                        opt_out_id: outcome.opt_out.id,
                        overrides_request_id: None,
                        reason: (*reason).to_owned(),
                    },
                )
                .await?;
            }
        }
        Ok(())
    }

    /// A list brought over from the organisation's previous texting tool, with the day each
    /// number opted out there.
    async fn import_old_list(&self, dice: &mut Dice, now: chrono::DateTime<Utc>) -> Result<()> {
        let list = std::env::temp_dir().join(format!("optout-demo-{}.csv", Uuid::new_v4()));
        let mut csv = String::from("Name,Mobile,Opted out,Reason\n");
        for days in [80, 61, 33] {
            let date = (now - Duration::days(days)).format("%Y-%m-%d");
            for _ in 0..10 {
                csv.push_str(&format!(
                    "{},{},{date},Replied STOP in the old tool\n",
                    dice.pick(FIRST_NAMES),
                    contact_phone(dice, 1)
                ));
            }
        }
        std::fs::write(&list, csv).map_err(|source| crate::Error::File { path: list.clone(), source })?;
        let options = crate::ImportOptions {
            dry_run: false,
            account: PLAN[1].0.to_owned(),
            region: Region::US,
            column: None,
            batch_rows: crate::DEFAULT_BATCH_ROWS,
        };
        let imported = self.import_csv(&Actor::admin(ADMIN), &list, &options, |_| true).await;
        let _ = std::fs::remove_file(&list);
        imported.map(drop)
    }
}
