-- certready schema, version 7: the management review as a record (ISO/IEC 27001 clause 9.3).
-- The review inputs the model cannot supply (changes in issues, interested parties' needs and
-- feedback, improvement opportunities, changes to the ISMS), typed per review date.
CREATE TABLE review_inputs (
    as_of TEXT NOT NULL,
    input TEXT NOT NULL,
    text TEXT NOT NULL,
    updated TEXT NOT NULL,
    PRIMARY KEY (as_of, input)
);
-- Each recorded pack frozen as the templates saw it (JSON) with the SHA-256 of its Markdown
-- and HTML renderings, so a past week re-renders byte for byte or says that it cannot, and
-- the signed checkpoint of that day (JSON) that the pack witnesses.
CREATE TABLE review_records (
    as_of TEXT PRIMARY KEY,
    taken TEXT NOT NULL,
    pack TEXT NOT NULL,
    md_sha256 TEXT NOT NULL,
    html_sha256 TEXT NOT NULL,
    checkpoint TEXT NOT NULL
);
