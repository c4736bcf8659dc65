//! Label selectors with Kubernetes semantics (`apimachinery/pkg/labels`): the same
//! grammar, the same operators and the same error messages as the API server.

use std::collections::BTreeMap;
use std::fmt;

use super::validation::{label_value_errors, qualified_name_errors};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operator {
    Equals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub key: String,
    pub operator: Operator,
    /// Sorted and deduplicated, as the API server keeps them.
    pub values: Vec<String>,
}

/// A parsed selector: every requirement must hold. The empty selector matches all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector {
    pub requirements: Vec<Requirement>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorError(pub String);

impl fmt::Display for SelectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SelectorError {}

/// Anything labels can be looked up in: an object's label map, or the table's
/// compact search index.
pub trait LabelLookup {
    fn label(&self, key: &str) -> Option<&str>;
}

impl LabelLookup for BTreeMap<String, String> {
    fn label(&self, key: &str) -> Option<&str> {
        self.get(key).map(String::as_str)
    }
}

impl Requirement {
    fn holds_for(&self, value: &str) -> bool {
        self.values.iter().any(|v| v == value)
    }

    pub fn matches<L: LabelLookup + ?Sized>(&self, labels: &L) -> bool {
        let value = labels.label(&self.key);
        match self.operator {
            Operator::Equals | Operator::In => value.is_some_and(|v| self.holds_for(v)),
            Operator::NotEquals | Operator::NotIn => value.is_none_or(|v| !self.holds_for(v)),
            Operator::Exists => value.is_some(),
            Operator::DoesNotExist => value.is_none(),
            Operator::GreaterThan | Operator::LessThan => {
                let (Some(have), Some(want)) = (
                    value.and_then(|v| v.parse::<i64>().ok()),
                    self.values.first().and_then(|v| v.parse::<i64>().ok()),
                ) else {
                    return false;
                };
                if self.operator == Operator::GreaterThan {
                    have > want
                } else {
                    have < want
                }
            }
        }
    }
}

impl Selector {
    /// The selector written back as apimachinery's `labels.Selector.String()`
    /// does: requirements sorted by key (as `labels.Parse` sorts them), each as
    /// `Requirement.String()` writes it, joined by commas.
    pub fn to_kubernetes_string(&self) -> String {
        let mut requirements: Vec<&Requirement> = self.requirements.iter().collect();
        requirements.sort_by(|a, b| a.key.cmp(&b.key));
        requirements
            .iter()
            .map(|r| {
                let values = r.values.join(",");
                match r.operator {
                    Operator::Equals => format!("{}={values}", r.key),
                    Operator::NotEquals => format!("{}!={values}", r.key),
                    Operator::In => format!("{} in ({values})", r.key),
                    Operator::NotIn => format!("{} notin ({values})", r.key),
                    Operator::Exists => r.key.clone(),
                    Operator::DoesNotExist => format!("!{}", r.key),
                    Operator::GreaterThan => format!("{}>{values}", r.key),
                    Operator::LessThan => format!("{}<{values}", r.key),
                }
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn matches<L: LabelLookup + ?Sized>(&self, labels: &L) -> bool {
        self.requirements.iter().all(|r| r.matches(labels))
    }

    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Identifier(String),
    DoesNotExist,
    Equals,
    DoubleEquals,
    NotEquals,
    GreaterThan,
    LessThan,
    In,
    NotIn,
    OpenPar,
    ClosedPar,
    Comma,
    EndOfString,
}

impl Token {
    /// The literal the Kubernetes parser quotes in its messages.
    fn literal(&self) -> &str {
        match self {
            Token::Identifier(s) => s,
            Token::DoesNotExist => "!",
            Token::Equals => "=",
            Token::DoubleEquals => "==",
            Token::NotEquals => "!=",
            Token::GreaterThan => ">",
            Token::LessThan => "<",
            Token::In => "in",
            Token::NotIn => "notin",
            Token::OpenPar => "(",
            Token::ClosedPar => ")",
            Token::Comma => ",",
            Token::EndOfString => "",
        }
    }

    /// In value position the keywords `in`/`notin` are ordinary identifiers.
    fn into_value(self) -> Token {
        match self {
            Token::In => Token::Identifier("in".into()),
            Token::NotIn => Token::Identifier("notin".into()),
            other => other,
        }
    }
}

fn is_special(c: char) -> bool {
    matches!(c, '=' | '!' | '(' | ')' | ',' | '>' | '<')
}

fn lex(input: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if is_special(c) {
            let next = chars.get(i + 1).copied();
            let (token, len) = match (c, next) {
                ('!', Some('=')) => (Token::NotEquals, 2),
                ('=', Some('=')) => (Token::DoubleEquals, 2),
                ('!', _) => (Token::DoesNotExist, 1),
                ('=', _) => (Token::Equals, 1),
                ('(', _) => (Token::OpenPar, 1),
                (')', _) => (Token::ClosedPar, 1),
                (',', _) => (Token::Comma, 1),
                ('>', _) => (Token::GreaterThan, 1),
                _ => (Token::LessThan, 1),
            };
            tokens.push(token);
            i += len;
        } else {
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() && !is_special(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            tokens.push(match word.as_str() {
                "in" => Token::In,
                "notin" => Token::NotIn,
                _ => Token::Identifier(word),
            });
        }
    }
    tokens.push(Token::EndOfString);
    tokens
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Token {
        self.tokens[self.pos.min(self.tokens.len() - 1)].clone()
    }

    fn next(&mut self) -> Token {
        let token = self.peek();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        token
    }

    fn peek_value(&self) -> Token {
        self.peek().into_value()
    }

    fn next_value(&mut self) -> Token {
        self.next().into_value()
    }

    fn parse(&mut self) -> Result<Vec<Requirement>, String> {
        let mut requirements = Vec::new();
        loop {
            match self.peek_value() {
                Token::Identifier(_) | Token::DoesNotExist => {
                    let requirement = self
                        .parse_requirement()
                        .map_err(|e| format!("unable to parse requirement: {e}"))?;
                    requirements.push(requirement);
                    match self.next_value() {
                        Token::EndOfString => return Ok(requirements),
                        Token::Comma => {
                            let after = self.peek_value();
                            if !matches!(after, Token::Identifier(_) | Token::DoesNotExist) {
                                return Err(format!(
                                    "found '{}', expected: identifier after ','",
                                    after.literal()
                                ));
                            }
                        }
                        other => {
                            return Err(format!(
                                "found '{}', expected: ',' or 'end of string'",
                                other.literal()
                            ));
                        }
                    }
                }
                Token::EndOfString => return Ok(requirements),
                other => {
                    return Err(format!(
                        "found '{}', expected: !, identifier, or 'end of string'",
                        other.literal()
                    ));
                }
            }
        }
    }

    fn parse_requirement(&mut self) -> Result<Requirement, String> {
        let mut negated = false;
        let mut token = self.next_value();
        if token == Token::DoesNotExist {
            negated = true;
            token = self.next_value();
        }
        let Token::Identifier(key) = token else {
            return Err(format!("found '{}', expected: identifier", token.literal()));
        };
        validate_key(&key)?;
        // `!key` is complete by itself; whatever follows is the caller's to judge.
        if negated || matches!(self.peek_value(), Token::EndOfString | Token::Comma) {
            let operator = if negated {
                Operator::DoesNotExist
            } else {
                Operator::Exists
            };
            return Ok(Requirement {
                key,
                operator,
                values: Vec::new(),
            });
        }
        let operator = match self.next() {
            Token::In => Operator::In,
            Token::NotIn => Operator::NotIn,
            Token::Equals | Token::DoubleEquals => Operator::Equals,
            Token::NotEquals => Operator::NotEquals,
            Token::GreaterThan => Operator::GreaterThan,
            Token::LessThan => Operator::LessThan,
            other => {
                return Err(format!(
                    "found '{}', expected: {}",
                    other.literal(),
                    "in, notin, =, ==, !=, gt, lt"
                ));
            }
        };
        let mut values = match operator {
            Operator::In | Operator::NotIn => self.parse_values()?,
            _ => self.parse_exact_value()?,
        };
        values.sort();
        values.dedup();
        new_requirement(key, operator, values)
    }

    fn parse_values(&mut self) -> Result<Vec<String>, String> {
        let open = self.next_value();
        if open != Token::OpenPar {
            return Err(format!("found '{}' expected: '('", open.literal()));
        }
        match self.peek_value() {
            Token::Identifier(_) | Token::Comma => {
                let values = self.parse_identifier_list()?;
                let close = self.next_value();
                if close != Token::ClosedPar {
                    return Err(format!("found '{}', expected: ')'", close.literal()));
                }
                Ok(values)
            }
            Token::ClosedPar => {
                self.next_value();
                Ok(Vec::new())
            }
            other => Err(format!(
                "found '{}', expected: ',', ')' or identifier",
                other.literal()
            )),
        }
    }

    fn parse_identifier_list(&mut self) -> Result<Vec<String>, String> {
        let mut values = Vec::new();
        loop {
            match self.next_value() {
                Token::Identifier(value) => {
                    values.push(value);
                    match self.peek_value() {
                        Token::Comma => continue,
                        Token::ClosedPar => return Ok(values),
                        other => {
                            return Err(format!(
                                "found '{}', expected: ',' or ')'",
                                other.literal()
                            ));
                        }
                    }
                }
                // An empty value between commas, as in `(a,,b)` or `(,a)`, is "".
                Token::Comma => {
                    if values.is_empty() {
                        values.push(String::new());
                    }
                    match self.peek_value() {
                        Token::ClosedPar => {
                            values.push(String::new());
                            return Ok(values);
                        }
                        Token::Comma => {
                            self.next_value();
                            values.push(String::new());
                        }
                        _ => {}
                    }
                }
                other => {
                    return Err(format!(
                        "found '{}', expected: ',', or identifier",
                        other.literal()
                    ));
                }
            }
        }
    }

    fn parse_exact_value(&mut self) -> Result<Vec<String>, String> {
        if matches!(self.peek_value(), Token::EndOfString | Token::Comma) {
            return Ok(vec![String::new()]);
        }
        match self.next_value() {
            Token::Identifier(value) => Ok(vec![value]),
            other => Err(format!("found '{}', expected: identifier", other.literal())),
        }
    }
}

fn validate_key(key: &str) -> Result<(), String> {
    let errs = qualified_name_errors(key);
    if errs.is_empty() {
        Ok(())
    } else {
        Err(format!("key: Invalid value: {key:?}: {}", errs.join("; ")))
    }
}

fn new_requirement(
    key: String,
    operator: Operator,
    values: Vec<String>,
) -> Result<Requirement, String> {
    match operator {
        Operator::In | Operator::NotIn if values.is_empty() => {
            return Err("for 'in', 'notin' operators, values set can't be empty".into());
        }
        Operator::Equals | Operator::NotEquals if values.len() != 1 => {
            return Err("exact-match compatibility requires one single value".into());
        }
        Operator::GreaterThan | Operator::LessThan => {
            if values.len() != 1 {
                return Err("for 'Gt', 'Lt' operators, exactly one value is required".into());
            }
            if values[0].parse::<i64>().is_err() {
                return Err("for 'Gt', 'Lt' operators, the value must be an integer".into());
            }
        }
        _ => {}
    }
    for value in &values {
        let errs = label_value_errors(value);
        if !errs.is_empty() {
            return Err(format!(
                "values[0]: Invalid value: {value:?}: {}",
                errs.join("; ")
            ));
        }
    }
    Ok(Requirement {
        key,
        operator,
        values,
    })
}

/// Parses a selector string exactly as `labels.Parse` does.
pub fn parse(input: &str) -> Result<Selector, SelectorError> {
    let mut parser = Parser {
        tokens: lex(input),
        pos: 0,
    };
    parser
        .parse()
        .map(|requirements| Selector { requirements })
        .map_err(SelectorError)
}

/// A structured `LabelSelector` (`matchLabels` + `matchExpressions`), as PDBs and
/// workloads carry it, turned into a [`Selector`].
pub fn from_label_selector(
    selector: &k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector,
) -> Result<Selector, SelectorError> {
    let mut requirements = Vec::new();
    for (key, value) in selector.match_labels.iter().flatten() {
        requirements.push(
            new_requirement(key.clone(), Operator::Equals, vec![value.clone()])
                .map_err(SelectorError)?,
        );
    }
    for expr in selector.match_expressions.iter().flatten() {
        let operator = match expr.operator.as_str() {
            "In" => Operator::In,
            "NotIn" => Operator::NotIn,
            "Exists" => Operator::Exists,
            "DoesNotExist" => Operator::DoesNotExist,
            other => {
                return Err(SelectorError(format!(
                    "{other:?} is not a valid label selector operator"
                )));
            }
        };
        let mut values = expr.values.clone().unwrap_or_default();
        values.sort();
        values.dedup();
        requirements
            .push(new_requirement(expr.key.clone(), operator, values).map_err(SelectorError)?);
    }
    Ok(Selector { requirements })
}

#[cfg(test)]
mod tests;
