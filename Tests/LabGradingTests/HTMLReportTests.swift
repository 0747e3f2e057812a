import Foundation
import Testing
@testable import LabGrading
@testable import LabRuntime

@Suite("HTML reports", .serialized)
struct HTMLReportTests {
    /// `grade --format html` and `--report html:` of grading commands are the student view.
    @Test func theStudentViewShowsNoHiddenCheck() throws {
        let dir = temporaryFolder()
        let r = try hyperlabCommand(["grade", "labs/08-ballooning", "--submission", "labs/08-ballooning/starter",
                                     "--report", "html:\(dir)/r.html", "--format", "tap"], stdoutOnly: true)
        #expect(r.code == 1)
        let html = try String(contentsOfFile: dir + "/r.html", encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("student view"))
        #expect(html.contains("0 / 10 points"))
        #expect(html.contains("<h2>Host memory</h2>"))
        #expect(html.contains("<h2>Event log</h2>") && html.contains("memory.state"))
        #expect(html.contains("graded but not shown here"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("http://") || !html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://"))
        // the author's view of the same run names the hidden checks the student view leaves out
        let json = try hyperlabCommand(["run", "labs/08-ballooning", "--submission", "labs/08-ballooning/starter", "--format", "json"],
                                       stdoutOnly: true)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let checks = try #require(parsed["checks"] as? [[String: Any]])
        let hidden = checks.filter { ($0["visibility"] as? String) != "visible" }.compactMap { $0["name"] as? String }
        #expect(!hidden.isEmpty)
        for name in hidden { #expect(!html.contains(SVGChart.esc(name)), "the student view names hidden check \(name)") }
        let grade = try hyperlabCommand(["grade", "labs/08-ballooning", "--submission", "labs/08-ballooning/starter", "--format", "html"],
                                        stdoutOnly: true)
        #expect(grade.out == html, "--format html and --report html: give the same student view")
    }

    @Test func theAuthorsViewShowsEverythingAndIsByteIdentical() throws {
        let dir = temporaryFolder()
        for name in ["a", "b"] {
            let r = try hyperlabCommand(["run", "labs/03-coscheduling", "--report", "html:\(dir)/\(name).html"])
            #expect(r.code == 0)
        }
        let a = try String(contentsOfFile: dir + "/a.html", encoding: .utf8)
        #expect(a == (try String(contentsOfFile: dir + "/b.html", encoding: .utf8)), "same lab and seed, same bytes")
        #expect(a.contains("author's view"))
        #expect(a.contains("vCPUs on pCPUs"))
        #expect(a.utf8.count < 400_000, "\(a.utf8.count) bytes")
    }

    /// A run drawn from made-up charts: the host memory chart ends at the host's
    /// capacity with reclaimed memory in a panel of its own, the datastore bar stays in its
    /// box with provisioned and capacity written, the Gantt chart's title and axis agree.
    @Test func chartsStayInsideTheirFrames() throws {
        let gib = 1_073_741_824.0
        var c = RunCharts()
        let times = (1...30).map { Double($0) * 20 }
        let consumed = times.map { min(7.5 * gib, $0 / 600 * 9 * gib) }
        c.hostMemory = [RunCharts.HostMemoryChart(
            name: "esx01", capacity: 8 * gib, thresholds: [1.6 * gib, 0.4 * gib, 0.26 * gib, 0.13 * gib], times: times,
            series: [.init(name: "memory.consumed", values: consumed), .init(name: "memory.free", values: consumed.map { 8 * gib - $0 })],
            reclaimed: [.init(name: "memory.ballooned", values: times.map { $0 > 300 ? 2.5 * gib : 0 })], views: [.author, .student])]
        c.datastores = [RunCharts.DatastoreBar(name: "ds1", kind: "ssd", capacity: 100 * gib, used: 60 * gib, provisioned: 190 * gib,
                                               views: [.author])]
        c.gantts = [RunCharts.Gantt(host: "esx01", pcpus: 2, from: 300, to: 301,
                                    segments: [.init(pcpu: 1, vm: "a", vcpu: 1, start: 300, end: 300.5),
                                               .init(pcpu: 2, vm: "b", vcpu: 1, start: 300.5, end: 301)], views: [.author])]
        let html = HTMLCharts.render(c, view: .author)
        let memory = try #require(Self.svg(html, "host-memory"))
        #expect(Self.labels(memory).filter { $0.hasSuffix("GiB") } == ["0 GiB", "2 GiB", "4 GiB", "6 GiB", "8 GiB"])
        #expect(Self.svg(html, "host-reclaimed") != nil, "reclaimed memory has its own panel")
        let bars = try #require(Self.svg(html, "datastores"))
        let right = SVGChart.left + SVGChart.plotW
        for rect in Self.rects(bars) { #expect(rect.x + rect.width <= right + 0.05, "a bar leaves its box: \(rect)") }
        #expect(bars.contains("provisioned 190.00 GiB (190 % of capacity — over-subscribed)") && bars.contains("capacity 100.00 GiB"))
        #expect(html.contains("vCPUs on pCPUs — esx01, 300 s to 301 s"))
        let gantt = try #require(Self.svg(html, "gantt"))
        #expect(Self.labels(gantt).filter { $0.hasSuffix(" s") }.first == "300 s")
        #expect(Self.labels(gantt).filter { $0.hasSuffix(" s") }.last == "301 s")
        #expect(HTMLCharts.render(c, view: .student).contains("data-chart=\"datastores\"") == false, "author-only items stay out of the student view")
    }

    /// Headless Chromium renders three labs' reports — a CPU lab, a memory lab and a
    /// storage lab: none is blank, each draws charts, and each draws the kind its lab is
    /// about and not the others (a CPU lab draws no memory charts).
    @Test(arguments: [
        ("02-cpu-overcommit", ["vm-cpu"], ["host-memory", "host-reclaimed", "vm-memory", "datastores"]),
        ("08-ballooning", ["host-memory", "vm-memory"], ["vm-cpu", "gantt", "datastores"]),
        ("12-thin-thick-provisioning", ["datastores"], ["host-memory", "vm-memory", "vm-cpu", "gantt"]),
    ])
    func chromiumDrawsEachLabsCharts(lab: String, drawn: [String], absent: [String]) throws {
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
        try #require(chromium != nil, "chromium is needed (make deps installs it)")
        let dir = temporaryFolder()
        let r = try hyperlabCommand(["run", "labs/\(lab)", "--report", "html:\(dir)/r.html", "--format", "json"], stdoutOnly: true)
        #expect(r.code == 0)
        try "<!DOCTYPE html><html><body></body></html>".write(toFile: dir + "/blank.html", atomically: true, encoding: .utf8)
        func browser(_ args: [String]) throws -> Data {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: chromium!)
            p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1000,2400",
                           "--user-data-dir=\(dir)/profile"] + args
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return data
        }
        func shot(_ page: String) throws -> Int {
            _ = try browser(["--screenshot=\(dir)/\(page).png", "file://\(dir)/\(page).html"])
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(page).png"))
            #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            return data.count
        }
        let report = try shot("r"), blank = try shot("blank")
        #expect(report > 5 * blank, "\(lab): report \(report) bytes, blank page \(blank)")
        // count the charts in the page as Chromium parsed it
        let dom = String(decoding: try browser(["--dump-dom", "file://\(dir)/r.html"]), as: UTF8.self)
        var counts: [String: Int] = [:]
        for kind in Set(drawn + absent + ["host-cpu", "gantt", "vm-cpu"]) {
            counts[kind] = dom.components(separatedBy: "data-chart=\"\(kind)\"").count - 1
        }
        print("\(lab): \(counts.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")); png \(report) bytes")
        #expect(counts.values.reduce(0, +) >= 1, "\(lab) draws no chart")
        for kind in drawn { #expect(counts[kind, default: 0] >= 1, "\(lab) draws no \(kind) chart") }
        for kind in absent { #expect(counts[kind, default: 0] == 0, "\(lab) draws \(counts[kind, default: 0]) \(kind) charts") }
    }

    static func svg(_ html: String, _ kind: String) -> String? {
        guard let start = html.range(of: "<svg class=\"chart\" data-chart=\"\(kind)\"") else { return nil }
        guard let end = html.range(of: "</svg>", range: start.upperBound..<html.endIndex) else { return nil }
        return String(html[start.lowerBound..<end.upperBound])
    }

    static func labels(_ svg: String) -> [String] {
        svg.components(separatedBy: "class=\"lbl\">").dropFirst().compactMap { $0.components(separatedBy: "<").first }
    }

    static func rects(_ svg: String) -> [(x: Double, width: Double)] {
        svg.components(separatedBy: "<rect ").dropFirst().compactMap { r in
            func attr(_ name: String) -> Double? {
                guard let a = r.range(of: " \(name)=\"") ?? r.range(of: "\(name)=\"") else { return nil }
                return Double(r[a.upperBound...].prefix { $0 != "\"" })
            }
            guard let x = attr("x"), let w = attr("width") else { return nil }
            return (x, w)
        }
    }
}
