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
public struct PageMatrix: Sendable {
    static let rows = PageKind.allCases.count
    static let columns = Backing.allCases.count
    /// Inline storage: a matrix is a plain value, copied and built without allocation.
    private var cells = InlineArray<36, Int64>(repeating: 0)

    public init() {}

    public subscript(_ kind: PageKind, _ backing: Backing) -> Int64 {
        get { cells[kind.rawValue * PageMatrix.columns + backing.rawValue] }
        set { cells[kind.rawValue * PageMatrix.columns + backing.rawValue] = newValue }
    }

    public func count(_ kind: PageKind) -> Int64 {
        var n: Int64 = 0
        for c in 0..<PageMatrix.columns { n += cells[kind.rawValue * PageMatrix.columns + c] }
        return n
    }

    public func count(_ backing: Backing) -> Int64 {
        var n: Int64 = 0
        for r in 0..<PageMatrix.rows { n += cells[r * PageMatrix.columns + backing.rawValue] }
        return n
    }

    /// Pages in the cells selected by the masks (bit i = row or column i).
    func count(rows: RowSet, columns: ColumnSet) -> Int64 {
        var n: Int64 = 0
        for r in 0..<PageMatrix.rows where rows.contains(r) {
            for c in 0..<PageMatrix.columns where columns.contains(c) { n += cells[r * PageMatrix.columns + c] }
        }
        return n
    }

    public var total: Int64 {
        var n: Int64 = 0
        for i in cells.indices { n += cells[i] }
        return n
    }

    /// Takes up to `n` pages from the selected cells in proportion to their counts and
    /// hands each share to `body(row, column, pages)` (the cell is already decremented;
    /// `body` must not touch this matrix). Returns the pages taken.
    @discardableResult
    mutating func take(_ n: Int64, rows: RowSet, columns: ColumnSet,
                       _ body: (PageKind, Backing, Int64) -> Void) -> Int64 {
        apportion(n, rows: rows, columns: columns) { i, k in
            body(PageKind(rawValue: i / PageMatrix.columns)!, Backing(rawValue: i % PageMatrix.columns)!, k)
            return nil
        }
    }

    /// Moves up to `n` pages from the selected cells to `backing`, keeping their rows.
    @discardableResult
    mutating func move(_ n: Int64, rows: RowSet, from columns: ColumnSet, to backing: Backing) -> Int64 {
        precondition(!columns.contains(backing.rawValue), "a move must leave its source columns")
        return apportion(n, rows: rows, columns: columns) { i, _ in i - i % PageMatrix.columns + backing.rawValue }
    }

    /// Moves up to `n` pages from the selected rows to row `kind`, keeping their backing.
    @discardableResult
    mutating func relabel(_ n: Int64, from rows: RowSet, columns: ColumnSet = .all, to kind: PageKind) -> Int64 {
        precondition(!rows.contains(kind.rawValue), "a relabel must leave its source rows")
        return apportion(n, rows: rows, columns: columns) { i, _ in kind.rawValue * PageMatrix.columns + i % PageMatrix.columns }
    }

    /// The one loop behind every operation: sequential apportionment (exact totals, never
    /// more than a cell holds, no allocation). `destination` returns where a share goes,
    /// or nil when the caller keeps it.
    @inline(__always)
    private mutating func apportion(_ n: Int64, rows: RowSet, columns: ColumnSet,
                                    _ destination: (Int, Int64) -> Int?) -> Int64 {
        var available = count(rows: rows, columns: columns)
        var left = min(n, available)
        guard left > 0 else { return 0 }
        let wanted = left
        for r in 0..<PageMatrix.rows where rows.contains(r) {
            for c in 0..<PageMatrix.columns where columns.contains(c) {
                let i = r * PageMatrix.columns + c
                let x = cells[i]
                guard x > 0 else { continue }
                let k = min(x, left, (left * x + available / 2) / available)
                available -= x
                guard k > 0 else { continue }
                cells[i] -= k
                left -= k
                if let d = destination(i, k) { cells[d] += k }
                if left == 0 { return wanted }
            }
        }
        return wanted - left
    }

    mutating func clear() { for i in cells.indices { cells[i] = 0 } }

    /// Adds every cell of `other`.
    mutating func add(_ other: PageMatrix) { for i in cells.indices { cells[i] += other.cells[i] } }

    var isEmpty: Bool {
        for i in cells.indices where cells[i] != 0 { return false }
        return true
    }
}

/// A set of rows of the page matrix.
struct RowSet: OptionSet, Sendable {
    let rawValue: UInt8
    init(rawValue: UInt8) { self.rawValue = rawValue }
    init(_ kinds: PageKind...) { rawValue = kinds.reduce(0) { $0 | (1 << UInt8($1.rawValue)) } }
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
    func contains(_ column: Int) -> Bool { rawValue & (1 << UInt8(column)) != 0 }

    static let all = ColumnSet(rawValue: 0b11_1111)
    static let privateBacked = ColumnSet(.large, .small)
    static let resident = ColumnSet(.large, .small, .shared)
    static let compressed = ColumnSet(.zipQuarter, .zipHalf)
    static let notResident = ColumnSet(.zipQuarter, .zipHalf, .swapped)
}
