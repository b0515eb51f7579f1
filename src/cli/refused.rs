//! The one line for a change PostgreSQL refused for lack of privilege (SQLSTATE 42501): who
//! the database user is, what it may not touch, and which role it holds.
//!
//! Invariants: only a permission error is rewritten; the line names the user (from the URL,
//! never its password), the table from the server's message and, when a fresh session can
//! ask the server, whether the user's roles allow no writes at all ("read-only"). A failed
//! look-up only drops that detail; the line stays one line.

use crate::store::db::DbError;

/// The line for a permission error anywhere in `e`'s chain; `None` for any other error.
pub fn describe(e: &anyhow::Error) -> Option<String> {
    let pg = e.chain().find_map(|c| {
        c.downcast_ref::<DbError>()
            .filter(|d| d.is_permission_denied())
            .map(ToString::to_string)
            .or_else(|| {
                c.downcast_ref::<postgres::Error>()
                    .filter(|p| {
                        p.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE)
                    })
                    .map(|p| {
                        p.as_db_error()
                            .map_or_else(|| p.to_string(), |d| d.message().to_owned())
                    })
            })
    })?;
    let url = crate::workspace::database();
    let user = url
        .and_then(crate::store::db::pg::user_in_url)
        .unwrap_or_else(|| "of this session".to_owned());
    let object = object(&pg);
    let target = object.as_deref().unwrap_or("this");
    let how = url.and_then(|u| standing(u, object.as_deref()));
    Some(match how {
        Some(Standing { reads: false, .. }) => format!(
            "the database refused: user {user} may not read {target} (permission denied; grant it a certready role)"
        ),
        Some(Standing {
            writes: false,
            roles,
            ..
        }) => format!(
            "the database refused the change: user {user} may not write {target}: its role{} is read-only (permission denied)",
            roles_text(&roles)
        ),
        Some(Standing { roles, .. }) => format!(
            "the database refused the change: user {user} may not write {target}: its role{} does not allow it (permission denied)",
            roles_text(&roles)
        ),
        None => format!(
            "the database refused the change: user {user} may not write {target} (permission denied)"
        ),
    })
}

fn roles_text(roles: &str) -> String {
    if roles.is_empty() {
        String::new()
    } else {
        format!(" ({roles})")
    }
}

/// The table (or other object) named by "permission denied for table X" or by "new row
/// violates row-level security policy for table \"X\"".
fn object(message: &str) -> Option<String> {
    let rest = message
        .split("permission denied for ")
        .nth(1)
        .or_else(|| message.split("security policy for ").nth(1))?
        .replace('"', "");
    let mut words = rest.split_whitespace();
    let kind = words.next()?;
    let name: String = words
        .next()?
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
        .collect();
    (!name.is_empty()).then(|| {
        if kind == "table" {
            name
        } else {
            format!("{kind} {name}")
        }
    })
}

/// What the user may do, asked of the server in a fresh session.
struct Standing {
    reads: bool,
    writes: bool,
    roles: String,
}

fn standing(url: &str, table: Option<&str>) -> Option<Standing> {
    let conn = crate::store::db::pg::connect_url(url).ok()?;
    let mut client = conn.client();
    let row = client
        .query_one(
            "SELECT COALESCE(has_table_privilege(to_regclass(NULLIF($1, '')), 'SELECT'), true),
                    EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = current_schema()
                            AND has_table_privilege(format('%I.%I', schemaname, tablename)::regclass,
                                                    'INSERT, UPDATE, DELETE')),
                    COALESCE((SELECT string_agg(rolname::text, ', ' ORDER BY rolname) FROM pg_roles
                              WHERE pg_has_role(current_user, oid, 'member')
                                AND rolname <> current_user), '')",
            &[&table.unwrap_or("")],
        )
        .ok()?;
    Some(Standing {
        reads: row.get(0),
        writes: row.get(1),
        roles: row.get(2),
    })
}

#[cfg(test)]
mod tests {
    use super::object;

    #[test]
    fn the_object_comes_from_the_servers_message() {
        assert_eq!(
            object("ERROR: permission denied for table controls").as_deref(),
            Some("controls")
        );
        assert_eq!(
            object("permission denied for sequence notes_id_seq").as_deref(),
            Some("sequence notes_id_seq")
        );
        assert_eq!(
            object("new row violates row-level security policy for table \"meta\"").as_deref(),
            Some("meta")
        );
        assert_eq!(object("permission denied"), None);
    }
}
