import HyperModel

/// What the HTML report and the terminal panels draw, taken from the world at the end of
/// a run: only the objects the lab is about (`ReportFocus`: what its checks read, or what
/// `lab.report` named), and of those only what changed unless named — host memory with
/// its state thresholds and the memory reclaimed from guests, host CPU use, CPU states
/// and memory per VM, datastore space, who ran where (when traced), the event log about
/// them, and a vSphere-style summary of each VM. Every item says which views may show it:
/// the author's (`run`) sees everything; the students' (`grade --format html`) nothing
/// that only hidden/ read, named or created. Series are thinned so results stay small.
public struct RunCharts: Codable, Sendable, Equatable {
    /// Who may see an item.
    public struct Views: OptionSet, Codable, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let author = Views(rawValue: 1)
        public static let student = Views(rawValue: 2)
    }

    public struct Series: Codable, Sendable, Equatable {
        public var name: String
        public var values: [Double]
    }

    /// A host's machine memory: consumed and free fill its capacity.
    public struct HostMemoryChart: Codable, Sendable, Equatable {
        public var name: String
        public var capacity: Double
        /// Free memory at which high, clear, soft and hard begin.
        public var thresholds: [Double]
        public var times: [Double]
        /// memory.consumed and memory.free.
        public var series: [Series]
        /// memory.shared_saved, .ballooned, .compressed, .swapped: those not all zero,
        /// every one when named; empty when nothing was reclaimed.
        public var reclaimed: [Series]
        public var views: Views
    }

    public struct HostCPUChart: Codable, Sendable, Equatable {
        public var name: String
        public var pcpus: Int
        public var times: [Double]
        /// cpu.used (%)
        public var used: [Double]
        public var views: Views
    }

    public struct VMCPUChart: Codable, Sendable, Equatable {
        public var name: String
        public var host: String
        public var vcpus: Int
        public var times: [Double]
        /// cpu.run, .ready, .costop, .wait (%), those not all zero (every one when named).
        public var series: [Series]
        public var views: Views
    }

    public struct VMMemoryChart: Codable, Sendable, Equatable {
        public var name: String
        public var host: String
        public var configured: Double
        public var times: [Double]
        /// memory.consumed, .active, .shared, .ballooned, .compressed, .swapped: those not
        /// all zero (every one when named).
        public var series: [Series]
        public var views: Views
    }

    public struct DatastoreBar: Codable, Sendable, Equatable {
        public var name: String
        public var kind: String
        public var capacity: Double
        public var used: Double
        public var provisioned: Double
        public var views: Views
    }

    public struct Segment: Codable, Sendable, Equatable {
        public var pcpu: Int
        public var vm: String
        public var vcpu: Int
        public var start: Double
        public var end: Double
    }

    public struct Gantt: Codable, Sendable, Equatable {
        public var host: String
        public var pcpus: Int
        /// The window drawn, in seconds of simulated time.
        public var from: Double
        public var to: Double
        public var segments: [Segment]
        public var views: Views
    }

    public struct Event: Codable, Sendable, Equatable {
        public var time: Double
        public var kind: String
        public var subject: String
        public var message: String
        public var views: Views
    }

    /// A line under a section: objects drawn like another, or beyond the cap. `section` is "host memory", "host cpu", "vm cpu", "vm memory", "datastores",
    /// "events" or "selection".
    public struct Note: Codable, Sendable, Equatable {
        public var section: String
        public var text: String
        public var views: Views
    }

    /// An object a view is about whose values never changed: listed with them, not drawn.
    public struct Steady: Codable, Sendable, Equatable {
        /// "host memory", "host cpu", "vm cpu" or "vm memory".
        public var section: String
        public var name: String
        /// The VM's host; nil for a host.
        public var host: String?
        /// The value of each of the section's series (`RunCharts.columns`); nil when it
        /// was never sampled (not running long enough).
        public var values: [Double]?
        public var views: Views
    }

    /// The series of each section, in the order `Steady.values` gives them.
    public static let columns: [String: [String]] = [
        "host memory": ["memory.consumed", "memory.free"], "host cpu": ["cpu.used"],
        "vm cpu": ["cpu.run", "cpu.ready", "cpu.costop", "cpu.wait"],
        "vm memory": ["memory.consumed", "memory.active", "memory.shared", "memory.ballooned", "memory.compressed", "memory.swapped"],
    ]

    /// The lecture's Resources and storage panels of one VM, at the end of the run.
    public struct Panel: Codable, Sendable, Equatable {
        public var name: String
        public var host: String
        public var state: String
        public var guest: String
        public var vcpus: Int
        public var cpuUsedMHz: Double
        public var cpuReservationMHz: Double
        public var memory: [String: Double]
        public var storageProvisioned: Double
        public var storageUsed: Double
    }

    public var hostMemory: [HostMemoryChart] = []
    public var hostCPU: [HostCPUChart] = []
    public var vmCPU: [VMCPUChart] = []
    public var vmMemory: [VMMemoryChart] = []
    public var datastores: [DatastoreBar] = []
    public var gantts: [Gantt] = []
    public var events: [Event] = []
    public var eventsTotal = 0
    public var notes: [Note] = []
    public var steady: [Steady] = []
    /// The VMs the author's view is about (`run`'s terminal panels), at most `maxPanels`.
    public var panels: [Panel] = []
    /// How many more VMs it is about than `panels` holds.
    public var panelsOmitted = 0

    static let maxPoints = 240
    static let maxHosts = 6
    static let maxVMCharts = 12
    static let maxDatastores = 12
    static let maxGantts = 2
    static let maxEvents = 400
    static let maxSegments = 1500
    static let maxPanels = 8
    static let maxSteady = 200
    static let ganttWindow: Int64 = 1_000_000

    public init() {}

    /// The items of `list` a view may show.
    public static func visible<T>(_ list: [T], _ view: Views, _ views: KeyPath<T, Views>) -> [T] {
        list.filter { $0[keyPath: views].contains(view) }
    }

    public func notes(_ section: String, _ view: Views) -> [String] {
        notes.filter { $0.section == section && $0.views.contains(view) }.map(\.text)
    }

    /// Every k-th sample so that at most `maxPoints` remain (the last one kept).
    static func thin(_ v: [Double]) -> [Double] {
        guard v.count > maxPoints else { return v }
        let step = (v.count + maxPoints - 1) / maxPoints
        var out = stride(from: 0, to: v.count, by: step).map { v[$0] }
        if (v.count - 1) % step != 0 { out.append(v[v.count - 1]) }
        return out
    }
}
