/// esxtop's panels and their columns: titles as esxtop spells them, the field each shows
/// and how (docs/top.md lists every one with its meaning in the model).
public enum TopPanel: String, CaseIterable, Sendable {
    case cpu, memory, disk, network

    /// The key that shows it, as in esxtop.
    public var key: Character {
        switch self {
        case .cpu: return "c"
        case .memory: return "m"
        case .disk: return "d"
        case .network: return "n"
        }
    }

    public var columns: [TopColumn] {
        switch self {
        case .cpu: return TopColumn.cpu
        case .memory: return TopColumn.memory
        case .disk: return TopColumn.disk
        case .network: return TopColumn.network
        }
    }

    /// The column it sorts by until a sort key is pressed (esxtop: %USED, then memory size).
    public var defaultSort: String {
        switch self {
        case .cpu: return "%USED"
        case .memory: return "MEMSZ"
        case .disk: return "CMDS/s"
        case .network: return "MbTX/s"
        }
    }
}

/// What a cell holds.
public enum TopCell: Equatable {
    case number(Double)
    case text(String)
}

/// A column of a panel. Columns are shown in their order; when the terminal is narrow,
/// those with the highest `priority` number are left out first.
public struct TopColumn: Sendable {
    public let title: String
    public let width: Int
    public let priority: Int
    /// Decimals of a number (MB values are shown whole, percentages with 2, as esxtop).
    public let decimals: Int
    /// The key that sorts by it (uppercase, as esxtop's U, R, M…); nil when none.
    public let sortKey: Character?
    let value: @Sendable (VMRow) -> TopCell
    /// Its value for vCPU n of an expanded VM (nil: blank on vCPU rows).
    let vcpu: (@Sendable (VMRow, Int) -> TopCell)?
    /// When a value is worth colouring: the level from which it warns and alarms.
    public let warnAt: Double?
    public let alarmAt: Double?

    init(_ title: String, width: Int, priority: Int = 0, decimals: Int = 2, sortKey: Character? = nil,
         warnAt: Double? = nil, alarmAt: Double? = nil, vcpu: (@Sendable (VMRow, Int) -> TopCell)? = nil,
         _ value: @escaping @Sendable (VMRow) -> TopCell) {
        self.title = title
        self.width = width
        self.priority = priority
        self.decimals = decimals
        self.sortKey = sortKey
        self.warnAt = warnAt
        self.alarmAt = alarmAt
        self.vcpu = vcpu
        self.value = value
    }

    public func cell(_ row: VMRow) -> TopCell { value(row) }
    public func cell(_ row: VMRow, vcpu n: Int) -> TopCell? { vcpu?(row, n) }

    static let mb = 1048576.0

    static func field(_ t: String, _ f: VMField, width: Int = 7, priority: Int = 0, decimals: Int = 2, key: Character? = nil,
                      scale: Double = 1, warn: Double? = nil, alarm: Double? = nil, vcpu: VCPUField? = nil) -> TopColumn {
        var perVCPU: (@Sendable (VMRow, Int) -> TopCell)?
        if let v = vcpu { perVCPU = { row, n in TopCell.number(row.vcpu(n, v)) } }
        return TopColumn(t, width: width, priority: priority, decimals: decimals, sortKey: key, warnAt: warn, alarmAt: alarm,
                         vcpu: perVCPU) { row in TopCell.number(row[f] / scale) }
    }

    static func mem(_ t: String, _ f: VMField, priority: Int, key: Character? = nil, warn: Double? = nil) -> TopColumn {
        field(t, f, width: 8, priority: priority, decimals: 0, key: key, scale: mb, warn: warn, alarm: nil)
    }

    static let gid = TopColumn("GID", width: 4, decimals: 0, sortKey: "N", vcpu: { row, n in .text("") }) { .number(Double($0.id + 1)) }
    static let name = TopColumn("NAME", width: 10, vcpu: { row, n in .text(" vmx-vcpu-\(n):\(row.name)") }) { .text($0.name) }

    // %RDY above 10 % per vCPU and %CSTP above 3 % are the usual alarm lines (model-facts §1.4)
    static let cpu: [TopColumn] = [
        gid, name,
        TopColumn("NWLD", width: 5, decimals: 0, vcpu: { _, _ in .number(1) }) { .number($0[.vcpus]) },
        field("%USED", .used, key: "U", vcpu: .run),
        field("%RUN", .run, vcpu: .run),
        field("%WAIT", .wait, priority: 1, vcpu: .wait),
        field("%RDY", .ready, key: "R", warn: 5, alarm: 10, vcpu: .ready),
        field("%CSTP", .costop, key: "C", warn: 3, alarm: 10, vcpu: .costop),
        field("%MLMTD", .limited, width: 7, key: "L", warn: 1, alarm: 10, vcpu: .limited),
    ]

    static let memory: [TopColumn] = [
        gid, name,
        mem("MEMSZ", .memsz, priority: 0, key: "M"),
        mem("GRANT", .grant, priority: 0, key: "G"),
        mem("CNSM", .consumed, priority: 2),
        mem("SZTGT", .sztgt, priority: 0),
        mem("TCHD", .touched, priority: 0, key: "T"),
        mem("MCTLSZ", .ballooned, priority: 0, key: "B", warn: 1),
        mem("MCTLTGT", .balloonTarget, priority: 3),
        mem("SWCUR", .swapped, priority: 0, key: "S", warn: 1),
        mem("SWTGT", .swapTarget, priority: 3),
        mem("ZIP/MB", .compressed, priority: 1, key: "Z", warn: 1),
        field("SWR/s", .swapInRate, width: 8, priority: 2, key: "W", scale: mb, warn: 0.01),
        field("SWW/s", .swapOutRate, width: 8, priority: 4, scale: mb, warn: 0.01),
        mem("SHRD", .shared, priority: 4),
        mem("OVHD", .overhead, priority: 5),
    ]

    static let disk: [TopColumn] = [
        gid, name,
        TopColumn("DATASTORE", width: 10, priority: 1) { .text($0.datastore) },
        field("CMDS/s", .diskCommandsRate, width: 9, key: "C"),
        field("WRITES/s", .diskCommandsRate, width: 9, priority: 2, key: "W"),
        field("MBWRTN/s", .diskBytesRate, width: 9, key: "B", scale: mb),
        field("DAVG/cmd", .diskLatency, width: 9, key: "L", warn: 20, alarm: 50),
    ]

    static let network: [TopColumn] = [
        gid,
        TopColumn("USED-BY", width: 12) { .text($0.name) },
        TopColumn("DNAME", width: 9, priority: 1) { .text($0.nic.isEmpty ? "-" : $0.nic) },
        field("PKTTX/s", .netPacketsRate, width: 11, key: "P"),
        field("MbTX/s", .netBitsRate, width: 10, key: "T", scale: 1e6),
    ]
}
