//! The survey year of each row: from a year column, else `[ingest] year`
//! (a survey that ran over the new year is one survey), else a date
//! column, else the year the file's folder or name gives.

use crate::discover::{year_in, YEARS};

/// Where a file's rows take their survey year from.
#[derive(Debug, Clone, Copy)]
pub struct Years {
    /// The year column, if the file has one.
    pub column: Option<usize>,
    /// The date column, if the file has one.
    pub date: Option<usize>,
    /// The year of the whole file, `[ingest] year`: before its dates.
    pub fixed: Option<i32>,
    /// The year the file's folder or name gives: after its dates.
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
        self.column.is_some() || self.date.is_some() || self.fixed.or(self.fallback).is_some()
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
        if let Some(y) = self.fixed.filter(|y| !YEARS.contains(y)) {
            return Err(NoYear::NotAYear(y.to_string()));
        }
        self.fixed
            .or_else(|| date.and_then(year_in))
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
            fixed: None,
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
        // the config's year wins over the dates, not over a year column
        let fixed = Years {
            fixed: Some(2015),
            ..all
        };
        assert_eq!(fixed.of(None, Some("2016-01-10")), Ok(2015));
        assert_eq!(fixed.of(Some("2016"), Some("2016-01-10")), Ok(2016));
        let none = Years {
            column: None,
            date: Some(1),
            fixed: None,
            fallback: None,
        };
        assert_eq!(none.of(None, None), Err(NoYear::Missing));
        assert!(none.is_possible());
        assert!(!Years { date: None, ..none }.is_possible());
    }
}
