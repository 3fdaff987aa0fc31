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
