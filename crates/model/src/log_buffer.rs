//! The lines of a log view: a buffer bounded in lines and in bytes (a noisy pod
//! must not exhaust memory; the oldest lines go first and are counted), each
//! line tagged with the pod/container it came from, and the regex filter that
//! selects and highlights lines.

use std::collections::VecDeque;
use std::ops::Range;

use jiff::Timestamp;

/// Where a line came from: one container of one pod.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LogSource {
    pub namespace: String,
    pub pod: String,
    pub container: String,
}

impl LogSource {
    /// A source from its parts.
    pub fn new(
        namespace: impl Into<String>,
        pod: impl Into<String>,
        container: impl Into<String>,
    ) -> Self {
        LogSource {
            namespace: namespace.into(),
            pod: pod.into(),
            container: container.into(),
        }
    }

    /// `pod/NAME/CONTAINER`, as `kubectl logs --prefix` names a source
    /// (kubectl/pkg/cmd/logs/logs.go, `[pod/%s/%s]`).
    pub fn label(&self) -> String {
        format!("pod/{}/{}", self.pod, self.container)
    }
}

/// One line of a log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// Index of the line's source in [`LogBuffer::sources`]: also its colour.
    pub source: usize,
    /// The timestamp the server stamped on the line, when it had one.
    pub timestamp: Option<Timestamp>,
    pub text: String,
}

/// The bounds of a [`LogBuffer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogLimits {
    pub max_lines: usize,
    /// Bytes of line text (UTF-8), the part that can grow without bound.
    pub max_bytes: usize,
}

impl Default for LogLimits {
    /// 50,000 lines or 16 MiB, whichever comes first.
    fn default() -> Self {
        LogLimits {
            max_lines: 50_000,
            max_bytes: 16 * 1024 * 1024,
        }
    }
}

/// Log lines in arrival order, the oldest dropped beyond the limits.
#[derive(Debug, Clone, Default)]
pub struct LogBuffer {
    limits: LogLimits,
    lines: VecDeque<LogLine>,
    bytes: usize,
    dropped: u64,
    /// Every source seen, in order of first appearance; never shrinks, so a
    /// source keeps its colour for the life of the view.
    sources: Vec<LogSource>,
}

impl LogBuffer {
    /// An empty buffer with these limits.
    pub fn new(limits: LogLimits) -> Self {
        LogBuffer {
            limits,
            ..LogBuffer::default()
        }
    }

    /// Appends a line, dropping the oldest lines until both limits hold. A
    /// single line longer than the byte limit is cut at a character boundary.
    pub fn push(
        &mut self,
        source: &LogSource,
        timestamp: Option<Timestamp>,
        text: impl Into<String>,
    ) {
        let mut text = text.into();
        if text.len() > self.limits.max_bytes {
            let mut end = self.limits.max_bytes;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.truncate(end);
        }
        let source = self.source_index(source);
        self.bytes += text.len();
        self.lines.push_back(LogLine {
            source,
            timestamp,
            text,
        });
        while self.lines.len() > self.limits.max_lines.max(1) || self.bytes > self.limits.max_bytes
        {
            let Some(oldest) = self.lines.pop_front() else {
                break;
            };
            self.bytes -= oldest.text.len();
            self.dropped += 1;
        }
    }

    /// The colour index of a source: its order of first appearance.
    pub fn source_index(&mut self, source: &LogSource) -> usize {
        match self.sources.iter().position(|s| s == source) {
            Some(index) => index,
            None => {
                self.sources.push(source.clone());
                self.sources.len() - 1
            }
        }
    }

    /// The lines kept, oldest first.
    pub fn lines(&self) -> impl ExactSizeIterator<Item = &LogLine> + DoubleEndedIterator {
        self.lines.iter()
    }

    /// Every source seen, indexed by [`LogLine::source`].
    pub fn sources(&self) -> &[LogSource] {
        &self.sources
    }

    /// The source of a line.
    pub fn source(&self, line: &LogLine) -> Option<&LogSource> {
        self.sources.get(line.source)
    }

    /// How many lines are kept.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether no line is kept.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Bytes of text kept.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// How many lines were dropped to respect the limits.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    pub fn limits(&self) -> LogLimits {
        self.limits
    }

    /// Forgets every line (sources keep their colours).
    pub fn clear(&mut self) {
        self.lines.clear();
        self.bytes = 0;
    }
}

/// A compiled filter: the lines it keeps and the ranges to highlight.
#[derive(Debug, Clone)]
pub struct LogFilter {
    pattern: String,
    regex: regex::Regex,
}

impl LogFilter {
    /// Compiles `pattern` as a regular expression (`regex` crate syntax); an
    /// invalid one yields the error message to show.
    pub fn new(pattern: &str) -> Result<LogFilter, String> {
        regex::Regex::new(pattern)
            .map(|regex| LogFilter {
                pattern: pattern.to_string(),
                regex,
            })
            .map_err(|e| e.to_string())
    }

    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// `None` when `text` does not match; otherwise the byte ranges of the
    /// non-empty matches, in order (empty for a pattern that matched empty text).
    pub fn matches(&self, text: &str) -> Option<Vec<Range<usize>>> {
        let mut any = false;
        let mut ranges = Vec::new();
        for found in self.regex.find_iter(text) {
            any = true;
            if !found.range().is_empty() {
                ranges.push(found.range());
            }
        }
        any.then_some(ranges)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn web() -> LogSource {
        LogSource::new("shop", "web-1", "nginx")
    }

    fn texts(buffer: &LogBuffer) -> Vec<&str> {
        buffer.lines().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn the_oldest_lines_go_beyond_the_line_limit() {
        let mut buffer = LogBuffer::new(LogLimits {
            max_lines: 3,
            max_bytes: 1000,
        });
        for text in ["a", "b", "c", "d", "e"] {
            buffer.push(&web(), None, text);
        }
        assert_eq!(texts(&buffer), ["c", "d", "e"]);
        assert_eq!(buffer.dropped(), 2);
        assert_eq!(buffer.bytes(), 3);
    }

    #[test]
    fn the_byte_limit_counts_utf8_bytes_not_characters() {
        let mut buffer = LogBuffer::new(LogLimits {
            max_lines: 100,
            max_bytes: 10,
        });
        // "héllo" is 6 bytes, "→→" 6 bytes: both cannot fit in 10.
        buffer.push(&web(), None, "héllo");
        buffer.push(&web(), None, "→→");
        assert_eq!(texts(&buffer), ["→→"]);
        assert_eq!((buffer.bytes(), buffer.dropped()), (6, 1));
        buffer.push(&web(), None, "ab");
        assert_eq!(texts(&buffer), ["→→", "ab"]);
        assert_eq!(buffer.bytes(), 8);
        // A line alone above the limit is cut at a character boundary: 3 × 3
        // bytes = 9 fit, the 4th arrow would make 12.
        buffer.push(&web(), None, "→→→→");
        assert_eq!(texts(&buffer), ["→→→"]);
        assert_eq!((buffer.bytes(), buffer.dropped()), (9, 3));
    }

    #[test]
    fn sources_keep_the_colour_of_their_first_appearance() {
        let mut buffer = LogBuffer::new(LogLimits {
            max_lines: 1,
            max_bytes: 100,
        });
        let api = LogSource::new("shop", "api-1", "api");
        buffer.push(&web(), None, "1");
        buffer.push(&api, None, "2");
        buffer.push(&web(), None, "3");
        let line = buffer.lines().next().expect("one line");
        assert_eq!(line.source, 0);
        assert_eq!(buffer.source(line), Some(&web()));
        assert_eq!(buffer.sources(), [web(), api]);
        assert_eq!(web().label(), "pod/web-1/nginx");
    }

    #[test]
    fn the_filter_reports_byte_ranges_of_every_match() {
        let filter = LogFilter::new("GET|é+").expect("a valid pattern");
        assert_eq!(
            filter.matches("GET /é 200 GET"),
            Some(vec![0..3, 5..7, 12..15])
        );
        assert_eq!(filter.matches("POST /"), None);
        let empty = LogFilter::new("x*").expect("a valid pattern");
        assert_eq!(empty.matches("abc"), Some(vec![]));
        assert_eq!(
            LogFilter::new("(")
                .err()
                .map(|e| e.lines().last().map(str::to_string)),
            Some(Some("error: unclosed group".to_string()))
        );
    }
}
