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
    /// The driver log, when the connection string names one.
    pub log: Option<super::log::DriverLog>,
    /// The column size reported for String (`StringMaxLength`).
    pub string_size: usize,
    /// The columns `system.tables` has on this server (servers differ), once a catalog function asked.
    pub system_tables_columns: Option<Vec<String>>,
    /// The current database, once known (given when connecting, set by SQL_ATTR_CURRENT_CATALOG,
    /// or asked for).
    pub database: Option<String>,
}

impl Session {
    /// The options a query of this session carries (the connection's settings, a ByteHouse virtual
    /// warehouse among them, are the connection's own).
    pub fn options(&self, timeout: Option<std::time::Duration>) -> QueryOptions {
        QueryOptions {
            timeout,
            ..QueryOptions::default()
        }
    }

    /// Runs a metadata query to its end and returns each row's cells as text. A statement's open
    /// result is parked first, as for every query on the connection.
    pub fn rows_of(&mut self, sql: &str) -> Result<Vec<Vec<String>>, Diagnostic> {
        self.rows_within(sql, None)
    }

    /// [`Session::rows_of`] for a statement's own query: a server wait longer than `timeout` cancels
    /// it (HYT00).
    pub fn rows_within(
        &mut self,
        sql: &str,
        timeout: Option<std::time::Duration>,
    ) -> Result<Vec<Vec<String>>, Diagnostic> {
        self.make_way(None)?;
        let options = self.options(timeout);
        let to_diagnostic = |error: crate::native::Error| Diagnostic::from(&error);
        let mut rows = Vec::new();
        let Some(mut block) = self.connection.query(sql, &options).map_err(to_diagnostic)? else {
            return Ok(rows);
        };
        loop {
            rows.extend(block.text_rows());
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
    /// The handles of the statements allocated on this connection, freed when it disconnects.
    pub statements: Mutex<Vec<usize>>,
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
            statements: Mutex::new(Vec::new()),
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

    /// Whether a statement of this connection awaits data-at-execution parameters or is in a call
    /// on another thread: SQLDisconnect must not free it then (HY010).
    pub fn has_busy_statement(&self) -> bool {
        self.statements.lock().iter().any(|&handle| {
            // SAFETY: the registry holds only live statements.
            unsafe { Stmt::from_handle(handle as *mut c_void) }
                .is_some_and(|stmt| stmt.state.try_lock().is_none_or(|state| state.pending.is_some()))
        })
    }

    /// Frees the statements and the explicit descriptors allocated on this connection, as
    /// SQLDisconnect does: their handles are invalid afterwards.
    pub fn free_children(&self) {
        // Taken first: freeing a statement takes it off the list, under the same lock.
        let statements = std::mem::take(&mut *self.statements.lock());
        for statement in statements {
            // SAFETY: ODBC forbids using a connection's statements while it disconnects.
            unsafe { Stmt::free(statement as *mut c_void) };
        }
        let descriptors = std::mem::take(&mut *self.descriptors.lock());
        for descriptor in descriptors {
            // SAFETY: as above; no statement is left to use it.
            drop(unsafe { Desc::release(descriptor as *mut c_void) });
        }
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
    /// The address of the owning connection handle, which outlives its statements (SQLDisconnect
    /// frees them, and a connection is freed only once disconnected).
    pub dbc: usize,
    pub state: Mutex<StatementState>,
    /// The descriptors allocated with the statement, by `Role` order: ARD, APD, IRD, IPD. They
    /// live exactly as long as the statement.
    implicit: [usize; 4],
    /// The handles of the ARD and APD in use: the implicit ones or explicit ones the application
    /// installed, which are looked up in the registry since the application may free them.
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

    /// The implicit descriptor `index` (by `Role` order).
    fn implicit(&self, index: usize) -> &Desc {
        // SAFETY: implicit descriptors are freed only with their statement.
        unsafe { &*(self.implicit[index] as *const Desc) }
    }

    /// The descriptor in `slot` (ARD or APD), or the implicit one `index` if that is in use or
    /// the explicit one is no longer live.
    fn application(&self, slot: &AtomicUsize, index: usize) -> &Desc {
        let handle = slot.load(Ordering::Acquire);
        if handle == self.implicit[index] {
            return self.implicit(index);
        }
        // SAFETY: the registry holds only live descriptors; ODBC forbids freeing one in use.
        unsafe { Desc::from_handle(handle as *mut c_void) }.unwrap_or_else(|| self.implicit(index))
    }

    pub fn ard(&self) -> &Desc {
        self.application(&self.app_row, 0)
    }

    pub fn apd(&self) -> &Desc {
        self.application(&self.app_param, 1)
    }

    pub fn ird(&self) -> &Desc {
        self.implicit(2)
    }

    pub fn ipd(&self) -> &Desc {
        self.implicit(3)
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
            desc.add_user(self.id());
            handle
        };
        let previous = slot.swap(chosen, Ordering::AcqRel);
        if previous != implicit && previous != chosen {
            Desc::forget_user(previous, self.id());
        }
        Ok(())
    }

    /// Frees a statement handle: closes its cursor, frees its implicit descriptors and leaves the
    /// explicit ones it used. False if `handle` is not a live statement.
    ///
    /// # Safety
    /// No other thread may use the handle any more.
    pub unsafe fn free(handle: *mut c_void) -> bool {
        // SAFETY: forwarded from the caller.
        let Some(stmt) = (unsafe { Stmt::release(handle) }) else {
            return false;
        };
        stmt.close_cursor(&mut stmt.state.lock());
        for slot in [&stmt.app_row, &stmt.app_param] {
            let handle = slot.load(Ordering::Acquire);
            if !stmt.implicit.contains(&handle) {
                Desc::forget_user(handle, stmt.id());
            }
        }
        for address in stmt.implicit {
            // SAFETY: implicit descriptors are not exposed for freeing (SQLFreeHandle refuses them).
            drop(unsafe { Desc::release(address as *mut c_void) });
        }
        stmt.dbc()
            .statements
            .lock()
            .retain(|&statement| statement != handle as usize);
        true
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
    /// The handle of the statement an implicit descriptor belongs to; 0 for an explicit one.
    pub owner: usize,
    pub fields: Mutex<Fields>,
    /// The handles of the statements using this explicit descriptor as their ARD or APD, each
    /// once however often it was installed.
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

    /// The statement of an implicit descriptor, looked up by its handle.
    pub fn owner(&self) -> Option<&Stmt> {
        // SAFETY: the registry holds only live statements; an implicit descriptor is freed with
        // its statement.
        unsafe { Stmt::from_handle(self.owner as *mut c_void) }
    }

    fn add_user(&self, statement: usize) {
        let mut users = self.users.lock();
        if !users.contains(&statement) {
            users.push(statement);
        }
    }

    /// The statement `statement` no longer uses the descriptor `handle` (if that is still live).
    fn forget_user(handle: usize, statement: usize) {
        // SAFETY: the registry holds only live descriptors.
        if let Some(desc) = unsafe { Desc::from_handle(handle as *mut c_void) } {
            desc.users.lock().retain(|&user| user != statement);
        }
    }

    /// When an explicit descriptor is freed: every live statement using it goes back to its own.
    pub fn detach(&self) {
        let address = self as *const Desc as usize;
        let users = std::mem::take(&mut *self.users.lock());
        for statement in users {
            // SAFETY: the registry holds only live statements; ODBC forbids freeing one that
            // another call is using.
            let Some(stmt) = (unsafe { Stmt::from_handle(statement as *mut c_void) }) else {
                continue;
            };
            for role in [Role::AppRow, Role::AppParam] {
                if stmt.descriptor_handle(role) == address {
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
