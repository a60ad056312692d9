//! Process-wide tables of objects shared by every client with the same key (rate
//! budgets, token caches). They hold weak references: an object lives as long as a
//! client uses it. These tables are the library's only globals.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, OnceLock, Weak};

/// A table from keys to shared objects.
pub(crate) struct SharedTable<K, V> {
    table: OnceLock<Mutex<HashMap<K, Weak<V>>>>,
}

impl<K: Hash + Eq, V> SharedTable<K, V> {
    /// An empty table, for a `static`.
    pub(crate) const fn new() -> Self {
        SharedTable {
            table: OnceLock::new(),
        }
    }

    /// The live object for `key`, or a new one made by `make` (then shared).
    pub(crate) fn get_or_make(&self, key: K, make: impl FnOnce() -> V) -> Arc<V> {
        let mut table = self
            .table
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(live) = table.get(&key).and_then(Weak::upgrade) {
            return live;
        }
        table.retain(|_, v| v.strong_count() > 0);
        let made = Arc::new(make());
        table.insert(key, Arc::downgrade(&made));
        made
    }
}
