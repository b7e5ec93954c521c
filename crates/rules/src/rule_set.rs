//! Rule sets: which keywords an account's automatic opt-outs act on.
//!
//! Provider 2's list is the provider's own: it blocks on its words whatever the account chose.
//! Provider 1 keeps no opt-out of its own, so for US and Canadian campaigns the account's rule set
//! is the list. Every decision records the rule set and its version, so that an opt-out made under
//! an older list can still be explained once the list has grown.

use serde::{Deserialize, Serialize};

use crate::provider::{Keyword, Provider};

/// The keyword lists an account's automatic opt-outs act on.
///
/// # Example
/// ```
/// use optout_rules::{Keyword, Provider, RuleSet};
/// assert_eq!(RuleSet::default(), RuleSet::Reference);
/// assert!(RuleSet::Us2025.keywords(Provider::One, false).contains(&Keyword::Revoke));
/// assert!(!RuleSet::Reference.keywords(Provider::One, false).contains(&Keyword::Revoke));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum RuleSet {
    /// The vendor's table: Provider 1 acts on STOP, STOPALL, UNSUBSCRIBE, CANCEL, END and QUIT.
    #[default]
    #[serde(rename = "reference")]
    Reference,
    /// The reference list and, for Provider 1, the US regulator's revocation words (REVOKE,
    /// OPTOUT and OPT OUT), with ARRET for Canadian contacts.
    #[serde(rename = "us_2025")]
    Us2025,
}

/// A rule-set name that [`RuleSet::parse`] does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRuleSet {
    /// The text that was given.
    pub given: String,
}

impl std::fmt::Display for UnknownRuleSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown rule set {:?}: expected one of reference, us_2025", self.given)
    }
}

impl std::error::Error for UnknownRuleSet {}

impl RuleSet {
    /// Every rule set, in the order Settings and the preview show them.
    pub const ALL: [RuleSet; 2] = [RuleSet::Reference, RuleSet::Us2025];

    /// The stable name, as stored in an account's settings: `reference` or `us_2025`.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleSet::Reference => "reference",
            RuleSet::Us2025 => "us_2025",
        }
    }

    /// Reads a name written by [`RuleSet::as_str`], ignoring case and surrounding whitespace.
    ///
    /// # Errors
    /// [`UnknownRuleSet`] for any other text.
    ///
    /// # Example
    /// ```
    /// use optout_rules::RuleSet;
    /// assert_eq!(RuleSet::parse(" US_2025 "), Ok(RuleSet::Us2025));
    /// assert!(RuleSet::parse("us-2025").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<RuleSet, UnknownRuleSet> {
        let name = text.trim();
        RuleSet::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(name))
            .ok_or_else(|| UnknownRuleSet { given: text.to_owned() })
    }

    /// The name and the version of its lists, recorded with every decision: `reference@1`.
    /// The version grows whenever a list of the rule set changes.
    pub fn version(self) -> &'static str {
        match self {
            RuleSet::Reference => "reference@1",
            RuleSet::Us2025 => "us_2025@1",
        }
    }

    /// A short name for Settings.
    pub fn label(self) -> &'static str {
        match self {
            RuleSet::Reference => "Reference keywords",
            RuleSet::Us2025 => "US 2025 revocation words",
        }
    }

    /// One paragraph for Settings: what the rule set acts on, and why one would choose it.
    pub fn description(self) -> &'static str {
        match self {
            RuleSet::Reference => {
                "The vendor's table. On US and Canadian campaigns (Provider 1) automatic opt-outs act on STOP, \
                 STOPALL, UNSUBSCRIBE, CANCEL, END and QUIT; REVOKE and OPT OUT are flagged for an admin to review \
                 instead. UK campaigns (Provider 2) follow the provider's own list."
            }
            RuleSet::Us2025 => {
                "The reference keywords and, on US and Canadian campaigns (Provider 1), the words the FCC treats as \
                 revoking consent: REVOKE and OPT OUT (or OPTOUT), on which Twilio has blocked US numbers since \
                 May 2025; and ARRET (ARRÊT) from Canadian contacts. Each opts the contact out \
                 like STOP. UK campaigns (Provider 2) follow the provider's own list."
            }
        }
    }

    /// The keywords that a single-word reply is matched against, for a campaign on `provider` and a
    /// contact whose number is Canadian or not.
    pub fn keywords(self, provider: Provider, canadian_contact: bool) -> &'static [Keyword] {
        use Keyword::*;
        match (self, provider, canadian_contact) {
            (_, Provider::Two, _) => &[Stop, StopAll, Unsubscribe, Cancel, End, Revoke, OptOut, Quit],
            (RuleSet::Reference, Provider::One, _) => &[Stop, StopAll, Unsubscribe, Cancel, End, Quit],
            (RuleSet::Us2025, Provider::One, false) => &[Stop, StopAll, Unsubscribe, Cancel, End, Quit, Revoke, OptOut],
            (RuleSet::Us2025, Provider::One, true) => {
                &[Stop, StopAll, Unsubscribe, Cancel, End, Quit, Revoke, OptOut, Arret]
            }
        }
    }

    /// Whether the two-word spelling OPT OUT (or OPT-OUT) counts as the keyword OPTOUT. The FCC's
    /// rule names the words "opt out"; Provider 2 lists only the one-word OPTOUT.
    ///
    /// # Example
    /// ```
    /// use optout_rules::{Provider, RuleSet};
    /// assert!(RuleSet::Us2025.takes_two_word_opt_out(Provider::One));
    /// assert!(!RuleSet::Us2025.takes_two_word_opt_out(Provider::Two));
    /// assert!(!RuleSet::Reference.takes_two_word_opt_out(Provider::One));
    /// ```
    pub fn takes_two_word_opt_out(self, provider: Provider) -> bool {
        self == RuleSet::Us2025 && provider == Provider::One
    }
}

impl std::str::FromStr for RuleSet {
    type Err = UnknownRuleSet;

    fn from_str(text: &str) -> Result<RuleSet, UnknownRuleSet> {
        RuleSet::parse(text)
    }
}

impl std::fmt::Display for RuleSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_versions_carry_the_name() {
        for rule_set in RuleSet::ALL {
            assert_eq!(RuleSet::parse(rule_set.as_str()), Ok(rule_set));
            assert!(rule_set.version().starts_with(&format!("{}@", rule_set.as_str())));
            let json = serde_json::to_string(&rule_set).expect("serialises");
            assert_eq!(json, format!("\"{}\"", rule_set.as_str()));
        }
        let error = RuleSet::parse("fcc").expect_err("unknown");
        assert!(error.to_string().contains("\"fcc\""), "{error}");
    }

    #[test]
    fn provider_two_keeps_its_own_list_under_every_rule_set() {
        for rule_set in RuleSet::ALL {
            for canadian in [false, true] {
                assert_eq!(rule_set.keywords(Provider::Two, canadian), Provider::Two.keywords());
            }
            assert!(!rule_set.takes_two_word_opt_out(Provider::Two));
        }
    }

    #[test]
    fn us_2025_adds_the_revocation_words_and_arret_for_canadians_only() {
        let us = RuleSet::Us2025.keywords(Provider::One, false);
        let canada = RuleSet::Us2025.keywords(Provider::One, true);
        assert!(us.contains(&Keyword::Revoke) && us.contains(&Keyword::OptOut) && !us.contains(&Keyword::Arret));
        assert!(canada.contains(&Keyword::Arret));
        assert!(!RuleSet::Reference.keywords(Provider::One, true).contains(&Keyword::Arret));
        for keyword in Provider::One.keywords() {
            assert!(us.contains(keyword), "{keyword} stays");
        }
    }
}
