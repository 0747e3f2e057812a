import Testing
@testable import LabRuntime

/// Disks, datastores, questions and snapshots through Lua.
@Suite("Storage from Lua")
struct StorageAPITests {
    let setup = #"""
        local ds = lab.datastore{ name = "ds1", capacity = "20 GiB", kind = "ssd" }
        local nfs = lab.datastore{ name = "nfs1", capacity = "100 GiB", kind = "nfs" }
        local h = lab.host{ name = "esx01", cpus = 4, memory = "16 GiB", datastores = { ds, nfs } }
        """#

    @Test(arguments: [
        (#"h:create_vm{ name = "a", memory = "1 GiB", disks = { { size = "4 GiB", provisioning = "thick" } } }"#,
         #"lab.lua:4: create_vm: disks[1]: provisioning "thick" is not a provisioning type (use "thin", "thick-lazy", "thick-eager")"#),
        (#"h:create_vm{ name = "a", memory = "1 GiB", disks = { { size = "-4 GiB" } } }"#,
         #"lab.lua:4: create_vm: disks[1]: size "-4 GiB" is a negative size"#),
        (#"h:create_vm{ name = "a", memory = "1 GiB", disks = { { size = "40 GiB", provisioning = "thick-eager" } } }"#,
         "lab.lua:4: create_vm a: disks[1] needs 40.00 GiB allocated at creation (thick-eager) but ds1 has 20.00 GiB free; use thin provisioning or another datastore"),
        (#"h:create_vm{ name = "a", memory = "1 GiB", disks = { { size = "4 GiB", datastore = nfs } } }"#,
         #"lab.lua:4: create_vm a: disks[1].provisioning "thick-lazy" is not possible on the NFS datastore nfs1 (NFS without hardware acceleration supports thin only)"#),
        (#"h:create_vm{ name = "a", memory = "1 GiB", disks = { { size = "4 GiB", kind = "thin" } } }"#,
         "lab.lua:4: create_vm: disks[1]: unknown option 'kind'"),
        (#"local v = h:create_vm{ name = "a", memory = "1 GiB", disks = { { size = "4 GiB" } } }; v:revert("x")"#,
         #"lab.lua:4: revert: VM(a) has no snapshot named "x" (it has none)"#),
        (#"local v = h:create_vm{ name = "a", memory = "1 GiB", disks = { { size = "4 GiB" } } }; v:power_on(); v:snapshot("s"); v:revert("s")"#,
         "lab.lua:4: revert: VM(a) is on; power it off first (snapshots here hold disk state, not memory)"),
        (#"local v = h:create_vm{ name = "a", memory = "1 GiB", disks = { { size = "4 GiB" } } }; v:answer("retry")"#,
         "lab.lua:4: answer: VM(a) has no pending question (it is off)"),
        (#"local v = h:create_vm{ name = "a", memory = "1 GiB" }; v:power_on(); v:run(lab.workload.disk{ write = "1 GiB" })"#,
         "lab.lua:4: run: VM(a) has 0 disks; disk{write=1.00 GiB, rate=200.00 MiB/s} writes to disk 1"),
        (#"lab.workload.disk{ write = 0 }"#, "lab.lua:4: lab.workload.disk: write 0 is not a size of more than 0 bytes"),
        (#"h:create_vm{ name = "a", memory = "1 GiB", devices = { { kind = "nic", adapter = "rtl8139" } } }"#,
         #"lab.lua:4: create_vm: devices[1]: adapter "rtl8139" is not an adapter (use "e1000", "vmxnet3", "lsilogic", "pvscsi", "passthrough")"#),
        (#"h:create_vm{ name = "a", memory = "1 GiB", devices = { { kind = "nic", adapter = "passthrough" } } }"#,
         "lab.lua:4: create_vm a: esx01 has no device to pass through"),
        (#"local v = h:create_vm{ name = "a", memory = "1 GiB" }; v:clone{ name = "b", linked = true }"#,
         "lab.lua:4: clone: VM(a): linked clones are made from a template (use to_template first)"),
        (#"local v = h:create_vm{ name = "a", memory = "1 GiB" }; v:clone{ name = "b", fast = true }"#,
         "lab.lua:4: VM(a):clone: unknown option 'fast'"),
        (#"local v = h:create_vm{ name = "a", memory = "1 GiB" }; v:power_on(); v:run(lab.workload.network{ rate = "1 Gb/s" })"#,
         "lab.lua:4: run: VM(a) has no NIC"),
        (#"lab.workload.network{ rate = "fast" }"#,
         #"lab.lua:4: lab.workload.network: rate "fast" is not a network rate (use e.g. "5 Gb/s", "100 Mb/s" or a number of bits per second)"#),
    ])
    func badStorageInput(code: String, message: String) {
        let r = runLab(setup + "\n" + code)
        #expect(r.scriptError?.hasPrefix(message) == true, "\(r.scriptError ?? "nil")")
    }

    @Test func aPassthroughVMCannotBeCloned() {
        let r = runLab(#"""
            local h = lab.host{ name = "esx01", cpus = 4, memory = "16 GiB", passthrough_devices = 1 }
            local v = h:create_vm{ name = "gpu", memory = "2 GiB", mem = { reservation = "2 GiB" },
                                   devices = { { kind = "nic", adapter = "passthrough" } } }
            v:clone{ name = "copy" }
            """#)
        #expect(r.scriptError?.contains("clone: VM(gpu) has a pass-through (DirectPath I/O) device, which rules out cloning") == true, "\(r.scriptError ?? "")")
    }

    @Test func thinOverSubscriptionEndToEnd() {
        let r = runLab(setup + "\n" + #"""
            local a = h:create_vm{ name = "a", memory = "1 GiB", mem = { reservation = "1 GiB" }, disks = { { size = "16 GiB", provisioning = "thin" } } }
            local b = h:create_vm{ name = "b", memory = "1 GiB", mem = { reservation = "1 GiB" }, disks = { { size = "16 GiB", provisioning = "thin" } } }
            check("over-subscribed", function()
              expect(ds.provisioned > ds.capacity, "provisioned above capacity"):to_be_true()
              a:power_on(); b:power_on()
              a:run(lab.workload.disk{ write = "12 GiB", rate = "200 MB/s" })
              b:run(lab.workload.disk{ write = "12 GiB", rate = "200 MB/s" })
              lab.run_for("5 min")
              expect(a.state):to_equal("paused")
              expect(a.question):to_match("There is no more space for virtual disk a.vmdk")
              expect(#lab.events{ kind = "datastore.alarm" }, "alarms"):to_be_at_least(2)
              local names = {}
              for _, f in ipairs(ds.files) do names[#names + 1] = f.name end
              expect(names):to_contain("a-flat.vmdk")
              expect(names):to_contain("a.vmx")
              expect(a.disks[1].provisioning):to_equal("thin")
              b:answer("cancel")
              a:answer("retry")
              expect(a.state):to_equal("on")
            end)
            """#)
        for c in r.checks { #expect(c.status == .passed, "\(c.name): \(c.message ?? "")") }
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
    }
}
