//! Tree diffing by object id: unchanged subtrees (same id on both sides) are skipped without
//! being read, which is what makes walking a long history cheap: a commit that touches three
//! files costs a handful of tree reads, however big the tree.

use super::pack::Reader;
use gix::bstr::{BString, ByteVec};
use gix::objs::tree::EntryRef;
use gix::objs::{Kind, TreeRef};
use gix::ObjectId;
use std::cmp::Ordering;
use std::sync::Arc;

/// A blob that is new at `path` in the newer tree.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Change {
    /// `/`-separated path in the newer tree.
    pub path: BString,
    pub id: ObjectId,
    /// The blob at the same path in the older tree, when the change is a modification.
    pub old: Option<ObjectId>,
}

/// What one diff found.
#[derive(Debug, Default)]
pub struct Diff {
    /// Blobs (regular or executable files) added or modified, in tree order.
    pub changes: Vec<Change>,
    /// Blobs of the older tree that are gone or replaced at their path (to tell a rename from
    /// new content).
    pub removed: Vec<ObjectId>,
}

/// Reads trees through a [`Reader`], whose cache hands out shared bytes: a tree read as the
/// newer side of one commit is the older side of the next, at no cost.
pub struct TreeDiff<'a> {
    objects: &'a Reader,
}

impl<'a> TreeDiff<'a> {
    pub fn new(objects: &'a Reader) -> Self {
        TreeDiff { objects }
    }

    /// Blobs new in `new` compared to `old` (every blob of `new` when `old` is `None`).
    pub fn diff(&mut self, old: Option<ObjectId>, new: ObjectId) -> Result<Diff, String> {
        let mut out = Diff::default();
        if old == Some(new) {
            return Ok(out);
        }
        let mut prefix = BString::default();
        self.trees(old, Some(new), &mut prefix, &mut out)?;
        Ok(out)
    }

    fn raw(&self, id: Option<ObjectId>) -> Result<Option<Arc<[u8]>>, String> {
        let Some(id) = id else { return Ok(None) };
        if id.is_empty_tree() {
            return Ok(None);
        }
        match self.objects.object(&id) {
            Ok(Some((Kind::Tree, data))) => Ok(Some(data)),
            Ok(Some((kind, _))) => Err(format!("{id} is a {kind}, not a tree")),
            Ok(None) => Err(format!("tree {id} is missing")),
            Err(e) => Err(format!("cannot read tree {id}: {e}")),
        }
    }

    /// Merge-joins two trees' entries (both in git's canonical order) and recurses into
    /// subtrees whose ids differ.
    fn trees(
        &mut self,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
        prefix: &mut BString,
        out: &mut Diff,
    ) -> Result<(), String> {
        let old_raw = self.raw(old)?;
        let new_raw = self.raw(new)?;
        fn parse(raw: &Option<Arc<[u8]>>, id: Option<ObjectId>) -> Result<Vec<EntryRef<'_>>, String> {
            match (raw, id) {
                (Some(bytes), Some(id)) => TreeRef::from_bytes(bytes, id.kind())
                    .map(|t| t.entries)
                    .map_err(|e| format!("cannot decode tree {id}: {e}")),
                _ => Ok(Vec::new()),
            }
        }
        {
            let old_entries = parse(&old_raw, old)?;
            let new_entries = parse(&new_raw, new)?;
            let (mut i, mut j) = (0, 0);
            while i < old_entries.len() || j < new_entries.len() {
                let order = match (old_entries.get(i), new_entries.get(j)) {
                    (Some(o), Some(n)) => gix::objs::tree::name_order(
                        o.filename,
                        o.mode.is_tree(),
                        n.filename,
                        n.mode.is_tree(),
                    ),
                    (Some(_), None) => Ordering::Less,
                    _ => Ordering::Greater,
                };
                match order {
                    Ordering::Less => {
                        self.entry(Some(&old_entries[i]), None, prefix, out)?;
                        i += 1;
                    }
                    Ordering::Greater => {
                        self.entry(None, Some(&new_entries[j]), prefix, out)?;
                        j += 1;
                    }
                    Ordering::Equal => {
                        let (o, n) = (&old_entries[i], &new_entries[j]);
                        if o.oid != n.oid || o.mode != n.mode {
                            self.entry(Some(o), Some(n), prefix, out)?;
                        }
                        i += 1;
                        j += 1;
                    }
                }
            }
        }
        Ok(())
    }

    /// One path that differs: `old` and `new` have the same name (and kind) when both are set.
    fn entry(
        &mut self,
        old: Option<&EntryRef<'_>>,
        new: Option<&EntryRef<'_>>,
        prefix: &mut BString,
        out: &mut Diff,
    ) -> Result<(), String> {
        let name = new.or(old).map(|e| e.filename).unwrap_or_default();
        let old_tree = old.filter(|e| e.mode.is_tree()).map(|e| e.oid.to_owned());
        let new_tree = new.filter(|e| e.mode.is_tree()).map(|e| e.oid.to_owned());
        let old_blob = old.filter(|e| e.mode.is_blob()).map(|e| e.oid.to_owned());
        let new_blob = new.filter(|e| e.mode.is_blob()).map(|e| e.oid.to_owned());
        if let Some(id) = old_blob {
            if new_blob != Some(id) {
                out.removed.push(id);
            }
        }
        if let Some(id) = new_blob {
            if old_blob != Some(id) {
                let mut path = prefix.clone();
                path.push_str(name);
                out.changes.push(Change {
                    path,
                    id,
                    old: old_blob,
                });
            }
        }
        if old_tree.is_some() || new_tree.is_some() {
            let len = prefix.len();
            prefix.push_str(name);
            prefix.push(b'/');
            let result = if new_tree.is_none() {
                // A directory that is gone: its blobs count as removed (a moved directory is
                // not new content).
                let mut gone = Diff::default();
                let r = self.trees(old_tree, None, prefix, &mut gone);
                out.removed.extend(gone.removed);
                r
            } else {
                self.trees(old_tree, new_tree, prefix, out)
            };
            prefix.truncate(len);
            result?;
        }
        Ok(())
    }
}
