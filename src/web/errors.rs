//! Error pages inside the layout: for a signed-in user, an error page (400, 403, 404, 409, 429,
//! 503 and the others) keeps the main menu, the account and *Sign out*, so that a wrong turn
//! is one click from anywhere. Anonymous visitors, and anyone whose session cannot be read
//! (the database down), get the plain page the error rendered.

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceResponse};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{FromRequest, HttpResponse};
use askama::Template;

use crate::error::Shown;
use crate::web::page::{self, PageContext};
use crate::web::session::Actor;

#[derive(Template)]
#[template(path = "errors/in_layout.html")]
struct ErrorInLayout {
    ctx: PageContext,
    shown: Shown,
}

/// The error handler of the signed-in routes: the same error, inside the layout.
pub fn in_layout<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let Some(shown) = res.response().extensions().get::<Shown>().cloned() else {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    };
    Ok(ErrorHandlerResponse::Future(Box::pin(async move {
        let actor = Actor::from_request(res.request(), &mut Payload::None).await;
        let Ok(actor) = actor else {
            return Ok(res.map_into_left_body());
        };
        let status = res.status();
        let ctx = PageContext::for_error(&actor, &shown.title);
        let rendered: Result<HttpResponse, _> = page::render(status, &ErrorInLayout { ctx, shown });
        match rendered {
            Ok(response) => {
                let (req, _) = res.into_parts();
                let response: HttpResponse<BoxBody> = response;
                Ok(ServiceResponse::new(req, response).map_body(|_, body| EitherBody::right(body)))
            }
            Err(_) => Ok(res.map_into_left_body()),
        }
    })))
}
