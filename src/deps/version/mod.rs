//! Version ordering, one module per ecosystem.
