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

    /// `self / k`; `k` positive, at most [`EXACT_UP_TO`].
    pub(super) fn over(self, k: u64) -> Self {
        let k = k as f64;
        Self {
            lo: (self.lo / k).next_down(),
            hi: (self.hi / k).next_up(),
        }
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
    /// The gap between `q` and the richest of those paying all they have, and its rate:
    /// while it stays positive they stay the ones paying all (`None`: nobody does).
    pub(super) poor: Option<(Iv, Iv)>,
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

/// The ballots as the quick run counts them: the ballots approving the same candidates are
/// one voter with a weight (they pay alike, always), the ballots approving none are left out
/// (they never pay; the share still counts them), and the voters are numbered by what they
/// approve, the most popular candidates first, so that a project's supporters sit together
/// in memory.
pub(super) struct Voters {
    pub(super) weight: Vec<u32>,
    /// Per project, its voters (empty for those not candidates).
    pub(super) supporters: Vec<Vec<u32>>,
}

impl Voters {
    /// From each project's ballots, for the `candidates`.
    pub(super) fn new(ballots: usize, supporters: &[Vec<u32>], candidates: &[usize]) -> Self {
        let mut by_votes = candidates.to_vec();
        by_votes.sort_by_key(|&p| (std::cmp::Reverse(supporters[p].len()), p));
        // per ballot, the ranks of the candidates it approves, ascending
        let mut approves: Vec<Vec<u32>> = vec![Vec::new(); ballots];
        for (rank, &p) in by_votes.iter().enumerate() {
            for &b in &supporters[p] {
                approves[b as usize].push(rank as u32);
            }
        }
        let mut order: Vec<u32> = (0..ballots as u32)
            .filter(|&b| !approves[b as usize].is_empty())
            .collect();
        order.sort_unstable_by(|&a, &b| approves[a as usize].cmp(&approves[b as usize]));
        let mut weight: Vec<u32> = Vec::new();
        let mut grouped: Vec<Vec<u32>> = vec![Vec::new(); supporters.len()];
        let mut last: Option<u32> = None;
        for b in order {
            if last.is_some_and(|l| approves[l as usize] == approves[b as usize]) {
                if let Some(w) = weight.last_mut() {
                    *w += 1;
                }
                continue;
            }
            last = Some(b);
            let voter = weight.len() as u32;
            weight.push(1);
            for &rank in &approves[b as usize] {
                grouped[by_votes[rank as usize]].push(voter);
            }
        }
        Self {
            weight,
            supporters: grouped,
        }
    }
}

/// A class of voters: the money each has, its rate per unit of start, how many ballots it
/// has, and (scratch) how many of them support the project at hand: one place in memory
/// for what a price reads of a class.
#[derive(Debug, Clone, Copy)]
struct Class {
    money: Iv,
    rate: Iv,
    size: u32,
    count: u32,
}

/// One class among a project's supporters: its money, its rate, how many of them.
#[derive(Debug, Clone, Copy)]
struct Met {
    lo: f64,
    hi: f64,
    rate_lo: f64,
    rate_hi: f64,
    n: f64,
}

/// A bound of a sum of `terms` products of amounts (not negative) by counts, summed in
/// floats one after another: the float sum is within `γ(terms) · sum` of the exact sum,
/// `γ(k) = k·u / (1 − k·u)`, `u = 2^-53` (Higham, Accuracy and Stability of Numerical
/// Algorithms, 2002, §3.1, the inner product); `(terms + 2) · 2u` is more than that for any
/// row below 2^40 terms.
fn margin(terms: usize) -> f64 {
    (terms as f64 + 2.0) * f64::EPSILON
}

fn sum_lo(sum: f64, terms: usize) -> f64 {
    (sum * (1.0 - margin(terms))).next_down().max(0.0)
}

fn sum_hi(sum: f64, terms: usize) -> f64 {
    (sum * (1.0 + margin(terms))).next_up()
}

/// Those of a row with less money than a float price: their classes, what they have, and
/// how many others pay.
#[derive(Debug, Clone, Copy)]
struct Below {
    classes: usize,
    paid: f64,
    payers: f64,
}

impl Below {
    fn at(row: &[Met], all: f64, q: f64) -> Self {
        let mut below = Self {
            classes: 0,
            paid: 0.0,
            payers: all,
        };
        for m in row {
            below.add(m, q);
        }
        below
    }

    /// Counts `m` when it has less than `q` (without a branch: which classes do is
    /// anyone's guess).
    fn add(&mut self, m: &Met, q: f64) {
        let below = m.lo < q;
        let n = if below { m.n } else { 0.0 };
        self.classes += usize::from(below);
        self.paid += m.lo * n;
        self.payers -= n;
    }
}

/// A float price that separates those who pay all they have (money below it) from the
/// rest, by the passes of the module's comment; the caller checks it in intervals.
fn poor_threshold(row: &[Met], cost: f64, all: u64, first: Below) -> Result<f64, Undecided> {
    let (mut q, mut below) = (cost / all as f64, first);
    for _ in 0..12 {
        if below.payers <= 0.0 {
            return Ok(q);
        }
        let next = q.max((cost - below.paid) / below.payers);
        if next == q {
            return Ok(q);
        }
        let now = Below::at(row, all as f64, next);
        if now.classes == below.classes {
            return Ok(next);
        }
        (q, below) = (next, now);
    }
    // many passes: walk the classes from the poorest instead
    let mut sorted: Vec<(f64, f64)> = row.iter().map(|m| (m.lo, m.n)).collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (mut paid, mut payers) = (0.0, all as f64);
    for (money, n) in sorted {
        let missing = cost - paid;
        if missing <= money * payers {
            return Ok(missing / payers);
        }
        paid += money * n;
        payers -= n;
    }
    Err(Undecided)
}

/// The voters' money by class, as [`super::mes::Purse`], in intervals: a class is the
/// voters who paid for the same winners (class 0: those left with nothing).
pub(super) struct Wallets<'v> {
    /// Per voter, how many ballots it is, and its class.
    weight: &'v [u32],
    class: Vec<u32>,
    /// Per class (a class whose ballots all pay alike stays one class, in place).
    purse: Vec<Class>,
    /// Scratch: the classes met, where a class moves on a charge, the classes met in a row.
    met: Vec<u32>,
    to: Vec<u32>,
    row: Vec<Met>,
    /// The classes of the supporters of the last project priced, with their counts: what
    /// its charge needs, if it wins, without counting again.
    seen: Vec<(u32, u32)>,
}

impl<'v> Wallets<'v> {
    pub(super) fn new(weight: &'v [u32], start: Iv) -> Self {
        Self {
            weight,
            class: vec![1; weight.len()],
            purse: vec![
                Class {
                    money: Iv::ZERO,
                    rate: Iv::ZERO,
                    size: 0,
                    count: 0,
                },
                Class {
                    money: start,
                    rate: Iv::int(1),
                    size: weight.iter().sum(),
                    count: 0,
                },
            ],
            met: Vec::new(),
            to: Vec::new(),
            row: Vec::new(),
            seen: Vec::new(),
        }
    }

    /// Counts the ballots of `supporters` per class into `count`, the classes met in `met`.
    fn gather(&mut self, supporters: &[u32]) {
        self.met.resize(supporters.len() + 1, 0);
        let mut met = 0;
        // neighbouring voters often share a class: a run of them is counted at once; a class
        // met for the first time is written to `met` without a branch, and kept only then
        let mut run: Option<(u32, u32)> = None;
        for &v in supporters {
            let c = self.class[v as usize];
            let w = self.weight[v as usize];
            match &mut run {
                Some((class, n)) if *class == c => *n += w,
                _ => {
                    if let Some((class, n)) = run {
                        let first = self.purse[class as usize].count == 0;
                        self.purse[class as usize].count += n;
                        self.met[met] = class;
                        met += usize::from(first);
                    }
                    run = Some((c, w));
                }
            }
        }
        if let Some((class, n)) = run {
            let first = self.purse[class as usize].count == 0;
            self.purse[class as usize].count += n;
            self.met[met] = class;
            met += usize::from(first);
        }
        self.met.truncate(met);
    }

    fn scatter(&mut self) {
        for &c in &self.met {
            self.purse[c as usize].count = 0;
        }
    }

    /// The payment `q` by which `supporters` (`all` ballots) cover `cost` (each pays `q` or
    /// all they have when that is less), `None` when all they have is surely short of it.
    pub(super) fn price(
        &mut self,
        cost: u64,
        supporters_all: u64,
        supporters: &[u32],
        reach: &mut Reach,
    ) -> Result<Option<Payment>, Undecided> {
        self.gather(supporters);
        // the classes met, in a row: the passes below read nothing else
        self.row.clear();
        self.seen.clear();
        let (mut total_lo, mut total_hi) = (0.0, 0.0);
        let all = supporters_all as f64;
        // the first pass of `poor_threshold`, at cost / supporters
        let q0 = cost as f64 / all;
        let mut below = Below {
            classes: 0,
            paid: 0.0,
            payers: all,
        };
        for &c in &self.met {
            let c = c as usize;
            let Class {
                money, rate, count, ..
            } = self.purse[c];
            let n = f64::from(count);
            total_lo += money.lo * n;
            total_hi += money.hi * n;
            let m = Met {
                lo: money.lo,
                hi: money.hi,
                rate_lo: rate.lo,
                rate_hi: rate.hi,
                n,
            };
            below.add(&m, q0);
            self.row.push(m);
            self.seen.push((c as u32, self.purse[c].count));
        }
        self.scatter();
        let row = &self.row;
        let terms = row.len();
        let total = Iv {
            lo: sum_lo(total_lo, terms),
            hi: sum_hi(total_hi, terms),
        };
        let cost_iv = Iv::int(u128::from(cost));
        if total.hi < cost_iv.lo {
            // short of the cost while the supporters' money stays under it
            let (rate_lo, rate_hi) = row.iter().fold((0.0, 0.0), |(lo, hi), m| {
                (lo + m.rate_lo * m.n, hi + m.rate_hi * m.n)
            });
            let total_rate = Iv {
                lo: sum_lo(rate_lo, terms),
                hi: sum_hi(rate_hi, terms),
            };
            reach.watch(cost_iv.sub(total), total_rate.neg());
            return Ok(None);
        }
        if total.lo < cost_iv.hi {
            return Err(Undecided);
        }
        let all = supporters_all;
        let threshold = poor_threshold(row, cost as f64, all, below)?;
        let (mut paid_lo, mut paid_hi, mut rate_lo, mut rate_hi) = (0.0, 0.0, 0.0, 0.0);
        let (mut poor_n, mut poor_terms) = (0.0, 0usize);
        // the richest of those paying all they have, the fastest-growing, the poorest of
        // the others
        let (mut richest, mut fastest) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
        let mut poorest_payer = f64::INFINITY;
        for m in row {
            if m.lo < threshold {
                paid_lo += m.lo * m.n;
                paid_hi += m.hi * m.n;
                rate_lo += m.rate_lo * m.n;
                rate_hi += m.rate_hi * m.n;
                poor_n += m.n;
                poor_terms += 1;
                richest = richest.max(m.hi);
                fastest = fastest.max(m.rate_hi);
            } else {
                poorest_payer = poorest_payer.min(m.lo);
            }
        }
        // besides the empty purses (class 0, nothing to pay, the only class with none)
        let any_poor = richest > 0.0;
        let payers = all - poor_n as u64;
        if payers == 0 {
            return Err(Undecided);
        }
        let paid = Iv {
            lo: sum_lo(paid_lo, poor_terms),
            hi: sum_hi(paid_hi, poor_terms),
        };
        let at = cost_iv.sub(paid).over(payers);
        // the poor surely have less than q, the others surely at least q
        if richest >= at.lo || poorest_payer < at.hi {
            return Err(Undecided);
        }
        let q = Affine {
            at,
            // nobody paying all they have (but the empty purses): exactly 0
            rate: if any_poor {
                Iv {
                    lo: sum_lo(rate_lo, poor_terms),
                    hi: sum_hi(rate_hi, poor_terms),
                }
                .neg()
                .over(payers)
            } else {
                Iv::ZERO
            },
        };
        // the poor stay poor while the price stays above their money
        let poor = any_poor.then(|| {
            let gap = q.at.sub(Iv {
                lo: richest,
                hi: richest,
            });
            let rate = q.rate.sub(Iv {
                lo: fastest,
                hi: fastest,
            });
            (gap, rate)
        });
        Ok(Some(Payment {
            q,
            exact_payers: (!any_poor).then_some(payers),
            poor,
        }))
    }

    /// The classes of the supporters of the project last priced, with their counts.
    pub(super) fn take_seen(&mut self) -> Vec<(u32, u32)> {
        std::mem::take(&mut self.seen)
    }

    /// Each of `supporters` pays `q`, or all they have when that is less; `seen`: their
    /// classes and counts, as [`Wallets::take_seen`] gave them when their project was priced
    /// (no charge since).
    pub(super) fn charge(
        &mut self,
        supporters: &[u32],
        seen: &[(u32, u32)],
        q: &Affine,
    ) -> Result<(), Undecided> {
        self.met.clear();
        for &(c, n) in seen {
            self.purse[c as usize].count = n;
            self.met.push(c);
        }
        if self.to.len() < self.purse.len() {
            self.to.resize(self.purse.len(), 0);
        }
        for i in 0..self.met.len() {
            let c = self.met[i] as usize;
            let moved = self.purse[c].count;
            let to = if c == 0 {
                0
            } else {
                let left = self.purse[c].money.sub(q.at);
                if left.lo > 0.0 {
                    // money and rates are never negative (a rate only grows on a payment):
                    // the lower end needs no float below 0
                    let rate = self.purse[c].rate.sub(q.rate);
                    let rate = Iv {
                        lo: rate.lo.max(0.0),
                        hi: rate.hi,
                    };
                    if moved == self.purse[c].size {
                        self.purse[c].money = left;
                        self.purse[c].rate = rate;
                        c as u32
                    } else {
                        self.purse[c].size -= moved;
                        self.purse.push(Class {
                            money: left,
                            rate,
                            size: moved,
                            count: 0,
                        });
                        (self.purse.len() - 1) as u32
                    }
                } else if left.hi < 0.0 {
                    self.purse[c].size -= moved;
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
        // 1 - 1/3 - 1/3 - 1/3: zero inside, its sign undecided
        let zero = Iv::int(1).sub(third).sub(third).sub(third);
        assert!(zero.lo < 0.0 && zero.hi > 0.0);
        // a sum of counted amounts, bounded as a whole
        let sum = 10.0 * 3.0 + 0.1 * 7.0;
        assert!(sum_lo(sum, 2) < 30.7 && sum_hi(sum, 2) > 30.7);
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
        let weight = [1, 1, 1];
        let mut w = Wallets::new(&weight, Iv::int(20));
        let mut reach = Reach::default();
        // 14 by voters 0 and 1: 7 each
        let seven = w.price(14, 2, &[0, 1], &mut reach).unwrap().unwrap();
        assert_eq!(seven.exact_payers, Some(2));
        let seen = w.take_seen();
        w.charge(&[0, 1], &seen, &seven.q).unwrap();
        let q = w.price(45, 3, &[0, 1, 2], &mut reach).unwrap().unwrap();
        assert!(q.q.at.lo <= 19.0 && q.q.at.hi >= 19.0 && q.q.at.hi - q.q.at.lo < 1e-9);
        assert_eq!(q.exact_payers, None, "two pay all they have");
        // cost 30: 10 each, nobody short: exactly 30 / 3
        let q = w.price(30, 3, &[0, 1, 2], &mut reach).unwrap().unwrap();
        assert_eq!(q.exact_payers, Some(3));
        // 47 is more than all they have (46)
        assert!(w.price(47, 3, &[0, 1, 2], &mut reach).unwrap().is_none());
        // 46 is exactly all they have: the intervals cannot tell, the exact run must
        assert!(w.price(46, 3, &[0, 1, 2], &mut reach).is_err());
        // paying exactly what a voter has: undecided too
        w.price(10, 1, &[2], &mut reach).unwrap().unwrap();
        let seen = w.take_seen();
        let all_of_it = Affine {
            at: Iv::int(20),
            rate: Iv::ZERO,
        };
        assert!(w.charge(&[2], &seen, &all_of_it).is_err());
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
        // a gap already closed: the very next raise
        reach.watch(Iv::ZERO, Iv::int(1).neg());
        assert_eq!(reach.steps(5), 1);
    }
}
