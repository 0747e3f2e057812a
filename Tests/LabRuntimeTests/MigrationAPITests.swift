import Testing
@testable import LabRuntime

@Suite("Migration from Lua")
struct MigrationAPITests {
    @Test(arguments: [
        (#"v:migrate{ host = b, engine = "teleport" }"#,
         #"lab.lua:5: VM(v):migrate: engine "teleport" is not a migration engine (use "vmotion", "qemu", "xen", "xen-legacy")"#),
        (#"v:migrate{ engine = "qemu" }"#, "lab.lua:5: VM(v):migrate: option 'host' is required"),
        (#"v:migrate{ host = b, engine = "qemu", max_throttle = 120 }"#,
         "lab.lua:5: VM(v):migrate: max_throttle 120 is not a throttle from 1 to 99 %"),
        (#"v:migrate{ host = b, engine = "qemu", throttle_initial = 0.2 }"#,
         #"lab.lua:5: VM(v):migrate: throttle_initial 0.2 looks like a fraction, but throttle_initial is in percent: write 20 for 20 %, or "0.2%" if you mean less than one percent"#),
        (#"v:migrate{ host = b, bandwidth = "fast" }"#, #"lab.lua:5: VM(v):migrate: bandwidth "fast""#),
        (#"v:migrate{ host = c }"#, "lab.lua:5: migrate: VM(v): c does not mount ds, where v.vmdk lives; live migration needs shared storage"),
        (#"v:power_off(); v:migrate{ host = b }"#, "lab.lua:5: migrate: VM(v) is off"),
    ])
    func badMigrations(code: String, message: String) {
        let r = runLab(#"""
            local ds = lab.datastore{ name = "ds", capacity = "1 TiB" }
            local a = lab.host{ name = "a", cpus = 4, memory = "16 GiB", datastores = { ds } }
            local b = lab.host{ name = "b", cpus = 4, memory = "16 GiB", datastores = { ds } }
            local c = lab.host{ name = "c", cpus = 4, memory = "16 GiB" }
            local v = a:create_vm{ name = "v", memory = "2 GiB", disks = { { size = "10 GiB" } } }; v:power_on()
            """# + code)
        #expect(r.scriptError?.hasPrefix(message) == true, "\(r.scriptError ?? "nil")")
    }
}
