//! ByteHouse cloud regions. Each names a gateway reached on port 19000 over TLS, as is every host in
//! ByteHouse's cloud domains.

use super::ConfigError;

/// The gateway port of every region.
pub const REGION_PORT: u16 = 19000;

/// Region names and gateway hosts, as the python, Go and Java drivers know them. VOLCANO-CN-NORTH-1
/// (python) and CN-BEIJING (Go, Java) are one Volcano Engine region under two names.
const REGIONS: &[(&str, &str)] = &[
    ("AP-SOUTHEAST-1", "gateway.aws-ap-southeast-1.bytehouse.cloud"),
    ("CN-BEIJING", "bytehouse-cn-beijing.volces.com"),
    ("CN-NORTH-1", "gateway.aws-cn-north-1.bytehouse.cn"),
    ("US-EAST-1", "gateway.aws-us-east-1.bytehouse.cloud"),
    ("VOLCANO-CN-NORTH-1", "bytehouse-cn-beijing.volces.com"),
];

/// The gateway host of a region, named in any case; an unknown name is an error listing the valid ones.
pub fn gateway_host(region: &str) -> Result<&'static str, ConfigError> {
    let region = region.trim();
    let found = REGIONS.iter().find(|(name, _)| name.eq_ignore_ascii_case(region));
    found.map(|&(_, host)| host).ok_or_else(|| {
        let names: Vec<&str> = REGIONS.iter().map(|&(name, _)| name).collect();
        ConfigError::new(format!(
            "unknown region `{region}`; valid regions (any case): {}",
            names.join(", ")
        ))
    })
}

/// Whether `host` is in ByteHouse's cloud domains, whose gateways speak TLS on port 19000: it is or
/// ends in `.bytehouse.cloud` or `.bytehouse.cn`, or is under `volces.com` with a label starting with
/// `bytehouse` (`bytehouse-cn-beijing.volces.com`, `tenant.bytehouse.volces.com`). ASCII case is
/// ignored, and a trailing dot (a fully qualified name).
pub fn is_cloud_host(host: &str) -> bool {
    let host = host.trim();
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    let in_domain = |domain: &str| {
        host.strip_suffix(domain)
            .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
    };
    if in_domain("bytehouse.cloud") || in_domain("bytehouse.cn") {
        return true;
    }
    host.strip_suffix(".volces.com")
        .is_some_and(|tenant| tenant.split('.').any(|label| label.starts_with("bytehouse")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_case_insensitive_and_aliases_share_a_host() {
        assert_eq!(
            gateway_host("ap-southeast-1"),
            Ok("gateway.aws-ap-southeast-1.bytehouse.cloud")
        );
        assert_eq!(gateway_host("Cn-North-1"), Ok("gateway.aws-cn-north-1.bytehouse.cn"));
        assert_eq!(gateway_host("US-EAST-1"), Ok("gateway.aws-us-east-1.bytehouse.cloud"));
        assert_eq!(
            gateway_host("volcano-cn-north-1"),
            Ok("bytehouse-cn-beijing.volces.com")
        );
        assert_eq!(gateway_host("cn-beijing"), Ok("bytehouse-cn-beijing.volces.com"));
    }

    #[test]
    fn unknown_region_lists_the_valid_names() {
        assert_eq!(
            gateway_host("eu-west-1").unwrap_err().to_string(),
            "unknown region `eu-west-1`; valid regions (any case): \
             AP-SOUTHEAST-1, CN-BEIJING, CN-NORTH-1, US-EAST-1, VOLCANO-CN-NORTH-1"
        );
    }

    #[test]
    fn cloud_hosts_are_the_bytehouse_domains_only() {
        for host in [
            "gateway.aws-ap-southeast-1.bytehouse.cloud",
            "bytehouse.cloud",
            "Tenant.BYTEHOUSE.CN.",
            "bytehouse-cn-beijing.volces.com",
            "tenant-1-cn-beijing.bytehouse.volces.com",
        ] {
            assert!(is_cloud_host(host), "{host}");
        }
        for host in [
            "evilbytehouse.cloud",
            "bytehouse.cloud.example.com",
            "bytehouse.cn.evil",
            "cn-beijing.volces.com",
            "volces.com",
            "bytehouse.volces.com.example.com",
            "",
            ".",
            "x.bytehouse.cloud..",
        ] {
            assert!(!is_cloud_host(host), "{host}");
        }
    }

    #[test]
    fn every_region_gateway_is_a_cloud_host() {
        assert!(REGIONS.iter().all(|&(_, host)| is_cloud_host(host)));
    }
}
