//! The cell tokeniser of an .xlsx worksheet's sheet data, in Rust with std only.
//!
//! It reads one block of text at a time exactly as the tag-by-tag reader
//! (`compliance/reading/xlsx_tags.py`, `general_block`) does, and is driven by
//! `compliance/reading/xlsx_native.py` through ctypes. The blocks it is given
//! are those `xlsx_xml.text_blocks` yields: comments, processing instructions
//! and CDATA are already neutralised, and a block never ends inside a tag or a
//! cell.
//!
//! Each cell's reference is checked against the limit when its tag is read,
//! before anything is stored for it; only the cells of the wanted rows and
//! columns are written, straight into Arrow-layout column buffers (row, col,
//! t, s, f, v, inline) that Python wraps as a polars frame.
//!
//! Input is hostile: nothing here panics on any input (indexing is checked,
//! arithmetic saturates), and every entry point also catches unwinding. Where
//! Python's reading of a byte is not plain ASCII (a non-ASCII byte inside a
//! tag, where Python's `\s` and `\w` take Unicode classes; a block that is not
//! valid UTF-8, which Python decodes with replacement characters), the block
//! is handed back (`FALLBACK`) for the Python reader, with nothing changed.

use std::panic::{catch_unwind, AssertUnwindSafe};

mod sst;
mod typed;

use typed::{Raw, Typed};

pub const OK: i32 = 0;
pub const FALLBACK: i32 = 1;
pub const TOO_LARGE: i32 = 2;
pub const BAD_REFERENCE: i32 = 3;
pub const MALFORMED_TAG: i32 = 4;
pub const CELL_NOT_CLOSED: i32 = 5;
pub const INTERNAL: i32 = 6;

/// Changed whenever the exported functions change.
const ABI: u32 = 5;

/// Where a cell without `r` goes (calamine's rule) and how far the cells reach (1-based).
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct State {
    pub row: u64,
    pub col: u64,
    pub max_row: u64,
    pub max_col: u64,
}

/// What to keep: rows `first_row..stop_row` (0-based), columns whose byte in `wanted` is 1.
#[repr(C)]
pub struct Filter {
    pub max_cells: u64,
    pub first_row: u64,
    pub stop_row: u64,
    /// One byte per column (1: kept); null: every column.
    pub wanted: *const u8,
    pub wanted_len: usize,
    /// 1: the cells' meanings are kept (`typed.rs`) instead of their text as written.
    pub typed: u8,
    /// One byte per style index (1: a date style); null: none.
    pub dates: *const u8,
    pub dates_len: usize,
}

#[derive(Default)]
struct Bits {
    bytes: Vec<u8>,
    len: usize,
}

impl Bits {
    fn reserve(&mut self, n: usize) {
        let _ = self.bytes.try_reserve(n / 8 + 1);
    }
    fn push(&mut self, on: bool) {
        let i = self.len % 8;
        if i == 0 {
            self.bytes.push(0);
        }
        if on {
            if let Some(last) = self.bytes.last_mut() {
                *last |= 1u8 << i;
            }
        }
        self.len += 1;
    }
    fn clear(&mut self) {
        self.bytes.clear();
        self.len = 0;
    }
    fn zeros(&self) -> i64 {
        let ones: u32 = self.bytes.iter().map(|b| b.count_ones()).sum();
        self.len as i64 - i64::from(ones)
    }
}

/// An Arrow string-view column (polars' own layout): 16-byte views, the bytes of the
/// values longer than 12 bytes, validity bits. A value's bytes are appended to `data`
/// as they come; `finish` moves a short one into its view.
struct Strings {
    views: Vec<u128>,
    data: Vec<u8>,
    start: usize,
    valid: Bits,
}

impl Strings {
    fn new() -> Self {
        Strings { views: Vec::new(), data: Vec::new(), start: 0, valid: Bits::default() }
    }
    fn reserve(&mut self, n: usize) {
        let _ = self.views.try_reserve(n);
        self.valid.reserve(n);
    }
    /// Ends the current value (its bytes are `data[start..]`); false if the block's
    /// long values outgrow a u32 offset.
    fn finish(&mut self, present: bool) -> bool {
        let bytes = self.data.get(self.start..).unwrap_or(&[]);
        let (Ok(len), Ok(offset)) = (u32::try_from(bytes.len()), u32::try_from(self.start)) else {
            return false;
        };
        let mut view = [0u8; 16];
        view[..4].copy_from_slice(&len.to_le_bytes());
        if bytes.len() <= 12 {
            view[4..4 + bytes.len()].copy_from_slice(bytes);
            self.data.truncate(self.start);
        } else {
            view[4..8].copy_from_slice(&bytes[..4]);
            // view[8..12]: buffer index 0
            view[12..16].copy_from_slice(&offset.to_le_bytes());
        }
        self.views.push(u128::from_le_bytes(view));
        self.start = self.data.len();
        self.valid.push(present);
        true
    }
    fn clear(&mut self) {
        self.views.clear();
        self.data.clear();
        self.start = 0;
        self.valid.clear();
    }
}

/// The kept cells of the last block scanned.
pub struct Cells {
    row: Vec<u32>,
    col: Vec<u32>,
    t: Strings,
    s: Strings,
    f: Bits,
    v: Strings,
    inline: Strings,
    typed: Typed,
}

impl Cells {
    fn new() -> Self {
        Cells {
            row: Vec::new(),
            col: Vec::new(),
            t: Strings::new(),
            s: Strings::new(),
            f: Bits::default(),
            v: Strings::new(),
            inline: Strings::new(),
            typed: Typed::new(),
        }
    }
    fn clear(&mut self) {
        self.row.clear();
        self.col.clear();
        self.t.clear();
        self.s.clear();
        self.f.clear();
        self.v.clear();
        self.inline.clear();
        self.typed.clear();
    }
    fn len(&self) -> usize {
        self.row.len()
    }
    /// Room for the most cells a block of `len` bytes can keep (a kept cell takes at
    /// least `<c>` and `</c>`), up to a million: growing by doubling copied each column
    /// and touched twice its pages. Only the pages written are backed by memory, and a
    /// reservation refused (an address-space limit) is only a slower start.
    fn reserve(&mut self, len: usize, typed: bool) {
        let n = (len / 7 + 1).min(1 << 20);
        let _ = self.row.try_reserve(n);
        let _ = self.col.try_reserve(n);
        if typed {
            let ty = &mut self.typed;
            let _ = ty.kind.try_reserve(n);
            let _ = ty.num.try_reserve(n);
            ty.num_valid.reserve(n);
            ty.text.reserve(n);
            let _ = ty.si.try_reserve(n);
            ty.si_valid.reserve(n);
            ty.uncached.reserve(n);
        } else {
            for col in [&mut self.t, &mut self.s, &mut self.v, &mut self.inline] {
                col.reserve(n);
            }
            self.f.reserve(n);
        }
    }
}

enum Fail {
    Fallback,
    BadReference,
    Malformed,
    NotClosed,
}

fn is_space(b: u8) -> bool {
    // Python's \s and str.isspace() on ASCII.
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0x1c..=0x1f)
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')
}

fn at(d: &[u8], i: usize) -> Option<u8> {
    d.get(i).copied()
}

/// One tag read at `<` (index `lt`).
struct Tag<'a> {
    end: usize,
    closing: bool,
    empty: bool,
    name: &'a [u8],
    r: Option<&'a [u8]>,
    t: Option<&'a [u8]>,
    s: Option<&'a [u8]>,
}

/// A name (`[A-Za-z_][\w.-]*`) from `p`: its end.
fn name_end(d: &[u8], p: usize) -> Result<usize, Fail> {
    match at(d, p) {
        Some(b) if is_name_start(b) => {}
        _ => return Err(Fail::Malformed),
    }
    let mut q = p + 1;
    while let Some(b) = at(d, q) {
        if is_name(b) {
            q += 1;
        } else if b >= 0x80 {
            return Err(Fail::Fallback); // may be a word character to Python
        } else {
            break;
        }
    }
    Ok(q)
}

fn read_tag(d: &[u8], lt: usize) -> Result<Tag<'_>, Fail> {
    let mut p = lt + 1;
    let closing = at(d, p) == Some(b'/');
    if closing {
        p += 1;
    }
    let mut start = p;
    let mut q = name_end(d, p)?;
    if at(d, q) == Some(b':') {
        start = q + 1;
        q = name_end(d, start)?;
    }
    let name = &d[start.min(q)..q];
    p = q;
    let mut tag = Tag { end: 0, closing, empty: false, name, r: None, t: None, s: None };
    loop {
        let ws = p;
        while let Some(b) = at(d, p) {
            if is_space(b) {
                p += 1;
            } else if b >= 0x80 {
                return Err(Fail::Fallback); // may be Unicode white space to Python
            } else {
                break;
            }
        }
        match at(d, p) {
            Some(b'>') => {
                tag.end = p + 1;
                return Ok(tag);
            }
            Some(b'/') => {
                if at(d, p + 1) == Some(b'>') {
                    tag.empty = true;
                    tag.end = p + 2;
                    return Ok(tag);
                }
                return Err(Fail::Malformed);
            }
            Some(_) if p > ws => {}
            _ => return Err(Fail::Malformed),
        }
        // An attribute: [^\s=<>/"']+ \s* = \s* ("[^"<]*" | '[^'<]*')
        let a0 = p;
        while let Some(b) = at(d, p) {
            if b >= 0x80 {
                return Err(Fail::Fallback);
            }
            if is_space(b) || matches!(b, b'=' | b'<' | b'>' | b'/' | b'"' | b'\'') {
                break;
            }
            p += 1;
        }
        if p == a0 {
            return Err(Fail::Malformed);
        }
        let key = &d[a0..p];
        p = skip_space(d, p)?;
        if at(d, p) != Some(b'=') {
            return Err(Fail::Malformed);
        }
        p = skip_space(d, p + 1)?;
        let quote = match at(d, p) {
            Some(c @ (b'"' | b'\'')) => c,
            _ => return Err(Fail::Malformed),
        };
        let v0 = p + 1;
        let mut v1 = v0;
        loop {
            match at(d, v1) {
                Some(c) if c == quote => break,
                Some(b'<') | None => return Err(Fail::Malformed),
                Some(_) => v1 += 1,
            }
        }
        let value = &d[v0..v1];
        match key {
            b"r" => tag.r = Some(value),
            b"t" => tag.t = Some(value),
            b"s" => tag.s = Some(value),
            _ => {}
        }
        p = v1 + 1;
    }
}

fn skip_space(d: &[u8], mut p: usize) -> Result<usize, Fail> {
    while let Some(b) = at(d, p) {
        if is_space(b) {
            p += 1;
        } else if b >= 0x80 {
            return Err(Fail::Fallback);
        } else {
            break;
        }
    }
    Ok(p)
}

/// A reference `([A-Z]{1,3})?([0-9]{1,7})` after Python's strip(): (column letters' number
/// or 0 when there are none, row number).
fn reference(raw: &[u8]) -> Result<(u64, u64), Fail> {
    if raw.iter().any(|&b| b >= 0x80) {
        return Err(Fail::Fallback); // Python strips Unicode white space too
    }
    let mut a = 0;
    let mut b = raw.len();
    while a < b && is_space(raw[a]) {
        a += 1;
    }
    while b > a && is_space(raw[b - 1]) {
        b -= 1;
    }
    let r = &raw[a..b];
    let letters = r.iter().take_while(|c| c.is_ascii_uppercase()).count();
    let digits = &r[letters..];
    if letters > 3 || digits.is_empty() || digits.len() > 7 {
        return Err(Fail::BadReference);
    }
    let mut col = 0u64;
    for &c in &r[..letters] {
        col = col * 26 + u64::from(c - b'A' + 1);
    }
    let mut row = 0u64;
    for &c in digits {
        if !c.is_ascii_digit() {
            return Err(Fail::BadReference);
        }
        row = row * 10 + u64::from(c - b'0');
    }
    if row == 0 {
        return Err(Fail::BadReference);
    }
    Ok((col, row))
}

#[derive(PartialEq, Clone, Copy)]
enum Target {
    None,
    V,
    Inline,
}

/// Scans one block; the cells kept are appended to `out`, `st` is updated.
/// Returns whether the cells reach past the limit.
fn scan(
    d: &[u8],
    st: &mut State,
    flt: &Filter,
    wanted: &[u8],
    dates: &[u8],
    out: &mut Cells,
) -> Result<bool, Fail> {
    if std::str::from_utf8(d).is_err() {
        return Err(Fail::Fallback);
    }
    let mut too_large = false;
    let mut pos = 0usize;
    let n = d.len();
    let mut in_cell = false;
    let mut keep = false;
    let mut f = false;
    let mut has_v = false;
    let mut has_inline = false;
    let mut has_t = false;
    let mut has_s = false;
    let mut target = Target::None;
    let mut skip: i64 = 0;
    while pos < n {
        let lt = match d[pos..].iter().position(|&b| b == b'<') {
            Some(i) => pos + i,
            None => n,
        };
        if in_cell && keep && lt > pos && skip == 0 {
            match target {
                Target::V => out.v.data.extend_from_slice(&d[pos..lt]),
                Target::Inline => out.inline.data.extend_from_slice(&d[pos..lt]),
                Target::None => {}
            }
        }
        if lt >= n {
            break;
        }
        let tag = read_tag(d, lt)?;
        pos = tag.end;
        let name = tag.name;
        if in_cell {
            if tag.closing && name == b"c" {
                if keep && flt.typed == 1 {
                    let raw = Raw {
                        t: has_t.then(|| out.t.data.get(out.t.start..).unwrap_or(&[])),
                        s: has_s.then(|| out.s.data.get(out.s.start..).unwrap_or(&[])),
                        f,
                        v: has_v.then(|| out.v.data.get(out.v.start..).unwrap_or(&[])),
                        inline: has_inline.then(|| out.inline.data.get(out.inline.start..).unwrap_or(&[])),
                    };
                    if !out.typed.push(&raw, dates) {
                        return Err(Fail::Fallback);
                    }
                    for col in [&mut out.t, &mut out.s, &mut out.v, &mut out.inline] {
                        col.data.truncate(col.start);
                    }
                } else if keep {
                    out.f.push(f);
                    let done = out.t.finish(has_t)
                        & out.s.finish(has_s)
                        & out.v.finish(has_v)
                        & out.inline.finish(has_inline);
                    if !done {
                        return Err(Fail::Fallback);
                    }
                }
                in_cell = false;
                target = Target::None;
            } else if name == b"rPh" {
                if !tag.empty {
                    skip = if tag.closing { skip.saturating_sub(1) } else { skip.saturating_add(1) };
                }
            } else if tag.closing {
                target = Target::None;
            } else if name == b"f" {
                f = true;
                target = Target::None;
            } else if name == b"v" {
                has_v = true;
                target = if tag.empty { Target::None } else { Target::V };
            } else if name == b"is" || name == b"t" {
                has_inline = true;
                target = if name == b"t" && !tag.empty { Target::Inline } else { Target::None };
            }
            continue;
        }
        if name == b"row" {
            if tag.closing {
                st.row = st.row.saturating_add(1);
                st.col = 0;
            } else if !tag.empty {
                if let Some(r) = tag.r {
                    let (letters, row) = reference(r)?;
                    if letters != 0 {
                        return Err(Fail::BadReference);
                    }
                    st.row = row - 1;
                }
            }
        } else if name == b"c" && !tag.closing && !tag.empty {
            let (row, col) = match tag.r {
                Some(r) => {
                    let (letters, row) = reference(r)?;
                    if letters == 0 {
                        return Err(Fail::BadReference);
                    }
                    st.col = letters - 1;
                    (row - 1, letters - 1)
                }
                None => (st.row, st.col),
            };
            st.col = st.col.saturating_add(1);
            // The bound, before anything is kept for the cell.
            let rows = row.saturating_add(1);
            let cols = col.saturating_add(1);
            if rows > st.max_row || cols > st.max_col {
                st.max_row = st.max_row.max(rows);
                st.max_col = st.max_col.max(cols);
                if st.max_row.saturating_mul(st.max_col) > flt.max_cells {
                    too_large = true;
                }
            }
            let fits = row <= u64::from(u32::MAX) && col <= u64::from(u32::MAX);
            let wanted_col = if flt.wanted.is_null() {
                true
            } else {
                usize::try_from(col).ok().and_then(|c| wanted.get(c)).copied() == Some(1)
            };
            keep = !too_large
                && fits
                && row >= flt.first_row
                && row < flt.stop_row
                && wanted_col;
            in_cell = true;
            f = false;
            has_v = false;
            has_inline = false;
            target = Target::None;
            if keep {
                out.row.push(row as u32);
                out.col.push(col as u32);
                if let Some(t) = tag.t {
                    out.t.data.extend_from_slice(t);
                }
                if let Some(s) = tag.s {
                    out.s.data.extend_from_slice(s);
                }
                has_t = tag.t.is_some();
                has_s = tag.s.is_some();
            }
        }
    }
    if in_cell {
        return Err(Fail::NotClosed);
    }
    Ok(too_large)
}

/// The scanner Python holds: the kept cells of the last block.
pub struct Scanner {
    cells: Cells,
}

/// The ABI version of this library.
#[no_mangle]
pub extern "C" fn cx_abi() -> u32 {
    ABI
}

/// A new scanner (null if it cannot be made); free it with `cx_free`.
#[no_mangle]
pub extern "C" fn cx_new() -> *mut Scanner {
    catch_unwind(|| Box::into_raw(Box::new(Scanner { cells: Cells::new() })))
        .unwrap_or(std::ptr::null_mut())
}

/// Frees a scanner made by `cx_new`.
///
/// # Safety
/// `sc` is null or a pointer from `cx_new`, not freed before.
#[no_mangle]
pub unsafe extern "C" fn cx_free(sc: *mut Scanner) {
    if !sc.is_null() {
        let _ = catch_unwind(AssertUnwindSafe(|| drop(Box::from_raw(sc))));
    }
}

/// Scans one block (`len` bytes at `data`): the scanner then holds the block's kept
/// cells (and nothing else), `state` is updated, and the result is OK. On any other
/// result the scanner holds no cells; on FALLBACK `state` is unchanged; on TOO_LARGE
/// `reach` receives the rows and columns the block's cells reach.
///
/// # Safety
/// `sc` from `cx_new`; `data` valid for `len` bytes; `state`, `filter` and `reach`
/// (two u64) valid; `filter.wanted` null or valid for `filter.wanted_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn cx_scan(
    sc: *mut Scanner,
    data: *const u8,
    len: usize,
    state: *mut State,
    filter: *const Filter,
    reach: *mut u64,
) -> i32 {
    if sc.is_null() || state.is_null() || filter.is_null() || reach.is_null() {
        return INTERNAL;
    }
    if data.is_null() && len != 0 {
        return INTERNAL;
    }
    let result = catch_unwind(AssertUnwindSafe(|| {
        let sc = &mut *sc;
        let d: &[u8] = if len == 0 { &[] } else { std::slice::from_raw_parts(data, len) };
        let flt = &*filter;
        let wanted: &[u8] = if flt.wanted.is_null() || flt.wanted_len == 0 {
            &[]
        } else {
            std::slice::from_raw_parts(flt.wanted, flt.wanted_len)
        };
        let dates: &[u8] = if flt.dates.is_null() || flt.dates_len == 0 {
            &[]
        } else {
            std::slice::from_raw_parts(flt.dates, flt.dates_len)
        };
        sc.cells.clear();
        sc.cells.reserve(len, flt.typed == 1);
        let mut st = *state;
        match scan(d, &mut st, flt, wanted, dates, &mut sc.cells) {
            Ok(false) => {
                *state = st;
                OK
            }
            Ok(true) => {
                sc.cells.clear();
                *reach = st.max_row;
                *reach.add(1) = st.max_col;
                TOO_LARGE
            }
            Err(fail) => {
                sc.cells.clear();
                match fail {
                    Fail::Fallback => FALLBACK,
                    Fail::BadReference => BAD_REFERENCE,
                    Fail::Malformed => MALFORMED_TAG,
                    Fail::NotClosed => CELL_NOT_CLOSED,
                }
            }
        }
    }));
    result.unwrap_or_else(|_| {
        if let Some(sc) = sc.as_mut() {
            sc.cells.clear();
        }
        INTERNAL
    })
}

/// How many cells the scanner holds.
///
/// # Safety
/// `sc` from `cx_new`.
#[no_mangle]
pub unsafe extern "C" fn cx_len(sc: *const Scanner) -> usize {
    sc.as_ref().map_or(0, |s| s.cells.row.len())
}

// ---- The Arrow C data interface: a block's cells handed to polars without a copy. ----

use std::ffi::{c_char, c_void};
use std::sync::Arc;

#[repr(C)]
pub struct ArrowSchema {
    format: *const c_char,
    name: *const c_char,
    metadata: *const c_char,
    flags: i64,
    n_children: i64,
    children: *mut *mut ArrowSchema,
    dictionary: *mut ArrowSchema,
    release: Option<unsafe extern "C" fn(*mut ArrowSchema)>,
    private_data: *mut c_void,
}

#[repr(C)]
pub struct ArrowArray {
    length: i64,
    null_count: i64,
    offset: i64,
    n_buffers: i64,
    n_children: i64,
    buffers: *mut *const c_void,
    children: *mut *mut ArrowArray,
    dictionary: *mut ArrowArray,
    release: Option<unsafe extern "C" fn(*mut ArrowArray)>,
    private_data: *mut c_void,
}

const NAMES: [&[u8]; 7] = [b"row\0", b"col\0", b"t\0", b"s\0", b"f\0", b"v\0", b"inline\0"];
const FORMATS: [&[u8]; 7] = [b"I\0", b"I\0", b"vu\0", b"vu\0", b"b\0", b"vu\0", b"vu\0"];

unsafe extern "C" fn release_schema(s: *mut ArrowSchema) {
    if s.is_null() {
        return;
    }
    let s = &mut *s;
    if !s.children.is_null() {
        let kids = Vec::from_raw_parts(s.children, s.n_children as usize, s.n_children as usize);
        for k in kids {
            if let Some(r) = (*k).release {
                r(k);
            }
            drop(Box::from_raw(k));
        }
    }
    s.release = None;
}

fn schema(format: &'static [u8], name: &'static [u8], flags: i64) -> ArrowSchema {
    ArrowSchema {
        format: format.as_ptr().cast(),
        name: name.as_ptr().cast(),
        metadata: std::ptr::null(),
        flags,
        n_children: 0,
        children: std::ptr::null_mut(),
        dictionary: std::ptr::null_mut(),
        release: Some(release_schema),
        private_data: std::ptr::null_mut(),
    }
}

/// What a child array keeps alive: the block's columns and its own buffer list.
struct Held {
    _cells: Arc<dyn std::any::Any>,
    buffers: Vec<*const c_void>,
    _sizes: Box<[i64; 1]>,
}

unsafe extern "C" fn release_array(a: *mut ArrowArray) {
    if a.is_null() {
        return;
    }
    let a = &mut *a;
    if !a.children.is_null() {
        let kids = Vec::from_raw_parts(a.children, a.n_children as usize, a.n_children as usize);
        for k in kids {
            if let Some(r) = (*k).release {
                r(k);
            }
            drop(Box::from_raw(k));
        }
    }
    if !a.private_data.is_null() {
        drop(Box::from_raw(a.private_data.cast::<Held>()));
    }
    a.release = None;
}

fn child<T: 'static>(cells: &Arc<T>, n: i64, nulls: i64, buffers: Vec<*const c_void>, size: i64) -> *mut ArrowArray {
    let owner: Arc<dyn std::any::Any> = Arc::clone(cells) as Arc<dyn std::any::Any>;
    let mut held = Box::new(Held { _cells: owner, buffers, _sizes: Box::new([size]) });
    let sizes: *const c_void = held._sizes.as_ptr().cast();
    if held.buffers.len() == 3 {
        held.buffers.push(sizes); // a string view array ends with its data buffers' sizes
    }
    let n_buffers = held.buffers.len() as i64;
    let buffers = held.buffers.as_mut_ptr();
    Box::into_raw(Box::new(ArrowArray {
        length: n,
        null_count: nulls,
        offset: 0,
        n_buffers,
        n_children: 0,
        buffers,
        children: std::ptr::null_mut(),
        dictionary: std::ptr::null_mut(),
        release: Some(release_array),
        private_data: Box::into_raw(held).cast(),
    }))
}

/// Moves the held cells into a struct array (row, col, t, s, f, v, inline) and its
/// schema, written to `schema_out` and `array_out` (to be moved out by the consumer,
/// then freed with `cx_export_free`). The scanner then holds no cells.
///
/// # Safety
/// `sc` from `cx_new`; `schema_out` and `array_out` valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn cx_export(
    sc: *mut Scanner,
    schema_out: *mut *mut ArrowSchema,
    array_out: *mut *mut ArrowArray,
) -> bool {
    if sc.is_null() || schema_out.is_null() || array_out.is_null() {
        return false;
    }
    let done = catch_unwind(AssertUnwindSafe(|| {
        let sc = &mut *sc;
        let cells = Arc::new(std::mem::replace(&mut sc.cells, Cells::new()));
        let n = cells.row.len() as i64;
        let none: *const c_void = std::ptr::null();
        if cells.typed.kind.len() == cells.len() && cells.f.len == 0 && n > 0 {
            export_typed(cells, n, schema_out, array_out);
            return;
        }
        let mut kids: Vec<*mut ArrowArray> = Vec::with_capacity(7);
        kids.push(child(&cells, n, 0, vec![none, cells.row.as_ptr().cast()], 0));
        kids.push(child(&cells, n, 0, vec![none, cells.col.as_ptr().cast()], 0));
        for (k, col) in [&cells.t, &cells.s, &cells.v, &cells.inline].into_iter().enumerate() {
            let array = child(
                &cells,
                n,
                col.valid.zeros(),
                vec![col.valid.bytes.as_ptr().cast(), col.views.as_ptr().cast(), col.data.as_ptr().cast()],
                col.data.len() as i64,
            );
            kids.push(array);
            if k == 1 {
                kids.push(child(&cells, n, 0, vec![none, cells.f.bytes.as_ptr().cast()], 0));
            }
        }
        let owner: Arc<dyn std::any::Any> = cells;
        struct_array(owner, n, kids, &NAMES, &FORMATS, schema_out, array_out);
    }));
    done.is_ok()
}

const TYPED_NAMES: [&[u8]; 7] = [b"row\0", b"col\0", b"kind\0", b"num\0", b"text\0", b"si\0", b"uncached\0"];
const TYPED_FORMATS: [&[u8]; 7] = [b"I\0", b"I\0", b"C\0", b"g\0", b"vu\0", b"L\0", b"b\0"];

/// The cells' meanings as a struct array (row, col, kind, num, text, si, uncached).
///
/// # Safety
/// As `struct_array`.
unsafe fn export_typed(
    cells: Arc<Cells>,
    n: i64,
    schema_out: *mut *mut ArrowSchema,
    array_out: *mut *mut ArrowArray,
) {
    let none: *const c_void = std::ptr::null();
    let ty = &cells.typed;
    let kids = vec![
        child(&cells, n, 0, vec![none, cells.row.as_ptr().cast()], 0),
        child(&cells, n, 0, vec![none, cells.col.as_ptr().cast()], 0),
        child(&cells, n, 0, vec![none, ty.kind.as_ptr().cast()], 0),
        child(&cells, n, ty.num_valid.zeros(), vec![ty.num_valid.bytes.as_ptr().cast(), ty.num.as_ptr().cast()], 0),
        child(
            &cells,
            n,
            ty.text.valid.zeros(),
            vec![ty.text.valid.bytes.as_ptr().cast(), ty.text.views.as_ptr().cast(), ty.text.data.as_ptr().cast()],
            ty.text.data.len() as i64,
        ),
        child(&cells, n, ty.si_valid.zeros(), vec![ty.si_valid.bytes.as_ptr().cast(), ty.si.as_ptr().cast()], 0),
        child(&cells, n, 0, vec![none, ty.uncached.bytes.as_ptr().cast()], 0),
    ];
    let owner: Arc<dyn std::any::Any> = cells;
    struct_array(owner, n, kids, &TYPED_NAMES, &TYPED_FORMATS, schema_out, array_out);
}

/// A struct array of `kids` (named `names`, of `formats`) and its schema, written to
/// `schema_out` and `array_out`; `owner` holds the kids' buffers.
///
/// # Safety
/// `schema_out` and `array_out` valid for writing a pointer; `kids` from `child`.
unsafe fn struct_array(
    owner: Arc<dyn std::any::Any>,
    n: i64,
    kids: Vec<*mut ArrowArray>,
    names: &[&'static [u8]],
    formats: &[&'static [u8]],
    schema_out: *mut *mut ArrowSchema,
    array_out: *mut *mut ArrowArray,
) {
    let count = kids.len();
    let kid_schemas: Box<[*mut ArrowSchema]> = names
        .iter()
        .zip(formats)
        .map(|(name, format)| Box::into_raw(Box::new(schema(*format, *name, 2))))
        .collect();
    let mut top = schema(b"+s\0", b"\0", 0);
    top.n_children = count as i64;
    top.children = Box::into_raw(kid_schemas).cast();
    let none: *const c_void = std::ptr::null();
    let held = Box::new(Held { _cells: owner, buffers: vec![none], _sizes: Box::new([0]) });
    // release_array rebuilds the children with from_raw_parts(len, len): exact capacity.
    let kids: Box<[*mut ArrowArray]> = kids.into_boxed_slice();
    let parent = ArrowArray {
        length: n,
        null_count: 0,
        offset: 0,
        n_buffers: 1,
        n_children: count as i64,
        buffers: std::ptr::null_mut(),
        children: Box::into_raw(kids).cast(),
        dictionary: std::ptr::null_mut(),
        release: Some(release_array),
        private_data: Box::into_raw(held).cast(),
    };
    let parent = Box::into_raw(Box::new(parent));
    (*parent).buffers = (*(*parent).private_data.cast::<Held>()).buffers.as_mut_ptr();
    *schema_out = Box::into_raw(Box::new(top));
    *array_out = parent;
}

/// Frees what `cx_export` made, releasing whatever the consumer did not move out.
///
/// # Safety
/// The two pointers from one `cx_export`, each freed once.
#[no_mangle]
pub unsafe extern "C" fn cx_export_free(schema: *mut ArrowSchema, array: *mut ArrowArray) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        if !schema.is_null() {
            if let Some(r) = (*schema).release {
                r(schema);
            }
            drop(Box::from_raw(schema));
        }
        if !array.is_null() {
            if let Some(r) = (*array).release {
                r(array);
            }
            drop(Box::from_raw(array));
        }
    }));
}
