//! What a kept cell means, decided when its `</c>` is read: the kind, number, text and
//! shared-string index that `compliance/reading/xlsx_meanings.py` computes with polars
//! from the same cell's `t`, `s`, `f`, `v` and inline text (its `typed_block`).
//!
//! - A number is `v` as polars' `cast(pl.Float64, strict=False)` reads it, which is the
//!   grammar of Rust's `f64::from_str` (sign, digits with an optional point, exponent,
//!   `inf`, `infinity`, `nan` in any case; no spaces, no `_`, no hex).
//! - A shared-string index is `v` stripped of white space as `cast(pl.UInt64,
//!   strict=False)` reads it (`u64::from_str`).
//! - A date is a number whose style (`s` as written, a decimal index) is a date style.

use super::{Bits, Strings};

pub const EMPTY: u8 = 0;
pub const SHARED: u8 = 1;
pub const TEXT: u8 = 2;
pub const BOOL: u8 = 3;
pub const ERROR: u8 = 4;
pub const DATE: u8 = 5;
pub const NUM: u8 = 6;

/// One cell as written (`None`: the attribute or element is absent).
pub struct Raw<'a> {
    pub t: Option<&'a [u8]>,
    pub s: Option<&'a [u8]>,
    pub f: bool,
    pub v: Option<&'a [u8]>,
    pub inline: Option<&'a [u8]>,
}

/// The kept cells' meanings, in Arrow-layout columns.
pub struct Typed {
    pub kind: Vec<u8>,
    pub num: Vec<f64>,
    pub num_valid: Bits,
    pub text: Strings,
    pub si: Vec<u64>,
    pub si_valid: Bits,
    pub uncached: Bits,
}

fn text(b: &[u8]) -> &str {
    // The block was checked as UTF-8, and values are cut at ASCII bytes.
    std::str::from_utf8(b).unwrap_or("\u{fffd}")
}

/// Whether `s` names a date style: a decimal index as Python writes it, set in `dates`.
fn is_date(s: Option<&[u8]>, dates: &[u8]) -> bool {
    let Some(s) = s else {
        return false;
    };
    if s.is_empty() || s.len() > 19 || !s.iter().all(u8::is_ascii_digit) || (s.len() > 1 && s[0] == b'0') {
        return false;
    }
    text(s)
        .parse::<usize>()
        .ok()
        .and_then(|i| dates.get(i))
        .is_some_and(|&on| on == 1)
}

impl Typed {
    pub fn new() -> Self {
        Typed {
            kind: Vec::new(),
            num: Vec::new(),
            num_valid: Bits::default(),
            text: Strings::new(),
            si: Vec::new(),
            si_valid: Bits::default(),
            uncached: Bits::default(),
        }
    }

    pub fn clear(&mut self) {
        self.kind.clear();
        self.num.clear();
        self.num_valid.clear();
        self.text.clear();
        self.si.clear();
        self.si_valid.clear();
        self.uncached.clear();
    }

    /// Adds one cell's meaning; false if the block's texts outgrow a u32 offset.
    pub fn push(&mut self, c: &Raw<'_>, dates: &[u8]) -> bool {
        let v = c.v;
        let blank = v.map_or(true, <[u8]>::is_empty);
        let number = v.and_then(|v| text(v).parse::<f64>().ok());
        let kind = match c.t {
            Some(b"s") => {
                if v.is_some_and(|v| text(v).trim().is_empty()) {
                    EMPTY
                } else {
                    SHARED
                }
            }
            Some(b"inlineStr") => TEXT,
            Some(b"b") => {
                if blank {
                    EMPTY
                } else {
                    BOOL
                }
            }
            Some(b"e") => {
                if blank {
                    EMPTY
                } else {
                    ERROR
                }
            }
            t if matches!(t, None | Some(b"n")) && number.is_some() => {
                if is_date(c.s, dates) {
                    DATE
                } else {
                    NUM
                }
            }
            _ if blank => EMPTY,
            _ => TEXT,
        };
        self.kind.push(kind);
        self.num.push(number.unwrap_or(0.0));
        self.num_valid.push(number.is_some());
        let shown: Option<&[u8]> = if c.t == Some(b"inlineStr") {
            Some(c.inline.unwrap_or(b""))
        } else if kind == TEXT || kind == ERROR {
            v
        } else if kind == BOOL {
            Some(if v == Some(b"0") { b"False" } else { b"True" })
        } else {
            None
        };
        if let Some(t) = shown {
            self.text.data.extend_from_slice(t);
        }
        let index = if kind == SHARED { v.and_then(|v| text(v).trim().parse::<u64>().ok()) } else { None };
        self.si.push(index.unwrap_or(0));
        self.si_valid.push(index.is_some());
        self.uncached.push(c.f && blank && c.t != Some(b"str"));
        self.text.finish(shown.is_some())
    }
}
