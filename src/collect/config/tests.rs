//! The config parser's own checks: the defaults, the commented examples, and errors that
//! name the line and the key.

use super::*;

#[test]
fn the_commented_examples_parse_when_uncommented() {
    let text = crate::workspace::DEFAULT_CONFIG.replace("{{organization}}", "Org");
    let mut out = String::new();
    for l in text.lines() {
        match l.strip_prefix("# ") {
            Some(rest)
                if rest.starts_with('[')
                    || rest.starts_with(' ')
                    || rest
                        .split_once(" = ")
                        .is_some_and(|(k, _)| !k.contains(' ') && !k.contains(',')) =>
            {
                out.push_str(rest);
            }
            _ if !l.starts_with('#') => out.push_str(l),
            _ => {}
        }
        out.push('\n');
    }
    let c = parse("certready.toml", &out).unwrap_or_else(|e| panic!("{e}\n{out}"));
    assert_eq!(c.gateway.len(), 1);
    let kinds: Vec<&str> = c.source.iter().map(|s| s.kind.as_str()).collect();
    assert_eq!(kinds, ["http", "tls", "file", "command"]);
    assert_eq!(c.concurrency, Some(32));
    assert_eq!(c.evidence_retention_years, Some(7));
}

#[test]
fn the_default_config_parses_and_errors_name_the_line_and_key() {
    let text = crate::workspace::DEFAULT_CONFIG.replace("{{organization}}", "Org");
    assert!(parse("certready.toml", &text).unwrap().gateway.is_empty());
    let good = "[[gateway]]\nname = \"gw\"\npreset = \"litellm\"\nurl = \"http://127.0.0.1:4000\"\ntoken_env = \"LITELLM_MASTER_KEY\"\ninterval = \"15s\"\ncontrols = [\"GW-AVAIL-01\"]\n";
    let c = parse("c.toml", good).unwrap();
    assert_eq!(seconds(&c.gateway[0].interval), Some(15));
    let e = parse("c.toml", &good.replace("litellm", "nginx")).unwrap_err();
    assert_eq!(
        (e.line, e.field.as_deref()),
        (Some(3), Some("gateway[0].preset")),
        "{e}"
    );
    let e = parse(
        "c.toml",
        &good.replace("\"LITELLM_MASTER_KEY\"", "\"sk-live-123\""),
    )
    .unwrap_err();
    assert_eq!(e.line, Some(5));
    assert!(e.to_string().contains("NAME of an environment variable"));
    let e = parse(
        "c.toml",
        &good.replace("interval = \"15s\"", "interval = \"soon\""),
    )
    .unwrap_err();
    assert_eq!(e.line, Some(6));
    let e = parse(
        "c.toml",
        "[[source]]\nname = \"x\"\nkind = \"http\"\ncolour = 1\n",
    )
    .unwrap_err();
    assert_eq!(e.line, Some(4), "{e}");
    assert!(e.to_string().contains("colour"));
    let e = parse("c.toml", "[[source]]\nname = \"x\"\nkind = \"ftp\"\n").unwrap_err();
    assert!(e.to_string().contains("unknown kind `ftp`"));
}
