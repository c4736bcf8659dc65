//! serde-saphyr's errors, reduced to one line that we place ourselves.

/// The parser's message without its source snippet and without its own
/// "error: line L column C:" prefix, since callers print the place up front.
pub fn message(error: &serde_saphyr::Error) -> String {
    let text = error.to_string();
    let first = text.lines().next().unwrap_or(&text).trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    match first
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
    {
        Some((place, rest)) if place.contains("column") => rest.to_string(),
        _ => first.to_string(),
    }
}

/// 1-based line and column, when the parser knows them.
pub fn place(error: &serde_saphyr::Error) -> Option<(u64, u64)> {
    error
        .location()
        .map(|l| (l.line(), l.column()))
        .filter(|(l, _)| *l > 0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_only_the_message() {
        let err = serde_saphyr::from_str::<serde_json::Value>("a: \"open\n").unwrap_err();
        assert_eq!(super::message(&err), "unclosed quote");
        assert_eq!(super::place(&err), Some((1, 4)));
    }
}
