-- Lab 16: live migration by iterative pre-copy — rounds, convergence, throttling and
-- downtime, and what blocks it. Verdicts come from the simulated migrations.
local answer = lab.submission("answer.lua", { simulate = false })

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

-- Seconds from what a student's function returned: a number of seconds or a duration string.
local function seconds_of(v)
  if type(v) == "number" and v == v then return v end
  if type(v) == "string" then
    local ok, s = pcall(lab.seconds, v)
    if ok then return s end
  end
  return nil
end

local calm = migrate(vm("100 MB/s", "2 GiB"), "qemu")

check("pre-copy rounds", { number = "1", points = 3,
  hint = "Follow the rounds one by one: how long does round 0 take on this link, and how much does the guest"
    .. " rewrite meanwhile? When is what is left small enough for QEMU to stop the VM?" },
  function()
  expect(lab.answer(answer, "rounds", "count"), "M.rounds", "count"):to_equal(#calm.rounds)
  expect(lab.answer(answer, "downtime_seconds", "seconds"), "M.downtime_seconds", "seconds"):to_be_near(calm.downtime, "5%")
  expect(lab.answer(answer, "total_seconds", "seconds"), "M.total_seconds", "seconds"):to_be_near(calm.total, "2%")
end)

-- A guest dirtying 1.5 GiB/s over a 3 GiB set: faster than the link.
local hot_qemu = migrate(vm("1536 MiB/s", "3 GiB"), "qemu")
local hot_xen = migrate(vm("1536 MiB/s", "3 GiB"), "xen")

check("when the guest dirties faster than the link", { number = "2", points = 2,
  hint = "When does auto-converge start to throttle, and how does the throttle grow? Xen never throttles:"
    .. " which of its stop rules is met first, and what is still left to send then?" },
  function()
  local throttles = lab.answer(answer, "qemu_throttles")
  expect(type(throttles) == "table", "M.qemu_throttles is a list of four throttles"):to_be_true()
  for i = 1, 4 do
    expect(throttles[i], ("M.qemu_throttles[%d] (round %d)"):format(i, i - 1), "fraction")
      :to_be_near(hot_qemu.rounds[i].throttle, 0.001)
  end
  expect(lab.answer(answer, "xen_downtime_seconds", "seconds"), "M.xen_downtime_seconds", "seconds")
    :to_be_near(hot_xen.downtime, "5%")
end)

local gpu = a:create_vm{ name = "gpu", memory = "4 GiB", mem = { reservation = "4 GiB" },
                         devices = { { kind = "nic", adapter = "passthrough" } } }
gpu:power_on()
local gpu_migrates = pcall(gpu.migrate, gpu, { host = b })

check("what blocks live migration", { number = "3", points = 1,
  hint = "Whose hardware is a pass-through device, and could pre-copy carry it to another host?" }, function()
  expect(lab.answer(answer, "passthrough_vm_migrates"), "M.passthrough_vm_migrates"):to_equal(gpu_migrates)
end)

-- The student's model of QEMU pre-copy, tried on three more cases.
local cases = { { "200 MB/s", "1 GiB", "1 GiB/s" }, { "50 MB/s", "2 GiB", "256 MiB/s" }, { "400 MB/s", "3 GiB", "10 GiB/s" } }
check("a model of pre-copy: downtime(memory, bandwidth, dirty, wws, limit)", { number = "4", points = 4, reveal = "value",
  hint = "Each round lasts as long as sending what is left takes, and the guest rewrites pages meanwhile, but never"
    .. " more than its writable working set. When does QEMU stop the VM, and how long does the rest take to send?" },
  function()
  lab.answer(answer, "downtime", "function")
  local right = 0
  for _, c in ipairs(cases) do
    local m = migrate(vm(c[1], c[2]), "qemu", c[3])
    local bandwidth, dirty = lab.bytes((c[3]:gsub("/s", ""))), lab.bytes((c[1]:gsub("/s", "")))
    local ok, got = pcall(answer.downtime, 4 * GiB, bandwidth, dirty, lab.bytes(c[2]), 0.3)
    local s = ok and seconds_of(got) or nil
    local case = ("4 GiB VM dirtying %s of a %s set over %s"):format(c[1], c[2], c[3])
    if s and math.abs(s - m.downtime) <= 0.02 * m.downtime + 1e-4 then
      right = right + 1
    elseif not ok then
      lab.feedback(("%s: downtime(...) failed: %s"):format(case, tostring(got)))
    elseif s == nil then
      lab.feedback(("%s: downtime(...) returned %s, not a number of seconds or a duration such as \"40 ms\"")
        :format(case, type(got) == "string" and ("%q"):format(got) or tostring(got)))
    else
      lab.feedback(("%s: your downtime %s is %s"):format(case, lab.format.seconds(s),
        s > m.downtime and "too long" or "too short"))
    end
    if not (s and math.abs(s - m.downtime) <= 0.02 * m.downtime + 1e-4) then
      print(("  [instructor] %s: the migration had %.4f s, the answer gave %s"):format(case, m.downtime, tostring(got)))
    end
  end
  partial(right / #cases)
  expect(right, "cases answered right", "count"):to_equal(#cases)
end)
