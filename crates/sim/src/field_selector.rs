//! Field selectors as `fields.ParseSelector` reads them (`a=b`, `a==b`, `a!=b`,
//! comma-joined, `\` escapes), then resolved against a resource's selectable fields
//! the way each kind's field-label conversion does, with the same error messages.

use serde_json::Value;

use super::resources::{FieldLabel, Resource};

/// One `field op value` term, before it is checked against a resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldTerm {
    pub field: String,
    /// `=`/`==` when true, `!=` when false.
    pub equals: bool,
    pub value: String,
}

/// A parsed selector: every term must hold. The empty selector matches all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSelector {
    pub terms: Vec<FieldTerm>,
}

/// Parses as `fields.ParseSelector` does, error messages included.
pub fn parse(selector: &str) -> Result<FieldSelector, String> {
    let mut parts = split_terms(selector);
    // Go sorts the terms before reading them, which decides which error wins.
    parts.sort();
    let mut terms = Vec::new();
    for part in parts {
        if part.is_empty() {
            continue;
        }
        let Some((field, operator, raw_value)) = split_term(part) else {
            return Err(format!(
                "invalid selector: '{selector}'; can't understand '{part}'"
            ));
        };
        terms.push(FieldTerm {
            field: field.to_string(),
            equals: operator != "!=",
            value: unescape_value(raw_value)?,
        });
    }
    Ok(FieldSelector { terms })
}

/// Splits on commas that are not escaped by a backslash.
fn split_terms(selector: &str) -> Vec<&str> {
    if selector.is_empty() {
        return Vec::new();
    }
    let mut terms = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in selector.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ',' {
            terms.push(&selector[start..i]);
            start = i + 1;
        }
    }
    terms.push(&selector[start..]);
    terms
}

/// Finds the first operator, trying `!=`, `==`, `=` at each position like Go.
fn split_term(term: &str) -> Option<(&str, &'static str, &str)> {
    for (i, _) in term.char_indices() {
        let rest = &term[i..];
        for operator in ["!=", "==", "="] {
            if let Some(value) = rest.strip_prefix(operator) {
                return Some((&term[..i], operator, value));
            }
        }
    }
    None
}

/// `fields.UnescapeValue`: `\\`, `\,`, `\=`, `\!` are escapes; a bare `,` or `=`
/// is an error, reported with the rune's code point as Go's `%v` prints it.
fn unescape_value(raw: &str) -> Result<String, String> {
    if !raw.contains(['\\', ',', '=']) {
        return Ok(raw.to_string());
    }
    let mut value = String::with_capacity(raw.len());
    let mut escaped = false;
    for c in raw.chars() {
        if escaped {
            if matches!(c, '\\' | ',' | '=' | '!') {
                value.push(c);
                escaped = false;
                continue;
            }
            return Err(format!(
                "invalid field selector: invalid escape sequence: \\{c}"
            ));
        }
        match c {
            '\\' => escaped = true,
            ',' | '=' => {
                return Err(format!(
                    "invalid field selector: unescaped character in value: {}",
                    u32::from(c)
                ));
            }
            _ => value.push(c),
        }
    }
    if escaped {
        return Err("invalid field selector: invalid escape sequence: \\".to_string());
    }
    Ok(value)
}

/// A selector checked against one resource: every field is selectable there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResolvedFieldSelector {
    terms: Vec<(&'static FieldLabel, bool, String)>,
}

impl FieldSelector {
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The value `field` must equal, when a term requires exactly that.
    pub fn requires_exact_match(&self, field: &str) -> Option<&str> {
        self.terms
            .iter()
            .find(|t| t.field == field && t.equals)
            .map(|t| t.value.as_str())
    }

    /// Checks every field against what `resource` can select on, as the kind's
    /// field-label conversion function does.
    pub fn resolve(&self, resource: &Resource) -> Result<ResolvedFieldSelector, String> {
        let mut terms = Vec::with_capacity(self.terms.len());
        for term in &self.terms {
            // Old v1 clients send spec.host; the server converts it.
            let field = if resource.plural == "pods" && term.field == "spec.host" {
                "spec.nodeName"
            } else {
                term.field.as_str()
            };
            let label = resource
                .field_label(field)
                .ok_or_else(|| resource.field_label_errors.message(&term.field))?;
            terms.push((label, term.equals, term.value.clone()));
        }
        Ok(ResolvedFieldSelector { terms })
    }
}

impl ResolvedFieldSelector {
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    pub fn matches(&self, object: &Value) -> bool {
        self.terms.iter().all(|(label, equals, wanted)| {
            let have = field_value(object, label);
            (have == *wanted) == *equals
        })
    }
}

/// The value a field selector compares: strings as they are, booleans and numbers
/// as Go formats them, a missing field as its zero value.
fn field_value(object: &Value, label: &FieldLabel) -> String {
    for path in label.paths {
        let found = path
            .iter()
            .try_fold(object, |value, segment| value.get(segment));
        match found {
            Some(Value::String(s)) if !s.is_empty() => return s.clone(),
            Some(Value::Bool(b)) => return b.to_string(),
            Some(Value::Number(n)) => return n.to_string(),
            _ => {}
        }
    }
    label.default.to_string()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::resources;

    fn pods() -> &'static Resource {
        resources::lookup("pods").unwrap_or(&resources::RESOURCES[0])
    }

    fn selects(selector: &str, object: &Value) -> bool {
        let parsed = parse(selector).and_then(|s| s.resolve(pods()));
        parsed.is_ok_and(|s| s.matches(object))
    }

    #[test]
    fn parses_every_operator() {
        let parsed = parse("spec.nodeName==a,status.phase!=Running,metadata.name=x");
        assert_eq!(
            parsed.map(|s| s.terms),
            Ok(vec![
                FieldTerm {
                    field: "metadata.name".into(),
                    equals: true,
                    value: "x".into()
                },
                FieldTerm {
                    field: "spec.nodeName".into(),
                    equals: true,
                    value: "a".into()
                },
                FieldTerm {
                    field: "status.phase".into(),
                    equals: false,
                    value: "Running".into()
                },
            ])
        );
        assert_eq!(parse(""), Ok(FieldSelector::default()));
        assert_eq!(parse("a=b,").map(|s| s.terms.len()), Ok(1));
    }

    #[test]
    fn reports_malformed_selectors_like_go() {
        assert_eq!(
            parse("spec.nodeName"),
            Err("invalid selector: 'spec.nodeName'; can't understand 'spec.nodeName'".into())
        );
        assert_eq!(
            parse("a=b=c"),
            Err("invalid field selector: unescaped character in value: 61".into())
        );
        assert_eq!(
            parse(r"a=b\x"),
            Err(r"invalid field selector: invalid escape sequence: \x".into())
        );
        assert_eq!(
            parse(r"a=b\=c").map(|s| s.terms[0].value.clone()),
            Ok("b=c".into())
        );
    }

    #[test]
    fn unsupported_fields_name_the_field() {
        let selector = parse("spec.foo=bar").unwrap_or_default();
        assert_eq!(
            selector.resolve(pods()),
            Err("field label not supported: spec.foo".to_string())
        );
        let deployments = resources::lookup("deployments").unwrap_or(pods());
        assert_eq!(
            selector.resolve(deployments),
            Err(r#""spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace""#.to_string())
        );
    }

    #[test]
    fn missing_fields_read_as_their_zero_value() {
        let pending = json!({"metadata": {"name": "p", "namespace": "ns"}, "spec": {}});
        assert!(selects("spec.nodeName=", &pending));
        assert!(selects("spec.nodeName!=node-1", &pending));
        assert!(selects("spec.hostNetwork=false", &pending));
        let running = json!({"metadata": {"name": "p", "namespace": "ns"},
                             "spec": {"nodeName": "node-1", "hostNetwork": true},
                             "status": {"phase": "Running"}});
        assert!(selects(
            "spec.nodeName=node-1,status.phase=Running",
            &running
        ));
        assert!(selects("spec.host=node-1", &running));
        assert!(selects("spec.hostNetwork=true", &running));
        assert!(!selects("status.phase!=Running", &running));
        assert!(selects("metadata.namespace=ns,metadata.name==p", &running));
    }

    #[test]
    fn exact_name_matches_are_found() {
        let selector = parse("metadata.name=web,status.phase!=Failed").unwrap_or_default();
        assert_eq!(selector.requires_exact_match("metadata.name"), Some("web"));
        assert_eq!(selector.requires_exact_match("status.phase"), None);
    }
}
