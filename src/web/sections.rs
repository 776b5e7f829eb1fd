//! The landing pages of the Build, Deploy and Manage sections.

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::app::AppState;
use crate::domain::accounts::{AccountKind, Feature, Privilege};
use crate::error::AppError;
use crate::web::page::{self, PageContext, Section};
use crate::web::session::Actor;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/manage", web::get().to(manage));
}

#[derive(Template)]
#[template(path = "sections/section.html")]
struct SectionPage {
    ctx: PageContext,
    intro: &'static str,
    notes: Vec<&'static str>,
}

async fn section(
    state: web::Data<AppState>,
    actor: Actor,
    section: Section,
    href: &str,
    title: &str,
    intro: &'static str,
    notes: Vec<&'static str>,
) -> Result<HttpResponse, AppError> {
    actor.caller.require(Privilege::BuildRead)?;
    let ctx = PageContext::signed_in(&state, &actor, section, href, title).await?;
    page::ok(&SectionPage { ctx, intro, notes })
}

pub async fn build(state: web::Data<AppState>, actor: Actor) -> Result<HttpResponse, AppError> {
    let intro =
        "Components of this account: processes, connections, operations, maps, profiles and more.";
    section(
        state,
        actor,
        Section::Build,
        "/build",
        "Build",
        intro,
        vec!["No components yet."],
    )
    .await
}

pub async fn deploy(state: web::Data<AppState>, actor: Actor) -> Result<HttpResponse, AppError> {
    let intro = "Packaged components: immutable versions of components, ready to publish.";
    section(
        state,
        actor,
        Section::Deploy,
        "/deploy",
        "Deploy",
        intro,
        vec!["No packaged components yet."],
    )
    .await
}

pub async fn manage(state: web::Data<AppState>, actor: Actor) -> Result<HttpResponse, AppError> {
    let access = &actor.access;
    let mut notes = Vec::new();
    if access.kind == AccountKind::Primary {
        if !access.features.has(Feature::ProcessLibrary) {
            notes.push("The Process Library feature is not enabled for this account. Contact your sales representative to enable it.");
        } else if !access.privileges.has(Privilege::ProcessLibrary) {
            notes.push("Your role does not include the Process Library privilege.");
        } else {
            notes.push("The Process Library feature is enabled for this account.");
        }
    }
    let intro = "Monitor and manage what this account shares and runs.";
    section(
        state,
        actor,
        Section::Manage,
        "/manage",
        "Manage",
        intro,
        notes,
    )
    .await
}
