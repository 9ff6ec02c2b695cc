//! Exact non-negative fractions for the Method of Equal Shares: a voter's money after a
//! purchase is their budget less a share such as 1/3 of a cost, and the next purchase
//! compares such shares; floats would decide a close call by rounding, and two programs by
//! different roundings. Denominators grow with every purchase (a product of the numbers of
//! payers), so the parts are big integers.

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_integer::Integer;

/// `num / den` with `den > 0`; stored values are kept in lowest terms, intermediate ones
/// (sums inside one price computation) may not be.
#[derive(Debug, Clone)]
pub(super) struct Frac {
    num: BigInt,
    den: BigInt,
}

impl Frac {
    pub(super) fn int(n: u64) -> Self {
        Self {
            num: BigInt::from(n),
            den: BigInt::from(1u8),
        }
    }

    /// `num / den` in lowest terms; `den` must not be 0.
    pub(super) fn ratio(num: u64, den: u64) -> Self {
        Self {
            num: BigInt::from(num),
            den: BigInt::from(den),
        }
        .reduced()
    }

    pub(super) fn zero() -> Self {
        Self::int(0)
    }

    pub(super) fn is_positive(&self) -> bool {
        self.num > BigInt::ZERO
    }

    pub(super) fn reduced(self) -> Self {
        let g = self.num.gcd(&self.den);
        if g <= BigInt::from(1u8) {
            return self;
        }
        Self {
            num: self.num / &g,
            den: self.den / g,
        }
    }

    pub(super) fn add(&self, other: &Self) -> Self {
        if self.den == other.den {
            return Self {
                num: &self.num + &other.num,
                den: self.den.clone(),
            };
        }
        Self {
            num: &self.num * &other.den + &other.num * &self.den,
            den: &self.den * &other.den,
        }
    }

    pub(super) fn sub(&self, other: &Self) -> Self {
        if self.den == other.den {
            return Self {
                num: &self.num - &other.num,
                den: self.den.clone(),
            };
        }
        Self {
            num: &self.num * &other.den - &other.num * &self.den,
            den: &self.den * &other.den,
        }
    }

    pub(super) fn times(&self, k: u64) -> Self {
        Self {
            num: &self.num * k,
            den: self.den.clone(),
        }
    }

    /// `self / k`; `k` must not be 0.
    pub(super) fn over(&self, k: u64) -> Self {
        Self {
            num: self.num.clone(),
            den: &self.den * k,
        }
    }
}

impl Ord for Frac {
    fn cmp(&self, other: &Self) -> Ordering {
        if self.den == other.den {
            return self.num.cmp(&other.num);
        }
        (&self.num * &other.den).cmp(&(&other.num * &self.den))
    }
}

impl PartialOrd for Frac {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Frac {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Frac {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_compare_and_subtract_exactly() {
        let third = Frac::ratio(1, 3);
        let two_sixths = Frac::ratio(2, 6);
        assert_eq!(third, two_sixths);
        assert_eq!(third.den, BigInt::from(3u8), "kept in lowest terms");
        // 1/3 + 1/3 + 1/3 is exactly 1, which no float says
        let one = third.add(&third).add(&third).reduced();
        assert_eq!(one, Frac::int(1));
        assert!(Frac::ratio(1, 3) < Frac::ratio(334, 1000));
        assert!(!Frac::int(1).sub(&one).is_positive());
        assert_eq!(Frac::int(10).over(4), Frac::ratio(5, 2));
        assert_eq!(Frac::ratio(5, 2).times(2), Frac::int(5));
    }
}
