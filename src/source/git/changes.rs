//! What a commit introduced, kept in the scan cache (`--cache`) so that a history scanned
//! again diffs only its new commits. The tree diffs are most of a warm history scan's work
//! once the blobs are answered from the cache: every commit's trees inflated and compared
//! against its parents', for answers that a commit id fixes forever.
//!
//! The record is a compact byte list (ids and paths, no content, nothing secret): for each
//! change, the path's length (u32 LE) and bytes, then the blob id and the old blob id, each
//! as a length byte (0: none) and the id's bytes.

use super::tree::Change;
#[cfg(test)]
use gix::bstr::BString;
use gix::ObjectId;

/// `changes` as a cache record.
pub fn encode(changes: &[Change]) -> Vec<u8> {
    let mut out = Vec::with_capacity(changes.len() * 64);
    for c in changes {
        out.extend_from_slice(&(c.path.len() as u32).to_le_bytes());
        out.extend_from_slice(&c.path);
        id(&mut out, Some(&c.id));
        id(&mut out, c.old.as_ref());
    }
    out
}

fn id(out: &mut Vec<u8>, id: Option<&ObjectId>) {
    match id {
        Some(id) => {
            let bytes = id.as_bytes();
            out.push(bytes.len() as u8);
            out.extend_from_slice(bytes);
        }
        None => out.push(0),
    }
}

/// The changes of a record written by [`encode`]; `None` when it does not parse (the caller
/// then diffs the commit again). The scan uses [`decode_borrowed`]; this owning form is for
/// the tests' round trips.
#[cfg(test)]
pub fn decode(bytes: &[u8]) -> Option<Vec<Change>> {
    Some(
        decode_borrowed(bytes)?
            .into_iter()
            .map(|c| Change {
                path: BString::from(c.path),
                id: c.id,
                old: c.old,
            })
            .collect(),
    )
}

/// A change whose path is borrowed from the record.
pub struct ChangeRef<'a> {
    pub path: &'a [u8],
    pub id: ObjectId,
    pub old: Option<ObjectId>,
}

/// [`decode`] without copying the paths: a warm history scan decodes a record per commit,
/// and most of their paths are already interned, so a copy of each would be thrown away.
pub fn decode_borrowed(mut bytes: &[u8]) -> Option<Vec<ChangeRef<'_>>> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let len = u32::from_le_bytes(take(&mut bytes, 4)?.try_into().ok()?) as usize;
        let path = take(&mut bytes, len)?;
        let id = read_id(&mut bytes)??;
        let old = read_id(&mut bytes)?;
        out.push(ChangeRef { path, id, old });
    }
    Some(out)
}

fn take<'a>(bytes: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if bytes.len() < n {
        return None;
    }
    let (head, rest) = bytes.split_at(n);
    *bytes = rest;
    Some(head)
}

/// `Some(None)` for an absent id, `None` for a record that does not parse.
fn read_id(bytes: &mut &[u8]) -> Option<Option<ObjectId>> {
    let len = usize::from(*take(bytes, 1)?.first()?);
    if len == 0 {
        return Some(None);
    }
    ObjectId::try_from(take(bytes, len)?).ok().map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oid(byte: u8) -> ObjectId {
        ObjectId::try_from(&[byte; 20][..]).expect("a 20-byte id")
    }

    #[test]
    fn round_trips_and_refuses_what_does_not_parse() {
        let changes = vec![
            Change {
                path: "src/main.rs".into(),
                id: oid(1),
                old: Some(oid(2)),
            },
            Change {
                path: "a path with \u{e9} and spaces".into(),
                id: oid(3),
                old: None,
            },
        ];
        let bytes = encode(&changes);
        let back = decode(&bytes).expect("parses");
        assert_eq!(back.len(), 2);
        for (a, b) in changes.iter().zip(&back) {
            assert_eq!((&a.path, a.id, a.old), (&b.path, b.id, b.old));
        }
        assert_eq!(decode(&[]).map(|c| c.len()), Some(0));
        for cut in 1..bytes.len() {
            // Every truncation either fails or is a shorter list ending at a change's end.
            if let Some(c) = decode(&bytes[..cut]) {
                assert!(c.len() < 2, "cut at {cut}");
            }
        }
        assert!(decode(&[5, 0, 0, 0, b'a']).is_none());
        let mut bad_id = encode(&changes[..1]);
        bad_id[4 + 11] = 7; // an id length no hash has
        assert!(decode(&bad_id).is_none());
    }
}
