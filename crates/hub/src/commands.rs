//! Commands that run once: the client names each with an id, and a replay of the same id and
//! request gets the first answer back.

use serde::de::DeserializeOwned;
use serde::Serialize;
use uuid::Uuid;

use crate::feed::{Changed, CommandAnswer, CommandSettled, RefusalCode};
use crate::store::Write;
use crate::{Error, Hub, Refusal, Result};

/// Runs a command once: a replay of the same id and request gets the first answer back, and
/// changes nothing.
pub(crate) async fn once<Req, Out>(
    hub: &Hub,
    id: Uuid,
    kind: &str,
    request: &Req,
    run: impl AsyncFnOnce(&mut Write<'_>) -> Result<Out>,
) -> Result<Out>
where
    Req: Serialize,
    Out: Serialize + DeserializeOwned,
{
    let request = serde_json::to_string(request)?;
    let mut write = hub.write().await?;
    let stored: Option<(String, String, String)> =
        sqlx::query_as("SELECT kind, request, outcome FROM commands WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *write.tx)
            .await?;
    if let Some((stored_kind, stored_request, outcome)) = stored {
        if stored_kind != kind || stored_request != request {
            return Err(Error::CommandReused(id));
        }
        // A stored code this hub does not know is a corrupt record, never some other refusal.
        let answer: CommandAnswer<Out, Refusal> = serde_json::from_str(&outcome)
            .map_err(|e| Error::Corrupt(format!("the stored answer to command {id}: {e}")))?;
        return match answer {
            CommandAnswer::Done(out) => Ok(out),
            CommandAnswer::Refused { code, message } => Err(Error::Refused { code, message }),
        };
    }
    let result = run(&mut write).await;
    let answer: CommandAnswer<&Out, Refusal> = match &result {
        Ok(out) => CommandAnswer::Done(out),
        Err(Error::Refused { code, message }) => CommandAnswer::Refused { code: *code, message: message.clone() },
        // Bad input and storage failures are not answers: nothing is kept, and a retry runs anew.
        Err(_) => return result,
    };
    let outcome = serde_json::to_string(&answer)?;
    sqlx::query("INSERT INTO commands (id, kind, request, outcome, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id.to_string())
        .bind(kind)
        .bind(&request)
        .bind(&outcome)
        .bind(write.now)
        .execute(&mut *write.tx)
        .await?;
    let answer = match answer {
        CommandAnswer::Done(out) => CommandAnswer::Done(serde_json::to_value(out)?),
        CommandAnswer::Refused { code, message } => CommandAnswer::Refused { code: RefusalCode::Known(code), message },
    };
    write.publish(&Changed::Command(CommandSettled { id, kind: kind.to_owned(), answer }))?;
    write.commit().await?;
    result
}
