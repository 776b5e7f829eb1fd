//! The API's caller: the bearer token, checked once per request, throttled per token, and the
//! services' context of its user in the account of the path.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::http::{Method, header};
use actix_web::{FromRequest, HttpRequest};
use governor::clock::{Clock, DefaultClock};

use super::ApiError;
use crate::error::AppError;
use crate::services::api_tokens::{self, Bearer, InAccount};
use crate::services::{Ctx, Instance};
use crate::web::blocking;
use crate::web::session::{client_addr, state};

/// A request of the API with a live token, and its user in the account of its path.
pub struct Api {
    pub bearer: Arc<Bearer>,
    instance: Arc<Instance>,
    client_addr: String,
    /// The token's user in the path's account, read with the token (`None` without an account
    /// in the path, or where the user holds no role).
    in_account: Option<InAccount>,
}

impl FromRequest for Api {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let secret = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|v| v.trim().to_owned());
        let writes = !matches!(*req.method(), Method::GET | Method::HEAD);
        let client = client_addr(req);
        let account = req.match_info().get("account_id").map(str::to_owned);
        let instance = state(req).map(|s| s.into_inner());
        Box::pin(async move {
            let instance = instance?;
            let Some(secret) = secret else {
                return Err(ApiError::Unauthorized(
                    "Send a personal access token: Authorization: Bearer TOKEN.",
                ));
            };
            let now = instance.settings.session.clock.now();
            let shared = instance.clone();
            let caller_addr = client.clone();
            let at_once = match account.as_deref() {
                Some(account) if instance.reads_at_once => api_tokens::authenticate_in_at_once(
                    &instance.pool,
                    &instance.caches,
                    &secret,
                    account,
                    now,
                    &client,
                ),
                _ => api_tokens::AtOnce::Check(None),
            };
            let checked = match at_once {
                api_tokens::AtOnce::Done(checked) => (*checked)?,
                api_tokens::AtOnce::Check(read) => {
                    blocking(move || match account {
                        Some(account) => api_tokens::authenticate_in(
                            &shared.pool,
                            &shared.caches,
                            &secret,
                            &account,
                            now,
                            &caller_addr,
                            read.map(|read| *read),
                        ),
                        None => api_tokens::authenticate(&shared.pool, &secret, now)
                            .map(|checked| checked.map(|bearer| (bearer, None))),
                    })
                    .await?
                }
            };
            let (bearer, in_account) =
                checked.map_err(|refusal| ApiError::Unauthorized(refusal.message()))?;
            if let Err(not_until) = instance.api_limiter.check_key(&bearer.token.id.to_string()) {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                return Err(ApiError::Throttled(wait));
            }
            if writes && !bearer.may_write() {
                return Err(ApiError::ReadOnly);
            }
            Ok(Self {
                bearer: Arc::new(bearer),
                instance,
                client_addr: client,
                in_account,
            })
        })
    }
}

impl Api {
    /// The services' context of the token's user in `account_id` (404 when they hold no
    /// role there), with the generations as of now.
    pub async fn ctx_in(&self, account_id: String) -> Result<Ctx, ApiError> {
        if let Some(found) = self
            .in_account
            .as_ref()
            .filter(|a| a.account_id == account_id)
        {
            return Ok(Ctx::new(
                self.instance.clone(),
                found.caller.clone(),
                found.generations,
            ));
        }
        let pool = self.instance.pool.clone();
        let bearer = self.bearer.clone();
        let client = self.client_addr.clone();
        let (caller, generations) =
            blocking(move || api_tokens::caller_in(&pool, &bearer, &account_id, &client)).await?;
        Ok(Ctx::new(self.instance.clone(), caller, generations))
    }

    pub fn instance(&self) -> &Arc<Instance> {
        &self.instance
    }
}

/// Runs a service that only reads: from memory on the request's own thread when it can, else
/// off the async workers.
pub async fn read<T: Send + 'static>(
    ctx: Ctx,
    service: impl Fn(&Ctx) -> Result<T, AppError> + Send + 'static,
) -> Result<T, ApiError> {
    match service(&ctx.cache_only()) {
        Err(AppError::NeedsDatabase) => run(ctx, service).await,
        done => Ok(done?),
    }
}

/// Runs a service off the async workers.
pub async fn run<T: Send + 'static>(
    ctx: Ctx,
    service: impl FnOnce(&Ctx) -> Result<T, AppError> + Send + 'static,
) -> Result<T, ApiError> {
    Ok(blocking(move || service(&ctx)).await?)
}
