//! Whether anything was committed to a SQLite database since a given moment, without a
//! statement: the header of the write-ahead log's index (the `-shm` file every connection to
//! the database shares, in every process) changes with every commit, whoever makes it. It
//! holds two copies of a 48-byte header (SQLite's *walformat* document, "The WAL-Index
//! Header"); a writer writes the second copy, then the first, so a reader that reads the first
//! then the second and finds them equal has one whole header. Two equal headers read at two
//! moments mean that no transaction committed in between: each commit moves the count of
//! frames in the log, its running checksum, or (when the log restarts) its salts.
//!
//! The watch keeps a connection of its own open for its whole life, so that the index file it
//! reads is the one every connection uses: SQLite rebuilds or deletes that file only when no
//! connection has the database open. Its own handle on the index file is never closed: closing
//! any handle on a file drops every POSIX lock the process holds on it, SQLite's included, so
//! each index file is opened once per process and kept (and opened again only if the file was
//! replaced since). PostgreSQL, an in-memory database or a database not in
//! write-ahead-log mode have no watch; callers then read as before.

use std::collections::HashMap;
use std::fs::File;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::sync::{Mutex, OnceLock};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel::sqlite::SqliteConnection;

use super::connection::{DbConnection, DbPool};

/// The length of one copy of the log index's header.
const HEADER: usize = 48;
/// Where the header says it was initialised (`isInit`, one byte).
const IS_INIT: usize = 12;

/// The log index's header at one moment: equal marks, no commit in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark([u8; HEADER]);

/// The watch over one SQLite database's commits.
pub struct Changes {
    index: &'static File,
    /// The connection that keeps the index file in use while the watch reads it.
    _holder: Mutex<SqliteConnection>,
}

#[derive(QueryableByName)]
struct JournalMode {
    #[diesel(sql_type = Text)]
    journal_mode: String,
}

#[derive(QueryableByName)]
struct Attached {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    file: String,
}

impl Changes {
    /// A watch over the pool's database, when it is a SQLite file in write-ahead-log mode
    /// (`None` otherwise, or when its log index cannot be read).
    pub fn watch(pool: &DbPool) -> Option<Self> {
        let file = super::read(pool, |conn| {
            let DbConnection::Sqlite(conn) = conn else {
                return Ok(None);
            };
            let mode = diesel::sql_query("PRAGMA journal_mode").get_result::<JournalMode>(conn)?;
            if !mode.journal_mode.eq_ignore_ascii_case("wal") {
                return Ok(None);
            }
            let attached = diesel::sql_query("PRAGMA database_list").load::<Attached>(conn)?;
            Ok(attached
                .into_iter()
                .find(|a| a.name == "main")
                .map(|a| a.file))
        })
        .ok()??;
        if file.is_empty() {
            return None;
        }
        let mut holder = SqliteConnection::establish(&file).ok()?;
        // A read maps the log index for this connection: from now on SQLite keeps the file.
        holder
            .batch_execute("PRAGMA busy_timeout = 10000; SELECT count(*) FROM sqlite_master;")
            .ok()?;
        let index = index_file(&format!("{file}-shm"))?;
        let changes = Self {
            index,
            _holder: Mutex::new(holder),
        };
        changes.mark().map(|_| changes)
    }

    /// The header as it is now; `None` while a commit is writing it (or if it cannot be
    /// read): then nothing may be taken as unchanged.
    pub fn mark(&self) -> Option<Mark> {
        let mut both = [0u8; 2 * HEADER];
        self.index.read_exact_at(&mut both, 0).ok()?;
        let (first, second) = both.split_at(HEADER);
        if first != second || first[IS_INIT] == 0 {
            return None;
        }
        let mut mark = [0u8; HEADER];
        mark.copy_from_slice(first);
        Some(Mark(mark))
    }
}

/// The process's handle on the index file at `path`, opened once and never closed (see the
/// module's documentation); a handle whose file was since replaced by another at that path is
/// kept too, and a new one opened.
fn index_file(path: &str) -> Option<&'static File> {
    static OPENED: OnceLock<Mutex<HashMap<String, &'static File>>> = OnceLock::new();
    let mut opened = OPENED.get_or_init(Default::default).lock().ok()?;
    let current = std::fs::metadata(path).ok()?;
    if let Some(file) = opened.get(path)
        && let Ok(kept) = file.metadata()
        && (kept.dev(), kept.ino()) == (current.dev(), current.ino())
    {
        return Some(file);
    }
    let file: &'static File = Box::leak(Box::new(File::open(path).ok()?));
    let kept = file.metadata().ok()?;
    if (kept.dev(), kept.ino()) != (current.dev(), current.ino()) {
        return None;
    }
    opened.insert(path.to_owned(), file);
    Some(file)
}
