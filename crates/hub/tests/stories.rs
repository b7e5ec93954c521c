//! The hub's stories, each run on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used)]

mod support;

use optout_hub::{
    AccountSettings, Actor, Error, Event, IncomingReply, OptInRequest, OptOutFilter, OptOutRequest, OutgoingMessage,
    Refusal, Region, Source,
};
use support::organisation::*;
use support::TestHub;

async fn keyword_as_first_response_opts_out_and_confirms(t: &TestHub) {
    organisation(t).await;
    text(t, US_SENDER, CONTACT).await;
    assert!(t.hub.send_check("Acme", US_SENDER, CONTACT).await.allowed);

    let outcome = reply(t, US_SENDER, CONTACT, "Stop.").await;
    let confirmation = outcome.confirmation.expect("Acme sends its own confirmation");
    assert_eq!(confirmation.contact_phone, CONTACT);
    assert_eq!(confirmation.sender_phone, US_SENDER);

    let check = t.hub.send_check("Acme", US_SENDER_2, "(201) 555-0123").await;
    assert!(!check.allowed, "the opt-out holds for every sender number of the account");
    assert_eq!(check.code, "opted_out");

    let lookup = t.hub.lookup(&admin(), CONTACT, Region::US).await.unwrap();
    let opt_out = lookup.accounts.iter().find(|a| a.account == "Acme").unwrap().opt_out.clone().unwrap();
    assert_eq!(opt_out.source, Source::KeywordReply);
    assert_eq!(opt_out.evidence.as_deref(), Some("Stop."));
    assert_eq!(opt_out.actor, "rules");
    let entry = lookup.history.iter().find(|e| e.action == "opt_out").unwrap();
    assert_eq!((entry.actor.as_str(), entry.source.as_str()), ("rules", "keyword_reply"));
    assert_eq!(entry.evidence.as_deref(), Some("Stop."));
    assert!(!entry.reason.is_empty());
    assert!(lookup.accounts.iter().find(|a| a.account == "Brit").unwrap().opt_out.is_none());
}

async fn a_reply_saying_texts_cost_money_gets_no_confirmation(t: &TestHub) {
    organisation(t).await;
    text(t, US_SENDER, CONTACT).await;
    let outcome = reply(t, US_SENDER, CONTACT, "STOP").await;
    assert!(outcome.confirmation.is_some());

    text(t, US_SENDER, "+12015550124").await;
    let outcome = reply(t, US_SENDER, "+12015550124", "stop, these texts cost me money").await;
    // Not a keyword (more than one word), so no automatic opt-out: flagged for review instead.
    assert_eq!(outcome.review_reason.as_deref(), Some("opt_out_request"));
    assert!(outcome.confirmation.is_none());

    settings(t, "Acme", AccountSettings { confirmation_message: Some(String::new()), ..Default::default() }).await;
    text(t, US_SENDER, "+12015550125").await;
    let outcome = reply(t, US_SENDER, "+12015550125", "END").await;
    assert!(outcome.opt_out_id.is_some());
    assert!(outcome.confirmation.is_none());
    assert_eq!(outcome.confirmation_withheld.as_deref(), Some("The account has no confirmation message."));
}

async fn provider_two_blocks_the_sender_and_sends_its_own_confirmation(t: &TestHub) {
    organisation(t).await;
    settings(t, "Brit", AccountSettings { auto_opt_outs: Some(true), ..Default::default() }).await;
    text(t, UK_SENDER, UK_CONTACT).await;
    let outcome = reply(t, UK_SENDER, "07911 123456", "optout").await;
    assert!(outcome.opt_out_id.is_some());
    assert!(outcome.provider_block.is_some());
    assert!(outcome.confirmation.is_none(), "the provider sends its own message");
    assert!(!t.hub.send_check("Brit", UK_SENDER_2, UK_CONTACT).await.allowed);
}

async fn deferred_opt_out_when_a_blocked_sender_tries_again(t: &TestHub) {
    organisation(t).await;
    text(t, UK_SENDER, UK_CONTACT).await;
    let outcome = reply(t, UK_SENDER, UK_CONTACT, "STOP").await;
    assert!(outcome.opt_out_id.is_none(), "automatic opt-outs are off for Brit");
    assert!(outcome.opt_out_deferred);
    assert!(outcome.provider_block.is_some());
    assert_eq!(outcome.review_reason.as_deref(), Some("manual_opt_out"));

    let other = t.hub.send_check("Brit", UK_SENDER_2, UK_CONTACT).await;
    assert!(other.allowed, "another sender number may still deliver: {other:?}");

    let same = t.hub.send_check("Brit", UK_SENDER, UK_CONTACT).await;
    assert!(!same.allowed);
    assert_eq!(same.code, "provider_block");
    let lookup = t.hub.lookup(&admin(), UK_CONTACT, Region::GB).await.unwrap();
    let opt_out = lookup.accounts.iter().find(|a| a.account == "Brit").unwrap().opt_out.clone().unwrap();
    assert_eq!(opt_out.source, Source::ProviderBlock);
    assert_eq!(opt_out.evidence.as_deref(), Some("STOP"));
    assert_eq!(same.opt_out_id, Some(opt_out.id));

    let other = t.hub.send_check("Brit", UK_SENDER_2, UK_CONTACT).await;
    assert_eq!(other.code, "opted_out", "now the account has opted the number out");

    // START lifts the provider's block, never the account's opt-out.
    let outcome = reply(t, UK_SENDER, UK_CONTACT, "START").await;
    assert!(outcome.provider_block_lifted);
    assert_eq!(t.hub.send_check("Brit", UK_SENDER, UK_CONTACT).await.code, "opted_out");

    // The history tells it in order: the provider's block, the account's opt-out, the lift.
    let history = t.hub.lookup(&admin(), UK_CONTACT, Region::GB).await.unwrap().history;
    let told: Vec<_> = history
        .iter()
        .filter(|e| ["provider_block", "opt_out", "provider_unblock"].contains(&e.action.as_str()))
        .map(|e| (e.actor.as_str(), e.opt_out_id))
        .collect();
    assert_eq!(told, [("provider", None), ("rules", Some(opt_out.id)), ("provider", None)]);
}

async fn a_keyword_after_the_first_response_asks_for_a_manual_opt_out(t: &TestHub) {
    organisation(t).await;
    text(t, US_SENDER, CONTACT).await;
    let first = reply(t, US_SENDER, CONTACT, "Who is this?").await;
    assert!(first.first_response);
    let later = reply(t, US_SENDER, CONTACT, "STOP").await;
    assert!(!later.first_response);
    assert!(later.opt_out_id.is_none());
    assert_eq!(later.review_reason.as_deref(), Some("manual_opt_out"));
    assert!(t.hub.send_check("Acme", US_SENDER, CONTACT).await.allowed, "nobody has opted them out yet");
    let lookup = t.hub.lookup(&admin(), CONTACT, Region::US).await.unwrap();
    assert_eq!(lookup.conversations[0].review_reason.as_deref(), Some("manual_opt_out"));
}

async fn plain_requests_and_wrong_numbers_are_flagged_not_opted_out(t: &TestHub) {
    organisation(t).await;
    text(t, US_SENDER, CONTACT).await;
    let outcome = reply(t, US_SENDER, CONTACT, "please take me off your list").await;
    assert_eq!(outcome.review_reason.as_deref(), Some("opt_out_request"));
    assert!(outcome.opt_out_id.is_none());
    text(t, US_SENDER_2, "+12015550199").await;
    let outcome = reply(t, US_SENDER_2, "+12015550199", "wrong number, this isn't Sam").await;
    assert_eq!(outcome.review_reason.as_deref(), Some("wrong_number"));
}

async fn the_same_message_twice_is_recorded_once(t: &TestHub) {
    organisation(t).await;
    text(t, US_SENDER, CONTACT).await;
    let stop = incoming("SM-42", US_SENDER, CONTACT, "STOP");
    let first = t.hub.ingest_reply(&stop).await.unwrap();
    let head = t.hub.feed_head().await.unwrap();
    let again = t.hub.ingest_reply(&stop).await.unwrap();
    assert_eq!(first, again);
    assert_eq!(t.hub.feed_head().await.unwrap(), head, "nothing changed");
    let lookup = t.hub.lookup(&admin(), CONTACT, Region::US).await.unwrap();
    assert_eq!(lookup.conversations[0].messages, 2);
    assert_eq!(lookup.history.len(), 1);

    // A delivery that repeats a reply inside itself, and one from before: each acted on once.
    let other = "+12015550177";
    let sent = OutgoingMessage {
        provider_message_id: "SM-50".into(),
        sender_phone: US_SENDER.into(),
        contact_phone: other.into(),
        contact_name: None,
        body: "Hi".into(),
        at: None,
    };
    let stop_again = IncomingReply { provider_message_id: "SM-51".into(), contact_phone: other.into(), ..stop.clone() };
    // A third contact's keyword comes after their first response, in the same delivery.
    let third = "+12015550176";
    let chat = |id: &str, body: &str| {
        Event::Reply(IncomingReply {
            provider_message_id: id.into(),
            contact_phone: third.into(),
            body: body.into(),
            ..stop.clone()
        })
    };
    let batch = [
        Event::Outgoing(sent.clone()),
        Event::Reply(stop_again.clone()),
        Event::Reply(stop_again.clone()),
        Event::Reply(stop.clone()),
        Event::Outgoing(OutgoingMessage {
            provider_message_id: "SM-52".into(),
            contact_phone: third.into(),
            ..sent.clone()
        }),
        chat("SM-53", "Who is this?"),
        chat("SM-54", "STOP"),
    ];
    let answers = t.hub.ingest_batch(&batch).await.unwrap();
    assert_eq!(answers[1], answers[2]);
    assert_eq!(answers[3], first);
    let keyword = answers[6].reply.as_ref().unwrap();
    assert!(!keyword.first_response);
    assert_eq!((keyword.opt_out_id, keyword.review_reason.as_deref()), (None, Some("manual_opt_out")));
    let lookup = t.hub.lookup(&admin(), other, Region::US).await.unwrap();
    assert_eq!(lookup.conversations[0].messages, 2);
    assert_eq!(lookup.history.len(), 1);
    assert_eq!(t.hub.ingest_reply(&stop_again).await.unwrap(), answers[1], "remembered after the batch");

    // A delivery with one bad event stores none of it, and names the event.
    let head = t.hub.feed_head().await.unwrap();
    let fresh = OutgoingMessage { provider_message_id: "SM-60".into(), contact_phone: "+12015550178".into(), ..sent };
    let bad = IncomingReply { provider_message_id: "SM-61".into(), sender_phone: "+16175550100".into(), ..stop };
    let refused = t.hub.ingest_batch(&[Event::Outgoing(fresh.clone()), Event::Reply(bad)]).await;
    assert!(matches!(refused, Err(Error::UnknownSender(_))), "{refused:?}");
    assert_eq!(t.hub.feed_head().await.unwrap(), head);
    t.hub.ingest_outgoing(&fresh).await.unwrap();
    assert_eq!(t.hub.feed_head().await.unwrap(), head + 2, "SM-60 is new: a conversation and a message");
}

async fn a_provider_id_given_to_another_message_is_refused_not_answered_as_the_first(t: &TestHub) {
    organisation(t).await;
    text(t, US_SENDER, CONTACT).await;
    let thanks = incoming("SM-77", US_SENDER, CONTACT, "Thanks!");
    let first = t.hub.ingest_reply(&thanks).await.unwrap();

    // Another contact's STOP under the same id: answered as the first reply was, it would be
    // lost. It is refused, naming the message the id already names, and nothing changes.
    let other = "+12015550177";
    text(t, US_SENDER, other).await;
    let stop = IncomingReply { contact_phone: other.into(), body: "STOP".into(), ..thanks.clone() };
    let head = t.hub.feed_head().await.unwrap();
    let refused = t.hub.ingest_reply(&stop).await.unwrap_err();
    assert!(matches!(&refused, Error::InvalidField { field, .. } if field == "provider_message_id"), "{refused:?}");
    assert!(refused.to_string().contains(&format!("a reply from {CONTACT} to {US_SENDER}")), "{refused}");
    let same_id_sent = OutgoingMessage {
        provider_message_id: "SM-77".into(),
        sender_phone: US_SENDER.into(),
        contact_phone: CONTACT.into(),
        contact_name: None,
        body: "Thanks!".into(),
        at: None,
    };
    assert!(t.hub.ingest_outgoing(&same_id_sent).await.is_err(), "a message sent is not the reply");
    assert_eq!(t.hub.feed_head().await.unwrap(), head, "nothing changed");
    // The provider delivering the first reply again is answered as before; the numbers may be
    // written another way.
    let again = IncomingReply { contact_phone: "(201) 555-0123".into(), ..thanks.clone() };
    assert_eq!(t.hub.ingest_reply(&again).await.unwrap(), first);

    // Within one delivery too: the second use of an id for other words fails the batch.
    let reply = |body: &str| {
        Event::Reply(IncomingReply { provider_message_id: "SM-78".into(), body: body.into(), ..thanks.clone() })
    };
    let refused = t.hub.ingest_batch(&[reply("Who is this?"), reply("STOP")]).await.unwrap_err();
    assert!(
        matches!(&refused, Error::InvalidField { field, .. } if field == "events[1].provider_message_id"),
        "{refused:?}"
    );
    assert_eq!(t.hub.feed_head().await.unwrap(), head, "nothing changed");
    assert_eq!(t.hub.ingest_batch(&[reply("Who is this?"), reply("Who is this?")]).await.unwrap().len(), 2);
}

async fn an_opt_in_reverses_one_opt_out_in_one_account(t: &TestHub) {
    organisation(t).await;
    text(t, US_SENDER, CONTACT).await;
    let acme = t.hub.opt_out(&admin(), &opt_out_request("Acme", CONTACT, "asked on the phone")).await.unwrap();
    let brit = t.hub.opt_out(&admin(), &opt_out_request("Brit", CONTACT, "asked by email")).await.unwrap();
    assert!(!t.hub.send_check("Acme", US_SENDER, CONTACT).await.allowed);

    let outcome = t.hub.opt_in(&admin(), &opt_in_request("Acme", CONTACT, acme.opt_out.id)).await.unwrap();
    assert_eq!(outcome.opt_out.id, acme.opt_out.id);
    assert!(outcome.opt_out.reversed_by.is_some());
    assert!(t.hub.send_check("Acme", US_SENDER, CONTACT).await.allowed, "textable again in Acme");

    let lookup = t.hub.lookup(&admin(), CONTACT, Region::US).await.unwrap();
    let brit_status = lookup.accounts.iter().find(|a| a.account == "Brit").unwrap();
    assert_eq!(brit_status.opt_out.as_ref().map(|o| o.id), Some(brit.opt_out.id), "Brit's opt-out is untouched");
    let actions: Vec<_> = lookup.history.iter().map(|e| (e.action.as_str(), e.account.as_deref())).collect();
    assert_eq!(actions, [("opt_out", Some("Acme")), ("opt_out", Some("Brit")), ("opt_in", Some("Acme"))]);
    let opt_in = lookup.history.last().unwrap();
    assert_eq!(opt_in.actor, "ada@example.org");
    assert!(opt_in.reason.contains("by mistake"));
    // The reversed opt-out stays on the record.
    let all = OptOutFilter { include_reversed: true, account: Some("Acme".into()), ..Default::default() };
    let page = t.hub.list_opt_outs(&admin(), &all, None, 10).await.unwrap();
    assert_eq!(page.opt_outs.len(), 1);
    assert!(page.opt_outs[0].reversed_by.is_some());
    let in_force = OptOutFilter { account: Some("Acme".into()), ..Default::default() };
    assert!(t.hub.list_opt_outs(&admin(), &in_force, None, 10).await.unwrap().opt_outs.is_empty());
}

async fn an_opt_in_is_refused_when_the_number_opted_out_again(t: &TestHub) {
    organisation(t).await;
    let first = t.hub.opt_out(&admin(), &opt_out_request("Acme", CONTACT, "first")).await.unwrap();
    t.hub.opt_in(&admin(), &opt_in_request("Acme", CONTACT, first.opt_out.id)).await.unwrap();
    let second = t.hub.opt_out(&admin(), &opt_out_request("Acme", CONTACT, "second")).await.unwrap();

    let stale = t.hub.opt_in(&admin(), &opt_in_request("Acme", CONTACT, first.opt_out.id)).await;
    assert!(matches!(stale, Err(Error::Refused { code: Refusal::OptedOutAgain, .. })), "{stale:?}");
    let wrong_account = t.hub.opt_in(&admin(), &opt_in_request("Brit", CONTACT, second.opt_out.id)).await;
    assert!(matches!(wrong_account, Err(Error::Refused { code: Refusal::NotThisOptOut, .. })), "{wrong_account:?}");
    assert_eq!(t.hub.send_check("Acme", US_SENDER, CONTACT).await.code, "opted_out", "the new opt-out stands");
}

async fn only_admins_opt_in_and_always_with_a_reason(t: &TestHub) {
    organisation(t).await;
    let texter = Actor::texter("tom");
    let out = t.hub.opt_out(&texter, &opt_out_request("Acme", CONTACT, "asked")).await.unwrap();
    let head = t.hub.feed_head().await.unwrap();
    let refused = t.hub.opt_in(&texter, &opt_in_request("Acme", CONTACT, out.opt_out.id)).await;
    assert!(matches!(refused, Err(Error::Refused { code: Refusal::Forbidden, .. })), "{refused:?}");
    let no_reason = OptInRequest { reason: "  ".into(), ..opt_in_request("Acme", CONTACT, out.opt_out.id) };
    let refused = t.hub.opt_in(&admin(), &no_reason).await;
    assert!(matches!(&refused, Err(Error::InvalidField { field, .. }) if field == "reason"), "{refused:?}");
    assert_eq!(t.hub.feed_head().await.unwrap(), head);
    assert!(!t.hub.send_check("Acme", US_SENDER, CONTACT).await.allowed);
}

async fn the_same_command_twice_changes_nothing_and_answers_the_same(t: &TestHub) {
    organisation(t).await;
    text(t, US_SENDER, CONTACT).await;
    let request = OptOutRequest {
        message: Some("OK, you won't hear from us again.".into()),
        ..opt_out_request("Acme", CONTACT, "asked")
    };
    let first = t.hub.opt_out(&admin(), &request).await.unwrap();
    assert!(first.message.is_some(), "{first:?}");
    let head = t.hub.feed_head().await.unwrap();
    let again = t.hub.opt_out(&admin(), &request).await.unwrap();
    assert_eq!(first, again);
    assert_eq!(t.hub.feed_head().await.unwrap(), head);

    let opt_in = opt_in_request("Acme", CONTACT, first.opt_out.id);
    let first_in = t.hub.opt_in(&admin(), &opt_in).await.unwrap();
    assert_eq!(t.hub.opt_in(&admin(), &opt_in).await.unwrap(), first_in);
    let lookup = t.hub.lookup(&admin(), CONTACT, Region::US).await.unwrap();
    assert_eq!(lookup.history.len(), 2, "one opt-out, one opt-in");

    let reused = OptOutRequest { reason: "something else".into(), ..request };
    assert!(matches!(t.hub.opt_out(&admin(), &reused).await, Err(Error::CommandReused(_))));

    // A refusal, replayed, is the same refusal, code and all.
    let stale = opt_in_request("Acme", CONTACT, first.opt_out.id);
    let refused = t.hub.opt_in(&admin(), &stale).await.unwrap_err().to_string();
    assert_eq!(t.hub.opt_in(&admin(), &stale).await.unwrap_err().to_string(), refused);
    let replayed = t.hub.opt_in(&admin(), &stale).await;
    assert!(matches!(replayed, Err(Error::Refused { code: Refusal::AlreadyReversed, .. })), "{replayed:?}");

    // A stored code this hub does not know is a corrupt record, not some other refusal.
    use sqlx::Executor;
    let unknown = "UPDATE commands SET outcome = replace(outcome, '\"already_reversed\"', '\"withdrawn\"')";
    t.raw().await.execute(unknown).await.unwrap();
    let corrupt = t.hub.opt_in(&admin(), &stale).await;
    assert!(matches!(&corrupt, Err(Error::Corrupt(why)) if why.contains("withdrawn")), "{corrupt:?}");
}

async fn the_feed_has_every_change_in_order(t: &TestHub) {
    organisation(t).await;
    text(t, US_SENDER, CONTACT).await;
    reply(t, US_SENDER, CONTACT, "STOP").await;
    let changes = t.hub.changes_after(&admin(), 0, 1000).await.unwrap();
    let seqs: Vec<i64> = changes.iter().map(|c| c.seq).collect();
    assert_eq!(seqs, (1..=changes.len() as i64).collect::<Vec<_>>());
    let kinds: Vec<&str> = changes.iter().map(|c| c.kind.as_str()).collect();
    for kind in ["account", "campaign", "conversation", "message", "opt_out", "opt_out_message"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    assert_eq!(t.hub.feed_head().await.unwrap(), changes.len() as i64);
    let tail = t.hub.changes_after(&admin(), 3, 2).await.unwrap();
    assert_eq!(tail.iter().map(|c| c.seq).collect::<Vec<_>>(), [4, 5]);
}

async fn concurrent_writers_never_make_a_reader_skip_a_change(t: &TestHub) {
    organisation(t).await;
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let hub = t.hub.clone();
            tokio::spawn(async move {
                for i in 0..40 {
                    let phone = format!("+1201555{:04}", 1000 + w * 100 + i);
                    hub.opt_out(&admin(), &opt_out_request("Acme", &phone, "bulk")).await.unwrap();
                }
            })
        })
        .collect();
    let reader = {
        let hub = t.reopen().await;
        tokio::spawn(async move {
            let mut cursor = 0;
            let mut seen = 0;
            for _ in 0..100_000 {
                let page = hub.changes_after(&admin(), cursor, 7).await.unwrap();
                for change in &page {
                    assert_eq!(change.seq, cursor + 1, "a reader skipped or repeated a change");
                    cursor = change.seq;
                    seen += usize::from(change.kind == "opt_out");
                }
                if seen == 160 {
                    break;
                }
            }
            seen
        })
    };
    for writer in writers {
        writer.await.unwrap();
    }
    assert_eq!(reader.await.unwrap(), 160);
}

async fn the_opt_out_list_pages_and_filters(t: &TestHub) {
    organisation(t).await;
    for i in 0..25 {
        let account = if i % 5 == 0 { "Brit" } else { "Acme" };
        let phone = if i % 2 == 0 { format!("+1201555{:04}", 2000 + i) } else { format!("+1415555{:04}", 2000 + i) };
        let request = OptOutRequest {
            source: if i % 3 == 0 { Source::Api } else { Source::Manual },
            ..opt_out_request(account, &phone, "list")
        };
        t.hub.opt_out(&admin(), &request).await.unwrap();
    }
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = t.hub.list_opt_outs(&admin(), &OptOutFilter::default(), after.as_deref(), 10).await.unwrap();
        seen.extend(page.opt_outs.iter().map(|o| o.id));
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    sorted.dedup();
    assert_eq!(seen, sorted, "newest first, no repeats");
    assert_eq!(seen.len(), 25);

    let count = |filter: OptOutFilter| {
        let hub = t.hub.clone();
        async move { hub.list_opt_outs(&admin(), &filter, None, 100).await.unwrap().opt_outs.len() }
    };
    assert_eq!(count(OptOutFilter { account: Some("Brit".into()), ..Default::default() }).await, 5);
    assert_eq!(count(OptOutFilter { source: Some(Source::Api), ..Default::default() }).await, 9);
    assert_eq!(count(OptOutFilter { phone_prefix: Some("+1415".into()), ..Default::default() }).await, 12);
    let future = chrono::Utc::now() + chrono::Duration::hours(1);
    assert_eq!(count(OptOutFilter { from: Some(future), ..Default::default() }).await, 0);
    assert!(t.hub.list_opt_outs(&admin(), &OptOutFilter::default(), Some("garbage"), 10).await.is_err());
}

async fn settings_decide_what_the_next_keyword_does(t: &TestHub) {
    organisation(t).await;
    settings(t, "Acme", AccountSettings { auto_opt_outs: Some(false), ..Default::default() }).await;
    text(t, US_SENDER, CONTACT).await;
    let outcome = reply(t, US_SENDER, CONTACT, "STOP").await;
    assert!(outcome.opt_out_id.is_none());
    assert_eq!(outcome.review_reason.as_deref(), Some("manual_opt_out"));
    assert!(t.hub.send_check("Acme", US_SENDER, CONTACT).await.allowed);
    assert!(!t.hub.accounts().await.unwrap().iter().find(|a| a.name == "Acme").unwrap().auto_opt_outs);
}

async fn bad_input_names_the_field_and_changes_nothing(t: &TestHub) {
    organisation(t).await;
    let head = t.hub.feed_head().await.unwrap();
    let bad_phone = t.hub.opt_out(&admin(), &opt_out_request("Acme", "555-CALL-NOW", "asked")).await;
    assert!(matches!(&bad_phone, Err(Error::InvalidPhone { field, .. }) if field == "phone"), "{bad_phone:?}");
    let unknown = t.hub.opt_out(&admin(), &opt_out_request("Nobody", CONTACT, "asked")).await;
    assert!(matches!(&unknown, Err(Error::UnknownAccount(name)) if name == "Nobody"), "{unknown:?}");
    let bad_sender = add_campaign(t, "Acme", "Summer", 1, &["+12015550150", "12"]).await;
    assert!(matches!(&bad_sender, Err(Error::InvalidPhone { field, .. }) if field == "sender_numbers[1]"));
    let taken = add_campaign(t, "Brit", "Winter", 2, &[US_SENDER]).await;
    assert!(matches!(taken, Err(Error::AlreadyExists(_))));
    assert_eq!(t.hub.feed_head().await.unwrap(), head);
    assert_eq!(t.hub.campaigns(None).await.unwrap().len(), 2);
}

stories!(
    keyword_as_first_response_opts_out_and_confirms,
    a_reply_saying_texts_cost_money_gets_no_confirmation,
    provider_two_blocks_the_sender_and_sends_its_own_confirmation,
    deferred_opt_out_when_a_blocked_sender_tries_again,
    a_keyword_after_the_first_response_asks_for_a_manual_opt_out,
    plain_requests_and_wrong_numbers_are_flagged_not_opted_out,
    the_same_message_twice_is_recorded_once,
    a_provider_id_given_to_another_message_is_refused_not_answered_as_the_first,
    an_opt_in_reverses_one_opt_out_in_one_account,
    an_opt_in_is_refused_when_the_number_opted_out_again,
    only_admins_opt_in_and_always_with_a_reason,
    the_same_command_twice_changes_nothing_and_answers_the_same,
    the_feed_has_every_change_in_order,
    concurrent_writers_never_make_a_reader_skip_a_change,
    the_opt_out_list_pages_and_filters,
    settings_decide_what_the_next_keyword_does,
    bad_input_names_the_field_and_changes_nothing,
);
