//! Security on every response: headers, and refusal of cross-site state-changing requests
//! before any handler runs.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, ResponseError};

use crate::domain::validation::has_forbidden_control;
use crate::error::AppError;
use crate::services::Instance;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// Whether an unsafe request comes from another site, by `Sec-Fetch-Site` or `Origin`.
fn cross_site(req: &ServiceRequest) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && site.eq_ignore_ascii_case("cross-site")
    {
        return true;
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin.split("://").nth(1).unwrap_or_default();
    origin == "null" || !origin_host.eq_ignore_ascii_case(host)
}

/// What a page may use of the browser: nothing beyond the page itself.
const PERMISSIONS_POLICY: &str = "accelerometer=(), camera=(), display-capture=(), \
     geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), \
     interest-cohort=()";

/// Browsers remember for a year to reach the product over TLS only (sent when the cookies are
/// marked `Secure`, that is when the product is served over TLS).
const HSTS: &str = "max-age=31536000; includeSubDomains";

/// A text with its `%XX` escapes decoded byte by byte (invalid UTF-8 replaced), to look for
/// what an address carries once decoded.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                let value = hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0);
                out.push(u8::try_from(value).unwrap_or(b'?'));
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Marks a HEAD request answered as a GET: a page then leaves its one-time message for the
/// GET that will show it.
#[derive(Debug, Clone, Copy)]
pub struct HeadRequest;

pub async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    // Every GET route answers HEAD: the route sees a GET, and the server sends the headers
    // of the answer without its body (the connection knows the request was a HEAD).
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
        req.extensions_mut().insert(HeadRequest);
    }
    let tls = req
        .app_data::<actix_web::web::Data<Instance>>()
        .is_some_and(|i| i.settings.secure_cookies);
    // A control character in the address (a NUL, say) names nothing here: such a path or
    // search finds nothing instead of reaching the database, which refuses NUL outright.
    let controlled = has_forbidden_control(&percent_decoded(req.uri().path()))
        || has_forbidden_control(&percent_decoded(req.uri().query().unwrap_or_default()));
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let mut response = if controlled {
        let refusal = AppError::NotFound.error_response();
        req.into_response(refusal)
    } else if unsafe_method && cross_site(&req) {
        let refusal = AppError::Forbidden("Requests from other sites are refused.".to_owned())
            .error_response();
        req.into_response(refusal)
    } else {
        let asked = (req.method() == Method::GET).then(|| req.uri().to_string());
        let mut response = next.call(req).await?.map_into_boxed_body();
        // A page that asks to sign in first says where to come back to.
        if let Some(asked) = asked {
            return_after_sign_in(&mut response, &asked);
        }
        response
    };
    let headers = response.headers_mut();
    let set = |headers: &mut header::HeaderMap, name: HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(headers, header::CONTENT_SECURITY_POLICY, CSP);
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::REFERRER_POLICY, "same-origin");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(
        headers,
        HeaderName::from_static("permissions-policy"),
        PERMISSIONS_POLICY,
    );
    if tls {
        set(headers, header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    set(
        headers,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    if !headers.contains_key(header::CACHE_CONTROL) {
        set(headers, header::CACHE_CONTROL, "no-store");
    }
    Ok(response)
}

/// Points a redirect to the sign-in page at `/login?next=PATH` for a page asked for while
/// signed out (not for `/` itself, whose sign-in lands as usual).
fn return_after_sign_in(response: &mut ServiceResponse<BoxBody>, asked: &str) {
    let to_sign_in = response.status() == actix_web::http::StatusCode::SEE_OTHER
        && response
            .headers()
            .get(header::LOCATION)
            .is_some_and(|l| l == "/login");
    if !to_sign_in || asked == "/" || !is_local_path(asked) {
        return;
    }
    let next: String = url::form_urlencoded::byte_serialize(asked.as_bytes()).collect();
    if let Ok(value) = HeaderValue::from_str(&format!("/login?next={next}")) {
        response.headers_mut().insert(header::LOCATION, value);
    }
}

/// Whether a place to return to is a path of this site: it starts with one slash (not `//`
/// nor `/\`, which browsers read as another host), holds no control character and is of a
/// sensible length.
pub fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && path.len() <= 2000
        && !path.chars().any(|c| c.is_control() || c == '\\')
}
