//! The demo's admins keep up with the review queue: a flag older than a week was settled the day
//! after it was raised. A request to stop in the contact's own words became a manual opt-out;
//! any other flag was dismissed. Written a statement per kind of row, not a command per flag,
//! so that a demo of a million contacts settles its hundred thousand old flags in seconds.

use crate::feed::{Changed, ReviewFlag};
use crate::records::{opt_out_from, OPT_OUT_COLUMNS};
use crate::store::Write;
use crate::Result;

const DAY: i64 = 86_400_000_000;
const ASKED: &str = "Asked to stop in their own words";

/// Settles the flags raised before `cutoff` (microseconds), as `admin`.
pub(super) async fn settle_flags_before(write: &mut Write<'_>, cutoff: i64, admin: &str) -> Result<()> {
    write.write_audit().await?;
    let before: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM opt_outs").fetch_one(&mut *write.tx).await?;
    // One opt-out per contact and account, for the contact's latest reply in its oldest flagged
    // conversation.
    sqlx::query(
        "INSERT INTO opt_outs (account_id, phone, source, actor, reason, evidence, message_id, sender_phone, \
         created_at) \
         SELECT f.account_id, f.phone, 'manual', $1, $2, m.body, m.id, v.sender_phone, v.review_raised_at + $3 \
         FROM (SELECT k.account_id, v.contact_phone AS phone, MIN(v.id) AS conversation_id \
               FROM conversations v JOIN campaigns k ON k.id = v.campaign_id \
               WHERE v.review_reason = 'opt_out_request' AND v.review_raised_at < $4 \
               GROUP BY k.account_id, v.contact_phone) f \
         JOIN conversations v ON v.id = f.conversation_id \
         JOIN messages m ON m.id = (SELECT MAX(id) FROM messages WHERE conversation_id = v.id AND direction = 'incoming') \
         WHERE NOT EXISTS (SELECT 1 FROM opt_outs o WHERE o.account_id = f.account_id AND o.phone = f.phone \
                           AND o.reversed_at IS NULL) \
         ORDER BY v.review_raised_at, v.id",
    )
    .bind(admin)
    .bind(ASKED)
    .bind(DAY)
    .bind(cutoff)
    .execute(&mut *write.tx)
    .await?;
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, account_id, phone, sender_phone, source, evidence, reason, opt_out_id) \
         SELECT created_at, actor, 'opt_out', account_id, phone, sender_phone, source, evidence, reason, id \
         FROM opt_outs WHERE id > $1 ORDER BY id",
    )
    .bind(before)
    .execute(&mut *write.tx)
    .await?;
    let made = sqlx::query(&format!("SELECT {OPT_OUT_COLUMNS} WHERE o.id > $1 ORDER BY o.id"))
        .bind(before)
        .fetch_all(&mut *write.tx)
        .await?;
    for row in &made {
        write.publish(&Changed::OptOut(opt_out_from(row)?))?;
    }
    // Then every old flag settled, with its line in the review log.
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, account_id, phone, sender_phone, source, reason) \
         SELECT v.review_raised_at + $1, $2, 'review_settled', k.account_id, v.contact_phone, v.sender_phone, 'admin', \
         CASE v.review_reason WHEN 'opt_out_request' THEN 'opted the contact out' \
         ELSE 'dismissed the flag: the reply asks for nothing' END \
         FROM conversations v JOIN campaigns k ON k.id = v.campaign_id \
         WHERE v.review_reason IS NOT NULL AND v.review_raised_at < $3 ORDER BY v.review_raised_at, v.id",
    )
    .bind(DAY)
    .bind(admin)
    .bind(cutoff)
    .execute(&mut *write.tx)
    .await?;
    let settled: Vec<i64> = sqlx::query_scalar(
        "UPDATE conversations SET review_reason = NULL, review_raised_at = NULL, review_due_at = NULL \
         WHERE review_reason IS NOT NULL AND review_raised_at < $1 RETURNING id",
    )
    .bind(cutoff)
    .fetch_all(&mut *write.tx)
    .await?;
    for conversation_id in settled {
        write.publish(&Changed::Review(ReviewFlag {
            conversation_id,
            review_reason: None,
            settled_by: Some(admin.to_owned()),
            raised_at: None,
            due_at: None,
        }))?;
    }
    Ok(())
}
