//! The config parser's own checks: the defaults, the commented examples, and errors that
//! name the line and the key.

use super::*;

#[test]
fn the_commented_examples_parse_when_uncommented() {
    let text = super::DEFAULT_CONFIG.replace("{{organization}}", "Org");
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
    assert_eq!(c.source[3].env, ["RESTIC_REPOSITORY", "RESTIC_PASSWORD"]);
    assert_eq!(c.concurrency, Some(32));
    assert_eq!(c.evidence_retention_years, Some(7));
}

#[test]
fn the_default_config_parses_and_errors_name_the_line_and_key() {
    let text = super::DEFAULT_CONFIG.replace("{{organization}}", "Org");
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

#[test]
fn numbers_are_bounded_and_urls_hold_no_credentials() {
    let gw = "[[gateway]]\nname = \"gw\"\npreset = \"generic\"\nurl = \"http://127.0.0.1:4000\"\n";
    for (extra, line, key) in [
        ("concurrency = 2305843009213693952\n", 1, "concurrency"),
        (
            "evidence_retention_years = 300000\n",
            1,
            "evidence_retention_years",
        ),
        ("concurrency = 0\n", 1, "concurrency"),
    ] {
        let e = parse("c.toml", &format!("{extra}{gw}")).unwrap_err();
        assert_eq!((e.line, e.field.as_deref()), (Some(line), Some(key)), "{e}");
        assert!(e.to_string().contains("out of range"), "{e}");
    }
    for (extra, key) in [
        ("retries = 4000000000", "gateway[0].retries"),
        ("fail_after = 4000000000", "gateway[0].fail_after"),
        ("max_bytes = 18446744073709551", "gateway[0].max_bytes"),
        ("max_bytes = 0", "gateway[0].max_bytes"),
        ("timeout = \"400d\"", "gateway[0].timeout"),
    ] {
        let e = parse("c.toml", &format!("{gw}{extra}\n")).unwrap_err();
        assert_eq!((e.line, e.field.as_deref()), (Some(5), Some(key)), "{e}");
    }
    let e = parse("c.toml", &gw.replace("http://", "http://user:pa55@")).unwrap_err();
    assert_eq!(
        (e.line, e.field.as_deref()),
        (Some(4), Some("gateway[0].url"))
    );
    assert!(
        e.to_string().contains("token_env") && !e.to_string().contains("pa55"),
        "{e}"
    );
    let src = "[[source]]\nname = \"s\"\nkind = \"http\"\nurl = \"https://u:pa55@h/x\"\n";
    let e = parse("c.toml", src).unwrap_err();
    assert!(
        e.to_string().contains("headers_env") && !e.to_string().contains("pa55"),
        "{e}"
    );
    let cmd =
        "[[source]]\nname = \"c\"\nkind = \"command\"\nprogram = \"env\"\nenv = [\"TOKEN\"]\n";
    assert_eq!(parse("c.toml", cmd).unwrap().source[0].env, ["TOKEN"]);
    let e = parse("c.toml", &cmd.replace("TOKEN", "sk-live-1234")).unwrap_err();
    assert_eq!(
        (e.line, e.field.as_deref()),
        (Some(5), Some("source[0].env")),
        "{e}"
    );
    let e = parse(
        "c.toml",
        &src.replace("u:pa55@", "")
            .replace("url =", "env = [\"A\"]\nurl ="),
    )
    .unwrap_err();
    assert!(e.to_string().contains("only a command source"), "{e}");
}

#[test]
fn durations_keep_their_units_and_refuse_everything_else() {
    for (text, secs) in [
        ("15s", 15),
        (" 5m ", 300),
        ("1h", 3600),
        ("7d", 604_800),
        ("1500ms", 2),
        ("0ms", 1),
    ] {
        assert_eq!(seconds(text), Some(secs), "{text}");
    }
    for bad in [
        "0s",
        "1w",
        "1h30m",
        "15 s",
        "soon",
        "s",
        "",
        "-5s",
        "1.5h",
        "99999999999999999999s",
    ] {
        assert_eq!(seconds(bad), None, "{bad}");
    }
}
