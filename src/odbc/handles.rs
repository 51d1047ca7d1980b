//! Environment, connection and statement handles, and the registry that validates the raw handles
//! applications pass back to us.
//!
//! A handle is the address of a boxed object; the registry records every live one with its kind,
//! so a freed, foreign or wrongly typed handle is refused with SQL_INVALID_HANDLE instead of being
//! dereferenced. Each handle guards its state with its own locks, so handles are safe to use from
//! several threads; SQLCancel reaches a running statement through the connection's cancel handle,
//! which needs no lock the statement holds.

use std::cell::Cell;
use std::collections::HashMap;
use std::ffi::c_void;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, AtomicUsize, Ordering};

use once_cell::sync::Lazy;
use parking_lot::{Mutex, RwLock};

use super::diag::Diagnostics;
use super::statement::StatementState;
use crate::native::{CancelHandle, Connection};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Env,
    Dbc,
    Stmt,
}

/// Hashes a handle address with one multiplication: the registry is consulted on every call, and
/// addresses need no protection against crafted collisions.
#[derive(Default)]
struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 << 8 | u64::from(byte)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_usize(&mut self, address: usize) {
        self.0 = (address as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29);
    }
}

type Registry = HashMap<usize, Kind, BuildHasherDefault<AddressHasher>>;

static REGISTRY: Lazy<RwLock<Registry>> = Lazy::new(|| RwLock::new(Registry::default()));

/// Bumped whenever a handle is released, so that a cached validation can tell it may be stale.
static RELEASES: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// The last handle this thread validated: (address, kind, `RELEASES` at the time). Row-by-row
    /// fetching calls the driver millions of times on one statement; this spares each call the
    /// registry's lock.
    static LAST_VALID: Cell<(usize, Option<Kind>, u64)> = const { Cell::new((0, None, 0)) };
}

/// Whether `address` is a live handle of `kind`.
fn is_live(address: usize, kind: Kind) -> bool {
    let releases = RELEASES.load(Ordering::Acquire);
    if LAST_VALID.get() == (address, Some(kind), releases) {
        return true;
    }
    let live = REGISTRY.read().get(&address) == Some(&kind);
    if live {
        LAST_VALID.set((address, Some(kind), releases));
    }
    live
}

/// An object behind an ODBC handle.
pub trait Handle: Sized {
    const KIND: Kind;
    fn diagnostics(&self) -> &Diagnostics;

    /// Boxes the object and returns its handle.
    fn register(self) -> *mut c_void {
        let address = Box::into_raw(Box::new(self)) as usize;
        REGISTRY.write().insert(address, Self::KIND);
        address as *mut c_void
    }

    /// The object behind a live handle of this kind.
    ///
    /// # Safety
    /// The object must not be freed while the reference is used (ODBC forbids freeing a handle that
    /// another thread is using).
    unsafe fn from_handle<'a>(handle: *mut c_void) -> Option<&'a Self> {
        // SAFETY: the registry holds only addresses of live boxes of this kind.
        is_live(handle as usize, Self::KIND).then(|| unsafe { &*(handle as *const Self) })
    }

    /// Removes a live handle of this kind from the registry and returns its object.
    ///
    /// # Safety
    /// As for [`Handle::from_handle`]: no other thread may use the handle any more.
    unsafe fn release(handle: *mut c_void) -> Option<Box<Self>> {
        let mut registry = REGISTRY.write();
        if registry.get(&(handle as usize)) != Some(&Self::KIND) {
            return None;
        }
        registry.remove(&(handle as usize));
        RELEASES.fetch_add(1, Ordering::AcqRel);
        // SAFETY: the address came from `Box::into_raw` in `register` and is now unregistered.
        Some(unsafe { Box::from_raw(handle as *mut Self) })
    }
}

pub struct Env {
    pub diagnostics: Diagnostics,
    pub odbc_version: AtomicI32,
    pub connections: AtomicUsize,
}

impl Default for Env {
    fn default() -> Env {
        Env {
            diagnostics: Diagnostics::default(),
            odbc_version: AtomicI32::new(3),
            connections: AtomicUsize::new(0),
        }
    }
}

impl Handle for Env {
    const KIND: Kind = Kind::Env;
    fn diagnostics(&self) -> &Diagnostics {
        &self.diagnostics
    }
}

/// An open connection and which statement's result stream it carries.
pub struct Session {
    pub connection: Connection,
    /// The statement whose result is open on the connection; another statement's query closes it.
    pub result_owner: Option<usize>,
    /// Settings sent with every query (from the connection string).
    pub settings: Vec<crate::native::Setting>,
    /// The driver log, when the connection string names one.
    pub log: Option<super::log::DriverLog>,
}

pub struct Dbc {
    pub diagnostics: Diagnostics,
    pub env: usize,
    pub session: Mutex<Option<Session>>,
    pub cancel: Mutex<Option<CancelHandle>>,
    pub statements: AtomicUsize,
    /// Accepted and reported, though ClickHouse has no transactions.
    pub autocommit: AtomicBool,
    /// SQL_ATTR_LOGIN_TIMEOUT in seconds; 0 keeps the connection string's connect timeout.
    pub login_timeout: AtomicU64,
}

impl Dbc {
    pub fn new(env: usize) -> Dbc {
        Dbc {
            diagnostics: Diagnostics::default(),
            env,
            session: Mutex::new(None),
            cancel: Mutex::new(None),
            statements: AtomicUsize::new(0),
            autocommit: AtomicBool::new(true),
            login_timeout: AtomicU64::new(0),
        }
    }

    pub fn is_connected(&self) -> bool {
        self.session.lock().is_some()
    }
}

impl Handle for Dbc {
    const KIND: Kind = Kind::Dbc;
    fn diagnostics(&self) -> &Diagnostics {
        &self.diagnostics
    }
}

pub struct Stmt {
    pub diagnostics: Diagnostics,
    /// The address of the owning connection handle, which outlives its statements.
    pub dbc: usize,
    pub state: Mutex<StatementState>,
}

impl Stmt {
    pub fn new(dbc: usize) -> Stmt {
        Stmt {
            diagnostics: Diagnostics::default(),
            dbc,
            state: Mutex::new(StatementState::default()),
        }
    }

    pub fn dbc(&self) -> &Dbc {
        // SAFETY: SQLFreeHandle refuses to free a connection that still has statements.
        unsafe { &*(self.dbc as *const Dbc) }
    }

    /// An identity for `Session::result_owner`.
    pub fn id(&self) -> usize {
        self as *const Stmt as usize
    }
}

impl Handle for Stmt {
    const KIND: Kind = Kind::Stmt;
    fn diagnostics(&self) -> &Diagnostics {
        &self.diagnostics
    }
}
