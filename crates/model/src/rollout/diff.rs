//! A unified line diff of two pod templates rendered as YAML.

use serde_json::Value;

use super::history::normalized;

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffLine {
    /// `@@ -a,b +c,d @@`
    Hunk(String),
    Same(String),
    Removed(String),
    Added(String),
}

/// Lines of context around each change, as `diff -u`.
const CONTEXT: usize = 3;

/// A template as YAML, empty fields dropped so both sides render alike.
pub fn template_yaml(template: &Value) -> String {
    let value = normalized(template).unwrap_or(Value::Object(Default::default()));
    serde_saphyr::to_string(&value).unwrap_or_default()
}

enum Op {
    Same(usize),
    Del(usize),
    Add(usize),
}

/// The edit script of a longest common subsequence (templates are small).
fn edit_script(a: &[&str], b: &[&str]) -> Vec<Op> {
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut ops) = (0, 0, Vec::new());
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            ops.push(Op::Same(i));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            // Removals before additions, as `diff -u` prints a change.
            ops.push(Op::Del(i));
            i += 1;
        } else {
            ops.push(Op::Add(j));
            j += 1;
        }
    }
    ops
}

/// `old` → `new` as unified diff hunks; empty when the texts are equal.
pub fn unified_diff(old: &str, new: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let ops = edit_script(&a, &b);
    let changed: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, op)| !matches!(op, Op::Same(..)))
        .map(|(k, _)| k)
        .collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < changed.len() {
        let start = changed[k].saturating_sub(CONTEXT);
        let mut end = changed[k] + CONTEXT + 1;
        while k + 1 < changed.len() && changed[k + 1] <= end + CONTEXT {
            k += 1;
            end = changed[k] + CONTEXT + 1;
        }
        k += 1;
        let end = end.min(ops.len());
        let hunk = &ops[start..end];
        // Line numbers where the hunk starts on each side: ops before it.
        let (mut a_line, mut b_line) = (0, 0);
        for op in &ops[..start] {
            match op {
                Op::Same(..) => {
                    a_line += 1;
                    b_line += 1;
                }
                Op::Del(_) => a_line += 1,
                Op::Add(_) => b_line += 1,
            }
        }
        let a_len = hunk.iter().filter(|op| !matches!(op, Op::Add(_))).count();
        let b_len = hunk.iter().filter(|op| !matches!(op, Op::Del(_))).count();
        let from = |line: usize, len: usize| if len == 0 { line } else { line + 1 };
        out.push(DiffLine::Hunk(format!(
            "@@ -{},{a_len} +{},{b_len} @@",
            from(a_line, a_len),
            from(b_line, b_len)
        )));
        for op in hunk {
            out.push(match op {
                Op::Same(i) => DiffLine::Same(a[*i].to_string()),
                Op::Del(i) => DiffLine::Removed(a[*i].to_string()),
                Op::Add(j) => DiffLine::Added(b[*j].to_string()),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[DiffLine]) -> String {
        lines
            .iter()
            .map(|l| match l {
                DiffLine::Hunk(h) => h.clone(),
                DiffLine::Same(s) => format!(" {s}"),
                DiffLine::Removed(s) => format!("-{s}"),
                DiffLine::Added(s) => format!("+{s}"),
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn equal_texts_have_no_hunks() {
        assert_eq!(unified_diff("a\nb\n", "a\nb\n"), vec![]);
    }

    #[test]
    fn one_change_with_three_lines_of_context() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        let new = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
        assert_eq!(
            text(&unified_diff(old, new)),
            "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8"
        );
    }

    #[test]
    fn distant_changes_make_two_hunks_and_additions_count_right() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n";
        let new = "A\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n";
        assert_eq!(
            text(&unified_diff(old, new)),
            "@@ -1,4 +1,4 @@\n-a\n+A\n b\n c\n d\n@@ -9,3 +9,4 @@\n i\n j\n k\n+l"
        );
    }
}
