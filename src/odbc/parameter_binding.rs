//! SQLBindParameter, SQLNumParams and SQLDescribeParam: parameters as the application binds them
//! and as the prepared statement's markers describe them.

use super::descriptor::PARAM_INPUT;
use super::diag::Diagnostic;
use super::handles::Stmt;
use super::params::count;
use super::types::SqlDescription;

fn no_statement() -> Diagnostic {
    Diagnostic::new("HY010", "no statement was prepared")
}

impl Stmt {
    /// Records a parameter's buffer in the APD and its declared SQL type in the IPD; input
    /// parameters only (ClickHouse has no procedures with outputs).
    #[allow(clippy::too_many_arguments)]
    pub fn bind_parameter(
        &self,
        number: u16,
        io_type: i16,
        value_type: i16,
        parameter_type: i16,
        column_size: usize,
        decimal_digits: i16,
        value: usize,
        buffer_length: isize,
        indicator: usize,
    ) -> Result<(), Diagnostic> {
        if number == 0 {
            return Err(Diagnostic::new("07009", "parameter numbers start at 1"));
        }
        if io_type != PARAM_INPUT {
            return Err(Diagnostic::new("HYC00", "only input parameters are supported"));
        }
        let mut apd = self.apd().fields.lock();
        apd.bind(number, value_type, value, buffer_length, indicator)?;
        let mut ipd = self.ipd().fields.lock();
        let record = ipd.record_mut(number)?;
        record.concise_type = parameter_type;
        record.length = column_size;
        record.precision = i16::try_from(column_size).unwrap_or(i16::MAX);
        record.scale = decimal_digits;
        Ok(())
    }

    /// The number of `?` markers of the prepared statement (HY010 when nothing is prepared).
    pub fn parameter_count(&self) -> Result<usize, Diagnostic> {
        Ok(count(self.state.lock().prepared.as_deref().ok_or_else(no_statement)?))
    }

    /// The description of parameter `number` (from 1) of the prepared statement: its target
    /// column's type in `INSERT ... VALUES (?, ...)`, else a nullable VARCHAR.
    pub fn parameter_description(&self, number: u16) -> Result<SqlDescription, Diagnostic> {
        let mut state = self.state.lock();
        let markers = count(state.prepared.as_deref().ok_or_else(no_statement)?);
        if number == 0 || usize::from(number) > markers {
            return Err(Diagnostic::new("07009", format!("invalid parameter number {number}")));
        }
        Ok(self.describe_parameter(&mut state, usize::from(number) - 1))
    }
}
