//! Interning of the ids read from CSV files (customers, orders, products) into dense `u32`
//! indices, in order of first appearance.
//!
//! Owns one open-addressing table over a single byte arena: a file of a million customers
//! costs a handful of allocations instead of two per id, which matters for reading speed.

/// Empty slot marker.
const EMPTY: u32 = u32::MAX;

/// Ids in order of first appearance, with their indices.
#[derive(Debug, Default)]
pub struct Ids {
    arena: String,
    /// (start, end) of each id in `arena`.
    spans: Vec<(usize, usize)>,
    /// Open-addressing table of indices into `spans`, length a power of two (or zero).
    table: Vec<u32>,
}

/// FxHash-style multiply-rotate hash over 8-byte words (the tail zero-padded, the length
/// mixed in): ids come from a file the user passes, so hash flooding is not a concern, and it
/// is several times faster than SipHash on short keys. Its good bits are the high ones, so the
/// table takes its slot from the top (Fibonacci hashing).
fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        let mut word = [0u8; 8];
        word[..tail.len()].copy_from_slice(tail);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    h
}

/// Slot of a hash in a table of `size` (a power of two) slots: the top bits.
fn slot_of(h: u64, size: usize) -> usize {
    (h >> (64 - size.trailing_zeros())) as usize
}

impl Ids {
    /// An interner expecting about `capacity` distinct ids.
    pub fn with_capacity(capacity: usize) -> Self {
        let mut ids = Self::default();
        ids.spans.reserve(capacity);
        ids.arena.reserve(capacity * 8);
        ids.table = vec![EMPTY; (capacity * 2).next_power_of_two().max(16)];
        ids
    }

    /// Number of distinct ids.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether no id was interned.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The id of index `i` (empty for an unknown index).
    pub fn get(&self, i: u32) -> &str {
        self.spans
            .get(i as usize)
            .map_or("", |&(s, e)| &self.arena[s..e])
    }

    /// Index of `id`, adding it if new.
    pub fn intern(&mut self, id: &str) -> u32 {
        if self.spans.len() * 2 >= self.table.len() {
            self.grow();
        }
        let mask = self.table.len() - 1;
        let mut slot = slot_of(hash(id.as_bytes()), self.table.len());
        loop {
            let i = self.table[slot];
            if i == EMPTY {
                let index = self.spans.len() as u32;
                let start = self.arena.len();
                self.arena.push_str(id);
                self.spans.push((start, self.arena.len()));
                self.table[slot] = index;
                return index;
            }
            if self.get(i) == id {
                return i;
            }
            slot = (slot + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let size = (self.table.len() * 2).max(16);
        let mut table = vec![EMPTY; size];
        for (i, &(s, e)) in self.spans.iter().enumerate() {
            let mut slot = slot_of(hash(&self.arena.as_bytes()[s..e]), size);
            while table[slot] != EMPTY {
                slot = (slot + 1) & (size - 1);
            }
            table[slot] = i as u32;
        }
        self.table = table;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_get_dense_indices_in_order_of_first_appearance() {
        let mut ids = Ids::default();
        let got: Vec<u32> = ["b", "a", "b", "", "ccccccccccccccccc", "a"]
            .iter()
            .map(|s| ids.intern(s))
            .collect();
        assert_eq!(got, [0, 1, 0, 2, 3, 1]);
        assert_eq!(
            (ids.len(), ids.get(3), ids.get(9)),
            (4, "ccccccccccccccccc", "")
        );
        for i in 0..10_000 {
            assert_eq!(ids.intern(&i.to_string()), 4 + i);
        }
        assert_eq!(ids.intern("5000"), 5004);
    }
}
