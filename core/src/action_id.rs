//! Machine action ids, validated before they are put in a URL path.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// The id of a machine action: a GUID in its 36-character hyphenated form, kept in
/// lower case. Parsing rejects anything else (empty strings, spaces, `/`, `..`, `?`,
/// `%`, overlong text), so an id can never change the path of the request it is put in.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ActionId(String);

/// How much of a rejected value an error message repeats.
const SHOWN_CHARS: usize = 64;

impl ActionId {
    /// Parses and validates an id; the error is `InvalidArgument` and names the value.
    pub fn parse(value: &str) -> Result<Self, Error> {
        let valid = value.len() == 36 && uuid::Uuid::try_parse(value).is_ok();
        if valid {
            Ok(ActionId(value.to_ascii_lowercase()))
        } else {
            Err(Error::invalid_argument(format!(
                "invalid machine action id {}: expected a GUID such as \
                 988cc94e-7a8f-4b28-ab65-54970c5d5018",
                shown(value)
            )))
        }
    }

    /// The id as text (lower case).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Quotes a rejected value for an error message, truncated to a readable length.
pub(crate) fn shown(value: &str) -> String {
    if value.chars().count() > SHOWN_CHARS {
        let head: String = value.chars().take(SHOWN_CHARS).collect();
        format!("{head:?}... ({} characters)", value.chars().count())
    } else {
        format!("{value:?}")
    }
}

impl FromStr for ActionId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        ActionId::parse(s)
    }
}

impl fmt::Display for ActionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ActionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ActionId({})", self.0)
    }
}

impl AsRef<str> for ActionId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn accepts_guids_in_any_case_and_normalises() {
        let id = ActionId::parse("988CC94E-7a8f-4b28-ab65-54970c5d5018").unwrap();
        assert_eq!(id.as_str(), "988cc94e-7a8f-4b28-ab65-54970c5d5018");
    }

    #[test]
    fn rejects_everything_that_is_not_a_hyphenated_guid() {
        let long = "a".repeat(5000);
        for bad in [
            "",
            " ",
            "988cc94e-7a8f-4b28-ab65-54970c5d5018 ",
            " 988cc94e-7a8f-4b28-ab65-54970c5d5018",
            "988cc94e/7a8f-4b28-ab65-54970c5d5018",
            "../../machines",
            "988cc94e-7a8f-4b28-ab65-54970c5d501?",
            "988cc94e-7a8f-4b28-ab65-54970c5d50%2",
            "988cc94e7a8f4b28ab6554970c5d5018",
            "{988cc94e-7a8f-4b28-ab65-54970c5d5018}",
            "urn:uuid:988cc94e-7a8f-4b28-ab65-54970c5d5018",
            long.as_str(),
        ] {
            let err = ActionId::parse(bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{bad:?}");
            let text = err.to_string();
            assert!(text.contains("invalid machine action id"), "{text}");
            assert!(text.len() < 300, "message not truncated: {text}");
        }
    }

    #[test]
    fn error_names_the_bad_value() {
        let err = ActionId::parse("not-a-guid").unwrap_err();
        assert!(err.to_string().contains("\"not-a-guid\""), "{err}");
        let err = ActionId::parse(&"x".repeat(100)).unwrap_err();
        assert!(err.to_string().contains("(100 characters)"), "{err}");
    }
}
