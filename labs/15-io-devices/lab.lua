-- Lab 15: I/O virtualization — emulated, paravirtual and pass-through devices, and a
-- type 1 against a type 2 hypervisor. Verdicts come from the simulated hosts.
local answer = lab.submission("answer.lua")

local hosts = 0
local function host(options)
  hosts = hosts + 1
  options.name = "esx" .. hosts
  options.cpus = options.cpus or 8
  options.memory = options.memory or "64 GiB"
  return lab.host(options)
end

-- One VM per NIC adapter asks for 5 Gb/s.
local h = host{ passthrough_devices = 1 }
local measured = {}
for _, adapter in ipairs({ "e1000", "vmxnet3", "passthrough" }) do
  local vm = h:create_vm{ name = adapter, vcpus = 2, memory = "4 GiB", mem = { reservation = "4 GiB" },
                          devices = { { kind = "nic", adapter = adapter } } }
  vm:power_on()
  local w = vm:run(lab.workload.network{ rate = "5 Gb/s" })
  lab.run_for("1 min")
  measured[adapter] = { gbps = w.achieved / 1e9, mhz = lab.series(vm, "cpu.used_mhz"):mean(), latency = w.latency_us, vm = vm }
end

check("throughput: gbps(adapter)", { number = "1", points = 2,
  hint = "An emulated e1000 is a 1 Gb/s NIC in software; paravirtual and pass-through NICs reach the physical 10 Gb/s." },
  function()
  expect(answer.gbps, "M.gbps"):to_be_set()
  local right = 0
  for adapter, m in pairs(measured) do
    local ok, got = pcall(answer.gbps, adapter, 5)
    if ok and type(got) == "number" and math.abs(got - m.gbps) <= 0.05 then right = right + 1 else
      print(("gbps(%q, 5): the VM got %.2f Gb/s"):format(adapter, m.gbps))
    end
  end
  partial(right / 3)
  expect(right, "adapters answered right"):to_equal(3)
end)

check("CPU per Gb/s", { number = "2", points = 2,
  hint = "Emulation traps every register access; paravirtual drivers share rings; pass-through bypasses the hypervisor." },
  function()
  local order = { "e1000", "vmxnet3", "passthrough" }
  table.sort(order, function(a, b) return measured[a].mhz / measured[a].gbps > measured[b].mhz / measured[b].gbps end)
  expect(answer.cpu_order, "M.cpu_order"):to_be_set()
  expect(table.concat(answer.cpu_order, ","), "adapters from most to least CPU per Gb/s"):to_equal(table.concat(order, ","))
  expect(answer.lowest_latency, "M.lowest_latency"):to_equal(
    measured.passthrough.latency < measured.vmxnet3.latency and "passthrough" or "vmxnet3")
end)

-- What pass-through costs in mobility and sharing.
local pt = measured.passthrough.vm
local allowed = {
  snapshot = pcall(pt.snapshot, pt, "s"),
  suspend = pcall(pt.suspend, pt),
}
local second = h:create_vm{ name = "second", memory = "2 GiB", mem = { reservation = "2 GiB" },
                            devices = { { kind = "nic", adapter = "passthrough" } } }
local second_powers_on = pcall(second.power_on, second)
local half_reserved = pcall(h.create_vm, h, { name = "half", memory = "2 GiB", mem = { reservation = "1 GiB" },
                                               devices = { { kind = "nic", adapter = "passthrough" } } })

check("what pass-through rules out", { number = "3", points = 3,
  hint = "DirectPath I/O gives one VM the physical device: no snapshot, suspend, vMotion, FT or HA; all memory reserved." },
  function()
  expect(answer.passthrough_snapshot, "M.passthrough_snapshot"):to_equal(allowed.snapshot)
  expect(answer.passthrough_suspend, "M.passthrough_suspend"):to_equal(allowed.suspend)
  expect(answer.second_passthrough_vm_powers_on, "M.second_passthrough_vm_powers_on"):to_equal(second_powers_on)
  expect(answer.passthrough_with_half_reserved, "M.passthrough_with_half_reserved"):to_equal(half_reserved)
end)

-- The same two busy VMs and a 10 GiB write on a type 1 and a type 2 host.
local result = {}
for _, hv in ipairs({ "type1", "type2" }) do
  local ds = lab.datastore{ name = "ds-" .. hv, capacity = "500 GiB", kind = "ssd" }
  local hh = host{ cpus = 2, memory = "16 GiB", datastores = { ds }, hypervisor = hv }
  local vms = {}
  for i = 1, 2 do
    vms[i] = hh:create_vm{ name = hv .. "-" .. i, memory = "4 GiB", disks = { { size = "20 GiB" } } }
    vms[i]:power_on()
    vms[i]:run(lab.workload.busy())
  end
  local w = vms[1]:run(lab.workload.disk{ write = "10 GiB", rate = "2 GB/s" })
  local t0 = lab.now()
  lab.run_until(function() return not w.running end, "1 h")
  result[hv] = { seconds = lab.now() - t0, mhz = lab.series(vms[2], "cpu.used_mhz"):mean(), os = hh.host_os_memory }
  for _, v in ipairs(vms) do v:power_off() end
end

check("type 1 against type 2", { number = "4", points = 3,
  hint = "A hosted hypervisor runs on an operating system that keeps memory and CPU and carries every VM I/O." }, function()
  expect(answer.host_os_memory, "M.host_os_memory"):to_be_set()
  expect(lab.bytes(answer.host_os_memory), "memory the type 2 host's OS keeps", "bytes"):to_equal(result.type2.os)
  expect(answer.type2_write_slowdown, "M.type2_write_slowdown"):to_be_set()
  expect(answer.type2_write_slowdown, "write time on type 2 ÷ on type 1")
    :to_be_near(result.type2.seconds / result.type1.seconds, 0.08)
  expect(answer.type2_gives_vms_less_cpu, "M.type2_gives_vms_less_cpu"):to_equal(result.type2.mhz < result.type1.mhz)
end)
