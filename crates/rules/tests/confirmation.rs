//! The confirmation of an opt-out, case by case.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use optout_rules::{
    confirmation, decide, Confirmation, ConfirmationFacts, ConfirmationSender, Provider, Situation,
    WithholdReason as W, CONFIRMATION_WINDOW,
};

fn asked() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 2, 15, 0, 0).single().expect("an instant")
}

fn fresh() -> ConfirmationFacts<'static> {
    ConfirmationFacts {
        reply: "STOP",
        message: "You're opted out and won't hear from us again.",
        requested_at: asked(),
        now: asked() + TimeDelta::seconds(3),
        confirmations_sent: 0,
        provider_sent_its_own: false,
        blocked_by_provider: false,
    }
}

#[test]
fn each_reason_to_withhold() {
    let base = fresh();
    let cases: [(&str, ConfirmationFacts<'static>, Confirmation); 13] = [
        ("a fresh opt-out", base, Confirmation::Send),
        (
            "at the window's last instant",
            ConfirmationFacts { now: asked() + CONFIRMATION_WINDOW, ..base },
            Confirmation::Send,
        ),
        (
            "a second after the window",
            ConfirmationFacts { now: asked() + CONFIRMATION_WINDOW + TimeDelta::seconds(1), ..base },
            Confirmation::Withhold(W::OutsideWindow),
        ),
        (
            "a day later",
            ConfirmationFacts { now: asked() + TimeDelta::days(1), ..base },
            Confirmation::Withhold(W::OutsideWindow),
        ),
        (
            "a clock a little behind",
            ConfirmationFacts { now: asked() - TimeDelta::seconds(30), ..base },
            Confirmation::Send,
        ),
        (
            "a clock an hour behind",
            ConfirmationFacts { now: asked() - TimeDelta::hours(1), ..base },
            Confirmation::Withhold(W::OutsideWindow),
        ),
        (
            "one sent already",
            ConfirmationFacts { confirmations_sent: 1, ..base },
            Confirmation::Withhold(W::AlreadySent),
        ),
        (
            "the provider sent its own",
            ConfirmationFacts { provider_sent_its_own: true, ..base },
            Confirmation::Withhold(W::ProviderSentItsOwn),
        ),
        (
            "texts cost money",
            ConfirmationFacts { reply: "STOP, every text costs me money", ..base },
            Confirmation::Withhold(W::TextsCostMoney),
        ),
        (
            "the provider blocks the number",
            ConfirmationFacts { blocked_by_provider: true, ..base },
            Confirmation::Withhold(W::BlockedByProvider),
        ),
        ("no message set", ConfirmationFacts { message: "  ", ..base }, Confirmation::Withhold(W::NoMessage)),
        (
            "the provider's message comes before the count",
            ConfirmationFacts { provider_sent_its_own: true, confirmations_sent: 3, ..base },
            Confirmation::Withhold(W::ProviderSentItsOwn),
        ),
        (
            "the count comes before the clock",
            ConfirmationFacts { confirmations_sent: 1, now: asked() + TimeDelta::hours(2), ..base },
            Confirmation::Withhold(W::AlreadySent),
        ),
    ];
    for (case, facts, expected) in cases {
        assert_eq!(confirmation(facts), expected, "{case}");
    }
}

#[test]
fn reasons_have_names_and_messages() {
    let all = [
        W::ProviderSentItsOwn,
        W::BlockedByProvider,
        W::AlreadySent,
        W::TextsCostMoney,
        W::OutsideWindow,
        W::NoMessage,
    ];
    for reason in all {
        assert!(!reason.message().is_empty());
        let json = serde_json::to_string(&Confirmation::Withhold(reason)).expect("serialises");
        assert_eq!(json, format!("{{\"withhold\":\"{}\"}}", reason.as_str()));
    }
    assert_eq!(serde_json::to_string(&Confirmation::Send).expect("serialises"), "\"send\"");
}

/// The decision's own column agrees: Provider 2 sends its own whenever it opts a contact out.
#[test]
fn the_decision_says_when_the_provider_sent_its_own() {
    for situation in Situation::all() {
        let d = decide("STOP", situation);
        let facts = ConfirmationFacts { provider_sent_its_own: d.provider_opt_out, ..fresh() };
        let sends = confirmation(facts) == Confirmation::Send;
        assert_eq!(sends, situation.provider == Provider::One, "{situation:?}");
        if d.confirmation_sent_by == ConfirmationSender::Provider {
            assert!(!sends, "{situation:?}");
        }
    }
}
