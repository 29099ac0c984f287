//! Dependency-graph reachability, for formats that list the root project's direct
//! dependencies and each package's dependencies, but do not mark packages as dev-only
//! (pnpm v9, bun, uv). A package is dev-only when it is reachable from the dev roots but not
//! from the production roots.

use std::collections::HashMap;
use std::hash::Hash;

/// Nodes reachable from `roots` by following `edges` (roots included).
pub fn reachable<K: Eq + Hash + Clone>(
    roots: impl IntoIterator<Item = K>,
    edges: &HashMap<K, Vec<K>>,
) -> std::collections::HashSet<K> {
    let mut seen = std::collections::HashSet::new();
    let mut stack: Vec<K> = roots.into_iter().collect();
    while let Some(k) = stack.pop() {
        if !seen.insert(k.clone()) {
            continue;
        }
        if let Some(next) = edges.get(&k) {
            stack.extend(next.iter().filter(|n| !seen.contains(*n)).cloned());
        }
    }
    seen
}

/// For each node: `Some(false)` if reachable from a production root, `Some(true)` if only
/// from a dev root, `None` if from neither (the graph did not tell).
pub struct DevClassifier<K: Eq + Hash> {
    prod: std::collections::HashSet<K>,
    dev: std::collections::HashSet<K>,
}

impl<K: Eq + Hash + Clone> DevClassifier<K> {
    pub fn new(
        prod_roots: impl IntoIterator<Item = K>,
        dev_roots: impl IntoIterator<Item = K>,
        edges: &HashMap<K, Vec<K>>,
    ) -> Self {
        DevClassifier {
            prod: reachable(prod_roots, edges),
            dev: reachable(dev_roots, edges),
        }
    }

    pub fn dev(&self, k: &K) -> Option<bool> {
        if self.prod.contains(k) {
            Some(false)
        } else if self.dev.contains(k) {
            Some(true)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_dev_only() {
        let mut edges = HashMap::new();
        edges.insert("a", vec!["b"]);
        edges.insert("d", vec!["b", "e"]);
        edges.insert("e", vec!["d"]); // cycle
        let c = DevClassifier::new(["a"], ["d"], &edges);
        assert_eq!(c.dev(&"a"), Some(false));
        assert_eq!(c.dev(&"b"), Some(false));
        assert_eq!(c.dev(&"d"), Some(true));
        assert_eq!(c.dev(&"e"), Some(true));
        assert_eq!(c.dev(&"z"), None);
    }
}
