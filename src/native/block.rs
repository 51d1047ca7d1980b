//! Blocks: the unit of data in every direction (server `src/Formats/NativeReader.cpp`, `NativeWriter.cpp`).
//!
//! Layout: BlockInfo fields (`01 is_overflows:u8 02 bucket_num:i32 00`), varint column count, varint
//! row count, then per column its name, type name, (from 54454) a custom-serialization flag, and,
//! only when there are rows, the column's prefix and data.

use std::io::BufRead;

use super::column::{ColumnData, read_prefix, write_prefix};
use super::error::{Error, Result};
use super::revision;
use super::types::DataType;
use super::wire::{ReadExt, WriteExt};

/// Caps a block's declared shape so corrupt counts fail fast instead of allocating.
const MAX_COLUMNS: u64 = 1 << 20;
const MAX_ROWS: u64 = 1 << 32;

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    /// The type name exactly as the server sent it.
    pub type_name: String,
    pub data_type: DataType,
    pub data: ColumnData,
}

impl Column {
    pub fn new(name: impl Into<String>, type_name: impl Into<String>) -> Result<Column> {
        let type_name = type_name.into();
        let data_type = DataType::parse(&type_name)?;
        let data = ColumnData::new(&data_type);
        Ok(Column {
            name: name.into(),
            type_name,
            data_type,
            data,
        })
    }

    pub fn len(&self) -> usize {
        self.data.len()
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    #[inline]
    pub fn value(&self, row: usize) -> super::column::Value<'_> {
        self.data.value(&self.data_type, row)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Block {
    pub columns: Vec<Column>,
    rows: usize,
    /// BlockInfo: set on the Totals-related overflow row of GROUP BY ... WITH TOTALS.
    pub is_overflows: bool,
    /// BlockInfo: the two-level aggregation bucket, -1 for ordinary blocks.
    pub bucket_num: i32,
}

impl Block {
    /// An empty block with the same columns as `header`, ready to be filled for INSERT.
    pub fn with_columns_of(header: &Block) -> Block {
        let columns = header
            .columns
            .iter()
            .map(|column| Column {
                name: column.name.clone(),
                type_name: column.type_name.clone(),
                data_type: column.data_type.clone(),
                data: ColumnData::new(&column.data_type),
            })
            .collect();
        Block {
            columns,
            rows: 0,
            is_overflows: false,
            bucket_num: -1,
        }
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Each row's values as the server prints them, for metadata results read as text.
    pub fn text_rows(&self) -> impl Iterator<Item = Vec<String>> + '_ {
        (0..self.rows).map(|row| {
            self.columns
                .iter()
                .map(|column| column.value(row).to_string())
                .collect()
        })
    }

    /// True for the block with no columns that ends a stream of blocks.
    pub fn is_end_marker(&self) -> bool {
        self.columns.is_empty() && self.rows == 0
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|column| column.name == name)
    }

    /// Appends one row of values, one per column; on error no column changes.
    pub fn push_row(&mut self, values: &[super::column::Value<'_>]) -> Result<()> {
        if values.len() != self.columns.len() {
            return Err(Error::Usage(format!(
                "a row of {} values does not fit a block of {} columns",
                values.len(),
                self.columns.len()
            )));
        }
        for (index, (column, value)) in self.columns.iter_mut().zip(values).enumerate() {
            if let Err(message) = column.data.push(&column.data_type, value) {
                for earlier in &mut self.columns[..index] {
                    earlier.data.truncate_rows(&earlier.data_type, self.rows);
                }
                let column = &self.columns[index];
                return Err(Error::Value {
                    column: column.name.clone(),
                    row: self.rows,
                    message,
                });
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// Sets the row count after columns were filled directly; every column must have that many rows.
    pub fn set_rows_from_columns(&mut self) -> Result<()> {
        let rows = self.columns.first().map_or(0, Column::len);
        if let Some(column) = self.columns.iter().find(|column| column.len() != rows) {
            return Err(Error::Usage(format!(
                "column `{}` has {} rows, not {rows}",
                column.name,
                column.len()
            )));
        }
        self.rows = rows;
        Ok(())
    }

    /// Removes all rows but keeps columns and their buffers.
    pub fn clear(&mut self) {
        for column in &mut self.columns {
            column.data.clear(&column.data_type);
        }
        self.rows = 0;
    }

    /// Gives the columns' DateTime types without a zone the zone `timezone` (the server's).
    pub fn assume_timezone(&mut self, timezone: &str) {
        for column in &mut self.columns {
            column.data_type.assume_timezone(timezone);
        }
    }

    /// Reads a block, reusing the columns of `self` when the server sends the same names and types.
    pub fn read<R: BufRead + ?Sized>(&mut self, reader: &mut R, revision: u64) -> Result<()> {
        self.is_overflows = false;
        self.bucket_num = -1;
        if revision >= revision::BLOCK_INFO {
            loop {
                match reader.read_varint()? {
                    0 => break,
                    1 => self.is_overflows = reader.read_bool()?,
                    2 => self.bucket_num = reader.read_i32_le()?,
                    field => return Err(Error::protocol(format!("unknown BlockInfo field {field}"))),
                }
            }
        }
        let column_count = reader.read_varint()?;
        let rows = reader.read_varint()?;
        if column_count > MAX_COLUMNS || rows > MAX_ROWS {
            return Err(Error::protocol(format!(
                "implausible block of {column_count} columns and {rows} rows"
            )));
        }
        if column_count == 0 && rows > 0 {
            return Err(Error::protocol(format!("a block of {rows} rows without columns")));
        }
        let (column_count, rows) = (column_count as usize, rows as usize);
        self.columns.truncate(column_count);
        for index in 0..column_count {
            let name = reader.read_string()?;
            let type_name = reader.read_string()?;
            if revision >= revision::CUSTOM_SERIALIZATION && reader.read_bool()? {
                return Err(Error::protocol(format!("column `{name}` uses a custom serialization")));
            }
            match self.columns.get_mut(index) {
                Some(column) if column.type_name == type_name => {
                    column.name = name;
                    column.data.clear(&column.data_type);
                }
                Some(column) => *column = Column::new(name, type_name)?,
                None => self.columns.push(Column::new(name, type_name)?),
            }
            let column = &mut self.columns[index];
            if rows > 0 {
                read_prefix(&column.data_type, reader)?;
                column.data.read_rows(&column.data_type, reader, rows)?;
            }
        }
        self.rows = rows;
        Ok(())
    }

    /// Appends this block in the Native format.
    pub fn write(&self, out: &mut Vec<u8>, revision: u64) {
        if revision >= revision::BLOCK_INFO {
            out.write_varint(1);
            out.write_u8(u8::from(self.is_overflows));
            out.write_varint(2);
            out.extend_from_slice(&self.bucket_num.to_le_bytes());
            out.write_varint(0);
        }
        out.write_varint(self.columns.len() as u64);
        out.write_varint(self.rows as u64);
        for column in &self.columns {
            out.write_str(&column.name);
            out.write_str(&column.type_name);
            if revision >= revision::CUSTOM_SERIALIZATION {
                out.write_u8(0);
            }
            if self.rows > 0 {
                write_prefix(&column.data_type, out);
                column.data.write_rows(&column.data_type, out);
            }
        }
    }
}
