import Testing
@testable import LabRuntime

/// Container disk I/O from Lua: `k:run(lab.workload.disk{...})`, io.weight / io.max options,
/// `k.disk.*`, the disk.rate series, copy-up's wait, and refusals naming the field.
@Suite("Container disk I/O from Lua")
struct ContainerDiskAPITests {
    static let world = #"""
        local ds = lab.datastore{ name = "ds", capacity = "1 TiB", write_rate = "200 MiB/s" }
        local node = lab.host{ name = "node1", cpus = 8, memory = "32 GiB", hypervisor = "none", datastores = { ds } }
        local bare = lab.host{ name = "bare", cpus = 2, memory = "4 GiB", hypervisor = "none" }
        """#

    func passes(_ script: String) {
        let r = runLab(ContainerDiskAPITests.world + script)
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        #expect(!r.checks.isEmpty)
        for c in r.checks { #expect(c.status == .passed, "\(c.name): \(c.message ?? "") \(c.expected ?? "") \(c.actual ?? "")") }
    }

    @Test func noisyNeighbourAndLimits() {
        passes(#"""
            local a = node:run_container{ name = "a", io_weight = 200 }
            local b = node:run_container{ name = "b" }
            local c = node:run_container{ name = "c", device_write_bps = "20 MiB/s" }
            for _, k in ipairs{ a, b, c } do k:run(lab.workload.disk{ write = "40 GiB", rate = "200 MiB/s" }) end
            lab.run_for("2 min")
            check("shares", function()
              expect(c.disk.rate, "capped", "bytes/s"):to_be_near(lab.bytes("20 MiB"), 1)
              expect(a.disk.rate, "weight 200", "bytes/s"):to_be_near(lab.bytes("120 MiB"), 1)
              expect(b.disk.rate, "weight 100", "bytes/s"):to_be_near(lab.bytes("60 MiB"), 1)
              expect(a.disk.weight, "weight", "count"):to_equal(200)
              expect(c.disk.wbps, "wbps", "bytes/s"):to_equal(lab.bytes("20 MiB"))
              expect(c.disk.max):to_equal("8:0 rbps=max wbps=20971520 riops=max wiops=max")
              expect(c.disk.throttled, "held by io.max", "seconds"):to_equal(119.5)
              expect(a.disk.throttled, "a", "seconds"):to_equal(0)
              expect(a.disk.latency_ms, "latency", nil):to_be_near(ds.latency_ms, 1e-9)
              expect(a.disk.written, "written", "bytes"):to_be_at_least(lab.bytes("13 GiB"))
              expect(a.disk.datastore.name):to_equal("ds")
              expect(lab.series(a, "disk.rate"):last(), "series", "bytes/s"):to_be_near(lab.bytes("120 MiB"), 1)
              expect(bare:run_container{ name = "nodisk" }.disk.datastore):to_be_nil()
            end)
            """#)
    }

    @Test func copyUpWaits() {
        passes(#"""
            local fast = lab.datastore{ name = "fast", capacity = "1 TiB", write_rate = "1.3 GiB/s" }
            local n2 = lab.host{ name = "n2", cpus = 4, memory = "8 GiB", hypervisor = "none", datastores = { fast } }
            local img = lab.image{ name = "db", layers = { { files = { ["/data/db.bin"] = "1 GiB" } } } }
            local k = n2:run_container{ name = "k", image = img }
            lab.run_for("10 s")
            local wait = k:write("/data/db.bin", 4096)
            check("copy-up", function()
              expect(wait, "copy-up", "seconds"):to_be_near(0.78, 0.02)
              expect(k.disk.copy_up, "copy_up", "seconds"):to_equal(wait)
              expect(k.disk.written, "written", "bytes"):to_equal(lab.bytes("1 GiB"))
              expect(k:write("/data/db.bin", 4096), "again", "seconds"):to_equal(0)
            end)
            """#)
    }

    @Test(arguments: [
        (#"bare:run_container{ name = "x", device_write_bps = "10 MiB/s" }"#,
         "run_container x: device_write_bps and device_write_iops limit a device, and bare's kernel has no disk"),
        (#"bare:run_container{ name = "x" }:run(lab.workload.disk{ write = "1 GiB" })"#,
         "Container(x):run: bare has no datastore for the container's writes"),
        (#"node:run_container{ name = "x", device_write_bps = -5 }"#, "device_write_bps"),
        (#"node:run_container{ name = "x", io_weight = 20000 }"#, "run_container x: io_weight 20000 is not allowed (use 1 to 10000, default 100)"),
        (#"node:run_container{ name = "x", io_wieght = 200 }"#, "io_wieght"),
        (#"lab.datastore{ name = "z", capacity = "1 GiB", write_rate = "-3 MiB/s" }"#, "write_rate"),
        (#"lab.host{ name = "v1", cpus = 2, memory = "4 GiB", hypervisor = "none", cgroup = "v1" }:run_container{ name = "x", io_weight = 200 }"#,
         "run_container x: io_weight is a cgroup v2 setting; v1's kernel uses cgroup v1 (use blkio_weight, 10 to 1000)"),
    ])
    func badInput(code: String, message: String) {
        let r = runLab(ContainerDiskAPITests.world + "\n" + code)
        #expect(r.scriptError?.contains(message) == true, "got \(r.scriptError ?? "no error")")
    }

    @Test func refusedLeavesNothing() {
        passes(#"""
            local ok = pcall(function() bare:run_container{ name = "x", device_write_bps = "10 MiB/s" } end)
            check("nothing made", function()
              expect(ok):to_be_false()
              expect(#bare.kernel.containers, "containers", "count"):to_equal(0)
              expect(bare:run_container{ name = "x" }.name):to_equal("x")
            end)
            """#)
    }
}
