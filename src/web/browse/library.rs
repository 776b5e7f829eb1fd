//! The library page: search, publisher filter, sort, one article per process, paged by key.

use actix_web::{HttpResponse, web};

use crate::db::ids::AccountId;
use askama::Template;
use chrono::NaiveDateTime;

use crate::db::browse::{Cursor, LibraryFilter, Sort};
use crate::domain::accounts::Privilege;
use crate::domain::build::Connector;
use crate::domain::tags::{CATEGORIES, MAX_TAG_LENGTH};
use crate::error::AppError;
use std::sync::Arc;

use crate::db::library::PublisherProfile;
use crate::services::browse::library::{self, Library, RenderedLibrary};
use crate::services::cache::Tagged;
use crate::web::page::{self, PageContext, Section, Select};
use crate::web::page_parts;
use crate::web::pairs::Pairs;
use crate::web::request::Request;

const PAGE_SIZE: usize = 20;

struct Card<'a> {
    id: &'a str,
    name: &'a str,
    published: String,
    /// "Version N · M components".
    facts: String,
    description: &'a str,
    installed: Option<i32>,
    /// The latest installation whose copy is still there: (installation, its root component).
    copy: Option<(&'a str, &'a str)>,
    update: bool,
    latest: i32,
    deprecated: bool,
    /// Published by the platform publisher.
    platform: bool,
    /// The account's own process (shown, not opened or installed, from here).
    own: bool,
}

/// The processes of a page, rendered once per model, filter and *Install* button (see
/// [`library::rendered`]).
#[derive(Template)]
#[template(path = "browse/cards.html", whitespace = "minimize")]
struct Cards<'a> {
    cards: Vec<Card<'a>>,
    can_install: bool,
    /// A partner's read-only preview: no links to the account's own pages.
    preview: bool,
}

/// Browse: the layout around what the page shows for its address (see [`LibraryMain`]).
#[derive(Template)]
#[template(path = "browse/library.html", whitespace = "minimize")]
struct LibraryPage {
    ctx: PageContext,
    /// Where the page's main part goes (sent as it is kept: see [`page_parts`]).
    main: &'static str,
}

/// What Browse shows inside the layout: everything it shows depends only on the rendered
/// page of the library and the query of its address, so it is made once for both (see
/// [`RenderedLibrary::shown`]).
#[derive(Template)]
#[template(path = "browse/library_main.html", whitespace = "minimize")]
struct LibraryMain {
    q: String,
    sort: Select,
    /// *Filter by Publisher*: (id, name, ticked, platform) of each publisher of the library.
    publishers: Vec<(String, String, bool, bool)>,
    show_deprecated: bool,
    empty: bool,
    /// The cards, rendered (HTML).
    cards: Arc<Tagged<RenderedLibrary>>,
    next: Option<String>,
    /// The page before this one, when there is one.
    prev: Option<String>,
    /// A primary account's own published processes, as its customers see them.
    own: bool,
    filtered: bool,
    /// Where the filters and the pager go.
    action: &'static str,
    /// A partner's preview of a managed account's library: (account id, account name).
    preview: Option<(String, String)>,
    /// *Category* and *Tags* facets: each value with its count and address.
    category_links: Vec<FacetLink>,
    tag_links: Vec<FacetLink>,
    connector_links: Vec<FacetLink>,
    connector_clear: Option<String>,
    /// The connector chosen (its code), kept by the search form.
    connector: Option<String>,
    /// The address without the category (or tag) chosen, when one is.
    category_clear: Option<String>,
    tag_clear: Option<String>,
    /// The category and the tag chosen, kept by the search form.
    category: Option<String>,
    tag_text: String,
}

/// A value of a facet, as a link narrowing the library to it.
struct FacetLink {
    label: String,
    count: usize,
    href: String,
    selected: bool,
}

/// Tags a page offers at most (the most used first).
const TAGS_SHOWN: usize = 20;

/// The name customers see for their partner.
fn publisher_name(profile: &PublisherProfile) -> &str {
    if profile.publisher_name.is_empty() {
        "Your partner"
    } else {
        &profile.publisher_name
    }
}

/// The cards of a page and the cursor after its last process when there are more.
fn render_cards(
    lib: &Library,
    sort: Sort,
    can_install: bool,
    preview: bool,
) -> (String, Option<String>, Option<String>) {
    let cards = lib
        .entries
        .iter()
        .map(|e| {
            let (by, platform) = if lib
                .platform
                .as_ref()
                .is_some_and(|(id, _)| e.process.account_id.as_str() == id)
            {
                (
                    lib.platform
                        .as_ref()
                        .map(|(_, p)| publisher_name(p))
                        .unwrap_or_default(),
                    true,
                )
            } else {
                (
                    lib.publisher
                        .as_ref()
                        .map(|(_, p)| publisher_name(p))
                        .unwrap_or_default(),
                    false,
                )
            };
            let own = lib.own && !platform;
            Card {
                published: format!(
                    "Published on {} by {by}",
                    crate::web::dates::day(&e.process.latest_published_at)
                ),
                facts: format!(
                    "Version {} · {}",
                    e.process.latest_sequence,
                    crate::domain::text::count(
                        usize::try_from(e.process.component_count).unwrap_or(0),
                        "component",
                        "components"
                    )
                ),
                update: e.installed.is_some_and(|v| v < e.process.latest_sequence),
                latest: e.process.latest_sequence,
                deprecated: e.process.is_deprecated(),
                installed: e.installed,
                copy: e
                    .copy
                    .as_ref()
                    .map(|(installation, root)| (installation.as_str(), root.as_str())),
                description: &e.process.description,
                name: &e.process.name,
                id: &e.process.id,
                platform,
                own,
            }
        })
        .collect();
    let html = Cards {
        cards,
        can_install,
        preview,
    }
    .render()
    .unwrap_or_default();
    let cursor = |e: &library::Entry| cursor_text(sort, e);
    let next = if lib.more {
        lib.entries.last().map(cursor)
    } else {
        None
    };
    let prev = if lib.earlier {
        lib.entries.first().map(cursor)
    } else {
        None
    };
    (html, next, prev)
}

/// Where a page starts after (or ends before) an entry, as the address carries it.
pub(crate) fn cursor_text(sort: Sort, entry: &library::Entry) -> String {
    let p = &entry.process;
    let key = match sort {
        Sort::Popular => format!("{}|{}", p.install_count, p.name_key),
        Sort::Date => p
            .latest_published_at
            .format("%Y-%m-%dT%H:%M:%S%.6f")
            .to_string(),
        Sort::Name => p.name_key.clone(),
    };
    format!("{key}~{}", p.id)
}

pub(crate) fn sort_of(code: &str) -> Sort {
    match code {
        "date" => Sort::Date,
        "name" => Sort::Name,
        _ => Sort::Popular,
    }
}

pub(crate) fn cursor_of(sort: Sort, text: &str) -> Option<Cursor> {
    let (key, id) = text.rsplit_once('~')?;
    Some(match sort {
        Sort::Popular => {
            let (count, name) = key.split_once('|')?;
            Cursor::Popular(count.parse().ok()?, name.to_owned(), id.to_owned())
        }
        Sort::Date => Cursor::Date(
            NaiveDateTime::parse_from_str(key, "%Y-%m-%dT%H:%M:%S%.f").ok()?,
            id.to_owned(),
        ),
        Sort::Name => Cursor::Name(key.to_owned(), id.to_owned()),
    })
}

/// The library of the signed-in account.
pub async fn page(
    req: Request,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    show(req, Pairs(query.into_inner()), None).await
}

/// *Preview Library As*: a managed account's library as its users see it, for its partner.
pub async fn preview(
    req: Request,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let query = Pairs(query.into_inner());
    let account = query.get("account").to_owned();
    if account.is_empty() {
        let accounts = req.run(library::preview_accounts).await?;
        let ctx = req
            .page(
                Section::Manage,
                "/manage/process-library",
                "Preview Library As",
            )
            .await?;
        let account = Select::new(
            "account",
            "Preview as account",
            accounts
                .into_iter()
                .map(|a| page::Choice::new(a.id.into_string(), a.name, false))
                .collect(),
        )
        .required();
        return page::ok(&ChoosePreview { ctx, account });
    }
    show(req, query, Some(account)).await
}

#[derive(Template)]
#[template(path = "browse/preview.html")]
struct ChoosePreview {
    ctx: PageContext,
    account: Select,
}

async fn show(
    req: Request,
    query: Pairs,
    preview: Option<String>,
) -> Result<HttpResponse, AppError> {
    let q: String = query.get("q").trim().chars().take(100).collect();
    let sort_code = match query.get("sort") {
        "date" | "name" => query.get("sort"),
        _ => "popular",
    };
    let sort = sort_of(sort_code);
    let chosen_publishers: Vec<&str> = query.all("publisher");
    let mut publishers: Vec<AccountId> = chosen_publishers
        .iter()
        .map(|p| AccountId::from((*p).to_owned()))
        .collect();
    publishers.sort();
    publishers.dedup();
    let show_deprecated = query.get("show_deprecated") == "on";
    let category: Option<String> = CATEGORIES
        .iter()
        .find(|c| **c == query.get("category"))
        .map(|c| (*c).to_owned());
    let tag_text: String = query
        .get("tag")
        .trim()
        .chars()
        .take(MAX_TAG_LENGTH)
        .collect();
    let tag = Some(crate::domain::validation::name_key(&tag_text)).filter(|t| !t.is_empty());
    let connector: Option<String> =
        Connector::from_code(query.get("connector")).map(|c| c.code().to_owned());
    let filter = LibraryFilter {
        text: Some(crate::domain::validation::name_key(&q)).filter(|t| !t.is_empty()),
        sort,
        after: cursor_of(sort, query.get("after")),
        before: cursor_of(sort, query.get("before")),
        show_deprecated,
        publishers,
        category: category.clone(),
        tag: tag.clone(),
        connector: connector.clone(),
    };
    // Browse shows what its rendered page and its address's query make (a preview's
    // rendered page is made afresh each time: nothing to keep it for).
    let memo = preview
        .is_none()
        .then(|| serde_urlencoded::to_string(&query.0).unwrap_or_default());
    let (preview, page) = match preview {
        None => {
            let can_install = req.may(Privilege::BuildWrite);
            let page = req
                .read(move |ctx| {
                    library::rendered(
                        ctx,
                        &filter,
                        PAGE_SIZE,
                        library::Rendering::Cards { can_install },
                        |lib| render_cards(lib, sort, can_install, false),
                    )
                })
                .await?;
            (None, page)
        }
        Some(account) => {
            let id = AccountId::from(account.clone());
            let (name, page) = req
                .run(move |ctx| {
                    library::preview(ctx, &id, &filter, PAGE_SIZE, |lib| {
                        render_cards(lib, sort, false, true)
                    })
                })
                .await?;
            (Some((account, name)), page)
        }
    };
    let main = match memo.as_deref().and_then(|key| page.shown(key)) {
        Some(main) => main,
        None => {
            let publishers: Vec<(String, String, bool, bool)> = page
                .publisher
                .iter()
                .map(|(id, profile)| (id, profile, false))
                .chain(
                    page.platform
                        .iter()
                        .map(|(id, profile)| (id, profile, true)),
                )
                .map(|(id, profile, platform)| {
                    (
                        id.clone(),
                        publisher_name(profile).to_owned(),
                        chosen_publishers.contains(&id.as_str()),
                        platform,
                    )
                })
                .collect();
            // The address of this page with its search and filters, but for `without` ("category",
            // "tag" or "" for none), and with `extra`.
            let address = |without: &str| {
                let mut pairs: Vec<(&str, &str)> = Vec::with_capacity(8);
                if let Some((account, _)) = &preview {
                    pairs.push(("account", account));
                }
                if !q.is_empty() {
                    pairs.push(("q", &q));
                }
                pairs.push(("sort", sort_code));
                pairs.extend(chosen_publishers.iter().map(|p| ("publisher", *p)));
                if show_deprecated {
                    pairs.push(("show_deprecated", "on"));
                }
                if without != "category"
                    && let Some(c) = &category
                {
                    pairs.push(("category", c));
                }
                if without != "tag" && !tag_text.is_empty() {
                    pairs.push(("tag", &tag_text));
                }
                if without != "connector"
                    && let Some(c) = &connector
                {
                    pairs.push(("connector", c));
                }
                serde_urlencoded::to_string(pairs).unwrap_or_default()
            };
            // An address of `address` with one more pair (it always holds the sort).
            let with = |base: &str, key: &str, value: &str| {
                format!(
                    "{base}&{}",
                    serde_urlencoded::to_string([(key, value)]).unwrap_or_default()
                )
            };
            let here = address("");
            let link = |direction: &str, cursor: &String| with(&here, direction, cursor);
            let (category_base, tag_base, connector_base) =
                (address("category"), address("tag"), address("connector"));
            let category_links: Vec<FacetLink> = page
                .facets
                .categories
                .iter()
                .map(|(name, count)| FacetLink {
                    selected: category.as_deref() == Some(name.as_str()),
                    href: with(&category_base, "category", name),
                    label: name.clone(),
                    count: *count,
                })
                .collect();
            let tag_links: Vec<FacetLink> = page
                .facets
                .tags
                .iter()
                .take(TAGS_SHOWN)
                .map(|(key, shown, count)| FacetLink {
                    selected: tag.as_deref() == Some(key.as_str()),
                    href: with(&tag_base, "tag", shown),
                    label: shown.clone(),
                    count: *count,
                })
                .collect();
            let connector_links: Vec<FacetLink> = page
                .facets
                .connectors
                .iter()
                .map(|(code, count)| FacetLink {
                    selected: connector.as_deref() == Some(code.as_str()),
                    href: with(&connector_base, "connector", code),
                    label: Connector::from_code(code)
                        .map_or_else(|| code.clone(), |c| c.label().to_owned()),
                    count: *count,
                })
                .collect();
            let connector_clear = connector.as_ref().map(|_| connector_base.clone());
            let category_clear = category.as_ref().map(|_| category_base.clone());
            let tag_clear = tag.as_ref().map(|_| tag_base.clone());
            let next = page.next.as_ref().map(|c| link("after", c));
            let prev = page.prev.as_ref().map(|c| link("before", c));
            let sort_select = Select::new(
                "sort",
                "Sort by",
                page::choices(
                    [
                        ("popular", "Most popular"),
                        ("date", "Published date"),
                        ("name", "Process name"),
                    ],
                    sort_code,
                ),
            );
            let main: Arc<str> = LibraryMain {
                action: if preview.is_some() {
                    "/manage/process-library/preview"
                } else {
                    "/build/library"
                },
                preview: preview.clone(),
                filtered: !q.is_empty()
                    || !chosen_publishers.is_empty()
                    || show_deprecated
                    || category.is_some()
                    || tag.is_some()
                    || connector.is_some(),
                category_links,
                tag_links,
                connector_links,
                connector_clear,
                connector,
                category_clear,
                tag_clear,
                category,
                tag_text,
                show_deprecated,
                q,
                sort: sort_select,
                own: page.own,
                publishers,
                empty: page.empty,
                cards: page.clone(),
                next,
                prev,
            }
            .render()
            .map_err(AppError::internal)?
            .into();
            if let Some(key) = &memo {
                page.keep_shown(key, main.clone());
            }
            main
        }
    };
    let ctx = match &preview {
        None => {
            req.page(Section::Build, "/build/library", "Process Library")
                .await?
        }
        Some((_, name)) => {
            req.page(
                Section::Manage,
                "/manage/process-library",
                &format!("Process Library of {name} (preview)"),
            )
            .await?
        }
    };
    page_parts::ok_around(
        &LibraryPage {
            ctx,
            main: page_parts::MARKER,
        },
        main,
    )
}
