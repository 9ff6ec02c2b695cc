//! The quick way through one run of the Method of Equal Shares: the run of [`super::mes`]
//! with every amount held as an interval of two floats that surely contains the exact
//! amount, instead of an exact fraction. Exact fractions are what a run decides by, but
//! their denominators grow with every purchase (a product of numbers of payers): at 100 000
//! ballots one exact run took 45 s, nearly all of it big-integer arithmetic.
//!
//! A run only needs the amounts to take its decisions: which supporters pay all they have,
//! whether a project is affordable, which project is cheapest per unit of satisfaction,
//! whether a voter is left with nothing. Each is taken here only when the intervals prove
//! it: every operation rounds its lower end down and its upper end up by one float (the
//! float result is within half of one of the exact one), so the exact amount stays inside,
//! and a comparison counts only when the two intervals do not overlap. Equal prices (a
//! tie for the draw) are told by the one exact form kept alongside: when none of the
//! supporters pays all they have, the payment is `cost / payers` exactly. Any decision the
//! intervals cannot prove (a near tie, a voter paying exactly all they have) abandons the
//! quick run ([`Undecided`]) and the caller redoes it with exact fractions, so the outcome
//! is always the exact run's.
//!
//! How far the start may rise with the same outcome ([`Reach`]) is kept as a lower bound:
//! a shorter skip costs a run, never a different outcome.
//!
//! The price of a project is found without sorting its supporters by money: starting from
//! `cost / supporters`, those with less than the price pay all they have and the rest share
//! what is missing, until no one more is found short (the price only rises, so this ends
//! in a few passes); then the intervals check that the poor found are surely poorer than
//! the price and the others surely not.

use super::Satisfaction;

/// A run the intervals could not decide; it is redone exactly.
#[derive(Debug)]
pub(super) struct Undecided;

/// Integers up to this are exact as floats.
pub(super) const EXACT_UP_TO: u64 = 1 << 53;

/// `[lo, hi]`, surely containing the exact amount.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Iv {
    pub(super) lo: f64,
    pub(super) hi: f64,
}

impl Iv {
    pub(super) const ZERO: Self = Self { lo: 0.0, hi: 0.0 };

    pub(super) fn int(n: u128) -> Self {
        let x = n as f64;
        if n <= u128::from(EXACT_UP_TO) {
            Self { lo: x, hi: x }
        } else {
            Self {
                lo: x.next_down(),
                hi: x.next_up(),
            }
        }
    }

    pub(super) fn add(self, other: Self) -> Self {
        Self {
            lo: (self.lo + other.lo).next_down(),
            hi: (self.hi + other.hi).next_up(),
        }
    }

    pub(super) fn sub(self, other: Self) -> Self {
        Self {
            lo: (self.lo - other.hi).next_down(),
            hi: (self.hi - other.lo).next_up(),
        }
    }

    pub(super) fn neg(self) -> Self {
        Self {
            lo: -self.hi,
            hi: -self.lo,
        }
    }

    /// `self * k`; `k` at most [`EXACT_UP_TO`].
    pub(super) fn times(self, k: u64) -> Self {
        let k = k as f64;
        Self {
            lo: (self.lo * k).next_down(),
            hi: (self.hi * k).next_up(),
        }
    }

    /// `self / k`; `k` positive, at most [`EXACT_UP_TO`].
    pub(super) fn over(self, k: u64) -> Self {
        let k = k as f64;
        Self {
            lo: (self.lo / k).next_down(),
            hi: (self.hi / k).next_up(),
        }
    }

    fn mid(self) -> f64 {
        0.5 * self.lo + 0.5 * self.hi
    }
}

/// An amount at the run's start and its rate per unit the start rises.
#[derive(Debug, Clone, Copy)]
pub(super) struct Affine {
    pub(super) at: Iv,
    pub(super) rate: Iv,
}

/// A payment `q` for a project: its interval, and `payers` when it is exactly
/// `cost / payers` (none of the supporters pays all they have).
#[derive(Debug, Clone, Copy)]
pub(super) struct Payment {
    pub(super) q: Affine,
    pub(super) exact_payers: Option<u64>,
}

impl Payment {
    /// The price per unit of satisfaction.
    pub(super) fn per_satisfaction(&self, satisfaction: Satisfaction, cost: u64) -> Affine {
        match satisfaction {
            Satisfaction::Cardinality => self.q,
            Satisfaction::Cost => Affine {
                at: self.q.at.over(cost),
                rate: self.q.rate.over(cost),
            },
        }
    }

    /// The price per unit of satisfaction as an exact fraction `(num, den)`, when known.
    pub(super) fn exact_per_satisfaction(
        &self,
        satisfaction: Satisfaction,
        cost: u64,
    ) -> Option<(u128, u128)> {
        let payers = u128::from(self.exact_payers?);
        Some(match satisfaction {
            // (cost / payers) / cost
            Satisfaction::Cost => (1, payers),
            Satisfaction::Cardinality => (u128::from(cost), payers),
        })
    }
}

/// A lower bound of how far the start may rise with the run's every decision unchanged;
/// `None`: no decision was seen to turn.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Reach(pub(super) Option<f64>);

impl Reach {
    /// A gap that is not negative and changes by `rate` per unit of start.
    pub(super) fn watch(&mut self, gap: Iv, rate: Iv) {
        if rate.lo >= 0.0 {
            return;
        }
        let distance = if gap.lo <= 0.0 {
            0.0
        } else {
            (gap.lo / -rate.lo).next_down().max(0.0)
        };
        self.0 = Some(self.0.map_or(distance, |d| d.min(distance)));
    }

    pub(super) fn now(&mut self) {
        self.0 = Some(0.0);
    }

    /// The raises of `unit` to skip: at most those up to the first start at or past the
    /// exact horizon, at least 1.
    pub(super) fn steps(&self, unit: u64) -> u64 {
        self.0.map_or(1, |d| {
            let x = (d / unit as f64).next_down();
            if x.is_nan() || x <= 0.0 {
                1
            } else {
                // `as` saturates at u64::MAX
                (x.ceil() as u64).max(1)
            }
        })
    }
}

/// The voters' money by class, as [`super::mes::Purse`], in intervals: a class is the
/// voters who paid for the same winners (class 0: those left with nothing).
pub(super) struct Wallets {
    class: Vec<u32>,
    money: Vec<Iv>,
    rate: Vec<Iv>,
    /// Scratch: supporters per class, the classes met, where a class moves on a charge,
    /// whether a met class pays all it has.
    count: Vec<u32>,
    met: Vec<u32>,
    to: Vec<u32>,
}

impl Wallets {
    pub(super) fn new(voters: usize, start: Iv) -> Self {
        Self {
            class: vec![1; voters],
            money: vec![Iv::ZERO, start],
            rate: vec![Iv::ZERO, Iv::int(1)],
            count: vec![0, 0],
            met: Vec::new(),
            to: Vec::new(),
        }
    }

    fn gather(&mut self, supporters: &[u32]) {
        self.met.clear();
        for &v in supporters {
            let c = self.class[v as usize] as usize;
            if self.count[c] == 0 {
                self.met.push(c as u32);
            }
            self.count[c] += 1;
        }
    }

    fn scatter(&mut self) {
        for &c in &self.met {
            self.count[c as usize] = 0;
        }
    }

    /// The payment `q` by which `supporters` cover `cost` (each pays `q` or all they have
    /// when that is less), `None` when all they have is surely short of it.
    pub(super) fn price(
        &mut self,
        cost: u64,
        supporters: &[u32],
        reach: &mut Reach,
    ) -> Result<Option<Payment>, Undecided> {
        self.gather(supporters);
        let found = self.price_met(cost, supporters.len() as u64, reach);
        self.scatter();
        found
    }

    fn price_met(
        &self,
        cost: u64,
        all: u64,
        reach: &mut Reach,
    ) -> Result<Option<Payment>, Undecided> {
        let cost_iv = Iv::int(u128::from(cost));
        let mut total = Iv::ZERO;
        let mut total_rate = Iv::ZERO;
        for &c in &self.met {
            let n = u64::from(self.count[c as usize]);
            total = total.add(self.money[c as usize].times(n));
            total_rate = total_rate.add(self.rate[c as usize].times(n));
        }
        if total.hi < cost_iv.lo {
            // short of the cost while the supporters' money stays under it
            reach.watch(cost_iv.sub(total), total_rate.neg());
            return Ok(None);
        }
        if total.lo < cost_iv.hi {
            return Err(Undecided);
        }
        let threshold = self.poor_threshold(cost as f64, all)?;
        let poor = |c: u32| self.money[c as usize].mid() < threshold;
        let mut paid = Iv::ZERO;
        let mut paid_rate = Iv::ZERO;
        let mut payers = all;
        // the richest of those paying all they have, and the fastest-growing
        let mut richest = f64::NEG_INFINITY;
        let mut fastest = f64::NEG_INFINITY;
        let mut any_poor = false;
        for &c in &self.met {
            if poor(c) {
                let n = self.count[c as usize];
                let (money, rate) = (self.money[c as usize], self.rate[c as usize]);
                paid = paid.add(money.times(u64::from(n)));
                paid_rate = paid_rate.add(rate.times(u64::from(n)));
                payers -= u64::from(n);
                if c != 0 {
                    any_poor = true;
                    richest = richest.max(money.hi);
                    fastest = fastest.max(rate.hi);
                }
            }
        }
        if payers == 0 {
            return Err(Undecided);
        }
        let q = Affine {
            at: cost_iv.sub(paid).over(payers),
            // nobody paying all they have (but the empty purses): exactly 0
            rate: if any_poor {
                paid_rate.neg().over(payers)
            } else {
                Iv::ZERO
            },
        };
        // the poor surely have less than q, the others surely at least q
        for &c in &self.met {
            let money = self.money[c as usize];
            let sure = if poor(c) {
                money.hi < q.at.lo
            } else {
                money.lo >= q.at.hi
            };
            if !sure {
                return Err(Undecided);
            }
        }
        if any_poor {
            // the poor stay poor while the price stays above their money
            let gap = q.at.sub(Iv {
                lo: richest,
                hi: richest,
            });
            let rate = q.rate.sub(Iv {
                lo: fastest,
                hi: fastest,
            });
            reach.watch(gap, rate);
        }
        Ok(Some(Payment {
            q,
            exact_payers: (!any_poor).then_some(payers),
        }))
    }

    /// A float price that separates those who pay all they have (money below it) from the
    /// rest, by the passes of the module's comment; checked by the caller in intervals.
    fn poor_threshold(&self, cost: f64, all: u64) -> Result<f64, Undecided> {
        let mut q = cost / all as f64;
        let mut poor_before = usize::MAX;
        for _ in 0..12 {
            let (mut paid, mut payers, mut poor) = (0.0, all, 0usize);
            for &c in &self.met {
                let money = self.money[c as usize].mid();
                if money < q {
                    let n = self.count[c as usize];
                    paid += money * f64::from(n);
                    payers -= u64::from(n);
                    poor += 1;
                }
            }
            if poor == poor_before || payers == 0 {
                return Ok(q);
            }
            poor_before = poor;
            q = q.max((cost - paid) / payers as f64);
        }
        // many passes: walk the classes from the poorest instead
        let mut met: Vec<(f64, u64)> = self
            .met
            .iter()
            .map(|&c| {
                (
                    self.money[c as usize].mid(),
                    u64::from(self.count[c as usize]),
                )
            })
            .collect();
        met.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (mut paid, mut payers) = (0.0, all);
        for (money, n) in met {
            let missing = cost - paid;
            if missing <= money * payers as f64 {
                return Ok(missing / payers as f64);
            }
            paid += money * n as f64;
            payers -= n;
        }
        Err(Undecided)
    }

    /// Each supporter pays `q`, or all they have when that is less.
    pub(super) fn charge(&mut self, supporters: &[u32], q: &Affine) -> Result<(), Undecided> {
        self.gather(supporters);
        if self.to.len() < self.money.len() {
            self.to.resize(self.money.len(), 0);
        }
        for i in 0..self.met.len() {
            let c = self.met[i] as usize;
            let to = if c == 0 {
                0
            } else {
                let left = self.money[c].sub(q.at);
                if left.lo > 0.0 {
                    self.money.push(left);
                    self.rate.push(self.rate[c].sub(q.rate));
                    self.count.push(0);
                    (self.money.len() - 1) as u32
                } else if left.hi < 0.0 {
                    0
                } else {
                    // maybe exactly all they had: the exact run tells
                    self.scatter();
                    return Err(Undecided);
                }
            };
            self.to[c] = to;
        }
        for &v in supporters {
            let c = self.class[v as usize] as usize;
            self.class[v as usize] = self.to[c];
        }
        self.scatter();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_hold_the_exact_amount() {
        // 1/3 is no float: the interval holds it, one float either side
        let third = Iv::int(1).over(3);
        assert!(third.lo < third.hi);
        assert!(third.lo * 3.0 <= 1.0 && third.hi * 3.0 >= 1.0);
        // 1/3 + 1/3 + 1/3 - 1: zero inside, its sign undecided
        let zero = third.add(third).add(third).sub(Iv::int(1));
        assert!(zero.lo < 0.0 && zero.hi > 0.0);
        assert_eq!(
            Iv::int(10).times(3),
            Iv {
                lo: 30f64.next_down(),
                hi: 30f64.next_up()
            }
        );
        // above 2^53 an integer is no longer exact as a float
        let big = Iv::int(u128::from(EXACT_UP_TO) + 1);
        assert!(big.lo < big.hi);
        assert_eq!(Iv::int(5).neg(), Iv { lo: -5.0, hi: -5.0 });
    }

    #[test]
    fn the_price_needs_no_sort_and_proves_who_pays_all() {
        // three voters with 20: one pays 7 for an earlier winner, leaving 13, 13 (two
        // voters) and 20. Cost 45: 15 each is more than 13, so the two pay 13 and the third
        // 19: q = 19, the two at 13 are the poor
        let mut w = Wallets::new(3, Iv::int(20));
        w.charge(
            &[0, 1],
            &Affine {
                at: Iv::int(7),
                rate: Iv::ZERO,
            },
        )
        .unwrap();
        let mut reach = Reach::default();
        let q = w.price(45, &[0, 1, 2], &mut reach).unwrap().unwrap();
        assert!(q.q.at.lo <= 19.0 && q.q.at.hi >= 19.0 && q.q.at.hi - q.q.at.lo < 1e-9);
        assert_eq!(q.exact_payers, None, "two pay all they have");
        // cost 30: 10 each, nobody short: exactly 30 / 3
        let q = w.price(30, &[0, 1, 2], &mut reach).unwrap().unwrap();
        assert_eq!(q.exact_payers, Some(3));
        // 47 is more than all they have (46)
        assert!(w.price(47, &[0, 1, 2], &mut reach).unwrap().is_none());
        // 46 is exactly all they have: the intervals cannot tell, the exact run must
        assert!(w.price(46, &[0, 1, 2], &mut reach).is_err());
        // paying exactly what a voter has: undecided too
        assert!(
            w.charge(
                &[2],
                &Affine {
                    at: Iv::int(20),
                    rate: Iv::ZERO,
                },
            )
            .is_err()
        );
    }

    #[test]
    fn the_reach_is_a_lower_bound_in_whole_raises() {
        let mut reach = Reach::default();
        assert_eq!(reach.steps(1), 1, "nothing seen: one raise");
        // a gap of 10 closing at 4 a unit: exactly 2.5 units; the first raise at or past it
        // is the third
        reach.watch(Iv::int(10), Iv::int(4).neg());
        assert_eq!(reach.steps(1), 3);
        // a gap closing at exactly 2 whole units: the second raise may already turn
        let mut exact = Reach::default();
        exact.watch(Iv::int(10), Iv::int(5).neg());
        assert_eq!(exact.steps(1), 2);
        // a growing gap never closes
        let mut growing = Reach::default();
        growing.watch(Iv::int(1), Iv::int(1));
        assert_eq!(growing.0, None);
        reach.now();
        assert_eq!(reach.steps(5), 1);
    }
}
