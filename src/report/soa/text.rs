//! The Statement of Applicability as text: CSV (the table), Markdown and HTML (document
//! control, then the table). CSV cells go through `escape::csv_cell`, Markdown cells through
//! `escape::markdown`, and the HTML page is an autoescaped template
//! (`assets/templates/soa.html`).

use super::Soa;
use super::SoaRow;
use crate::report::escape;
use anyhow::Result;

/// The SoA page's template (values only between tags, so escaped as `escape::HTML_TEXT`).
const SOA_HTML: &str = include_str!("../../../assets/templates/soa.html");

/// The table's column names (CSV header).
pub const HEADERS: [&str; 6] = [
    "control",
    "title",
    "applicability",
    "justification",
    "implemented_by",
    "status",
];

/// The cells of one row, as the table prints them.
fn cells(r: &SoaRow) -> [String; 6] {
    [
        r.control.clone(),
        r.title.clone(),
        r.applicability.to_string(),
        r.justification.clone(),
        r.implemented_by.join(" "),
        r.status.clone(),
    ]
}

/// The statement as CSV (the table), Markdown or HTML (document control, then the table).
pub fn soa_text(soa: &Soa, format: &str) -> Result<String> {
    let rows: Vec<[String; 6]> = soa.rows.iter().map(cells).collect();
    match format {
        "csv" => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(HEADERS)?;
            for r in rows {
                w.write_record(r.into_iter().map(escape::csv_cell))?;
            }
            Ok(String::from_utf8(w.into_inner()?)?)
        }
        "md" => {
            let md = escape::markdown;
            let mut m = format!("# Statement of Applicability: {}\n\n", soa.key);
            for (k, v) in soa.fields() {
                m.push_str(&format!("- {k}: {}\n", md(&v)));
            }
            m.push_str("\n| Control | Title | Applicability | Justification | Implemented by | Status |\n| --- | --- | --- | --- | --- | --- |\n");
            for r in rows {
                m.push_str(&format!(
                    "| {} |\n",
                    r.iter().map(|c| md(c)).collect::<Vec<_>>().join(" | ")
                ));
            }
            Ok(m)
        }
        "html" => escape::render(
            |_| escape::HTML_TEXT,
            "soa.html",
            SOA_HTML,
            serde_json::json!({ "soa": soa, "fields": soa.fields(), "headers": HEADERS, "rows": rows }),
        ),
        other => anyhow::bail!("unknown format `{other}` (expected csv, md or html)"),
    }
}
