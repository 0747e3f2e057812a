import HyperModel
import Testing
@testable import HyperTop

/// esxtop's batch CSV: perfmon's header, one quoted value per counter per row, CRLF lines.
@Suite struct BatchCSVTests {
    func parse(_ line: Substring) -> [String] {
        // every field is quoted and no value holds a quote
        line.dropFirst().dropLast().components(separatedBy: "\",\"")
    }

    @Test func headerRowsAndValues() throws {
        let s = try Scenario()
        let r = s.recording
        let csv = TopBatchCSV.render(r, frames: TopBatchCSV.frames(r, every: 1, iterations: nil))
        let lines = csv.split(separator: "\r\n", omittingEmptySubsequences: false).dropLast()
        #expect(csv.hasSuffix("\r\n"))
        #expect(lines.count == 1 + 6)
        let header = parse(lines[0])
        #expect(header[0] == "(PDH-CSV 4.0) (UTC)(0)")
        #expect(header[1] == "\\\\esx01\\Physical Cpu(_Total)\\% Util Time")
        #expect(header.contains("\\\\esx01\\Memory\\Free MBytes"))
        let smp = r.frame(5).vms(onHost: 0).first { $0.name == "smp" }!
        let gid = "\(smp.id + 1):smp"
        let ready = try #require(header.firstIndex(of: "\\\\esx01\\Group Cpu(\(gid))\\% Ready"))
        let tchd = try #require(header.firstIndex(of: "\\\\esx01\\Group Memory(\(gid))\\Touched MBytes"))
        #expect(header.contains("\\\\esx01\\Group Cpu(\(gid))\\% CoStop"))
        #expect(header.contains("\\\\esx01\\Group Memory(\(gid))\\Memctl MBytes"))
        #expect(header.contains("\\\\esx01\\Virtual Disk(writer)\\Commands/sec"))
        #expect(header.contains { $0.hasSuffix(".eth0)\\MBits Transmitted/sec") })
        let last = parse(lines[6])
        #expect(last.count == header.count)
        #expect(last[0] == "01/01/2026 00:02:00")
        #expect(parse(lines[1])[0] == "01/01/2026 00:00:20")
        #expect(abs(Double(last[ready])! - smp[.ready]) < 1e-4)
        #expect(abs(Double(last[tchd])! - smp[.touched] / 1048576) < 1e-4)
        let free = header.firstIndex(of: "\\\\esx01\\Memory\\Free MBytes")!
        #expect(abs(Double(last[free])! - r.frame(5).hostRow(id: 0)![.free] / 1048576) < 1e-4)
    }

    @Test func intervalAndIterationsPickRows() throws {
        let s = try Scenario()
        #expect(TopBatchCSV.frames(s.recording, every: 2, iterations: nil) == [0, 2, 4])
        #expect(TopBatchCSV.frames(s.recording, every: 1, iterations: 2) == [0, 1])
        #expect(TopBatchCSV.frames(s.recording, every: 4, iterations: 10) == [0, 4])
    }

    @Test func aVMNotRunningAtARowHasAnEmptyCell() throws {
        let dc = Datacenter(seed: 1)
        let rec = TopRecorder(attachingTo: dc)
        let h = try dc.addHost(HostSpec(name: "h", cpus: 1, mhz: 1000, memory: 4 * Units.GiB))
        let v = try h.createVM(VMSpec(name: "late", vcpus: 1, memory: 1 * Units.GiB))
        try dc.run(for: .seconds(Int64(40)))
        try v.powerOn()
        try dc.run(for: .seconds(Int64(40)))
        let r = rec.recording
        let csv = TopBatchCSV.render(r, frames: Array(0..<r.frameCount))
        let lines = csv.split(separator: "\r\n").map(parse)
        let col = lines[0].firstIndex(of: "\\\\h\\Group Cpu(1:late)\\% Used")!
        #expect(lines[1][col] == "" && lines[2][col] == "")
        #expect(lines[4][col] != "")
    }

    @Test func timestampsCrossDaysAndMonths() {
        #expect(TopBatchCSV.timestamp(0) == "01/01/2026 00:00:00")
        #expect(TopBatchCSV.timestamp(86_400_000_000 * 31 + 3_661_000_000) == "02/01/2026 01:01:01")
    }
}
