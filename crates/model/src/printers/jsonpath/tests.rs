use serde_json::{Value, json};

use super::JsonPath;

fn find(path: &str, object: &Value) -> Vec<Value> {
    JsonPath::parse(path)
        .unwrap_or_else(|e| panic!("{e}"))
        .find(object)
}

fn pod() -> Value {
    json!({
        "metadata": {
            "name": "web-0",
            "labels": {"app.kubernetes.io/name": "web", "tier": "front"},
            "annotations": {"a": {"b": "nested"}, "a.b": "dotted"}
        },
        "spec": {
            "color": "red",
            "weight": 7,
            "ratio": 0.5,
            "paused": false,
            "nothing": null,
            "containers": [
                {"name": "app", "image": "nginx", "ports": [{"containerPort": 80}]},
                {"name": "sidecar", "image": "envoy", "ports": [{"containerPort": 9901}, {"containerPort": 15000}]}
            ],
            "items": [10, 20, 30, 40, 50]
        },
        "status": {
            "conditions": [
                {"type": "Initialized", "status": "True", "count": 1},
                {"type": "Ready", "status": "False", "count": 3, "reason": "ContainersNotReady"},
                {"type": "PodScheduled", "status": "True", "count": 5}
            ]
        }
    })
}

#[test]
fn fields_and_missing_fields() {
    let p = pod();
    assert_eq!(find(".spec.color", &p), vec![json!("red")]);
    assert_eq!(find(".spec.weight", &p), vec![json!(7)]);
    assert_eq!(find(".spec.paused", &p), vec![json!(false)]);
    assert_eq!(find(".spec.missing", &p), Vec::<Value>::new());
    assert_eq!(find(".nope.deeper.still", &p), Vec::<Value>::new());
    // A null is a value the path reaches, and a dead end past it.
    assert_eq!(find(".spec.nothing", &p), vec![Value::Null]);
    assert_eq!(find(".spec.nothing.x", &p), Vec::<Value>::new());
    // A field of a scalar or a list is nothing, not an error.
    assert_eq!(find(".spec.color.x", &p), Vec::<Value>::new());
    assert_eq!(find(".spec.items.x", &p), Vec::<Value>::new());
    // `$` and `@` name the object itself.
    assert_eq!(find("$.metadata.name", &p), vec![json!("web-0")]);
    assert_eq!(find("@.metadata.name", &p), vec![json!("web-0")]);
}

#[test]
fn quoted_keys_are_paths_and_escaped_dots_are_keys() {
    let p = pod();
    assert_eq!(find(".metadata.labels['tier']", &p), vec![json!("front")]);
    // As in client-go, a dot inside quotes still separates fields …
    assert_eq!(
        find(".metadata.annotations['a.b']", &p),
        vec![json!("nested")]
    );
    // … and a backslash makes it part of the key.
    assert_eq!(
        find(".metadata.annotations['a\\.b']", &p),
        vec![json!("dotted")]
    );
    assert_eq!(
        find(".metadata.labels.app\\.kubernetes\\.io/name", &p),
        vec![json!("web")]
    );
}

#[test]
fn indexes_and_slices() {
    let p = pod();
    assert_eq!(find(".spec.containers[0].name", &p), vec![json!("app")]);
    assert_eq!(
        find(".spec.containers[-1].name", &p),
        vec![json!("sidecar")]
    );
    assert_eq!(find(".spec.items[0:2]", &p), vec![json!(10), json!(20)]);
    assert_eq!(find(".spec.items[3:]", &p), vec![json!(40), json!(50)]);
    assert_eq!(find(".spec.items[:1]", &p), vec![json!(10)]);
    assert_eq!(find(".spec.items[-2:]", &p), vec![json!(40), json!(50)]);
    assert_eq!(
        find(".spec.items[::2]", &p),
        vec![json!(10), json!(30), json!(50)]
    );
    assert_eq!(find(".spec.items[2:2]", &p), Vec::<Value>::new());
    // Out of range is an error in client-go: the path finds nothing.
    assert_eq!(find(".spec.items[5]", &p), Vec::<Value>::new());
    assert_eq!(find(".spec.items[-6]", &p), Vec::<Value>::new());
    assert_eq!(find(".spec.items[1:9]", &p), Vec::<Value>::new());
    assert_eq!(find(".spec.items[::0]", &p), Vec::<Value>::new());
    // Indexing a map is an error too, indexing null is nothing.
    assert_eq!(find(".spec[0]", &p), Vec::<Value>::new());
    assert_eq!(find(".spec.nothing[0]", &p), Vec::<Value>::new());
}

#[test]
fn wildcards_and_recursive_descent() {
    let p = pod();
    assert_eq!(
        find(".spec.containers[*].name", &p),
        vec![json!("app"), json!("sidecar")]
    );
    assert_eq!(
        find(".spec.containers[*].ports[*].containerPort", &p),
        vec![json!(80), json!(9901), json!(15000)]
    );
    // `.*` takes a map's values by key.
    assert_eq!(
        find(".metadata.labels.*", &p),
        vec![json!("web"), json!("front")]
    );
    assert_eq!(
        find("..containerPort", &p),
        vec![json!(80), json!(9901), json!(15000)]
    );
    assert_eq!(
        find(".spec..name", &p),
        vec![json!("app"), json!("sidecar")]
    );
}

#[test]
fn filters_compare_one_value_of_one_type() {
    let p = pod();
    let conditions = ".status.conditions";
    let types = |filter: &str| find(&format!("{conditions}[?({filter})].type"), &p);
    assert_eq!(
        find(&format!("{conditions}[?(@.type==\"Ready\")].status"), &p),
        vec![json!("False")]
    );
    assert_eq!(types("@.type=='Ready'"), vec![json!("Ready")]);
    assert_eq!(types("@.status!=\"True\""), vec![json!("Ready")]);
    assert_eq!(types("@.count<3"), vec![json!("Initialized")]);
    assert_eq!(
        types("@.count <= 3"),
        vec![json!("Initialized"), json!("Ready")]
    );
    assert_eq!(types("@.count>3"), vec![json!("PodScheduled")]);
    assert_eq!(
        types("@.count>=3"),
        vec![json!("Ready"), json!("PodScheduled")]
    );
    // Existence: the element has the field.
    assert_eq!(types("@.reason"), vec![json!("Ready")]);
    // An element without the field is skipped; comparing an integer with a
    // float or a string is an error, and the path finds nothing.
    assert_eq!(
        types("@.reason==\"ContainersNotReady\""),
        vec![json!("Ready")]
    );
    assert_eq!(types("@.count>2.5"), Vec::<Value>::new());
    assert_eq!(types("@.count==\"3\""), Vec::<Value>::new());
    let flags = json!({"items": [{"n": "a", "on": true}, {"n": "b", "on": false}]});
    assert_eq!(find(".items[?(@.on==true)].n", &flags), vec![json!("a")]);
    // Booleans have no order.
    assert_eq!(find(".items[?(@.on<true)].n", &flags), Vec::<Value>::new());
    // A `)` inside quotes does not end the filter.
    let odd = json!({"items": [{"n": "a)b"}, {"n": "c"}]});
    assert_eq!(find(".items[?(@.n==\"a)b\")].n", &odd), vec![json!("a)b")]);
}

#[test]
fn unions_take_each_part_in_turn() {
    let p = pod();
    assert_eq!(find(".spec.items[0,2]", &p), vec![json!(10), json!(30)]);
    assert_eq!(
        find(".spec.containers[0]['name','image']", &p),
        vec![json!("app"), json!("nginx")]
    );
    // One part out of range fails the whole path.
    assert_eq!(find(".spec.items[0,9]", &p), Vec::<Value>::new());
}

#[test]
fn errors_name_the_path_and_the_reason() {
    let cases = [
        (".spec[0", "unterminated array"),
        (".spec[a]", "invalid array index a"),
        (".spec[?(@.a==1)", "unclosed array expect ]"),
        ("..*", "unrecognized character in action: U+002A '*'"),
        ("....a", "invalid multiple recursive descent"),
        (".spec[0]{", "unrecognized character in action: U+007B '{'"),
        (".a[?(@.x==\"y)]", "unterminated filter"),
        ("\"abc", "unterminated quoted string"),
        ("1.2.3", "cannot parse number 1.2.3"),
        (".a\n", "unclosed action"),
    ];
    for (path, reason) in cases {
        let error = JsonPath::parse(path).expect_err(path);
        assert_eq!(error.path, path);
        assert_eq!(error.reason, reason, "{path}");
        assert!(error.to_string().contains(&format!("{path:?}")), "{error}");
    }
}

#[test]
fn literals_and_template_blocks() {
    let p = pod();
    // A literal finds itself; a column has no use for `range`.
    assert_eq!(find("'x\\ty'", &p), vec![json!("x\ty")]);
    assert_eq!(find("42", &p), vec![json!(42)]);
    assert_eq!(find("range .spec.items", &p), Vec::<Value>::new());
    // What follows the first block is parsed but not returned.
    assert_eq!(find(".spec.color}{.spec.weight", &p), vec![json!("red")]);
    assert_eq!(
        JsonPath::parse(".spec.color").unwrap().source(),
        ".spec.color"
    );
}
