//! The comment attached to a cancellation.

use crate::action_id::shown;
use crate::error::Error;

/// The longest comment accepted, in characters. The service documents no limit; a
/// longer comment is taken as a caller's mistake (a file pasted by accident).
pub const MAX_COMMENT_CHARS: usize = 4096;

/// A validated cancellation comment: not empty after trimming, at most
/// [`MAX_COMMENT_CHARS`] characters. The text is sent exactly as given, any Unicode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment(String);

impl Comment {
    /// Validates a comment; the error is `InvalidArgument` and says what is wrong.
    pub fn new(text: &str) -> Result<Self, Error> {
        if text.trim().is_empty() {
            return Err(Error::invalid_argument(format!(
                "comment {} is empty: say why the action is cancelled, it is recorded \
                 on the action",
                shown(text)
            )));
        }
        let chars = text.chars().count();
        if chars > MAX_COMMENT_CHARS {
            return Err(Error::invalid_argument(format!(
                "comment is {chars} characters long, the limit is {MAX_COMMENT_CHARS}"
            )));
        }
        Ok(Comment(text.to_owned()))
    }

    /// The comment text, as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_blank_and_overlong() {
        assert!(Comment::new("").is_err());
        assert!(Comment::new(" \t\n").is_err());
        assert!(Comment::new(&"é".repeat(MAX_COMMENT_CHARS + 1)).is_err());
        let ok = "é".repeat(MAX_COMMENT_CHARS);
        assert_eq!(Comment::new(&ok).unwrap().as_str(), ok);
    }

    #[test]
    fn keeps_text_intact() {
        let text = "  isolé par erreur 🚫 \u{0}zero ";
        assert_eq!(Comment::new(text).unwrap().as_str(), text);
    }
}
