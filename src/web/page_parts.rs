//! A page sent in parts: its layout, rendered for the request around a marker, and a part
//! kept already rendered (shared, never copied into the page): the body is the layout before
//! the marker, the kept part, then the layout after it, with its length known up front.

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use actix_web::HttpResponse;
use actix_web::body::{BodySize, MessageBody};
use actix_web::web::Bytes;
use askama::Template;

use crate::error::AppError;

/// Where a layout shows the kept part (emitted unescaped: no escaped text can hold a `<`, so
/// the first one in a rendered layout is the layout's own).
pub const MARKER: &str = "<!--kept-part-->";

/// A part rendered once and shared by the pages that show it.
struct Kept(Arc<str>);

impl AsRef<[u8]> for Kept {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// A body of a few chunks whose total length is known.
struct Parts {
    chunks: VecDeque<Bytes>,
    size: u64,
}

impl MessageBody for Parts {
    type Error = std::convert::Infallible;

    fn size(&self) -> BodySize {
        BodySize::Sized(self.size)
    }

    fn poll_next(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        Poll::Ready(self.get_mut().chunks.pop_front().map(Ok))
    }
}

/// 200 with `layout` rendered and `kept` in place of its [`MARKER`] (the whole layout then
/// the kept part when the layout has no marker).
pub fn ok_around<T: Template>(layout: &T, kept: Arc<str>) -> Result<HttpResponse, AppError> {
    let mut head = String::with_capacity(LAYOUT_CAPACITY);
    layout.render_into(&mut head).map_err(AppError::internal)?;
    let tail = match head.find(MARKER) {
        Some(at) => {
            let tail = Bytes::copy_from_slice(&head.as_bytes()[at + MARKER.len()..]);
            head.truncate(at);
            tail
        }
        None => Bytes::new(),
    };
    let kept = Bytes::from_owner(Kept(kept));
    let chunks: VecDeque<Bytes> = [Bytes::from(head), kept, tail]
        .into_iter()
        .filter(|chunk| !chunk.is_empty())
        .collect();
    let size = chunks.iter().map(|chunk| chunk.len() as u64).sum();
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(Parts { chunks, size }))
}

/// Room for a layout up front (its menus, the account switcher, the header and footer).
const LAYOUT_CAPACITY: usize = 8 * 1024;
