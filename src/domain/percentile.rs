//! The median and the 90th percentile the reports show of times (first response,
//! handling, waiting): the median of an even count is the mean of the two middle
//! values; p90 is the nearest rank — the smallest value at least 90% of them reach.

/// Median and p90 of `values` (any order); none of nothing.
pub fn median_p90(values: &mut [i64]) -> Option<(i64, i64)> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    let median = if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2 };
    let rank = (n * 9).div_ceil(10).max(1);
    Some((median, values[rank - 1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_nearest_rank_p90() {
        assert_eq!(median_p90(&mut []), None);
        assert_eq!(median_p90(&mut [30]), Some((30, 30)));
        assert_eq!(median_p90(&mut [40, 10, 30, 20]), Some((25, 40)));
        let mut ten: Vec<i64> = (1..=10).rev().collect();
        assert_eq!(median_p90(&mut ten), Some((5, 9)), "9 of 10 values are at most 9");
        let mut eleven: Vec<i64> = (1..=11).collect();
        assert_eq!(median_p90(&mut eleven), Some((6, 10)));
    }
}
