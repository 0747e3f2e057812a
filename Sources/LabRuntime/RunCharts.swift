import HyperModel

/// What the HTML report and the terminal panels draw, taken from the world at the end of
/// a run: host memory over time with its thresholds, CPU states per VM, datastore use,
/// who ran where (when traced), the event log, and a vSphere-style summary of each VM.
/// Series are thinned to at most `maxPoints` samples so results stay small.
public struct RunCharts: Codable, Sendable, Equatable {
    public struct Series: Codable, Sendable, Equatable {
        public var name: String
        public var values: [Double]
    }

    public struct HostChart: Codable, Sendable, Equatable {
        public var name: String
        public var capacity: Double
        /// Free memory at which high, clear, soft and hard begin.
        public var thresholds: [Double]
        public var times: [Double]
        /// memory.consumed, .free, .shared_saved, .ballooned, .compressed, .swapped, .state
        public var series: [Series]
    }

    public struct VMChart: Codable, Sendable, Equatable {
        public var name: String
        public var host: String
        public var times: [Double]
        /// cpu.run, .ready, .costop, .wait (%)
        public var series: [Series]
    }

    public struct DatastoreBar: Codable, Sendable, Equatable {
        public var name: String
        public var kind: String
        public var capacity: Double
        public var used: Double
        public var provisioned: Double
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
        public var segments: [Segment]
    }

    public struct Event: Codable, Sendable, Equatable {
        public var time: Double
        public var kind: String
        public var subject: String
        public var message: String
    }

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

    public var hosts: [HostChart] = []
    public var vms: [VMChart] = []
    public var datastores: [DatastoreBar] = []
    public var gantts: [Gantt] = []
    public var events: [Event] = []
    public var eventsTotal = 0
    public var panels: [Panel] = []

    static let maxPoints = 400
    static let maxVMCharts = 24
    static let maxEvents = 2000
    static let maxSegments = 1500
    static let ganttWindow: Int64 = 1_000_000

    init(_ w: Datacenter) {
        for h in w.hosts {
            let s = h.metrics.series
            let names = ["memory.consumed", "memory.free", "memory.shared_saved", "memory.ballooned", "memory.compressed",
                         "memory.swapped", "memory.state"]
            hosts.append(HostChart(
                name: h.name, capacity: Double(h.memory.capacity), thresholds: h.memory.edges.map(Double.init),
                times: RunCharts.thin(s.times.map(\.seconds)),
                series: names.map { Series(name: $0, values: RunCharts.thin(s[$0]?.values ?? [])) }))
            if let trace = h.scheduleTrace, h.cpus <= 16 {
                // the first second of scheduling: tens of quanta, readable as a chart
                let t0 = trace.segments.first?.start.micros ?? 0
                let early = trace.segments.lazy.filter { $0.start.micros < t0 + RunCharts.ganttWindow }
                let segs = early.prefix(RunCharts.maxSegments).map {
                    Segment(pcpu: $0.pcpu + 1, vm: $0.vm, vcpu: $0.vcpu, start: $0.start.seconds, end: $0.end.seconds)
                }
                gantts.append(Gantt(host: h.name, pcpus: h.cpus, segments: Array(segs)))
            }
        }
        for vm in w.vms.prefix(RunCharts.maxVMCharts) {
            let s = vm.metrics.series
            vms.append(VMChart(
                name: vm.name, host: vm.host.name, times: RunCharts.thin(s.times.map(\.seconds)),
                series: ["cpu.run", "cpu.ready", "cpu.costop", "cpu.wait"].map { Series(name: $0, values: RunCharts.thin(s[$0]?.values ?? [])) }))
        }
        for d in w.datastores {
            datastores.append(DatastoreBar(name: d.name, kind: d.kind.rawValue, capacity: Double(d.capacity), used: Double(d.used),
                                           provisioned: Double(d.provisioned)))
        }
        events = w.log.events.prefix(RunCharts.maxEvents).map {
            Event(time: $0.time.seconds, kind: $0.kind, subject: $0.subject, message: $0.message)
        }
        eventsTotal = w.log.total
        for vm in w.vms.prefix(64) {
            var stores = w.datastores
            if !stores.contains(where: { $0 === vm.swapDatastore }) { stores.append(vm.swapDatastore) }
            let files = stores.flatMap { $0.files }.filter { $0.owner == vm.name }
            panels.append(Panel(
                name: vm.name, host: vm.host.name, state: vm.state.rawValue, guest: vm.guestOS, vcpus: vm.vcpus,
                cpuUsedMHz: vm.metrics.cpu.usedMHz, cpuReservationMHz: vm.cpuAllocation.reservationMHz,
                memory: [
                    "configured": Double(vm.memory), "consumed": Double(vm.consumed), "active": Double(vm.active),
                    "shared": Double(vm.shared), "ballooned": Double(vm.ballooned), "compressed": Double(vm.compressed),
                    "swapped": Double(vm.swapped), "overhead": Double(vm.overhead), "reservation": Double(vm.memAllocation.reservation),
                ],
                storageProvisioned: Double(files.reduce(0) { $0 + $1.size }), storageUsed: Double(files.reduce(0) { $0 + $1.used })))
        }
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
