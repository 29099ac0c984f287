//! The secret half: rules, the engine that runs them, entropy and suppression.

pub mod allow;
pub mod check;
pub mod context;
pub mod decode;
pub mod embedded;
pub mod engine;
pub mod entropy;
pub mod filter;
pub mod formats;
pub mod keys;
pub mod keywords;
pub mod lazy_regex;
pub mod paths;
pub mod placeholder;
pub mod required;
pub mod rule;
pub mod sensitive;
pub mod validator;

pub use engine::Engine;
pub use rule::{builtin_rules, load_rule_dir, Rule, RuleError, RuleSpec, Scope};

impl From<RuleError> for crate::error::Error {
    fn from(e: RuleError) -> Self {
        crate::error::Error::new(crate::error::ErrorKind::Rules, e.to_string())
    }
}
