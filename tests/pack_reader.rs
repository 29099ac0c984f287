//! Corrupt packs read by the history scan's object reader
//! (`hygiene::source::git::pack::Reader`): each must be an error, never a panic, a stack
//! overflow, a hang or an allocation the size of a lie in the pack. The inputs are the
//! handmade `pack_reader` fuzz seeds (`fuzz/make_packs.py`), kept in fixtures/fuzz/pack_reader
//! as `u32 LE index length ++ index ++ pack`.

use gix::ObjectId;
use hygiene::source::git::pack::{Packs, Reader};
use std::path::Path;

/// The blob `hello world\n` (the base of the handmade deltas).
const BLOB: &str = "3b18e512dba79e4c8300dd08aeb37f8e728b8dad";
/// The made-up ids of the handmade delta entries.
const X: &str = "1111111111111111111111111111111111111111";
const Y: &str = "2222222222222222222222222222222222222222";

/// A bare repository holding the fixture's pack and index, and a reader over it.
fn with_reader(fixture: &str, mut check: impl FnMut(&Reader)) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/fuzz/pack_reader")
        .join(fixture);
    let data = std::fs::read(&path).expect("fixture");
    let len = u32::from_le_bytes(data[..4].try_into().expect("4 bytes")) as usize;
    let (idx, pack) = data[4..].split_at(len);
    let dir = tempfile::tempdir().expect("tempdir");
    gix::init_bare(dir.path()).expect("init");
    let packs = dir.path().join("objects/pack");
    std::fs::write(packs.join("pack-t.idx"), idx).expect("write idx");
    std::fs::write(packs.join("pack-t.pack"), pack).expect("write pack");
    let repo = gix::open(dir.path()).expect("open");
    check(&Reader::new(Packs::open(&repo), &repo));
}

fn id(hex: &str) -> ObjectId {
    ObjectId::from_hex(hex.as_bytes()).expect("hex id")
}

/// The error reading `hex`, as text.
fn error(reader: &Reader, hex: &str) -> String {
    match reader.object(&id(hex)) {
        Ok(o) => panic!("{hex} read as {:?}", o.map(|(k, d)| (k, d.len()))),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_valid_blob_reads() {
    with_reader("blob.bin", |r| {
        let (kind, data) = r.object(&id(BLOB)).expect("read").expect("present");
        assert_eq!(kind, gix::objs::Kind::Blob);
        assert_eq!(data.as_slice(), b"hello world\n");
        assert_eq!(r.cheap_size(&id(BLOB)).expect("size"), Some(12));
    });
}

#[test]
fn a_ref_delta_that_is_its_own_base_is_an_error() {
    with_reader("refdelta-self.bin", |r| {
        assert!(
            error(r, X).contains("loops or is longer than 10000 links"),
            "{}",
            error(r, X)
        );
    });
}

#[test]
fn ref_deltas_that_are_each_others_base_are_an_error() {
    with_reader("refdelta-pair.bin", |r| {
        for hex in [X, Y] {
            assert!(
                error(r, hex).contains("loops or is longer than 10000 links"),
                "{}",
                error(r, hex)
            );
        }
    });
}

#[test]
fn an_ofs_delta_that_is_its_own_base_is_an_error() {
    with_reader("ofsdelta-self.bin", |r| {
        assert!(
            error(r, X).contains("delta at 12 points before the pack start"),
            "{}",
            error(r, X)
        );
        assert_eq!(r.cheap_size(&id(X)).expect("size"), Some(6));
    });
}

#[test]
fn an_entry_claiming_more_than_its_bytes_can_hold_is_an_error() {
    with_reader("blob-huge-size.bin", |r| {
        let e = error(r, BLOB);
        assert!(
            e.contains("claims 1099511627776 bytes, more than its"),
            "{e}"
        );
    });
}

#[test]
fn a_delta_promising_an_exabyte_is_an_error() {
    with_reader("delta-huge-result.bin", |r| {
        let e = error(r, X);
        assert!(
            e.contains("result is 6 bytes, delta promised 1152921504606846976"),
            "{e}"
        );
    });
}

#[test]
fn a_delta_copying_past_its_base_is_an_error() {
    with_reader("delta-copy-past-base.bin", |r| {
        let e = error(r, X);
        assert!(e.contains("copy out of the base's bounds"), "{e}");
    });
}

#[test]
fn apply_delta_rejects_results_larger_than_promised() {
    use hygiene::source::git::pack::apply_delta;
    let base = b"hello world\n";
    let mut out = Vec::new();
    // Base 12 bytes, result promised 4: copy 6 bytes.
    assert_eq!(
        apply_delta(base, &[12, 4, 0x90, 6], &mut out),
        Err("result is more than the 4 bytes promised".to_string())
    );
    // Insert 5 bytes where 4 were promised.
    assert_eq!(
        apply_delta(base, &[12, 4, 5, b'a', b'b', b'c', b'd', b'e'], &mut out),
        Err("result is more than the 4 bytes promised".to_string())
    );
    // Promised 2^60 bytes (a varint of 9 bytes), delivers 6.
    let mut huge = vec![12];
    huge.extend_from_slice(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10]);
    huge.extend_from_slice(&[0x90, 6]);
    assert_eq!(
        apply_delta(base, &huge, &mut out),
        Err("result is 6 bytes, delta promised 1152921504606846976".to_string())
    );
}

/// Found by fuzzing `pack_reader` (`fuzz/artifacts/pack_reader/oom-034ec2fb...`, 375,167
/// executions in): a pack whose index and pack disagree, so this reader leaves it to gix,
/// which sized a buffer of 2.5 GB from an entry header before inflating it.
#[test]
fn an_object_gix_reads_for_us_cannot_claim_gigabytes() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/fuzz/pack_reader/oom-gix-fallback.bin");
    let data = std::fs::read(&path).expect("fixture");
    let len = u32::from_le_bytes(data[..4].try_into().expect("4 bytes")) as usize;
    let idx = &data[4..4 + len];
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("t.idx"), idx).expect("write idx");
    let index = gix::odb::pack::index::File::at(dir.path().join("t.idx"), gix::hash::Kind::Sha1)
        .expect("the index parses");
    let ids: Vec<ObjectId> = index.iter().map(|e| e.oid).collect();
    let mut errors = Vec::new();
    with_reader("oom-gix-fallback.bin", |r| {
        for id in &ids {
            if let Err(e) = r.object(id) {
                errors.push(format!("{id}: {e}"));
            }
        }
    });
    let huge = "860a8e4f8ce7602cf22fb23153308f7c3973e9cd";
    let expected = format!(
        "{huge}: object {huge} claims 2532489162 bytes, more than the 1073741824 hygiene reads"
    );
    assert_eq!(
        errors.iter().filter(|e| **e == expected).count(),
        1,
        "{errors:#?}"
    );
}
