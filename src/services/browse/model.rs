//! The read model of one account's library: every process its groups share, in the three
//! orders of the Browse page, with what the account installed of each. Built from the database
//! in one pass and kept in memory at a data generation (see `services::cache`), so that a page
//! of the library is a binary search and a walk, whatever the size of the library.

use crate::db::ids::*;
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::library::Entry;
use crate::db::browse::{Cursor, InstalledProcess, LibraryFilter, Sort};
use crate::db::library::{PublishedProcess, PublisherProfile};
use crate::db::{self, DbConnection};
use crate::error::AppError;
use crate::services::cache::Weight;

/// An account's library as of one data generation.
#[derive(Debug)]
pub struct LibraryModel {
    /// The primary account that publishes to it and its publisher profile (for a primary
    /// account: itself).
    pub publisher: Option<(String, PublisherProfile)>,
    /// A primary account's own published processes, shown to it as its customers see them:
    /// nothing in it can be viewed or installed from the library.
    pub own: bool,
    /// The platform publisher and its profile, when it shares processes with this account and
    /// is not the account's own partner (nor the account itself).
    pub platform: Option<(String, PublisherProfile)>,
    processes: Vec<Arc<PublishedProcess>>,
    /// What search looks in for each process: its name key and its lower-case description,
    /// apart by [`SEPARATOR`].
    searched: Vec<String>,
    by_name: Vec<u32>,
    by_date: Vec<u32>,
    by_popularity: Vec<u32>,
    installed: HashMap<ProcessId, InstalledProcess>,
    by_id: HashMap<ProcessId, u32>,
    /// Each process's tags: (name key, as typed).
    tags: Vec<Box<[(String, String)]>>,
}

/// The facets of a library page: each category and tag with how many processes match the
/// search, the other filters and the other facet's choice (most first, then by name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub categories: Vec<(String, usize)>,
    /// (name key, as first typed, count).
    pub tags: Vec<(String, String, usize)>,
    /// (connector code, count).
    pub connectors: Vec<(String, usize)>,
}

impl Weight for LibraryModel {
    fn weight(&self) -> u64 {
        u64::try_from(self.processes.len()).unwrap_or(u64::MAX) + 1
    }
}

/// Between a process's name and its description in what search looks in; no search text holds
/// it (it is a control character), so a match never spans the two.
const SEPARATOR: char = '\u{1}';

fn by_name(a: &PublishedProcess, b: &PublishedProcess) -> Ordering {
    (&a.name_key, &a.id).cmp(&(&b.name_key, &b.id))
}

fn by_date(a: &PublishedProcess, b: &PublishedProcess) -> Ordering {
    (b.latest_published_at, &b.id).cmp(&(a.latest_published_at, &a.id))
}

fn by_popularity(a: &PublishedProcess, b: &PublishedProcess) -> Ordering {
    b.install_count
        .cmp(&a.install_count)
        .then_with(|| by_name(a, b))
}

/// Whether `p` comes after the cursor in the cursor's order.
fn after(cursor: &Cursor, p: &PublishedProcess) -> bool {
    match cursor {
        Cursor::Name(name, id) => (&p.name_key, &p.id) > (name, &ProcessId::from(id)),
        Cursor::Date(at, id) => (p.latest_published_at, &p.id) < (*at, &ProcessId::from(id)),
        Cursor::Popular(count, name, id) => {
            p.install_count < *count
                || (p.install_count == *count
                    && (&p.name_key, &p.id) > (name, &ProcessId::from(id)))
        }
    }
}

/// Whether `p` comes before the cursor in the cursor's order.
fn precedes(cursor: &Cursor, p: &PublishedProcess) -> bool {
    match cursor {
        Cursor::Name(name, id) => (&p.name_key, &p.id) < (name, &ProcessId::from(id)),
        Cursor::Date(at, id) => (p.latest_published_at, &p.id) > (*at, &ProcessId::from(id)),
        Cursor::Popular(count, name, id) => {
            p.install_count > *count
                || (p.install_count == *count
                    && (&p.name_key, &p.id) < (name, &ProcessId::from(id)))
        }
    }
}

fn sorted(
    processes: &[Arc<PublishedProcess>],
    order: fn(&PublishedProcess, &PublishedProcess) -> Ordering,
) -> Vec<u32> {
    let mut positions: Vec<u32> = (0..processes.len())
        .filter_map(|i| u32::try_from(i).ok())
        .collect();
    positions.sort_by(|&a, &b| order(&processes[a as usize], &processes[b as usize]));
    positions
}

impl LibraryModel {
    /// Reads the library of `account_id`: what its partner shares with it (for a primary
    /// account, its own published processes, shown as its customers see them), and what the
    /// platform publisher shares with every account. A constant number of statements.
    pub fn build(conn: &mut DbConnection, account_id: &AccountId) -> Result<Self, AppError> {
        let (primary, own) = match db::accounts::get_account(conn, account_id)?.parent_id {
            Some(primary) => (primary, false),
            None => (account_id.clone(), true),
        };
        let mut processes = if own {
            db::browse::list_published(conn, account_id)?
        } else {
            let groups = db::browse::visible_groups(conn, account_id, &primary)?;
            db::browse::list_all_visible(conn, &primary, &groups)?
        };
        let installed = db::browse::installed_processes(conn, account_id)?;
        let mut platform = None;
        if let Some((platform_id, profile)) = db::platform::publisher(conn)? {
            // Its processes for everyone; within its own family, some may be listed already.
            let held: HashSet<ProcessId> = processes.iter().map(|p| p.id.clone()).collect();
            processes.extend(
                db::platform::list_processes(conn, &platform_id)?
                    .into_iter()
                    .filter(|p| !held.contains(&p.id)),
            );
            if platform_id != primary {
                platform = Some((platform_id.into_string(), profile));
            }
        }
        let profile =
            db::library::find_publisher(conn, &primary)?.unwrap_or_else(|| PublisherProfile {
                account_id: primary.clone(),
                ..PublisherProfile::default()
            });
        let mut model =
            Self::from_parts(Some((primary.into_string(), profile)), processes, installed);
        model.own = own;
        model.platform = platform;
        Ok(model)
    }

    /// The publisher of a process of the library, and whether it is the platform.
    pub fn publisher_of(&self, process: &PublishedProcess) -> Option<(&PublisherProfile, bool)> {
        if let Some((id, profile)) = &self.platform
            && process.account_id.as_str() == id
        {
            return Some((profile, true));
        }
        self.publisher.as_ref().map(|(_, profile)| (profile, false))
    }

    /// Whether the account itself publishes the process (shown, not installed, in its library).
    pub fn is_own(&self, process: &PublishedProcess) -> bool {
        self.own
            && self
                .publisher
                .as_ref()
                .is_some_and(|(id, _)| process.account_id.as_str() == id)
    }

    fn from_parts(
        publisher: Option<(String, PublisherProfile)>,
        processes: Vec<PublishedProcess>,
        installed: Vec<InstalledProcess>,
    ) -> Self {
        let processes: Vec<Arc<PublishedProcess>> = processes.into_iter().map(Arc::new).collect();
        Self {
            publisher,
            own: false,
            platform: None,
            searched: processes
                .iter()
                .map(|p| format!("{}{SEPARATOR}{}", p.name_key, p.description.to_lowercase()))
                .collect(),
            by_name: sorted(&processes, by_name),
            by_date: sorted(&processes, by_date),
            by_popularity: sorted(&processes, by_popularity),
            tags: processes
                .iter()
                .map(|p| {
                    p.tag_list()
                        .map(|t| (crate::domain::validation::name_key(t), t.to_owned()))
                        .collect()
                })
                .collect(),
            installed: installed
                .into_iter()
                .map(|i| (i.process.clone(), i))
                .collect(),
            by_id: processes
                .iter()
                .enumerate()
                .filter_map(|(i, p)| Some((p.id.clone(), u32::try_from(i).ok()?)))
                .collect(),
            processes,
        }
    }

    /// How many processes the library holds.
    pub fn len(&self) -> usize {
        self.processes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.processes.is_empty()
    }

    /// One page: up to `limit` entries after the filter's cursor that match its text (lower
    /// case, found in the name or the description), and whether more follow.
    pub fn page(&self, filter: &LibraryFilter, limit: usize) -> (Vec<Entry>, bool) {
        let (entries, more, _) = self.window(filter, limit);
        (entries, more)
    }

    /// One page as [`LibraryModel::page`], or the page that ends before `filter.before`, with
    /// whether matching entries follow it and whether any come before it.
    pub fn window(&self, filter: &LibraryFilter, limit: usize) -> (Vec<Entry>, bool, bool) {
        let order = match filter.sort {
            Sort::Name => &self.by_name,
            Sort::Date => &self.by_date,
            Sort::Popular => &self.by_popularity,
        };
        let text = filter.text.as_deref().filter(|t| !t.is_empty());
        if text.is_some_and(|t| t.contains(SEPARATOR)) {
            return (Vec::new(), false, false);
        }
        // One searcher for the whole walk, not one per process.
        let finder = text.map(memchr::memmem::Finder::new);
        let matches = |i: usize| {
            self.matches_base(filter, finder.as_ref(), i)
                && self.in_category(filter, i)
                && self.tagged(filter, i)
                && self.connects(filter, i)
        };
        let entry = |i: usize| {
            let process = Arc::clone(&self.processes[i]);
            self.entry(process)
        };
        if let Some(cursor) = &filter.before {
            let end = order.partition_point(|&i| precedes(cursor, &self.processes[i as usize]));
            let mut found = order[..end]
                .iter()
                .rev()
                .map(|&i| i as usize)
                .filter(|&i| matches(i));
            let mut picked: Vec<usize> = found.by_ref().take(limit).collect();
            let earlier = found.next().is_some();
            picked.reverse();
            let more = order[end..].iter().any(|&i| matches(i as usize));
            return (picked.into_iter().map(entry).collect(), more, earlier);
        }
        let start = match &filter.after {
            Some(cursor) => order.partition_point(|&i| !after(cursor, &self.processes[i as usize])),
            None => 0,
        };
        let mut found = order[start..]
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| matches(i));
        let entries: Vec<Entry> = found.by_ref().take(limit).map(entry).collect();
        let more = found.next().is_some();
        let earlier = start > 0 && order[..start].iter().any(|&i| matches(i as usize));
        (entries, more, earlier)
    }

    /// Whether process `i` passes the filter's deprecation, publishers and text.
    fn matches_base(
        &self,
        filter: &LibraryFilter,
        finder: Option<&memchr::memmem::Finder<'_>>,
        i: usize,
    ) -> bool {
        (filter.show_deprecated || !self.processes[i].is_deprecated())
            && (filter.publishers.is_empty()
                || filter.publishers.contains(&self.processes[i].account_id))
            && finder.is_none_or(|f| f.find(self.searched[i].as_bytes()).is_some())
    }

    fn in_category(&self, filter: &LibraryFilter, i: usize) -> bool {
        filter
            .category
            .as_ref()
            .is_none_or(|c| &self.processes[i].category == c)
    }

    fn connects(&self, filter: &LibraryFilter, i: usize) -> bool {
        filter
            .connector
            .as_ref()
            .is_none_or(|code| self.processes[i].connector_codes().any(|c| c == code))
    }

    fn tagged(&self, filter: &LibraryFilter, i: usize) -> bool {
        filter
            .tag
            .as_ref()
            .is_none_or(|key| self.tags[i].iter().any(|(k, _)| k == key))
    }

    /// The facets for a filter: each counted over the processes that pass everything but that
    /// facet's own choice (categories ignore the category chosen, and so on).
    pub fn facets(&self, filter: &LibraryFilter) -> Facets {
        let text = filter.text.as_deref().filter(|t| !t.is_empty());
        if text.is_some_and(|t| t.contains(SEPARATOR)) {
            return Facets::default();
        }
        let finder = text.map(memchr::memmem::Finder::new);
        let mut categories: HashMap<&str, usize> = HashMap::new();
        let mut tags: HashMap<&str, (&str, usize)> = HashMap::new();
        let mut connectors: HashMap<&str, usize> = HashMap::new();
        // By name, so that a tag typed two ways shows as the first process by name has it.
        for i in self.by_name.iter().map(|&i| i as usize) {
            if !self.matches_base(filter, finder.as_ref(), i) {
                continue;
            }
            let (in_category, tagged, connects) = (
                self.in_category(filter, i),
                self.tagged(filter, i),
                self.connects(filter, i),
            );
            let category = self.processes[i].category.as_str();
            if !category.is_empty() && tagged && connects {
                *categories.entry(category).or_default() += 1;
            }
            if in_category && connects {
                for (key, shown) in self.tags[i].iter() {
                    tags.entry(key.as_str()).or_insert((shown.as_str(), 0)).1 += 1;
                }
            }
            if in_category && tagged {
                for code in self.processes[i].connector_codes() {
                    *connectors.entry(code).or_default() += 1;
                }
            }
        }
        let mut categories: Vec<(String, usize)> = categories
            .into_iter()
            .map(|(c, n)| (c.to_owned(), n))
            .collect();
        categories.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut tags: Vec<(String, String, usize)> = tags
            .into_iter()
            .map(|(k, (shown, n))| (k.to_owned(), shown.to_owned(), n))
            .collect();
        tags.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        let mut connectors: Vec<(String, usize)> = connectors
            .into_iter()
            .map(|(c, n)| (c.to_owned(), n))
            .collect();
        connectors.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Facets {
            categories,
            tags,
            connectors,
        }
    }

    /// The process `id` if the library holds it, with what the account installed of it.
    pub fn find(&self, id: &str) -> Option<Entry> {
        let process = Arc::clone(&self.processes[*self.by_id.get(id)? as usize]);
        Some(self.entry(process))
    }

    fn entry(&self, process: Arc<PublishedProcess>) -> Entry {
        let installed = self.installed.get(&process.id);
        Entry {
            installed: installed.map(|i| i.sequence),
            copy: installed.and_then(|i| i.copy.clone()),
            process,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn process(id: &str, name: &str, day: u32, installs: i64) -> PublishedProcess {
        let at = NaiveDate::from_ymd_opt(2026, 1, day)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .unwrap_or_default();
        PublishedProcess {
            id: ProcessId::from(id.to_owned()),
            account_id: AccountId::from("p".to_owned()),
            component_id: ComponentId::from(format!("c{id}")),
            component_type: "process".to_owned(),
            name: name.to_owned(),
            name_key: name.to_lowercase(),
            description: format!("About {name}"),
            latest_sequence: 1,
            latest_publication_id: PublicationId::from(format!("pub{id}")),
            latest_published_at: at,
            install_count: installs,
            created_at: at,
            deprecated_at: None,
            deprecation_reason: String::new(),
            successor_id: None,
            component_count: 1,
            category: String::new(),
            tags: String::new(),
            connectors: String::new(),
        }
    }

    fn model() -> LibraryModel {
        LibraryModel::from_parts(
            None,
            vec![
                process("a", "Orders", 3, 5),
                process("b", "Invoices", 1, 9),
                process("c", "Orders", 2, 5),
                process("d", "Shipments", 4, 0),
            ],
            vec![InstalledProcess {
                process: ProcessId::from("c".to_owned()),
                sequence: 2,
                copy: None,
            }],
        )
    }

    fn ids(entries: &[Entry]) -> Vec<&str> {
        entries.iter().map(|e| e.process.id.as_str()).collect()
    }

    fn filter(sort: Sort, text: Option<&str>, after: Option<Cursor>) -> LibraryFilter {
        LibraryFilter {
            text: text.map(str::to_owned),
            sort,
            after,
            before: None,
            show_deprecated: false,
            publishers: Vec::new(),
            category: None,
            tag: None,
            connector: None,
        }
    }

    #[test]
    fn the_three_orders_and_their_cursors_walk_every_process_once() {
        let m = model();
        for sort in [Sort::Name, Sort::Date, Sort::Popular] {
            let mut seen = Vec::new();
            let mut after = None;
            loop {
                let (entries, more) = m.page(&filter(sort, None, after.clone()), 1);
                let p = &entries[0].process;
                seen.push(p.id.clone());
                after = Some(match sort {
                    Sort::Name => Cursor::Name(p.name_key.clone(), p.id.clone().into_string()),
                    Sort::Date => Cursor::Date(p.latest_published_at, p.id.clone().into_string()),
                    Sort::Popular => Cursor::Popular(
                        p.install_count,
                        p.name_key.clone(),
                        p.id.clone().into_string(),
                    ),
                });
                if !more {
                    break;
                }
            }
            let expected = match sort {
                Sort::Name => ["b", "a", "c", "d"],
                Sort::Date => ["d", "a", "c", "b"],
                Sort::Popular => ["b", "a", "c", "d"],
            };
            assert_eq!(seen, expected, "{sort:?}");
        }
    }

    #[test]
    fn search_matches_name_or_description_and_installed_versions_show() {
        let m = model();
        let (entries, more) = m.page(&filter(Sort::Name, Some("orders"), None), 10);
        assert_eq!(ids(&entries), ["a", "c"]);
        assert!(!more);
        assert_eq!(entries[1].installed, Some(2));
        assert_eq!(entries[0].installed, None);
        let (entries, _) = m.page(&filter(Sort::Name, Some("about ship"), None), 10);
        assert_eq!(ids(&entries), ["d"]);
        // The end of a name and the start of its description are not one text.
        let (entries, _) = m.page(&filter(Sort::Name, Some("shipmentsabout"), None), 10);
        assert!(entries.is_empty());
        let (entries, _) = m.page(&filter(Sort::Name, Some("shipments\u{1}about"), None), 10);
        assert!(entries.is_empty());
        let (entries, more) = m.page(&filter(Sort::Name, None, None), 3);
        assert_eq!((entries.len(), more), (3, true));
        assert_eq!(m.len(), 4);
        assert!(!m.is_empty());
    }

    #[test]
    fn pages_before_a_cursor_walk_back_to_the_first() {
        let m = model();
        for sort in [Sort::Name, Sort::Date, Sort::Popular] {
            let (all, _) = m.page(&filter(sort, None, None), 10);
            let cursor_of = |e: &Entry| {
                let p = &e.process;
                match sort {
                    Sort::Name => Cursor::Name(p.name_key.clone(), p.id.to_string()),
                    Sort::Date => Cursor::Date(p.latest_published_at, p.id.to_string()),
                    Sort::Popular => {
                        Cursor::Popular(p.install_count, p.name_key.clone(), p.id.to_string())
                    }
                }
            };
            let mut f = filter(sort, None, None);
            f.before = Some(cursor_of(&all[3]));
            let (entries, more, earlier) = m.window(&f, 2);
            assert_eq!(ids(&entries), ids(&all[1..3]), "{sort:?}");
            assert!(more && earlier);
            f.before = Some(cursor_of(&entries[0]));
            let (entries, more, earlier) = m.window(&f, 2);
            assert_eq!(ids(&entries), ids(&all[..1]), "{sort:?}");
            assert!(more && !earlier);
        }
    }

    #[test]
    fn deprecated_processes_show_only_when_asked_for() {
        let mut processes = vec![process("a", "Orders", 3, 5), process("b", "Invoices", 1, 9)];
        processes[0].deprecated_at = processes[0].created_at.into();
        let m = LibraryModel::from_parts(None, processes, Vec::new());
        let mut f = filter(Sort::Name, None, None);
        assert_eq!(ids(&m.page(&f, 10).0), ["b"]);
        f.show_deprecated = true;
        assert_eq!(ids(&m.page(&f, 10).0), ["b", "a"]);
        assert!(
            m.find("a").is_some(),
            "a deprecated process keeps its View page"
        );
    }

    #[test]
    fn a_process_is_found_by_id_only_when_the_library_holds_it() {
        let m = model();
        let found = m.find("c").map(|e| (e.process.id.clone(), e.installed));
        assert_eq!(found, Some((ProcessId::from("c"), Some(2))));
        assert!(m.find("nowhere").is_none());
    }
}
