import Foundation
import Testing
@testable import LabGrading

@Suite("HTML reports", .serialized)
struct HTMLReportTests {
    @Test func aReportHasTheChecksChartsAndEventLog() throws {
        let dir = temporaryFolder()
        let r = try hyperlabCommand(["grade", "labs/08-ballooning", "--submission", "labs/08-ballooning/starter",
                                     "--report", "html:\(dir)/r.html", "--format", "tap"], stdoutOnly: true)
        #expect(r.code == 1)
        let html = try String(contentsOfFile: dir + "/r.html", encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("0 / 10 points"))
        #expect(html.contains("<h2>Host memory</h2>"))
        #expect(html.contains("ballooned</text>"))
        #expect(html.contains("soft below"))
        #expect(html.contains("<h2>CPU states per VM</h2>"))
        #expect(html.contains("<h2>Event log</h2>"))
        #expect(html.contains("memory.state"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("http://") || html.contains("http://www.w3.org/2000/svg"))
        // a Gantt chart for a traced CPU lab
        let cpu = try hyperlabCommand(["run", "labs/03-coscheduling", "--report", "html:\(dir)/cpu.html"])
        #expect(cpu.code == 0)
        #expect(try String(contentsOfFile: dir + "/cpu.html", encoding: .utf8).contains("vCPUs on pCPUs"))
    }

    /// Headless Chromium renders the page; the screenshot must not be blank.
    @Test func chromiumRendersItNonBlank() throws {
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
        try #require(chromium != nil, "chromium is needed (make deps installs it)")
        let dir = temporaryFolder()
        _ = try hyperlabCommand(["run", "labs/08-ballooning", "--report", "html:\(dir)/r.html", "--format", "json"], stdoutOnly: true)
        try "<!DOCTYPE html><html><body></body></html>".write(toFile: dir + "/blank.html", atomically: true, encoding: .utf8)
        func shot(_ page: String) throws -> Int {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: chromium!)
            p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1000,1400",
                           "--user-data-dir=\(dir)/profile", "--screenshot=\(dir)/\(page).png", "file://\(dir)/\(page).html"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(page).png"))
            #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            return data.count
        }
        let report = try shot("r"), blank = try shot("blank")
        #expect(report > 40_000)
        #expect(report > 5 * blank, "report \(report) bytes, blank page \(blank)")
    }
}
