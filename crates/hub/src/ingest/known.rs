//! What the record says, when a batch begins to act, about the contacts whose replies it decides:
//! their opt-outs in force, the provider blocks in force on their sender numbers, and which of
//! their conversations wait for review. Read in three statements for the whole batch and kept
//! true as the batch acts, so that deciding a reply asks the database nothing. Writers take
//! turns (see `store::Write`): nothing else changes these rows while the batch runs.
//!
//! The review flags the batch raises are written at its end, in one statement: a batch of the
//! demo's traffic raised one for every sixth reply, a statement each.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::model::OptOut;
use crate::records::{clear_flags_of, in_force_for, insert_opt_out, record_request, Asked, NewOptOut};
use crate::store::{insert_rows, Bind, Write};
use crate::Result;

#[derive(Default)]
pub(super) struct Known {
    /// Opt-outs in force, by account id and contact.
    opt_outs: HashMap<(i64, String), OptOut>,
    /// Provider blocks in force, by sender number and contact.
    blocks: HashSet<(String, String)>,
    /// The accounts and contacts with a conversation flagged for review.
    flagged: HashSet<(i64, String)>,
    /// The flags raised in this batch and not yet written, in order, by account and contact.
    raised: Vec<(i64, String, Flag)>,
}

/// A review flag raised on a conversation.
pub(super) struct Flag {
    pub(super) conversation_id: i64,
    pub(super) reason: &'static str,
    pub(super) raised: DateTime<Utc>,
    pub(super) due: DateTime<Utc>,
}

impl Known {
    /// Reads what the record says about `contacts`.
    pub(super) async fn read(write: &mut Write<'_>, contacts: &[&str]) -> Result<Known> {
        if contacts.is_empty() {
            return Ok(Known::default());
        }
        let list = serde_json::to_string(contacts)?;
        let opt_outs = in_force_for(write, &list)
            .await?
            .into_iter()
            .map(|(account_id, opt_out)| ((account_id, opt_out.phone.clone()), opt_out))
            .collect::<HashMap<_, _>>();
        let blocks: Vec<(String, String)> = sqlx::query_as(&format!(
            "SELECT b.sender_phone, b.contact_phone FROM {} JOIN provider_blocks b ON b.contact_phone = n.value \
             WHERE b.lifted_at IS NULL",
            write.backend.json_texts("$1")
        ))
        .bind(&list)
        .fetch_all(&mut *write.tx)
        .await?;
        let flagged: Vec<(i64, String)> = sqlx::query_as(&format!(
            "SELECT k.account_id, v.contact_phone FROM {} JOIN conversations v ON v.contact_phone = n.value \
             JOIN campaigns k ON k.id = v.campaign_id WHERE v.review_reason IS NOT NULL",
            write.backend.json_texts("$1")
        ))
        .bind(&list)
        .fetch_all(&mut *write.tx)
        .await?;
        Ok(Known {
            opt_outs,
            blocks: blocks.into_iter().collect(),
            flagged: flagged.into_iter().collect(),
            raised: Vec::new(),
        })
    }

    pub(super) fn opt_out(&self, account_id: i64, contact: &str) -> Option<&OptOut> {
        self.opt_outs.get(&(account_id, contact.to_owned()))
    }

    pub(super) fn blocked(&self, sender: &str, contact: &str) -> bool {
        self.blocks.contains(&(sender.to_owned(), contact.to_owned()))
    }

    /// Notes a block made (`true`) or lifted.
    pub(super) fn set_blocked(&mut self, sender: &str, contact: &str, blocked: bool) {
        let key = (sender.to_owned(), contact.to_owned());
        if blocked {
            self.blocks.insert(key);
        } else {
            self.blocks.remove(&key);
        }
    }

    /// Raises a flag, written with the batch's others by [`Known::write_flags`].
    pub(super) fn flag(&mut self, account_id: i64, contact: &str, flag: Flag) {
        self.flagged.insert((account_id, contact.to_owned()));
        self.raised.push((account_id, contact.to_owned(), flag));
    }

    /// Writes the flags raised so far, or only those of one account and contact; a flag raised
    /// twice on a conversation is written as it was raised last.
    pub(super) async fn write_flags(&mut self, write: &mut Write<'_>, only: Option<(i64, &str)>) -> Result<()> {
        let raised = std::mem::take(&mut self.raised);
        let (mine, others): (Vec<_>, Vec<_>) = raised
            .into_iter()
            .partition(|(account_id, contact, _)| only.is_none_or(|(a, c)| a == *account_id && c == contact));
        self.raised = others;
        let mut last = HashMap::new();
        for (i, (_, _, flag)) in mine.iter().enumerate() {
            last.insert(flag.conversation_id, i);
        }
        let values: Vec<Bind<'_>> = mine
            .iter()
            .enumerate()
            .filter(|(i, (_, _, flag))| last[&flag.conversation_id] == *i)
            .flat_map(|(_, (_, _, flag))| {
                [
                    Bind::Int(Some(flag.conversation_id)),
                    Bind::Text(Some(flag.reason)),
                    Bind::Int(Some(flag.raised.timestamp_micros())),
                    Bind::Int(Some(flag.due.timestamp_micros())),
                ]
            })
            .collect();
        let head = "WITH f (id, reason, raised, due) AS (";
        let tail = ") UPDATE conversations SET review_reason = f.reason, review_raised_at = f.raised, \
                    review_due_at = f.due FROM f WHERE conversations.id = f.id";
        insert_rows(&mut write.tx, write.backend, head, tail, 4, &values).await?;
        Ok(())
    }

    /// A request to stop: a new opt-out that settles the contact's flags, or, when one is in
    /// force, the request kept against it (as `records::request_to_stop` does).
    pub(super) async fn stop(&mut self, write: &mut Write<'_>, new: NewOptOut<'_>) -> Result<Asked> {
        let account_id = new.account.id;
        if let Some(opt_out) = self.opt_out(account_id, new.phone).cloned() {
            let request = record_request(write, &opt_out, &new).await?;
            return Ok(Asked { opt_out, created: false, request: Some(request) });
        }
        let opt_out = insert_opt_out(write, &new).await?;
        if self.flagged.remove(&(account_id, new.phone.to_owned())) {
            self.write_flags(write, Some((account_id, new.phone))).await?;
            clear_flags_of(write, account_id, new.phone, new.actor).await?;
        }
        self.opt_outs.insert((account_id, new.phone.to_owned()), opt_out.clone());
        Ok(Asked { opt_out, created: true, request: None })
    }
}
