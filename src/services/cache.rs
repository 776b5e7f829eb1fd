//! In-process caches of values derived from the database. Each value is tagged with the data
//! generation it was built at (see [`crate::db::generations`]): each cache names what its
//! values depend on, a request reads those generations with its session and uses a cached value
//! only when it is at least that recent, so a change committed through any instance shows on
//! the next request of every instance, and changes elsewhere leave the value alone.

use std::hash::Hash;
use std::sync::Arc;
use std::time::{Duration, Instant};

use quick_cache::sync::{Cache, GuardResult};
use quick_cache::{OptionsBuilder, Weighter};

use crate::db::build::{ComponentFilter, ComponentSummary};
use crate::db::changes::Mark;
use crate::db::generations::{Columns, Depends};
use crate::db::ids::{AccountId, PublicationId, UserId};
use crate::db::library::PackagedFilter;
use crate::db::sessions::ClockedSession;
use crate::error::AppError;
use crate::services::accounts::Access;
use crate::services::browse::library::{PublishedContent, RenderedKey, RenderedLibrary};
use crate::services::browse::model::LibraryModel;
use crate::services::build::folder_tree::FolderTree;
use crate::services::groups::{GroupPage, GroupPageKey};
use crate::services::library::publishing::PackagedPage;

/// The caches of one instance.
pub struct Caches {
    /// Each session (by its key's hash) with its user and the clock, as last read, kept with
    /// the mark of the database's log at that moment: while nothing was committed since, it is
    /// what a read would find (SQLite only, see [`crate::db::changes`]).
    pub session_rows: MarkedCache<String, ClockedSession>,
    /// The generations of each session (by its key's hash) as last read, for the user and
    /// account it was in then, kept while the clock stands still (see [`Depends::Clock`]).
    pub session_generations: GenerationCache<String, KeptGenerations>,
    /// The generations of each token's user (by the token's hash) in the account of an API
    /// request's path (`None`: no such account), kept while the clock stands still.
    pub token_generations: GenerationCache<(String, AccountId), Option<Columns>>,
    /// A user's access (privileges, switcher) per current account of a session.
    pub access: GenerationCache<(UserId, Option<AccountId>), Option<Access>>,
    /// Each account's library, weighed by its number of processes.
    pub libraries: GenerationCache<AccountId, LibraryModel>,
    /// Pages of each account's library as rendered, weighed in kilobytes.
    pub library_pages: GenerationCache<RenderedKey, RenderedLibrary>,
    /// Each account's folder tree, weighed by its number of folders.
    pub folders: GenerationCache<AccountId, FolderTree>,
    /// What each publication shows on the View page: a publication, its package and its
    /// manifest never change once made, so no generation is needed.
    pub publications: LastingCache<PublicationId, PublishedContent>,
    /// Pages of the Build page's component list, per account, filter and size.
    pub component_pages: GenerationCache<(AccountId, ComponentFilter, i64), Vec<ComponentSummary>>,
    /// Pages of Manage > Process Library's list, per account, filter and size.
    pub packaged_pages: GenerationCache<(AccountId, PackagedFilter, i64), PackagedPage>,
    /// Account group pages, per account, group, members' cursor and size.
    pub group_pages: GenerationCache<GroupPageKey, GroupPage>,
    /// The View page's diagram of each publication as rendered (a publication never changes),
    /// weighed in kilobytes.
    pub diagrams: LastingCache<PublicationId, String>,
}

/// How long a library may show install counts (and order *Most popular*) as they were: an
/// install counts itself without moving the library's generation, so that it never
/// invalidates other accounts' libraries.
pub const INSTALL_COUNTS_LAG: Duration = Duration::from_secs(60);
/// Room for this many sessions as last read (a few hundred bytes each).
const SESSIONS_KEPT: usize = 20_000;
/// Room for the generations of this many users' accounts (a few dozen bytes each).
const GENERATIONS_KEPT: u64 = 20_000;
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
/// Room for this many kilobytes of rendered library pages (about 10 KB each).
const RENDERED_KILOBYTES: u64 = 4_096;
/// Room for this many kilobytes of rendered diagrams (about 15 KB for 50 shapes).
const DIAGRAM_KILOBYTES: u64 = 4_096;

impl Default for Caches {
    fn default() -> Self {
        Self {
            session_rows: MarkedCache::new(SESSIONS_KEPT),
            session_generations: GenerationCache::new(Depends::Clock, 1_000, GENERATIONS_KEPT),
            token_generations: GenerationCache::new(Depends::Clock, 1_000, GENERATIONS_KEPT),
            access: GenerationCache::new(Depends::People, 1_000, ACCESS_WEIGHT),
            libraries: GenerationCache::new(Depends::Library, 64, LIBRARY_WEIGHT)
                .lasting_at_most(INSTALL_COUNTS_LAG),
            library_pages: GenerationCache::new(Depends::Library, 400, RENDERED_KILOBYTES),
            folders: GenerationCache::new(Depends::Content, 256, FOLDER_WEIGHT),
            publications: LastingCache::new(2_000, PUBLICATION_WEIGHT),
            component_pages: GenerationCache::new(Depends::Content, 400, PAGE_WEIGHT),
            packaged_pages: GenerationCache::new(Depends::Packaged, 400, PAGE_WEIGHT),
            group_pages: GenerationCache::new(Depends::Groups, 400, PAGE_WEIGHT),
            diagrams: LastingCache::new(500, DIAGRAM_KILOBYTES),
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

/// Values as read from the database, each kept with the [`Mark`] of its log just before the
/// read: a value is used again only while the log shows no commit since.
pub struct MarkedCache<K, V> {
    inner: Cache<K, Arc<(Mark, V)>>,
}

impl<K: Eq + Hash + Clone, V: Clone> MarkedCache<K, V> {
    pub fn new(items: usize) -> Self {
        Self {
            inner: Cache::new(items),
        }
    }

    /// The value of `key` if it was read at `mark` (nothing committed since).
    pub fn unchanged<Q: Hash + quick_cache::Equivalent<K> + ?Sized>(
        &self,
        key: &Q,
        mark: &Mark,
    ) -> Option<V> {
        self.inner
            .get(key)
            .filter(|kept| kept.0 == *mark)
            .map(|kept| kept.1.clone())
    }

    /// Keeps `value`, read after the log showed `mark`.
    pub fn keep(&self, key: K, mark: Mark, value: V) {
        self.inner.insert(key, Arc::new((mark, value)));
    }
}

/// A session's generations as read for its user and account.
#[derive(Debug, Clone)]
pub struct KeptGenerations {
    pub user_id: Option<UserId>,
    pub account_id: Option<AccountId>,
    pub columns: Columns,
}

impl Weight for KeptGenerations {
    fn weight(&self) -> u64 {
        1
    }
}

impl Weight for Option<Columns> {
    fn weight(&self) -> u64 {
        1
    }
}

impl Weight for String {
    fn weight(&self) -> u64 {
        u64::try_from(self.len() / 1024).unwrap_or(u64::MAX) + 1
    }
}

impl Weight for Vec<ComponentSummary> {
    fn weight(&self) -> u64 {
        u64::try_from(self.len()).unwrap_or(u64::MAX) + 1
    }
}

/// How long a caller waits for another caller's build of the same value before building its
/// own (uncached).
const BUILD_WAIT: Duration = Duration::from_secs(10);

/// A value and the generation it was built at.
#[derive(Debug)]
pub struct Tagged<V> {
    pub generation: i64,
    /// When it was built (a cache may keep values for a while only).
    pub built: Instant,
    pub value: V,
}

impl<V> Tagged<V> {
    /// Whether it was built at `generation` or later (never without a generation).
    pub fn as_recent_as(&self, generation: Option<i64>) -> bool {
        generation.is_some_and(|generation| self.generation >= generation)
    }
}

impl<V> std::ops::Deref for Tagged<V> {
    type Target = V;

    fn deref(&self) -> &V {
        &self.value
    }
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
    depends: Depends,
    max_age: Option<Duration>,
}

impl<K: Eq + Hash + Clone, V: Weight> GenerationCache<K, V> {
    /// A cache holding values of at most `capacity` weight in all (one shard, so that a value
    /// as heavy as a large library still fits).
    /// Its values are built from what `depends` names.
    pub fn new(depends: Depends, estimated_items: usize, capacity: u64) -> Self {
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
        Self {
            inner,
            depends,
            max_age: None,
        }
    }

    /// The same cache, whose values are built again once `max_age` old even if their
    /// generations held (for what is refreshed outside the generations).
    pub fn lasting_at_most(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// Whether a value found is still current as of `generation`.
    fn holds(&self, found: &Tagged<V>, generation: i64) -> bool {
        found.generation >= generation && self.max_age.is_none_or(|age| found.built.elapsed() < age)
    }

    /// What the cache's values are built from.
    pub fn depends(&self) -> Depends {
        self.depends
    }

    /// The value of `key` as of `generation`: the cached one when it was built at that
    /// generation or later, otherwise `build()`'s, which is kept. Only one caller builds a
    /// missing value; the others asking for it meanwhile wait for it (so a burst of requests
    /// after a change reads the database once, and holds one copy in memory, not one each).
    /// Without a generation (the counter could not be read) nothing is cached.
    pub fn get_or_build(
        &self,
        key: &K,
        generation: Option<i64>,
        build: impl FnOnce() -> Result<V, AppError>,
    ) -> Result<Arc<Tagged<V>>, AppError> {
        let Some(generation) = generation else {
            return Ok(Arc::new(Tagged {
                generation: i64::MIN,
                built: Instant::now(),
                value: build()?,
            }));
        };
        loop {
            match self.inner.get_value_or_guard(key, Some(BUILD_WAIT)) {
                GuardResult::Value(found) if self.holds(&found, generation) => return Ok(found),
                GuardResult::Value(_) => {
                    // Out of date: drop it (unless a newer one came meanwhile) and ask again.
                    self.inner
                        .remove_if(key, |found| !self.holds(found, generation));
                }
                GuardResult::Guard(guard) => {
                    let built = Arc::new(Tagged {
                        generation,
                        built: Instant::now(),
                        value: build()?,
                    });
                    let _ = guard.insert(built.clone());
                    return Ok(built);
                }
                GuardResult::Timeout => {
                    return Ok(Arc::new(Tagged {
                        generation,
                        built: Instant::now(),
                        value: build()?,
                    }));
                }
            }
        }
    }

    /// The cached value of `key` if it was built at `generation` or later (never without a
    /// generation).
    pub fn current(&self, key: &K, generation: Option<i64>) -> Option<Arc<Tagged<V>>> {
        let generation = generation?;
        self.inner
            .get(key)
            .filter(|found| self.holds(found, generation))
    }

    /// Keeps `value` as built at `generation`, in place of any other.
    pub fn keep(&self, key: K, generation: i64, value: V) {
        self.inner.insert(
            key,
            Arc::new(Tagged {
                generation,
                built: Instant::now(),
                value,
            }),
        );
    }

    /// The cached value of `key`, however old.
    pub fn peek<Q: Hash + quick_cache::Equivalent<K> + ?Sized>(
        &self,
        key: &Q,
    ) -> Option<Arc<Tagged<V>>> {
        self.inner.get(key)
    }

    /// Drops the value of `key` if `stale` says so.
    pub fn remove_if(&self, key: &K, stale: impl FnOnce(&Tagged<V>) -> bool) {
        self.inner.remove_if(key, |found| stale(found));
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
/// Every value is tagged with the same generation, so a cached one is always current.
pub struct LastingCache<K, V> {
    inner: GenerationCache<K, V>,
}

/// The one generation of a [`LastingCache`].
const LASTING: Option<i64> = Some(0);

impl<K: Eq + Hash + Clone, V: Weight> LastingCache<K, V> {
    pub fn new(estimated_items: usize, capacity: u64) -> Self {
        Self {
            inner: GenerationCache::new(Depends::Content, estimated_items, capacity),
        }
    }

    /// The cached value of `key`, if any.
    pub fn get(&self, key: &K) -> Option<Arc<Tagged<V>>> {
        self.inner.current(key, LASTING)
    }

    /// The cached value of `key`, or `build()`'s, which is kept (one caller builds it; the
    /// others wait for it).
    pub fn get_or_build(
        &self,
        key: &K,
        build: impl FnOnce() -> Result<V, AppError>,
    ) -> Result<Arc<Tagged<V>>, AppError> {
        self.inner.get_or_build(key, LASTING, build)
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
    fn a_value_kept_for_a_while_only_is_built_again_once_that_old() {
        let cache: GenerationCache<&str, u64> = GenerationCache::new(Depends::Library, 4, 100)
            .lasting_at_most(Duration::from_millis(20));
        let builds = std::cell::Cell::new(0);
        let get = || {
            cache
                .get_or_build(&"k", Some(1), || {
                    builds.set(builds.get() + 1);
                    Ok(builds.get())
                })
                .map(|t| t.value)
                .ok()
        };
        assert_eq!(get(), Some(1));
        assert_eq!(get(), Some(1), "young: cached");
        std::thread::sleep(Duration::from_millis(30));
        assert_eq!(get(), Some(2), "old: built again at the same generation");
        assert_eq!(cache.current(&"k", Some(1)).map(|t| t.value), Some(2));
    }

    #[test]
    fn a_value_is_rebuilt_once_the_generation_moves_past_it() {
        let cache: GenerationCache<&str, u64> = GenerationCache::new(Depends::Content, 4, 100);
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
    fn callers_asking_at_once_share_one_build() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let cache: GenerationCache<&str, u64> = GenerationCache::new(Depends::Content, 4, 100);
        let builds = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    let got = cache.get_or_build(&"k", Some(1), || {
                        builds.fetch_add(1, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(50));
                        Ok(7)
                    });
                    assert_eq!(got.ok().map(|t| t.value), Some(7));
                });
            }
        });
        assert_eq!(builds.load(Ordering::SeqCst), 1);
        let rebuilt = cache.get_or_build(&"k", Some(2), || Ok(8)).ok();
        assert_eq!(
            rebuilt.map(|t| t.value),
            Some(8),
            "a newer generation builds again"
        );
    }

    #[test]
    fn the_cache_keeps_within_its_weight() {
        let cache: GenerationCache<u64, u64> = GenerationCache::new(Depends::Content, 4, 100);
        for key in 0..10 {
            let _ = cache.get_or_build(&key, Some(1), || Ok(30));
        }
        assert!(cache.len() <= 3, "{} values of weight 30 kept", cache.len());
        assert!(!cache.is_empty());
    }
}
