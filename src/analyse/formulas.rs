//! The formulas, as small pure functions with hand-computed tests.

/// A mean answer rescaled to 0-100: `(mean - min) / (max - min) * 100`.
pub fn scale_index(mean: f64, min: f64, max: f64) -> f64 {
    (mean - min) / (max - min) * 100.0
}

/// The weighted mean of the values that exist: `Σ wᵢ·xᵢ / Σ wᵢ` over the
/// items whose value is `Some`. Items without a value drop out and the
/// remaining weights are renormalised. `None` when no item has a value.
pub fn weighted_mean<I>(items: I) -> Option<f64>
where
    I: IntoIterator<Item = (Option<f64>, f64)>,
{
    let (mut sum, mut weights) = (0.0, 0.0);
    for (value, weight) in items {
        if let Some(v) = value {
            sum += weight * v;
            weights += weight;
        }
    }
    (weights > 0.0).then(|| sum / weights)
}

/// A share as a fraction, `None` for an empty denominator.
pub fn share(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_index_by_hand() {
        // six-point scale: 1 -> 0 %, 6 -> 100 %, mean 4.5 -> 3.5/5 = 70 %
        assert_eq!(scale_index(1.0, 1.0, 6.0), 0.0);
        assert_eq!(scale_index(6.0, 1.0, 6.0), 100.0);
        assert!((scale_index(4.5, 1.0, 6.0) - 70.0).abs() < 1e-12);
        // 0-1 scale (OECD style): the mean is the index / 100
        assert!((scale_index(0.25, 0.0, 1.0) - 25.0).abs() < 1e-12);
    }

    #[test]
    fn weighted_mean_by_hand() {
        // (2*10 + 1*40) / 3 = 20
        assert_eq!(
            weighted_mean([(Some(10.0), 2.0), (Some(40.0), 1.0)]),
            Some(20.0)
        );
        // a missing item drops out: (10*1) / 1
        assert_eq!(weighted_mean([(Some(10.0), 1.0), (None, 5.0)]), Some(10.0));
        assert_eq!(weighted_mean([(None, 1.0)]), None);
        assert_eq!(weighted_mean(std::iter::empty()), None);
    }

    #[test]
    fn share_by_hand() {
        assert_eq!(share(1, 4), Some(0.25));
        assert_eq!(share(0, 0), None);
    }
}
