//! client-go's JSONPath parser (`parser.go`), step for step: the same
//! positions, the same splitting of unions and filters, the same errors.

use super::{Node, Param};

/// Parses a template: text, and `{…}` blocks as lists of nodes.
pub(super) fn template(text: &str) -> Result<Vec<Node>, String> {
    let mut parser = Parser {
        input: text,
        pos: 0,
        start: 0,
        width: 0,
    };
    let mut root = Vec::new();
    loop {
        if parser.rest().starts_with('{') {
            if parser.pos > parser.start {
                root.push(Node::Text(parser.consume().to_string()));
            }
            parser.pos += 1;
            parser.consume();
            root.push(Node::List(parser.action()?));
            continue;
        }
        if parser.next().is_none() {
            break;
        }
    }
    if parser.pos > parser.start {
        root.push(Node::Text(parser.consume().to_string()));
    }
    Ok(root)
}

/// `parseAction`: `text` parsed as the inside of one `{…}` block. Unions,
/// quoted keys and both sides of a filter go through here.
fn action_of(text: &str) -> Result<Vec<Node>, String> {
    match template(&format!("{{{text}}}"))?.into_iter().next() {
        Some(Node::List(nodes)) => Ok(nodes),
        _ => Ok(Vec::new()),
    }
}

struct Parser<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    /// The width of the last character read, for `backup`.
    width: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.input[self.pos..]
    }

    fn next(&mut self) -> Option<char> {
        match self.rest().chars().next() {
            Some(c) => {
                self.width = c.len_utf8();
                self.pos += self.width;
                Some(c)
            }
            None => {
                self.width = 0;
                None
            }
        }
    }

    fn backup(&mut self) {
        self.pos -= self.width;
    }

    fn peek(&mut self) -> Option<char> {
        let c = self.next();
        self.backup();
        c
    }

    /// The text read since the last call.
    fn consume(&mut self) -> &'a str {
        let text = &self.input[self.start..self.pos];
        self.start = self.pos;
        text
    }

    /// Whether the character before the one just read is a backslash: an
    /// escaped quote does not close a string.
    fn escaped(&self) -> bool {
        self.pos
            .checked_sub(2)
            .and_then(|at| self.input.as_bytes().get(at))
            == Some(&b'\\')
    }

    /// `parseInsideAction`: nodes up to the closing `}`.
    fn action(&mut self) -> Result<Vec<Node>, String> {
        let mut cur = Vec::new();
        loop {
            let rest = self.rest();
            if rest.starts_with('}') {
                self.pos += 1;
                self.consume();
                return Ok(cur);
            }
            if rest.starts_with("[?(") {
                self.filter(&mut cur)?;
                continue;
            }
            if rest.starts_with("..") {
                self.recursive(&mut cur)?;
                continue;
            }
            match self.next() {
                None | Some('\r' | '\n') => return Err("unclosed action".to_string()),
                Some(' ' | '@' | '$') => {
                    self.consume();
                }
                Some('[') => self.array(&mut cur)?,
                Some(quote @ ('"' | '\'')) => self.quote(&mut cur, quote)?,
                Some('.') => self.field(&mut cur),
                Some(c) if c == '+' || c == '-' || is_digit(c) => {
                    self.backup();
                    self.number(&mut cur)?;
                }
                Some(c) if is_alphanumeric(c) => {
                    self.backup();
                    self.identifier(&mut cur);
                }
                Some(c) => {
                    return Err(format!(
                        "unrecognized character in action: U+{:04X} '{c}'",
                        c as u32
                    ));
                }
            }
        }
    }

    fn identifier(&mut self, cur: &mut Vec<Node>) {
        while !is_terminator(self.next()) {}
        self.backup();
        let value = self.consume();
        cur.push(match value {
            "true" => Node::Bool(true),
            "false" => Node::Bool(false),
            _ => Node::Identifier(value.to_string()),
        });
    }

    fn recursive(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        if cur.last() == Some(&Node::Recursive) {
            return Err("invalid multiple recursive descent".to_string());
        }
        self.pos += 2;
        self.consume();
        cur.push(Node::Recursive);
        if self.peek().is_some_and(is_alphanumeric) {
            self.field(cur);
        }
        Ok(())
    }

    fn number(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        if matches!(self.peek(), Some('+' | '-')) {
            self.next();
        }
        while matches!(self.next(), Some(c) if c == '.' || is_digit(c)) {}
        self.backup();
        let value = self.consume();
        if let Ok(int) = value.parse::<i64>() {
            cur.push(Node::Int(int));
        } else if let Ok(float) = value.parse::<f64>() {
            cur.push(Node::Float(float));
        } else {
            return Err(format!("cannot parse number {value}"));
        }
        Ok(())
    }

    /// `[…]`: an index or slice, a quoted key, or a union of either.
    fn array(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated array".to_string()),
                Some(']') => break,
                Some(_) => {}
            }
        }
        let consumed = self.consume();
        let mut text = &consumed[1..consumed.len() - 1];
        if text == "*" {
            text = ":";
        }

        if text.contains(',') {
            let union = text
                .split(',')
                .map(|part| action_of(&format!("[{}]", part.trim_matches(' '))))
                .collect::<Result<Vec<_>, _>>()?;
            cur.push(Node::Union(union));
            return Ok(());
        }

        // client-go reparses a quoted key as a path: `['a.b']` is `.a.b`.
        let quoted = text
            .strip_prefix('\'')
            .and_then(|t| t.strip_suffix('\''))
            .filter(|key| !key.contains('\''));
        if let Some(key) = quoted {
            cur.extend(action_of(&format!(".{key}"))?);
            return Ok(());
        }

        cur.push(Node::Array(slice_params(text)?));
        Ok(())
    }

    /// `[?(left op right)]`, or `[?(path)]` for existence.
    fn filter(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        self.pos += 3;
        self.consume();
        let (mut begin, mut end) = (false, false);
        let mut pair = '"';
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated filter".to_string()),
                Some(quote @ ('"' | '\'')) => {
                    if !begin {
                        begin = true;
                        pair = quote;
                    } else if !self.escaped() && quote == pair {
                        end = true;
                    }
                }
                // A `)` inside a quoted string does not close the filter.
                Some(')') if begin == end => break,
                Some(_) => {}
            }
        }
        if self.next() != Some(']') {
            return Err("unclosed array expect ]".to_string());
        }
        let consumed = self.consume();
        let text = &consumed[..consumed.len() - 2];
        cur.push(match split_comparison(text) {
            None => Node::Filter {
                left: action_of(text)?,
                right: Vec::new(),
                operator: "exists".to_string(),
            },
            Some((left, operator, right)) => Node::Filter {
                left: action_of(left)?,
                right: action_of(right)?,
                operator: operator.to_string(),
            },
        });
        Ok(())
    }

    fn quote(&mut self, cur: &mut Vec<Node>, end: char) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated quoted string".to_string()),
                Some(c) if c == end && !self.escaped() => break,
                Some(_) => {}
            }
        }
        let value = self.consume();
        let text =
            unquote(value).ok_or_else(|| format!("unquote string {value} error invalid syntax"))?;
        cur.push(Node::Text(text));
        Ok(())
    }

    /// A field name up to the next unescaped terminator; `\.` is a dot in the name.
    fn field(&mut self, cur: &mut Vec<Node>) {
        self.consume();
        loop {
            match self.next() {
                Some('\\') => {
                    self.next();
                }
                c if is_terminator(c) => {
                    self.backup();
                    break;
                }
                _ => {}
            }
        }
        let value = self.consume();
        cur.push(if value == "*" {
            Node::Wildcard
        } else {
            Node::Field(value.replace('\\', ""))
        });
    }
}

/// The start, end and step of `[i]`, `[a:b]` or `[a:b:c]`
/// (`^(-?\d*)(:-?\d*)?(:-?\d*)?$`).
fn slice_params(text: &str) -> Result<[Param; 3], String> {
    let groups: Vec<&str> = text.split(':').collect();
    let well_formed = groups.len() <= 3
        && groups.iter().all(|g| {
            let digits = g.strip_prefix('-').unwrap_or(g);
            digits.bytes().all(|b| b.is_ascii_digit())
        });
    if !well_formed {
        return Err(format!("invalid array index {text}"));
    }
    let mut params = [Param::default(); 3];
    for i in 0..3 {
        let given = if i == 0 {
            !groups[0].is_empty()
        } else {
            groups.len() > i
        };
        if given {
            let number = groups[i];
            if i > 0 && number.is_empty() {
                params[i].known = false;
            } else {
                params[i].known = true;
                params[i].value = number
                    .parse()
                    .map_err(|_| format!("array index {number} is not a number"))?;
            }
        } else if i == 1 {
            params[1] = Param {
                value: params[0].value.wrapping_add(1),
                known: true,
                derived: true,
            };
        }
    }
    Ok(params)
}

/// `^([^!<>=]+)([!<>=]+)(.+?)$`: the left side, the operator and the right
/// side of a comparison, or `None` for an existence test.
fn split_comparison(text: &str) -> Option<(&str, &str, &str)> {
    let is_operator = |c: char| matches!(c, '!' | '<' | '>' | '=');
    let at = text.find(is_operator).filter(|&at| at > 0)?;
    let after = &text[at..];
    let run = after.find(|c| !is_operator(c)).unwrap_or(after.len());
    // The right side takes at least one character, even from the operator.
    let run = if run == after.len() {
        run.checked_sub(1).filter(|&r| r > 0)?
    } else {
        run
    };
    Some((&text[..at], &after[..run], &after[run..]))
}

/// `UnquoteExtend`: Go's `strconv.Unquote`, for single quotes too.
fn unquote(quoted: &str) -> Option<String> {
    let quote = quoted.chars().next().filter(|q| matches!(q, '"' | '\''))?;
    let inner = quoted
        .strip_prefix(quote)
        .and_then(|s| s.strip_suffix(quote))?;
    let mut out: Vec<u8> = Vec::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == quote {
            return None;
        }
        if c != '\\' {
            let mut buf = [0; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        let escape = chars.next()?;
        let mut hex = |digits: usize| -> Option<u32> {
            let text: String = chars.by_ref().take(digits).collect();
            (text.len() == digits && text.bytes().all(|b| b.is_ascii_hexdigit()))
                .then(|| u32::from_str_radix(&text, 16).ok())
                .flatten()
        };
        let simple = match escape {
            'a' => Some(7),
            'b' => Some(8),
            'f' => Some(12),
            'n' => Some(b'\n'),
            'r' => Some(b'\r'),
            't' => Some(b'\t'),
            'v' => Some(11),
            '\\' => Some(b'\\'),
            '\'' | '"' if escape == quote => Some(escape as u8),
            'x' => Some(u8::try_from(hex(2)?).ok()?),
            _ => None,
        };
        if let Some(byte) = simple {
            out.push(byte);
            continue;
        }
        let rune = match escape {
            'u' => char::from_u32(hex(4)?)?,
            'U' => char::from_u32(hex(8)?)?,
            '0'..='7' => {
                let rest: String = chars.by_ref().take(2).collect();
                let value = u32::from_str_radix(&format!("{escape}{rest}"), 8).ok()?;
                out.push(u8::try_from(value).ok().filter(|_| rest.len() == 2)?);
                continue;
            }
            _ => return None,
        };
        let mut buf = [0; 4];
        out.extend_from_slice(rune.encode_utf8(&mut buf).as_bytes());
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

fn is_terminator(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => matches!(
            c,
            ' ' | '\t' | '\r' | '\n' | '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}'
        ),
    }
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

fn is_alphanumeric(c: char) -> bool {
    c == '_' || c.is_alphabetic() || is_digit(c)
}
