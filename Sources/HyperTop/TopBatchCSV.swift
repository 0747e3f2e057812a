import Foundation

/// esxtop's batch mode (`esxtop -b -d S -n N`): a perfmon-style CSV, one column per
/// counter of every host and VM seen, one row per interval. Counter paths follow esxtop's
/// (`\\host\Group Cpu(GID:name)\% Ready`); docs/top.md lists what each means here.
/// A VM not running on that host at a row has an empty cell, as perfmon leaves a counter
/// that has no instance then.
public enum TopBatchCSV {
    /// Simulated time 0 is written as this UTC instant (batch rows carry wall-clock time
    /// in esxtop; the simulation's clock starts here so every run gives the same file).
    public static let epoch = "01/01/2026 00:00:00"

    struct Counter {
        let path: String
        let value: (Rows) -> Double?
    }

    /// A frame's rows by host id and by (host, VM) pair, found once per row written.
    struct Rows {
        var hosts: [Int: HostRow] = [:]
        var vms: [Int: VMRow] = [:]
        init(_ f: TopFrame) {
            for i in 0..<f.hostCount { hosts[f.host(i).id] = f.host(i) }
            for i in 0..<f.vmCount {
                let v = f.vm(i)
                vms[Int(v[.host]) << 32 | v.id] = v
            }
        }
    }

    /// The frames written: every `every`-th frame, at most `iterations` of them.
    public static func frames(_ r: TopRecording, every: Int, iterations: Int?) -> [Int] {
        let all = Array(stride(from: 0, to: r.frameCount, by: max(1, every)))
        return iterations.map { Array(all.prefix($0)) } ?? all
    }

    public static func render(_ r: TopRecording, frames: [Int]) -> String {
        let counters = self.counters(r)
        var out = "\"(PDH-CSV 4.0) (UTC)(0)\""
        for c in counters { out += ",\"" + c.path.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        out += "\r\n"
        for i in frames {
            let f = r.frame(i)
            let rows = Rows(f)
            out += "\"" + timestamp(f.time.micros) + "\""
            for c in counters {
                if let v = c.value(rows) { out += ",\"" + number(v) + "\"" } else { out += ",\"\"" }
            }
            out += "\r\n"
        }
        return out
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(format: "%.4f", v)
    }

    static let formatter: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "MM/dd/yyyy HH:mm:ss"
        return f
    }()

    /// `epoch` (2026-01-01 00:00:00 UTC, 1,767,225,600 s after 1970) plus the simulated time.
    static func timestamp(_ micros: Int64) -> String {
        formatter.string(from: Date(timeIntervalSince1970: 1_767_225_600 + Double(micros / 1_000_000)))
    }

    static func counters(_ r: TopRecording) -> [Counter] {
        let mb = 1048576.0
        var list: [Counter] = []
        // hosts in the order seen, then each (host, VM) pair in the order seen
        for (id, name) in r.hostNames.enumerated() {
            func host(_ path: String, _ f: HostField, _ scale: Double = 1) {
                list.append(Counter(path: "\\\\\(name)\\\(path)") { $0.hosts[id].map { $0[f] / scale } })
            }
            host("Physical Cpu(_Total)\\% Util Time", .cpuUsed)
            host("Memory\\Machine MBytes", .capacity, mb)
            host("Memory\\Free MBytes", .free, mb)
            host("Memory\\Minimum Free MBytes", .minFree, mb)
            host("Memory\\Free Memory State", .state)
            host("Memory\\Consumed MBytes", .consumed, mb)
            host("Memory\\PShare Savings MBytes", .sharedSaved, mb)
            host("Memory\\Memctl Current MBytes", .ballooned, mb)
            host("Memory\\Memctl Target MBytes", .balloonTarget, mb)
            host("Memory\\Swap Used MBytes", .swapped, mb)
            host("Memory\\Swap Target MBytes", .swapTarget, mb)
            host("Memory\\Swap MBytes Read/sec", .swapInRate, mb)
            host("Memory\\Swap MBytes Write/sec", .swapOutRate, mb)
            host("Memory\\Compressed MBytes", .compressed, mb)
        }
        for (host, vm) in pairs(r) {
            let h = r.hostNames[host], v = r.vmNames[vm], g = "\(vm + 1):\(v)"
            func add(_ path: String, _ f: VMField, _ scale: Double = 1) {
                let key = host << 32 | vm
                list.append(Counter(path: "\\\\\(h)\\\(path)") { $0.vms[key].map { $0[f] / scale } })
            }
            add("Group Cpu(\(g))\\Members", .vcpus)
            add("Group Cpu(\(g))\\% Used", .used)
            add("Group Cpu(\(g))\\% Run", .run)
            add("Group Cpu(\(g))\\% Wait", .wait)
            add("Group Cpu(\(g))\\% Ready", .ready)
            add("Group Cpu(\(g))\\% CoStop", .costop)
            add("Group Cpu(\(g))\\% Max Limited", .limited)
            add("Group Memory(\(g))\\Memory Size MBytes", .memsz, mb)
            add("Group Memory(\(g))\\Memory Granted Size MBytes", .grant, mb)
            add("Group Memory(\(g))\\Memory Consumed Size MBytes", .consumed, mb)
            add("Group Memory(\(g))\\Target Size MBytes", .sztgt, mb)
            add("Group Memory(\(g))\\Touched MBytes", .touched, mb)
            add("Group Memory(\(g))\\Memctl MBytes", .ballooned, mb)
            add("Group Memory(\(g))\\Memctl Target MBytes", .balloonTarget, mb)
            add("Group Memory(\(g))\\Swapped MBytes", .swapped, mb)
            add("Group Memory(\(g))\\Swap Target MBytes", .swapTarget, mb)
            add("Group Memory(\(g))\\Zipped MBytes", .compressed, mb)
            add("Group Memory(\(g))\\Swap Read MBytes/sec", .swapInRate, mb)
            add("Group Memory(\(g))\\Swap Written MBytes/sec", .swapOutRate, mb)
            add("Virtual Disk(\(v))\\Commands/sec", .diskCommandsRate)
            add("Virtual Disk(\(v))\\Writes/sec", .diskCommandsRate)
            add("Virtual Disk(\(v))\\MBytes Written/sec", .diskBytesRate, mb)
            add("Virtual Disk(\(v))\\Average MilliSec/Write", .diskLatency)
            add("Network Port(vSwitch0:\(g).eth0)\\Packets Transmitted/sec", .netPacketsRate)
            add("Network Port(vSwitch0:\(g).eth0)\\MBits Transmitted/sec", .netBitsRate, 1e6)
        }
        return list
    }

    /// Every (host, VM) pair of the recording, in the order first seen.
    static func pairs(_ r: TopRecording) -> [(Int, Int)] {
        var seen = Set<Int>()
        var out: [(Int, Int)] = []
        for i in 0..<r.frameCount {
            let f = r.frame(i)
            for row in 0..<f.vmCount {
                let v = f.vm(row)
                let key = Int(v[.host]) << 32 | v.id
                if seen.insert(key).inserted { out.append((Int(v[.host]), v.id)) }
            }
        }
        return out
    }
}
