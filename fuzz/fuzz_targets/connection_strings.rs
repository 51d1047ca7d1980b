//! Connection strings and SQLAlchemy-style URLs, resolved into a configuration as SQLDriverConnect
//! would. A parsed connection string, written back out, parses to the same pairs.
//!
//! Input: one selector byte (even: a connection string, odd: a URL), then the text.
#![no_main]

use bytehouse::config::{Config, connection_string, url};
use bytehouse_fuzz::bounded;
use libfuzzer_sys::fuzz_target;

bytehouse_fuzz::use_bounded_allocator!();

fuzz_target!(|data: &[u8]| {
    let Some((&selector, text)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    bounded(data.len(), || {
        let pairs = if selector % 2 == 0 {
            let Ok(pairs) = connection_string::parse(text) else {
                return;
            };
            let written = connection_string::ConnectionString::from(pairs.clone());
            let again = connection_string::parse(&written.to_connection_string());
            assert_eq!(again.as_ref().ok(), Some(&pairs), "{text:?}");
            pairs
        } else {
            match url::parse(text) {
                Ok(pairs) => pairs,
                Err(_) => return,
            }
        };
        if let Ok(config) = Config::from_pairs(&[], &pairs) {
            drop(format!("{:?}", config.connect_options()));
            drop(config.settings());
        }
    });
});
