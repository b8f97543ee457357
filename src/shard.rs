//! Spreading a national run over machines: `--shard K/N` renders a stable
//! 1/N of the organisations. An organisation's shard depends only on its
//! output folder name (the first eight bytes of its sha256, modulo N), so
//! every machine agrees without talking to the others, whatever order the
//! input lists the organisations in.

use std::fmt;

use sha2::{Digest, Sha256};

/// One share of a multi-organisation run: shard K of N, each organisation in
/// exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based: shard K of N.
    pub index: usize,
    /// N, the number of shards.
    pub count: usize,
}

impl Shard {
    /// Parses `K/N` with 1 <= K <= N.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let (k, n) = text
            .split_once('/')
            .ok_or_else(|| format!("expected K/N such as 1/4, got \"{text}\""))?;
        let parse = |s: &str| s.trim().parse::<usize>().ok();
        match (parse(k), parse(n)) {
            (Some(index), Some(count)) if count >= 1 && (1..=count).contains(&index) => {
                Ok(Shard { index, count })
            }
            _ => Err(format!(
                "expected K/N with 1 <= K <= N (such as 1/4), got \"{text}\""
            )),
        }
    }

    /// The shard (1-based) that an organisation's output folder falls in.
    pub fn of(folder: &str, count: usize) -> usize {
        let digest = Sha256::digest(folder.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        (u64::from_be_bytes(first) % count.max(1) as u64) as usize + 1
    }

    /// Whether the organisation with this output folder is in the shard.
    pub fn contains(&self, folder: &str) -> bool {
        Shard::of(folder, self.count) == self.index
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_k_of_n_and_rejects_the_rest() {
        assert_eq!(Shard::parse("2/8"), Ok(Shard { index: 2, count: 8 }));
        for bad in ["0/3", "4/3", "1/0", "x/2", "3", ""] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_organisation_is_in_exactly_one_shard() {
        for n in 1..6 {
            for i in 0..50 {
                let folder = format!("organisation-{i:04}");
                let holders = (1..=n)
                    .filter(|k| {
                        Shard {
                            index: *k,
                            count: n,
                        }
                        .contains(&folder)
                    })
                    .count();
                assert_eq!(holders, 1, "{folder} in {n} shards");
            }
        }
    }

    #[test]
    fn the_shard_is_fixed_by_the_folder_name() {
        // computed independently (Python's hashlib): a change of formula
        // would silently move organisations between machines
        assert_eq!(Shard::of("alby-kommun", 2), 2);
        assert_eq!(Shard::of("bruka-kommun", 2), 2);
        assert_eq!(Shard::of("cirka-region", 2), 1);
        assert_eq!(Shard::of("alby-kommun", 3), 1);
        assert_eq!(Shard::of("bruka-kommun", 3), 2);
        assert_eq!(Shard::of("alby-kommun", 1), 1);
    }
}
