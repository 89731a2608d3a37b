//! A small, bounded reader of Compound File Binary files (MS-CFB), the
//! container of Outlook `.msg` files: the header, the FAT (through the
//! header's and the chained DIFAT), the directory, the mini FAT and the mini
//! stream. Read-only, and only what finding a stream by name needs.
//!
//! The input is hostile: every sector number and size is checked against the
//! file, every chain walk is bounded by the number of sectors the file can
//! hold (a cyclic chain is an error, never a loop), the directory tree is
//! walked with a visited mark per entry, and nothing is allocated beyond the
//! size of the input. No function here panics.
//!
//! The `cfb` crate was not used: its history has panics and hangs on fuzzed
//! files (rust-cfb issues 7 and 18) and it rejects real files other readers
//! accept (issues 1, 8, 27); this reader needs a few hundred lines.

/// The eight bytes every compound file starts with.
pub const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Sector numbers at or above this one are markers (free, end of chain…).
const MAX_REGULAR_SECTOR: u32 = 0xFFFF_FFFA;
/// The end of a chain.
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
/// No directory entry (a missing sibling or child).
const NO_STREAM: u32 = 0xFFFF_FFFF;
/// Bytes per directory entry.
const ENTRY: usize = 128;
/// DIFAT entries in the header.
const HEADER_DIFAT: usize = 109;

/// Whether `bytes` start with the compound file signature.
pub fn is_cfb(bytes: &[u8]) -> bool {
    bytes.starts_with(&SIGNATURE)
}

/// Why a compound file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CfbError {
    /// Shorter than its header, or not a compound file.
    NotCfb,
    /// A header field out of its allowed values (version, sector size…).
    BadHeader(&'static str),
    /// A sector number outside the file, or a chain that loops or ends early.
    BadChain(&'static str),
    /// The directory is malformed (no root entry, a stream past its chain).
    BadDirectory(&'static str),
}

impl CfbError {
    /// What went wrong, in English (a developer's reason; the user-facing
    /// sentence is [`crate::input::info::InputProblem`]'s).
    pub fn reason(&self) -> &'static str {
        match self {
            CfbError::NotCfb => "not a compound file",
            CfbError::BadHeader(why) | CfbError::BadChain(why) | CfbError::BadDirectory(why) => why,
        }
    }
}

/// A directory entry: its name, type, links and stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The name's UTF-16 code units (at most 31, as the format allows).
    name: [u16; 32],
    name_len: usize,
    /// 1 storage, 2 stream, 5 root; anything else is unused.
    pub kind: u8,
    left: u32,
    right: u32,
    child: u32,
    start: u32,
    /// The stream's size in bytes.
    pub size: u64,
}

impl Entry {
    /// Whether the name starts with `prefix`, ASCII case ignored (as CFB
    /// compares names); the whole name when `whole`.
    pub fn name_matches(&self, prefix: &str, whole: bool) -> bool {
        let units = self.name.get(..self.name_len).unwrap_or_default();
        let mut theirs = units.iter();
        for c in prefix.encode_utf16() {
            match theirs.next() {
                Some(&u) if fold(u) == fold(c) => {}
                _ => return false,
            }
        }
        !whole || theirs.next().is_none()
    }
}

/// ASCII upper case of a UTF-16 unit.
fn fold(u: u16) -> u16 {
    if (u16::from(b'a')..=u16::from(b'z')).contains(&u) {
        u - 32
    } else {
        u
    }
}

/// An open compound file, borrowing its bytes.
#[derive(Debug)]
pub struct Cfb<'a> {
    bytes: &'a [u8],
    /// Sector size in bytes (512 or 4096).
    sector: usize,
    /// The sectors the file holds after its header.
    sectors: u32,
    /// The sectors that hold the FAT, in order.
    fat_sectors: Vec<u32>,
    mini_cutoff: u64,
    mini_fat: Vec<u32>,
    mini_stream: Vec<u8>,
    entries: Vec<Entry>,
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    let b = bytes.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([*b.first()?, *b.get(1)?]))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    let b: [u8; 8] = bytes.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(b))
}

impl<'a> Cfb<'a> {
    /// Reads the header, the FAT's sector list, the directory, the mini FAT
    /// and the mini stream. Bounded by the size of `bytes`.
    pub fn open(bytes: &'a [u8]) -> Result<Cfb<'a>, CfbError> {
        if !is_cfb(bytes) || bytes.len() < 512 {
            return Err(CfbError::NotCfb);
        }
        let header = |at| u32_at(bytes, at).ok_or(CfbError::NotCfb);
        let major = u16_at(bytes, 0x1A).ok_or(CfbError::NotCfb)?;
        let shift = u16_at(bytes, 0x1E).ok_or(CfbError::NotCfb)?;
        let mini_shift = u16_at(bytes, 0x20).ok_or(CfbError::NotCfb)?;
        // Version 3 has 512-byte sectors, version 4 4096; some writers mix
        // them up, so the shift is what counts.
        let sector = match (major, shift) {
            (3 | 4, 9) => 512usize,
            (3 | 4, 12) => 4096,
            _ => return Err(CfbError::BadHeader("unsupported version or sector size")),
        };
        if mini_shift != 6 {
            return Err(CfbError::BadHeader("unsupported mini sector size"));
        }
        // Sector n starts at (n + 1) * sector: the header fills sector -1.
        let body = bytes.len().saturating_sub(sector);
        let sectors = u32::try_from(body.div_ceil(sector)).unwrap_or(u32::MAX);
        let fat_count = header(0x2C)?;
        let dir_start = header(0x30)?;
        let mini_cutoff = u64::from(header(0x38)?);
        let mini_fat_start = header(0x3C)?;
        let mini_fat_count = header(0x40)?;
        let difat_start = header(0x44)?;
        // A FAT sector maps sector/4 sectors: more FAT sectors than the file
        // needs are a lie; fewer leave sectors unmapped (then an error at use).
        let per_sector = sector / 4;
        if u64::from(fat_count) > u64::from(sectors) {
            return Err(CfbError::BadHeader("more FAT sectors than the file holds"));
        }
        let fat_count = usize::try_from(fat_count).unwrap_or(usize::MAX);
        let mut fat_sectors = Vec::with_capacity(fat_count.min(HEADER_DIFAT));
        for i in 0..HEADER_DIFAT.min(fat_count) {
            fat_sectors.push(header(0x4C + 4 * i)?);
        }
        // The DIFAT chain: each sector lists sector/4 - 1 FAT sectors, then
        // the next DIFAT sector. At most `sectors` steps: a cycle ends there.
        let mut next = difat_start;
        let mut visited = Visited::new(usize::try_from(sectors).unwrap_or(0));
        // (The header's DIFAT sector count is not trusted: writers get it
        // wrong, and the visited marks bound the walk.)
        while fat_sectors.len() < fat_count && next <= MAX_REGULAR_SECTOR && next < sectors {
            let index = usize::try_from(next).unwrap_or(usize::MAX);
            if !visited.first_visit(index) {
                return Err(CfbError::BadChain("the DIFAT chain loops or is too long"));
            }
            let at = sector_offset(next, sector);
            for i in 0..per_sector - 1 {
                if fat_sectors.len() == fat_count {
                    break;
                }
                let entry = u32_at(bytes, at + 4 * i)
                    .ok_or(CfbError::BadChain("a DIFAT sector is cut short"))?;
                fat_sectors.push(entry);
            }
            next = u32_at(bytes, at + 4 * (per_sector - 1))
                .ok_or(CfbError::BadChain("a DIFAT sector is cut short"))?;
        }
        let mut cfb = Cfb {
            bytes,
            sector,
            sectors,
            fat_sectors,
            mini_cutoff,
            mini_fat: Vec::new(),
            mini_stream: Vec::new(),
            entries: Vec::new(),
        };
        // The directory: a chain of 128-byte entries.
        let dir = cfb.chain(dir_start, None)?;
        let count = dir.len() / ENTRY;
        let mut entries = Vec::with_capacity(count);
        for i in 0..count {
            let e = dir.get(i * ENTRY..(i + 1) * ENTRY).unwrap_or_default();
            entries.push(entry(e));
        }
        match entries.first() {
            Some(root) if root.kind == 5 => {}
            _ => return Err(CfbError::BadDirectory("no root entry")),
        }
        cfb.entries = entries;
        // The mini FAT (a regular chain of sector numbers) and the mini
        // stream (the root entry's stream), for the streams under the cutoff.
        if mini_fat_count > 0 && mini_fat_start <= MAX_REGULAR_SECTOR {
            let raw = cfb.chain(mini_fat_start, None)?;
            cfb.mini_fat = raw
                .as_chunks::<4>()
                .0
                .iter()
                .map(|c| u32::from_le_bytes(*c))
                .collect();
        }
        let (root_start, root_size) = cfb
            .entries
            .first()
            .map(|r| (r.start, r.size))
            .unwrap_or((END_OF_CHAIN, 0));
        if root_size > 0 && root_start <= MAX_REGULAR_SECTOR {
            cfb.mini_stream = cfb.chain(root_start, Some(root_size))?;
        }
        Ok(cfb)
    }

    /// The next sector of `current`'s chain, from the FAT.
    fn fat_next(&self, current: u32) -> Result<u32, CfbError> {
        let per = self.sector / 4;
        let index = usize::try_from(current).map_err(|_| CfbError::BadChain("sector number"))?;
        let fat_sector = self
            .fat_sectors
            .get(index / per)
            .copied()
            .ok_or(CfbError::BadChain("a sector no FAT sector maps"))?;
        if fat_sector >= self.sectors {
            return Err(CfbError::BadChain("a FAT sector outside the file"));
        }
        u32_at(
            self.bytes,
            sector_offset(fat_sector, self.sector) + 4 * (index % per),
        )
        .ok_or(CfbError::BadChain("a FAT sector outside the file"))
    }

    /// The bytes of the regular chain from `start`, cut to `size` when
    /// given. At most as many steps as the file has sectors.
    fn chain(&self, start: u32, size: Option<u64>) -> Result<Vec<u8>, CfbError> {
        let cap = size
            .and_then(|s| usize::try_from(s).ok())
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        let mut out = Vec::with_capacity(cap.min(1 << 20));
        let mut current = start;
        let mut visited = Visited::new(usize::try_from(self.sectors).unwrap_or(0));
        while current != END_OF_CHAIN && out.len() < cap {
            if current > MAX_REGULAR_SECTOR || current >= self.sectors {
                return Err(CfbError::BadChain("a sector number outside the file"));
            }
            if !visited.first_visit(usize::try_from(current).unwrap_or(usize::MAX)) {
                return Err(CfbError::BadChain("a chain loops"));
            }
            let at = sector_offset(current, self.sector);
            let end = at.saturating_add(self.sector).min(self.bytes.len());
            let data = self.bytes.get(at..end).unwrap_or_default();
            let take = data.len().min(cap - out.len());
            out.extend_from_slice(data.get(..take).unwrap_or_default());
            current = self.fat_next(current)?;
        }
        if size.is_some() && out.len() < cap {
            return Err(CfbError::BadDirectory("a stream is longer than its chain"));
        }
        Ok(out)
    }

    /// The bytes of the mini chain from `start`, `size` bytes.
    fn mini_chain(&self, start: u32, size: u64) -> Result<Vec<u8>, CfbError> {
        const MINI: usize = 64;
        let cap = usize::try_from(size)
            .unwrap_or(usize::MAX)
            .min(self.mini_stream.len());
        let mut out = Vec::with_capacity(cap);
        let mut current = start;
        let mut visited = Visited::new(self.mini_stream.len().div_ceil(MINI));
        while current != END_OF_CHAIN && out.len() < cap {
            let index = usize::try_from(current).unwrap_or(usize::MAX);
            if index.saturating_mul(MINI) < self.mini_stream.len() && !visited.first_visit(index) {
                return Err(CfbError::BadChain("a mini chain loops"));
            }
            let at = index.saturating_mul(MINI);
            let data = self
                .mini_stream
                .get(at..at.saturating_add(MINI).min(self.mini_stream.len()))
                .filter(|d| !d.is_empty())
                .ok_or(CfbError::BadChain("a mini sector outside the mini stream"))?;
            let take = data.len().min(cap - out.len());
            out.extend_from_slice(data.get(..take).unwrap_or_default());
            current = self
                .mini_fat
                .get(index)
                .copied()
                .ok_or(CfbError::BadChain("a mini sector no mini FAT entry maps"))?;
        }
        if u64::try_from(out.len()).unwrap_or(u64::MAX) < size {
            return Err(CfbError::BadDirectory(
                "a stream is longer than its mini chain",
            ));
        }
        Ok(out)
    }

    /// The root storage's entry index (always 0).
    pub fn root(&self) -> usize {
        0
    }

    /// The entry at `index`.
    pub fn entry(&self, index: usize) -> Option<&Entry> {
        self.entries.get(index)
    }

    /// The entries directly under the storage `parent`, in tree order
    /// (each entry visited at most once, whatever the links say).
    pub fn children(&self, parent: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let Some(first) = self.entries.get(parent).map(|e| e.child) else {
            return out;
        };
        let mut seen = vec![false; self.entries.len()];
        let mut stack = vec![first];
        while let Some(link) = stack.pop() {
            if link == NO_STREAM {
                continue;
            }
            let index = usize::try_from(link).unwrap_or(usize::MAX);
            let (Some(e), Some(mark)) = (self.entries.get(index), seen.get_mut(index)) else {
                continue;
            };
            if std::mem::replace(mark, true) || index == parent {
                continue;
            }
            out.push(index);
            stack.push(e.right);
            stack.push(e.left);
        }
        out
    }

    /// The entry named `name` (ASCII case ignored, as CFB compares names)
    /// directly under `parent`.
    pub fn child(&self, parent: usize, name: &str) -> Option<usize> {
        self.children(parent).into_iter().find(|&i| {
            self.entries
                .get(i)
                .is_some_and(|e| e.name_matches(name, true))
        })
    }

    /// The stream at entry `index`, at most `limit` bytes of it (`Ok(None)`
    /// when the entry is not a stream).
    pub fn stream(&self, index: usize, limit: usize) -> Result<Option<Vec<u8>>, CfbError> {
        let Some(e) = self.entries.get(index) else {
            return Ok(None);
        };
        if e.kind != 2 {
            return Ok(None);
        }
        // Version 3 files may leave garbage in the size's high half.
        let size = if self.sector == 512 {
            e.size & 0xFFFF_FFFF
        } else {
            e.size
        };
        if size == 0 {
            return Ok(Some(Vec::new()));
        }
        let wanted = size.min(u64::try_from(limit).unwrap_or(u64::MAX));
        let mut data = if size < self.mini_cutoff {
            self.mini_chain(e.start, size)?
        } else {
            self.chain(e.start, Some(size))?
        };
        data.truncate(usize::try_from(wanted).unwrap_or(usize::MAX));
        Ok(Some(data))
    }
}

/// Which sectors a chain has visited: a chain that comes back to one loops.
struct Visited(Vec<u64>);

impl Visited {
    fn new(count: usize) -> Visited {
        Visited(vec![0; count.div_ceil(64)])
    }

    /// Marks `n`; `false` when it was marked already (or is out of range).
    fn first_visit(&mut self, n: usize) -> bool {
        let bit = 1u64 << (n % 64);
        match self.0.get_mut(n / 64) {
            Some(word) if *word & bit == 0 => {
                *word |= bit;
                true
            }
            _ => false,
        }
    }
}

/// Where sector `n` starts (after the header, which fills one sector).
fn sector_offset(n: u32, sector: usize) -> usize {
    usize::try_from(n)
        .unwrap_or(usize::MAX)
        .saturating_add(1)
        .saturating_mul(sector)
}

/// A directory entry from its 128 bytes.
fn entry(e: &[u8]) -> Entry {
    let bytes = usize::from(u16_at(e, 0x40).unwrap_or(0)).min(64);
    let mut name = [0u16; 32];
    let mut name_len = 0;
    for (slot, unit) in name.iter_mut().zip(
        e.get(..bytes)
            .unwrap_or_default()
            .as_chunks::<2>()
            .0
            .iter()
            .map(|c| u16::from_le_bytes(*c))
            .take_while(|&u| u != 0),
    ) {
        *slot = unit;
        name_len += 1;
    }
    Entry {
        name,
        name_len,
        kind: e.get(0x42).copied().unwrap_or(0),
        left: u32_at(e, 0x44).unwrap_or(NO_STREAM),
        right: u32_at(e, 0x48).unwrap_or(NO_STREAM),
        child: u32_at(e, 0x4C).unwrap_or(NO_STREAM),
        start: u32_at(e, 0x74).unwrap_or(END_OF_CHAIN),
        size: u64_at(e, 0x78).unwrap_or(0),
    }
}
