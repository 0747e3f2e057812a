import Testing
@testable import LabRuntime

/// `Mem.SamplePeriod` and esxtop's compression counters (CACHESZ, CACHEUSD, ZSAVE).
@Suite("Active-memory sampling and the compression cache's counters")
struct EsxtopMemoryTests {
    func activeAfter15s(period: String?) -> Double {
        let r = runLab(#"""
            local h = lab.host{ name = "x", cpus = 4, memory = "16 GiB" }
            \#(period.map { "h.reclaim.sample_period = \"\($0)\"" } ?? "")
            local a = h:create_vm{ name = "a", memory = "4 GiB" }
            a:power_on()
            a:run(lab.workload.memory{ size = "1 GiB", active = "1 GiB", rate = "1 GiB/s" })
            lab.run_for("15 s")
            print(a.memory.active)
            """#)
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        return Double(r.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    @Test func theSamplePeriodDecidesWhenActiveMemoryIsSeen() {
        #expect(activeAfter15s(period: nil) == 0)            // the first 60 s sample is still to come
        #expect(activeAfter15s(period: "10 s") == Double(1 << 30))
        let bad = runLab(host + "\nh.reclaim.sample_period = \"0.5 s\"")
        #expect(bad.scriptError?.contains("sample_period") == true)
    }

    @Test func compressionCounters() {
        let r = runLab(#"""
            local h = lab.host{ name = "x", cpus = 4, memory = "8 GiB" }
            local a = h:create_vm{ name = "busy", memory = "4 GiB" }
            local b = h:create_vm{ name = "hog", memory = "8 GiB" }
            a:power_on(); b:power_on()
            a:run(lab.workload.memory{ size = "3 GiB", active = "1 GiB", rate = "256 MiB/s" })
            b:run(lab.workload.memory{ size = "6 GiB", active = "6 GiB", rate = "64 MiB/s" })
            lab.run_for("10 min")
            local m = a.memory
            print(m.compressed, m.compression_cache_used, m.compression_cache_size, m.compression_saved)
            """#)
        let v = r.output.split(whereSeparator: { $0 == "\t" || $0 == "\n" }).compactMap { Int64($0) }
        #expect(v.count == 4)
        guard v.count == 4 else { return }
        let (zip, used, size, saved) = (v[0], v[1], v[2], v[3])
        #expect(zip > 0)
        // each compressed page takes a 1 KB or 2 KB slot: a quarter to a half of the page
        #expect(used >= zip / 4 && used <= zip / 2)
        #expect(size >= used && size - used < 4096 && size % 4096 == 0)
        #expect(saved == zip - used)
    }
}
