use super::*;

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn matches(selector: &str, pairs: &[(&str, &str)]) -> bool {
    parse(selector).unwrap().matches(&labels(pairs))
}

#[test]
fn equality_and_inequality() {
    assert!(matches("app=web", &[("app", "web")]));
    assert!(matches("app==web", &[("app", "web")]));
    assert!(!matches("app=web", &[("app", "api")]));
    assert!(!matches("app=web", &[]));
    // != also matches objects without the label, as in Kubernetes.
    assert!(matches("tier!=db", &[]));
    assert!(matches("tier!=db", &[("tier", "web")]));
    assert!(!matches("tier!=db", &[("tier", "db")]));
    assert!(matches(
        "app=web,tier!=db",
        &[("app", "web"), ("tier", "frontend")]
    ));
    assert!(!matches(
        "app=web,tier!=db",
        &[("app", "web"), ("tier", "db")]
    ));
}

#[test]
fn set_based() {
    assert!(matches("env in (a,b)", &[("env", "b")]));
    assert!(!matches("env in (a,b)", &[("env", "c")]));
    assert!(!matches("env in (a,b)", &[]));
    assert!(matches("env notin (a,b)", &[]));
    assert!(matches("env notin (a, b)", &[("env", "c")]));
    assert!(!matches("env notin (a,b)", &[("env", "a")]));
    // The keywords are plain values inside the parentheses.
    assert!(matches("op in (in,notin)", &[("op", "in")]));
}

#[test]
fn existence() {
    assert!(matches("legacy", &[("legacy", "true")]));
    assert!(!matches("legacy", &[]));
    assert!(matches("!legacy", &[]));
    assert!(!matches("!legacy", &[("legacy", "")]));
    assert!(matches("app, !legacy", &[("app", "x")]));
}

#[test]
fn numeric_comparisons() {
    assert!(matches("gen>3", &[("gen", "4")]));
    assert!(!matches("gen>3", &[("gen", "3")]));
    assert!(matches("gen<3", &[("gen", "-1")]));
    assert!(!matches("gen<3", &[("gen", "x")]));
}

#[test]
fn empty_values_and_selectors() {
    assert!(matches("", &[("a", "b")]));
    assert!(matches("app=", &[("app", "")]));
    assert!(matches("app in (,x)", &[("app", "")]));
    assert_eq!(
        parse("env in (b,a,a)").unwrap().requirements[0].values,
        vec!["a", "b"]
    );
}

#[test]
fn malformed_selectors_are_errors_with_the_api_servers_words() {
    // wire/14-list-bad-selector.txt
    assert_eq!(
        parse("app===x").unwrap_err().0,
        "unable to parse requirement: found '=', expected: identifier"
    );
    let cases = [
        ("app=web,", "found '', expected: identifier after ','"),
        (
            "env in ()",
            "unable to parse requirement: for 'in', 'notin' operators, values set can't be empty",
        ),
        (
            "env in (a",
            "unable to parse requirement: found '', expected: ',' or ')'",
        ),
        (
            "env in a",
            "unable to parse requirement: found 'a' expected: '('",
        ),
        (
            "gen>x",
            "unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer",
        ),
        (
            "=x",
            "found '=', expected: !, identifier, or 'end of string'",
        ),
        (
            "a b",
            "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt",
        ),
        ("!a=b", "found '=', expected: ',' or 'end of string'"),
    ];
    for (input, want) in cases {
        assert_eq!(parse(input).unwrap_err().0, want, "{input:?}");
    }
    assert!(parse("bad key!=x").is_err());
    assert!(
        parse("-app=x")
            .unwrap_err()
            .0
            .contains("name part must consist")
    );
    assert!(
        parse("app=-x")
            .unwrap_err()
            .0
            .contains("a valid label must be")
    );
}
