//! The client address rate limits count by: the peer address, or, behind trusted proxies
//! (`auth.trust_forwarded_for`), the rightmost `X-Forwarded-For` hop that is not one of
//! `auth.trusted_proxies`. Each proxy appends the address it saw, so the hops left of the
//! first untrusted one (reading from the right) are whatever the client wrote, and taking
//! the leftmost would let anyone pick a fresh address per request.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request};
use ipnet::IpNet;
use tower_governor::GovernorError;
use tower_governor::key_extractor::KeyExtractor;

/// An address (`10.0.0.7`, `::1`) or a network (`10.0.0.0/8`).
pub fn parse_net(s: &str) -> Option<IpNet> {
    let s = s.trim();
    s.parse::<IpNet>()
        .ok()
        .or_else(|| s.parse::<IpAddr>().ok().map(IpNet::from))
}

#[derive(Debug, Clone)]
pub struct ClientIp {
    pub trust_forwarded_for: bool,
    pub trusted_proxies: Arc<Vec<IpNet>>,
}

impl ClientIp {
    pub fn from_settings(auth: &crate::config::Auth) -> Self {
        Self {
            trust_forwarded_for: auth.trust_forwarded_for,
            trusted_proxies: Arc::new(
                auth.trusted_proxies
                    .iter()
                    .filter_map(|p| parse_net(p))
                    .collect(),
            ),
        }
    }

    fn trusted(&self, ip: IpAddr) -> bool {
        self.trusted_proxies.iter().any(|n| n.contains(&ip))
    }

    /// The client of a request from `peer` with `headers`.
    pub fn client(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        if !self.trust_forwarded_for {
            return peer;
        }
        // a peer that is not one of our proxies wrote the header itself
        if !self.trusted_proxies.is_empty() && peer.is_none_or(|p| !self.trusted(p)) {
            return peer;
        }
        let hops = forwarded_hops(headers);
        hops.iter()
            .rev()
            .find(|ip| !self.trusted(**ip))
            .or(hops.first())
            .copied()
            .or(peer)
    }
}

/// Every hop of every `X-Forwarded-For` header in order (or, without one, of `Forwarded`'s
/// `for=`), left to right. A hop that is not an address ends the list read so far: nothing
/// left of garbage can be trusted more than the garbage.
fn forwarded_hops(headers: &HeaderMap) -> Vec<IpAddr> {
    let xff: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect();
    let raw: Vec<String> = if xff.is_empty() {
        headers
            .get_all(axum::http::header::FORWARDED)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|el| {
                el.split(';').find_map(|kv| {
                    let (k, v) = kv.trim().split_once('=')?;
                    k.eq_ignore_ascii_case("for").then(|| {
                        let v = v.trim().trim_matches('"');
                        // `[2001:db8::1]:4711` or `192.0.2.1:4711`
                        match v.strip_prefix('[') {
                            Some(rest) => rest.split(']').next().unwrap_or("").to_owned(),
                            None => v.split(':').next().unwrap_or("").to_owned(),
                        }
                    })
                })
            })
            .collect()
    } else {
        xff.iter().map(|h| h.trim().to_owned()).collect()
    };
    let mut hops = Vec::with_capacity(raw.len());
    for h in raw.iter().rev() {
        match h.parse::<IpAddr>() {
            Ok(ip) => hops.push(ip),
            Err(_) => break,
        }
    }
    hops.reverse();
    hops
}

impl KeyExtractor for ClientIp {
    type Key = IpAddr;

    fn extract<T>(&self, req: &Request<T>) -> Result<Self::Key, GovernorError> {
        let peer = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        self.client(peer, req.headers())
            .ok_or(GovernorError::UnableToExtractKey)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn extractor(trusted: &[&str]) -> ClientIp {
        ClientIp {
            trust_forwarded_for: true,
            trusted_proxies: Arc::new(trusted.iter().filter_map(|t| parse_net(t)).collect()),
        }
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client_not_the_leftmost() {
        let proxy = Some(ip("10.0.0.2"));
        let x = extractor(&["10.0.0.0/8"]);
        // the client forged a first hop; our proxy appended what it saw
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9")]);
        assert_eq!(x.client(proxy, &h), Some(ip("203.0.113.9")));
        // two proxies of ours in a row
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 203.0.113.9, 10.1.1.1")]);
        assert_eq!(x.client(proxy, &h), Some(ip("203.0.113.9")));
        // several headers count as one list
        let h = headers(&[
            ("x-forwarded-for", "6.6.6.6"),
            ("x-forwarded-for", "203.0.113.9"),
        ]);
        assert_eq!(x.client(proxy, &h), Some(ip("203.0.113.9")));
        // with no proxy list, the hop our proxy appended (the rightmost)
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9")]);
        assert_eq!(extractor(&[]).client(proxy, &h), Some(ip("203.0.113.9")));
    }

    #[test]
    fn forwarded_headers_from_a_peer_that_is_not_our_proxy_are_ignored() {
        let x = extractor(&["10.0.0.0/8"]);
        let h = headers(&[("x-forwarded-for", "1.2.3.4")]);
        assert_eq!(
            x.client(Some(ip("198.51.100.7")), &h),
            Some(ip("198.51.100.7"))
        );
        let off = ClientIp {
            trust_forwarded_for: false,
            trusted_proxies: Arc::new(Vec::new()),
        };
        assert_eq!(off.client(Some(ip("10.0.0.2")), &h), Some(ip("10.0.0.2")));
    }

    #[test]
    fn garbage_and_the_forwarded_header() {
        let x = extractor(&["10.0.0.0/8"]);
        let proxy = Some(ip("10.0.0.2"));
        // nothing left of garbage counts
        let h = headers(&[("x-forwarded-for", "1.2.3.4, junk, 10.0.0.3")]);
        assert_eq!(x.client(proxy, &h), Some(ip("10.0.0.3")));
        let h = headers(&[("forwarded", "for=1.2.3.4, for=\"[2001:db8::1]:4711\"")]);
        assert_eq!(x.client(proxy, &h), Some(ip("2001:db8::1")));
        assert_eq!(x.client(proxy, &HeaderMap::new()), proxy);
        assert_eq!(parse_net("::1"), Some(IpNet::from(ip("::1"))));
        assert!(parse_net("proxy.local").is_none());
    }
}
