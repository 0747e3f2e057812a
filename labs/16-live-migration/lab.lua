-- Lab 16: live migration by iterative pre-copy — rounds, convergence, throttling and
-- downtime, and what blocks it. Verdicts come from the simulated migrations.
local answer = lab.submission("answer.lua")

local GiB = lab.bytes("1 GiB")
local san = lab.datastore{ name = "SAN1", capacity = "2 TiB", kind = "san" }
local a = lab.host{ name = "esx-a", cpus = 16, memory = "128 GiB", datastores = { san }, passthrough_devices = 1 }
local b = lab.host{ name = "esx-b", cpus = 16, memory = "128 GiB", datastores = { san } }
local n = 0
-- A running 4 GiB VM whose application keeps rewriting `dirty` bytes/s of a `wws` set.
local function vm(dirty, wws)
  n = n + 1
  local v = a:create_vm{ name = "vm" .. n, vcpus = 2, memory = "4 GiB", disks = { { size = "20 GiB", datastore = san } } }
  v:power_on()
  v:run(lab.workload.memory{ size = "3 GiB", active = wws, rate = "1 GB/s", dirty = dirty })
  lab.run_for("10 s")
  return v
end

local function migrate(v, engine, bandwidth)
  local m = v:migrate{ host = b, engine = engine, bandwidth = bandwidth or "1 GiB/s", downtime_limit = "300 ms" }
  lab.run_until(function() return m.done end, "10 min")
  return m
end

local calm = migrate(vm("100 MB/s", "2 GiB"), "qemu")

check("pre-copy rounds", { number = "1", points = 3,
  hint = "Round 0 sends all 4 GiB; each next round resends what was dirtied meanwhile, until the rest fits 1 GiB/s × 300 ms." },
  function()
  expect(answer.rounds, "M.rounds"):to_equal(#calm.rounds)
  expect(answer.downtime_ms, "M.downtime_ms"):to_be_set()
  expect(answer.downtime_ms, "downtime in ms"):to_be_near(calm.downtime * 1000, "5%")
  expect(answer.total_seconds, "M.total_seconds"):to_be_set()
  expect(answer.total_seconds, "seconds to switch over", "seconds"):to_be_near(calm.total, "2%")
end)

-- A guest dirtying 1.5 GiB/s over a 3 GiB set: faster than the link.
local hot_qemu = migrate(vm("1536 MiB/s", "3 GiB"), "qemu")
local hot_xen = migrate(vm("1536 MiB/s", "3 GiB"), "xen")

check("when the guest dirties faster than the link", { number = "2", points = 2,
  hint = "QEMU's auto-converge throttles the guest's vCPUs; Xen does not, and stops pre-copy after 30 rounds or 3× the memory." },
  function()
  expect(answer.qemu_throttles, "M.qemu_throttles"):to_be_set()
  for i = 1, 4 do
    expect(answer.qemu_throttles[i], "throttle in round " .. (i - 1)):to_be_near(hot_qemu.rounds[i].throttle, 0.001)
  end
  expect(answer.xen_downtime_seconds, "M.xen_downtime_seconds"):to_be_set()
  expect(answer.xen_downtime_seconds, "Xen's downtime", "seconds"):to_be_near(hot_xen.downtime, "5%")
end)

local gpu = a:create_vm{ name = "gpu", memory = "4 GiB", mem = { reservation = "4 GiB" },
                         devices = { { kind = "nic", adapter = "passthrough" } } }
gpu:power_on()
local gpu_migrates = pcall(gpu.migrate, gpu, { host = b })

check("what blocks live migration", { number = "3", points = 1,
  hint = "A pass-through device is the host's hardware: the VM cannot leave it." }, function()
  expect(answer.passthrough_vm_migrates, "M.passthrough_vm_migrates"):to_equal(gpu_migrates)
end)

-- The student's model of QEMU pre-copy, tried on three more cases.
local cases = { { "200 MB/s", "1 GiB", "1 GiB/s" }, { "50 MB/s", "2 GiB", "256 MiB/s" }, { "400 MB/s", "3 GiB", "10 GiB/s" } }
check("a model of pre-copy: downtime(memory, bandwidth, dirty, wws, limit)", { number = "4", points = 4,
  hint = "Dirtied after a round = min(wws, dirty × round time); switch over when it is ≤ bandwidth × limit;"
    .. " downtime = rest ÷ bandwidth." },
  function()
  expect(answer.downtime, "M.downtime"):to_be_set()
  local right = 0
  for _, c in ipairs(cases) do
    local m = migrate(vm(c[1], c[2]), "qemu", c[3])
    local bandwidth, dirty = lab.bytes((c[3]:gsub("/s", ""))), lab.bytes((c[1]:gsub("/s", "")))
    local ok, got = pcall(answer.downtime, 4 * GiB, bandwidth, dirty, lab.bytes(c[2]), 0.3)
    if ok and type(got) == "number" and math.abs(got - m.downtime) <= 0.02 * m.downtime + 1e-4 then right = right + 1 else
      print(("downtime(dirty %s, set %s, link %s): the migration had %.4f s, you said %s")
        :format(c[1], c[2], c[3], m.downtime, tostring(got)))
    end
  end
  partial(right / #cases)
  expect(right, "cases answered right"):to_equal(#cases)
end)

