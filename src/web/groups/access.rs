//! A group's Access Control: its accounts (with the Add Accounts chooser) and its users.

use crate::db::ids::*;
use std::sync::Arc;

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::HERE;
use crate::db::accounts::Account;
use crate::db::seek::Seek;
use crate::domain::accounts::BuiltInRole;
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::cache::Tagged;
use crate::services::groups::{self, GroupPage};
use crate::web::confirm::{self, Confirm};
use crate::web::csrf::Form;
use crate::web::page::{self, Choice, Field, PageContext, Section, Select};
use crate::web::pairs::Pairs;
use crate::web::request::{Redirect, Request};

const MEMBERS_PAGE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    after: String,
    #[serde(default)]
    before: String,
}

#[derive(Template)]
#[template(path = "groups/access.html")]
pub struct AccessPage {
    ctx: PageContext,
    data: Arc<Tagged<GroupPage>>,
    rename: Field,
    email: Field,
    role: Select,
    /// The members' pages before and after this one (query strings).
    prev: Option<String>,
    next: Option<String>,
}

async fn load(
    req: &Request,
    id: String,
    seek: Seek<String>,
) -> Result<Arc<Tagged<GroupPage>>, AppError> {
    req.read(move |ctx| {
        groups::page(
            ctx,
            &GroupId::from(&id),
            seek.as_ref().map(String::as_str),
            MEMBERS_PAGE,
        )
    })
    .await
}

async fn render(
    req: &Request,
    data: Arc<Tagged<GroupPage>>,
    form: &Pairs,
    errors: &FieldErrors,
    rename: Option<&str>,
) -> Result<AccessPage, AppError> {
    let chosen = if form.get("role").is_empty() {
        BuiltInRole::StandardUser.id()
    } else {
        form.get("role")
    };
    let role = Select::new(
        "role",
        "Role",
        data.roles
            .iter()
            .map(|r| Choice::new(r.id.clone(), r.name.clone(), r.id == chosen))
            .collect(),
    )
    .required()
    .error(errors, "role");
    let link = |direction: &str, key: &str| {
        serde_urlencoded::to_string([(direction, key)]).unwrap_or_default()
    };
    let next = data
        .members
        .last()
        .filter(|_| data.later_members)
        .map(|m| link("after", &m.name_key));
    let prev = data
        .members
        .first()
        .filter(|_| data.earlier_members)
        .map(|m| link("before", &m.name_key));
    Ok(AccessPage {
        ctx: req.page(Section::Settings, HERE, &data.group.name).await?,
        rename: Field::text("name", "Group Name")
            .required()
            .with(rename.unwrap_or(&data.group.name), errors),
        email: Field::text("email", "Email")
            .kind("email")
            .required()
            .with(form.get("email"), errors),
        role,
        prev,
        next,
        data,
    })
}

pub async fn page(
    req: Request,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let seek = Seek::from_params(
        Some(query.after).filter(|a| !a.is_empty()),
        Some(query.before).filter(|b| !b.is_empty()),
    );
    let data = load(&req, path.into_inner(), seek).await?;
    page::ok(&render(&req, data, &Pairs::default(), &FieldErrors::new(), None).await?)
}

/// The Access Control page again with errors beside the fields.
pub async fn page_with_errors(
    req: &Request,
    id: String,
    errors: &FieldErrors,
    rename: &str,
) -> Result<AccessPage, AppError> {
    let data = load(req, id, Seek::First).await?;
    render(req, data, &Pairs::default(), errors, Some(rename)).await
}

pub async fn remove_account(
    req: Request,
    path: web::Path<(String, String)>,
    _form: Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (id, account) = path.into_inner();
    let target = id.clone();
    req.act(move |ctx| {
        let name = groups::remove_member(ctx, &GroupId::from(&target), &AccountId::from(&account))?;
        Ok(
            Redirect::to(format!("{HERE}/{target}"))
                .with(format!("{name} removed from the group.")),
        )
    })
    .await
}

pub async fn add_user(
    req: Request,
    path: web::Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let form = Pairs(pairs);
    let (target, email, role) = (
        id.clone(),
        form.get("email").to_owned(),
        form.get("role").to_owned(),
    );
    req.submit(
        move |ctx| {
            groups::add_user(ctx, &GroupId::from(&target), &email, &RoleId::from(&role))?;
            Ok(Redirect::to(format!("{HERE}/{target}"))
                .with(format!("{} added to the group.", email.trim())))
        },
        async |errors| {
            let data = load(&req, id, Seek::First).await?;
            render(&req, data, &form, &errors, None).await
        },
    )
    .await
}

pub async fn remove_user(
    req: Request,
    path: web::Path<(String, String)>,
    _form: Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (id, user) = path.into_inner();
    let target = id.clone();
    req.act(move |ctx| {
        let email = groups::remove_user(ctx, &GroupId::from(&target), &UserId::from(&user))?;
        Ok(Redirect::to(format!("{HERE}/{target}"))
            .with(format!("{email} removed from the group.")))
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct ChooserQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    after: String,
}

#[derive(Template)]
#[template(path = "groups/accounts_chooser.html")]
struct ChooserPage {
    ctx: PageContext,
    id: String,
    group_name: String,
    q: String,
    accounts: Vec<Account>,
    next: Option<String>,
    error: Option<String>,
}

const CHOOSER_PAGE: i64 = 100;

async fn chooser_page(
    req: &Request,
    id: String,
    q: String,
    after: String,
    error: Option<String>,
) -> Result<ChooserPage, AppError> {
    let (target, search, from) = (
        id.clone(),
        crate::domain::validation::name_key(&q),
        after.clone(),
    );
    let (group, mut accounts) = req
        .run(move |ctx| {
            let search = Some(search.as_str()).filter(|s| !s.is_empty());
            let from = Some(from.as_str()).filter(|s| !s.is_empty());
            groups::member_candidates(ctx, &GroupId::from(&target), search, from, CHOOSER_PAGE + 1)
        })
        .await?;
    let next = if accounts.len() as i64 > CHOOSER_PAGE {
        accounts.truncate(CHOOSER_PAGE as usize);
        accounts.last().map(|a| {
            serde_urlencoded::to_string([("q", q.as_str()), ("after", a.name_key.as_str())])
                .unwrap_or_default()
        })
    } else {
        None
    };
    Ok(ChooserPage {
        ctx: req.page(Section::Settings, HERE, "Add Accounts").await?,
        id,
        group_name: group.name,
        q,
        accounts,
        next,
        error,
    })
}

pub async fn chooser(
    req: Request,
    path: web::Path<String>,
    query: web::Query<ChooserQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let q: String = query.q.chars().take(100).collect();
    page::ok(&chooser_page(&req, path.into_inner(), q, query.after, None).await?)
}

pub async fn add_accounts(
    req: Request,
    path: web::Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let form = Pairs(pairs);
    let chosen: Vec<AccountId> = form
        .all("account")
        .into_iter()
        .take(1000)
        .map(AccountId::from)
        .collect();
    let target = id.clone();
    req.submit(
        move |ctx| {
            let n = groups::add_members(ctx, &GroupId::from(&target), &chosen)?;
            Ok(Redirect::to(format!("{HERE}/{target}")).with(format!(
                "{} added to the group.",
                page::count(n, "account", "accounts")
            )))
        },
        async |errors| {
            let error = errors.get("accounts").map(str::to_owned);
            chooser_page(&req, id, form.get("q").to_owned(), String::new(), error).await
        },
    )
    .await
}

/// Asks before removing an account from a group.
pub async fn remove_account_form(
    req: Request,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, account) = path.into_inner();
    let (group_id, account_id) = (GroupId::from(&id), AccountId::from(&account));
    let (group, name) = req
        .run(move |ctx| groups::member(ctx, &group_id, &account_id))
        .await?;
    confirm::page(
        &req,
        Confirm {
            section: Section::Settings,
            current: HERE,
            title: format!("Remove {name} from {}", group.name),
            what: format!(
                "{name} will no longer be in the group {}: its users stop seeing the group's processes (copies they installed stay theirs) and the group's users lose their roles there.",
                group.name
            ),
            action: format!("{HERE}/{id}/accounts/{account}/remove"),
            button: "Remove",
            cancel: format!("{HERE}/{id}"),
        },
    )
    .await
}

/// Asks before removing a user from a group.
pub async fn remove_user_form(
    req: Request,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, user) = path.into_inner();
    let (group_id, user_id) = (GroupId::from(&id), UserId::from(&user));
    let (group, email, _, _) = req
        .run(move |ctx| groups::group_user_role(ctx, &group_id, &user_id))
        .await?;
    confirm::page(
        &req,
        Confirm {
            section: Section::Settings,
            current: HERE,
            title: format!("Remove {email} from {}", group.name),
            what: format!(
                "{email} will lose the role the group gave them in each of its accounts.",
            ),
            action: format!("{HERE}/{id}/users/{user}/remove"),
            button: "Remove",
            cancel: format!("{HERE}/{id}"),
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "groups/user_role.html")]
struct UserRolePage {
    ctx: PageContext,
    action: String,
    cancel: String,
    role: Select,
}

async fn user_role_page(
    req: &Request,
    id: String,
    user: String,
    chosen: Option<&str>,
    errors: &FieldErrors,
) -> Result<UserRolePage, AppError> {
    let (group_id, user_id) = (GroupId::from(&id), UserId::from(&user));
    let (group, email, held, roles) = req
        .run(move |ctx| groups::group_user_role(ctx, &group_id, &user_id))
        .await?;
    let chosen = chosen.unwrap_or(held.as_str()).to_owned();
    let role = Select::new(
        "role",
        "Role",
        roles
            .iter()
            .map(|r| Choice::new(r.id.clone(), r.name.clone(), r.id == chosen))
            .collect(),
    )
    .required()
    .help("The role this user holds in every account of the group.")
    .error(errors, "role");
    Ok(UserRolePage {
        ctx: req
            .page(
                Section::Settings,
                HERE,
                &format!("Change Role of {email} in {}", group.name),
            )
            .await?,
        action: format!("{HERE}/{id}/users/{user}/role"),
        cancel: format!("{HERE}/{id}"),
        role,
    })
}

/// *Change Role* of a user in a group.
pub async fn user_role_form(
    req: Request,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, user) = path.into_inner();
    page::ok(&user_role_page(&req, id, user, None, &FieldErrors::new()).await?)
}

pub async fn change_user_role(
    req: Request,
    path: web::Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (id, user) = path.into_inner();
    let form = Pairs(pairs);
    let role = form.get("role").to_owned();
    let (target, who, sent) = (id.clone(), user.clone(), role.clone());
    req.submit(
        move |ctx| {
            let (email, name) = groups::change_user_role(
                ctx,
                &GroupId::from(&target),
                &UserId::from(&who),
                &RoleId::from(&sent),
            )?;
            Ok(Redirect::to(format!("{HERE}/{target}")).with(format!(
                "{email} now holds {name} in every account of the group."
            )))
        },
        async |errors| user_role_page(&req, id, user, Some(&role), &errors).await,
    )
    .await
}
