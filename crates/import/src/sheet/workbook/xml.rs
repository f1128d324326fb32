//! One XML part of a workbook, read event by event. Every event and every text is capped, so a
//! crafted part (a compressed gigabyte of one tag) fails early instead of filling memory.

use std::borrow::Cow;
use std::io::{self, BufReader, Read};

use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};

use super::XlsxError;

/// The most bytes one XML event (a tag, a run of text) may take; real ones take a few hundred.
const MAX_EVENT_BYTES: u64 = 4 << 20;

/// The most bytes one text (a cell's value, a shared string) may have: Excel's own limit is
/// 32,767 characters.
pub(super) const MAX_TEXT_BYTES: usize = 1 << 20;

/// The most elements one may be inside of. A worksheet nests about eight deep; without a cap a
/// zip of `<a><a><a>…` would have the XML reader remember every open name.
pub(super) const MAX_DEPTH: usize = 256;

pub(super) struct XmlPart<R: Read> {
    name: String,
    reader: quick_xml::Reader<BufReader<Capped<R>>>,
    scratch: Vec<u8>,
    /// Elements open at this point.
    depth: usize,
}

impl<R: Read> XmlPart<R> {
    pub(super) fn new(name: &str, inner: R) -> XmlPart<R> {
        XmlPart {
            name: name.to_owned(),
            reader: quick_xml::Reader::from_reader(BufReader::new(Capped {
                inner,
                since_event: 0,
            })),
            scratch: Vec::new(),
            depth: 0,
        }
    }

    /// The next event, its bytes in `buf`.
    pub(super) fn next<'b>(&mut self, buf: &'b mut Vec<u8>) -> Result<Event<'b>, XlsxError> {
        buf.clear();
        self.reader.get_mut().get_mut().since_event = 0;
        let event = self
            .reader
            .read_event_into(buf)
            .map_err(|e| xml_error(&self.name, e))?;
        match event {
            Event::Start(_) if self.depth >= MAX_DEPTH => {
                return Err(XlsxError::TooDeep {
                    part: self.name.clone(),
                });
            }
            Event::Start(_) => self.depth += 1,
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        Ok(event)
    }

    /// The next event inside an element that is still open: the part's end is an error.
    fn next_inside<'b>(&mut self, buf: &'b mut Vec<u8>) -> Result<Event<'b>, XlsxError> {
        match self.next(buf)? {
            Event::Eof => Err(self.truncated()),
            event => Ok(event),
        }
    }

    /// Appends the text up to the end of the element named `end` (a local name) to `out`.
    pub(super) fn read_text(&mut self, end: &str, out: &mut String) -> Result<(), XlsxError> {
        let mut buf = std::mem::take(&mut self.scratch);
        loop {
            match self.next_inside(&mut buf)? {
                Event::Text(text) => out.push_str(&text.xml10_content()),
                Event::CData(text) => out.push_str(&text.xml10_content()),
                Event::GeneralRef(reference) => match reference.resolve_char_ref() {
                    Ok(Some(c)) => out.push(c),
                    Ok(None) => match resolve_predefined_entity(&reference) {
                        Some(text) => out.push_str(text),
                        None => {
                            return Err(XlsxError::Entity {
                                part: self.name.clone(),
                                entity: reference.to_string(),
                            });
                        }
                    },
                    Err(e) => return Err(xml_error(&self.name, e)),
                },
                Event::End(e) if e.local_name().as_ref() == end => break,
                _ => {}
            }
            if out.len() > MAX_TEXT_BYTES {
                return Err(self.oversized());
            }
        }
        self.scratch = buf;
        Ok(())
    }

    /// Skips everything up to the end of the element named `end` (a local name), nested
    /// elements of the same name included.
    pub(super) fn skip(&mut self, end: &str) -> Result<(), XlsxError> {
        let mut buf = std::mem::take(&mut self.scratch);
        let mut depth = 0usize;
        loop {
            match self.next_inside(&mut buf)? {
                Event::Start(e) if e.local_name().as_ref() == end => depth += 1,
                Event::End(e) if e.local_name().as_ref() == end => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                _ => {}
            }
        }
        self.scratch = buf;
        Ok(())
    }

    pub(super) fn oversized(&self) -> XlsxError {
        XlsxError::Oversized {
            part: self.name.clone(),
        }
    }

    pub(super) fn truncated(&self) -> XlsxError {
        XlsxError::Truncated {
            part: self.name.clone(),
        }
    }
}

fn xml_error(part: &str, e: quick_xml::Error) -> XlsxError {
    if let quick_xml::Error::Io(io) = &e {
        if io
            .get_ref()
            .is_some_and(|inner| inner.is::<EventTooLarge>())
        {
            return XlsxError::Oversized { part: part.into() };
        }
        // The zip reader stops a part at the size its directory declares (a "zip bomb" that
        // understates it); its error says so only in words.
        if io.kind() == io::ErrorKind::InvalidData
            && io.to_string().contains(ZIP_PAST_DECLARED_SIZE)
        {
            return XlsxError::PartTooLarge { part: part.into() };
        }
    }
    XlsxError::Xml {
        part: part.into(),
        source: e,
    }
}

/// The value of the attribute named `local` (any prefix), entities resolved.
pub(super) fn attribute<'a>(element: &'a BytesStart<'_>, local: &str) -> Option<Cow<'a, str>> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok())
}

/// Words of the zip crate's error for a part that inflates past its declared size.
const ZIP_PAST_DECLARED_SIZE: &str = "larger than its declared uncompressed size";

/// Stops a read once an event has taken more than `MAX_EVENT_BYTES` since the last checkpoint.
struct Capped<R> {
    inner: R,
    since_event: u64,
}

#[derive(Debug, thiserror::Error)]
#[error("XML 事件超过 {} MB", MAX_EVENT_BYTES >> 20)]
struct EventTooLarge;

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.since_event > MAX_EVENT_BYTES {
            return Err(io::Error::new(io::ErrorKind::InvalidData, EventTooLarge));
        }
        let n = self.inner.read(buf)?;
        self.since_event += n as u64;
        Ok(n)
    }
}
