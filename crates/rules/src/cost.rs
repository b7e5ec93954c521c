//! Whether a reply says that texts cost the contact money.
//!
//! Such a contact gets no confirmation message: one more text is one more charge.

/// Phrases that, in a reply, say texts cost money. Matched on whole words, lower case, with
/// curly apostrophes straightened.
const PHRASES: &[&str] = &[
    "costs me",
    "costing me",
    "cost me",
    "costs money",
    "cost money",
    "costing money",
    "charged",
    "charges me",
    "charging me",
    "pay for texts",
    "pay for these",
    "pay for each",
    "pay per text",
    "paying for these",
    "paying for texts",
    "paying for your",
    "per text",
    "per message",
    "roaming",
    "my bill",
    "text plan",
    "pay as you go",
    "prepaid",
];

/// Whether the reply says that texts cost the contact money, so that a confirmation would too.
///
/// # Example
/// ```
/// use optout_rules::says_texts_cost_money;
/// assert!(says_texts_cost_money("STOP, every text costs me money"));
/// assert!(says_texts_cost_money("I get charged for these. Stop"));
/// assert!(!says_texts_cost_money("STOP"));
/// ```
pub fn says_texts_cost_money(reply: &str) -> bool {
    let mut words = String::with_capacity(reply.len() + 2);
    words.push(' ');
    for c in reply.chars() {
        let c = match c {
            '\u{2019}' | '\u{2018}' => '\'',
            c if c.is_alphanumeric() || c == '\'' => c,
            _ => ' ',
        };
        if c == ' ' && words.ends_with(' ') {
            continue;
        }
        words.extend(c.to_lowercase());
    }
    if !words.ends_with(' ') {
        words.push(' ');
    }
    PHRASES.iter().any(|phrase| {
        words
            .match_indices(phrase)
            .any(|(at, _)| words.as_bytes()[at - 1] == b' ' && words.as_bytes().get(at + phrase.len()) == Some(&b' '))
    })
}

#[cfg(test)]
mod tests {
    use super::says_texts_cost_money;

    #[test]
    fn replies_about_cost() {
        for reply in [
            "Stop texting me, it costs me money",
            "STOP. I’m on pay as you go",
            "I get charged for every message!!",
            "I'm roaming, stop",
            "these are showing up on my bill",
            "Unsubscribe — I pay per text",
        ] {
            assert!(says_texts_cost_money(reply), "{reply}");
        }
    }

    #[test]
    fn replies_not_about_cost() {
        for reply in ["STOP", "stop please", "What does it cost to join?", "Discharged from hospital today"] {
            assert!(!says_texts_cost_money(reply), "{reply}");
        }
    }
}
