//! What every page shares: the layout context (user, account, menus, flash, CSRF token),
//! form fields with their errors, and the helpers that turn a template into a response.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use crate::domain::accounts::{AccountKind, Privilege};
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::LibraryAccess;
use crate::web::session::Actor;

/// A link of a menu.
#[derive(Debug, Clone)]
pub struct NavLink {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// An account in the switcher.
#[derive(Debug, Clone)]
pub struct AccountOption {
    pub id: String,
    pub name: String,
    pub selected: bool,
}

/// A message shown once after a redirect: `status` or `alert`.
#[derive(Debug, Clone)]
pub struct Flash {
    pub kind: String,
    pub message: String,
}

/// The parts of the product the main menu names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Build,
    Deploy,
    Manage,
    Settings,
}

/// The layout's data.
#[derive(Debug, Clone, Default)]
pub struct PageContext {
    pub title: String,
    pub signed_in: bool,
    pub user_name: String,
    pub user_email: String,
    pub account_name: String,
    pub account_kind: String,
    pub accounts: Vec<AccountOption>,
    /// More accounts are reachable than the switcher lists.
    pub more_accounts: bool,
    pub main_nav: Vec<NavLink>,
    pub section_label: &'static str,
    pub section_nav: Vec<NavLink>,
    pub flash: Option<Flash>,
    pub csrf: String,
    /// The errors of a form shown again, for the summary at the top of the page (field name,
    /// message); the title then starts "Error: ".
    pub errors: Vec<(String, String)>,
}

impl PageContext {
    /// The same page with the summary of a refused form's errors.
    pub fn with_errors(mut self, errors: &FieldErrors) -> Self {
        self.errors = summary_of(errors);
        self
    }

    /// An error page in a signed-in user's layout: the main menu with no section marked.
    pub fn for_error(actor: &Actor, title: &str) -> Self {
        let mut page = Self::signed_in(actor, Section::Build, "", title, None);
        for link in &mut page.main_nav {
            link.current = false;
        }
        page.section_label = "";
        page.section_nav.clear();
        page
    }

    /// A page for someone not signed in.
    pub fn anonymous(title: &str, csrf: &str, flash: Option<Flash>) -> Self {
        Self {
            title: title.to_owned(),
            csrf: csrf.to_owned(),
            flash,
            ..Self::default()
        }
    }

    /// A signed-in user's page outside any account (a user whose only memberships are
    /// pending invitations): no menus, no switcher, only who they are and Sign out.
    pub fn personal(
        name: &str,
        email: &str,
        title: &str,
        csrf: &str,
        flash: Option<Flash>,
    ) -> Self {
        Self {
            title: title.to_owned(),
            signed_in: true,
            user_name: name.to_owned(),
            user_email: email.to_owned(),
            csrf: csrf.to_owned(),
            flash,
            ..Self::default()
        }
    }

    /// A signed-in page of a section; `current` is the href of the section link to mark.
    pub fn signed_in(
        actor: &Actor,
        section: Section,
        current: &str,
        title: &str,
        flash: Option<Flash>,
    ) -> Self {
        let access = &actor.access;
        let p = access.privileges;
        let main: [(Section, &'static str, &'static str, bool); 4] = [
            (
                Section::Build,
                "/build",
                "Build",
                p.has(Privilege::BuildRead),
            ),
            (
                Section::Deploy,
                "/deploy",
                "Deploy",
                p.has(Privilege::BuildRead),
            ),
            (
                Section::Manage,
                "/manage",
                "Manage",
                p.has(Privilege::BuildRead),
            ),
            (Section::Settings, "/settings", "Settings", true),
        ];
        let main_nav = main
            .into_iter()
            .filter(|(_, _, _, shown)| *shown)
            .map(|(s, href, label, _)| NavLink {
                href,
                label,
                current: s == section,
            })
            .collect();
        let (section_label, links) = section_links(actor, section);
        let section_nav = links
            .into_iter()
            .map(|(href, label)| NavLink {
                href,
                label,
                current: href == current,
            })
            .collect();
        Self {
            title: title.to_owned(),
            signed_in: true,
            user_name: actor.user.name.clone(),
            user_email: actor.user.email.clone(),
            account_name: access.current.name.clone(),
            account_kind: access.kind.label().to_owned(),
            accounts: switcher_options(access),
            more_accounts: access.more_accounts,
            main_nav,
            section_label,
            section_nav,
            flash,
            csrf: actor.loaded.session.csrf_token.clone(),
            errors: Vec::new(),
        }
    }
}

/// The switcher's options: the listed accounts, with the current one always among them.
fn switcher_options(access: &crate::services::accounts::Access) -> Vec<AccountOption> {
    let mut options: Vec<AccountOption> = access
        .accounts
        .iter()
        .map(|a| AccountOption {
            id: a.id.clone().into_string(),
            name: a.name.clone(),
            selected: a.id == access.current.id,
        })
        .collect();
    if !options.iter().any(|o| o.selected) {
        options.insert(
            0,
            AccountOption {
                id: access.current.id.clone().into_string(),
                name: access.current.name.clone(),
                selected: true,
            },
        );
    }
    options
}

/// The links of a section's own menu, as the current account's privileges allow.
fn section_links(
    actor: &Actor,
    section: Section,
) -> (&'static str, Vec<(&'static str, &'static str)>) {
    let access = &actor.access;
    let p = access.privileges;
    let primary = access.kind == AccountKind::Primary;
    let library = actor.caller.library_access() == LibraryAccess::Open;
    let mut links = Vec::new();
    let label = match section {
        Section::Build => {
            links.push(("/build", "Components"));
            links.push(("/build/library", "Process Library"));
            "Build"
        }
        Section::Deploy => {
            links.push(("/deploy", "Packaged Components"));
            "Deploy"
        }
        Section::Manage => {
            links.push(("/manage", "Overview"));
            if library {
                links.push(("/manage/process-library", "Process Library"));
            }
            if matches!(
                actor.caller.packs_access(),
                LibraryAccess::Open | LibraryAccess::ManagedAccount
            ) {
                links.push(("/manage/integration-packs", "Integration Packs"));
            }
            "Manage"
        }
        Section::Settings => {
            links.push(("/settings", "Account Information"));
            if library {
                links.push(("/settings/publisher", "Publisher"));
            }
            if primary && p.has(Privilege::AccountAdministration) {
                links.push(("/settings/accounts", "Accounts"));
            }
            if p.has(Privilege::UserManagement) {
                links.push(("/settings/users", "Users"));
                links.push(("/settings/roles", "Roles"));
            }
            if primary && p.has(Privilege::AccountGroupManagement) {
                links.push(("/settings/groups", "Account Groups"));
            }
            if p.has(Privilege::ViewAuditLogs) {
                links.push(("/settings/audit", "Audit Log"));
            }
            links.push(("/settings/api-tokens", "API Tokens"));
            links.push(("/settings/password", "Change Password"));
            "Settings"
        }
    };
    (label, links)
}

/// One input of a form, with its error beside it.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: &'static str,
    pub value: String,
    pub error: Option<String>,
    pub required: bool,
    pub help: Option<&'static str>,
    pub autocomplete: &'static str,
    pub maxlength: usize,
}

impl Field {
    pub fn text(name: &'static str, label: &'static str) -> Self {
        Self {
            name,
            label,
            kind: "text",
            value: String::new(),
            error: None,
            required: false,
            help: None,
            autocomplete: "off",
            maxlength: 100,
        }
    }

    pub fn kind(mut self, kind: &'static str) -> Self {
        self.kind = kind;
        if kind == "email" {
            self.maxlength = 254;
        }
        self
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn help(mut self, help: &'static str) -> Self {
        self.help = Some(help);
        self
    }

    pub fn autocomplete(mut self, value: &'static str) -> Self {
        self.autocomplete = value;
        self
    }

    pub fn maxlength(mut self, max: usize) -> Self {
        self.maxlength = max;
        self
    }

    /// Fills the value (never for passwords) and the error from a failed submission.
    pub fn with(mut self, value: &str, errors: &FieldErrors) -> Self {
        if self.kind != "password" {
            self.value = value.to_owned();
        }
        self.error = errors.get(self.name).map(str::to_owned);
        self
    }

    /// The ids the input is described by: its help and its error.
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if self.help.is_some() {
            ids.push(format!("f-{}-help", self.name));
        }
        if self.error.is_some() {
            ids.push(format!("f-{}-error", self.name));
        }
        ids.join(" ")
    }
}

/// An option of a select.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>, selected: bool) -> Self {
        Self {
            value: value.into(),
            label: label.into(),
            selected,
        }
    }
}

/// A select with its label, options and error.
#[derive(Debug, Clone)]
pub struct Select {
    pub name: String,
    pub label: String,
    pub options: Vec<Choice>,
    pub error: Option<String>,
    pub required: bool,
    /// The text of an empty first option ("None"), when the select is optional.
    pub empty: Option<&'static str>,
    pub help: Option<&'static str>,
}

impl Select {
    pub fn new(name: impl Into<String>, label: impl Into<String>, options: Vec<Choice>) -> Self {
        Self {
            name: name.into(),
            label: label.into(),
            options,
            error: None,
            required: false,
            empty: None,
            help: None,
        }
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// Whether an option is chosen (a required select with none chosen pre-selects its first
    /// real option, after the empty placeholder the HTML checker asks for).
    pub fn any_selected(&self) -> bool {
        self.options.iter().any(|o| o.selected)
    }

    pub fn optional(mut self, empty: &'static str) -> Self {
        self.empty = Some(empty);
        self
    }

    pub fn help(mut self, help: &'static str) -> Self {
        self.help = Some(help);
        self
    }

    pub fn error(mut self, errors: &FieldErrors, field: &str) -> Self {
        self.error = errors.get(field).map(str::to_owned);
        self
    }

    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if self.help.is_some() {
            ids.push(format!("f-{}-help", self.name));
        }
        if self.error.is_some() {
            ids.push(format!("f-{}-error", self.name));
        }
        ids.join(" ")
    }
}

/// Options from (value, label) pairs with one selected value.
pub fn choices<'a>(
    items: impl IntoIterator<Item = (&'a str, &'a str)>,
    selected: &str,
) -> Vec<Choice> {
    items
        .into_iter()
        .map(|(value, label)| Choice::new(value, label, value == selected))
        .collect()
}

pub use crate::domain::text::count;

/// Renders a template with a status.
pub fn render<T: Template>(status: StatusCode, page: &T) -> Result<HttpResponse, AppError> {
    // Room for a typical list page up front: growing the buffer by doubling copies it again
    // each time.
    let mut body = String::with_capacity(T::SIZE_HINT.max(RENDER_CAPACITY));
    page.render_into(&mut body).map_err(AppError::internal)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

/// The buffer a page is rendered into starts at this size.
const RENDER_CAPACITY: usize = 48 * 1024;

/// 200 with the page.
pub fn ok<T: Template>(page: &T) -> Result<HttpResponse, AppError> {
    render(StatusCode::OK, page)
}

/// 303 to another page.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", location))
        .finish()
}

/// A refused form's errors as the summary lists them: each field once, in the form's order.
pub fn summary_of(errors: &FieldErrors) -> Vec<(String, String)> {
    errors
        .iter()
        .map(|(field, message)| (field.to_owned(), message.to_owned()))
        .collect()
}
