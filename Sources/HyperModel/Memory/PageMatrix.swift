/// What a touched guest page holds, as far as reclamation cares (the rows of a VM's
/// page matrix). Contents are classes, never per-page data, so a 64 GiB VM costs the
/// same few words as a 1 GiB one.
public enum PageKind: Int, CaseIterable, Sendable {
    /// On the guest's free list, all zeros (Windows zeroes memory at boot).
    case zeroFree
    /// On the guest's free list, holding whatever was freed.
    case dataFree
    /// In use, part of the guest OS image: identical in every VM booted from that image.
    case image
    /// In use but still all zeros (allocated, not yet written).
    case zeroUsed
    /// In use by applications, outside their working set.
    case idle
    /// In use by applications, in their working set: touched every period.
    case active

    var isFree: Bool { self == .zeroFree || self == .dataFree }
    var isZero: Bool { self == .zeroFree || self == .zeroUsed }
    var isData: Bool { self == .dataFree || self == .idle || self == .active }
}

/// Where the host keeps a touched guest page (the columns).
public enum Backing: Int, CaseIterable, Sendable {
    /// A private machine page inside a 2 MB large page (not shareable until broken).
    case large
    /// A private 4 KB machine page.
    case small
    /// Mapped copy-on-write to a machine page shared by page sharing.
    case shared
    /// In the VM's compression cache, in a 1 KB quarter-page slot.
    case zipQuarter
    /// In the compression cache, in a 2 KB half-page slot.
    case zipHalf
    /// In the host swap file (or, for KVM, the host's swap device).
    case swapped

    var isPrivate: Bool { self == .large || self == .small }
    var isResident: Bool { self == .large || self == .small || self == .shared }
    var isCompressed: Bool { self == .zipQuarter || self == .zipHalf }
}

/// Counts of a VM's touched guest pages by content and by where the host keeps them, in
/// pages of 4 KiB. Every operation moves counts between cells, spreading a request over
/// the cells it may take from in proportion to their sizes: the host does not know
/// which page is which, so it takes a fair sample, and integer arithmetic makes it exact
/// and deterministic.
///
/// The cells live in one small buffer owned by the VM's `GuestMemory` (this value is a
/// view of it), with row and column totals kept up to date, so the counts the host reads
/// every second cost a few additions and nothing is copied or allocated.
public struct PageMatrix: @unchecked Sendable {
    static let rows = PageKind.allCases.count
    static let columns = Backing.allCases.count
    static let cellCount = rows * columns
    /// cells, row totals, column totals, then the address of the host's totals
    static let size = cellCount + rows + columns + 1
    private let base: UnsafeMutablePointer<Int64>

    init(owning base: UnsafeMutablePointer<Int64>) { self.base = base }

    static func allocate() -> PageMatrix {
        let p = UnsafeMutablePointer<Int64>.allocate(capacity: size)
        p.initialize(repeating: 0, count: size)
        return PageMatrix(owning: p)
    }

    func deallocate() { base.deallocate() }

    /// Asks for the matrix's cache lines (a hint, Kernel/Prefetch.swift).
    @inline(__always) func prefetch() { Prefetch.bytes(base, PageMatrix.size * 8) }

    /// Links this matrix to a host's totals: its column totals are added there and every
    /// later change is mirrored, so the host knows its machine memory in O(1).
    func link(to host: HostPageTotals?) {
        if let old = linked { for c in 0..<PageMatrix.columns { old.columns[c] -= columnTotal(c).pointee } }
        base[PageMatrix.size - 1] = host.map { Int64(Int(bitPattern: $0.base)) } ?? 0
        if let new = linked { for c in 0..<PageMatrix.columns { new.columns[c] += columnTotal(c).pointee } }
    }

    private var linked: HostPageTotals? {
        let bits = base[PageMatrix.size - 1]
        guard bits != 0, let p = UnsafeMutablePointer<Int64>(bitPattern: Int(bits)) else { return nil }
        return HostPageTotals(base: p)
    }

    @inline(__always) private func rowTotal(_ r: Int) -> UnsafeMutablePointer<Int64> { base + PageMatrix.cellCount + r }
    @inline(__always) private func columnTotal(_ c: Int) -> UnsafeMutablePointer<Int64> {
        base + PageMatrix.cellCount + PageMatrix.rows + c
    }

    @inline(__always) private func add(_ i: Int, _ k: Int64) {
        base[i] += k
        let c = i % PageMatrix.columns
        rowTotal(i / PageMatrix.columns).pointee += k
        columnTotal(c).pointee += k
        let host = base[PageMatrix.size - 1]
        if host != 0, let p = UnsafeMutablePointer<Int64>(bitPattern: Int(host)) {
            p[c] += k
            if c == Backing.shared.rawValue || i / PageMatrix.columns == PageKind.image.rawValue { p[PageMatrix.columns] &+= 1 }
        }
    }

    public subscript(_ kind: PageKind, _ backing: Backing) -> Int64 {
        get { base[kind.rawValue * PageMatrix.columns + backing.rawValue] }
        nonmutating set {
            let i = kind.rawValue * PageMatrix.columns + backing.rawValue
            add(i, newValue - base[i])
        }
    }

    public func count(_ kind: PageKind) -> Int64 { rowTotal(kind.rawValue).pointee }
    public func count(_ backing: Backing) -> Int64 { columnTotal(backing.rawValue).pointee }

    /// Pages in the cells selected by the sets.
    func count(rows: RowSet, columns: ColumnSet) -> Int64 {
        var n: Int64 = 0
        if rows == .all {
            for c in 0..<PageMatrix.columns where columns.contains(c) { n += columnTotal(c).pointee }
        } else if columns == .all {
            for r in 0..<PageMatrix.rows where rows.contains(r) { n += rowTotal(r).pointee }
        } else {
            // visit only the set bits
            var rs = rows.rawValue
            while rs != 0 {
                let r = rs.trailingZeroBitCount
                rs &= rs - 1
                var cs = columns.rawValue
                while cs != 0 {
                    n += base[r * PageMatrix.columns + cs.trailingZeroBitCount]
                    cs &= cs - 1
                }
            }
        }
        return n
    }

    public var total: Int64 {
        var n: Int64 = 0
        for r in 0..<PageMatrix.rows { n += rowTotal(r).pointee }
        return n
    }

    /// Takes up to `n` pages from the selected cells in proportion to their counts and
    /// hands each share to `body(row, column, pages)` (the cell is already decremented;
    /// `body` must not touch this matrix). Returns the pages taken.
    @discardableResult
    func take(_ n: Int64, rows: RowSet, columns: ColumnSet, _ body: (PageKind, Backing, Int64) -> Void) -> Int64 {
        apportion(n, rows: rows, columns: columns) { i, k in
            body(PageKind(rawValue: i / PageMatrix.columns)!, Backing(rawValue: i % PageMatrix.columns)!, k)
            return nil
        }
    }

    /// Moves up to `n` pages from the selected cells to `backing`, keeping their rows.
    @discardableResult
    func move(_ n: Int64, rows: RowSet, from columns: ColumnSet, to backing: Backing) -> Int64 {
        precondition(!columns.contains(backing.rawValue), "a move must leave its source columns")
        return apportion(n, rows: rows, columns: columns) { i, _ in i - i % PageMatrix.columns + backing.rawValue }
    }

    /// Moves up to `n` pages from the selected rows to row `kind`, keeping their backing.
    @discardableResult
    func relabel(_ n: Int64, from rows: RowSet, columns: ColumnSet = .all, to kind: PageKind) -> Int64 {
        precondition(!rows.contains(kind.rawValue), "a relabel must leave its source rows")
        return apportion(n, rows: rows, columns: columns) { i, _ in kind.rawValue * PageMatrix.columns + i % PageMatrix.columns }
    }

    /// The one loop behind every operation: sequential apportionment (exact totals, never
    /// more than a cell holds). `destination` returns where a share goes, or nil when the
    /// caller keeps it.
    @inline(__always)
    private func apportion(_ n: Int64, rows: RowSet, columns: ColumnSet, _ destination: (Int, Int64) -> Int?) -> Int64 {
        guard n > 0 else { return 0 }  // callers often ask for none: no need to count
        var available = count(rows: rows, columns: columns)
        var left = min(n, available)
        guard left > 0 else { return 0 }
        let wanted = left
        for r in 0..<PageMatrix.rows where rows.contains(r) {
            for c in 0..<PageMatrix.columns where columns.contains(c) {
                let i = r * PageMatrix.columns + c
                let x = base[i]
                guard x > 0 else { continue }
                // the last cell holding pages (x == available) gets all that is left: the
                // same share as the division gives, without a 64-bit division
                let k = x == available ? min(x, left) : min(x, left, (left * x + available / 2) / available)
                available -= x
                guard k > 0 else { continue }
                add(i, -k)
                left -= k
                if let d = destination(i, k) { add(d, k) }
                if left == 0 { return wanted }
            }
        }
        return wanted - left
    }

    /// Empties the matrix (unlink it first: the host's totals are not updated).
    func clear() { base.update(repeating: 0, count: PageMatrix.cellCount + PageMatrix.rows + PageMatrix.columns) }

    var isEmpty: Bool { total == 0 }
}

/// A host's sums over the page matrices of its resident VMs: pages per column, and a
/// counter bumped whenever shared or OS image pages change (page sharing's accounting
/// only needs redoing then).
public struct HostPageTotals: @unchecked Sendable {
    let base: UnsafeMutablePointer<Int64>

    static func allocate() -> HostPageTotals {
        let p = UnsafeMutablePointer<Int64>.allocate(capacity: PageMatrix.columns + 1)
        p.initialize(repeating: 0, count: PageMatrix.columns + 1)
        return HostPageTotals(base: p)
    }

    var columns: UnsafeMutablePointer<Int64> { base }
    func count(_ backing: Backing) -> Int64 { base[backing.rawValue] }
    var sharingChanges: Int64 { base[PageMatrix.columns] }
}

/// A small matrix of counts on the stack, for what an operation took.
struct PageCounts {
    private var cells = InlineArray<36, Int64>(repeating: 0)

    subscript(_ kind: PageKind, _ backing: Backing) -> Int64 {
        get { cells[kind.rawValue * PageMatrix.columns + backing.rawValue] }
        set { cells[kind.rawValue * PageMatrix.columns + backing.rawValue] = newValue }
    }

    func count(_ kind: PageKind) -> Int64 {
        var n: Int64 = 0
        for c in 0..<PageMatrix.columns { n += cells[kind.rawValue * PageMatrix.columns + c] }
        return n
    }

    func count(_ backing: Backing) -> Int64 {
        var n: Int64 = 0
        for r in 0..<PageMatrix.rows { n += cells[r * PageMatrix.columns + backing.rawValue] }
        return n
    }
}

/// A set of rows of the page matrix.
struct RowSet: OptionSet, Sendable {
    let rawValue: UInt8
    init(rawValue: UInt8) { self.rawValue = rawValue }
    init(_ kinds: PageKind...) { rawValue = kinds.reduce(0) { $0 | (1 << UInt8($1.rawValue)) } }
    /// One row: the common case, without the variadic form's array (built on every call).
    init(_ kind: PageKind) { rawValue = 1 << UInt8(kind.rawValue) }
    func contains(_ row: Int) -> Bool { rawValue & (1 << UInt8(row)) != 0 }

    static let all = RowSet(rawValue: 0b11_1111)
    static let free = RowSet(.zeroFree, .dataFree)
    static let used = RowSet(.image, .zeroUsed, .idle, .active)
    static let zero = RowSet(.zeroFree, .zeroUsed)
    static let data = RowSet(.dataFree, .idle, .active)
}

/// A set of columns of the page matrix.
struct ColumnSet: OptionSet, Sendable {
    let rawValue: UInt8
    init(rawValue: UInt8) { self.rawValue = rawValue }
    init(_ backings: Backing...) { rawValue = backings.reduce(0) { $0 | (1 << UInt8($1.rawValue)) } }
    /// One column, without an array.
    init(_ backing: Backing) { rawValue = 1 << UInt8(backing.rawValue) }
    func contains(_ column: Int) -> Bool { rawValue & (1 << UInt8(column)) != 0 }

    static let all = ColumnSet(rawValue: 0b11_1111)
    static let privateBacked = ColumnSet(.large, .small)
    static let resident = ColumnSet(.large, .small, .shared)
    static let compressed = ColumnSet(.zipQuarter, .zipHalf)
    static let notResident = ColumnSet(.zipQuarter, .zipHalf, .swapped)
}
