//! The printers against Tables a real kube-apiserver returned
//! (`shared/wire/70`–`79`).

use serde_json::Value;

/// The first JSON body of a recorded exchange in `shared/wire/`.
pub fn recorded(file: &str) -> Value {
    let path = format!("{}/../../tests/wire/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let start = text.find("\n{").expect("a JSON body") + 1;
    let mut stream = serde_json::Deserializer::from_str(&text[start..]).into_iter::<Value>();
    stream.next().expect("a body").expect("JSON")
}
