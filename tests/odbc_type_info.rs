//! SQLGetTypeInfo called directly, as a C program linking libbytehouse.so would, with no driver
//! manager in between. Every row it lists is proved on both test servers: a column of the type is
//! created (bare and in Nullable), a literal written with the row's prefix and suffix is inserted and
//! found again with `=` (and LIKE where the row claims it), and a query reports the row's SQL type.

mod common;

use bytehouse::ffi::*;
use common::c_abi::{HANDLE_STMT, Handles};
use common::{Server, diagnostic, servers};

const C_CHAR: i16 = 1;
const ALL_TYPES: i16 = 0;
const TYPE_TIMESTAMP: i16 = 93;
/// SQL_SEARCHABLE: LIKE works too.
const SEARCHABLE: i16 = 3;

/// Types ClickHouse 18.16 does not have yet, so SQLGetTypeInfo does not list them there.
const MISSING_ON_18_16: &[&str] = &[
    "Bool",
    "Int128",
    "UInt128",
    "Int256",
    "UInt256",
    "IPv4",
    "IPv6",
    "Date32",
    "DateTime64",
];

/// A value of each listed type, written without the row's literal prefix and suffix.
const SAMPLES: &[(&str, &str)] = &[
    ("UUID", "61f0c404-5cb3-11e7-907b-a6006ad3dba0"),
    ("Bool", "true"),
    ("Int8", "-128"),
    ("UInt8", "255"),
    ("Int64", "-9223372036854775807"),
    ("UInt64", "18446744073709551615"),
    ("FixedString", "abc"),
    // Whole: 18.16 reads a fractional literal as Float64, which it cannot compare with a Decimal.
    ("Decimal", "-12345"),
    ("Int128", "-170141183460469231731687303715884105727"),
    ("UInt128", "340282366920938463463374607431768211455"),
    (
        "Int256",
        "-57896044618658097711785492504343953926634992332820282019728792003956564819967",
    ),
    (
        "UInt256",
        "115792089237316195423570985008687907853269984665640564039457584007913129639935",
    ),
    ("Int32", "-2147483648"),
    ("UInt32", "4294967295"),
    ("Int16", "-32768"),
    ("UInt16", "65535"),
    ("Float32", "0.5"),
    ("Float64", "-2.25"),
    ("String", "hello"),
    ("IPv4", "1.2.3.4"),
    ("IPv6", "2001:db8::ff00:42:8329"),
    ("Date", "2020-01-02"),
    ("Date32", "1900-01-01"),
    ("DateTime", "2020-01-02 03:04:05"),
    ("DateTime64", "2020-01-02 03:04:05.678"),
];

/// Parameter values for the sample declarations: the sample's length for FixedString (a shorter
/// literal would be padded and compare unequal on 18.16), digits that hold the Decimal sample, and
/// DateTime64's fractional digits.
const SAMPLE_PARAMETERS: &[(&str, &str)] = &[("length", "3"), ("precision,scale", "18, 4"), ("precision", "3")];

/// Statements, results and SQLGetTypeInfo on the shared C-ABI handles.
trait TypeInfoHandles {
    /// Runs `sql`, leaving its result open; Err with the first diagnostic if it fails.
    fn try_execute(&self, sql: &str) -> Result<(), (String, String)>;
    /// Runs `sql` and returns its rows as text (`None` for NULL).
    fn query(&self, sql: &str) -> Result<Vec<Vec<Option<String>>>, (String, String)>;
    /// Runs `sql`, panicking with the diagnostic if it fails.
    fn run(&self, sql: &str);
    /// Every remaining row of the open result, each cell read with SQLGetData as text.
    fn fetch_all(&self) -> Vec<Vec<Option<String>>>;
    fn cell(&self, column: u16) -> Option<String>;
    /// SQLDescribeCol of the open result: (name, data type, column size, decimal digits, nullable).
    fn describe(&self, column: u16) -> (String, i16, usize, i16, i16);
    /// SQLGetTypeInfo for `data_type`, its rows read.
    fn type_info(&self, data_type: i16) -> Vec<TypeInfo>;
}

impl TypeInfoHandles for Handles {
    fn try_execute(&self, sql: &str) -> Result<(), (String, String)> {
        match self.execute(sql) {
            SQL_SUCCESS => Ok(()),
            _ => Err(diagnostic(HANDLE_STMT, self.stmt)),
        }
    }

    fn query(&self, sql: &str) -> Result<Vec<Vec<Option<String>>>, (String, String)> {
        self.try_execute(sql).map(|()| self.fetch_all())
    }

    fn run(&self, sql: &str) {
        if let Err(error) = self.query(sql) {
            panic!("{sql}: {error:?}");
        }
    }

    fn fetch_all(&self) -> Vec<Vec<Option<String>>> {
        let mut columns = 0i16;
        assert_eq!(unsafe { SQLNumResultCols(self.stmt, &mut columns) }, SQL_SUCCESS);
        let mut rows = Vec::new();
        while columns > 0 && unsafe { SQLFetch(self.stmt) } == SQL_SUCCESS {
            rows.push((1..=columns as u16).map(|column| self.cell(column)).collect());
        }
        unsafe { SQLCloseCursor(self.stmt) };
        rows
    }

    fn cell(&self, column: u16) -> Option<String> {
        let mut buffer = [0u8; 256];
        let mut indicator = 0isize;
        let code = unsafe {
            SQLGetData(
                self.stmt,
                column,
                C_CHAR,
                buffer.as_mut_ptr().cast(),
                256,
                &mut indicator,
            )
        };
        assert_eq!(code, SQL_SUCCESS, "column {column}");
        (indicator >= 0).then(|| String::from_utf8(buffer[..indicator as usize].to_vec()).unwrap())
    }

    fn describe(&self, column: u16) -> (String, i16, usize, i16, i16) {
        let mut name = [0u8; 64];
        let (mut name_length, mut data_type, mut size, mut digits, mut nullable) = (0i16, 0i16, 0usize, 0i16, 0i16);
        let code = unsafe {
            SQLDescribeCol(
                self.stmt,
                column,
                name.as_mut_ptr(),
                64,
                &mut name_length,
                &mut data_type,
                &mut size,
                &mut digits,
                &mut nullable,
            )
        };
        assert_eq!(code, SQL_SUCCESS, "column {column}");
        let name = String::from_utf8(name[..name_length as usize].to_vec()).unwrap();
        (name, data_type, size, digits, nullable)
    }

    fn type_info(&self, data_type: i16) -> Vec<TypeInfo> {
        assert_eq!(unsafe { SQLGetTypeInfo(self.stmt, data_type) }, SQL_SUCCESS);
        self.fetch_all().iter().map(|cells| TypeInfo::new(cells)).collect()
    }
}

/// The columns of a SQLGetTypeInfo row that the proofs use.
#[derive(Debug)]
struct TypeInfo {
    name: String,
    data_type: i16,
    column_size: usize,
    prefix: String,
    suffix: String,
    create_params: Option<String>,
    case_sensitive: bool,
    searchable: i16,
    maximum_scale: Option<i16>,
}

impl TypeInfo {
    fn new(cells: &[Option<String>]) -> TypeInfo {
        assert_eq!(cells.len(), 19);
        let number = |index: usize| cells[index].as_deref().map(|text| text.parse::<i16>().unwrap());
        TypeInfo {
            name: cells[0].clone().unwrap(),
            data_type: number(1).unwrap(),
            column_size: cells[2].as_deref().unwrap().parse().unwrap(),
            prefix: cells[3].clone().unwrap_or_default(),
            suffix: cells[4].clone().unwrap_or_default(),
            create_params: cells[5].clone(),
            case_sensitive: number(7) == Some(1),
            searchable: number(8).unwrap(),
            maximum_scale: number(14),
        }
    }

    /// The type declared with `parameters` in parentheses, if it takes any.
    fn declared(&self, parameters: impl Fn(&str) -> String) -> String {
        match &self.create_params {
            Some(keywords) => format!("{}({})", self.name, parameters(keywords)),
            None => self.name.clone(),
        }
    }

    fn sample_declaration(&self) -> String {
        self.declared(|keywords| lookup(SAMPLE_PARAMETERS, keywords).to_string())
    }

    /// The declaration with every parameter at the largest value the row allows, or one beyond it.
    fn widest_declaration(&self, beyond: usize) -> String {
        let scale = usize::try_from(self.maximum_scale.unwrap_or(0)).unwrap();
        self.declared(|keywords| match keywords {
            "length" => (self.column_size + beyond).to_string(),
            "precision,scale" => format!("{}, {scale}", self.column_size + beyond),
            // DateTime64's precision is its number of fractional digits.
            "precision" => (scale + beyond).to_string(),
            other => panic!("{}: unexpected CREATE_PARAMS {other}", self.name),
        })
    }

    fn literal(&self) -> String {
        format!("{}{}{}", self.prefix, lookup(SAMPLES, &self.name), self.suffix)
    }
}

fn lookup<'a>(table: &[(&str, &'a str)], key: &str) -> &'a str {
    table
        .iter()
        .find(|(name, _)| *name == key)
        .unwrap_or_else(|| panic!("no entry for {key}"))
        .1
}

/// Creates a Memory table with column `c` of `declaration` and `n` of its Nullable form.
fn create_table(handles: &Handles, declaration: &str) -> Result<String, (String, String)> {
    let table = common::unique_table("type_info");
    let sql = format!("CREATE TABLE {table} (c {declaration}, n Nullable({declaration})) ENGINE = Memory");
    handles.query(&sql).map(|_| table)
}

/// Uses the row's type as the row describes it; panics with the server and statement that failed.
fn prove(handles: &Handles, server: &Server, row: &TypeInfo) {
    let declaration = row.sample_declaration();
    let table = create_table(handles, &declaration)
        .unwrap_or_else(|error| panic!("{}: create {declaration}: {error:?}", server.name));
    let literal = row.literal();
    let count = |condition: String| {
        let sql = format!("SELECT count() FROM {table} WHERE {condition}");
        let rows = handles
            .query(&sql)
            .unwrap_or_else(|error| panic!("{}: {sql}: {error:?}", server.name));
        rows[0][0].clone().unwrap()
    };
    handles.run(&format!("INSERT INTO {table} VALUES ({literal}, NULL)"));
    assert_eq!(
        count(format!("c = {literal}")),
        "1",
        "{}: {declaration} = {literal}",
        server.name
    );
    if row.searchable == SEARCHABLE {
        assert_eq!(count("c LIKE '%'".into()), "1", "{}: {declaration} LIKE", server.name);
    }
    if row.case_sensitive {
        assert_eq!(
            count(format!("c = upper({literal})")),
            "0",
            "{}: {declaration}",
            server.name
        );
    }

    handles
        .try_execute(&format!("SELECT c, n FROM {table} LIMIT 0"))
        .unwrap();
    let (_, data_type, size, _, nullable) = handles.describe(1);
    assert_eq!(data_type, row.data_type, "{}: {declaration}", server.name);
    if row.create_params.is_none() {
        assert_eq!(size, row.column_size, "{}: {declaration}", server.name);
    }
    assert_eq!(handles.describe(2).4, 1, "{}: Nullable({declaration})", server.name);
    assert_eq!(nullable, 0, "{}: {declaration}", server.name);
    unsafe { SQLCloseCursor(handles.stmt) };
    handles.run(&format!("DROP TABLE {table}"));
}

#[test]
fn the_result_has_the_columns_odbc_defines() {
    // Name, SQL type (VARCHAR 12, SMALLINT 5, INTEGER 4) and whether NULL may appear.
    const COLUMNS: [(&str, i16, i16); 19] = [
        ("TYPE_NAME", 12, 0),
        ("DATA_TYPE", 5, 0),
        ("COLUMN_SIZE", 4, 1),
        ("LITERAL_PREFIX", 12, 1),
        ("LITERAL_SUFFIX", 12, 1),
        ("CREATE_PARAMS", 12, 1),
        ("NULLABLE", 5, 0),
        ("CASE_SENSITIVE", 5, 0),
        ("SEARCHABLE", 5, 0),
        ("UNSIGNED_ATTRIBUTE", 5, 1),
        ("FIXED_PREC_SCALE", 5, 0),
        ("AUTO_UNIQUE_VALUE", 5, 1),
        ("LOCAL_TYPE_NAME", 12, 1),
        ("MINIMUM_SCALE", 5, 1),
        ("MAXIMUM_SCALE", 5, 1),
        ("SQL_DATA_TYPE", 5, 0),
        ("SQL_DATETIME_SUB", 5, 1),
        ("NUM_PREC_RADIX", 4, 1),
        ("INTERVAL_PRECISION", 5, 1),
    ];
    let handles = Handles::connect_server(&common::old_server());
    assert_eq!(unsafe { SQLGetTypeInfo(handles.stmt, ALL_TYPES) }, SQL_SUCCESS);
    for (index, (name, data_type, nullable)) in COLUMNS.into_iter().enumerate() {
        let (actual_name, actual_type, _, _, actual_nullable) = handles.describe(index as u16 + 1);
        assert_eq!(
            (actual_name.as_str(), actual_type, actual_nullable),
            (name, data_type, nullable)
        );
    }
}

#[test]
fn every_listed_type_works_as_described_on_both_servers() {
    for server in servers() {
        let handles = Handles::connect_server(&server);
        let rows = handles.type_info(ALL_TYPES);
        let missing = if server.is_modern() { 0 } else { MISSING_ON_18_16.len() };
        assert_eq!(rows.len(), SAMPLES.len() - missing, "{}: {rows:#?}", server.name);
        for row in &rows {
            assert!(
                server.is_modern() || !MISSING_ON_18_16.contains(&row.name.as_str()),
                "18.16 lists {}",
                row.name
            );
            prove(&handles, &server, row);
        }
    }
}

/// COLUMN_SIZE and MAXIMUM_SCALE are the largest parameters a modern server accepts by default
/// (18.16's Decimal stops at precision 38).
#[test]
fn parameters_reach_the_claimed_limits_on_the_modern_server() {
    let server = common::modern_server();
    let handles = Handles::connect_server(&server);
    let parameterized: Vec<TypeInfo> = handles
        .type_info(ALL_TYPES)
        .into_iter()
        .filter(|row| row.create_params.is_some())
        .collect();
    assert_eq!(parameterized.len(), 3);
    for row in parameterized {
        let widest = row.widest_declaration(0);
        let table = create_table(&handles, &widest).unwrap_or_else(|error| panic!("{widest}: {error:?}"));
        handles.try_execute(&format!("SELECT c FROM {table} LIMIT 0")).unwrap();
        let (_, _, size, digits, _) = handles.describe(1);
        assert_eq!(
            (size, digits),
            (row.column_size, row.maximum_scale.unwrap_or(0)),
            "{widest}"
        );
        unsafe { SQLCloseCursor(handles.stmt) };
        handles.run(&format!("DROP TABLE {table}"));
        let beyond = row.widest_declaration(1);
        assert!(create_table(&handles, &beyond).is_err(), "{beyond} is accepted");
    }
}

/// Within a DATA_TYPE the first row is the type the server's own SQL name for it resolves to, but
/// for TIMESTAMP, led by DateTime64 where the server has it (fractional seconds).
#[test]
fn the_first_row_of_each_type_is_what_the_sql_name_means() {
    const SQL_NAMES: &[(&str, i16)] = &[
        ("CAST(1 AS TINYINT)", -6),
        ("CAST(1 AS SMALLINT)", 5),
        ("CAST(1 AS INTEGER)", 4),
        ("CAST(1 AS BIGINT)", -5),
        ("CAST(1 AS DECIMAL(10, 2))", 3),
        ("CAST('a' AS VARCHAR)", 12),
        ("CAST('2020-01-02' AS DATE)", 91),
        ("CAST('2020-01-02 03:04:05' AS TIMESTAMP)", 93),
    ];
    for server in servers() {
        let handles = Handles::connect_server(&server);
        for (expression, data_type) in SQL_NAMES {
            let resolved = handles.query(&format!("SELECT toTypeName({expression})")).unwrap()[0][0]
                .clone()
                .unwrap();
            let family = match resolved.split('(').next().unwrap() {
                "DateTime" if server.is_modern() => "DateTime64",
                family => family,
            };
            let first = &handles.type_info(*data_type)[0];
            assert_eq!(first.name, family, "{}: {expression}", server.name);
        }
    }
}

#[test]
fn one_type_code_gives_only_its_rows() {
    let handles = Handles::connect_server(&common::old_server());
    let names =
        |data_type: i16| -> Vec<String> { handles.type_info(data_type).into_iter().map(|row| row.name).collect() };
    assert_eq!(names(TYPE_TIMESTAMP), ["DateTime"]);
    // ODBC 2's SQL_TIMESTAMP.
    assert_eq!(names(11), ["DateTime"]);
    // SQL_TYPE_TIME and SQL_WVARCHAR: no such type, an empty result rather than an error.
    assert!(names(92).is_empty());
    assert!(names(-9).is_empty());
}
