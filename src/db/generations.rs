//! Data generations: values that database triggers move, in the same transaction, with every
//! change to what instances cache in memory. They are kept per *scope*, so that a change moves
//! only what it can change (see [`Scope`]): another partner's writes never touch a customer's
//! caches, and a customer's new folder leaves its library alone. Every move takes the next
//! value of one clock, so a scope's value only grows and is the clock at its last change; a
//! cached value built when its scopes stood at `g` is current while they still stand at `g`.
//! A request reads the scopes of its user and account with its session, in the same statement,
//! through the view `session_generations` ([`session_columns`]).

use diesel::prelude::*;

use super::DbConnection;
use super::schema::{generations, session_generations};
use crate::error::AppError;

/// What a change can move. A *family* is a primary account with its managed accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// `u:USER`: a user's memberships (their roles and group places, in any family).
    User,
    /// `p:FAMILY`: the family's people and structure (accounts, roles, memberships, groups);
    /// `p:*` for the built-in roles, which belong to no account and every user's access reads.
    People,
    /// `l:FAMILY`: the family's library (published processes, publications, the publisher,
    /// groups, their members and resources).
    Library,
    /// `i:ACCOUNT`: an account's installations.
    Installs,
    /// `a:ACCOUNT`: an account's folders and components.
    Content,
}

impl Scope {
    /// The prefix of the scope's rows in the `generations` table.
    pub fn prefix(self) -> &'static str {
        match self {
            Self::User => "u",
            Self::People => "p",
            Self::Library => "l",
            Self::Installs => "i",
            Self::Content => "a",
        }
    }
}

/// What a cache's values are built from, named by the generations that must not have moved
/// for a value to stay current.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depends {
    /// A user's access in an account: their memberships and every family they belong to.
    People,
    /// An account's library as its users browse it: its family's library and its own
    /// installations.
    Library,
    /// An account's folders and components.
    Content,
    /// A partner's packaged processes: its library and its own components.
    Packaged,
    /// A partner's account groups: its people and its library.
    Groups,
    /// Every scope: the generations a session or a token reads are themselves kept, per user
    /// and account, while the clock stands still. None of a request's generations names it.
    Clock,
}

/// The generations a request read with its session. `None` where they could not be read or do
/// not belong to the account the request acts in: then nothing that depends on them is
/// cached.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Generations {
    /// The user's scope and the people of every family they belong to (the greatest).
    pub people: Option<i64>,
    /// The people of the current account's family.
    pub family_people: Option<i64>,
    /// The library of the current account's family.
    pub library: Option<i64>,
    /// The current account's installations.
    pub installs: Option<i64>,
    /// The current account's folders and components.
    pub content: Option<i64>,
}

fn greatest(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    Some(a?.max(b?))
}

impl Generations {
    /// Nothing known: nothing is cached.
    pub fn none() -> Self {
        Self::default()
    }

    /// Every scope as the clock: at least as recent as any of them (for work outside a
    /// session, such as a benchmark's readers).
    pub fn all(clock: i64) -> Self {
        Self {
            people: Some(clock),
            family_people: Some(clock),
            library: Some(clock),
            installs: Some(clock),
            content: Some(clock),
        }
    }

    /// The same user in another account than the one the generations were read for: only
    /// the user's own generation still holds.
    pub fn for_another_account(self) -> Self {
        Self {
            people: self.people,
            ..Self::none()
        }
    }

    /// The generation a value depending on `depends` was built at, or must be as recent as.
    pub fn of(&self, depends: Depends) -> Option<i64> {
        match depends {
            Depends::People => self.people,
            Depends::Library => greatest(self.library, self.installs),
            Depends::Content => self.content,
            Depends::Packaged => greatest(self.library, self.content),
            Depends::Groups => greatest(self.family_people, self.library),
            Depends::Clock => None,
        }
    }
}

/// The scope of the clock: every move of any scope moves it in the same transaction, so while
/// it stands still, nothing cached anywhere went out of date.
pub const CLOCK: &str = "*";

/// The clock as committed now: at least as recent as every scope.
pub fn current(conn: &mut DbConnection) -> Result<i64, AppError> {
    Ok(generations::table
        .find(CLOCK)
        .select(generations::value)
        .first(conn)?)
}

/// The columns of the `session_generations` view to select with a row of `sessions` (joined
/// on its key), in the order of [`Generations`]' fields (see [`from_columns`]).
#[allow(clippy::type_complexity)]
pub fn session_columns() -> (
    session_generations::people,
    session_generations::family_people,
    session_generations::library,
    session_generations::installs,
    session_generations::content,
) {
    (
        session_generations::people,
        session_generations::family_people,
        session_generations::library,
        session_generations::installs,
        session_generations::content,
    )
}

/// The five columns of [`session_columns`], as read.
pub type Columns = (
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

/// [`Generations`] from the columns of [`session_columns`] (a session without a user has no
/// people generation).
pub fn from_columns(columns: Columns, signed_in: bool) -> Generations {
    let (people, family_people, library, installs, content) = columns;
    Generations {
        people: people.filter(|_| signed_in),
        family_people,
        library,
        installs,
        content,
    }
}

/// The tables whose every insert, update and delete moves generations (by triggers, on both
/// backends), each with the scopes a change of one of its rows moves: everything an instance
/// caches is built from these.
pub const TRACKED: &[(&str, &[Scope])] = &[
    ("accounts", &[Scope::People, Scope::Library]),
    ("roles", &[Scope::People]),
    ("user_roles", &[Scope::People, Scope::User]),
    ("account_groups", &[Scope::People, Scope::Library]),
    ("group_members", &[Scope::People, Scope::Library]),
    ("group_users", &[Scope::People, Scope::User]),
    ("group_resources", &[Scope::Library]),
    ("published_processes", &[Scope::Library]),
    ("publications", &[Scope::Library]),
    ("publisher_profiles", &[Scope::Library]),
    ("installations", &[Scope::Installs]),
    ("folders", &[Scope::Content]),
    ("components", &[Scope::Content]),
];

/// The tables that move no generation, each with the reason no cache depends on its changes.
/// A new table must join one of the two lists (a test fails otherwise).
pub const UNTRACKED: &[(&str, &str)] = &[
    (
        "users",
        "caches hold a user's e-mail and name, which never change; password changes end sessions",
    ),
    (
        "data_migrations",
        "written once per one-off migration at start-up, never cached",
    ),
    (
        "invitations",
        "read from the database on the Users and Account Information pages; accepting one writes user_roles",
    ),
    (
        "sessions",
        "read with the generation on every request, never cached",
    ),
    (
        "audit_events",
        "read from the database on each Audit Log page",
    ),
    (
        "component_revisions",
        "a component's history is read on its page; saving a revision also updates the component",
    ),
    (
        "component_refs",
        "written with the component whose body holds the references",
    ),
    (
        "packages",
        "Deploy pages read them; packaging updates the component's shareable flag",
    ),
    (
        "package_components",
        "a manifest never changes once written (cached without a generation)",
    ),
    (
        "installed_components",
        "written in the transaction of their installation",
    ),
    ("generations", "the generations themselves"),
    (
        "import_identities",
        "written and read only by import and export at the command line",
    ),
    (
        "api_tokens",
        "read from the database with every API request and on the API Tokens page, never cached",
    ),
    (
        "integration_packs",
        "read from the database on each Integration Packs page",
    ),
    ("pack_members", "read from the database on each pack's page"),
    (
        "pack_releases",
        "read from the database on each pack's page and a customer's Integration Packs",
    ),
    (
        "pack_release_items",
        "written once with their release, read from the database",
    ),
    (
        "pack_instances",
        "read from the database on a customer's Integration Packs and instance pages; installing writes installations",
    ),
    (
        "group_packs",
        "read from the database on the group's Resources and a customer's Integration Packs",
    ),
    (
        "jobs",
        "background work, read from the database by workers and on each job's page",
    ),
    (
        "job_items",
        "written with their job's work, read on the job's page",
    ),
    (
        "component_search_rows",
        "SQLite's row numbers of the name search index, kept by triggers on components",
    ),
    (
        "component_names",
        "SQLite's search index of component names (with its own tables), kept by triggers",
    ),
];
