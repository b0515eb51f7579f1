//! SQLite statement text to PostgreSQL's.
//!
//! Only what the store's SQL needs: `?N` and `?` placeholders become `$N`; `INSERT OR IGNORE`
//! becomes `INSERT ... ON CONFLICT DO NOTHING`; SQLite's null-safe comparison with a parameter,
//! `IS ?N` / `IS NOT ?N`, becomes `IS [NOT] DISTINCT FROM`, since PostgreSQL's `IS` takes only
//! `NULL`, `TRUE` and the like; `IFNULL(` becomes `COALESCE(` and SQLite's JSON
//! functions PostgreSQL's (see `RENAMES`); the schema
//! names `main.` and `temp.` become `public.` and `pg_temp.`. Text inside
//! quotes is never changed. Everything else the store writes is SQL both accept.

/// Translates one statement (or a `;`-separated batch).
pub fn translate(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let b = sql.as_bytes();
    let mut i = 0;
    let mut next_bare = 1;
    let mut ignore = false;
    while i < b.len() {
        let c = b[i];
        if c == b'\'' || c == b'"' {
            let end = b[i + 1..]
                .iter()
                .position(|&x| x == c)
                .map_or(b.len(), |p| i + 1 + p + 1);
            out.push_str(&sql[i..end]);
            i = end;
        } else if c == b'?' {
            let digits = b[i + 1..].iter().take_while(|x| x.is_ascii_digit()).count();
            if digits == 0 {
                out.push_str(&format!("${next_bare}"));
                next_bare += 1;
            } else {
                out.push('$');
                out.push_str(&sql[i + 1..=i + digits]);
            }
            i += 1 + digits;
        } else if let Some(len) = before_param(sql, i, "IS NOT") {
            out.push_str("IS DISTINCT FROM ");
            i += len;
        } else if let Some(len) = before_param(sql, i, "IS") {
            out.push_str("IS NOT DISTINCT FROM ");
            i += len;
        } else if starts_word(sql, i, "INSERT OR IGNORE ") {
            out.push_str("INSERT ");
            ignore = true;
            i += "INSERT OR IGNORE ".len();
        } else if starts_word(sql, i, "main.") {
            out.push_str("public.");
            i += "main.".len();
        } else if starts_word(sql, i, "temp.") {
            out.push_str("pg_temp.");
            i += "temp.".len();
        } else if let Some((from, to)) = RENAMES.iter().find(|(f, _)| starts_word(sql, i, f)) {
            out.push_str(to);
            i += from.len();
        } else if c == b';' && ignore {
            out.push_str(" ON CONFLICT DO NOTHING;");
            ignore = false;
            i += 1;
        } else {
            let ch = sql[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    if ignore {
        let t = out.trim_end().len();
        out.truncate(t);
        out.push_str(" ON CONFLICT DO NOTHING");
    }
    out
}

/// Functions PostgreSQL names differently (`certready_json` is defined by its schema).
const RENAMES: [(&str, &str); 6] = [
    ("IFNULL(", "COALESCE("),
    ("json_object(", "json_build_object("),
    ("json_group_array(", "json_agg("),
    ("json_group_object(", "json_object_agg("),
    ("json_quote(", "to_json("),
    ("json(", "certready_json("),
];

fn starts_word(sql: &str, i: usize, word: &str) -> bool {
    sql.get(i..i + word.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(word))
        && (i == 0
            || !(sql.as_bytes()[i - 1].is_ascii_alphanumeric() || sql.as_bytes()[i - 1] == b'_'))
}

/// When the word(s) `words` start at `i` and are followed by blanks and a `?` placeholder:
/// their length with the blanks, up to the `?`.
fn before_param(sql: &str, i: usize, words: &str) -> Option<usize> {
    if !starts_word(sql, i, words) {
        return None;
    }
    let rest = &sql[i + words.len()..];
    let blanks = rest.len() - rest.trim_start().len();
    (blanks > 0 && rest[blanks..].starts_with('?')).then_some(words.len() + blanks)
}

#[cfg(test)]
mod tests {
    use super::translate;

    #[test]
    fn placeholders_become_numbered() {
        assert_eq!(translate("a = ?1 AND b = ?12"), "a = $1 AND b = $12");
        assert_eq!(translate("VALUES (?, ?)"), "VALUES ($1, $2)");
        assert_eq!(translate("x = '?1' AND y = ?2"), "x = '?1' AND y = $2");
    }

    #[test]
    fn null_safe_comparison_with_a_parameter_becomes_distinct_from() {
        assert_eq!(
            translate("a IS ?3 AND b IS NOT ?4 AND c IS NULL AND d IS NOT NULL"),
            "a IS NOT DISTINCT FROM $3 AND b IS DISTINCT FROM $4 AND c IS NULL AND d IS NOT NULL"
        );
        assert_eq!(
            translate("EXISTS (SELECT 1) AND this IS ?"),
            "EXISTS (SELECT 1) AND this IS NOT DISTINCT FROM $1"
        );
        assert_eq!(translate("x = 'a IS ?1'"), "x = 'a IS ?1'");
    }

    #[test]
    fn insert_or_ignore_becomes_on_conflict() {
        assert_eq!(
            translate("INSERT OR IGNORE INTO t (a) VALUES (?1)"),
            "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING"
        );
        assert_eq!(translate("SELECT ifnull(a, 0)"), "SELECT COALESCE(a, 0)");
        assert_eq!(
            translate("SELECT json_object('a', json(b), 'c', to_json(d))"),
            "SELECT json_build_object('a', certready_json(b), 'c', to_json(d))"
        );
        assert_eq!(
            translate("INSERT INTO temp.m SELECT * FROM main.t"),
            "INSERT INTO pg_temp.m SELECT * FROM public.t"
        );
    }
}
