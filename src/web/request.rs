//! The one seam between a signed-in handler and the services: [`Request`] is who is calling
//! (the [`Actor`]) and the services' context built for them. It runs a service off the
//! async workers ([`Request::run`]), from memory on the request's own thread when everything
//! it needs is cached ([`Request::read`]), and a form submission with its redirect, its
//! one-time message and its 422 form in one shape ([`Request::submit`]).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse};
use askama::Template;

use crate::domain::accounts::Privilege;
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::{Caller, Ctx, Instance};
use crate::web::blocking;
use crate::web::page::{self, Flash, PageContext, Section};
use crate::web::security::HeadRequest;
use crate::web::session::{Actor, state};

/// A signed-in user's request and the services' context for it.
pub struct Request {
    pub actor: Actor,
    ctx: Ctx,
    /// A HEAD request (answered as a GET): its page leaves the one-time message in place.
    head: bool,
    /// The errors of the form being shown again, for the summary of [`Request::page`].
    refused: std::cell::RefCell<Vec<(String, String)>>,
}

/// Where a successful submission goes, and the message shown there once.
#[derive(Debug, Clone)]
pub struct Redirect {
    location: String,
    message: Option<String>,
    /// `status` for a success, `alert` for a refusal.
    kind: &'static str,
}

impl Redirect {
    pub fn to(location: impl Into<String>) -> Self {
        Self {
            location: location.into(),
            message: None,
            kind: "status",
        }
    }

    /// The message shown once on the next page (`role="status"`).
    pub fn with(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// A refusal shown once on the next page (`role="alert"`).
    pub fn alert(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self.kind = "alert";
        self
    }
}

impl FromRequest for Request {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let actor = Actor::from_request(req, payload);
        let head = req.extensions().contains::<HeadRequest>();
        let req = req.clone();
        Box::pin(async move {
            let actor = actor.await?;
            let instance: Arc<Instance> = state(&req)?.into_inner();
            let ctx = Ctx::new(instance, actor.caller.clone(), actor.loaded.generations);
            Ok(Self {
                actor,
                ctx,
                head,
                refused: Default::default(),
            })
        })
    }
}

impl Request {
    /// The services' context of this request (a full one: run it off the async workers).
    pub fn ctx(&self) -> &Ctx {
        &self.ctx
    }

    pub fn caller(&self) -> &Caller {
        self.ctx.caller()
    }

    pub fn instance(&self) -> &Instance {
        self.ctx.instance()
    }

    /// Whether the caller holds a privilege in the current account (to show a control).
    pub fn may(&self, privilege: Privilege) -> bool {
        self.actor.access.privileges.has(privilege)
    }

    /// Runs a service off the async workers.
    pub async fn run<T: Send + 'static>(
        &self,
        service: impl FnOnce(&Ctx) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let ctx = self.ctx.clone();
        blocking(move || service(&ctx)).await
    }

    /// Runs a read on the request's own thread when everything it needs is cached and
    /// current, otherwise again off the async workers (where it may open the database).
    pub async fn read<T: Send + 'static>(
        &self,
        service: impl Fn(&Ctx) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        match service(&self.ctx.cache_only()) {
            Err(AppError::NeedsDatabase) => self.run(move |ctx| service(ctx)).await,
            done => done,
        }
    }

    /// The layout of a signed-in page of a section (`current`: the section link to mark),
    /// with the one-time message if the session holds one.
    pub async fn page(
        &self,
        section: Section,
        current: &str,
        title: &str,
    ) -> Result<PageContext, AppError> {
        let flash = if self.head {
            None
        } else {
            self.actor
                .visitor
                .take_flash()
                .map(|(kind, message)| Flash { kind, message })
        };
        let mut page = PageContext::signed_in(&self.actor, section, current, title, flash);
        page.errors = self.refused.take();
        Ok(page)
    }

    /// Runs an action (a POST without a form to show again): 303 to where it says, its
    /// message written in the same call off the async workers.
    pub async fn act(
        &self,
        service: impl FnOnce(&Ctx) -> Result<Redirect, AppError> + Send + 'static,
    ) -> Result<HttpResponse, AppError> {
        let redirect = self.run(service).await?;
        if let Some(message) = &redirect.message {
            // The change is committed: a message that cannot be kept is lost, never turned
            // into an error page that would invite doing the change again.
            if let Err(error) = self.actor.visitor.flash(redirect.kind, message) {
                tracing::warn!(%error, "the message of a completed action was not kept");
            }
        }
        Ok(page::see_other(&redirect.location))
    }

    /// Submits a form: on success as [`Request::act`]; when the service refuses the input,
    /// the form built by `again` with the errors beside its fields (422); otherwise the error.
    pub async fn submit<P: Template>(
        &self,
        service: impl FnOnce(&Ctx) -> Result<Redirect, AppError> + Send + 'static,
        again: impl AsyncFnOnce(FieldErrors) -> Result<P, AppError>,
    ) -> Result<HttpResponse, AppError> {
        match self.act(service).await {
            Err(AppError::Validation(errors)) => {
                self.refused.replace(page::summary_of(&errors));
                page::render(StatusCode::UNPROCESSABLE_ENTITY, &again(errors).await?)
            }
            Err(AppError::Refused(errors)) => {
                self.refused.replace(page::summary_of(&errors));
                page::render(StatusCode::CONFLICT, &again(errors).await?)
            }
            done => done,
        }
    }
}
