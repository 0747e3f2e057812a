-- Lab 17: vSphere HA and Fault Tolerance — slot-based admission control, what a host
-- failure does to protected, fault-tolerant and unprotected VMs.
local answer = lab.submission("answer.lua", { simulate = false })
local GiB = lab.bytes("1 GiB")

-- The lecture's cluster: hosts of 9 GHz / 9 GB, 9 GHz / 6 GB and 6 GHz / 6 GB, five VMs
-- reserving 2/1, 2/1, 1/2, 1/1 and 1/1 (GHz/GB); HA tolerates one host failure.
local sizes = { { 9, 9 }, { 9, 6 }, { 6, 6 } }
local hosts = {}
for i, s in ipairs(sizes) do
  hosts[i] = lab.host{ name = "esx" .. i, cpus = 3, mhz = s[1] * 1000 / 3, memory = s[2] .. " GiB" }
end
local c = lab.cluster{ name = "prod", hosts = hosts }
local n = 0
local function vm(host, ghz, gb)
  n = n + 1
  return host:create_vm{ name = "vm" .. n, memory = gb .. " GiB",
                         cpu = { reservation = ghz * 1000 }, mem = { reservation = gb .. " GiB" } }
end
for _, v in ipairs({ { 1, 2, 1 }, { 1, 2, 1 }, { 2, 1, 2 }, { 2, 1, 1 }, { 3, 1, 1 } }) do
  vm(hosts[v[1]], v[2], v[3]):power_on()
end
c:enable_ha{ admission = "slots", failures = 1 }
local slot, capacity = c.slot, c.failover_capacity
local powered = 5
for _ = 1, 4 do
  if pcall(function() vm(hosts[3], 2, 2):power_on() end) then powered = powered + 1 end
end

check("HA slots", { number = "1", points = 3,
  hint = "Which VMs' reservations set the slot? How many whole slots fit in each host's CPU and in its memory,"
    .. " and which host failure does admission control have to plan for?" }, function()
  expect(lab.answer(answer, "slot_mhz", "MHz"), "M.slot_mhz", "MHz"):to_equal(slot.cpu)
  expect(lab.answer_bytes(answer, "slot_memory"), "M.slot_memory", "bytes"):to_equal(slot.memory)
  expect(lab.answer(answer, "failover_capacity", "count"), "M.failover_capacity", "count"):to_equal(capacity)
  expect(lab.answer(answer, "vms_powered_on", "count"), "M.vms_powered_on", "count"):to_equal(powered)
end)

-- A failure: three hosts, a web VM protected by HA, a database with FT, and a GPU VM
-- with a pass-through device.
local prod = {}
for i = 1, 3 do prod[i] = lab.host{ name = "node" .. i, cpus = 8, memory = "64 GiB", passthrough_devices = 1 } end
local c2 = lab.cluster{ name = "ha", hosts = prod }
c2:enable_ha()
local web = prod[1]:create_vm{ name = "web", memory = "4 GiB" }
local db = prod[1]:create_vm{ name = "db", vcpus = 2, memory = "8 GiB" }
local gpu = prod[1]:create_vm{ name = "gpu", memory = "4 GiB", mem = { reservation = "4 GiB" },
                               devices = { { kind = "nic", adapter = "passthrough" } } }
for _, v in ipairs({ web, db, gpu }) do v:power_on(); v.guest:touch("2 GiB") end
db:enable_ft{ host = prod[2] }
lab.run_for("1 min")
local failed_at = lab.now()
prod[1]:fail()
-- how long web and db are not running, and their memory when they run again
local down, memory = {}, {}
local function watch()
  for _, v in ipairs({ web, db }) do
    if down[v.name] == nil and v.state == "on" then
      down[v.name], memory[v.name] = lab.now() - failed_at, v.memory.consumed
    end
  end
  return down.web ~= nil and down.db ~= nil
end
if not watch() then lab.run_until(watch, "10 min", "100 ms") end
lab.run_for("1 min")

check("after a host failure", { number = "2", points = 3,
  hint = "What must HA notice, and what must a restarted guest do, before it serves again? What does it start"
    .. " from? What does an FT secondary running in lockstep already hold when the primary's host dies?" }, function()
  expect(lab.answer(answer, "web_downtime_seconds", "seconds"), "M.web_downtime_seconds", "seconds")
    :to_be_near(down.web, 1)
  expect(lab.answer(answer, "db_downtime_seconds", "seconds"), "M.db_downtime_seconds", "seconds")
    :to_be_near(down.db, 1)
  expect(lab.answer_bytes(answer, "web_memory_after_restart"), "M.web_memory_after_restart", "bytes")
    :to_equal(memory.web)
  expect(lab.answer_bytes(answer, "db_memory_after_failover"), "M.db_memory_after_failover", "bytes")
    :to_equal(memory.db)
end)

check("what stays down", { number = "3", points = 2,
  hint = "Could HA start a VM elsewhere that owns a device of the failed host? Once FT's secondary has taken"
    .. " over, how does FT stay able to survive the next failure?" }, function()
  expect(lab.answer(answer, "gpu_state"), "M.gpu_state"):to_equal(gpu.state)
  expect(lab.answer(answer, "db_has_new_secondary"), "M.db_has_new_secondary")
    :to_equal(db.ft ~= nil and db.ft.name ~= db.host.name and db.ft.name ~= prod[2].name)
end)

-- The student's own admission control: tolerated_failures(hosts, vms) on three clusters,
-- judged by the failover capacity HA computes for the same cluster.
local built = 0
-- A cluster of hosts { MHz, GiB } (1 GHz cores) with powered-on VMs reserving { MHz, GiB } each (placed
-- in turn on the hosts), HA with slot admission control: what the model says and what
-- the student's function is given. Named `tag` (hidden/ names its own), else the next "pN".
local function cluster(host_sizes, vm_sizes, tag)
  if not tag then
    built = built + 1
    tag = "p" .. built
  end
  local members, args_hosts, args_vms = {}, {}, {}
  for i, s in ipairs(host_sizes) do
    members[i] = lab.host{ name = tag .. "-esx" .. i, cpus = s[1] // 1000, mhz = 1000, memory = s[2] * GiB }
    args_hosts[i] = { cpu = s[1], memory = s[2] * GiB }
  end
  local cl = lab.cluster{ name = tag, hosts = members }
  for i, r in ipairs(vm_sizes) do
    local v = members[(i - 1) % #members + 1]:create_vm{ name = tag .. "-vm" .. i, memory = r[2] * GiB,
      vcpus = math.ceil(r[1] / 1000), cpu = { reservation = r[1] }, mem = { reservation = r[2] * GiB } }
    v:power_on()
    args_vms[i] = { cpu = r[1], memory = r[2] * GiB }
  end
  cl:enable_ha{ admission = "slots", failures = 1 }
  local function show(list)
    local parts = {}
    for i, x in ipairs(list) do parts[i] = lab.format.mhz(x[1]) .. "/" .. lab.format.bytes(x[2] * GiB) end
    return table.concat(parts, ", ")
  end
  return { capacity = cl.failover_capacity, hosts = args_hosts, vms = args_vms, tag = tag,
           name = ("hosts %s; VMs reserving %s"):format(show(host_sizes), show(vm_sizes)) }
end

-- How many clusters the student's function gets right; feedback names the cluster and the answer.
local function score(f, clusters)
  local right = 0
  for _, cl in ipairs(clusters) do
    local ok, got = pcall(f, cl.hosts, cl.vms)
    local k = ok and (math.tointeger(got) or math.tointeger(tonumber(got) or 0.5)) or nil
    if k == cl.capacity then right = right + 1 else
      print(("  [instructor] %s: failover capacity %d, the answer gave %s"):format(cl.name, cl.capacity, tostring(got)))
      if not ok then
        lab.feedback(("%s: tolerated_failures(...) failed: %s"):format(cl.name, tostring(got)))
      elseif k == nil then
        lab.feedback(("%s: tolerated_failures(...) returned %s, not a whole number of host failures")
          :format(cl.name, type(got) == "string" and ("%q"):format(got) or tostring(got)))
      else
        lab.feedback(("%s: your answer %d is %s"):format(cl.name, k, k > cl.capacity and "too high" or "too low"))
      end
    end
  end
  return right
end

local clusters = {
  cluster({ { 9000, 9 }, { 9000, 6 }, { 6000, 6 } }, { { 2000, 1 }, { 2000, 1 }, { 1000, 2 }, { 1000, 1 }, { 1000, 1 } }),
  cluster({ { 16000, 32 }, { 16000, 32 }, { 8000, 16 }, { 8000, 16 } },
          { { 3000, 4 }, { 1500, 6 }, { 1000, 2 }, { 500, 1 }, { 2000, 3 }, { 1000, 2 } }),
  cluster({ { 24000, 16 }, { 24000, 16 }, { 24000, 16 }, { 24000, 16 } },
          { { 1000, 4 }, { 2000, 2 }, { 1000, 3 }, { 500, 1 }, { 1000, 2 } }),
}

check("your own admission control: tolerated_failures(hosts, vms)", { number = "4", points = 2, reveal = "value",
  hint = "Try your function on clusters you build yourself and compare with cluster.slot and"
    .. " cluster.failover_capacity: only whole slots count, and HA must plan for losing the hosts that hurt most." }, function()
  lab.answer(answer, "tolerated_failures", "function")
  local right = score(answer.tolerated_failures, clusters)
  partial(right / #clusters)
  expect(right, "clusters answered right", "count"):to_equal(#clusters)
end)

return { cluster = cluster }
