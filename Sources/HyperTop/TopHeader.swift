import Foundation
import HyperModel

/// esxtop's summary lines above the panel: the clock, PCPU USED(%), PMEM/MB with the
/// free-memory state, PSHARE, SWAP, ZIP and MEMCTL, all in MB as esxtop shows them.
enum TopHeader {
    static func lines(_ frame: TopFrame, host: HostRow?, state: TopViewState, interval: Double) -> [TopLine] {
        let r = frame.recording
        let mode = state.playing
            ? "PLAY \(trim(state.speed)) frames/s (\(trim(state.speed * interval)) s/s)"
            : "PAUSED"
        var first = [TopSpan(clock(frame.time.micros) + " up " + clock(frame.time.micros), .header)]
        guard let h = host else {
            first.append(TopSpan("  no host at this time  frame \(frame.index + 1)/\(r.frameCount)  \(mode)", .header))
            return [TopLine(first)]
        }
        first.append(TopSpan("  \(h.name) [\(h.id + 1)/\(r.hostNames.count)]  \(Int(h[.vms])) VMs", .header))
        first.append(TopSpan("  frame \(frame.index + 1)/\(r.frameCount)  ", .header))
        first.append(TopSpan(mode, state.playing ? .good : .warn))
        let mb = 1048576.0
        func m(_ f: HostField) -> String { String(Int((h[f] / mb).rounded())) }
        let memState = h.state
        let stateStyle: TopStyle = memState == .high ? .good : memState == .clear ? .plain : memState == .soft ? .warn : .alarm
        return [
            TopLine(first),
            TopLine([
                TopSpan("PCPU USED(%): ", .header), TopSpan(String(format: "%.1f", h[.cpuUsed])), TopSpan(" AVG", .dim),
                TopSpan("   (\(h.cpus) PCPUs x \(trim(h.mhz)) MHz)", .dim),
            ]),
            TopLine([
                TopSpan("PMEM  /MB: ", .header),
                TopSpan("\(m(.capacity)) total, \(m(.consumed)) cnsm, \(m(.free)) free,  \(m(.minFree)) minfree  "),
                TopSpan(memState.name + " state", stateStyle),
            ]),
            TopLine([TopSpan("PSHARE/MB: ", .header), TopSpan("\(m(.sharedSaved)) saving")]),
            TopLine([
                TopSpan("SWAP  /MB: ", .header),
                TopSpan("\(m(.swapped)) curr, \(m(.swapTarget)) rclmtgt", h[.swapped] > 0 ? .alarm : .plain),
                TopSpan(String(format: "   %.2f r/s, %.2f w/s", h[.swapInRate] / mb, h[.swapOutRate] / mb)),
            ]),
            TopLine([
                TopSpan("ZIP   /MB: ", .header),
                TopSpan("\(m(.compressed)) zipped, \(m(.compressionSaved)) saved", h[.compressed] > 0 ? .warn : .plain),
            ]),
            TopLine([
                TopSpan("MEMCTL/MB: ", .header),
                TopSpan("\(m(.ballooned)) curr, \(m(.balloonTarget)) target", h[.ballooned] > 0 ? .warn : .plain),
            ]),
        ]
    }

    /// Simulated time as esxtop's clock, H:MM:SS.
    static func clock(_ micros: Int64) -> String {
        let s = micros / 1_000_000
        let m = (s / 60) % 60, sec = s % 60
        return "\(s / 3600):\(m < 10 ? "0" : "")\(m):\(sec < 10 ? "0" : "")\(sec)"
    }

    static func trim(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(format: "%.2f", v)
    }
}
