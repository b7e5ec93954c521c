//! The demo's traffic: who each campaign texted on which of the last 90 days, and what they
//! answered, hours later. The same seed makes the same traffic.

use chrono::{DateTime, Duration, DurationRound, Utc};

use crate::phone::{e164, Region};
use crate::{Event, IncomingReply, OutgoingMessage};

/// A small deterministic generator (SplitMix64): the same seed builds the same organisation.
pub(super) struct Dice(pub(super) u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub(super) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    fn minutes(&mut self, from: u64, to: u64) -> Duration {
        Duration::minutes((from + self.below(to - from)) as i64)
    }
}

const ORDINARY: &[&str] = &[
    "Yes!",
    "Count me in",
    "Who is this?",
    "Already voted 👍",
    "Thanks for the reminder",
    "What time is the meeting?",
    "Can't make it this week, sorry",
    "Sure, send me the details",
    "No thanks",
    "Maybe",
    "Sí, ahí estaré",
    "Oui, merci !",
];
const KEYWORDS: &[&str] = &["STOP", "Stop", "stop.", "UNSUBSCRIBE", "End", "quit", "Cancel", "STOPALL", "Arrêt"];
const REQUESTS: &[&str] = &[
    "please stop texting me",
    "Take me off your list",
    "Don't text me again",
    "Remove my number please",
    "stop texting me, these cost me money",
    "STOP STOP STOP",
    "No más mensajes por favor",
    "Retirez-moi de votre liste",
];
const WRONG: &[&str] =
    &["Wrong number", "This isn't Maria", "new number, who dis", "You have the wrong person", "Número equivocado"];
pub(super) const FIRST_NAMES: &[&str] =
    &["Sam", "Maria", "Jo", "Priya", "Tom", "Aisha", "Luis", "Mei", "Kofi", "Ruth", "Dan", "Ines"];
const US_AREAS: &[u64] = &[201, 212, 213, 305, 312, 404, 415, 503, 512, 614, 617, 702, 720, 813, 917];

/// The demo's accounts: name, automatic opt-outs, provider, campaign and sender numbers.
pub(super) const PLAN: [(&str, bool, u8, &str, [&str; 2]); 3] = [
    ("Northside Tenants Union", true, 1, "Rent Strike Turnout", ["+12015550100", "+12015550101"]),
    ("Vote Forward Ohio", false, 1, "Early Vote Reminders", ["+16145550102", "+16145550103"]),
    ("Clean Rivers UK", false, 2, "Petition Follow-up", ["+447400123456", "+447400123457"]),
];

/// How far back the demo's campaigns began sending.
pub(super) const DAYS: i64 = 90;

pub(super) fn contact_phone(dice: &mut Dice, provider: u8) -> String {
    loop {
        let text = if provider == 2 {
            format!("+447{}{:08}", 4 + dice.below(6), dice.below(100_000_000))
        } else {
            let area = US_AREAS[dice.below(US_AREAS.len() as u64) as usize];
            format!("+1{area}{}{:04}", 200 + dice.below(800), dice.below(10_000))
        };
        if let Ok(number) = e164(&text, Region::US) {
            return number;
        }
    }
}

/// What a contact answered, as the demo planned it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Answer {
    Nothing,
    Ordinary,
    Keyword,
    Request,
    WrongNumber,
    OrdinaryThenKeyword,
}

/// One contact the demo texted.
pub struct DemoContact {
    pub(super) account: &'static str,
    pub(super) provider: u8,
    pub(super) sender: String,
    pub(super) phone: String,
    pub(super) answer: Answer,
    /// When the contact last wrote, or was texted.
    pub(super) last_at: DateTime<Utc>,
}

/// The demo's message events, contact by contact, in the order they happened: each campaign
/// sends on days a week or so apart over the last 90 days, in the afternoon, and its contacts
/// answer minutes to hours later.
pub struct DemoTraffic {
    pub(super) dice: Dice,
    seed: u64,
    contacts: u64,
    n: u64,
    now: DateTime<Utc>,
    /// The campaigns' send days, oldest first: the campaign's index and the day's midnight.
    sends: Vec<(usize, DateTime<Utc>)>,
}

impl DemoTraffic {
    /// The traffic of `contacts` contacts, ending before `now`.
    pub fn new(seed: u64, contacts: u64, now: DateTime<Utc>) -> DemoTraffic {
        let mut dice = Dice(seed);
        let today = now.duration_trunc(Duration::days(1)).unwrap_or(now);
        let mut sends = Vec::new();
        for campaign in 0..PLAN.len() {
            let mut day = DAYS - 2 * campaign as i64;
            while day >= 1 {
                sends.push((campaign, today - Duration::days(day)));
                day -= 5 + dice.below(6) as i64;
            }
        }
        sends.sort_by_key(|&(campaign, day)| (day, campaign));
        DemoTraffic { dice, seed, contacts, n: 0, now, sends }
    }

    /// Appends the next contact's message and replies to `events`; `None` once every contact
    /// has had its turn.
    pub fn next_contact(&mut self, events: &mut Vec<Event>) -> Option<DemoContact> {
        if self.n == self.contacts {
            return None;
        }
        let (n, seed) = (self.n, self.seed);
        self.n += 1;
        let dice = &mut self.dice;
        let (campaign, day) = self.sends[(n * self.sends.len() as u64 / self.contacts) as usize];
        let (account, _, provider, _, senders) = PLAN[campaign];
        let sender = senders[dice.below(senders.len() as u64) as usize].to_owned();
        let phone = contact_phone(dice, provider);
        let name = dice.pick(FIRST_NAMES);
        let latest = self.now - Duration::minutes(1);
        let sent = (day + Duration::hours(14) + dice.minutes(0, 6 * 60)).min(latest);
        events.push(Event::Outgoing(OutgoingMessage {
            provider_message_id: format!("demo-{seed}-{n}-out"),
            sender_phone: sender.clone(),
            contact_phone: phone.clone(),
            contact_name: Some(name.to_owned()),
            body: format!("Hi {name}, it's the {account} team. Can we count on you this Saturday?"),
            at: Some(sent),
        }));
        let (answer, replies) = match dice.below(100) {
            0..=39 => (Answer::Nothing, vec![]),
            40..=69 => (Answer::Ordinary, vec![dice.pick(ORDINARY)]),
            70..=81 => (Answer::Keyword, vec![dice.pick(KEYWORDS)]),
            82..=87 => (Answer::Request, vec![dice.pick(REQUESTS)]),
            88..=91 => (Answer::WrongNumber, vec![dice.pick(WRONG)]),
            _ => (Answer::OrdinaryThenKeyword, vec![dice.pick(ORDINARY), dice.pick(KEYWORDS)]),
        };
        // Most answer within the hour, some in the evening.
        let mut at = sent;
        for (i, body) in replies.iter().enumerate() {
            at = (at + if dice.below(3) == 0 { dice.minutes(60, 10 * 60) } else { dice.minutes(1, 60) }).min(latest);
            events.push(Event::Reply(IncomingReply {
                provider_message_id: format!("demo-{seed}-{n}-in-{i}"),
                sender_phone: sender.clone(),
                contact_phone: phone.clone(),
                body: (*body).to_owned(),
                at: Some(at),
                provider_action: None,
            }));
        }
        Some(DemoContact { account, provider, sender, phone, answer, last_at: at })
    }
}
