-- Instructor-only: gbps at demands the public checks do not try, and host_os_memory_for
-- on other type 2 hosts. Never shipped to students; `hyperlab pack` puts it only in the
-- autograder. Runs after lab.lua in the same world: names start with "h-".
local answer = lab.submission("answer.lua")

-- Gb/s from a number or a string such as "2.5 Gb/s" or "800 Mb/s" (as lab.lua accepts).
local function gbps_of(v)
  if type(v) == "number" then return v end
  if type(v) ~= "string" then return nil end
  local n = tonumber(v)
  if n then return n end
  local num, prefix = v:match("^%s*([%d%.]+)%s*([GgMmKk]?)b/?p?s%s*$")
  num = tonumber(num)
  if not num then return nil end
  return num * ({ g = 1, m = 1e-3, k = 1e-6, [""] = 1e-9 })[prefix:lower()]
end

-- Each adapter at other demands, one 2-vCPU VM at a time on a host of its own.
local h = lab.host{ name = "h-esx", cpus = 8, memory = "64 GiB", passthrough_devices = 1 }
local cases = {}
for _, adapter in ipairs({ "e1000", "vmxnet3", "passthrough" }) do
  for _, demand in ipairs({ 0.5, 3, 8, 12 }) do
    local vm = h:create_vm{ name = ("h-%s-%g"):format(adapter, demand), vcpus = 2, memory = "2 GiB",
                            mem = { reservation = "2 GiB" }, devices = { { kind = "nic", adapter = adapter } } }
    vm:power_on()
    local w = vm:run(lab.workload.network{ rate = demand * 1e9 })
    lab.run_for("1 min")
    cases[#cases + 1] = { adapter = adapter, demand = demand, gbps = w.achieved / 1e9 }
    vm:power_off()
  end
end

check("gbps at unseen demands", { number = "H1", points = 2, visibility = "after_due_date",
  hide_errors = "gbps gave a wrong throughput for an adapter at a demand the public checks do not try." }, function()
  local right = 0
  for _, c in ipairs(cases) do
    local ok, got = pcall(answer.gbps, c.adapter, c.demand)
    local v = ok and gbps_of(got) or nil
    if v and math.abs(v - c.gbps) <= 0.05 then right = right + 1 end
    print(("gbps(%q, %g): answered %s, the VM got %.2f Gb/s"):format(c.adapter, c.demand, tostring(got), c.gbps))
  end
  partial(right / #cases)
  expect(right, "unseen cases answered right", "count"):to_equal(#cases)
end)

-- Type 2 hosts of other sizes, the smallest one below the point where the OS's share is capped.
local sizes = { "3 GiB", "8 GiB", "24 GiB", "40 GiB", "64 GiB" }
local hosts = {}
for i, size in ipairs(sizes) do
  hosts[i] = lab.host{ name = "h-hosted" .. i, cpus = 2, memory = size, hypervisor = "type2" }
end

check("host_os_memory_for on unseen hosts", { number = "H2", points = 1, visibility = "after_due_date",
  hide_errors = "host_os_memory_for gave a wrong size for a type 2 host size the public checks do not try." }, function()
  local right = 0
  for i, size in ipairs(sizes) do
    local ok, got = pcall(answer.host_os_memory_for, lab.bytes(size))
    local b = ok and lab.size_of(got) or nil
    if b and math.abs(b - hosts[i].host_os_memory) <= lab.bytes("1 MiB") then right = right + 1 end
    print(("host_os_memory_for(%s): answered %s, the host OS keeps %s"):format(size, tostring(got),
      lab.format.bytes(hosts[i].host_os_memory)))
  end
  partial(right / #sizes)
  expect(right, "unseen host sizes answered right", "count"):to_equal(#sizes)
end)
