//! `go.mod` (Go). Every `require` (single-line or block) is a package; `// indirect` marks
//! transitive ones, the rest are direct. `replace` directives are applied the way the go
//! command does (a versioned `old v1 =>` replaces only that version, an unversioned one every
//! version); a replacement by a local path (no version) drops the package, since OSV cannot
//! know it. The Go standard library is reported as package `stdlib`, at the `toolchain`
//! version when there is one (`go1.23.6-xyz` → `1.23.6`), else at the `go` directive's
//! version, as osv-scanner does. Module versions keep their `v` prefix. Dev is unknown.
//! Line: the `require` entry's line (also for replaced modules), and the `toolchain`/`go`
//! line for `stdlib`.
//!
//! Not done: for `go` < 1.17 osv-scalibr also reads `go.sum` for the indirect modules such
//! old go.mod files omit; this parser only sees go.mod.

use super::{Ctx, Descriptor, Family, LockfileError, Parser};
use crate::package::{Ecosystem, Package};

/// How this format is detected, named and parsed.
pub(super) static DESCRIPTOR: Descriptor = Descriptor {
    name: "go.mod",
    file_names: &["go.mod"],
    matches: None,
    ecosystem: Ecosystem::Go,
    family: Family::Lines,
    remedy: "fix it, then check it with `go mod tidy`",
    parser: Parser::Text(parse),
};

const DIRECTIVES: [&str; 9] = [
    "module",
    "go",
    "toolchain",
    "require",
    "replace",
    "exclude",
    "retract",
    "godebug",
    "tool",
];

struct Require {
    path: String,
    version: String,
    line: usize,
    indirect: bool,
}

struct Replace {
    old_path: String,
    old_version: Option<String>,
    new_path: String,
    new_version: Option<String>,
}

pub(super) fn parse(ctx: &Ctx<'_>, content: &str) -> Result<Vec<Package>, LockfileError> {
    let mut requires = Vec::new();
    let mut replaces = Vec::new();
    let mut go_version: Option<(String, usize)> = None;
    let mut toolchain: Option<(String, usize)> = None;
    let mut block: Option<(String, usize)> = None;

    for (i, raw) in content.lines().enumerate() {
        let line_no = i + 1;
        let (code, comment) = match raw.find("//") {
            Some(idx) => (
                raw.get(..idx).unwrap_or_default(),
                raw.get(idx + 2..).unwrap_or_default(),
            ),
            None => (raw, ""),
        };
        let indirect = comment.split(';').any(|c| c.trim() == "indirect");
        let tokens = tokenize(code);
        let Some(first) = tokens.first() else {
            continue;
        };

        let (verb, args) = match &block {
            Some((verb, _)) => {
                if first == ")" {
                    block = None;
                    continue;
                }
                (verb.clone(), tokens.as_slice())
            }
            None => {
                if !DIRECTIVES.contains(&first.as_str()) {
                    return Err(ctx.error(Some(line_no), format!("unknown directive: {first}")));
                }
                let args = tokens.get(1..).unwrap_or_default();
                if args.len() == 1 && args.first().map(String::as_str) == Some("(") {
                    block = Some((first.clone(), line_no));
                    continue;
                }
                (first.clone(), args)
            }
        };

        match verb.as_str() {
            "go" => go_version = args.first().map(|v| (v.clone(), line_no)),
            "toolchain" => toolchain = args.first().map(|v| (v.clone(), line_no)),
            "require" => {
                let [path, version] = args else {
                    return Err(ctx.error(Some(line_no), "usage: require module/path v1.2.3"));
                };
                if path.is_empty() || version.is_empty() {
                    // Found by fuzzing: an unterminated `"` yields an empty token.
                    return Err(ctx.error(Some(line_no), "empty module path or version"));
                }
                requires.push(Require {
                    path: path.clone(),
                    version: version.clone(),
                    line: line_no,
                    indirect,
                });
            }
            "replace" => {
                let arrow = args.iter().position(|t| t == "=>");
                let (old, new) = match arrow {
                    Some(a) => (
                        args.get(..a).unwrap_or_default(),
                        args.get(a + 1..).unwrap_or_default(),
                    ),
                    None => (args, &[][..]),
                };
                let (Some(old_path), Some(new_path)) = (old.first(), new.first()) else {
                    return Err(ctx.error(
                        Some(line_no),
                        "usage: replace module/path [v1.2.3] => other/module v1.4.5 | ../local/path",
                    ));
                };
                replaces.push(Replace {
                    old_path: old_path.clone(),
                    old_version: old.get(1).cloned(),
                    new_path: new_path.clone(),
                    new_version: new.get(1).cloned(),
                });
            }
            _ => {}
        }
    }
    if let Some((verb, line)) = block {
        return Err(ctx.error(Some(line), format!("`{verb} (` block is never closed")));
    }

    let mut out = Vec::new();
    for r in requires {
        let replacement = replaces.iter().rev().find(|rep| {
            rep.old_path == r.path && rep.old_version.as_ref().is_none_or(|v| *v == r.version)
        });
        let (name, version) = match replacement {
            Some(rep) => match &rep.new_version {
                Some(v) => (rep.new_path.clone(), v.clone()),
                None => continue, // replaced by a local directory
            },
            None => (r.path, r.version),
        };
        let mut p = ctx.package(name, version, r.line);
        p.direct = Some(!r.indirect);
        out.push(p);
    }

    let stdlib = match (toolchain, go_version) {
        (Some((t, line)), _) => {
            let t = t.strip_prefix("go").unwrap_or(&t);
            Some((t.split('-').next().unwrap_or(t).to_string(), line))
        }
        (None, Some(g)) => Some(g),
        (None, None) => None,
    };
    if let Some((version, line)) = stdlib.filter(|(v, _)| !v.is_empty()) {
        out.push(ctx.package("stdlib", version, line));
    }
    Ok(out)
}

/// Splits a go.mod line into tokens: whitespace-separated, `"quoted"` and `` `raw` `` strings
/// unquoted, `(`, `)` and `=>` as tokens of their own.
fn tokenize(code: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut chars = code.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' || c == '`' {
            chars.next();
            let mut s = String::new();
            while let Some(ch) = chars.next() {
                if ch == c {
                    break;
                }
                if ch == '\\' && c == '"' {
                    if let Some(esc) = chars.next() {
                        s.push(esc);
                    }
                    continue;
                }
                s.push(ch);
            }
            tokens.push(s);
        } else if c == '(' || c == ')' {
            chars.next();
            tokens.push(c.to_string());
        } else {
            let mut s = String::new();
            while let Some(&ch) = chars.peek() {
                if ch.is_whitespace() || ch == '(' || ch == ')' || ch == '"' {
                    break;
                }
                s.push(ch);
                chars.next();
            }
            tokens.push(s);
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::tokenize;

    #[test]
    fn tokens() {
        assert_eq!(tokenize("require ("), vec!["require", "("]);
        assert_eq!(
            tokenize("  \"a b\" v1 => ./x"),
            vec!["a b", "v1", "=>", "./x"]
        );
        assert_eq!(tokenize(")"), vec![")"]);
        assert!(tokenize("   ").is_empty());
    }
}
