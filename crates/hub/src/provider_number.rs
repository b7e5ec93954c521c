//! A campaign's provider as JSON has always carried it, over HTTP, on the feed and to the window:
//! the number 1 or 2. (The rules engine's preview names it as a string, `"1"`.)

use optout_rules::Provider;
use serde::{de, Deserialize, Deserializer, Serializer};

/// Writes the provider's number.
///
/// # Errors
/// The serializer's.
pub fn serialize<S: Serializer>(provider: &Provider, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u8(provider.number())
}

/// Reads a provider's number.
///
/// # Errors
/// A number that is no provider's.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Provider, D::Error> {
    let number = u8::deserialize(deserializer)?;
    Provider::from_number(number).ok_or_else(|| de::Error::custom(format!("provider {number} is not 1 or 2")))
}

/// The provider whose number a database holds, if it is one.
pub fn stored(number: i64) -> Option<Provider> {
    u8::try_from(number).ok().and_then(Provider::from_number)
}
