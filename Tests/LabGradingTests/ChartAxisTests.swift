import Testing
@testable import LabGrading

/// Axes at round values: the nice-numbers ticks of every chart.
@Suite("Chart axes")
struct ChartAxisTests {
    @Test func percentAxesMarkQuarters() {
        let a = ChartAxis.percent()
        #expect(a.top == 100)
        #expect(a.ticks == [0, 25, 50, 75, 100])
        #expect(a.labels == ["0 %", "25 %", "50 %", "75 %", "100 %"])
    }

    @Test(arguments: [
        (8.0, [0.0, 2, 4, 6, 8], "GiB"), (64, [0, 16, 32, 48, 64], "GiB"), (512, [0, 128, 256, 384, 512], "GiB"),
        (500, [0, 100, 200, 300, 400, 500], "GiB"), (96, [0, 32, 64, 96], "GiB"), (10, [0, 2.5, 5, 7.5, 10], "GiB"),
        (3, [0, 1, 2, 3], "GiB"),
    ])
    func byteAxesEndAtARoundTopInOneUnit(gib: Double, ticks: [Double], unit: String) {
        let a = ChartAxis.bytes(max: gib * 1_073_741_824)
        #expect(a.ticks.map { $0 / 1_073_741_824 } == ticks)
        #expect(a.top == ticks.last! * 1_073_741_824)
        #expect(a.labels.allSatisfy { $0.hasSuffix(" " + unit) })
        #expect(a.labels.last == "\(ChartAxis.number(ticks.last!, step: ticks[1])) \(unit)")
    }

    @Test func smallSizesUseMiB() {
        let a = ChartAxis.bytes(max: 700 * 1_048_576)
        #expect(a.labels == ["0 MiB", "250 MiB", "500 MiB", "750 MiB"])
        #expect(ChartAxis.bytes(max: 8 * 1_073_741_824).labels == ["0 GiB", "2 GiB", "4 GiB", "6 GiB", "8 GiB"])
    }

    /// Every value axis holds its data: its top is at or above the largest value, and
    /// not more than one step above.
    @Test func topsHoldTheirValues() {
        for m in stride(from: 0.37, through: 9_000, by: 13.3) {
            let (step, top) = ChartAxis.step(for: m, binary: true)
            #expect(top >= m * (1 - 1e-9) && top - step < m, "max \(m): step \(step), top \(top)")
            #expect((3...6).contains(Int((top / step).rounded())))
        }
    }

    @Test func timeAxesUseTheUnitOfTheirSpan() {
        let tenMinutes = ChartAxis.time(from: 20, to: 600)
        #expect(tenMinutes.bottom == 0, "a span that starts near 0 is drawn from 0")
        #expect(tenMinutes.labels == ["0 min", "2 min", "4 min", "6 min", "8 min", "10 min"])
        let later = ChartAxis.time(from: 3000, to: 3300)
        #expect(later.bottom == 3000)
        #expect(later.labels.first == "50 min" && later.labels.last == "55 min")
        let second = ChartAxis.time(from: 300, to: 301)
        #expect(second.labels == ["300 s", "300.2 s", "300.4 s", "300.6 s", "300.8 s", "301 s"])
        #expect(ChartAxis.time(from: 0, to: 3 * 3600).labels.last?.hasSuffix(" h") == true)
        #expect(ChartAxis.time(from: 20, to: 51_000).labels == ["0 h", "3 h", "6 h", "9 h", "12 h"], "14.2 h: steps of 3 h")
        // every span gets round marks, never just its two ends
        for span in stride(from: 0.3, through: 200_000, by: 977.7) {
            let a = ChartAxis.time(from: 0, to: span)
            #expect((3...8).contains(a.ticks.count), "span \(span) s: \(a.labels)")
            #expect(a.labels.allSatisfy { !$0.contains(".") || $0.split(separator: ".")[1].count <= 4 }, "\(a.labels)")
        }
    }

    @Test func momentsInTitles() {
        #expect(ChartAxis.moment(300) == "5 min")
        #expect(ChartAxis.moment(301) == "5.02 min")
        #expect(ChartAxis.moment(0.5) == "0.5 s")
        #expect(ChartAxis.moment(1) == "1 s")
        #expect(ChartAxis.moment(5400 * 2) == "3 h")
    }
}
