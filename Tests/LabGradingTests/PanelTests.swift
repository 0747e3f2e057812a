import Testing
@testable import LabGrading
@testable import LabRuntime

/// `hyperlab run`'s summary panels: the VMs the lab is about, capped, in vSphere's words.
@Suite("Terminal panels")
struct PanelTests {
    static func panel(_ name: String, vcpus: Int) -> RunCharts.Panel {
        RunCharts.Panel(name: name, host: "esx01", state: "off", guest: "linux", vcpus: vcpus, cpuUsedMHz: 0, cpuReservationMHz: 0,
                        memory: ["configured": 1_073_741_824], storageProvisioned: 0, storageUsed: 0)
    }

    @Test func panelsCountVCPUsInThePluralAndSayHowManyMore() {
        var charts = RunCharts()
        charts.panels = [Self.panel("one", vcpus: 1), Self.panel("two", vcpus: 2)]
        charts.panelsOmitted = 3
        var run = LabRunResult(checks: [], scriptError: nil, scriptTraceback: nil, seed: 1, output: "", eventLogDigest: "",
                               events: 0, simulatedSeconds: 0, params: [:])
        run.charts = charts
        let text = PrettyReport(color: false).render(GradeResult(lab: "lab", submission: nil, run: run))
        #expect(text.contains("1 vCPU · 0 MHz used"))
        #expect(text.contains("2 vCPUs · 0 MHz used"))
        #expect(!text.contains("2 vCPU ·"))
        #expect(text.contains("… and 3 more VMs the lab is about"))
    }
}
