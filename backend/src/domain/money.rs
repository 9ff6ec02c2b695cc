//! Exact decimal amounts. Money is never a float.

use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds a tax amount to full złoty as Ordynacja podatkowa art. 63 § 1 requires:
/// below 50 grosz down, 50 grosz and more up.
pub fn round_to_full_zloty(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
}

/// Rounds to grosz (2 places), half away from zero.
pub fn round_to_grosz(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::prelude::FromPrimitive;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn art_63_rounding() {
        assert_eq!(round_to_full_zloty(d("100.49")), d("100"));
        assert_eq!(round_to_full_zloty(d("100.50")), d("101"));
        assert_eq!(round_to_full_zloty(d("100.499999")), d("100"));
        assert_eq!(round_to_full_zloty(d("0.5")), d("1"));
        // 1234.5678 m² × 1.45 zł = 1790.12331 → 1790
        assert_eq!(round_to_full_zloty(d("1234.5678") * d("1.45")), d("1790"));
    }

    proptest! {
        #[test]
        fn rounding_to_zloty_moves_less_than_half_a_zloty_and_is_whole(grosze in 0i64..10_000_000_000) {
            let amount = Decimal::new(grosze, 2);
            let r = round_to_full_zloty(amount);
            prop_assert_eq!(r.fract(), Decimal::ZERO);
            prop_assert!((r - amount).abs() <= d("0.5"));
            // exactly half a złoty always goes up
            if grosze % 100 == 50 { prop_assert!(r > amount); }
        }

        #[test]
        fn decimal_products_are_exact(area in 0u32..10_000_000, rate_grosze in 0u32..5_000) {
            // area has 4 decimal places (ha), the rate 2: the product keeps all 6
            let area = Decimal::new(i64::from(area), 4);
            let rate = Decimal::new(i64::from(rate_grosze), 2);
            let product = area * rate;
            let expected = Decimal::from_i64(i64::from(area.mantissa() as u32) * i64::from(rate_grosze)).unwrap() / Decimal::new(1_000_000, 0);
            prop_assert_eq!(product, expected);
        }
    }
}
