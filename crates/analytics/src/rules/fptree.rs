//! The FP-tree behind FP-Growth: a prefix tree of baskets with items in descending frequency,
//! and the recursive mining of conditional trees. Owns only the data structure and the
//! recursion; thresholds and output order belong to `rules`.

const NONE: u32 = u32::MAX;

/// An FP-tree over items renamed to ranks (0 = most frequent in this tree).
pub(super) struct Tree {
    /// Original item id of each rank.
    items: Vec<u32>,
    /// Per node: rank, count, parent, first child, next sibling. Node 0 is the root.
    rank: Vec<u32>,
    count: Vec<u64>,
    parent: Vec<u32>,
    first_child: Vec<u32>,
    next_sibling: Vec<u32>,
    /// Children of the root by rank, for direct lookup (the root has the most children).
    root_child: Vec<u32>,
    /// Nodes of each rank.
    heads: Vec<Vec<u32>>,
    /// Total count of each rank.
    totals: Vec<u64>,
}

impl Tree {
    fn with_ranks(items: Vec<u32>, totals: Vec<u64>) -> Self {
        let ranks = items.len();
        Self {
            items,
            rank: vec![NONE],
            count: vec![0],
            parent: vec![NONE],
            first_child: vec![NONE],
            next_sibling: vec![NONE],
            root_child: vec![NONE; ranks],
            heads: vec![Vec::new(); ranks],
            totals,
        }
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
        let mut tree = Self::with_ranks(frequent, totals);
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
            tree.insert(&path, 1);
        }
        tree
    }

    /// Adds a path of ascending ranks with a count.
    fn insert(&mut self, path: &[u32], count: u64) {
        let mut node = 0u32;
        for &r in path {
            let child = if node == 0 {
                self.root_child[r as usize]
            } else {
                self.find_child(node, r)
            };
            node = if child == NONE {
                self.add_child(node, r)
            } else {
                child
            };
            self.count[node as usize] += count;
        }
    }

    fn find_child(&self, node: u32, r: u32) -> u32 {
        let mut c = self.first_child[node as usize];
        while c != NONE && self.rank[c as usize] != r {
            c = self.next_sibling[c as usize];
        }
        c
    }

    fn add_child(&mut self, node: u32, r: u32) -> u32 {
        let id = self.rank.len() as u32;
        self.rank.push(r);
        self.count.push(0);
        self.parent.push(node);
        self.first_child.push(NONE);
        self.next_sibling.push(self.first_child[node as usize]);
        self.first_child[node as usize] = id;
        if node == 0 {
            self.root_child[r as usize] = id;
        }
        self.heads[r as usize].push(id);
        id
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
        let mut tree = Tree::with_ranks(items, totals);
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
            tree.insert(&path, self.count[node as usize]);
        }
        Some(tree)
    }
}
