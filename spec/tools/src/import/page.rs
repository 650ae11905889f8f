//! A doc page read into its parts, each with its line number: the heading, the canonical link,
//! the parameter tables, the example bodies and the marks where text was not recovered.
//!
//! The format is the one described in the docs' `NOTES.md`/`INDEX.md`: a `# METHOD /path — Title`
//! heading, `> Canonical:` line, `**Path|Query|Body parameters:**` tables with the columns
//! Name, Type, Required, Description (`↳` marks a nested row), `**Example request body:**` and
//! `**Response (200)**` followed by a fenced JSON block, and HTML comments for completeness,
//! cuts and secondary listings. Anything else is prose and is skipped.

use pabbly_spec::Diagnostic;
use pabbly_spec::ir::Method;

use super::note::{NoteKind, Notes};

/// One doc page.
#[derive(Clone, Debug, PartialEq)]
pub struct DocPage {
    /// How much of the page was recovered, from `<!-- completeness: … -->`.
    pub completeness: Option<Completeness>,
    /// Line of the `# METHOD /path — Title` heading.
    pub heading_line: usize,
    /// The HTTP method of the heading.
    pub method: Method,
    /// The path as written, placeholders still `{{name}}`.
    pub path: String,
    /// The page title, e.g. "List All Customers".
    pub title: String,
    /// `/subscription-billing/<section>/<title-slug>`, from the `> Canonical:` line.
    pub canonical: Option<Located<String>>,
    /// Parameter tables in page order.
    pub tables: Vec<ParamTable>,
    /// The block after `**Example request body:**`.
    pub request_example: Option<CodeBlock>,
    /// The block after the first `**Response (2xx)**`.
    pub response_example: Option<CodeBlock>,
    /// What the page says was not recovered.
    pub cuts: Vec<Located<String>>,
}

/// A value and the 1-based line it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    /// The line on the page.
    pub line: usize,
    /// The value.
    pub value: T,
}

/// The page's own mark of how much was recovered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Completeness {
    /// The whole page.
    Full,
    /// Cut off somewhere, usually inside the response example.
    Partial,
    /// Method, path and title, parameters at best from a secondary listing.
    Stub,
}

impl Completeness {
    /// The word the page uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Completeness::Full => "full",
            Completeness::Partial => "partial",
            Completeness::Stub => "stub",
        }
    }
}

/// Where a table's parameters go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamSection {
    /// Path placeholders.
    Path,
    /// The query string.
    Query,
    /// The JSON body.
    Body,
}

impl ParamSection {
    /// The spec key for the section (`path_params`, `query`, `body`).
    pub fn key(self) -> &'static str {
        match self {
            ParamSection::Path => "path_params",
            ParamSection::Query => "query",
            ParamSection::Body => "body",
        }
    }
}

/// One parameter table.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamTable {
    /// Which parameters.
    pub section: ParamSection,
    /// Line of the table's header row.
    pub line: usize,
    /// From a secondary listing or secondary sources: `No` in the Required column means "not
    /// known to be required" (and in an older listing `Yes` means nothing either).
    pub secondary: bool,
    /// The rows, nested rows included, in order.
    pub rows: Vec<ParamRow>,
}

/// One table row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamRow {
    /// Line on the page.
    pub line: usize,
    /// How many `↳` marks precede the name (0 for a top-level parameter).
    pub depth: usize,
    /// The wire name.
    pub name: String,
    /// The Type column, lowercased.
    pub type_name: String,
    /// The Required column; `None` when empty or not known: `No` in a secondary table (and
    /// anything in an older secondary listing, which marks no flag as known).
    pub required: Option<bool>,
    /// The Description column.
    pub description: String,
}

/// A fenced code block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeBlock {
    /// Line of the block's first content line.
    pub line: usize,
    /// The content between the fences.
    pub text: String,
}

impl DocPage {
    /// Reads a page; `file` is how messages name it. Returns the page and the notes about
    /// what was skipped.
    ///
    /// # Errors
    /// When the page has no `# METHOD /path — Title` heading or a table is malformed.
    pub fn parse(text: &str, file: &str) -> Result<(DocPage, Vec<super::Note>), Diagnostic> {
        let mut notes = Notes::new(file);
        let page = parse(text, &mut notes)?;
        Ok((page, notes.found))
    }
}

/// What the text under the last bold label is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Section {
    Prose,
    Params(ParamSection),
    Request,
    Response { success: bool },
    Other,
}

pub(crate) fn parse(text: &str, notes: &mut Notes<'_>) -> Result<DocPage, Diagnostic> {
    let mut builder = Builder::default();
    let lines: Vec<&str> = text.lines().collect();
    let mut index = 0;
    while index < lines.len() {
        let number = index + 1;
        let line = lines[index].trim();
        index += 1;
        if let Some(lang) = line.strip_prefix("```") {
            let start = index;
            while index < lines.len() && !lines[index].trim_start().starts_with("```") {
                index += 1;
            }
            if index == lines.len() {
                notes.add(
                    number,
                    NoteKind::Truncated,
                    "code block is not closed: the page ends inside it",
                );
            }
            let block = CodeBlock {
                line: start + 1,
                text: lines[start..index].join("\n"),
            };
            index += 1;
            builder.code_block(lang.trim(), block, number, notes);
        } else if line.starts_with("<!--") {
            let mut comment = line.to_owned();
            while !comment.contains("-->") && index < lines.len() {
                comment.push(' ');
                comment.push_str(lines[index].trim());
                index += 1;
            }
            builder.comment(&comment, number, notes);
        } else if let Some(heading) = line.strip_prefix("# ") {
            builder.heading(heading, number, notes)?;
        } else if let Some(quote) = line.strip_prefix('>') {
            builder.quote_line(quote.trim(), number);
        } else if line.starts_with("**") {
            builder.label(line, number, notes);
        } else if line.starts_with('|') {
            let start = index - 1;
            while index < lines.len() && lines[index].trim().starts_with('|') {
                index += 1;
            }
            builder.table(&lines[start..index], start + 1, notes)?;
        }
    }
    builder.finish(notes)
}

#[derive(Default)]
struct Builder {
    completeness: Option<Completeness>,
    heading: Option<(usize, Method, String, String)>,
    canonical: Option<Located<String>>,
    tables: Vec<ParamTable>,
    request_example: Option<CodeBlock>,
    response_example: Option<CodeBlock>,
    cuts: Vec<Located<String>>,
    /// `<!-- … secondary listing; required flags are not known -->`: every table below.
    secondary_listing: bool,
    /// `<!-- parameters from secondary sources -->`: the next table.
    secondary_sources: bool,
    section: Option<Section>,
}

impl Builder {
    fn section(&self) -> Section {
        self.section.unwrap_or(Section::Prose)
    }

    fn heading(
        &mut self,
        text: &str,
        line: usize,
        notes: &mut Notes<'_>,
    ) -> Result<(), Diagnostic> {
        if self.heading.is_some() {
            notes.add(
                line,
                NoteKind::Skipped,
                "a second `#` heading; only the first one counts",
            );
            return Ok(());
        }
        let malformed = || {
            notes.error(
                line,
                format!("heading \"# {text}\" is not `# METHOD /path — Title`"),
            )
        };
        let (method, rest) = text
            .trim()
            .split_once(char::is_whitespace)
            .ok_or_else(malformed)?;
        let Some(method) = Method::from_name(method) else {
            return Err(notes.error(
                line,
                format!("heading \"# {text}\" starts with \"{method}\", not an HTTP method"),
            ));
        };
        let (path, title) = [" — ", " – ", " - "]
            .iter()
            .find_map(|dash| rest.split_once(dash))
            .map_or((rest.trim(), ""), |(p, t)| (p.trim(), t.trim()));
        let path = path.trim_matches('`');
        if !path.starts_with('/') || path.contains(char::is_whitespace) {
            return Err(malformed());
        }
        self.heading = Some((line, method, path.to_owned(), title.to_owned()));
        Ok(())
    }

    fn quote_line(&mut self, text: &str, line: usize) {
        if let Some(value) = text.strip_prefix("Canonical:") {
            let value = value.trim().trim_matches('`').trim();
            if !value.is_empty() {
                self.canonical = Some(Located {
                    line,
                    value: value.to_owned(),
                });
            }
        }
    }

    fn comment(&mut self, comment: &str, line: usize, notes: &mut Notes<'_>) {
        let body = comment
            .trim_start_matches("<!--")
            .split("-->")
            .next()
            .unwrap_or_default()
            .trim();
        if let Some(value) = body.strip_prefix("completeness:") {
            self.completeness = match value.trim() {
                "full" => Some(Completeness::Full),
                "partial" => Some(Completeness::Partial),
                "stub" => Some(Completeness::Stub),
                other => {
                    notes.add(
                        line,
                        NoteKind::Skipped,
                        format!("unknown completeness \"{other}\""),
                    );
                    None
                }
            };
        } else if let Some(what) = body.strip_prefix("not recovered:") {
            self.cuts.push(Located {
                line,
                value: what.trim().to_owned(),
            });
        } else if body.contains("parameters from secondary sources") {
            self.secondary_sources = true;
        } else if body.contains("secondary listing")
            || body.contains("required flags are not known")
        {
            // Applies to every table below it on the page.
            self.secondary_listing = true;
        }
    }

    fn label(&mut self, line_text: &str, line: usize, notes: &mut Notes<'_>) {
        let inner = line_text[2..].split("**").next().unwrap_or_default();
        let label = inner
            .trim()
            .trim_end_matches(':')
            .trim()
            .to_ascii_lowercase();
        let section = match label.as_str() {
            "path parameters" => Section::Params(ParamSection::Path),
            "query parameters" => Section::Params(ParamSection::Query),
            "body parameters" | "request body parameters" => Section::Params(ParamSection::Body),
            "example request body" | "example request" => Section::Request,
            "code examples" => Section::Other,
            response if response.starts_with("response") => {
                let status = response
                    .split(|c: char| !c.is_ascii_digit())
                    .find(|part| !part.is_empty())
                    .and_then(|digits| digits.parse::<u16>().ok())
                    .unwrap_or(200);
                Section::Response {
                    success: (200..300).contains(&status),
                }
            }
            _ => {
                notes.add(
                    line,
                    NoteKind::Skipped,
                    format!("unknown section \"{inner}\"; skipped"),
                );
                Section::Other
            }
        };
        self.section = Some(section);
    }

    fn code_block(
        &mut self,
        lang: &str,
        block: CodeBlock,
        fence_line: usize,
        notes: &mut Notes<'_>,
    ) {
        let json_like = matches!(lang, "" | "json" | "jsonc" | "json5" | "js" | "javascript");
        match self.section() {
            Section::Request if json_like && self.request_example.is_none() => {
                self.request_example = Some(block);
            }
            Section::Response { success: true } if json_like && self.response_example.is_none() => {
                self.response_example = Some(block);
            }
            Section::Request | Section::Response { success: true } => notes.add(
                fence_line,
                NoteKind::Skipped,
                "another example block; only the first JSON example is used",
            ),
            _ => {}
        }
    }

    fn table(
        &mut self,
        rows: &[&str],
        line: usize,
        notes: &mut Notes<'_>,
    ) -> Result<(), Diagnostic> {
        let Section::Params(section) = self.section() else {
            notes.add(
                line,
                NoteKind::Skipped,
                "a table outside a parameter section; skipped",
            );
            return Ok(());
        };
        let header = cells(rows[0], line, notes)?;
        let names: Vec<String> = header.iter().map(|c| c.to_ascii_lowercase()).collect();
        if names != ["name", "type", "required", "description"] {
            return Err(notes.error(
                line,
                format!(
                    "table header is `{}`; expected `| Name | Type | Required | Description |`",
                    rows[0].trim()
                ),
            ));
        }
        let separator_ok = rows.get(1).is_some_and(|row| {
            row.trim()
                .chars()
                .all(|c| matches!(c, '|' | '-' | ':' | ' '))
        });
        if !separator_ok {
            return Err(notes.error(
                line + 1,
                "the table header is not followed by a `|---|` row",
            ));
        }
        let mut parsed = Vec::new();
        for (offset, row) in rows.iter().enumerate().skip(2) {
            parsed.push(self.row(row, line + offset, notes)?);
        }
        self.tables.push(ParamTable {
            section,
            line,
            secondary: self.secondary_listing || self.secondary_sources,
            rows: parsed,
        });
        self.secondary_sources = false;
        Ok(())
    }

    fn row(&self, row: &str, line: usize, notes: &Notes<'_>) -> Result<ParamRow, Diagnostic> {
        let cells = cells(row, line, notes)?;
        let [name, type_name, required, description] = cells.as_slice() else {
            return Err(notes.error(
                line,
                format!(
                    "table row has {} cells; expected 4 (Name, Type, Required, Description)",
                    cells.len()
                ),
            ));
        };
        let mut depth = 0;
        let mut name = name.as_str();
        while let Some(rest) = name.strip_prefix('↳') {
            depth += 1;
            name = rest.trim_start();
        }
        if name.is_empty() {
            return Err(notes.error(line, "table row has no parameter name"));
        }
        let required = match required.to_ascii_lowercase().as_str() {
            "yes" | "true" | "required" => Some(true),
            "no" | "false" | "optional" => Some(false),
            "" => None,
            other => {
                return Err(notes.error(
                    line,
                    format!("Required column says \"{other}\"; expected Yes or No"),
                ));
            }
        };
        Ok(ParamRow {
            line,
            depth,
            name: name.trim_matches('`').to_owned(),
            type_name: type_name.trim_matches('`').to_ascii_lowercase(),
            required: if self.secondary_listing
                || (self.secondary_sources && required == Some(false))
            {
                None
            } else {
                required
            },
            description: description.to_owned(),
        })
    }

    fn finish(self, notes: &Notes<'_>) -> Result<DocPage, Diagnostic> {
        let Some((heading_line, method, path, title)) = self.heading else {
            return Err(notes.error(1, "no `# METHOD /path — Title` heading"));
        };
        Ok(DocPage {
            completeness: self.completeness,
            heading_line,
            method,
            path,
            title,
            canonical: self.canonical,
            tables: self.tables,
            request_example: self.request_example,
            response_example: self.response_example,
            cuts: self.cuts,
        })
    }
}

/// The cells of a `| a | b |` row, trimmed; `\|` is a pipe inside a cell.
fn cells(row: &str, line: usize, notes: &Notes<'_>) -> Result<Vec<String>, Diagnostic> {
    let row = row.trim();
    if row.len() < 2 || !row.ends_with('|') || row.ends_with("\\|") {
        return Err(notes.error(
            line,
            "table row does not end with `|`: it is cut off or broken",
        ));
    }
    let inner = &row[1..row.len() - 1];
    let mut cells = vec![String::new()];
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '|' => cells.push(String::new()),
            c => {
                let c = if c == '\\' && chars.peek() == Some(&'|') {
                    chars.next();
                    '|'
                } else {
                    c
                };
                if let Some(cell) = cells.last_mut() {
                    cell.push(c);
                }
            }
        }
    }
    Ok(cells.into_iter().map(|c| c.trim().to_owned()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<!-- completeness: partial -->
# GET /widgets/{{widget_id}} — List All Widgets

> Canonical: `/subscription-billing/widgets/list-all-widgets`

Some prose that is skipped.

**Path parameters:**

| Name | Type | Required | Description |
|------|------|----------|-------------|
| widget_id | string | Yes | The widget \\| its id |

<!-- parameters below come from a secondary listing; required flags are not known -->

**Query parameters:**

| Name | Type | Required | Description |
|------|------|----------|-------------|
| limit | string | Yes | integer; default 10 |
| filter | object | No |  |
| ↳ colour | string | No |  |

**Response (404)** — Not found:

```json
{\"status\": \"error\"}
```

**Response (200)** — List All Widgets:

```json
{\"status\": \"success\",
```

<!-- not recovered: the rest -->
";

    fn parse_ok(text: &str) -> (DocPage, Vec<super::super::Note>) {
        match DocPage::parse(text, "page.md") {
            Ok(parsed) => parsed,
            Err(error) => panic!("{error}"),
        }
    }

    #[test]
    fn reads_every_part_with_its_line() {
        let (page, notes) = parse_ok(PAGE);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(page.completeness, Some(Completeness::Partial));
        assert_eq!((page.heading_line, page.method), (2, Method::Get));
        assert_eq!(page.path, "/widgets/{{widget_id}}");
        assert_eq!(page.title, "List All Widgets");
        let canonical = page.canonical.as_ref().expect("canonical");
        assert_eq!(
            (canonical.line, canonical.value.as_str()),
            (4, "/subscription-billing/widgets/list-all-widgets")
        );
        assert_eq!(page.tables.len(), 2);
        let path = &page.tables[0];
        assert_eq!(
            (path.section, path.line, path.secondary),
            (ParamSection::Path, 10, false)
        );
        assert_eq!(path.rows[0].description, "The widget | its id");
        assert_eq!(path.rows[0].required, Some(true));
        let query = &page.tables[1];
        assert!(query.secondary);
        assert_eq!(
            query.rows[0].required, None,
            "a secondary listing's flags are unknown"
        );
        assert_eq!(
            (
                query.rows[2].line,
                query.rows[2].depth,
                query.rows[2].name.as_str()
            ),
            (22, 1, "colour")
        );
        let response = page
            .response_example
            .as_ref()
            .expect("the 200 example, not the 404 one");
        assert_eq!(
            (response.line, response.text.as_str()),
            (33, "{\"status\": \"success\",")
        );
        assert_eq!(page.cuts.len(), 1);
        assert_eq!(page.cuts[0].line, 36);
    }

    #[test]
    fn a_page_without_a_heading_is_an_error() {
        let error = DocPage::parse("Just prose.\n\n**Body parameters:**\n", "x.md")
            .expect_err("no heading");
        assert_eq!((error.file.as_str(), error.position.line), ("x.md", 1));
        let error = DocPage::parse("# FETCH /a — A\n", "x.md").expect_err("bad method");
        assert!(error.message.contains("not an HTTP method"), "{error}");
        let error = DocPage::parse("# GET customers — A\n", "x.md").expect_err("no slash");
        assert_eq!(error.position.line, 1);
    }

    #[test]
    fn a_broken_row_is_an_error_at_its_line() {
        let page = "# GET /a — A\n\n**Query parameters:**\n\n| Name | Type | Required | Description |\n|---|---|---|---|\n| limit | string | No |  |\n| page | str\n";
        let error = DocPage::parse(page, "x.md").expect_err("cut row");
        assert_eq!(error.position.line, 8);
        let page = "# GET /a — A\n\n**Query parameters:**\n\n| Name | Type | Required | Description |\n|---|---|---|---|\n| limit | string |  |\n";
        let error = DocPage::parse(page, "x.md").expect_err("three cells");
        assert!(error.message.contains("3 cells"), "{error}");
        let page = "# GET /a — A\n\n**Query parameters:**\n\n| Name | Type | Required | Description |\n|---|---|---|---|\n| limit | string | Maybe |  |\n";
        let error = DocPage::parse(page, "x.md").expect_err("bad Required");
        assert_eq!(error.position.line, 7);
        let page = "# GET /a — A\n\n**Query parameters:**\n\n| Parameter | Kind |\n|---|---|\n";
        let error = DocPage::parse(page, "x.md").expect_err("bad header");
        assert_eq!(error.position.line, 5);
    }

    #[test]
    fn unknown_sections_and_stray_tables_are_skipped_with_a_note() {
        let page = "# POST /a — A\n\n**Headers:**\n\n| Name | Value |\n|---|---|\n| X | y |\n\n```json\n{}\n```\n";
        let (page, notes) = parse_ok(page);
        assert!(page.tables.is_empty());
        assert!(page.request_example.is_none());
        let lines: Vec<_> = notes.iter().map(|n| (n.line(), n.kind)).collect();
        assert_eq!(lines, [(3, NoteKind::Skipped), (5, NoteKind::Skipped)]);
    }

    #[test]
    fn an_unclosed_block_ends_with_the_page() {
        let page = "# POST /a — A\n\n**Example request body:**\n\n```json\n{\"a\": 1,\n";
        let (page, notes) = parse_ok(page);
        assert_eq!(page.request_example.expect("example").text, "{\"a\": 1,");
        assert_eq!(notes[0].kind, NoteKind::Truncated);
        assert_eq!(notes[0].line(), 5);
    }
}
