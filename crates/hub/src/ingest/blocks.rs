//! What a reply does at the provider: a block on the sender number it was sent to, lifted by
//! START, each in the audit log and on the feed.

use crate::feed::Changed;
use crate::model::ProviderBlock;
use crate::store::Write;
use crate::Result;

use super::batch::Route;

pub(super) async fn block_in_force(write: &mut Write<'_>, sender: &str, contact: &str) -> Result<bool> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM provider_blocks WHERE contact_phone = $1 AND sender_phone = $2 AND lifted_at IS NULL",
    )
    .bind(contact)
    .bind(sender)
    .fetch_optional(&mut *write.tx)
    .await?;
    Ok(id.is_some())
}

pub(super) async fn block(
    write: &mut Write<'_>,
    route: &Route,
    sender: &str,
    contact: &str,
    message_id: Option<i64>,
    body: &str,
) -> Result<Option<ProviderBlock>> {
    if block_in_force(write, sender, contact).await? {
        return Ok(None);
    }
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
    route: &Route,
    sender: &str,
    contact: &str,
    body: &str,
) -> Result<bool> {
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
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, account_id, phone, sender_phone, source, evidence, reason) \
         VALUES ($1, 'provider', $2, $3, $4, $5, 'keyword_reply', $6, $7)",
    )
    .bind(write.now)
    .bind(action)
    .bind(route.account.id)
    .bind(contact)
    .bind(sender)
    .bind(body)
    .bind(reason)
    .execute(&mut *write.tx)
    .await?;
    Ok(())
}
