import Testing
@testable import HyperModel

@Suite("Units: parsing and formatting")
struct UnitsTests {
    @Test(arguments: [
        ("512 MiB", 512 << 20), ("4 GiB", 4 << 30), ("4GB", 4 << 30), ("4 gb", 4 << 30), ("1.5 GiB", 3 << 29),
        ("100 KB", 100 << 10), ("2 TiB", 2 << 40), ("4096 B", 4096), ("1e3 MB", 1000 << 20), ("0", 0),
    ] as [(String, Int64)])
    func sizes(text: String, bytes: Int64) throws {
        #expect(try Units.parseBytes(text) == bytes)
    }

    @Test(arguments: ["4 GIG", "four GB", "", "GB", "4 Gb/s", "12"])
    func badSizes(text: String) {
        #expect(throws: UnitError.self) { try Units.parseBytes(text) }
    }

    @Test func badSizeMessageSaysWhatIsAllowed() {
        #expect(throws: UnitError("\"4 GIG\" is not a size (use e.g. \"4 GiB\", \"512 MiB\" or a number of bytes)")) {
            try Units.parseBytes("4 GIG")
        }
        #expect(throws: UnitError("\"-1 GiB\" is a negative size")) { try Units.parseBytes("-1 GiB") }
    }

    @Test(arguments: [("50 ms", 0.05), ("10 s", 10.0), ("5 min", 300.0), ("2 h", 7200.0), ("250 us", 0.00025), ("1 day", 86400.0)])
    func durations(text: String, seconds: Double) throws {
        #expect(abs(try Units.parseSeconds(text) - seconds) < 1e-12)
    }

    @Test func frequenciesRatesPercentCycles() throws {
        #expect(try Units.parseMHz("2.4 GHz") == 2400)
        #expect(try Units.parseMHz("800 MHz") == 800)
        #expect(try Units.parseRate("200 MB/s") == Double(200 << 20))
        #expect(try Units.parseRate("1 GiB/s") == Double(1 << 30))
        #expect(try Units.parseRate("10 Gbps") == 1.25e9)
        // a lower-case b is a bit: network speeds are decimal bits, sizes binary bytes
        #expect(try Units.parseRate("5 Gb/s") == 6.25e8)
        #expect(try Units.parseRate("800 Mb/s") == 1e8)
        #expect(try Units.parseRate("1 GB/s") == Double(1 << 30))
        #expect(try Units.parsePercent("65%") == 65)
        #expect(try Units.parseCycles("10 Gcycles") == 1e10)
        #expect(throws: UnitError.self) { try Units.parseMHz("2.4 GB") }
        #expect(throws: UnitError.self) { try Units.parseSeconds("5 parsecs") }
    }

    @Test func formatting() {
        #expect(Units.formatBytes(Int64(4) << 30) == "4.00 GiB")
        #expect(Units.formatBytes(Int64(512) << 20) == "512.00 MiB")
        #expect(Units.formatBytes(Int64(100)) == "100 B")
        #expect(Units.formatSeconds(0.05) == "50 ms")
        #expect(Units.formatSeconds(1.5) == "1.50 s")
        #expect(Units.formatSeconds(300) == "5.0 min")
        #expect(Units.formatSeconds(7200) == "2.00 h")
        #expect(Units.formatMHz(2400) == "2.40 GHz")
        #expect(Units.formatMHz(800) == "800 MHz")
        #expect(Units.formatMHz(0.00001) == "10 Hz")
        #expect(Units.formatMHz(0.25) == "250 kHz")
        #expect(Units.formatMHz(0) == "0 MHz")
        #expect(Units.formatPercent(66.666) == "66.7 %")
    }
}
