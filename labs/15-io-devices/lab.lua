-- Lab 15: I/O virtualization — emulated, paravirtual and pass-through devices, and a
-- type 1 against a type 2 hypervisor. Verdicts come from the simulated hosts; failed
-- checks show students their own value, whether it is too high or too low, and a hint.
local answer = lab.submission("answer.lua", { simulate = false })
lab.reveal("direction")   -- numbers: also say too high or too low, never the value

local function quoted(v) return type(v) == "string" and ("%q"):format(v) or tostring(v) end

-- A function the student wrote: anything else fails the check with one message.
local function student_function(name)
  local f = lab.answer(answer, name)
  if type(f) ~= "function" then error(("M.%s: a function was asked, got %s"):format(name, quoted(f)), 0) end
  return f
end

-- Gb/s from a number (Gb/s) or a string such as "2.5 Gb/s" or "800 Mb/s"; nil otherwise.
local function gbps_of(v)
  if type(v) == "number" then return v end
  if type(v) ~= "string" then return nil end
  local n = tonumber(v)
  if n then return n end
  local num, prefix = v:match("^%s*([%d%.]+)%s*([GgMmKk]?)b/?p?s%s*$")
  num = tonumber(num)
  if not num then return nil end
  local scale = ({ g = 1, m = 1e-3, k = 1e-6, [""] = 1e-9 })[prefix:lower()]
  return num * scale
end

-- A true/false answer per question; missing answers fail the check with their name.
local function verdicts(questions)
  local right = 0
  for _, q in ipairs(questions) do
    local given = lab.answer(answer, q.name)
    if type(given) ~= "boolean" then
      lab.feedback(("M.%s: %s is not true or false"):format(q.name, quoted(given)))
    elseif given == q.truth then
      right = right + 1
    end
    print(("M.%s = %s, the model says %s"):format(q.name, tostring(given), tostring(q.truth)))
  end
  partial(right / #questions)
  expect(right, "answers right", "count"):to_equal(#questions)
end

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
local adapters = { "e1000", "vmxnet3", "passthrough" }
for _, adapter in ipairs(adapters) do
  local vm = h:create_vm{ name = adapter, vcpus = 2, memory = "4 GiB", mem = { reservation = "4 GiB" },
                          devices = { { kind = "nic", adapter = adapter } } }
  vm:power_on()
  local w = vm:run(lab.workload.network{ rate = "5 Gb/s" })
  lab.run_for("1 min")
  measured[adapter] = { gbps = w.achieved / 1e9, mhz = lab.series(vm, "cpu.used_mhz"):mean(), latency = w.latency_us, vm = vm }
end

check("throughput: gbps(adapter, demand)", { number = "1", points = 2, reveal = "value",
  hint = "What is each adapter: a model of an old physical NIC in software, a driver that knows it is virtual, "
    .. "or the physical NIC itself? docs/storage.md has the model's figures." },
  function()
  local gbps = student_function("gbps")
  local right = 0
  for _, adapter in ipairs(adapters) do
    local m = measured[adapter]
    local call = ("gbps(%q, 5)"):format(adapter)
    local ok, got = pcall(gbps, adapter, 5)
    local v = ok and gbps_of(got) or nil
    if not ok then
      lab.feedback(call .. " failed: " .. tostring(got))
    elseif v == nil then
      lab.feedback(("%s returned %s, which is not a rate (give Gb/s as a number, or a string such as \"800 Mb/s\")")
        :format(call, quoted(got)))
    elseif math.abs(v - m.gbps) <= 0.05 then
      right = right + 1
    else
      lab.feedback(("%s returned %.2f Gb/s: not what the VM gets (%s)"):format(call, v, v > m.gbps and "too high" or "too low"))
    end
    print(("%s: answered %s, the VM got %.2f Gb/s"):format(call, tostring(got), m.gbps))
  end
  partial(right / #adapters)
  expect(right, "adapters answered right", "count"):to_equal(#adapters)
end)

local cost_hint = "How often must the hypervisor step in for each kind of device: on every register access, "
  .. "once per batch of requests in a shared ring, or never?"
check("CPU per Gb/s", { number = "2.1", points = 1, hint = cost_hint }, function()
  local order = { "e1000", "vmxnet3", "passthrough" }
  table.sort(order, function(a, b) return measured[a].mhz / measured[a].gbps > measured[b].mhz / measured[b].gbps end)
  local given = lab.answer(answer, "cpu_order")
  if type(given) ~= "table" then
    error(("M.cpu_order: a list of adapter names was asked, such as { \"a\", \"b\", \"c\" }, got %s"):format(quoted(given)), 0)
  end
  expect(given, "M.cpu_order, from most to least CPU per Gb/s"):to_equal(order)
end)
check("lowest latency", { number = "2.2", points = 1, hint = cost_hint }, function()
  local lowest = "e1000"
  for _, a in ipairs(adapters) do if measured[a].latency < measured[lowest].latency then lowest = a end end
  expect(lab.answer(answer, "lowest_latency"), "M.lowest_latency"):to_equal(lowest)
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

check("what pass-through rules out", { number = "3", points = 3, reveal = "value",
  hint = "The VM owns the physical device and the device writes into guest memory by DMA: what can the hypervisor "
    .. "no longer save, pause, share or move? Try each in a script of your own (pcall shows the reason)." },
  function()
  verdicts{
    { name = "passthrough_snapshot", truth = allowed.snapshot },
    { name = "passthrough_suspend", truth = allowed.suspend },
    { name = "second_passthrough_vm_powers_on", truth = second_powers_on },
    { name = "passthrough_with_half_reserved", truth = half_reserved },
  }
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
-- A second type 2 host, for host_os_memory_for.
local big = host{ cpus = 2, memory = "32 GiB", hypervisor = "type2" }

local hosted_hint = "A hosted hypervisor runs on an operating system: what does that OS keep for itself, "
  .. "and which path does every VM write take to reach the datastore?"
check("the host OS's memory", { number = "4.1", points = 1, hint = hosted_hint }, function()
  expect(lab.answer_bytes(answer, "host_os_memory"), "memory the type 2 host's OS keeps", "bytes"):to_equal(result.type2.os)
end)
check("a write on type 2", { number = "4.2", points = 1, hint = hosted_hint }, function()
  expect(lab.answer(answer, "type2_write_slowdown"), "write time on type 2 ÷ on type 1")
    :to_be_near(result.type2.seconds / result.type1.seconds, 0.08)
end)
check("CPU left to VMs on type 2", { number = "4.3", points = 1, hint = hosted_hint }, function()
  local given = lab.answer(answer, "type2_gives_vms_less_cpu")
  if type(given) ~= "boolean" then
    error(("M.type2_gives_vms_less_cpu: true or false was asked, got %s"):format(quoted(given)), 0)
  end
  expect(given, "M.type2_gives_vms_less_cpu"):to_equal(result.type2.mhz < result.type1.mhz)
end)
check("host_os_memory_for(memory)", { number = "4.4", points = 1, reveal = "value", hint = hosted_hint }, function()
  local f = student_function("host_os_memory_for")
  local right = 0
  local cases = { { memory = lab.bytes("16 GiB"), truth = result.type2.os },
                  { memory = lab.bytes("32 GiB"), truth = big.host_os_memory } }
  for _, c in ipairs(cases) do
    local call = ("host_os_memory_for(%s)"):format(lab.format.bytes(c.memory))
    local ok, got = pcall(f, c.memory)
    local b = ok and lab.size_of(got) or nil
    if not ok then
      lab.feedback(call .. " failed: " .. tostring(got))
    elseif b == nil then
      lab.feedback(("%s returned %s, which is not a size (give bytes or a string such as \"2 GiB\")"):format(call, quoted(got)))
    elseif math.abs(b - c.truth) <= lab.bytes("1 MiB") then
      right = right + 1
    else
      lab.feedback(("%s returned %s: not what the host OS keeps (%s)"):format(call, lab.format.bytes(b),
        b > c.truth and "too high" or "too low"))
    end
    print(("%s: answered %s, the host OS keeps %s"):format(call, tostring(got), lab.format.bytes(c.truth)))
  end
  partial(right / #cases)
  expect(right, "cases answered right", "count"):to_equal(#cases)
end)
