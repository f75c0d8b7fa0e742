//! The items of an .xlsx shared-strings part, read from its text blocks.
//!
//! The reading is that of `compliance/reading/xlsx_values.py` (`_SI`, `_si_text`) and
//! `xlsx_xml.unescape`, regular expressions replayed here byte by byte:
//!
//! - an item is the leftmost match of `<P?si ATTRS/>` or `<P?si ATTRS>(?s:.*?)</P?si\s*>`
//!   (`P` an optional `name:` prefix), the text between items ignored;
//! - inside an item, phonetic runs `<P?rPh ATTRS>(?s:.*?)</P?rPh\s*>` are removed, then
//!   the text of every `<P?t ATTRS>[^<]*</P?t\s*>` run is joined (what is left of the
//!   run once every `<[^>]*>` is removed: a quoted `>` in its attributes leaves the rest
//!   of its tag as text);
//! - entities are replaced where each is one XML predefines or a plain character
//!   reference; any other `&` (an undefined entity, a bare `&`, a reference Python's
//!   `html.unescape` maps specially) leaves the item's text as written and flagged, for
//!   Python to unescape (or refuse) when the item is looked up.
//!
//! Where Python's reading of a byte is not plain ASCII (`\s` and `\w` take Unicode
//! classes) or the block is not valid UTF-8, the block is handed back (`FALLBACK`).

use super::{child, struct_array, ArrowArray, ArrowSchema, Bits, Strings, FALLBACK, INTERNAL, OK};
use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

/// The items of the last block read.
pub struct Items {
    text: Strings,
    /// Whether an item's text is as written (Python unescapes it when it is looked up).
    escaped: Bits,
}

impl Items {
    fn new() -> Self {
        Items { text: Strings::new(), escaped: Bits::default() }
    }
    fn clear(&mut self) {
        self.text.clear();
        self.escaped.clear();
    }
}

struct Fallback;

type Found<T> = Result<Option<T>, Fallback>;

/// The regular expression crate's `\s` on ASCII (polars runs these patterns; unlike
/// Python's, its `\s` does not take 0x1c..0x1f).
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// `[\w.-]*` from `p` (ASCII only): its end.
fn name_run(d: &[u8], mut p: usize) -> Result<usize, Fallback> {
    while let Some(&b) = d.get(p) {
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-') {
            p += 1;
        } else if b >= 0x80 {
            return Err(Fallback); // may be a word character to Python
        } else {
            break;
        }
    }
    Ok(p)
}

/// `\s*` from `p`: its end.
fn spaces(d: &[u8], mut p: usize) -> Result<usize, Fallback> {
    while let Some(&b) = d.get(p) {
        if is_space(b) {
            p += 1;
        } else if b >= 0x80 {
            return Err(Fallback); // may be Unicode white space
        } else {
            break;
        }
    }
    Ok(p)
}

/// `(?:[A-Za-z_][\w.-]*:)?LOCAL` at `p`: its end. (The two branches exclude each other:
/// with a prefix, what follows LOCAL is never what LOCAL alone needs after it.)
fn prefixed(d: &[u8], p: usize, local: &[u8]) -> Found<usize> {
    if let Some(&b) = d.get(p) {
        if b.is_ascii_alphabetic() || b == b'_' {
            let q = name_run(d, p + 1)?;
            if d.get(q) == Some(&b':') && d.get(q + 1..).is_some_and(|r| r.starts_with(local)) {
                return Ok(Some(q + 1 + local.len()));
            }
        }
    }
    if d.get(p..).is_some_and(|r| r.starts_with(local)) {
        return Ok(Some(p + local.len()));
    }
    Ok(None)
}

/// `(?:\s+[^\s=<>/"']+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*` from `p`: its end, or None
/// where an attribute is begun and not finished (nothing after it can match then).
fn attrs(d: &[u8], mut p: usize) -> Found<usize> {
    loop {
        let ws = spaces(d, p)?;
        let a0 = ws;
        let mut q = ws;
        while let Some(&b) = d.get(q) {
            if b >= 0x80 {
                return Err(Fallback);
            }
            if is_space(b) || matches!(b, b'=' | b'<' | b'>' | b'/' | b'"' | b'\'') {
                break;
            }
            q += 1;
        }
        if ws == p || q == a0 {
            return Ok(Some(ws)); // no attribute follows
        }
        q = spaces(d, q)?;
        if d.get(q) != Some(&b'=') {
            return Ok(None);
        }
        q = spaces(d, q + 1)?;
        let quote = match d.get(q) {
            Some(&c @ (b'"' | b'\'')) => c,
            _ => return Ok(None),
        };
        q += 1;
        loop {
            match d.get(q) {
                Some(&c) if c == quote => break,
                Some(b'<') | None => return Ok(None),
                Some(_) => q += 1,
            }
        }
        p = q + 1;
    }
}

/// `<P?LOCAL ATTRS>` (or `/>`) at `lt`: (its end, whether it is empty).
fn open_at(d: &[u8], lt: usize, local: &[u8]) -> Found<(usize, bool)> {
    let Some(p) = prefixed(d, lt + 1, local)? else {
        return Ok(None);
    };
    let Some(p) = attrs(d, p)? else {
        return Ok(None);
    };
    Ok(match (d.get(p), d.get(p + 1)) {
        (Some(b'>'), _) => Some((p + 1, false)),
        (Some(b'/'), Some(b'>')) => Some((p + 2, true)),
        _ => None,
    })
}

/// `</P?LOCAL\s*>` at `at`: its end.
fn close_at(d: &[u8], at: usize, local: &[u8]) -> Found<usize> {
    if d.get(at..at + 2) != Some(b"</") {
        return Ok(None);
    }
    let Some(p) = prefixed(d, at + 2, local)? else {
        return Ok(None);
    };
    let p = spaces(d, p)?;
    Ok((d.get(p) == Some(&b'>')).then_some(p + 1))
}

fn find(d: &[u8], from: usize, byte: u8) -> Option<usize> {
    d.get(from..)?.iter().position(|&b| b == byte).map(|i| from + i)
}

/// The lazy `(?s:.*?)</P?LOCAL\s*>` from `from`: the end of the first closing tag.
/// `none_from` remembers where no closing tag is left (a block of openers never
/// closed is then read once, not once per opener).
fn first_close(d: &[u8], from: usize, local: &[u8], none_from: &mut usize) -> Found<usize> {
    if from >= *none_from {
        return Ok(None);
    }
    let mut q = from;
    while let Some(lt) = find(d, q, b'<') {
        if let Some(end) = close_at(d, lt, local)? {
            return Ok(Some(end));
        }
        q = lt + 1;
    }
    *none_from = from;
    Ok(None)
}

/// The item's text with its phonetic runs removed (borrowed when it has none).
fn without_phonetic(item: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>, Fallback> {
    if !item.windows(3).any(|w| w == b"rPh") {
        return Ok(std::borrow::Cow::Borrowed(item));
    }
    let mut out = Vec::with_capacity(item.len());
    let mut none_from = usize::MAX;
    let (mut pos, mut i) = (0usize, 0usize);
    while let Some(lt) = find(item, i, b'<') {
        if let Some((end, false)) = open_at(item, lt, b"rPh")? {
            if let Some(close) = first_close(item, end, b"rPh", &mut none_from)? {
                out.extend_from_slice(&item[pos..lt]);
                pos = close;
                i = close;
                continue;
            }
        }
        i = lt + 1;
    }
    out.extend_from_slice(&item[pos..]);
    Ok(std::borrow::Cow::Owned(out))
}

/// The joined text of the item's `<t>` runs, appended to `out`.
fn runs(s: &[u8], out: &mut Vec<u8>) -> Result<(), Fallback> {
    let mut i = 0usize;
    while let Some(lt) = find(s, i, b'<') {
        if let Some((end, false)) = open_at(s, lt, b"t")? {
            if let Some(k) = find(s, end, b'<') {
                if let Some(close) = close_at(s, k, b"t")? {
                    // What `<[^>]*>` leaves of the run: its tag after the first '>', its text.
                    let gt = find(s, lt, b'>').unwrap_or(end);
                    out.extend_from_slice(s.get(gt + 1..end).unwrap_or(&[]));
                    out.extend_from_slice(&s[end..k]);
                    i = close;
                    continue;
                }
            }
        }
        i = lt + 1;
    }
    Ok(())
}

/// A character reference Python's `html.unescape` maps as `chr` does (or to U+FFFD).
fn plain_char(n: u32) -> Option<char> {
    let special = n <= 0x8
        || matches!(n, 0xb | 0xd)
        || (0xe..=0x1f).contains(&n)
        || (0x7f..=0x9f).contains(&n)
        || (0xfdd0..=0xfdef).contains(&n)
        || (n & 0xfffe == 0xfffe && n <= 0x10ffff);
    if special {
        return None; // html.unescape's own table, or dropped: Python decides
    }
    Some(char::from_u32(n).unwrap_or('\u{fffd}'))
}

/// `text` with its entities replaced, appended to `out`; false (and `out` untouched) if
/// any `&` is not one this reading replaces exactly as Python does.
fn unescape_into(text: &[u8], out: &mut Vec<u8>) -> bool {
    let mark = out.len();
    let mut pos = 0usize;
    while let Some(amp) = find(text, pos, b'&') {
        out.extend_from_slice(&text[pos..amp]);
        let rest = &text[amp + 1..];
        let Some(semi) = rest.iter().take(12).position(|&b| b == b';') else {
            out.truncate(mark);
            return false;
        };
        let body = &rest[..semi];
        let replaced: Option<char> = match body {
            b"lt" => Some('<'),
            b"gt" => Some('>'),
            b"amp" => Some('&'),
            b"quot" => Some('"'),
            b"apos" => Some('\''),
            [b'#', b'x', hex @ ..] if (1..=8).contains(&hex.len()) && hex.iter().all(u8::is_ascii_hexdigit) => {
                std::str::from_utf8(hex).ok().and_then(|h| u32::from_str_radix(h, 16).ok()).and_then(plain_char)
            }
            [b'#', dec @ ..] if (1..=8).contains(&dec.len()) && dec.iter().all(u8::is_ascii_digit) => {
                std::str::from_utf8(dec).ok().and_then(|h| h.parse::<u32>().ok()).and_then(plain_char)
            }
            _ => None,
        };
        let Some(ch) = replaced else {
            out.truncate(mark);
            return false;
        };
        let mut buf = [0u8; 4];
        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
        pos = amp + 1 + semi + 1;
    }
    out.extend_from_slice(&text[pos..]);
    true
}

/// One item (the whole match) into `out`.
fn item(d: &[u8], out: &mut Items, joined: &mut Vec<u8>) -> Result<(), Fallback> {
    joined.clear();
    runs(&without_phonetic(d)?, joined)?;
    let escaped = joined.contains(&b'&') && !unescape_into(joined, &mut out.text.data);
    if escaped || !joined.contains(&b'&') {
        out.text.data.extend_from_slice(joined);
    }
    if !out.text.finish(true) {
        return Err(Fallback);
    }
    out.escaped.push(escaped);
    Ok(())
}

fn scan(d: &[u8], out: &mut Items) -> Result<(), Fallback> {
    if std::str::from_utf8(d).is_err() {
        return Err(Fallback);
    }
    let mut joined = Vec::new();
    let mut none_from = usize::MAX;
    let mut i = 0usize;
    while let Some(lt) = find(d, i, b'<') {
        match open_at(d, lt, b"si")? {
            Some((end, true)) => {
                item(&d[lt..end], out, &mut joined)?;
                i = end;
            }
            Some((end, false)) => match first_close(d, end, b"si", &mut none_from)? {
                Some(close) => {
                    item(&d[lt..close], out, &mut joined)?;
                    i = close;
                }
                None => i = lt + 1,
            },
            None => i = lt + 1,
        }
    }
    Ok(())
}

/// The reader Python holds: the items of the last block.
pub struct SstReader {
    items: Items,
}

/// A new reader (null if it cannot be made); free it with `cx_sst_free`.
#[no_mangle]
pub extern "C" fn cx_sst_new() -> *mut SstReader {
    catch_unwind(|| Box::into_raw(Box::new(SstReader { items: Items::new() })))
        .unwrap_or(std::ptr::null_mut())
}

/// Frees a reader made by `cx_sst_new`.
///
/// # Safety
/// `r` is null or a pointer from `cx_sst_new`, not freed before.
#[no_mangle]
pub unsafe extern "C" fn cx_sst_free(r: *mut SstReader) {
    if !r.is_null() {
        let _ = catch_unwind(AssertUnwindSafe(|| drop(Box::from_raw(r))));
    }
}

/// Reads one block (`len` bytes at `data`): the reader then holds its items (OK), or
/// none (FALLBACK: the block is Python's to read).
///
/// # Safety
/// `r` from `cx_sst_new`; `data` valid for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn cx_sst_scan(r: *mut SstReader, data: *const u8, len: usize) -> i32 {
    if r.is_null() || (data.is_null() && len != 0) {
        return INTERNAL;
    }
    let result = catch_unwind(AssertUnwindSafe(|| {
        let r = &mut *r;
        let d: &[u8] = if len == 0 { &[] } else { std::slice::from_raw_parts(data, len) };
        r.items.clear();
        match scan(d, &mut r.items) {
            Ok(()) => OK,
            Err(Fallback) => {
                r.items.clear();
                FALLBACK
            }
        }
    }));
    result.unwrap_or_else(|_| {
        if let Some(r) = r.as_mut() {
            r.items.clear();
        }
        INTERNAL
    })
}

/// How many items the reader holds.
///
/// # Safety
/// `r` from `cx_sst_new`.
#[no_mangle]
pub unsafe extern "C" fn cx_sst_len(r: *const SstReader) -> usize {
    r.as_ref().map_or(0, |r| r.items.escaped.len)
}

const NAMES: [&[u8]; 2] = [b"text\0", b"escaped\0"];
const FORMATS: [&[u8]; 2] = [b"vu\0", b"b\0"];

/// Moves the held items into a struct array (text, escaped) and its schema (freed with
/// `cx_export_free` once the consumer moved them out). The reader then holds none.
///
/// # Safety
/// `r` from `cx_sst_new`; `schema_out` and `array_out` valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn cx_sst_export(
    r: *mut SstReader,
    schema_out: *mut *mut ArrowSchema,
    array_out: *mut *mut ArrowArray,
) -> bool {
    if r.is_null() || schema_out.is_null() || array_out.is_null() {
        return false;
    }
    let done = catch_unwind(AssertUnwindSafe(|| {
        let r = &mut *r;
        let items = Arc::new(std::mem::replace(&mut r.items, Items::new()));
        let n = items.escaped.len as i64;
        let none: *const c_void = std::ptr::null();
        let t = &items.text;
        let kids = vec![
            child(
                &items,
                n,
                t.valid.zeros(),
                vec![t.valid.bytes.as_ptr().cast(), t.views.as_ptr().cast(), t.data.as_ptr().cast()],
                t.data.len() as i64,
            ),
            child(&items, n, 0, vec![none, items.escaped.bytes.as_ptr().cast()], 0),
        ];
        let owner: Arc<dyn std::any::Any> = items;
        struct_array(owner, n, kids, &NAMES, &FORMATS, schema_out, array_out);
    }));
    done.is_ok()
}
