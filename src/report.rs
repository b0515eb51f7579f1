//! Reports rendered from the same analysis the dashboard shows: the weekly management-review
//! pack (Markdown and one self-contained HTML page with SVG charts).

pub mod bundle;
pub mod charts;
pub mod export;
pub mod oscal;
pub mod review;
