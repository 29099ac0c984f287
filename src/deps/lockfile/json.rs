//! A small JSON parser that remembers the line of every value and object key.
//!
//! `serde_json` gives no positions for values, and line numbers are the point of parsing
//! lockfiles ourselves, so the JSON formats share this parser. It keeps object members in
//! file order (duplicates included), keeps numbers as their source text, and limits nesting
//! depth so hostile input cannot overflow the stack. In lenient mode it also accepts what
//! `bun.lock` uses beyond JSON: trailing commas and `//` / `/* */` comments.

use super::{Ctx, LockfileError};

/// Deepest nesting accepted (serde_json's default limit is 128 too).
const MAX_DEPTH: usize = 128;

/// A JSON value with the line where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// 1-based line of the value's first character.
    pub line: usize,
    pub value: Value,
}

/// A JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// The number's source text.
    Number(String),
    String(String),
    Array(Vec<Node>),
    Object(Vec<Member>),
}

/// One `"key": value` member of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: String,
    /// 1-based line of the key.
    pub line: usize,
    pub value: Node,
}

impl Node {
    /// The member `key` of an object (the first, if repeated).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.members()?
            .iter()
            .find(|m| m.key == key)
            .map(|m| &m.value)
    }

    /// The members of an object, `None` for other values.
    pub fn members(&self) -> Option<&[Member]> {
        match &self.value {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The elements of an array, `None` for other values.
    pub fn elements(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The string, `None` for other values.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// `true` only for the JSON literal `true`.
    pub fn is_true(&self) -> bool {
        matches!(self.value, Value::Bool(true))
    }

    /// `member(key)` as a string.
    pub fn str_at(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::as_str)
    }

    /// `member(key)` is the literal `true`.
    pub fn flag(&self, key: &str) -> bool {
        self.get(key).is_some_and(Node::is_true)
    }

    /// A short name for the value's kind, for messages.
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

/// A syntax error, with its 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: usize,
    pub message: String,
}

/// Parses a whole JSON document. `lenient` also accepts trailing commas and comments.
pub fn parse(text: &str, lenient: bool) -> Result<Node, SyntaxError> {
    let mut p = Parser {
        src: text.as_bytes(),
        text,
        pos: 0,
        line: 1,
        lenient,
    };
    p.skip_ws()?;
    let node = p.value(0)?;
    p.skip_ws()?;
    if p.pos < p.src.len() {
        return Err(p.err("unexpected text after the JSON value"));
    }
    Ok(node)
}

/// Parses a lockfile's JSON and requires an object at the top. An empty file (only
/// whitespace) is `Ok(None)`: callers decide whether that means "no packages".
pub fn parse_object(
    ctx: &Ctx<'_>,
    text: &str,
    lenient: bool,
) -> Result<Option<Node>, LockfileError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let node = parse(text, lenient).map_err(|e| ctx.error(Some(e.line), e.message))?;
    if node.members().is_none() {
        return Err(ctx.error(
            Some(node.line),
            format!("expected a JSON object at the top, found {}", node.kind()),
        ));
    }
    Ok(Some(node))
}

struct Parser<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    line: usize,
    lenient: bool,
}

impl Parser<'_> {
    fn err(&self, message: impl Into<String>) -> SyntaxError {
        let message = message.into();
        let message = if self.pos >= self.src.len() {
            format!("{message} (the file ends too early; is it truncated?)")
        } else {
            message
        };
        SyntaxError {
            line: self.line,
            message,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn skip_ws(&mut self) -> Result<(), SyntaxError> {
        while let Some(b) = self.peek() {
            match b {
                b'\n' => {
                    self.line += 1;
                    self.pos += 1;
                }
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'/' if self.lenient => self.comment()?,
                _ => break,
            }
        }
        Ok(())
    }

    fn comment(&mut self) -> Result<(), SyntaxError> {
        match self.src.get(self.pos + 1) {
            Some(b'/') => {
                while let Some(b) = self.peek() {
                    if b == b'\n' {
                        break;
                    }
                    self.pos += 1;
                }
                Ok(())
            }
            Some(b'*') => {
                self.pos += 2;
                loop {
                    match self.peek() {
                        None => return Err(self.err("unterminated comment")),
                        Some(b'*') if self.src.get(self.pos + 1) == Some(&b'/') => {
                            self.pos += 2;
                            return Ok(());
                        }
                        Some(b'\n') => {
                            self.line += 1;
                            self.pos += 1;
                        }
                        Some(_) => self.pos += 1,
                    }
                }
            }
            _ => Err(self.err("unexpected character '/'")),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.err(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        let line = self.line;
        let value = match self.peek() {
            None => return Err(self.err("expected a value")),
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b) => {
                return Err(self.err(format!("unexpected character {:?}", char::from(b))));
            }
        };
        Ok(Node { line, value })
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, SyntaxError> {
        if self.src.get(self.pos..self.pos + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.err("expected a value (not valid JSON)"))
        }
    }

    fn number(&mut self) -> Result<Value, SyntaxError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let digits = |p: &mut Self| {
            let s = p.pos;
            while matches!(p.peek(), Some(b'0'..=b'9')) {
                p.pos += 1;
            }
            p.pos > s
        };
        if !digits(self) {
            return Err(self.err("invalid number"));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !digits(self) {
                return Err(self.err("invalid number"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(self.err("invalid number"));
            }
        }
        let text = self.text.get(start..self.pos).unwrap_or_default();
        Ok(Value::Number(text.to_string()))
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        // Caller checked the opening quote.
        self.pos += 1;
        let mut out = String::new();
        let mut run_start = self.pos;
        loop {
            let Some(b) = self.peek() else {
                return Err(self.err("unterminated string"));
            };
            match b {
                b'"' => {
                    out.push_str(self.text.get(run_start..self.pos).unwrap_or_default());
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(self.text.get(run_start..self.pos).unwrap_or_default());
                    self.pos += 1;
                    self.escape(&mut out)?;
                    run_start = self.pos;
                }
                b'\n' => return Err(self.err("unterminated string (line break inside a string)")),
                0..=0x1f => return Err(self.err("control character inside a string")),
                _ => self.pos += 1,
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), SyntaxError> {
        let Some(b) = self.peek() else {
            return Err(self.err("unterminated string"));
        };
        self.pos += 1;
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4()?;
                if (0xD800..0xDC00).contains(&hi)
                    && self.src.get(self.pos..self.pos + 2) == Some(b"\\u".as_slice())
                {
                    let before = self.pos;
                    self.pos += 2;
                    let lo = self.hex4()?;
                    if (0xDC00..0xE000).contains(&lo) {
                        let combined = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                        char::from_u32(combined).unwrap_or('\u{fffd}')
                    } else {
                        // A high surrogate not followed by a low one: it alone is replaced,
                        // and the escape after it is read as what it is. (Found by
                        // `tests/fuzz_corpus.rs` replaying the fuzzer's corpus in a debug
                        // build: `\uD800\u0041` overflowed the addition.)
                        self.pos = before;
                        '\u{fffd}'
                    }
                } else {
                    char::from_u32(hi).unwrap_or('\u{fffd}')
                }
            }
            _ => return Err(self.err("invalid escape in a string")),
        };
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.err("invalid \\u escape"))?;
        let v = u32::from_str_radix(digits, 16).map_err(|_| self.err("invalid \\u escape"))?;
        self.pos += 4;
        Ok(v)
    }

    fn array(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws()?;
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws()?;
            if self.lenient && self.peek() == Some(b']') && !items.is_empty() {
                self.pos += 1;
                return Ok(Value::Array(items));
            }
            items.push(self.value(depth + 1)?);
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.err("expected ',' or ']' in an array")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_ws()?;
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_ws()?;
            if self.lenient && self.peek() == Some(b'}') && !members.is_empty() {
                self.pos += 1;
                return Ok(Value::Object(members));
            }
            if self.peek() != Some(b'"') {
                return Err(self.err("expected a quoted key in an object"));
            }
            let line = self.line;
            let key = self.string()?;
            self.skip_ws()?;
            if self.peek() != Some(b':') {
                return Err(self.err("expected ':' after an object key"));
            }
            self.pos += 1;
            self.skip_ws()?;
            let value = self.value(depth + 1)?;
            members.push(Member { key, line, value });
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(members));
                }
                _ => return Err(self.err("expected ',' or '}' in an object")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_lines_of_keys_and_values() {
        let text = "{\n  \"a\": 1,\n  \"b\": {\n    \"c\": [true, null, \"x\\u00e9\\ud83d\\ude00\"]\n  }\n}";
        let root = parse(text, false).unwrap();
        let m = root.members().unwrap();
        assert_eq!((m[0].key.as_str(), m[0].line), ("a", 2));
        assert_eq!((m[1].key.as_str(), m[1].line), ("b", 3));
        let c = root.get("b").unwrap().get("c").unwrap();
        assert_eq!(c.line, 4);
        assert_eq!(c.elements().unwrap()[2].as_str(), Some("xé😀"));
    }

    #[test]
    fn a_high_surrogate_without_its_low_half_is_replaced_alone() {
        for (text, want) in [
            (r#""\ud800\u0041""#, "\u{fffd}A"),
            (r#""\ud800\ud800\udc00""#, "\u{fffd}\u{10000}"),
            (r#""\udbff\udfff""#, "\u{10ffff}"),
            (r#""\ud800x""#, "\u{fffd}x"),
            (r#""\udc00""#, "\u{fffd}"),
        ] {
            let node = parse(text, false).unwrap();
            assert_eq!(node.as_str(), Some(want), "{text}");
        }
    }

    #[test]
    fn rejects_bad_json_with_line() {
        let e = parse("{\n  \"a\": 1,\n}", false).unwrap_err();
        assert_eq!(e.line, 3);
        let e = parse("{\n  \"a\": [1, 2", false).unwrap_err();
        assert!(e.message.contains("truncated"), "{}", e.message);
        assert!(parse("[1] x", false).is_err());
        assert!(parse("\"\\u12\"", false).is_err());
        assert!(parse("-", false).is_err());
        assert!(parse("1.", false).is_err());
    }

    #[test]
    fn lenient_accepts_trailing_commas_and_comments() {
        let text = "{\n  // comment\n  \"a\": [1, 2,],\n  /* block\n */ \"b\": {\"c\": 1,},\n}";
        let root = parse(text, true).unwrap();
        assert_eq!(root.get("b").unwrap().line, 5);
        assert!(parse(text, false).is_err());
    }

    #[test]
    fn depth_is_limited() {
        let deep = "[".repeat(10_000);
        let e = parse(&deep, false).unwrap_err();
        assert!(e.message.contains("nesting"));
    }
}
