//! The `/` filter: plain text matches names, anything that reads as a label
//! selector matches labels with Kubernetes semantics.

use super::selector::{self, LabelLookup, Selector, SelectorError};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Filter {
    #[default]
    All,
    /// Case-insensitive substring of the object's name.
    Name(String),
    Labels(Selector),
}

/// Characters that only make sense in a selector, never in an object name.
fn looks_like_selector(input: &str) -> bool {
    input.contains(['=', '!', '(', ')', ',', '<', '>'])
        || input.contains(" in ")
        || input.contains(" notin ")
}

impl Filter {
    /// `-l SELECTOR` is always a selector (kubectl's flag, and the only way to ask
    /// for a bare `key` existence test); text with selector syntax is a selector; any
    /// other text is a name match. Malformed selectors are errors, never silently
    /// treated as text.
    pub fn parse(input: &str) -> Result<Filter, SelectorError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Ok(Filter::All);
        }
        if let Some(rest) = trimmed
            .strip_prefix("-l ")
            .or_else(|| trimmed.strip_prefix("-l="))
        {
            return selector::parse(rest).map(Filter::Labels);
        }
        if looks_like_selector(trimmed) {
            return selector::parse(trimmed).map(Filter::Labels);
        }
        Ok(Filter::Name(trimmed.to_lowercase()))
    }

    pub fn matches<L: LabelLookup + ?Sized>(&self, name: &str, labels: &L) -> bool {
        match self {
            Filter::All => true,
            Filter::Name(needle) => contains_ignore_ascii_case(name, needle),
            Filter::Labels(selector) => selector.matches(labels),
        }
    }

    pub fn is_active(&self) -> bool {
        !matches!(self, Filter::All)
    }
}

/// `needle` is already lower-case. Kubernetes names are lower-case ASCII, so this
/// avoids allocating per row; other text still compares correctly.
fn contains_ignore_ascii_case(haystack: &str, needle: &str) -> bool {
    // Fast path: Kubernetes names are lower-case, so a plain search decides.
    if haystack.contains(needle) {
        return true;
    }
    if needle.len() > haystack.len() || !haystack.bytes().any(|b| b.is_ascii_uppercase()) {
        return false;
    }
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    h.windows(n.len())
        .any(|w| w.iter().zip(n).all(|(a, b)| a.to_ascii_lowercase() == *b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn plain_text_matches_names() {
        let f = Filter::parse("Web").unwrap();
        assert_eq!(f, Filter::Name("web".into()));
        assert!(f.matches("shop-web-7d9", &BTreeMap::new()));
        assert!(!f.matches("api-1", &labels(&[("app", "web")])));
    }

    #[test]
    fn selector_syntax_matches_labels() {
        let f = Filter::parse("app=web,tier!=db").unwrap();
        assert!(f.matches("x", &labels(&[("app", "web")])));
        assert!(!f.matches("web", &labels(&[("app", "web"), ("tier", "db")])));
        assert!(
            Filter::parse("env in (a,b)")
                .unwrap()
                .matches("x", &labels(&[("env", "a")]))
        );
        assert!(
            Filter::parse("!legacy")
                .unwrap()
                .matches("x", &BTreeMap::new())
        );
        let exists = Filter::parse("-l legacy").unwrap();
        assert!(exists.matches("x", &labels(&[("legacy", "true")])));
        assert!(!exists.matches("legacy", &BTreeMap::new()));
    }

    #[test]
    fn malformed_selectors_are_errors() {
        assert!(Filter::parse("app===x").is_err());
        assert!(Filter::parse("env in (a").is_err());
        assert!(Filter::parse("-l ,").is_err());
    }

    #[test]
    fn blank_is_no_filter() {
        assert_eq!(Filter::parse("  ").unwrap(), Filter::All);
        assert!(!Filter::All.is_active());
    }
}
