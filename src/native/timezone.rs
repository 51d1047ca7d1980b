//! Time zones of DateTime values. ClickHouse stores UTC seconds and shows them in the column's zone
//! (`DateTime('Asia/Shanghai')`) or, for a column without one, in the server's zone; this client
//! does the same (see [`Block::assume_timezone`](super::Block::assume_timezone)). Zones come from
//! the system's tz database, read once per name; an unknown name counts as UTC.

use std::collections::HashMap;
use std::sync::Arc;

use once_cell::sync::Lazy;
use parking_lot::Mutex;
use tz::TimeZone;

/// Zones read so far, by name (`None`: the system has no such zone).
static ZONES: Lazy<Mutex<HashMap<String, Option<Arc<TimeZone>>>>> = Lazy::new(|| Mutex::new(HashMap::new()));

thread_local! {
    /// The zone this thread asked for last: converting a column asks for one zone many times.
    static LAST: std::cell::RefCell<Option<(String, Option<Arc<TimeZone>>)>> = const { std::cell::RefCell::new(None) };
}

/// Whether `name` is one of UTC's names.
pub fn is_utc(name: &str) -> bool {
    matches!(
        name,
        "" | "UTC" | "Etc/UTC" | "GMT" | "Etc/GMT" | "UCT" | "Universal" | "Zulu"
    )
}

/// The zone called `name`, `None` for UTC and zones the system does not know.
fn zone(name: &str) -> Option<Arc<TimeZone>> {
    if is_utc(name) {
        return None;
    }
    LAST.with_borrow_mut(|last| {
        if let Some((cached, zone)) = last.as_ref()
            && cached == name
        {
            return zone.clone();
        }
        let zone = ZONES
            .lock()
            .entry(name.to_string())
            .or_insert_with(|| TimeZone::from_posix_tz(name).ok().map(Arc::new))
            .clone();
        *last = Some((name.to_string(), zone.clone()));
        zone
    })
}

/// Seconds to add to UTC `seconds` for the wall-clock time in zone `name` (`None`: UTC).
pub fn offset(name: Option<&str>, seconds: i64) -> i64 {
    name.and_then(zone)
        .and_then(|zone| {
            zone.find_local_time_type(seconds)
                .ok()
                .map(|kind| i64::from(kind.ut_offset()))
        })
        .unwrap_or(0)
}

/// UTC seconds of the wall-clock time `local` (seconds as if it were UTC) in zone `name`. A time
/// that occurs twice when clocks go back is the first; one skipped when they go forward is read
/// with the offset before the change.
pub fn utc_from_local(name: Option<&str>, local: i64) -> i64 {
    let first_guess = local - offset(name, local);
    local - offset(name, first_guess)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_follow_the_zone_and_its_daylight_saving() {
        assert_eq!(offset(Some("Asia/Shanghai"), 0), 8 * 3600);
        assert_eq!(offset(None, 0), 0);
        assert_eq!(offset(Some("UTC"), 0), 0);
        assert_eq!(offset(Some("No/Such_Zone"), 0), 0);
        // 1970-01-01 in Berlin: UTC+1.
        assert_eq!(offset(Some("Europe/Berlin"), 0), 3600);
        // 2020-07-01 12:00 UTC: New York is on daylight saving time, in January it is not.
        assert_eq!(offset(Some("America/New_York"), 1_593_604_800), -4 * 3600);
        assert_eq!(offset(Some("America/New_York"), 1_578_657_600), -5 * 3600);
        // Round trip through wall-clock time.
        for utc in [0, 1_593_604_800, 1_578_657_600] {
            let local = utc + offset(Some("America/New_York"), utc);
            assert_eq!(utc_from_local(Some("America/New_York"), local), utc);
        }
    }
}
