//! Allowed networks: an account may be limited to a list of CIDR ranges.

use std::net::IpAddr;

use ipnet::IpNet;

/// Parses a list of CIDR ranges separated by new lines, commas or spaces. A bare
/// address counts as a single host. Returns the first entry that is not a range.
pub fn parse_networks(text: &str) -> Result<Vec<IpNet>, String> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|entry| {
            entry.parse::<IpNet>().or_else(|_| entry.parse::<IpAddr>().map(IpNet::from)).map_err(|_| entry.to_string())
        })
        .collect()
}

/// Normalised text form, one range per line, as stored.
pub fn format_networks(nets: &[IpNet]) -> String {
    nets.iter().map(|n| n.to_string()).collect::<Vec<_>>().join("\n")
}

/// True when no ranges are set or `ip` falls in one of them. IPv4-mapped IPv6
/// addresses are compared as IPv4.
pub fn is_allowed(nets: &[IpNet], ip: IpAddr) -> bool {
    if nets.is_empty() {
        return true;
    }
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    };
    nets.iter().any(|n| n.contains(&ip))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_matches() {
        let nets = parse_networks("10.0.0.0/8, 192.168.1.7\n2001:db8::/32").unwrap();
        assert_eq!(nets.len(), 3);
        assert!(is_allowed(&nets, "10.1.2.3".parse().unwrap()));
        assert!(is_allowed(&nets, "192.168.1.7".parse().unwrap()));
        assert!(!is_allowed(&nets, "192.168.1.8".parse().unwrap()));
        assert!(is_allowed(&nets, "::ffff:10.9.9.9".parse().unwrap()));
        assert!(is_allowed(&nets, "2001:db8::1".parse().unwrap()));
        assert!(is_allowed(&[], "8.8.8.8".parse().unwrap()));
    }

    #[test]
    fn names_the_bad_entry() {
        assert_eq!(parse_networks("10.0.0.0/8 10.0.0.0/33"), Err("10.0.0.0/33".into()));
        assert_eq!(parse_networks("escritório"), Err("escritório".into()));
    }
}

/// Whether an address is on the public internet: not loopback, private (RFC 1918,
/// unique-local), link-local, shared (CGNAT, 100.64/10), unspecified, broadcast,
/// multicast, reserved (240/4, 192.0.0/24, the benchmark 198.18/15) or site-local;
/// an IPv6 address that carries an IPv4 one (mapped, compatible, NAT64's 64:ff9b::/96,
/// 6to4's 2002::/16) is judged by the IPv4 address it carries. What a flow's HTTP
/// block and an outgoing webhook may call unless the administrator allows private ones.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || a == 0
                || a >= 240
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0 && c == 0)
                || (a == 198 && (b == 18 || b == 19)))
        }
        IpAddr::V6(v6) => match carried_v4(v6) {
            Some(v4) => is_public(IpAddr::V4(v4)),
            None => {
                let first = v6.segments()[0];
                !(v6.is_loopback()
                    || v6.is_unspecified()
                    || v6.is_multicast()
                    || (first & 0xfe00) == 0xfc00
                    || (first & 0xffc0) == 0xfe80
                    || (first & 0xffc0) == 0xfec0)
            }
        },
    }
}

/// The IPv4 address an IPv6 one stands for: IPv4-mapped (`::ffff:a.b.c.d`),
/// IPv4-compatible (`::a.b.c.d`, loopback `::1` excepted), NAT64 (`64:ff9b::a.b.c.d`)
/// or 6to4 (`2002:aabb:ccdd::`).
fn carried_v4(v6: std::net::Ipv6Addr) -> Option<std::net::Ipv4Addr> {
    let s = v6.segments();
    let low = |hi: u16, lo: u16| std::net::Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    if let Some(v4) = v6.to_ipv4_mapped() {
        return Some(v4);
    }
    match s {
        [0, 0, 0, 0, 0, 0, hi, lo] if !(hi == 0 && lo <= 1) => Some(low(hi, lo)),
        [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] => Some(low(hi, lo)),
        [0x2002, hi, lo, ..] => Some(low(hi, lo)),
        _ => None,
    }
}

#[cfg(test)]
mod public_tests {
    use super::*;

    #[test]
    fn private_and_loopback_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "172.16.5.4",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:100.64.1.1",
            "::127.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "2002:c0a8:0101::1",
            "fec0::1",
            "ff02::1",
            "224.0.0.1",
            "255.255.255.255",
            "240.0.0.1",
            "198.18.0.1",
            "192.0.0.8",
            "100.127.255.255",
            "::",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "8.8.8.8",
            "200.160.2.3",
            "100.63.255.255",
            "100.128.0.1",
            "2001:4860:4860::8888",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:0808:0808::1",
        ] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }
}
