//! The library page: search, publisher filter, sort, one article per process, paged by key.

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;

use crate::db::browse::{Cursor, LibraryFilter, Sort};
use crate::domain::accounts::Privilege;
use crate::error::AppError;
use crate::services::browse::library::{self, Library};
use crate::web::page::{self, PageContext, Section, Select};
use crate::web::pairs::Pairs;
use crate::web::request::Request;

const PAGE_SIZE: usize = 20;

struct Card<'a> {
    id: &'a str,
    name: &'a str,
    published: String,
    description: &'a str,
    installed: Option<i32>,
    update: bool,
    latest: i32,
}

#[derive(Template)]
#[template(path = "browse/library.html")]
struct LibraryPage<'a> {
    ctx: PageContext,
    q: String,
    sort: Select,
    publisher: Option<(String, String, bool)>,
    cards: Vec<Card<'a>>,
    next: Option<String>,
    is_primary: bool,
    can_install: bool,
    filtered: bool,
}

fn sort_of(code: &str) -> Sort {
    match code {
        "date" => Sort::Date,
        "name" => Sort::Name,
        _ => Sort::Popular,
    }
}

fn cursor_of(sort: Sort, text: &str) -> Option<Cursor> {
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

pub async fn page(
    req: Request,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let query = Pairs(query.into_inner());
    let q: String = query.get("q").trim().chars().take(100).collect();
    let sort_code = match query.get("sort") {
        "date" | "name" => query.get("sort"),
        _ => "popular",
    };
    let sort = sort_of(sort_code);
    let chosen_publishers: Vec<&str> = query.all("publisher");
    let filter = LibraryFilter {
        text: Some(crate::domain::validation::name_key(&q)).filter(|t| !t.is_empty()),
        sort,
        after: cursor_of(sort, query.get("after")),
    };
    let lib: Library = req
        .read(move |ctx| library::library(ctx, &filter, PAGE_SIZE))
        .await?;
    let (publisher, excluded) = match &lib.publisher {
        Some((id, profile)) => {
            let checked = chosen_publishers.is_empty() || chosen_publishers.contains(&id.as_str());
            let name = if profile.publisher_name.is_empty() {
                "Your partner".to_owned()
            } else {
                profile.publisher_name.clone()
            };
            (
                Some((id.clone(), name, !chosen_publishers.is_empty() && checked)),
                !checked,
            )
        }
        None => (None, false),
    };
    let publisher_name = publisher
        .as_ref()
        .map(|(_, n, _)| n.clone())
        .unwrap_or_default();
    let entries = if excluded { Vec::new() } else { lib.entries };
    let next = if lib.more && !excluded {
        entries.last().map(|e| {
            let p = &e.process;
            let key = match sort {
                Sort::Popular => format!("{}|{}", p.install_count, p.name_key),
                Sort::Date => p
                    .latest_published_at
                    .format("%Y-%m-%dT%H:%M:%S%.6f")
                    .to_string(),
                Sort::Name => p.name_key.clone(),
            };
            let mut pairs = vec![("q", q.clone()), ("sort", sort_code.to_owned())];
            pairs.extend(
                chosen_publishers
                    .iter()
                    .map(|p| ("publisher", (*p).to_owned())),
            );
            pairs.push(("after", format!("{key}~{}", p.id)));
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        })
    } else {
        None
    };
    let cards = entries
        .iter()
        .map(|e| Card {
            published: format!(
                "Published on {} by {publisher_name}",
                crate::web::dates::long_date(&e.process.latest_published_at)
            ),
            update: e.installed.is_some_and(|v| v < e.process.latest_sequence),
            latest: e.process.latest_sequence,
            installed: e.installed,
            description: &e.process.description,
            name: &e.process.name,
            id: &e.process.id,
        })
        .collect();
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
    let ctx = req
        .page(Section::Build, "/build/library", "Process Library")
        .await?;
    page::ok(&LibraryPage {
        ctx,
        filtered: !q.is_empty() || excluded,
        q,
        sort: sort_select,
        is_primary: lib.publisher.is_none(),
        publisher,
        cards,
        next,
        can_install: req.may(Privilege::BuildWrite),
    })
}
