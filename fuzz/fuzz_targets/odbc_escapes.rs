//! The ODBC escape-sequence translator (`{fn ...}`, `{d '...'}`, `{oj ...}`, `{call ...}`), on any
//! statement text an application could pass to SQLPrepare or SQLExecDirect.
#![no_main]

use bytehouse::odbc::escapes::rewrite;
use bytehouse_fuzz::bounded;
use libfuzzer_sys::fuzz_target;

bytehouse_fuzz::use_bounded_allocator!();

fuzz_target!(|data: &[u8]| {
    let Ok(sql) = std::str::from_utf8(data) else {
        return;
    };
    bounded(data.len(), || {
        // Any text gives a statement or a diagnostic, without a panic, a hang or a runaway allocation.
        match rewrite(sql) {
            Ok(rewritten) => drop(rewritten),
            Err(diagnostic) => drop(format!("{diagnostic:?}")),
        }
    });
});
