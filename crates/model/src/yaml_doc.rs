//! An object as YAML, the way `kubectl get -o yaml` prints it (keys sorted, as
//! kubectl's JSON → YAML conversion leaves them), highlighted by syntect's YAML
//! grammar. Token scopes map to the theme's semantic tones rather than to a
//! syntect colour theme, so the view follows the user's theme.

use std::sync::OnceLock;

use serde_json::Value;
use syntect::easy::ScopeRangeIterator;
use syntect::parsing::{ParseState, ScopeStack, SyntaxSet};

use super::doc::{Doc, DocLine, Span};
use super::table::Tone;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Where the YAML came from, said in its first comment line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YamlOrigin {
    /// The watch cache: managedFields were stripped on the way in, and a pod
    /// keeps only the fields views read.
    Cache,
    /// Fetched from the API server just now, complete.
    Server,
    /// A snapshot file, as saved.
    File,
}

/// The YAML document of `object`; managedFields are replaced by a one-line note
/// unless `show_managed_fields`.
pub fn yaml_doc(title: &str, object: &Value, origin: YamlOrigin, show_managed_fields: bool) -> Doc {
    let mut object = object.clone();
    let managed = object
        .get_mut("metadata")
        .and_then(Value::as_object_mut)
        .and_then(|m| {
            if show_managed_fields {
                m.get("managedFields")
                    .map(|f| f.as_array().map_or(0, Vec::len))
            } else {
                m.remove("managedFields")
                    .map(|f| f.as_array().map_or(0, Vec::len))
            }
        });
    let mut doc = Doc::new(title);
    let note = match (origin, managed, show_managed_fields) {
        (YamlOrigin::Cache, _, _) => {
            "# from the watch cache (without managedFields; a pod only with the fields views read)"
                .to_string()
        }
        (_, Some(n), false) => format!("# {n} managedFields entries hidden (m shows them)"),
        (_, Some(n), true) => format!("# {n} managedFields entries shown (m hides them)"),
        (YamlOrigin::Server, None, _) => "# fetched from the API server".to_string(),
        (YamlOrigin::File, None, _) => "# from the snapshot file".to_string(),
    };
    doc.text(note, Tone::Muted);
    // Long values stay on one line, as kubectl prints them (no folded `>-` blocks).
    let mut options = serde_saphyr::SerializerOptions::default();
    options.prefer_block_scalars = false;
    let text = match serde_saphyr::to_string_with_options(&object, options) {
        Ok(text) => text,
        Err(e) => {
            doc.text(format!("cannot print this object as YAML: {e}"), Tone::Bad);
            return doc;
        }
    };
    doc.lines.extend(highlight(&text));
    doc
}

/// One doc line per YAML line, each token toned by its syntect scope.
pub fn highlight(text: &str) -> Vec<DocLine> {
    let set = syntaxes();
    let Some(syntax) = set.find_syntax_by_extension("yaml") else {
        return plain(text);
    };
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut lines = Vec::new();
    for line in text.lines() {
        let with_newline = format!("{line}\n");
        let Ok(ops) = state.parse_line(&with_newline, set) else {
            return plain(text);
        };
        let mut spans: Vec<Span> = Vec::new();
        for (range, op) in ScopeRangeIterator::new(&ops, &with_newline) {
            if stack.apply(op).is_err() {
                return plain(text);
            }
            let piece = with_newline[range].trim_end_matches('\n');
            if piece.is_empty() {
                continue;
            }
            let tone = tone_of(&stack);
            match spans.last_mut() {
                Some(last) if last.tone == tone => last.text.push_str(piece),
                _ => spans.push(Span::new(piece, tone)),
            }
        }
        lines.push(DocLine {
            spans,
            ..DocLine::default()
        });
    }
    lines
}

fn plain(text: &str) -> Vec<DocLine> {
    text.lines()
        .map(|l| DocLine {
            spans: vec![Span::new(l, Tone::Normal)],
            ..DocLine::default()
        })
        .collect()
}

/// The innermost scope that means something to a reader decides the tone.
fn tone_of(stack: &ScopeStack) -> Tone {
    for scope in stack.as_slice().iter().rev() {
        let name = scope.build_string();
        if name.starts_with("comment") {
            return Tone::Muted;
        }
        if name.starts_with("entity.name.tag") {
            return Tone::Progressing;
        }
        if name.starts_with("string") {
            return Tone::Good;
        }
        if name.starts_with("constant") {
            return Tone::Warning;
        }
        if name.starts_with("punctuation") {
            return Tone::Muted;
        }
    }
    Tone::Normal
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod() -> Value {
        json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": "web-1",
                "namespace": "shop",
                "managedFields": [{"manager": "kubectl", "operation": "Apply"}],
            },
            "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
        })
    }

    #[test]
    fn managed_fields_are_hidden_until_asked_for() {
        let hidden = yaml_doc("pod", &pod(), YamlOrigin::Server, false).to_text();
        assert_eq!(
            hidden,
            "# 1 managedFields entries hidden (m shows them)\n\
             apiVersion: v1\n\
             kind: Pod\n\
             metadata:\n  name: web-1\n  namespace: shop\n\
             spec:\n  containers:\n  - image: nginx:1.27\n    name: web\n"
        );
        let shown = yaml_doc("pod", &pod(), YamlOrigin::Server, true).to_text();
        assert!(shown.contains("  managedFields:\n  - manager: kubectl\n    operation: Apply\n"));
    }

    #[test]
    fn keys_values_and_comments_get_their_own_tones() {
        let lines = highlight("# note\nname: web-1\nreplicas: 3\n");
        assert_eq!(lines[0].spans[0].tone, Tone::Muted);
        let key = &lines[1].spans[0];
        assert_eq!((key.text.as_str(), key.tone), ("name", Tone::Progressing));
        let value = lines[1].spans.last().expect("a value span");
        assert_eq!((value.text.as_str(), value.tone), ("web-1", Tone::Good));
        let number = lines[2].spans.last().expect("a value span");
        assert_eq!((number.text.as_str(), number.tone), ("3", Tone::Warning));
    }
}
