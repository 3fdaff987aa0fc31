//! Gzip for what our own pages fetch. "Monitoramento" re-fetches its sections (about
//! 330 KB of table rows with 200 agents and 2,000 open conversations) for every viewer
//! once a second at most; gzip cuts that about 28 times, and the reports' tables with it.
//!
//! Compressing a page that holds a secret (the CSRF token, customers' data) beside text
//! an attacker put in the address lets the attacker read the secret from the sizes
//! (BREACH). So a page is compressed only when the browser says the request came from
//! our own origin or from the user (`Sec-Fetch-Site: same-origin` or `none`): another
//! site cannot make one of those. Our static files hold no secret and always may be.
//! Streams (live events, exports) have no size set in advance and are left alone.

use std::io::{Cursor, Write};

use flate2::write::GzEncoder;
use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::{ContentType, Header};
use rocket::{Request, Response};

/// Below this, gzip's header and the CPU are not worth it.
const MIN_BYTES: usize = 1024;
/// Above this a body is a download, not a page (and exports stream anyway).
const MAX_BYTES: usize = 8 << 20;

pub struct Compression;

#[rocket::async_trait]
impl Fairing for Compression {
    fn info(&self) -> Info {
        Info { name: "gzip for our own pages", kind: Kind::Response }
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        if !wanted(req, res) {
            return;
        }
        let Ok(plain) = res.body_mut().to_bytes().await else { return };
        match gzip(&plain) {
            Some(packed) => {
                res.set_header(Header::new("Content-Encoding", "gzip"));
                res.set_sized_body(packed.len(), Cursor::new(packed));
            }
            None => res.set_sized_body(plain.len(), Cursor::new(plain)),
        }
        res.adjoin_header(Header::new("Vary", "Accept-Encoding"));
    }
}

fn wanted(req: &Request<'_>, res: &Response<'_>) -> bool {
    let size = res.body().preset_size().unwrap_or(0);
    (MIN_BYTES..=MAX_BYTES).contains(&size)
        && res.headers().get_one("Content-Encoding").is_none()
        && res.content_type().is_some_and(|t| compressible(&t))
        && accepts_gzip(req.headers().get("Accept-Encoding"))
        && (req.uri().path().starts_with("/static/") || own_request(req.headers().get_one("Sec-Fetch-Site")))
}

fn compressible(kind: &ContentType) -> bool {
    kind.top() == "text"
        || *kind == ContentType::JSON
        || *kind == ContentType::JavaScript
        || *kind == ContentType::SVG
        || *kind == ContentType::XML
}

/// `gzip` among the encodings, unless weighted `q=0`.
fn accepts_gzip<'a>(values: impl Iterator<Item = &'a str>) -> bool {
    values.flat_map(|v| v.split(',')).any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let coding = parts.next().unwrap_or_default();
        let refused = parts.any(|p| p.strip_prefix("q=").is_some_and(|q| q.parse::<f32>().is_ok_and(|q| q <= 0.0)));
        (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
    })
}

fn own_request(site: Option<&str>) -> bool {
    matches!(site, Some("same-origin") | Some("none"))
}

fn gzip(plain: &[u8]) -> Option<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(plain.len() / 4), flate2::Compression::default());
    encoder.write_all(plain).ok()?;
    let packed = encoder.finish().ok()?;
    (packed.len() < plain.len()).then_some(packed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_is_taken_unless_refused() {
        assert!(accepts_gzip(["gzip, deflate, br, zstd"].into_iter()));
        assert!(accepts_gzip(["br", "GZIP;q=0.5"].into_iter()));
        assert!(accepts_gzip(["*"].into_iter()));
        assert!(!accepts_gzip(["gzip;q=0"].into_iter()));
        assert!(!accepts_gzip(["br, deflate"].into_iter()));
        assert!(!accepts_gzip(std::iter::empty()));
    }

    #[test]
    fn only_requests_of_our_own_origin_or_the_user_are_compressed() {
        assert!(own_request(Some("same-origin")));
        assert!(own_request(Some("none")));
        assert!(!own_request(Some("cross-site")));
        assert!(!own_request(Some("same-site")));
        assert!(!own_request(None));
    }
}
