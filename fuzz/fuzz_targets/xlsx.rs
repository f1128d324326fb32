//! The streaming xlsx reader, given workbooks built from the fuzz input: a zip of the parts a
//! workbook has, each either valid (to get past it) or XML made from fuzzed tokens (names the
//! reader looks for, attributes, text, entities, DOCTYPEs, nesting). Some inputs are raw bytes
//! instead, so the zip reader itself is fuzzed too. Every row is read to the end.
#![no_main]

use std::io::{Cursor, Write};

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use linkong_import::sheet::{Format, Sheet};
use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#;
const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>"#;

/// Element names: the ones the reader looks for, and any other.
#[derive(Arbitrary, Debug)]
enum Name {
    Workbook,
    WorkbookPr,
    Sheets,
    Sheet,
    Relationships,
    Relationship,
    Sst,
    Si,
    T,
    R,
    RPh,
    StyleSheet,
    NumFmts,
    NumFmt,
    CellXfs,
    Xf,
    Worksheet,
    SheetData,
    Row,
    C,
    V,
    F,
    Is,
    Prefixed(u8),
    Other(String),
}

impl Name {
    fn text(&self) -> String {
        let known = match self {
            Name::Workbook => "workbook",
            Name::WorkbookPr => "workbookPr",
            Name::Sheets => "sheets",
            Name::Sheet => "sheet",
            Name::Relationships => "Relationships",
            Name::Relationship => "Relationship",
            Name::Sst => "sst",
            Name::Si => "si",
            Name::T => "t",
            Name::R => "r",
            Name::RPh => "rPh",
            Name::StyleSheet => "styleSheet",
            Name::NumFmts => "numFmts",
            Name::NumFmt => "numFmt",
            Name::CellXfs => "cellXfs",
            Name::Xf => "xf",
            Name::Worksheet => "worksheet",
            Name::SheetData => "sheetData",
            Name::Row => "row",
            Name::C => "c",
            Name::V => "v",
            Name::F => "f",
            Name::Is => "is",
            Name::Prefixed(n) => {
                return format!("x:{}", ["row", "c", "v", "si", "t"][*n as usize % 5]);
            }
            Name::Other(name) => return name.clone(),
        };
        known.to_owned()
    }
}

/// Attribute names the reader reads, and any other.
#[derive(Arbitrary, Debug)]
enum AttrName {
    R,
    T,
    S,
    Id,
    RId,
    State,
    Date1904,
    Space,
    NumFmtId,
    FormatCode,
    Type,
    Target,
    TargetMode,
    Other(String),
}

impl AttrName {
    fn text(&self) -> &str {
        match self {
            AttrName::R => "r",
            AttrName::T => "t",
            AttrName::S => "s",
            AttrName::Id => "Id",
            AttrName::RId => "r:id",
            AttrName::State => "state",
            AttrName::Date1904 => "date1904",
            AttrName::Space => "xml:space",
            AttrName::NumFmtId => "numFmtId",
            AttrName::FormatCode => "formatCode",
            AttrName::Type => "Type",
            AttrName::Target => "Target",
            AttrName::TargetMode => "TargetMode",
            AttrName::Other(name) => name,
        }
    }
}

/// One piece of a part's XML, in document order; nesting comes from `Open` and `Close`.
#[derive(Arbitrary, Debug)]
enum Token {
    Open(Name, Vec<(AttrName, String)>),
    Empty(Name, Vec<(AttrName, String)>),
    Close,
    Text(String),
    /// A number as a cell value or index.
    Number(i64),
    Float(f64),
    /// `&name;`, a character reference, or a predefined entity.
    Entity(String),
    CharRef(u32),
    CData(String),
    DocType(String),
    Comment(String),
    ProcessingInstruction(String),
    /// Bytes as they come, not escaped.
    Raw(String),
}

/// Escapes text for an attribute value or element content.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn render(tokens: &[Token]) -> Vec<u8> {
    let mut out = String::from(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let mut open: Vec<String> = Vec::new();
    let attributes = |attrs: &[(AttrName, String)], out: &mut String| {
        for (name, value) in attrs {
            out.push_str(&format!(" {}=\"{}\"", name.text(), escaped(value)));
        }
    };
    for token in tokens {
        match token {
            Token::Open(name, attrs) => {
                let name = name.text();
                out.push_str(&format!("<{name}"));
                attributes(attrs, &mut out);
                out.push('>');
                open.push(name);
            }
            Token::Empty(name, attrs) => {
                out.push_str(&format!("<{}", name.text()));
                attributes(attrs, &mut out);
                out.push_str("/>");
            }
            Token::Close => {
                if let Some(name) = open.pop() {
                    out.push_str(&format!("</{name}>"));
                }
            }
            Token::Text(text) => out.push_str(&escaped(text)),
            Token::Number(n) => out.push_str(&n.to_string()),
            Token::Float(x) => out.push_str(&x.to_string()),
            Token::Entity(name) => out.push_str(&format!("&{name};")),
            Token::CharRef(c) => out.push_str(&format!("&#x{c:X};")),
            Token::CData(text) => out.push_str(&format!("<![CDATA[{text}]]>")),
            Token::DocType(name) => out.push_str(&format!(
                "<!DOCTYPE {name} [<!ENTITY {name} \"{name}{name}{name}\">]>"
            )),
            Token::Comment(text) => out.push_str(&format!("<!--{text}-->")),
            Token::ProcessingInstruction(text) => out.push_str(&format!("<?{text}?>")),
            Token::Raw(text) => out.push_str(text),
        }
    }
    while let Some(name) = open.pop() {
        out.push_str(&format!("</{name}>"));
    }
    out.into_bytes()
}

/// A cell of a typed worksheet: the reader's main path, reached without luck.
#[derive(Arbitrary, Debug)]
struct TypedCell {
    reference: Option<String>,
    kind: Option<u8>,
    style: Option<u16>,
    value: String,
}

#[derive(Arbitrary, Debug)]
struct TypedRow {
    number: Option<u32>,
    cells: Vec<TypedCell>,
}

fn typed_sheet(rows: &[TypedRow]) -> Vec<u8> {
    let mut out = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for row in rows {
        match row.number {
            Some(n) => out.push_str(&format!("<row r=\"{n}\">")),
            None => out.push_str("<row>"),
        }
        for cell in &row.cells {
            out.push_str("<c");
            if let Some(reference) = &cell.reference {
                out.push_str(&format!(" r=\"{}\"", escaped(reference)));
            }
            if let Some(kind) = cell.kind {
                let kinds = ["s", "n", "b", "e", "str", "inlineStr", "d", "x"];
                out.push_str(&format!(" t=\"{}\"", kinds[kind as usize % kinds.len()]));
            }
            if let Some(style) = cell.style {
                out.push_str(&format!(" s=\"{style}\""));
            }
            if cell.kind.is_some_and(|k| k as usize % 8 == 5) {
                out.push_str(&format!("><is><t>{}</t></is></c>", escaped(&cell.value)));
            } else {
                out.push_str(&format!("><v>{}</v></c>", escaped(&cell.value)));
            }
        }
        out.push_str("</row>");
    }
    out.push_str("</sheetData></worksheet>");
    out.into_bytes()
}

/// A part: left out, valid, or made from tokens.
#[derive(Arbitrary, Debug)]
enum Part {
    Missing,
    Valid,
    Tokens(Vec<Token>),
}

#[derive(Arbitrary, Debug)]
enum WorksheetPart {
    Missing,
    Typed(Vec<TypedRow>),
    Tokens(Vec<Token>),
}

#[derive(Arbitrary, Debug)]
struct Workbook {
    root_rels: Part,
    workbook: Part,
    workbook_rels: Part,
    styles: Part,
    shared_strings: Option<Vec<String>>,
    shared_strings_tokens: Option<Vec<Token>>,
    sheet: WorksheetPart,
    /// Deflate each part (else store it).
    deflated: bool,
}

#[derive(Arbitrary, Debug)]
enum Input {
    Built(Workbook),
    Raw(Vec<u8>),
}

fn part(part: &Part, valid: &str) -> Option<Vec<u8>> {
    match part {
        Part::Missing => None,
        Part::Valid => Some(valid.as_bytes().to_vec()),
        Part::Tokens(tokens) => Some(render(tokens)),
    }
}

fn shared_strings(texts: &[String]) -> Vec<u8> {
    let mut out = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{0}" uniqueCount="{0}">"#,
        texts.len()
    );
    for text in texts {
        out.push_str(&format!(
            "<si><t xml:space=\"preserve\">{}</t></si>",
            escaped(text)
        ));
    }
    out.push_str("</sst>");
    out.into_bytes()
}

fn zipped(workbook: &Workbook) -> Vec<u8> {
    let mut parts: Vec<(&str, Vec<u8>)> = vec![("[Content_Types].xml", CONTENT_TYPES.into())];
    let mut add = |name, bytes: Option<Vec<u8>>| {
        if let Some(bytes) = bytes {
            parts.push((name, bytes));
        }
    };
    add("_rels/.rels", part(&workbook.root_rels, ROOT_RELS));
    add("xl/workbook.xml", part(&workbook.workbook, WORKBOOK));
    add(
        "xl/_rels/workbook.xml.rels",
        part(&workbook.workbook_rels, WORKBOOK_RELS),
    );
    add("xl/styles.xml", part(&workbook.styles, STYLES));
    match (&workbook.shared_strings_tokens, &workbook.shared_strings) {
        (Some(tokens), _) => add("xl/sharedStrings.xml", Some(render(tokens))),
        (None, Some(texts)) => add("xl/sharedStrings.xml", Some(shared_strings(texts))),
        (None, None) => {}
    }
    match &workbook.sheet {
        WorksheetPart::Missing => {}
        WorksheetPart::Typed(rows) => add("xl/worksheets/sheet1.xml", Some(typed_sheet(rows))),
        WorksheetPart::Tokens(tokens) => add("xl/worksheets/sheet1.xml", Some(render(tokens))),
    }
    let method = if workbook.deflated {
        CompressionMethod::Deflated
    } else {
        CompressionMethod::Stored
    };
    let options = SimpleFileOptions::default().compression_method(method);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        zip.start_file(name, options).expect("a zip entry");
        zip.write_all(&bytes).expect("written to memory");
    }
    zip.finish().expect("a zip").into_inner()
}

fuzz_target!(|input: Input| {
    let (bytes, built) = match &input {
        Input::Built(workbook) => (zipped(workbook), true),
        Input::Raw(bytes) => (bytes.clone(), false),
    };
    let Ok(mut sheet) = Sheet::from_bytes(bytes) else {
        return;
    };
    if built {
        assert_eq!(sheet.format(), Format::Xlsx);
    }
    // A worksheet may list its rows in any order: each is given with its own number.
    while let Ok(Some(_)) = sheet.next_row() {}
    assert!(sheet.bytes_read() <= sheet.total_bytes());
});
