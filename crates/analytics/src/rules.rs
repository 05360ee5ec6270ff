//! Association rules for cross-selling: FP-Growth frequent itemsets (Han, Pei & Yin 2000)
//! and the rules between them with support, confidence, lift, leverage and conviction
//! (Agrawal, Imieliński & Swami 1993; Brin et al. 1997), plus "recommend for this basket".
//!
//! Owns the definitions; itemsets and rules are exactly those of the Apriori definition
//! (every itemset whose support reaches the minimum, every split of one into antecedent and
//! consequent whose confidence reaches the minimum), checked against a brute force in tests.
//! Items are the caller's dense `u32` ids; an itemset is sorted ascending.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::AnalyticsError;

mod fptree;

/// A frequent itemset and the number of baskets containing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrequentItemset {
    /// Items in ascending order.
    pub items: Vec<u32>,
    /// Baskets containing every item.
    pub count: u64,
}

/// A rule "baskets with the antecedents also hold the consequents".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    /// Antecedent items, ascending.
    pub antecedents: Vec<u32>,
    /// Consequent items, ascending.
    pub consequents: Vec<u32>,
    /// supp(A ∪ C): share of baskets with all items.
    pub support: f64,
    /// supp(A ∪ C) / supp(A).
    pub confidence: f64,
    /// confidence / supp(C).
    pub lift: f64,
    /// supp(A ∪ C) − supp(A) · supp(C).
    pub leverage: f64,
    /// (1 − supp(C)) / (1 − confidence); infinite when the confidence is 1.
    pub conviction: f64,
}

/// The smallest basket count that is frequent: count ≥ ⌈s · n⌉ and count / n ≥ s (the two
/// agree except at floating-point ties, where both must hold, as in mlxtend).
pub fn min_count(min_support: f64, baskets: usize) -> Result<u64, AnalyticsError> {
    if !(min_support > 0.0 && min_support <= 1.0) {
        return Err(AnalyticsError::invalid(
            "min_support",
            format!("must be in (0, 1], got {min_support}"),
        ));
    }
    let n = baskets as f64;
    let mut count = (min_support * n).ceil().max(1.0) as u64;
    while (count as f64) / n < min_support {
        count += 1;
    }
    Ok(count)
}

/// Every itemset contained in at least `min_support` of the baskets, by FP-Growth. Duplicate
/// items within a basket count once. Sorted by size, then items.
///
/// The projections of the first tree are mined in parallel; each is deterministic and the
/// results are sorted, so the output does not depend on the number of threads.
pub fn frequent_itemsets(
    baskets: &[Vec<u32>],
    min_support: f64,
) -> Result<Vec<FrequentItemset>, AnalyticsError> {
    if baskets.is_empty() {
        return Err(AnalyticsError::Empty("no baskets"));
    }
    let min = min_count(min_support, baskets.len())?;
    let tree = fptree::Tree::from_baskets(baskets, min);
    let mut sets: Vec<FrequentItemset> = (0..tree.ranks())
        .into_par_iter()
        .flat_map_iter(|rank| {
            let mut out = Vec::new();
            tree.mine_rank(rank, &mut Vec::new(), min, &mut out);
            out
        })
        .map(|(mut items, count)| {
            items.sort_unstable();
            FrequentItemset { items, count }
        })
        .collect();
    sets.sort_unstable_by(|a, b| {
        a.items
            .len()
            .cmp(&b.items.len())
            .then_with(|| a.items.cmp(&b.items))
    });
    Ok(sets)
}

/// Every rule A → C with A ∪ C frequent, A and C non-empty and disjoint, and confidence at
/// least `min_confidence`, sorted by antecedents then consequents (itemsets compared item by
/// item). `baskets` is the number of baskets the itemsets were counted in.
pub fn association_rules(
    itemsets: &[FrequentItemset],
    baskets: usize,
    min_confidence: f64,
) -> Result<Vec<Rule>, AnalyticsError> {
    if !(0.0..=1.0).contains(&min_confidence) {
        return Err(AnalyticsError::invalid(
            "min_confidence",
            format!("must be in [0, 1], got {min_confidence}"),
        ));
    }
    if baskets == 0 {
        return Err(AnalyticsError::Empty("no baskets"));
    }
    let n = baskets as f64;
    let counts: HashMap<&[u32], u64> = itemsets
        .iter()
        .map(|s| (s.items.as_slice(), s.count))
        .collect();
    let lookup = |items: &[u32]| {
        counts.get(items).copied().ok_or_else(|| {
            AnalyticsError::invalid("itemsets", "a subset of a frequent itemset is missing")
        })
    };
    let mut rules = Vec::new();
    for set in itemsets.iter().filter(|s| s.items.len() >= 2) {
        let k = set.items.len();
        if k >= 32 {
            return Err(AnalyticsError::invalid(
                "itemsets",
                "itemsets of 32 items or more are not split into rules",
            ));
        }
        for mask in 1..(1u32 << k) - 1 {
            let (mut antecedents, mut consequents) = (Vec::with_capacity(k), Vec::with_capacity(k));
            for (i, &item) in set.items.iter().enumerate() {
                if mask & (1 << i) != 0 {
                    antecedents.push(item)
                } else {
                    consequents.push(item)
                }
            }
            let (count_a, count_c) = (lookup(&antecedents)?, lookup(&consequents)?);
            // Exact ratio of counts, so a confidence equal to the threshold is kept.
            let confidence = set.count as f64 / count_a as f64;
            if confidence < min_confidence {
                continue;
            }
            let (support, support_a, support_c) =
                (set.count as f64 / n, count_a as f64 / n, count_c as f64 / n);
            rules.push(Rule {
                antecedents,
                consequents,
                support,
                confidence,
                lift: confidence / support_c,
                leverage: support - support_a * support_c,
                conviction: if confidence < 1.0 {
                    (1.0 - support_c) / (1.0 - confidence)
                } else {
                    f64::INFINITY
                },
            });
        }
    }
    rules.sort_unstable_by(|a, b| {
        a.antecedents
            .cmp(&b.antecedents)
            .then_with(|| a.consequents.cmp(&b.consequents))
    });
    Ok(rules)
}

/// An item suggested for a basket, with the best rule behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    /// Suggested item (not in the basket).
    pub item: u32,
    /// Lift of the best rule suggesting it.
    pub lift: f64,
    /// Confidence of that rule.
    pub confidence: f64,
    /// Antecedents of that rule (all in the basket).
    pub because_of: Vec<u32>,
}

/// "Customers who bought X also bought Y": items from the consequents of rules whose
/// antecedents are all in `basket`, not already in it, ranked by the best rule's lift, then
/// confidence, then item; at most `limit`.
pub fn recommend(rules: &[Rule], basket: &[u32], limit: usize) -> Vec<Recommendation> {
    let mut best: HashMap<u32, Recommendation> = HashMap::new();
    for rule in rules
        .iter()
        .filter(|r| r.antecedents.iter().all(|a| basket.contains(a)))
    {
        for &item in rule.consequents.iter().filter(|c| !basket.contains(c)) {
            let candidate = Recommendation {
                item,
                lift: rule.lift,
                confidence: rule.confidence,
                because_of: rule.antecedents.clone(),
            };
            let entry = best.entry(item).or_insert_with(|| candidate.clone());
            if (candidate.lift, candidate.confidence) > (entry.lift, entry.confidence) {
                *entry = candidate;
            }
        }
    }
    let mut out: Vec<Recommendation> = best.into_values().collect();
    out.sort_by(|a, b| {
        b.lift
            .total_cmp(&a.lift)
            .then(b.confidence.total_cmp(&a.confidence))
            .then(a.item.cmp(&b.item))
    });
    out.truncate(limit);
    out
}

#[cfg(test)]
mod tests;
