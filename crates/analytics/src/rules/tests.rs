//! Tests of FP-Growth and the rules: a textbook example, and equality with a brute-force
//! Apriori on random small baskets.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;

/// Support counts of every itemset reaching `min`, by level-wise candidate generation and a
/// full scan per candidate (the Apriori definition, no cleverness).
fn apriori(baskets: &[Vec<u32>], min: u64) -> BTreeMap<Vec<u32>, u64> {
    let count = |set: &[u32]| {
        baskets
            .iter()
            .filter(|b| set.iter().all(|i| b.contains(i)))
            .count() as u64
    };
    let mut items: Vec<u32> = baskets.iter().flatten().copied().collect();
    items.sort_unstable();
    items.dedup();
    let mut out = BTreeMap::new();
    let mut level: Vec<Vec<u32>> = items
        .iter()
        .map(|&i| vec![i])
        .filter(|s| count(s) >= min)
        .collect();
    while !level.is_empty() {
        for s in &level {
            out.insert(s.clone(), count(s));
        }
        let mut next = Vec::new();
        for s in &level {
            for &i in items.iter().filter(|&&i| i > *s.last().unwrap()) {
                let mut candidate = s.clone();
                candidate.push(i);
                if count(&candidate) >= min {
                    next.push(candidate);
                }
            }
        }
        level = next;
    }
    out
}

/// All rules by direct enumeration of disjoint (A, C) pairs among frequent itemsets.
fn brute_rules(
    frequent: &BTreeMap<Vec<u32>, u64>,
    min_confidence: f64,
) -> Vec<(Vec<u32>, Vec<u32>, f64)> {
    let mut out = Vec::new();
    for (set, &count) in frequent.iter().filter(|(s, _)| s.len() >= 2) {
        for (a, &count_a) in frequent.iter() {
            if a.len() < set.len() && a.iter().all(|i| set.contains(i)) {
                let c: Vec<u32> = set.iter().copied().filter(|i| !a.contains(i)).collect();
                let confidence = count as f64 / count_a as f64;
                if confidence >= min_confidence {
                    out.push((a.clone(), c, confidence));
                }
            }
        }
    }
    out.sort_by(|x, y| x.0.cmp(&y.0).then(x.1.cmp(&y.1)));
    out
}

fn textbook() -> Vec<Vec<u32>> {
    // Han & Kamber's FP-Growth example: I1..I5 as 1..5.
    vec![
        vec![1, 2, 5],
        vec![2, 4],
        vec![2, 3],
        vec![1, 2, 4],
        vec![1, 3],
        vec![2, 3],
        vec![1, 3],
        vec![1, 2, 3, 5],
        vec![1, 2, 3],
    ]
}

#[test]
fn fp_growth_finds_the_textbook_itemsets() {
    let sets = frequent_itemsets(&textbook(), 2.0 / 9.0).unwrap();
    let got: Vec<(Vec<u32>, u64)> = sets.into_iter().map(|s| (s.items, s.count)).collect();
    let want: Vec<(Vec<u32>, u64)> = apriori(&textbook(), 2).into_iter().collect();
    assert_eq!(got.len(), 13);
    let mut want_sorted = want.clone();
    want_sorted.sort_by(|a, b| a.0.len().cmp(&b.0.len()).then(a.0.cmp(&b.0)));
    assert_eq!(got, want_sorted);
    assert!(got.contains(&(vec![1, 2, 5], 2)) && got.contains(&(vec![1, 2, 3], 2)));
}

#[test]
fn rule_metrics_follow_their_definitions() {
    let baskets = textbook();
    let sets = frequent_itemsets(&baskets, 2.0 / 9.0).unwrap();
    let rules = association_rules(&sets, baskets.len(), 0.0).unwrap();
    let r = rules
        .iter()
        .find(|r| r.antecedents == [5] && r.consequents == [1, 2])
        .unwrap();
    // supp({1,2,5}) = 2/9, supp({5}) = 2/9, supp({1,2}) = 4/9.
    assert!((r.support - 2.0 / 9.0).abs() < 1e-15);
    assert_eq!(r.confidence, 1.0);
    assert!((r.lift - 9.0 / 4.0).abs() < 1e-12);
    assert!((r.leverage - (2.0 / 9.0 - 2.0 / 9.0 * 4.0 / 9.0)).abs() < 1e-15);
    assert_eq!(r.conviction, f64::INFINITY);
    let r = rules
        .iter()
        .find(|r| r.antecedents == [1] && r.consequents == [2])
        .unwrap();
    // supp({1,2}) = 4/9, supp({1}) = 6/9, supp({2}) = 7/9: conviction = (2/9)/(1/3).
    assert!((r.conviction - (2.0 / 9.0) / (1.0 / 3.0)).abs() < 1e-12);
}

#[test]
fn recommendations_come_from_rules_the_basket_satisfies_ranked_by_lift() {
    let baskets = textbook();
    let sets = frequent_itemsets(&baskets, 2.0 / 9.0).unwrap();
    let rules = association_rules(&sets, baskets.len(), 0.5).unwrap();
    let recs = recommend(&rules, &[5], 10);
    let items: Vec<u32> = recs.iter().map(|r| r.item).collect();
    assert_eq!(items, [1, 2]);
    assert!(recs[0].lift >= recs[1].lift);
    assert!(recommend(&rules, &[4], 10).iter().all(|r| r.item != 4));
}

#[test]
fn thresholds_outside_their_range_are_refused() {
    assert!(frequent_itemsets(&textbook(), 0.0).is_err());
    assert!(frequent_itemsets(&textbook(), 1.5).is_err());
    assert!(frequent_itemsets(&[], 0.5).is_err());
    assert!(association_rules(&[], 9, 1.5).is_err());
    assert_eq!(min_count(0.3, 10).unwrap(), 3);
    assert_eq!(min_count(1.0, 7).unwrap(), 7);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn fp_growth_equals_brute_force_apriori_on_random_baskets(
        baskets in prop::collection::vec(prop::collection::vec(0u32..9, 0..7), 1..40),
        min_support in prop::sample::select(vec![0.05, 0.1, 0.2, 0.35]),
        min_confidence in prop::sample::select(vec![0.0, 0.3, 0.6, 1.0]),
    ) {
        let min = min_count(min_support, baskets.len()).unwrap();
        let deduped: Vec<Vec<u32>> = baskets.iter().map(|b| { let mut b = b.clone(); b.sort_unstable(); b.dedup(); b }).collect();
        let want = apriori(&deduped, min);
        let sets = frequent_itemsets(&baskets, min_support).unwrap();
        let got: BTreeMap<Vec<u32>, u64> = sets.iter().map(|s| (s.items.clone(), s.count)).collect();
        prop_assert_eq!(&got, &want);
        let rules: Vec<(Vec<u32>, Vec<u32>, f64)> = association_rules(&sets, baskets.len(), min_confidence)
            .unwrap()
            .into_iter()
            .map(|r| (r.antecedents, r.consequents, r.confidence))
            .collect();
        prop_assert_eq!(rules, brute_rules(&want, min_confidence));
    }
}

#[test]
fn results_do_not_depend_on_the_number_of_threads() {
    let baskets = crate::simulate::simulate_baskets(5000, 40, 11);
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let sets = frequent_itemsets(&baskets, 0.01).unwrap();
            let rules = association_rules(&sets, baskets.len(), 0.1).unwrap();
            (sets, rules)
        })
    };
    let (one, four) = (run(1), run(4));
    assert!(!one.1.is_empty());
    assert_eq!(one, four);
}
