//! In-process caches of values derived from the database. Each value is tagged with the data
//! generation it was built at (see [`crate::db::generations`]); a request reads the current
//! generation with its session and uses a cached value only when it is at least that recent,
//! so a change committed through any instance shows on the next request of every instance.

use std::hash::Hash;
use std::sync::Arc;

use quick_cache::sync::Cache;
use quick_cache::{OptionsBuilder, Weighter};

use crate::db::build::{ComponentFilter, ComponentSummary};
use crate::db::library::PackagedFilter;
use crate::error::AppError;
use crate::services::accounts::Access;
use crate::services::browse::library::PublishedContent;
use crate::services::browse::model::LibraryModel;
use crate::services::build::folder_tree::FolderTree;
use crate::services::library::publishing::PackagedPage;

/// The caches of one instance.
pub struct Caches {
    /// A user's access (privileges, switcher) per current account of a session.
    pub access: GenerationCache<(String, Option<String>), Option<Access>>,
    /// Each account's library, weighed by its number of processes.
    pub libraries: GenerationCache<String, LibraryModel>,
    /// Each account's folder tree, weighed by its number of folders.
    pub folders: GenerationCache<String, FolderTree>,
    /// What each publication shows on the View page: a publication, its package and its
    /// manifest never change once made, so no generation is needed.
    pub publications: LastingCache<String, PublishedContent>,
    /// Pages of the Build page's component list, per account, filter and size.
    pub component_pages: GenerationCache<(String, ComponentFilter, i64), Vec<ComponentSummary>>,
    /// Pages of Manage > Process Library's list, per account, filter and size.
    pub packaged_pages: GenerationCache<(String, PackagedFilter, i64), PackagedPage>,
}

/// Room for the access of this many sessions' users (weighed by switcher accounts).
const ACCESS_WEIGHT: u64 = 50_000;
/// Room for this many library entries over all cached libraries (about 0.7 KB each).
const LIBRARY_WEIGHT: u64 = 50_000;
/// Room for this many folders over all cached trees (about 0.3 KB each).
const FOLDER_WEIGHT: u64 = 50_000;
/// Room for this many packaged components over all cached publications (about 0.2 KB each).
const PUBLICATION_WEIGHT: u64 = 100_000;
/// Room for this many rows over all cached pages of lists (about 0.3 KB each).
const PAGE_WEIGHT: u64 = 20_000;

impl Default for Caches {
    fn default() -> Self {
        Self {
            access: GenerationCache::new(1_000, ACCESS_WEIGHT),
            libraries: GenerationCache::new(64, LIBRARY_WEIGHT),
            folders: GenerationCache::new(256, FOLDER_WEIGHT),
            publications: LastingCache::new(2_000, PUBLICATION_WEIGHT),
            component_pages: GenerationCache::new(400, PAGE_WEIGHT),
            packaged_pages: GenerationCache::new(400, PAGE_WEIGHT),
        }
    }
}

impl Weight for Option<Access> {
    fn weight(&self) -> u64 {
        self.as_ref().map_or(1, |a| {
            u64::try_from(a.accounts.len()).unwrap_or(u64::MAX) + 1
        })
    }
}

impl Weight for Vec<ComponentSummary> {
    fn weight(&self) -> u64 {
        u64::try_from(self.len()).unwrap_or(u64::MAX) + 1
    }
}

/// A value and the generation it was built at.
#[derive(Debug)]
pub struct Tagged<V> {
    pub generation: i64,
    pub value: V,
}

/// How much room a value takes in its cache.
pub trait Weight {
    fn weight(&self) -> u64;
}

#[derive(Clone, Default)]
struct ByWeight;

impl<K, V: Weight> Weighter<K, Arc<Tagged<V>>> for ByWeight {
    fn weight(&self, _key: &K, value: &Arc<Tagged<V>>) -> u64 {
        value.value.weight().max(1)
    }
}

/// A bounded cache of generation-tagged values; the least recently used go first.
pub struct GenerationCache<K, V> {
    inner: Cache<K, Arc<Tagged<V>>, ByWeight>,
}

impl<K: Eq + Hash + Clone, V: Weight> GenerationCache<K, V> {
    /// A cache holding values of at most `capacity` weight in all (one shard, so that a value
    /// as heavy as a large library still fits).
    pub fn new(estimated_items: usize, capacity: u64) -> Self {
        let options = OptionsBuilder::new()
            .estimated_items_capacity(estimated_items)
            .weight_capacity(capacity)
            .shards(1)
            .build();
        let inner = match options {
            Ok(options) => {
                Cache::with_options(options, ByWeight, Default::default(), Default::default())
            }
            Err(_) => Cache::with_weighter(estimated_items, capacity, ByWeight),
        };
        Self { inner }
    }

    /// The value of `key` as of `generation`: the cached one when it was built at that
    /// generation or later, otherwise `build()`'s, which is kept. Without a generation (the
    /// counter could not be read) nothing is cached.
    pub fn get_or_build(
        &self,
        key: &K,
        generation: Option<i64>,
        build: impl FnOnce() -> Result<V, AppError>,
    ) -> Result<Arc<Tagged<V>>, AppError> {
        let Some(generation) = generation else {
            return Ok(Arc::new(Tagged {
                generation: i64::MIN,
                value: build()?,
            }));
        };
        if let Some(found) = self.current(key, Some(generation)) {
            return Ok(found);
        }
        let built = Arc::new(Tagged {
            generation,
            value: build()?,
        });
        self.inner.insert(key.clone(), built.clone());
        Ok(built)
    }

    /// The cached value of `key` if it was built at `generation` or later (never without a
    /// generation).
    pub fn current(&self, key: &K, generation: Option<i64>) -> Option<Arc<Tagged<V>>> {
        let generation = generation?;
        self.inner
            .get(key)
            .filter(|found| found.generation >= generation)
    }

    /// How many values are cached.
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }
}

/// A bounded cache of values that never change once made; the least recently used go first.
pub struct LastingCache<K, V> {
    inner: Cache<K, Arc<Tagged<V>>, ByWeight>,
}

impl<K: Eq + Hash + Clone, V: Weight> LastingCache<K, V> {
    pub fn new(estimated_items: usize, capacity: u64) -> Self {
        Self {
            inner: GenerationCache::new(estimated_items, capacity).inner,
        }
    }

    /// The cached value of `key`, if any.
    pub fn get(&self, key: &K) -> Option<Arc<Tagged<V>>> {
        self.inner.get(key)
    }

    /// The cached value of `key`, or `build()`'s, which is kept.
    pub fn get_or_build(
        &self,
        key: &K,
        build: impl FnOnce() -> Result<V, AppError>,
    ) -> Result<Arc<Tagged<V>>, AppError> {
        if let Some(found) = self.inner.get(key) {
            return Ok(found);
        }
        let built = Arc::new(Tagged {
            generation: 0,
            value: build()?,
        });
        self.inner.insert(key.clone(), built.clone());
        Ok(built)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Weight for u64 {
        fn weight(&self) -> u64 {
            *self
        }
    }

    #[test]
    fn a_value_is_rebuilt_once_the_generation_moves_past_it() {
        let cache: GenerationCache<&str, u64> = GenerationCache::new(4, 100);
        let mut builds = 0;
        let mut get = |generation| {
            cache
                .get_or_build(&"k", generation, || {
                    builds += 1;
                    Ok(builds)
                })
                .map(|t| t.value)
        };
        assert_eq!(get(Some(1)).ok(), Some(1));
        assert_eq!(get(Some(1)).ok(), Some(1), "same generation: cached");
        assert_eq!(
            get(Some(0)).ok(),
            Some(1),
            "older generation: the newer value serves"
        );
        assert_eq!(get(Some(2)).ok(), Some(2), "newer generation: rebuilt");
        assert_eq!(get(None).ok(), Some(3), "no generation: always built");
        assert_eq!(get(Some(2)).ok(), Some(2), "…and not kept");
    }

    #[test]
    fn the_cache_keeps_within_its_weight() {
        let cache: GenerationCache<u64, u64> = GenerationCache::new(4, 100);
        for key in 0..10 {
            let _ = cache.get_or_build(&key, Some(1), || Ok(30));
        }
        assert!(cache.len() <= 3, "{} values of weight 30 kept", cache.len());
        assert!(!cache.is_empty());
    }
}
