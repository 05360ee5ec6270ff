//! The FP-tree behind FP-Growth: a prefix tree of baskets with items in descending frequency,
//! and the recursive mining of conditional trees. Owns only the data structure and the
//! recursion; thresholds and output order belong to `rules`.

const NONE: u32 = u32::MAX;

/// An FP-tree over items renamed to ranks (0 = most frequent in this tree).
///
/// Built from all its paths at once, sorted: each path then shares its longest common prefix
/// with the previous one, so no node ever searches its children.
pub(super) struct Tree {
    /// Original item id of each rank.
    items: Vec<u32>,
    /// Per node: rank, count and parent. Node 0 is the root.
    rank: Vec<u32>,
    count: Vec<u64>,
    parent: Vec<u32>,
    /// Nodes of each rank.
    heads: Vec<Vec<u32>>,
    /// Total count of each rank.
    totals: Vec<u64>,
}

/// Paths of ascending ranks stored end to end, each with a count.
#[derive(Default)]
struct Paths {
    ranks: Vec<u32>,
    /// (start in `ranks`, length, count)
    spans: Vec<(usize, usize, u64)>,
}

impl Paths {
    fn push(&mut self, path: &[u32], count: u64) {
        if !path.is_empty() {
            self.spans.push((self.ranks.len(), path.len(), count));
            self.ranks.extend_from_slice(path);
        }
    }
}

impl Tree {
    fn build(items: Vec<u32>, totals: Vec<u64>, mut paths: Paths) -> Self {
        let ranks = items.len();
        let mut tree = Self {
            items,
            rank: vec![NONE],
            count: vec![0],
            parent: vec![NONE],
            heads: vec![Vec::new(); ranks],
            totals,
        };
        let all = &paths.ranks;
        paths
            .spans
            .sort_unstable_by(|a, b| all[a.0..a.0 + a.1].cmp(&all[b.0..b.0 + b.1]));
        // stack[d] = node at depth d + 1 of the previous path.
        let mut stack: Vec<u32> = Vec::new();
        let mut previous: &[u32] = &[];
        for &(start, len, count) in &paths.spans {
            let path = &all[start..start + len];
            let common = path
                .iter()
                .zip(previous)
                .take_while(|(a, b)| a == b)
                .count();
            stack.truncate(common);
            for (depth, &r) in path.iter().enumerate() {
                if depth >= common {
                    let parent = if depth == 0 { 0 } else { stack[depth - 1] };
                    let id = tree.rank.len() as u32;
                    tree.rank.push(r);
                    tree.count.push(0);
                    tree.parent.push(parent);
                    tree.heads[r as usize].push(id);
                    stack.push(id);
                }
                tree.count[stack[depth] as usize] += count;
            }
            previous = path;
        }
        tree
    }

    /// Number of frequent items in the tree.
    pub(super) fn ranks(&self) -> usize {
        self.items.len()
    }

    /// Builds the first tree: items with at least `min` baskets, ranked by descending count
    /// (ties by ascending item id, so the tree is deterministic).
    pub(super) fn from_baskets(baskets: &[Vec<u32>], min: u64) -> Self {
        let max_item = baskets
            .iter()
            .flatten()
            .copied()
            .max()
            .map_or(0, |m| m as usize + 1);
        let mut counts = vec![0u64; max_item];
        let mut seen = vec![usize::MAX; max_item];
        for (b, basket) in baskets.iter().enumerate() {
            for &i in basket {
                // Count an item once per basket even if listed twice.
                if seen[i as usize] != b {
                    seen[i as usize] = b;
                    counts[i as usize] += 1;
                }
            }
        }
        let mut frequent: Vec<u32> = (0..max_item as u32)
            .filter(|&i| counts[i as usize] >= min)
            .collect();
        frequent.sort_by(|&a, &b| counts[b as usize].cmp(&counts[a as usize]).then(a.cmp(&b)));
        let mut rank_of = vec![NONE; max_item];
        for (r, &i) in frequent.iter().enumerate() {
            rank_of[i as usize] = r as u32;
        }
        let totals = frequent.iter().map(|&i| counts[i as usize]).collect();
        let mut paths = Paths::default();
        let mut path = Vec::new();
        for basket in baskets {
            path.clear();
            path.extend(
                basket
                    .iter()
                    .map(|&i| rank_of[i as usize])
                    .filter(|&r| r != NONE),
            );
            path.sort_unstable();
            path.dedup();
            paths.push(&path, 1);
        }
        Self::build(frequent, totals, paths)
    }

    /// Emits every frequent itemset whose least frequent item (in this tree) has rank `rank`,
    /// each extended by `suffix`, and recurses into its conditional tree.
    pub(super) fn mine_rank(
        &self,
        rank: usize,
        suffix: &mut Vec<u32>,
        min: u64,
        out: &mut Vec<(Vec<u32>, u64)>,
    ) {
        suffix.push(self.items[rank]);
        out.push((suffix.clone(), self.totals[rank]));
        if let Some(conditional) = self.conditional(rank, min) {
            conditional.mine(suffix, min, out);
        }
        suffix.pop();
    }

    fn mine(&self, suffix: &mut Vec<u32>, min: u64, out: &mut Vec<(Vec<u32>, u64)>) {
        for rank in 0..self.ranks() {
            self.mine_rank(rank, suffix, min, out);
        }
    }

    /// The tree of the prefix paths of `rank`'s nodes, restricted to items frequent among
    /// them; `None` when none is.
    fn conditional(&self, rank: usize, min: u64) -> Option<Tree> {
        let mut counts = vec![0u64; rank];
        for &node in &self.heads[rank] {
            let c = self.count[node as usize];
            let mut p = self.parent[node as usize];
            while p != 0 {
                counts[self.rank[p as usize] as usize] += c;
                p = self.parent[p as usize];
            }
        }
        let mut frequent: Vec<u32> = (0..rank as u32)
            .filter(|&r| counts[r as usize] >= min)
            .collect();
        if frequent.is_empty() {
            return None;
        }
        frequent.sort_by(|&a, &b| counts[b as usize].cmp(&counts[a as usize]).then(a.cmp(&b)));
        let mut new_rank = vec![NONE; rank];
        for (n, &r) in frequent.iter().enumerate() {
            new_rank[r as usize] = n as u32;
        }
        let items = frequent.iter().map(|&r| self.items[r as usize]).collect();
        let totals = frequent.iter().map(|&r| counts[r as usize]).collect();
        let mut paths = Paths::default();
        let mut path = Vec::new();
        for &node in &self.heads[rank] {
            path.clear();
            let mut p = self.parent[node as usize];
            while p != 0 {
                let r = new_rank[self.rank[p as usize] as usize];
                if r != NONE {
                    path.push(r);
                }
                p = self.parent[p as usize];
            }
            path.sort_unstable();
            paths.push(&path, self.count[node as usize]);
        }
        Some(Tree::build(items, totals, paths))
    }
}
