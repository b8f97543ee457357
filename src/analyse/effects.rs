//! Did it work: the effect follow-up. Between two surveys, the statements
//! (or categories) that completed initiatives strengthened against the
//! others: the mean change of each group and their difference, with a 95 %
//! interval from a bootstrap over respondents (each year's respondents
//! resampled on their own, every item's change recomputed, percentile
//! interval). An association, never proof of cause; too few items on
//! either side give no estimate.

/// Fewer items than this on either side: too few to tell.
pub const MIN_ITEMS: usize = 3;

/// Bootstrap resamples.
pub const RESAMPLES: usize = 1000;

/// The estimate for one group, year and level.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Items (statements or categories) targeted, and the others.
    pub targeted: usize,
    pub others: usize,
    /// Mean change of the targeted items and of the others (index points).
    pub mean_targeted: f64,
    pub mean_others: f64,
    /// `mean_targeted - mean_others`.
    pub difference: f64,
    /// The 95 % percentile interval of the difference.
    pub ci: (f64, f64),
}

/// The follow-up of one level: an estimate, or why there is none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Effect {
    Estimate(Estimate),
    /// Fewer than [`MIN_ITEMS`] targeted or other items with figures.
    TooFew {
        targeted: usize,
        others: usize,
    },
    /// The group is hidden (below the anonymity threshold) in the earlier
    /// year.
    Hidden,
}

/// A small deterministic generator (SplitMix64): the same seed gives the
/// same resamples on every machine.
#[derive(Debug, Clone)]
pub struct SplitMix(pub u64);

/// One SplitMix64 step: advances `state` and returns the next 64 random
/// bits. The one copy of the mixing constants (synthetic data uses it too).
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl SplitMix {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        splitmix64(&mut self.0)
    }

    /// A uniform index below `n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * n as f64) as usize % n
    }
}

/// The seed of a group's bootstrap: FNV-1a over organisation, unit and
/// year, so that reruns, `--jobs` and `--shard` draw the same resamples.
pub fn seed(organisation: &str, unit: Option<&str>, year: i32) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in organisation
        .bytes()
        .chain([0])
        .chain(unit.unwrap_or("").bytes())
        .chain([0])
        .chain(year.to_le_bytes())
    {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// One year's scores as a dense table for the bootstrap: each
/// respondent's items in a row, a missing score as 0 with a count of 0
/// beside it, so that a resample's sums run without a branch. Adding 0 to
/// a sum of scores leaves it as it is, so every mean is the one of the
/// present scores, summed in the same order.
struct Dense {
    values: Vec<f64>,
    counts: Vec<f64>,
    items: usize,
}

impl Dense {
    fn new(scores: &[Vec<Option<f64>>], items: usize) -> Dense {
        let mut values = vec![0.0; scores.len() * items];
        let mut counts = vec![0.0; scores.len() * items];
        for (r, row) in scores.iter().enumerate() {
            for (k, v) in row.iter().enumerate().take(items) {
                if let Some(v) = v {
                    values[r * items + k] = *v;
                    counts[r * items + k] = 1.0;
                }
            }
        }
        Dense {
            values,
            counts,
            items,
        }
    }

    /// Each item's mean over the respondents `rows` (row indices); `None`
    /// where no respondent has a score.
    fn means(&self, rows: impl Iterator<Item = usize>) -> Vec<Option<f64>> {
        let mut sum = vec![0.0; self.items];
        let mut n = vec![0.0; self.items];
        for r in rows {
            let at = r * self.items..(r + 1) * self.items;
            for (s, v) in sum.iter_mut().zip(&self.values[at.clone()]) {
                *s += v;
            }
            for (n, c) in n.iter_mut().zip(&self.counts[at]) {
                *n += c;
            }
        }
        sum.iter()
            .zip(&n)
            .map(|(s, &n)| (n > 0.0).then(|| s / n))
            .collect()
    }
}

/// The mean change of the targeted items and of the others, from each
/// year's item means; `None` when a side has no item with both means.
fn split_means(
    before: &[Option<f64>],
    after: &[Option<f64>],
    targeted: &[bool],
) -> Option<(f64, f64)> {
    let (mut t, mut nt, mut o, mut no) = (0.0, 0, 0.0, 0);
    for ((b, a), &is_t) in before.iter().zip(after).zip(targeted) {
        if let (Some(b), Some(a)) = (b, a) {
            if is_t {
                t += a - b;
                nt += 1;
            } else {
                o += a - b;
                no += 1;
            }
        }
    }
    (nt > 0 && no > 0).then(|| (t / nt as f64, o / no as f64))
}

/// The effect follow-up of one group: `before` and `after` hold each
/// respondent's scores per item (0-100) in the two years, `targeted` which
/// items completed initiatives strengthened.
pub fn follow_up(
    before: &[Vec<Option<f64>>],
    after: &[Vec<Option<f64>>],
    targeted: &[bool],
    resamples: usize,
    seed: u64,
) -> Effect {
    let items = targeted.len();
    let (dense_b, dense_a) = (Dense::new(before, items), Dense::new(after, items));
    let (mb, ma) = (
        dense_b.means(0..before.len()),
        dense_a.means(0..after.len()),
    );
    let with_both = |want: bool| {
        (0..items)
            .filter(|&k| targeted[k] == want && mb[k].is_some() && ma[k].is_some())
            .count()
    };
    let (nt, no) = (with_both(true), with_both(false));
    if nt < MIN_ITEMS || no < MIN_ITEMS || before.is_empty() || after.is_empty() {
        return Effect::TooFew {
            targeted: nt,
            others: no,
        };
    }
    let Some((mean_targeted, mean_others)) = split_means(&mb, &ma, targeted) else {
        return Effect::TooFew {
            targeted: nt,
            others: no,
        };
    };
    let mut rng = SplitMix(seed);
    let mut draws: Vec<f64> = Vec::with_capacity(resamples);
    let (mut rows_b, mut rows_a) = (vec![0; before.len()], vec![0; after.len()]);
    for _ in 0..resamples {
        rows_b.iter_mut().for_each(|r| *r = rng.below(before.len()));
        rows_a.iter_mut().for_each(|r| *r = rng.below(after.len()));
        let (b, a) = (
            dense_b.means(rows_b.iter().copied()),
            dense_a.means(rows_a.iter().copied()),
        );
        if let Some((t, o)) = split_means(&b, &a, targeted) {
            draws.push(t - o);
        }
    }
    draws.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let k = ((q * draws.len() as f64).floor() as usize).min(draws.len().saturating_sub(1));
        draws.get(k).copied().unwrap_or(f64::NAN)
    };
    Effect::Estimate(Estimate {
        targeted: nt,
        others: no,
        mean_targeted,
        mean_others,
        difference: mean_targeted - mean_others,
        ci: (at(0.025), at(0.975)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A standard normal draw (Box-Muller).
    fn normal(rng: &mut SplitMix) -> f64 {
        let u = |r: &mut SplitMix| ((r.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
        let (a, b) = (u(rng), u(rng));
        (-2.0 * a.ln()).sqrt() * (std::f64::consts::TAU * b).cos()
    }

    /// Respondents' scores: each item's level plus the respondent's own
    /// level (correlating items within a respondent) plus noise.
    fn survey(rng: &mut SplitMix, n: usize, levels: &[f64], spread: f64) -> Vec<Vec<Option<f64>>> {
        (0..n)
            .map(|_| {
                let own = normal(rng) * spread / 2.0;
                levels
                    .iter()
                    .map(|l| Some(l + own + normal(rng) * spread))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn the_point_estimate_by_hand() {
        // two respondents a year, three items targeted, three not
        let before = vec![
            vec![
                Some(40.0),
                Some(50.0),
                Some(60.0),
                Some(40.0),
                Some(50.0),
                Some(60.0),
            ],
            vec![
                Some(60.0),
                Some(50.0),
                Some(40.0),
                Some(60.0),
                Some(50.0),
                Some(40.0),
            ],
        ];
        // targeted items rise by 10, 6 and 2 (mean 6); the others by 1, 2, 3 (mean 2)
        let after = vec![
            vec![
                Some(60.0),
                Some(56.0),
                Some(52.0),
                Some(51.0),
                Some(52.0),
                Some(53.0),
            ];
            2
        ];
        let targeted = [true, true, true, false, false, false];
        let Effect::Estimate(e) = follow_up(&before, &after, &targeted, 200, 1) else {
            panic!("an estimate");
        };
        assert!((e.mean_targeted - 6.0).abs() < 1e-12);
        assert!((e.mean_others - 2.0).abs() < 1e-12);
        assert!((e.difference - 4.0).abs() < 1e-12);
        assert!(e.ci.0 <= e.difference && e.difference <= e.ci.1, "{e:?}");
        assert_eq!((e.targeted, e.others), (3, 3));
    }

    #[test]
    fn dense_means_skip_missing_scores_and_count_resampled_rows_again() {
        let scores = vec![
            vec![Some(10.0), None, Some(30.0), None],
            vec![Some(20.0), Some(5.0), None, None],
        ];
        let dense = Dense::new(&scores, 4);
        // row 1 drawn twice: (10 + 20 + 20) / 3, 5, 30, no score at all
        assert_eq!(
            dense.means([0, 1, 1].into_iter()),
            vec![Some(50.0 / 3.0), Some(5.0), Some(30.0), None]
        );
        assert_eq!(dense.means(std::iter::empty()), vec![None; 4]);
    }

    #[test]
    fn too_few_items_on_a_side_give_no_estimate() {
        let scores = vec![vec![Some(50.0); 5]; 4];
        let targeted = [true, true, false, false, false];
        assert_eq!(
            follow_up(&scores, &scores, &targeted, 100, 1),
            Effect::TooFew {
                targeted: 2,
                others: 3
            }
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_interval_and_seeds_differ_by_group() {
        let mut rng = SplitMix(7);
        let before = survey(&mut rng, 30, &[50.0; 8], 15.0);
        let after = survey(&mut rng, 30, &[52.0; 8], 15.0);
        let targeted = [true, true, true, true, false, false, false, false];
        let a = follow_up(
            &before,
            &after,
            &targeted,
            300,
            seed("Exempelby", None, 2025),
        );
        let b = follow_up(
            &before,
            &after,
            &targeted,
            300,
            seed("Exempelby", None, 2025),
        );
        assert_eq!(a, b);
        assert_ne!(
            seed("Exempelby", None, 2025),
            seed("Exempelby", Some("Social"), 2025)
        );
        assert_ne!(seed("Exempelby", None, 2025), seed("Exempelby", None, 2024));
    }

    #[test]
    fn a_known_rise_of_the_targeted_statements_is_recovered() {
        // 12 statements, 5 targeted; everything rises by 2, the targeted
        // ones by 8 more
        let levels_before: Vec<f64> = (0..12).map(|k| 45.0 + k as f64).collect();
        let targeted: Vec<bool> = (0..12).map(|k| k % 3 == 0 || k == 1).collect();
        let levels_after: Vec<f64> = levels_before
            .iter()
            .zip(&targeted)
            .map(|(l, t)| l + 2.0 + if *t { 8.0 } else { 0.0 })
            .collect();
        let mut rng = SplitMix(2025);
        let before = survey(&mut rng, 120, &levels_before, 15.0);
        let after = survey(&mut rng, 120, &levels_after, 15.0);
        let Effect::Estimate(e) = follow_up(&before, &after, &targeted, RESAMPLES, 11) else {
            panic!("an estimate");
        };
        assert!(e.ci.0 <= 8.0 && 8.0 <= e.ci.1, "{e:?}");
        assert!(
            e.ci.0 > 0.0,
            "a rise this large is told apart from none: {e:?}"
        );
        assert!((e.difference - 8.0).abs() < 3.0, "{e:?}");
    }

    #[test]
    fn without_an_effect_the_interval_covers_zero_about_95_times_in_100() {
        let levels: Vec<f64> = (0..12).map(|k| 40.0 + 2.0 * k as f64).collect();
        let targeted: Vec<bool> = (0..12).map(|k| k < 5).collect();
        let mut covered = 0;
        let seeds = 200;
        for s in 0..seeds {
            let mut rng = SplitMix(1000 + s);
            let before = survey(&mut rng, 40, &levels, 15.0);
            let after = survey(&mut rng, 40, &levels, 15.0);
            if let Effect::Estimate(e) = follow_up(&before, &after, &targeted, RESAMPLES, s) {
                if e.ci.0 <= 0.0 && 0.0 <= e.ci.1 {
                    covered += 1;
                }
            }
        }
        let share = covered as f64 / seeds as f64;
        assert!(
            (0.90..=0.99).contains(&share),
            "covered {covered} of {seeds}"
        );
    }
}
