//! What a reply does at the provider: a block on the sender number it was sent to, lifted by
//! START, each in the audit log and on the feed.

use crate::feed::Changed;
use crate::model::ProviderBlock;
use crate::store::{Audit, Write};
use crate::Result;

use super::batch::Route;
use super::known::Known;

pub(super) async fn block(
    write: &mut Write<'_>,
    known: &mut Known,
    route: &Route,
    sender: &str,
    contact: &str,
    message_id: Option<i64>,
    body: &str,
) -> Result<Option<ProviderBlock>> {
    if known.blocked(sender, contact) {
        return Ok(None);
    }
    known.set_blocked(sender, contact, true);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO provider_blocks (sender_phone, contact_phone, message_id, created_at) VALUES ($1, $2, $3, $4) \
         RETURNING id",
    )
    .bind(sender)
    .bind(contact)
    .bind(message_id)
    .bind(write.now)
    .fetch_one(&mut *write.tx)
    .await?;
    audit_block(write, route, "provider_block", sender, contact, body, "The provider blocks the sender number").await?;
    let block = ProviderBlock {
        id,
        sender_phone: sender.to_owned(),
        contact_phone: contact.to_owned(),
        created_at: crate::model::time(write.now)?,
        lifted_at: None,
    };
    write.publish(&Changed::ProviderBlock(block.clone()))?;
    Ok(Some(block))
}

pub(super) async fn unblock(
    write: &mut Write<'_>,
    known: &mut Known,
    route: &Route,
    sender: &str,
    contact: &str,
    body: &str,
) -> Result<bool> {
    if !known.blocked(sender, contact) {
        return Ok(false);
    }
    known.set_blocked(sender, contact, false);
    let lifted: Option<(i64, i64)> = sqlx::query_as(
        "UPDATE provider_blocks SET lifted_at = $1 WHERE contact_phone = $2 AND sender_phone = $3 \
         AND lifted_at IS NULL RETURNING id, created_at",
    )
    .bind(write.now)
    .bind(contact)
    .bind(sender)
    .fetch_optional(&mut *write.tx)
    .await?;
    let Some((id, created_at)) = lifted else { return Ok(false) };
    audit_block(write, route, "provider_unblock", sender, contact, body, "The contact resubscribed at the provider")
        .await?;
    let block = ProviderBlock {
        id,
        sender_phone: sender.to_owned(),
        contact_phone: contact.to_owned(),
        created_at: crate::model::time(created_at)?,
        lifted_at: Some(crate::model::time(write.now)?),
    };
    write.publish(&Changed::ProviderBlock(block.clone()))?;
    Ok(true)
}

async fn audit_block(
    write: &mut Write<'_>,
    route: &Route,
    action: &str,
    sender: &str,
    contact: &str,
    body: &str,
    reason: &str,
) -> Result<()> {
    write.audit(&Audit {
        at: write.now,
        actor: "provider",
        action,
        account_id: Some(route.account.id),
        phone: contact,
        sender_phone: Some(sender),
        source: "keyword_reply",
        evidence: Some(body),
        reason,
        ..Audit::default()
    })
}
