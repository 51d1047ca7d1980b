//! ByteHouse cloud regions. Each names a gateway reached on port 19000 over TLS.

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
}
