//! Maps field paths (`evidence[3].control`, as serde prints them) to the line they start on,
//! so that errors found after parsing (an unknown control, a duplicate id) name the line.

use saphyr_parser::{Event, Parser};
use std::collections::HashMap;

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, index: usize },
}

/// Path → 1-based line of a YAML document.
pub struct PathIndex {
    lines: HashMap<String, usize>,
}

impl PathIndex {
    /// Walks the document's events; a document that does not parse yields an empty index.
    pub fn build(text: &str) -> Self {
        let mut lines = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        let mut parser = Parser::new_from_str(text);
        while let Some(Ok((event, span))) = parser.next_event() {
            let line = span.start.line();
            match event {
                Event::Scalar(value, ..) => {
                    if let Some(Frame::Map { key, .. }) = stack.last_mut()
                        && key.is_none()
                    {
                        *key = Some(value.into_owned());
                        let p = child_path(&stack);
                        lines.entry(p).or_insert(line);
                        continue;
                    }
                    let p = child_path(&stack);
                    lines.entry(p).or_insert(line);
                    advance(&mut stack);
                }
                Event::Alias(_) => advance(&mut stack),
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    let p = child_path(&stack);
                    lines.entry(p.clone()).or_insert(line);
                    stack.push(if matches!(event, Event::MappingStart(..)) {
                        Frame::Map { path: p, key: None }
                    } else {
                        Frame::Seq { path: p, index: 0 }
                    });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                    advance(&mut stack);
                }
                _ => {}
            }
        }
        Self { lines }
    }

    /// The line a path starts on; falls back to its nearest recorded ancestor.
    pub fn line_of(&self, path: &str) -> Option<usize> {
        let mut p = path;
        loop {
            if let Some(l) = self.lines.get(p) {
                return Some(*l);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }
}

fn child_path(stack: &[Frame]) -> String {
    match stack.last() {
        None => String::new(),
        Some(Frame::Map { path, key }) => {
            let k = key.as_deref().unwrap_or("");
            if path.is_empty() {
                k.to_owned()
            } else {
                format!("{path}.{k}")
            }
        }
        Some(Frame::Seq { path, index }) => format!("{path}[{index}]"),
    }
}

fn advance(stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Map { key, .. }) => *key = None,
        Some(Frame::Seq { index, .. }) => *index += 1,
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::PathIndex;

    #[test]
    fn finds_lines_of_nested_fields_in_block_and_flow_style() {
        let text = "organization: X\ncontrols:\n  - id: A\n    title: T\n  - { id: B, title: U }\nevidence:\n  - control: A\n    title: e\n";
        let ix = PathIndex::build(text);
        assert_eq!(ix.line_of("organization"), Some(1));
        assert_eq!(ix.line_of("controls[0].title"), Some(4));
        assert_eq!(ix.line_of("controls[1].id"), Some(5));
        assert_eq!(ix.line_of("evidence[0].control"), Some(7));
        assert_eq!(ix.line_of("evidence[0].nothing"), Some(7));
    }
}
