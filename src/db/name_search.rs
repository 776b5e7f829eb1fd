//! The Build page's search by part of a component's name. A text is looked for first among
//! the next [`WINDOW`] components in name order: a common text fills the page there, or is
//! found there often enough ([`DENSE`] times) to fill it soon by reading on in name order. A
//! rarer one is looked for through a trigram index of the names, as long as at most
//! [`MOST_CANDIDATES`] names hold it: SQLite's FTS5 index `component_names`, PostgreSQL's `pg_trgm` index (see their
//! migration). Otherwise the caller reads the account's components in name order until the page
//! is full, as it does for texts too short for the index.

use diesel::pg::{Pg, PgConnection};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel::sqlite::{Sqlite, SqliteConnection};

use super::DbConnection;
use super::build::{ComponentFilter, ComponentSummary};
use crate::error::AppError;

/// The fewest characters the trigram index can look up.
const SHORTEST: usize = 3;

/// How many components in name order the text is first looked for among.
const WINDOW: i64 = 1_000;

/// A text found at least this many times among the window's components fills a page soon
/// enough by reading on in name order (about `limit / DENSE` windows).
const DENSE: usize = 5;

/// At most this many names may hold the text for the index to be used: the page is then
/// made from at most this many candidates.
const MOST_CANDIDATES: i64 = 5_000;

const COLUMNS: &str = "id, component_type, name, name_key, folder_id, revision, updated_at";

/// What the search found out.
pub enum Found {
    /// The page itself.
    Page(Vec<ComponentSummary>),
    /// The only components (of any account) whose name can hold the text.
    Among(Vec<String>),
    /// Nothing: the caller reads in name order.
    Unknown,
}

/// A value bound to a statement built here.
enum Value {
    Text(String),
    Int(i64),
}

/// A statement and its bound values, with the placeholders of its backend (`?` or `$n`).
struct Statement {
    sql: String,
    values: Vec<Value>,
    numbered: bool,
}

impl Statement {
    fn new(numbered: bool) -> Self {
        Self {
            sql: String::new(),
            values: Vec::new(),
            numbered,
        }
    }

    fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    fn bind(&mut self, value: Value) -> &mut Self {
        self.values.push(value);
        if self.numbered {
            self.sql.push_str(&format!("${}", self.values.len()));
        } else {
            self.sql.push('?');
        }
        self
    }

    fn text(&mut self, value: &str) -> &mut Self {
        self.bind(Value::Text(value.to_owned()))
    }

    /// ` AND` the filter's account, type, folder and cursor, on columns prefixed `prefix`.
    fn filter(&mut self, prefix: &str, account_id: &str, filter: &ComponentFilter) -> &mut Self {
        self.push(&format!(" {prefix}account_id = "))
            .text(account_id);
        if let Some(kind) = &filter.component_type {
            self.push(&format!(" AND {prefix}component_type = "))
                .text(kind);
        }
        if let Some(folder) = &filter.folder_id {
            self.push(&format!(" AND {prefix}folder_id = "))
                .text(folder);
        }
        if let Some((name_key, id)) = &filter.after {
            self.push(&format!(" AND ({prefix}name_key > "))
                .text(name_key)
                .push(&format!(" OR ({prefix}name_key = "))
                .text(name_key)
                .push(&format!(" AND {prefix}id > "))
                .text(id)
                .push("))");
        }
        if let Some((name_key, id)) = &filter.before {
            self.push(&format!(" AND ({prefix}name_key < "))
                .text(name_key)
                .push(&format!(" OR ({prefix}name_key = "))
                .text(name_key)
                .push(&format!(" AND {prefix}id < "))
                .text(id)
                .push("))");
        }
        self
    }
}

macro_rules! load {
    ($conn:expr, $backend:ty, $statement:expr, $row:ty) => {{
        let statement = $statement;
        let mut query = diesel::sql_query(statement.sql).into_boxed::<$backend>();
        for value in statement.values {
            query = match value {
                Value::Text(text) => query.bind::<Text, _>(text),
                Value::Int(n) => query.bind::<BigInt, _>(n),
            };
        }
        query.load::<$row>($conn)
    }};
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = Text)]
    id: String,
}

/// A page of the account's live components whose name holds the filter's text (see the
/// module's documentation for how it is looked for).
pub fn search(
    conn: &mut DbConnection,
    account_id: &str,
    filter: &ComponentFilter,
    limit: i64,
) -> Result<Found, AppError> {
    let Some(text) = filter.name_contains.as_deref() else {
        return Ok(Found::Unknown);
    };
    if text.chars().count() < SHORTEST {
        return Ok(Found::Unknown);
    }
    let first = match conn {
        DbConnection::Sqlite(c) => load!(
            c,
            Sqlite,
            window(false, account_id, filter, text, limit),
            ComponentSummary
        )?,
        DbConnection::Postgresql(c) => load!(
            c,
            Pg,
            window(true, account_id, filter, text, limit),
            ComponentSummary
        )?,
    };
    if i64::try_from(first.len()).unwrap_or(i64::MAX) >= limit {
        return Ok(Found::Page(first));
    }
    if first.len() >= DENSE {
        return Ok(Found::Unknown);
    }
    Ok(match conn {
        DbConnection::Sqlite(c) => {
            by_name_index(c, account_id, filter, text, limit)?.map_or(Found::Unknown, Found::Page)
        }
        DbConnection::Postgresql(c) => candidates(c, text)?.map_or(Found::Unknown, Found::Among),
    })
}

/// The first `limit` matches among the next [`WINDOW`] components in name order (the
/// filter's), deleted ones included in the count.
fn window(
    numbered: bool,
    account_id: &str,
    filter: &ComponentFilter,
    text: &str,
    limit: i64,
) -> Statement {
    let mut s = Statement::new(numbered);
    s.push(&format!(
        "SELECT {COLUMNS} FROM (SELECT {COLUMNS}, deleted_at FROM components WHERE"
    ))
    .filter("", account_id, filter)
    .push(&format!(
        " ORDER BY name_key {d}, id {d} LIMIT ",
        d = filter.direction()
    ))
    .bind(Value::Int(WINDOW))
    .push(") w WHERE deleted_at IS NULL AND name_key LIKE ")
    .text(&super::contains_pattern(text))
    .push(&format!(
        " ESCAPE '\\' ORDER BY name_key {d}, id {d} LIMIT ",
        d = filter.direction()
    ))
    .bind(Value::Int(limit));
    s
}

/// An FTS5 query for names holding `text` as it is (one quoted phrase: with the trigram
/// tokenizer, a phrase matches exactly the names that contain it).
fn phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The page through SQLite's trigram index, or `None` when more than [`MOST_CANDIDATES`] names
/// hold the text.
fn by_name_index(
    conn: &mut SqliteConnection,
    account_id: &str,
    filter: &ComponentFilter,
    text: &str,
    limit: i64,
) -> QueryResult<Option<Vec<ComponentSummary>>> {
    let mut count = Statement::new(false);
    count
        .push("SELECT count(*) AS n FROM (SELECT rowid FROM component_names WHERE name_key MATCH ")
        .text(&phrase(text))
        .push(" LIMIT ")
        .bind(Value::Int(MOST_CANDIDATES + 1))
        .push(")");
    let found = load!(conn, Sqlite, count, Count)?;
    if found.first().is_none_or(|c| c.n > MOST_CANDIDATES) {
        return Ok(None);
    }
    // CROSS JOIN keeps the index's matches as the outer loop: each is then checked against
    // the account and the filter, and the few left are sorted.
    let mut page = Statement::new(false);
    page.push(
        "SELECT c.id, c.component_type, c.name, c.name_key, c.folder_id, c.revision, \
         c.updated_at FROM component_names f \
         CROSS JOIN component_search_rows r ON r.row = f.rowid \
         CROSS JOIN components c ON c.id = r.component_id \
         WHERE f.name_key MATCH ",
    )
    .text(&phrase(text))
    .push(" AND c.deleted_at IS NULL AND")
    .filter("c.", account_id, filter)
    .push(&format!(
        " ORDER BY c.name_key {d}, c.id {d} LIMIT ",
        d = filter.direction()
    ))
    .bind(Value::Int(limit));
    load!(conn, Sqlite, page, ComponentSummary).map(Some)
}

/// The ids of the components whose name holds the text, through PostgreSQL's trigram index
/// (sequential scans are turned off for the statement, so that a wrong estimate of how many
/// names hold the text cannot make the planner read the whole table instead), or `None` when
/// there are more than [`MOST_CANDIDATES`].
fn candidates(conn: &mut PgConnection, text: &str) -> QueryResult<Option<Vec<String>>> {
    let pattern = super::contains_pattern(text);
    let ids = conn.transaction(|c| {
        diesel::sql_query("SET LOCAL enable_seqscan = off").execute(c)?;
        let mut s = Statement::new(true);
        s.push("SELECT id FROM components WHERE name_key LIKE ")
            .text(&pattern)
            .push(" ESCAPE '\\' LIMIT ")
            .bind(Value::Int(MOST_CANDIDATES + 1));
        let ids = load!(c, Pg, s, Id)?;
        // Back to the default at once, should this ever run inside a larger transaction.
        diesel::sql_query("SET LOCAL enable_seqscan = DEFAULT").execute(c)?;
        Ok::<_, diesel::result::Error>(ids)
    })?;
    if i64::try_from(ids.len()).unwrap_or(i64::MAX) > MOST_CANDIDATES {
        return Ok(None);
    }
    Ok(Some(ids.into_iter().map(|i| i.id).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::ids::*;

    #[test]
    fn a_phrase_quotes_the_text_as_it_is() {
        assert_eq!(phrase("step 2"), "\"step 2\"");
        assert_eq!(phrase("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn statements_number_their_placeholders_on_postgresql_only() {
        let filter = ComponentFilter {
            folder_id: Some(FolderId::from("f".to_owned())),
            after: Some(("k".to_owned(), "i".to_owned())),
            ..ComponentFilter::default()
        };
        let mut pg = Statement::new(true);
        pg.filter("c.", "a", &filter);
        assert_eq!(
            pg.sql,
            " c.account_id = $1 AND c.folder_id = $2 AND (c.name_key > $3 OR \
             (c.name_key = $4 AND c.id > $5))"
        );
        let mut sqlite = Statement::new(false);
        sqlite.filter("", "a", &filter);
        assert_eq!(
            sqlite.sql,
            " account_id = ? AND folder_id = ? AND (name_key > ? OR (name_key = ? AND id > ?))"
        );
        assert_eq!(sqlite.values.len(), 5);
    }
}
