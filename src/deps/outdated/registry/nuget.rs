use super::{FetchError, Get, Releases};

pub(super) fn fetch(
    _get: &dyn Get,
    base: &str,
    _name: &str,
    _version: &str,
) -> Result<Releases, FetchError> {
    Err(FetchError::Answer {
        url: base.to_string(),
        message: "todo".into(),
    })
}
