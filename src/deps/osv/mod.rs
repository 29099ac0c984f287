//! OSV advisories: the record model, matching, the offline database and the online API.
