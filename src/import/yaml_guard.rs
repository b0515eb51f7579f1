//! A first pass over a YAML text with the event parser, before serde builds anything from it.
//!
//! It refuses, with the line where the limit is crossed:
//! - nesting deeper than [`MAX_DEPTH`] (counted from the parser's own collection events, so
//!   quotes, comments and block style are all seen as YAML sees them);
//! - alias expansion beyond [`MAX_ALIAS_NODES`] nodes or [`MAX_ALIAS_BYTES`] bytes of scalar
//!   text: every alias is charged the full expanded size of the node it repeats (nested aliases
//!   included), which is what a deserializer that replays the anchor will build. A file of
//!   anchors that double at each level ("billion laughs") is refused after a few hundred events;
//! - a NUL character in any scalar (key or value), naming the field;
//! - text the parser cannot read (worded by serde's YAML reader, as before this pass existed).
//!
//! Invariant: the pass stops at the first problem, so its cost is linear in the part of the
//! text it read and independent of how far an attack would expand.

use super::InputError;
use saphyr_parser::{Event, Parser};
use std::collections::HashMap;

/// How deeply collections may nest (the depth serde itself stops at, so no file it would read
/// is refused for depth).
pub const MAX_DEPTH: usize = 128;
/// How many nodes all aliases of a file may add, counted after expansion.
pub const MAX_ALIAS_NODES: u64 = 100_000;
/// How many bytes of scalar text all aliases of a file may add, counted after expansion.
pub const MAX_ALIAS_BYTES: u64 = 16 * 1024 * 1024;

/// The expanded size of a node: how many nodes it holds (itself included) and their bytes.
#[derive(Clone, Copy, Default)]
struct Size {
    nodes: u64,
    bytes: u64,
}

impl Size {
    fn add(&mut self, other: Size) {
        self.nodes = self.nodes.saturating_add(other.nodes);
        self.bytes = self.bytes.saturating_add(other.bytes);
    }
}

/// An open collection: its anchor, its size so far, and where the next child sits (for the
/// field path of an error).
struct Frame {
    anchor: usize,
    size: Size,
    is_map: bool,
    key: Option<String>,
    index: usize,
}

impl Frame {
    /// Accounts one finished child (a key is remembered when a mapping expects one).
    fn child(&mut self, size: Size, key: Option<&str>) {
        self.size.add(size);
        if self.is_map {
            match (&self.key, key) {
                (None, Some(k)) => self.key = Some(k.to_owned()),
                (None, None) => self.key = Some(String::new()),
                (Some(_), _) => self.key = None,
            }
        } else {
            self.index += 1;
        }
    }
}

/// The field path of the node about to be read (`controls[2].title`).
fn path(stack: &[Frame]) -> String {
    let mut p = String::new();
    for f in stack {
        if f.is_map {
            if let Some(k) = &f.key {
                if !p.is_empty() {
                    p.push('.');
                }
                p.push_str(k);
            }
        } else {
            p.push_str(&format!("[{}]", f.index));
        }
    }
    p
}

/// Checks `text` (the YAML file called `file`) against the limits above.
pub fn check(file: &str, text: &str) -> Result<(), InputError> {
    let err = |line: usize, field: Option<String>, message: String| {
        Err(InputError::new(file, Some(line), field, message))
    };
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Size> = HashMap::new();
    let mut expanded = Size::default();
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let (event, span) = match next {
            Ok(e) => e,
            Err(e) => {
                // At the end of the text the parser points one past the last line.
                let last = text.lines().count().max(1);
                let line = e.marker().line().clamp(1, last);
                // The scanner reads ahead over flow collections that might be keys, and stops
                // on its own at 255 open brackets: the same limit, seen a little earlier.
                if e.info() == "recursion limit exceeded" {
                    return err(
                        line,
                        None,
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                    );
                }
                let field = Some(path(&stack)).filter(|p| !p.is_empty());
                return Err(syntax_error(file, text, line, field, e.info()));
            }
        };
        let line = span.start.line().max(1);
        let finished = match event {
            Event::Scalar(value, _, anchor, _) => {
                if value.contains('\0') {
                    let field = Some(path(&stack)).filter(|p| !p.is_empty());
                    return err(line, field, "text holds a NUL character".to_owned());
                }
                let size = Size {
                    nodes: 1,
                    bytes: value.len() as u64,
                };
                if anchor != 0 {
                    anchors.insert(anchor, size);
                }
                if let Some(top) = stack.last_mut() {
                    let as_key = top.is_map && top.key.is_none();
                    top.child(size, as_key.then_some(value.as_ref()));
                }
                continue;
            }
            Event::Alias(id) => {
                let size = anchors
                    .get(&id)
                    .copied()
                    .unwrap_or(Size { nodes: 1, bytes: 0 });
                expanded.add(size);
                if expanded.nodes > MAX_ALIAS_NODES || expanded.bytes > MAX_ALIAS_BYTES {
                    return err(
                        line,
                        Some(path(&stack)).filter(|p| !p.is_empty()),
                        format!(
                            "aliases expand to more than {MAX_ALIAS_NODES} nodes or {} MiB of text",
                            MAX_ALIAS_BYTES >> 20
                        ),
                    );
                }
                Some((0, size))
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return err(
                        line,
                        None,
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                    );
                }
                stack.push(Frame {
                    anchor,
                    size: Size { nodes: 1, bytes: 0 },
                    is_map: matches!(event, Event::MappingStart(..)),
                    key: None,
                    index: 0,
                });
                None
            }
            Event::MappingEnd | Event::SequenceEnd => stack.pop().map(|f| (f.anchor, f.size)),
            _ => None,
        };
        if let Some((anchor, size)) = finished {
            if anchor != 0 {
                anchors.insert(anchor, size);
            }
            if let Some(top) = stack.last_mut() {
                top.child(size, None);
            }
        }
    }
    Ok(())
}

/// The error for a text the event parser cannot read. The message comes from the YAML reader
/// serde uses, as for every other syntax error, asked to skip over the whole text (which builds
/// nothing, so aliases cost no memory); should that reader accept the text after all, the
/// event parser's complaint stands, since the text was not fully checked.
fn syntax_error(
    file: &str,
    text: &str,
    line: usize,
    field: Option<String>,
    info: &str,
) -> InputError {
    use serde::Deserialize;
    let de = serde_norway::Deserializer::from_str(text);
    match serde::de::IgnoredAny::deserialize(de) {
        Err(e) => {
            let mut err = InputError::from_yaml(file, &e).at_offset_in(text);
            // As for errors found after parsing: the line is where the field starts, and never
            // past the end of the text.
            if let Some(f) = &field
                && let Some(l) = super::yaml_index::PathIndex::build(text).line_of(f)
            {
                err.line = Some(l);
            }
            err.line = err.line.map(|l| l.clamp(1, text.lines().count().max(1)));
            if err.field.is_none() {
                err.field = field;
            }
            err
        }
        Ok(_) => InputError::new(file, Some(line), field, format!("not valid YAML: {info}")),
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn quotes_inside_plain_scalars_do_not_hide_nesting() {
        let text = format!("organization: 5\" screen\ncontrols: {}", "[".repeat(200));
        let e = check("f.yaml", &text).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("nesting deeper than 128"), "{e}");
    }

    #[test]
    fn doubling_anchors_are_refused_and_a_few_aliases_are_not() {
        let mut text = String::from("a0: &a0 [x, x]\n");
        for i in 1..40 {
            text.push_str(&format!("a{i}: &a{i} [*a{}, *a{}]\n", i - 1, i - 1));
        }
        let e = check("f.yaml", &text).unwrap_err();
        assert!(e.message.contains("aliases expand"), "{e}");
        assert!(e.line.unwrap() < 20, "{e}");
        assert!(check("f.yaml", "a: &x {b: 1}\nc: *x\nd: *x\n").is_ok());
    }

    #[test]
    fn nul_in_a_value_names_the_field() {
        let e = check("f.yaml", "controls:\n  - id: \"A\\0B\"\n").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("controls[0].id"));
        assert_eq!(e.line, Some(2));
    }
}
