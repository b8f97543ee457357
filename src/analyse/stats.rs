//! Statistics: sample summaries, t-based confidence intervals with a finite
//! population correction, Welch's t-test and Cronbach's alpha. Pure
//! functions, tested against reference values.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// n, mean and sample standard deviation (n - 1 in the denominator).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// The number of values.
    pub n: usize,
    /// Their mean.
    pub mean: f64,
    /// `None` for fewer than two values.
    pub sd: Option<f64>,
}

/// The summary of `values`; `None` when there are none.
pub fn summary(values: &[f64]) -> Option<Summary> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let sd = (n >= 2).then(|| {
        let ss: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
        (ss / (n - 1) as f64).sqrt()
    });
    Some(Summary { n, mean, sd })
}

/// The p-quantile of Student's t distribution with `df` degrees of freedom.
/// Each (p, df) is computed once per thread: a national analysis asks for
/// the same few hundred quantiles about a million times, and the inverse
/// is a numerical search over the incomplete beta function.
pub fn t_quantile(p: f64, df: f64) -> f64 {
    thread_local! {
        static QUANTILES: std::cell::RefCell<std::collections::HashMap<(u64, u64), f64>> =
            Default::default();
    }
    QUANTILES.with(|cache| {
        *cache
            .borrow_mut()
            .entry((p.to_bits(), df.to_bits()))
            .or_insert_with(|| {
                StudentsT::new(0.0, 1.0, df)
                    .map(|t| t.inverse_cdf(p))
                    .unwrap_or(f64::NAN)
            })
    })
}

/// The finite population correction `sqrt((N - n) / (N - 1))` for a sample
/// of `n` out of `population`; 1 when the population is unknown.
pub fn fpc(n: usize, population: Option<usize>) -> f64 {
    match population {
        Some(big_n) if big_n > 1 && n <= big_n => ((big_n - n) as f64 / (big_n - 1) as f64).sqrt(),
        Some(big_n) if big_n > 1 => 0.0,
        _ => 1.0,
    }
}

/// A two-sided confidence interval around `centre` from a sample's standard
/// deviation: `centre ± t(1 - α/2, n - 1) · sd / √n · fpc`.
pub fn confidence_interval(
    centre: f64,
    s: &Summary,
    population: Option<usize>,
    level: f64,
) -> Option<(f64, f64)> {
    let sd = s.sd?;
    let df = (s.n - 1) as f64;
    let half =
        t_quantile(1.0 - (1.0 - level) / 2.0, df) * sd / (s.n as f64).sqrt() * fpc(s.n, population);
    Some((centre - half, centre + half))
}

/// Welch's unequal-variances t-test of two independent samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Welch {
    /// The t statistic.
    pub t: f64,
    /// Welch-Satterthwaite degrees of freedom.
    pub df: f64,
    /// Two-sided p-value.
    pub p: f64,
}

/// Welch's test of `a` against `b`; `None` when either has fewer than two
/// values or both have no spread.
pub fn welch(a: &Summary, b: &Summary) -> Option<Welch> {
    let (va, vb) = (a.sd? * a.sd? / a.n as f64, b.sd? * b.sd? / b.n as f64);
    let se2 = va + vb;
    if se2 <= 0.0 {
        return None;
    }
    let t = (a.mean - b.mean) / se2.sqrt();
    let df = se2 * se2 / (va * va / (a.n - 1) as f64 + vb * vb / (b.n - 1) as f64);
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    let p = 2.0 * (1.0 - dist.cdf(t.abs()));
    Some(Welch { t, df, p })
}

/// Cronbach's alpha of complete cases: `rows[i][j]` is respondent i's
/// answer to item j. `k/(k-1) · (1 - Σ var(item) / var(sum))`, sample
/// variances. `None` for fewer than two items or cases, or no variance.
pub fn cronbach_alpha(rows: &[Vec<f64>]) -> Option<f64> {
    let n = rows.len();
    let k = rows.first()?.len();
    if n < 2 || k < 2 {
        return None;
    }
    let var = |xs: &[f64]| {
        summary(xs)
            .and_then(|s| s.sd)
            .map(|sd| sd * sd)
            .unwrap_or(0.0)
    };
    let item_vars: f64 = (0..k)
        .map(|j| var(&rows.iter().map(|r| r[j]).collect::<Vec<_>>()))
        .sum();
    let total_var = var(&rows.iter().map(|r| r.iter().sum()).collect::<Vec<_>>());
    (total_var > 0.0).then(|| k as f64 / (k as f64 - 1.0) * (1.0 - item_vars / total_var))
}

/// Holm's step-down adjustment of `p` for testing them all at once: the
/// smallest is multiplied by m, the next by m - 1, ..., each kept at least
/// as large as the one before and at most 1. In the input's order.
pub fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|a, b| p[*a].total_cmp(&p[*b]).then(a.cmp(b)));
    let mut out = vec![0.0; m];
    let mut running: f64 = 0.0;
    for (rank, &i) in order.iter().enumerate() {
        running = running.max(((m - rank) as f64 * p[i]).min(1.0));
        out[i] = running;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) {
        assert!((a - b).abs() < tol, "{a} != {b}");
    }

    #[test]
    fn summary_by_hand() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sum of squares 32, var 32/7
        let s = summary(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]).unwrap();
        assert_eq!((s.n, s.mean), (8, 5.0));
        close(s.sd.unwrap(), (32.0f64 / 7.0).sqrt(), 1e-12);
        assert_eq!(summary(&[3.0]).unwrap().sd, None);
        assert_eq!(summary(&[]), None);
    }

    #[test]
    fn t_quantiles_match_tables() {
        // two-sided 95 % critical values (scipy.stats.t.ppf(0.975, df))
        close(t_quantile(0.975, 1.0), 12.706204736174707, 1e-6);
        close(t_quantile(0.975, 5.0), 2.570581835636314, 1e-6);
        close(t_quantile(0.975, 10.0), 2.228138851986274, 1e-6);
        close(t_quantile(0.975, 30.0), 2.042272456301238, 1e-6);
        close(t_quantile(0.975, 1000.0), 1.9623390808264083, 1e-6);
    }

    /// Reference values from scipy.stats.ttest_ind(a, b, equal_var=False).
    #[test]
    fn welch_matches_scipy() {
        let a = [
            27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7,
            21.4,
        ];
        let b = [
            27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5,
            24.4,
        ];
        let w = welch(&summary(&a).unwrap(), &summary(&b).unwrap()).unwrap();
        close(w.t, -2.455356398286006, 1e-9);
        close(w.df, 24.988529290231416, 1e-9);
        close(w.p, 0.021378001462866992, 1e-6);
        let a = [17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8];
        let b = [
            21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8, 20.7, 21.7, 21.5, 22.5,
            23.6, 21.5, 22.5, 23.5, 21.5, 21.8,
        ];
        let w = welch(&summary(&a).unwrap(), &summary(&b).unwrap()).unwrap();
        close(w.t, -1.5654335235985037, 1e-9);
        close(w.df, 9.904741248650831, 1e-9);
        close(w.p, 0.14884169660532817, 1e-6);
    }

    /// Reference values from pingouin.cronbach_alpha (Python).
    #[test]
    fn cronbach_alpha_matches_pingouin() {
        let rows = |r: &[&[f64]]| r.iter().map(|x| x.to_vec()).collect::<Vec<_>>();
        let a = rows(&[
            &[4., 5., 4., 3.],
            &[2., 3., 3., 2.],
            &[5., 5., 6., 5.],
            &[3., 4., 3., 4.],
            &[6., 5., 5., 6.],
            &[1., 2., 2., 1.],
            &[4., 4., 5., 3.],
        ]);
        close(cronbach_alpha(&a).unwrap(), 0.9523809523809522, 1e-6);
        let b = rows(&[
            &[3., 4., 2.],
            &[5., 5., 4.],
            &[2., 1., 3.],
            &[4., 4., 4.],
            &[3., 2., 2.],
            &[6., 5., 6.],
            &[1., 2., 1.],
            &[4., 5., 3.],
        ]);
        close(cronbach_alpha(&b).unwrap(), 0.9119555143651528, 1e-6);
        assert_eq!(cronbach_alpha(&rows(&[&[1., 2.]])), None, "one case");
        assert_eq!(cronbach_alpha(&rows(&[&[1.], &[2.]])), None, "one item");
    }

    #[test]
    fn finite_population_correction_by_hand() {
        assert_eq!(fpc(10, None), 1.0);
        close(fpc(10, Some(101)), (91.0f64 / 100.0).sqrt(), 1e-12);
        assert_eq!(
            fpc(50, Some(50)),
            0.0,
            "everybody answered: no sampling error"
        );
    }

    #[test]
    fn confidence_interval_by_hand() {
        // n = 6, sd = 2: half-width t(0.975, 5) * 2 / sqrt(6)
        let s = Summary {
            n: 6,
            mean: 50.0,
            sd: Some(2.0),
        };
        let (lo, hi) = confidence_interval(50.0, &s, None, 0.95).unwrap();
        let half = 2.570581835636314 * 2.0 / 6f64.sqrt();
        close(lo, 50.0 - half, 1e-9);
        close(hi, 50.0 + half, 1e-9);
        // of 11 invited: fpc sqrt(5/10)
        let (lo, _) = confidence_interval(50.0, &s, Some(11), 0.95).unwrap();
        close(lo, 50.0 - half * 0.5f64.sqrt(), 1e-9);
        assert_eq!(
            confidence_interval(
                1.0,
                &Summary {
                    n: 1,
                    mean: 1.0,
                    sd: None
                },
                None,
                0.95
            ),
            None
        );
    }

    #[test]
    fn holm_by_hand() {
        // sorted: 0.005·4 = 0.02; 0.01·3 = 0.03; 0.03·2 = 0.06;
        // 0.04·1 = 0.04, raised to 0.06 to keep the order
        let adjusted = holm(&[0.01, 0.04, 0.03, 0.005]);
        let expected = [0.03, 0.06, 0.06, 0.02];
        for (a, e) in adjusted.iter().zip(expected) {
            assert!((a - e).abs() < 1e-12, "{adjusted:?}");
        }
        assert_eq!(holm(&[0.6, 0.7]), [1.0, 1.0]);
        assert!(holm(&[]).is_empty());
    }
}
