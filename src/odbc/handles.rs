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

use super::descriptor::{Fields, Role};
use super::diag::{Diagnostic, Diagnostics};
use super::statement::StatementState;
use crate::native::{CancelHandle, Connection, QueryOptions};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Env,
    Dbc,
    Stmt,
    Desc,
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
        Self::register_boxed(Box::new(self))
    }

    /// Registers an object boxed by the caller (whose address it may already have used).
    fn register_boxed(object: Box<Self>) -> *mut c_void {
        let address = Box::into_raw(object) as usize;
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
    /// The statement whose result is open on the connection; another statement's query parks it.
    pub result_owner: Option<usize>,
    /// Results read ahead for their statements while another statement used the connection.
    pub parked: super::shared_connection::ParkedResults,
    /// The most bytes read ahead for parked results (`ResultBufferLimit`).
    pub result_buffer_limit: usize,
    /// Settings sent with every query (from the connection string).
    pub settings: Vec<crate::native::Setting>,
    /// The driver log, when the connection string names one.
    pub log: Option<super::log::DriverLog>,
    /// The column size reported for String (`StringMaxLength`).
    pub string_size: usize,
    /// The server's type names (`system.data_type_families`), once SQLGetTypeInfo asked.
    pub type_families: Option<Vec<String>>,
    /// The columns `system.tables` has on this server (servers differ), once a catalog function asked.
    pub system_tables_columns: Option<Vec<String>>,
    /// The current database, once known (given when connecting, set by SQL_ATTR_CURRENT_CATALOG,
    /// or asked for).
    pub database: Option<String>,
}

impl Session {
    /// The options every query of this session carries: its settings (a ByteHouse virtual
    /// warehouse among them) and `timeout`.
    pub fn options(&self, timeout: Option<std::time::Duration>) -> QueryOptions {
        QueryOptions {
            settings: self.settings.clone(),
            timeout,
            ..QueryOptions::default()
        }
    }

    /// Runs a metadata query to its end and returns each row's cells as text. A statement's open
    /// result is parked first, as for every query on the connection.
    pub fn rows_of(&mut self, sql: &str) -> Result<Vec<Vec<String>>, Diagnostic> {
        self.make_way(None)?;
        let options = self.options(None);
        let to_diagnostic = |error: crate::native::Error| Diagnostic::from(&error);
        let mut rows = Vec::new();
        let Some(mut block) = self.connection.query(sql, &options).map_err(to_diagnostic)? else {
            return Ok(rows);
        };
        loop {
            for row in 0..block.rows() {
                rows.push(
                    block
                        .columns
                        .iter()
                        .map(|column| column.value(row).to_string())
                        .collect(),
                );
            }
            if !self.connection.next_block(&mut block).map_err(to_diagnostic)? {
                return Ok(rows);
            }
        }
    }

    /// The columns of `system.tables`, asked of the server once.
    pub fn system_tables_columns(&mut self) -> Result<&[String], Diagnostic> {
        if self.system_tables_columns.is_none() {
            let rows =
                self.rows_of("SELECT name FROM system.columns WHERE database = 'system' AND table = 'tables'")?;
            self.system_tables_columns = Some(rows.into_iter().flatten().collect());
        }
        Ok(self.system_tables_columns.as_deref().unwrap_or_default())
    }

    /// The current database, asked of the server once unless given when connecting or set.
    pub fn current_database(&mut self) -> Result<String, Diagnostic> {
        if let Some(database) = &self.database {
            return Ok(database.clone());
        }
        let rows = self.rows_of("SELECT currentDatabase()")?;
        let database = rows
            .into_iter()
            .next()
            .and_then(|row| row.into_iter().next())
            .unwrap_or_default();
        self.database = Some(database.clone());
        Ok(database)
    }
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
    /// Each new statement's SQL_ATTR_QUERY_TIMEOUT in seconds (`QueryTimeout`); 0 for none.
    pub query_timeout: AtomicU64,
    /// Descriptors the application allocated on this connection, freed with it.
    pub descriptors: Mutex<Vec<usize>>,
    /// SQL_ATTR_CURRENT_CATALOG set before connecting: the database to connect to.
    pub catalog: Mutex<Option<String>>,
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
            query_timeout: AtomicU64::new(0),
            descriptors: Mutex::new(Vec::new()),
            catalog: Mutex::new(None),
        }
    }

    pub fn env(&self) -> &Env {
        // SAFETY: SQLFreeHandle refuses to free an environment that still has connections.
        unsafe { &*(self.env as *const Env) }
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
    /// The descriptors allocated with the statement, by `Role` order: ARD, APD, IRD, IPD.
    implicit: [usize; 4],
    /// The ARD and APD in use: the implicit ones or explicit ones the application installed.
    app_row: AtomicUsize,
    app_param: AtomicUsize,
}

impl Stmt {
    /// Allocates a statement and its four implicit descriptors; returns the statement's handle.
    pub fn allocate(dbc: usize) -> *mut c_void {
        // SAFETY: the caller passes a live connection handle.
        let seconds = unsafe { &*(dbc as *const Dbc) }.query_timeout.load(Ordering::Acquire);
        let query_timeout = (seconds > 0).then(|| std::time::Duration::from_secs(seconds));
        let mut stmt = Box::new(Stmt {
            diagnostics: Diagnostics::default(),
            dbc,
            state: Mutex::new(StatementState {
                query_timeout,
                ..StatementState::default()
            }),
            implicit: [0; 4],
            app_row: AtomicUsize::new(0),
            app_param: AtomicUsize::new(0),
        });
        let owner = &*stmt as *const Stmt as usize;
        stmt.implicit = [Role::AppRow, Role::AppParam, Role::ImpRow, Role::ImpParam]
            .map(|role| Desc::new(dbc, owner, role).register() as usize);
        stmt.app_row.store(stmt.implicit[0], Ordering::Release);
        stmt.app_param.store(stmt.implicit[1], Ordering::Release);
        Stmt::register_boxed(stmt)
    }

    pub fn dbc(&self) -> &Dbc {
        // SAFETY: SQLFreeHandle refuses to free a connection that still has statements.
        unsafe { &*(self.dbc as *const Dbc) }
    }

    /// An identity for `Session::result_owner`.
    pub fn id(&self) -> usize {
        self as *const Stmt as usize
    }

    fn descriptor(address: usize) -> &'static Desc {
        // SAFETY: implicit descriptors live as long as their statement, and an explicit one, when
        // freed, puts the implicit one back in every statement using it (`Desc::detach`).
        unsafe { &*(address as *const Desc) }
    }

    pub fn ard(&self) -> &Desc {
        Stmt::descriptor(self.app_row.load(Ordering::Acquire))
    }

    pub fn apd(&self) -> &Desc {
        Stmt::descriptor(self.app_param.load(Ordering::Acquire))
    }

    pub fn ird(&self) -> &Desc {
        Stmt::descriptor(self.implicit[2])
    }

    pub fn ipd(&self) -> &Desc {
        Stmt::descriptor(self.implicit[3])
    }

    /// The handle of the descriptor in `role` (for SQLGetStmtAttr).
    pub fn descriptor_handle(&self, role: Role) -> usize {
        match role {
            Role::AppRow => self.app_row.load(Ordering::Acquire),
            Role::AppParam => self.app_param.load(Ordering::Acquire),
            Role::ImpRow => self.implicit[2],
            Role::ImpParam | Role::Explicit => self.implicit[3],
        }
    }

    /// Installs an explicit descriptor as the ARD or APD (`role`), or the implicit one back when
    /// `handle` is 0 (SQL_NULL_HDESC).
    pub fn install(&self, role: Role, handle: usize) -> Result<(), super::diag::Diagnostic> {
        let (slot, implicit) = match role {
            Role::AppRow => (&self.app_row, self.implicit[0]),
            Role::AppParam => (&self.app_param, self.implicit[1]),
            _ => {
                return Err(super::diag::Diagnostic::new(
                    "HY017",
                    "implicit descriptors cannot be replaced",
                ));
            }
        };
        let chosen = if handle == 0 || handle == implicit {
            implicit
        } else {
            // SAFETY: validated by the registry; the application keeps it alive while installed.
            let desc = unsafe { Desc::from_handle(handle as *mut c_void) }
                .filter(|desc| desc.fields.lock().role == Role::Explicit && desc.dbc == self.dbc)
                .ok_or_else(|| {
                    super::diag::Diagnostic::new(
                        "HY024",
                        "not a descriptor allocated by the application on this connection",
                    )
                })?;
            desc.users.lock().push(self.id());
            handle
        };
        let previous = slot.swap(chosen, Ordering::AcqRel);
        if previous != implicit && previous != chosen {
            Stmt::descriptor(previous).forget_user(self.id());
        }
        Ok(())
    }

    /// Frees the implicit descriptors and leaves the explicit ones this statement used.
    pub fn release_descriptors(&self) {
        for slot in [&self.app_row, &self.app_param] {
            let address = slot.load(Ordering::Acquire);
            if !self.implicit.contains(&address) {
                Stmt::descriptor(address).forget_user(self.id());
            }
        }
        for address in self.implicit {
            // SAFETY: implicit descriptors are not exposed for freeing (SQLFreeHandle refuses them).
            drop(unsafe { Desc::release(address as *mut c_void) });
        }
    }
}

impl Handle for Stmt {
    const KIND: Kind = Kind::Stmt;
    fn diagnostics(&self) -> &Diagnostics {
        &self.diagnostics
    }
}

pub struct Desc {
    pub diagnostics: Diagnostics,
    pub dbc: usize,
    /// The statement an implicit descriptor belongs to; 0 for an explicit one.
    pub owner: usize,
    pub fields: Mutex<Fields>,
    /// Statements using this explicit descriptor as their ARD or APD.
    users: Mutex<Vec<usize>>,
}

impl Desc {
    pub fn new(dbc: usize, owner: usize, role: Role) -> Desc {
        Desc {
            diagnostics: Diagnostics::default(),
            dbc,
            owner,
            fields: Mutex::new(Fields::new(role)),
            users: Mutex::new(Vec::new()),
        }
    }

    /// The statement of an implicit descriptor.
    pub fn owner(&self) -> Option<&Stmt> {
        // SAFETY: an implicit descriptor is freed with its statement.
        (self.owner != 0).then(|| unsafe { &*(self.owner as *const Stmt) })
    }

    fn forget_user(&self, statement: usize) {
        let mut users = self.users.lock();
        if let Some(index) = users.iter().position(|&user| user == statement) {
            users.swap_remove(index);
        }
    }

    /// Before an explicit descriptor is freed: every statement using it goes back to its own.
    pub fn detach(&self) {
        let address = self as *const Desc as *mut c_void;
        let users = std::mem::take(&mut *self.users.lock());
        for statement in users {
            // SAFETY: a statement removes itself from `users` when freed, so these are live.
            let stmt = unsafe { &*(statement as *const Stmt) };
            for role in [Role::AppRow, Role::AppParam] {
                if stmt.descriptor_handle(role) == address as usize {
                    // Installing null cannot fail.
                    let _ = stmt.install(role, 0);
                }
            }
        }
    }
}

impl Handle for Desc {
    const KIND: Kind = Kind::Desc;
    fn diagnostics(&self) -> &Diagnostics {
        &self.diagnostics
    }
}
