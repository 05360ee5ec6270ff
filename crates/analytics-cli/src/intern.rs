//! Interning of the ids read from CSV files (customers, orders, products) into dense `u32`
//! indices, in order of first appearance.
//!
//! Owns one open-addressing table over a single byte arena: a file of a million customers
//! costs a handful of allocations instead of two per id, which matters for reading speed.
//! Exports sorted by a numeric id (the usual case) never need the table: while every new id is
//! a larger canonical integer than all before it, it cannot be a repeat, and the table is only
//! built when that stops being true.

/// Empty slot marker.
const EMPTY: u32 = u32::MAX;

/// Ids in order of first appearance, with their indices.
#[derive(Debug, Default)]
pub struct Ids {
    arena: String,
    /// (start, end) of each id in `arena`.
    spans: Vec<(usize, usize)>,
    /// Open-addressing table of indices into `spans`, length a power of two; empty while
    /// the ids arrive as ascending integers.
    table: Vec<u32>,
    /// The last id while all ids so far are ascending canonical integers.
    ascending: Option<u64>,
    /// Set once an id broke the ascending run; the table is in use from then on.
    hashed: bool,
}

/// The value of a canonical decimal integer (digits only, no leading zero), which two
/// different strings can never share.
fn canonical_integer(id: &str) -> Option<u64> {
    let b = id.as_bytes();
    if b.is_empty()
        || b.len() > 19
        || (b.len() > 1 && b[0] == b'0')
        || !b.iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    id.parse().ok()
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
        if !self.hashed {
            match canonical_integer(id) {
                Some(v) if self.spans.is_empty() || self.ascending.is_some_and(|last| v > last) => {
                    self.ascending = Some(v);
                    return self.push(id);
                }
                _ => {
                    self.hashed = true;
                    self.grow();
                }
            }
        }
        if self.spans.len() * 2 >= self.table.len() {
            self.grow();
        }
        let mask = self.table.len() - 1;
        let mut slot = slot_of(hash(id.as_bytes()), self.table.len());
        loop {
            let i = self.table[slot];
            if i == EMPTY {
                let index = self.push(id);
                self.table[slot] = index;
                return index;
            }
            if self.get(i) == id {
                return i;
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Appends a new id and returns its index.
    fn push(&mut self, id: &str) -> u32 {
        let start = self.arena.len();
        self.arena.push_str(id);
        self.spans.push((start, self.arena.len()));
        self.spans.len() as u32 - 1
    }

    /// Rebuilds the table at twice the size (at least four times the ids held).
    fn grow(&mut self) {
        let size = (self.table.len() * 2)
            .max((self.spans.len() * 4).next_power_of_two())
            .max(16);
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

    #[test]
    fn ascending_integer_ids_skip_the_table_until_the_run_breaks() {
        let mut ids = Ids::with_capacity(4);
        let got: Vec<u32> = ["1", "2", "10", "10", "2", "010", "11", "0"]
            .iter()
            .map(|s| ids.intern(s))
            .collect();
        assert_eq!(got, [0, 1, 2, 2, 1, 3, 4, 5]);
        assert_eq!(ids.get(3), "010");
        let mut fresh = Ids::default();
        assert_eq!(
            [fresh.intern("7"), fresh.intern("3"), fresh.intern("7")],
            [0, 1, 0]
        );
    }
}
