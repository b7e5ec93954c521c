//! What Settings offers an account: the rule sets in the rules engine's own words, and the
//! review clock's range, so that the window never writes them a second time.

use optout_rules::RuleSet;
use serde::{Deserialize, Serialize};

/// One rule set, as Settings shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RuleSetChoice {
    /// The rule set, as an account's settings store it.
    pub rule_set: RuleSet,
    /// Its short name.
    pub label: String,
    /// What it acts on, and why one would choose it.
    pub description: String,
    /// Its name and the version of its lists, recorded with every decision.
    pub version: String,
}

/// What an account's rules may be set to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RuleChoices {
    /// Every rule set, the default first.
    pub rule_sets: Vec<RuleSetChoice>,
    /// The fewest business days a review flag may wait.
    pub review_days_min: u32,
    /// The most, and the default: the US rules' limit for honouring a revocation.
    pub review_days_max: u32,
}

/// The rule sets an account may choose and the review clock's range.
///
/// # Example
/// ```
/// let choices = optout_desktop::rule_choices();
/// assert_eq!(choices.rule_sets[0].rule_set, optout_rules::RuleSet::Reference);
/// assert_eq!((choices.review_days_min, choices.review_days_max), (1, 10));
/// ```
pub fn rule_choices() -> RuleChoices {
    RuleChoices {
        rule_sets: RuleSet::ALL
            .into_iter()
            .map(|rule_set| RuleSetChoice {
                rule_set,
                label: rule_set.label().to_owned(),
                description: rule_set.description().to_owned(),
                version: rule_set.version().to_owned(),
            })
            .collect(),
        review_days_min: *optout_rules::REVIEW_DAYS.start(),
        review_days_max: *optout_rules::REVIEW_DAYS.end(),
    }
}
