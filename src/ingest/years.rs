//! The survey year of each row: from a year column, else a date column,
//! else the year the file's folder or name (or `[ingest] year`) gives.

use crate::discover::{year_in, YEARS};

/// Where a file's rows take their survey year from.
#[derive(Debug, Clone, Copy)]
pub struct Years {
    /// The year column, if the file has one.
    pub column: Option<usize>,
    /// The date column, if the file has one.
    pub date: Option<usize>,
    /// The year of the whole file: `[ingest] year`, else its name's.
    pub fallback: Option<i32>,
}

/// Why a row has no year.
#[derive(Debug, Clone, PartialEq)]
pub enum NoYear {
    /// The year cell holds something else.
    NotAYear(String),
    /// Neither a year nor a date cell, and no year for the file.
    Missing,
}

impl Years {
    /// Whether any row can have a year at all.
    pub fn is_possible(&self) -> bool {
        self.column.is_some() || self.date.is_some() || self.fallback.is_some()
    }

    /// The year of a row with these (tidied) year and date cells.
    pub fn of(&self, year: Option<&str>, date: Option<&str>) -> Result<i32, NoYear> {
        if let Some(y) = year {
            return y
                .parse::<i32>()
                .ok()
                .filter(|y| YEARS.contains(y))
                .ok_or_else(|| NoYear::NotAYear(y.to_string()));
        }
        date.and_then(year_in)
            .or(self.fallback)
            .ok_or(NoYear::Missing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_year_cell_then_the_date_then_the_file() {
        let all = Years {
            column: Some(0),
            date: Some(1),
            fallback: Some(2023),
        };
        assert_eq!(all.of(Some("2025"), Some("2024-03-01")), Ok(2025));
        assert_eq!(all.of(None, Some("2024-03-01")), Ok(2024));
        assert_eq!(all.of(None, Some("igår")), Ok(2023));
        assert_eq!(all.of(None, None), Ok(2023));
        assert_eq!(
            all.of(Some("tjugo"), Some("2024-03-01")),
            Err(NoYear::NotAYear("tjugo".into()))
        );
        assert_eq!(
            all.of(Some("1066"), None),
            Err(NoYear::NotAYear("1066".into()))
        );
        let none = Years {
            column: None,
            date: Some(1),
            fallback: None,
        };
        assert_eq!(none.of(None, None), Err(NoYear::Missing));
        assert!(none.is_possible());
        assert!(!Years { date: None, ..none }.is_possible());
    }
}
