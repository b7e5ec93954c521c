//! A send the provider refused because the contact opted out with it: the provider's own word
//! that it blocks the sender number. The hub records the block and then applies the account's
//! rule for a blocked send, the deferred case of the rules' table: the account opts the contact
//! out now. Whatever the campaign's provider number says: Twilio, for one, blocks US numbers too.

use serde::{Deserialize, Serialize};

use super::batch::{Batch, Route};
use super::blocks::block;
use super::rows::{self, Wanted};
use super::{Ingested, RefusedSend};
use crate::model::{ProviderBlock, Source, StopRequest};
use crate::records::NewOptOut;
use crate::store::Write;
use crate::Result;

/// What the hub recorded for a send the provider refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedOutcome {
    /// The provider's block recorded now; `None` when one was in force already.
    pub provider_block: Option<ProviderBlock>,
    /// The account's opt-out in force: new, or the one that already was.
    pub opt_out_id: i64,
    /// The request kept against the opt-out already in force, when there was one.
    pub stop_request: Option<StopRequest>,
}

pub(super) async fn ingest_refused(
    write: &mut Write<'_>,
    batch: &mut Batch,
    route: Route,
    (sender, contact): (&str, &str),
    refused: &RefusedSend,
) -> Result<Ingested> {
    let (sender, contact) = (sender.to_owned(), contact.to_owned());
    let wanted = [Wanted { sender: &sender, contact: &contact, name: None, route: &route }];
    rows::conversations(write, batch, &wanted).await?;
    let known = batch.conversations[&(sender.clone(), contact.clone())];
    let route =
        if known.campaign_id == route.campaign_id { route } else { batch.campaign(write, known.campaign_id).await? };
    // The message refused, when the hub has it.
    let message_id: Option<i64> = sqlx::query_scalar("SELECT id FROM messages WHERE provider_message_id = $1")
        .bind(&refused.provider_message_id)
        .fetch_optional(&mut *write.tx)
        .await?;
    let code = refused.error_code.as_deref().unwrap_or("no code");
    let evidence = format!("{} refused the send ({code}): the recipient opted out there", refused.provider);
    let provider_block = block(write, &mut batch.known, &route, &sender, &contact, message_id, &evidence).await?;
    let reason =
        format!("A send from {sender} was blocked by {}: the contact opted out with the provider", refused.provider);
    let asked = batch
        .known
        .stop(
            write,
            NewOptOut {
                account: &route.account,
                phone: &contact,
                source: Source::ProviderBlock,
                actor: "rules",
                reason: &reason,
                evidence: Some(&evidence),
                message_id,
                sender_phone: Some(&sender),
                rule: Some("deferred_opt_out"),
                rule_set: None,
                command_id: None,
            },
        )
        .await?;
    let outcome = RefusedOutcome { provider_block, opt_out_id: asked.opt_out.id, stop_request: asked.request };
    Ok(Ingested { message_id: message_id.unwrap_or(0), conversation_id: known.id, reply: None, refused: Some(outcome) })
}
