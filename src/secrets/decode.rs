//! Secrets inside encodings: base64 (a Kubernetes `Secret`'s data, a wrapped key file, a
//! token pasted encoded), JSON string escapes (`https:\/\/user:pass@host`, a PEM key with
//! `\n` escapes outside the JSON rules' reach) and percent-encoding (`password%3DXk9...` in a
//! query string). Each finds regions of a file that are encoded, decodes them into a
//! [`Decoded`] that remembers where every decoded byte came from, so the engine can run the
//! rules on the decoded text and report each finding at the encoded text.
//!
//! What it costs is bounded by what it looks for: base64 runs are found with a skipping scan
//! (one byte in [`MIN_BASE64`] is looked at outside runs), and only runs that decode to
//! printable text are scanned again; the escape decoders look only at lines holding an escaped
//! `://`, a `-----BEGIN` beside a `\n` escape, or an escaped `=`, `:`, `"` or `@`.

use super::filter::decode_base64_bytes;
use crate::finding::Encoding;

/// Shortest base64 run worth decoding: 18 bytes of text, as long as the shortest tokens the
/// rules know. (Short base64 values, such as a Kubernetes `Secret`'s `password: cGFzcw==`, are
/// read by the credential-file formats, which know which fields hold credentials.)
pub const MIN_BASE64: usize = 24;

/// Longest base64 run decoded: a wrapped key file or kubeconfig is a few KiB; beyond this it is
/// an embedded image, font or archive.
const MAX_BASE64: usize = 64 << 10;

/// Decoded text and, for each of its bytes, the offset in the file of the encoded byte it came
/// from (plus one entry for the end).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub encoding: Encoding,
    pub text: Vec<u8>,
    map: Vec<usize>,
}

impl Decoded {
    /// The file's byte range that encodes the decoded range `start..end`.
    pub fn source(&self, start: usize, end: usize) -> (usize, usize) {
        let s = self.map[start.min(self.map.len() - 1)];
        let e = self.map[end.min(self.map.len() - 1)];
        (s, e.max(s + 1))
    }
}

const fn base64_table() -> [bool; 256] {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || b == b'+' || b == b'/';
        c += 1;
    }
    t
}

static BASE64: [bool; 256] = base64_table();

/// Where the escape decoders look: byte offsets, in ascending order, at which each of their
/// triggers starts. The engine's keyword gate finds them in the pass it makes over every file
/// anyway ([`TRIGGERS`]), which saved the three passes of their own they cost before (4 % of a
/// working-tree scan's CPU); the tests find them alone with `Triggers::find`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Triggers {
    /// `:\/\/`, an escaped `://`.
    pub url: Vec<usize>,
    /// `-----BEGIN` (exact case).
    pub pem: Vec<usize>,
    /// `%3D`, `%3A`, `%22` or `%40`, either case.
    pub percent: Vec<usize>,
}

/// What starts a trigger, as the gate's keywords (ASCII case-insensitive): the trigger each
/// one is, its text.
pub const TRIGGERS: &[(Trigger, &str)] = &[
    (Trigger::Url, ":\\/\\/"),
    (Trigger::Pem, "-----BEGIN"),
    (Trigger::Percent, "%3D"),
    (Trigger::Percent, "%3A"),
    (Trigger::Percent, "%22"),
    (Trigger::Percent, "%40"),
];

/// The kinds of [`Triggers`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Url,
    Pem,
    Percent,
}

impl Triggers {
    /// Records an occurrence of `trigger`'s keyword `text` ending at `end` in `content` (as the
    /// case-insensitive gate reports it); the PEM marker counts only in its exact case.
    pub fn add(&mut self, trigger: Trigger, text: &str, end: usize, content: &[u8]) {
        let Some(start) = end.checked_sub(text.len()) else {
            return;
        };
        match trigger {
            Trigger::Url => self.url.push(start),
            Trigger::Percent => self.percent.push(start),
            Trigger::Pem => {
                if content.get(start..end) == Some(text.as_bytes()) {
                    self.pem.push(start);
                }
            }
        }
    }

    /// Sorts each list and drops repeats (the gate's keyword ids at one offset come in no
    /// particular order).
    pub fn finish(&mut self) {
        for v in [&mut self.url, &mut self.pem, &mut self.percent] {
            v.sort_unstable();
            v.dedup();
        }
    }

    /// The triggers of `content`, found on their own: what the gate must give.
    #[cfg(test)]
    pub(crate) fn find(content: &[u8]) -> Triggers {
        let mut t = Triggers::default();
        let upper = content.to_ascii_uppercase();
        for &(trigger, text) in TRIGGERS {
            for at in memchr::memmem::find_iter(&upper, text.as_bytes()) {
                t.add(trigger, text, at + text.len(), content);
            }
        }
        t.finish();
        t
    }
}

/// Every encoded region of `content` that decodes to text worth scanning; base64 runs only
/// when `base64` is set (see [`looks_for_base64`]); the escape decoders at `triggers`.
pub fn decode_all(content: &[u8], base64: bool, triggers: &Triggers) -> Vec<Decoded> {
    let mut out = Vec::new();
    if base64 {
        base64_runs(content, &mut out);
    }
    escaped_lines(content, triggers, &mut out);
    out
}

/// Whether base64 runs in the file at `path` are decoded: everywhere but program source in
/// the languages whose files make up most of a repository's bytes. Encoded credentials live
/// in configuration, manifests, environment and data files, scripts and documents; the
/// scan for runs reads about a third of the bytes it passes, which on a tree of Rust or C
/// sources doubled the time of a whole scan. (Source code's encoded secrets are still found
/// where a rule decodes them: basic-auth headers, Docker and npm auth.)
pub fn looks_for_base64(path: &str) -> bool {
    const SOURCE: &[&str] = &[
        "rs", "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "go", "java", "kt", "scala", "cs",
        "swift", "m", "mm", "js", "mjs", "cjs", "ts", "tsx", "jsx", "py", "rb", "php", "pl", "pm",
        "lua", "dart", "ex", "exs", "erl", "hs", "ml", "clj", "fs", "vb", "zig", "nim", "html",
        "htm", "css", "scss", "svg",
    ];
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((_, ext)) => !SOURCE.contains(&ext.to_ascii_lowercase().as_str()),
        None => true,
    }
}

/// Base64 runs of at least [`MIN_BASE64`] characters that decode to printable text.
///
/// A skipping scan: the byte [`MIN_BASE64`] - 1 ahead is looked at first, and only when it is
/// a base64 character are the bytes before it read, backwards, up to the first that is not;
/// the next look is then a whole run's length past that byte. Source code is mostly short
/// identifiers, so most of its bytes are never read here.
fn base64_runs(content: &[u8], out: &mut Vec<Decoded>) {
    let n = content.len();
    // `content[i - 1]` is never a base64 character (or `i` is 0).
    let mut i = 0;
    while i + MIN_BASE64 <= n {
        let probe = i + MIN_BASE64 - 1;
        if !BASE64[content[probe] as usize] {
            i = probe + 1;
            continue;
        }
        if let Some(k) = (i..probe).rev().find(|&k| !BASE64[content[k] as usize]) {
            i = k + 1;
            continue;
        }
        // `i..=probe` are all base64: a run of at least MIN_BASE64; find its end.
        let start = i;
        let mut end = probe + 1;
        while end < n && BASE64[content[end] as usize] {
            end += 1;
        }
        i = end + 1;
        if end - start > MAX_BASE64 {
            continue;
        }
        let run = &content[start..end];
        if !plausible(run) {
            continue;
        }
        if let Some(d) = decode_base64_run(run, start) {
            out.push(d);
        }
    }
}

/// Base64 of text has both letter cases and is not a hex string or a word.
fn plausible(run: &[u8]) -> bool {
    let upper = run.iter().filter(|b| b.is_ascii_uppercase()).count();
    let lower = run.iter().filter(|b| b.is_ascii_lowercase()).count();
    let hex = run.iter().all(|b| b.is_ascii_hexdigit());
    upper * 8 >= run.len() && lower * 8 >= run.len() && !hex
}

/// Decodes a run (without padding) found at `at`, if it decodes to printable UTF-8.
fn decode_base64_run(run: &[u8], at: usize) -> Option<Decoded> {
    // A cheap look at the first bytes before decoding a long run.
    let head = &run[..run.len().min(64) / 4 * 4];
    if !printable(&decode_base64_bytes(head)?) {
        return None;
    }
    let usable = run.len() / 4 * 4 + if run.len() % 4 >= 2 { run.len() % 4 } else { 0 };
    let text = decode_base64_bytes(&run[..usable])?;
    if text.is_empty() || !printable(&text) || std::str::from_utf8(&text).is_err() {
        return None;
    }
    // Decoded byte k comes from the group of 4 characters at 4 * (k / 3).
    let mut map: Vec<usize> = (0..text.len()).map(|k| at + 4 * (k / 3) + k % 3).collect();
    map.push(at + usable);
    Some(Decoded {
        encoding: Encoding::Base64,
        text,
        map,
    })
}

/// Text a person or a config tool wrote: printable ASCII, tabs and newlines, or UTF-8 beyond
/// ASCII; at most one byte in 50 otherwise.
fn printable(bytes: &[u8]) -> bool {
    if bytes.is_empty() {
        return false;
    }
    let bad = bytes
        .iter()
        .filter(|&&b| {
            !(b == b'\n' || b == b'\r' || b == b'\t' || (0x20..0x7f).contains(&b) || b >= 0xc2)
        })
        .count();
    bad * 50 <= bytes.len()
}

/// Lines holding JSON string escapes around something worth scanning (an escaped URL, a PEM
/// block with `\n`) or percent-escaped `=`, `:`, `"` or `@`: each decoded on its own.
fn escaped_lines(content: &[u8], triggers: &Triggers, out: &mut Vec<Decoded>) {
    // Each trigger's positions come in order; a line is taken once however many triggers it
    // holds, without looking back over it (a one-line minified file with thousands of `%3D`
    // costs one pass, not one per escape).
    let mut json: Vec<(usize, usize)> = lines_of(content, triggers.url.iter().copied(), |_| true);
    json.extend(lines_of(content, triggers.pem.iter().copied(), |line| {
        memchr::memmem::find(line, b"\\n").is_some()
    }));
    json.sort_unstable();
    json.dedup();
    let percent = lines_of(content, triggers.percent.iter().copied(), |_| true);
    for (s, e) in json {
        out.extend(unescape_json(&content[s..e], s));
    }
    for (s, e) in percent {
        out.extend(unescape_percent(&content[s..e], s));
    }
}

/// The lines (start, end) holding the positions `hits` (ascending) that `keep` accepts, each
/// once.
fn lines_of(
    content: &[u8],
    hits: impl Iterator<Item = usize>,
    keep: impl Fn(&[u8]) -> bool,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut line_end = 0;
    for at in hits {
        if at < line_end {
            continue;
        }
        let (s, e) = line_around(content, at);
        line_end = e + 1;
        if keep(&content[s..e]) {
            out.push((s, e));
        }
    }
    out
}

/// The line (without its newline) holding byte `at`.
fn line_around(content: &[u8], at: usize) -> (usize, usize) {
    let s = memchr::memrchr(b'\n', &content[..at]).map_or(0, |i| i + 1);
    let e = memchr::memchr(b'\n', &content[at..]).map_or(content.len(), |i| at + i);
    (s, e)
}

/// `\/`, `\n`, `\"`, `\\`, `\t`, `\r` undone; `None` if nothing was escaped.
fn unescape_json(line: &[u8], at: usize) -> Option<Decoded> {
    let mut text = Vec::with_capacity(line.len());
    let mut map = Vec::with_capacity(line.len() + 1);
    let mut i = 0;
    let mut changed = false;
    while i < line.len() {
        if line[i] == b'\\' && i + 1 < line.len() {
            let c = match line[i + 1] {
                b'/' => Some(b'/'),
                b'n' => Some(b'\n'),
                b'r' => Some(b'\r'),
                b't' => Some(b'\t'),
                b'"' => Some(b'"'),
                b'\\' => Some(b'\\'),
                _ => None,
            };
            if let Some(c) = c {
                text.push(c);
                map.push(at + i);
                i += 2;
                changed = true;
                continue;
            }
        }
        text.push(line[i]);
        map.push(at + i);
        i += 1;
    }
    map.push(at + line.len());
    changed.then_some(Decoded {
        encoding: Encoding::JsonEscape,
        text,
        map,
    })
}

/// `s` with its `%XX` escapes decoded, if it has any and decodes to UTF-8 text (a rule's
/// match such as `p%40ss%23w0rd` in a connection URL is judged as what it decodes to).
pub fn percent_decoded(s: &str) -> Option<String> {
    unescape_percent(s.as_bytes(), 0).and_then(|d| String::from_utf8(d.text).ok())
}

/// `%XX` escapes undone; `None` if nothing was escaped or the result is not UTF-8.
fn unescape_percent(line: &[u8], at: usize) -> Option<Decoded> {
    let hex = |c: u8| (c as char).to_digit(16);
    let mut text = Vec::with_capacity(line.len());
    let mut map = Vec::with_capacity(line.len() + 1);
    let mut i = 0;
    let mut changed = false;
    while i < line.len() {
        if line[i] == b'%' && i + 2 < line.len() {
            if let (Some(h), Some(l)) = (hex(line[i + 1]), hex(line[i + 2])) {
                text.push((h * 16 + l) as u8);
                map.push(at + i);
                i += 3;
                changed = true;
                continue;
            }
        }
        text.push(line[i]);
        map.push(at + i);
        i += 1;
    }
    map.push(at + line.len());
    (changed && std::str::from_utf8(&text).is_ok()).then_some(Decoded {
        encoding: Encoding::Percent,
        text,
        map,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let b = s.as_bytes();
        let mut out = String::new();
        for chunk in b.chunks(3) {
            let n = chunk.iter().fold(0u32, |a, &c| a << 8 | c as u32) << (8 * (3 - chunk.len()));
            for k in 0..=chunk.len() {
                out.push(A[(n >> (18 - 6 * k) & 63) as usize] as char);
            }
        }
        while !out.len().is_multiple_of(4) {
            out.push('=');
        }
        out
    }

    #[test]
    fn base64_of_text_is_decoded_and_mapped() {
        let secret = "password: Xk9mQ2vL7pwTz4Rb";
        let encoded = b64(secret);
        let file = format!("data:\n  config: {encoded}\n");
        let all = decode_all(file.as_bytes(), true, &Triggers::find(file.as_bytes()));
        assert_eq!(all.len(), 1, "{all:?}");
        let d = &all[0];
        assert_eq!(d.text, secret.as_bytes());
        let at = file.find(&encoded).unwrap();
        let k = secret.find("Xk9").unwrap();
        let (s, e) = d.source(k, secret.len());
        assert!(s >= at && s <= at + 4 * (k / 3) + 3, "{s} vs {at}");
        assert!(e <= at + encoded.len());
    }

    #[test]
    fn base64_is_looked_for_outside_program_source() {
        assert!(looks_for_base64("deploy/secret.yaml"));
        assert!(looks_for_base64(".env"));
        assert!(looks_for_base64("scripts/deploy.sh"));
        assert!(!looks_for_base64("src/main.rs"));
        assert!(!looks_for_base64("web/app.TS"));
    }

    #[test]
    fn binary_hex_and_words_are_not_decoded() {
        let file = "sha = 4f8a2c9e1b7d3f5a0c6e8b2d4f9a1c3e4f8a2c9e\n\
                    AbstractSingletonProxyFactoryBean\n\
                    img = iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk\n";
        assert!(decode_all(file.as_bytes(), true, &Triggers::find(file.as_bytes())).is_empty());
    }

    #[test]
    fn json_escapes_and_percent_escapes() {
        let file = r#"{"url": "https:\/\/deploy:Vt7qXm2Lz9@git.example.net\/x.git"}
q = "user=bob&password%3DXk9mQ2vL7pw%26next"
"#;
        let all = decode_all(file.as_bytes(), true, &Triggers::find(file.as_bytes()));
        let json = all
            .iter()
            .find(|d| d.encoding == Encoding::JsonEscape)
            .unwrap();
        let text = String::from_utf8(json.text.clone()).unwrap();
        assert!(text.contains("https://deploy:Vt7qXm2Lz9@git.example.net/x.git"));
        let k = text.find("Vt7").unwrap();
        let (s, _) = json.source(k, k + 10);
        assert_eq!(&file[s..s + 10], "Vt7qXm2Lz9");
        let pct = all
            .iter()
            .find(|d| d.encoding == Encoding::Percent)
            .unwrap();
        let text = String::from_utf8(pct.text.clone()).unwrap();
        assert!(text.contains("password=Xk9mQ2vL7pw&next"), "{text}");
        assert_eq!(
            percent_decoded("p%40ss%23w0rd").as_deref(),
            Some("p@ss#w0rd")
        );
        assert_eq!(percent_decoded("plain"), None);
    }

    #[test]
    fn a_long_line_of_escapes_is_decoded_once() {
        let line = "a=%3D".repeat(20_000);
        let all = decode_all(line.as_bytes(), false, &Triggers::find(line.as_bytes()));
        assert_eq!(all.len(), 1);
    }
}
