//! Review flags: the log's line when one is raised, and clearing them.

use crate::feed::{Changed, ReviewFlag};
use crate::store::{Audit, Write};
use crate::Result;

/// The review log's line for a flag raised: the rules flagged a reply for an admin.
pub(crate) fn log_flag(
    write: &mut Write<'_>,
    account_id: i64,
    contact: &str,
    sender: &str,
    reason: &str,
    reply: &str,
) -> Result<()> {
    write.audit(&Audit {
        at: write.now,
        actor: "rules",
        action: "review_raised",
        account_id: Some(account_id),
        phone: contact,
        sender_phone: Some(sender),
        source: "keyword_reply",
        evidence: Some(reply),
        reason,
        ..Audit::default()
    })
}

/// Clears a conversation's flag, says so on the feed with who settled it, and logs what they
/// decided.
pub(crate) async fn clear_flag(write: &mut Write<'_>, conversation_id: i64, by: &str, decided: &str) -> Result<()> {
    let flagged: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT k.account_id, v.contact_phone, v.sender_phone FROM conversations v \
         JOIN campaigns k ON k.id = v.campaign_id WHERE v.id = $1 AND v.review_reason IS NOT NULL",
    )
    .bind(conversation_id)
    .fetch_optional(&mut *write.tx)
    .await?;
    sqlx::query(
        "UPDATE conversations SET review_reason = NULL, review_raised_at = NULL, review_due_at = NULL WHERE id = $1",
    )
    .bind(conversation_id)
    .execute(&mut *write.tx)
    .await?;
    if let Some((account_id, contact, sender)) = flagged {
        write.audit(&Audit {
            at: write.now,
            actor: by,
            action: "review_settled",
            account_id: Some(account_id),
            phone: &contact,
            sender_phone: Some(&sender),
            source: "admin",
            reason: decided,
            ..Audit::default()
        })?;
    }
    write.publish(&Changed::Review(ReviewFlag {
        conversation_id,
        review_reason: None,
        settled_by: Some(by.to_owned()),
        raised_at: None,
        due_at: None,
    }))?;
    Ok(())
}

/// Clears the flags of a contact's conversations in one account: once they are opted out, there
/// is nothing left to review.
pub(crate) async fn clear_flags_of(write: &mut Write<'_>, account_id: i64, phone: &str, by: &str) -> Result<()> {
    let flagged: Vec<i64> = sqlx::query_scalar(
        "SELECT v.id FROM conversations v JOIN campaigns k ON k.id = v.campaign_id \
         WHERE v.contact_phone = $1 AND k.account_id = $2 AND v.review_reason IS NOT NULL ORDER BY v.id",
    )
    .bind(phone)
    .bind(account_id)
    .fetch_all(&mut *write.tx)
    .await?;
    for id in flagged {
        clear_flag(write, id, by, "opted the contact out").await?;
    }
    Ok(())
}
