//! The data files compiled into the binary (`patterns/`), as `build.rs` embeds them.

use serde::de::DeserializeOwned;

/// One embedded file: its name, its TOML as written and, when the build could read it, the
/// same data as JSON.
#[derive(Debug, Clone, Copy)]
pub struct Embedded {
    pub name: &'static str,
    pub toml: &'static str,
    pub json: Option<&'static str>,
}

impl Embedded {
    /// The file's data: from the JSON the build made of it (reading a megabyte of TOML was a
    /// sixth of a one-file scan's start), else from the TOML, whose error then says what is
    /// wrong and where. The JSON holds exactly what the TOML does, so both read alike; one
    /// the JSON cannot give is read from the TOML as well, for its error.
    pub fn read<T: DeserializeOwned>(&self) -> Result<T, String> {
        if let Some(value) = self.json.and_then(|json| serde_json::from_str(json).ok()) {
            return Ok(value);
        }
        toml::from_str(self.toml).map_err(|e| crate::error::toml_error(self.toml, &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every built-in file has its JSON, and it reads as the TOML does.
    #[test]
    fn every_builtin_file_reads_alike_from_json_and_toml() {
        let all = [
            crate::secrets::rule::embedded_files(),
            crate::secrets::formats::embedded_files(),
            crate::secrets::sensitive::embedded_files(),
        ];
        let mut count = 0;
        for e in all.iter().flat_map(|files| files.iter()) {
            let json = e.json.unwrap_or_else(|| panic!("{}: no JSON made", e.name));
            let from_json: serde_json::Value = serde_json::from_str(json).expect("JSON");
            let from_toml: toml::Value = toml::from_str(e.toml).expect("TOML");
            let from_toml = serde_json::to_value(from_toml).expect("as JSON");
            assert_eq!(from_json, from_toml, "{}", e.name);
            count += 1;
        }
        assert!(count > 40, "{count} files");
    }

    #[test]
    fn a_file_without_json_is_read_from_its_toml_with_the_error_located() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            a: u8,
        }
        let ok = Embedded {
            name: "x.toml",
            toml: "a = 1\n",
            json: None,
        };
        assert_eq!(ok.read::<T>().expect("reads").a, 1);
        let bad = Embedded {
            name: "x.toml",
            toml: "a = 1\nb = [\n",
            json: None,
        };
        let e = bad.read::<T>().unwrap_err();
        assert!(e.contains("line"), "{e}");
    }
}
