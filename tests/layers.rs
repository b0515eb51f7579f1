//! The module layering of DESIGN "Data flow", checked on the source text: every `crate::<module>`
//! path (and every name in a `use crate::{a, b::c}` group) outside comments is an edge from the
//! top-level module of the file it sits in to the top-level module it names.
//!
//! Invariants checked: each top-level module has a fixed layer and imports only from lower
//! layers (so the top-level graph has no cycle, which is checked on its own as well); `domain`
//! imports nothing; `analysis`, `store` and `catalog` import only `domain`; `tui` never imports
//! `cli`; `report` and `import` never import `store`, `ops`, `tui` or `cli`; nothing below `ops`
//! imports `ops`, `tui` or `cli`. A failure names the file and line of each offending import.
//! A new top-level module fails the test until it is given a layer here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level modules by layer, lowest first. A module may import only modules of lower layers.
const LAYERS: &[&[&str]] = &[
    // Plain types and the content digest; owner-only file helpers.
    &["domain", "private"],
    // Pure scoring, the built-in catalogs, the SQL store, and parsing of input files.
    &["analysis", "catalog", "store", "import"],
    // Collectors at the edge; rendering and output files.
    &["collect", "report"],
    // Tabletop exercises; the workspace on disk.
    &["tabletop", "workspace"],
    // The use cases both front ends run; the demo workspace.
    &["ops", "demo"],
    // The dashboard.
    &["tui"],
    // The command line.
    &["cli"],
];

/// Modules that may import nothing but the listed ones.
const ONLY: &[(&str, &[&str])] = &[
    ("domain", &[]),
    ("analysis", &["domain"]),
    ("store", &["domain"]),
    ("catalog", &["domain"]),
];

/// Imports that are never allowed, whatever the layers say.
const NEVER: &[(&str, &[&str])] = &[
    ("tui", &["cli"]),
    ("report", &["store", "ops", "tui", "cli"]),
    ("import", &["store", "ops", "tui", "cli"]),
];

/// The front ends and the use-case layer: nothing in a lower layer imports these.
const ABOVE_OPS: &[&str] = &["ops", "tui", "cli"];

/// One import: the file and line it sits on.
#[derive(Debug, Clone)]
struct Site {
    file: String,
    line: usize,
}

/// `text` with comments and the contents of string literals blanked out (line, block and doc
/// comments; plain, byte and raw strings), keeping line breaks so line numbers stay right.
fn strip_comments(text: &str) -> String {
    let b: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    // Skips to the end of a string whose closing quote is followed by `hashes` `#`s.
    let skip_string = |mut i: usize, hashes: usize, raw: bool, out: &mut String| -> usize {
        while i < b.len() {
            if b[i] == '\\' && !raw {
                i += 2;
                continue;
            }
            if b[i] == '"' && (0..hashes).all(|k| b.get(i + 1 + k) == Some(&'#')) {
                out.push('"');
                return i + 1 + hashes;
            }
            if b[i] == '\n' {
                out.push('\n');
            }
            i += 1;
        }
        i
    };
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        let ident_at = |k: usize| k < b.len() && is_ident(b[k]);
        // `r"..."`, `r#"..."#` and `br"..."`, not the end of a name like `for`.
        let raw_start = match i {
            0 => true,
            1 => !is_ident(b[0]) || b[0] == 'b',
            _ => !ident_at(i - 1) || (b[i - 1] == 'b' && !ident_at(i - 2)),
        };
        match (c, next) {
            ('/', Some('/')) => {
                while i < b.len() && b[i] != '\n' {
                    i += 1;
                }
            }
            ('/', Some('*')) => {
                let mut depth = 0usize;
                while i < b.len() {
                    if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                        depth += 1;
                        i += 2;
                    } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        if b[i] == '\n' {
                            out.push('\n');
                        }
                        i += 1;
                    }
                }
            }
            ('r', Some('#' | '"')) if raw_start => {
                let hashes = b[i + 1..].iter().take_while(|c| **c == '#').count();
                if b.get(i + 1 + hashes) == Some(&'"') {
                    out.push('"');
                    i = skip_string(i + 2 + hashes, hashes, true, &mut out);
                } else {
                    out.push(c);
                    i += 1;
                }
            }
            ('"', _) => {
                out.push('"');
                i = skip_string(i + 1, 0, false, &mut out);
            }
            ('\'', _) => {
                // A char literal ('"', '\'', 'x') is blanked; a lifetime ('a) is kept.
                if next == Some('\\') {
                    i = b[i + 3..]
                        .iter()
                        .position(|c| *c == '\'')
                        .map_or(b.len(), |p| i + 4 + p);
                } else if b.get(i + 2) == Some(&'\'') {
                    i += 3;
                } else {
                    out.push(c);
                    i += 1;
                }
                out.push(' ');
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The first identifier at the start of `s`.
fn ident(s: &str) -> String {
    s.trim_start()
        .chars()
        .take_while(|c| is_ident(*c))
        .collect()
}

/// Every top-level name a `crate::` path in `code` (comments already removed) refers to, with
/// its 1-based line.
fn crate_refs(code: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = code[from..].find("crate::") {
        let at = from + pos;
        from = at + "crate::".len();
        let before = code[..at].chars().next_back();
        if before.is_some_and(is_ident) {
            continue; // `my_crate::`, not this crate
        }
        let line = code[..at].matches('\n').count() + 1;
        let rest = code[from..].trim_start();
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a, b::{c, d}, e}`: the names at depth 0.
            let mut depth = 0usize;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.push((ident(&item), line));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 {
                    item.push(c);
                }
            }
            out.push((ident(&item), line));
        } else {
            out.push((ident(rest), line));
        }
    }
    out.retain(|(name, _)| !name.is_empty());
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top-level modules `lib.rs` declares.
fn top_modules(src: &Path) -> BTreeSet<String> {
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("src/lib.rs");
    strip_comments(&lib)
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let l = l.strip_prefix("pub ").unwrap_or(l);
            let name = l.strip_prefix("mod ")?.trim_end_matches(';').trim();
            Some(name.to_owned())
        })
        .collect()
}

/// The top-level graph of this crate: (from, to) → every site of that import.
fn graph() -> BTreeMap<(String, String), Vec<Site>> {
    graph_of(Path::new(env!("CARGO_MANIFEST_DIR")))
}

/// The top-level graph of the crate at `root`.
fn graph_of(root: &Path) -> BTreeMap<(String, String), Vec<Site>> {
    let src = root.join("src");
    let modules = top_modules(&src);
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut edges: BTreeMap<(String, String), Vec<Site>> = BTreeMap::new();
    for f in files {
        let rel = f.strip_prefix(&src).expect("under src");
        let first = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        let from = first.trim_end_matches(".rs").to_owned();
        if from == "lib" || from == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&f).expect("readable source");
        let shown = f.strip_prefix(root).unwrap_or(&f).display().to_string();
        for (to, line) in crate_refs(&strip_comments(&text)) {
            if to != from && modules.contains(&to) {
                edges.entry((from.clone(), to)).or_default().push(Site {
                    file: shown.clone(),
                    line,
                });
            }
        }
    }
    edges
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The first few sites of an import, and how many more there are.
fn sites(s: &[Site]) -> String {
    const SHOWN: usize = 5;
    let mut out = s
        .iter()
        .take(SHOWN)
        .map(|x| format!("{}:{}", x.file, x.line))
        .collect::<Vec<_>>()
        .join(", ");
    if s.len() > SHOWN {
        out.push_str(&format!(" and {} more", s.len() - SHOWN));
    }
    out
}

/// Depth-first search from `n`; `mark`: 0 unvisited, 1 on the path, 2 done.
fn visit<'a>(
    n: &'a str,
    next: &BTreeMap<&'a str, Vec<&'a str>>,
    mark: &mut BTreeMap<&'a str, u8>,
    path: &mut Vec<&'a str>,
) -> Option<Vec<String>> {
    mark.insert(n, 1);
    path.push(n);
    for &m in next.get(n).into_iter().flatten() {
        match mark.get(m).copied().unwrap_or(0) {
            1 => {
                let start = path.iter().position(|x| *x == m).unwrap_or(0);
                let mut c: Vec<String> = path[start..].iter().map(|s| s.to_string()).collect();
                c.push(m.to_owned());
                return Some(c);
            }
            0 => {
                if let Some(c) = visit(m, next, mark, path) {
                    return Some(c);
                }
            }
            _ => {}
        }
    }
    path.pop();
    mark.insert(n, 2);
    None
}

/// A cycle in the graph, as the modules along it, if there is one.
fn find_cycle(edges: &BTreeMap<(String, String), Vec<Site>>) -> Option<Vec<String>> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, b) in edges.keys() {
        next.entry(a).or_default().push(b);
    }
    let mut mark = BTreeMap::new();
    let nodes: Vec<&str> = next.keys().copied().collect();
    for n in nodes {
        if mark.get(n).copied().unwrap_or(0) == 0
            && let Some(c) = visit(n, &next, &mut mark, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

#[test]
fn every_top_level_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let missing: Vec<String> = top_modules(&src)
        .into_iter()
        .filter(|m| layer_of(m).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "top-level modules without a layer in tests/layers.rs: {missing:?}"
    );
}

#[test]
fn the_top_level_module_graph_has_no_cycle() {
    let edges = graph();
    if let Some(cycle) = find_cycle(&edges) {
        let detail: Vec<String> = cycle
            .windows(2)
            .map(|w| {
                let s = &edges[&(w[0].clone(), w[1].clone())];
                format!("{} -> {} at {}", w[0], w[1], sites(s))
            })
            .collect();
        panic!(
            "module cycle {}:\n{}",
            cycle.join(" -> "),
            detail.join("\n")
        );
    }
}

#[test]
fn every_import_goes_down_the_layers() {
    let edges = graph();
    let above_ops = layer_of("ops").expect("ops has a layer");
    let mut broken = Vec::new();
    for ((from, to), s) in &edges {
        let (Some(lf), Some(lt)) = (layer_of(from), layer_of(to)) else {
            continue; // reported by every_top_level_module_has_a_layer
        };
        let mut why = Vec::new();
        if lt >= lf {
            why.push(format!(
                "`{from}` (layer {lf}) may import only lower layers, `{to}` is layer {lt}"
            ));
        }
        if let Some((_, only)) = ONLY.iter().find(|(m, _)| m == from)
            && !only.contains(&to.as_str())
        {
            why.push(format!("`{from}` may import only {only:?}"));
        }
        if let Some((_, never)) = NEVER.iter().find(|(m, _)| m == from)
            && never.contains(&to.as_str())
        {
            why.push(format!("`{from}` never imports `{to}`"));
        }
        if lf < above_ops && ABOVE_OPS.contains(&to.as_str()) {
            why.push(format!("`{from}` is below `ops` and imports `{to}`"));
        }
        for w in why {
            broken.push(format!("{w}: {}", sites(s)));
        }
    }
    assert!(
        broken.is_empty(),
        "forbidden imports (DESIGN, \"Data flow\"):\n{}",
        broken.join("\n")
    );
}

#[test]
fn the_scanner_reads_groups_and_skips_comments() {
    let code = strip_comments(
        "use crate::{a::{b, c}, d,\n  e::f};\n// crate::g\n/* crate::h */ let s = \"crate::i\"; let r = r#\"crate::\"n\"#;\nx(crate::j::k); my_crate::l; '\\'';\n/// crate::m\n",
    );
    let got: Vec<(String, usize)> = crate_refs(&code);
    let got: Vec<(&str, usize)> = got.iter().map(|(n, l)| (n.as_str(), *l)).collect();
    assert_eq!(got, vec![("a", 1), ("d", 1), ("e", 1), ("j", 5)]);
}
