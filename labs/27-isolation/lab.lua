-- Lab 27: isolation. What a kernel panic, a VM crash and a kernel exploit take down or
-- compromise, containers against VMs, and how a neighbour's CPU and disk use reach a container.
-- Every verdict comes from simulated Linux nodes and hosts.
local answer = lab.submission("answer.lua", { simulate = false })
lab.reveal("direction")

local worlds = 0

-- Builds a scenario on fresh machines and runs it: `s.place` "node" puts `s.per` containers
-- on one Linux node (vms is ignored); "vm" puts `s.per` containers in each of `s.vms` VMs
-- on one host. Then `s.event` happens from the first container or its kernel:
-- "panic" (its kernel panics), "crash" (its VM crashes; VMs only), "exploit" (a kernel
-- exploit from the first container, with `s.hypervisor_bug`). Returns how many containers
-- stopped and how many were compromised.
local function impact(s)
  worlds = worlds + 1
  local tag = "w" .. worlds
  local machines = {}
  if s.place == "node" then
    local n = lab.host{ name = tag .. "-node", cpus = 8, memory = "32 GiB", hypervisor = "none" }
    machines[1] = n
  else
    local h = lab.host{ name = tag .. "-esx", cpus = 16, memory = "64 GiB" }
    for v = 1, s.vms do
      local vm = h:create_vm{ name = ("%s-vm%d"):format(tag, v), memory = "2 GiB" }
      vm:power_on()
      machines[v] = vm
    end
  end
  local all = {}
  for i, m in ipairs(machines) do
    for c = 1, s.per do
      local name = ("%s-k%d-%d"):format(tag, i, c)
      all[#all + 1] = s.place == "node" and m:run_container{ name = name } or m.guest:run_container{ name = name }
    end
  end
  lab.run_for("5 s")
  if s.event == "panic" then
    if s.place == "node" then machines[1]:panic() else machines[1].guest:panic() end
  elseif s.event == "crash" then
    machines[1]:crash()
  else
    all[1]:exploit{ hypervisor_bug = s.hypervisor_bug or false }
  end
  lab.run_for("1 s")
  local stopped, compromised = 0, 0
  for _, k in ipairs(all) do
    if k.state ~= "running" then stopped = stopped + 1 end
    if k.compromised then compromised = compromised + 1 end
  end
  for _, k in ipairs(all) do if k.state == "running" then k:stop() end end
  return stopped, compromised
end

-- Two CPU-bound containers on a fresh node of `cpus` CPUs: the victim with `victim`
-- threads, the neighbour with `noisy` threads and, if `limit` is given, --cpus=`limit`.
-- Returns the CPUs the victim gets after a minute.
local function noisy(cpus, victim, noisy_threads, limit)
  worlds = worlds + 1
  local n = lab.host{ name = "w" .. worlds .. "-noisy", cpus = cpus, memory = "16 GiB", hypervisor = "none" }
  local v = n:run_container{ name = n.name .. "-victim" }
  local x = n:run_container{ name = n.name .. "-neighbour", cpus = limit }
  v:run(lab.workload.cpu{ threads = victim })
  x:run(lab.workload.cpu{ threads = noisy_threads })
  lab.run_for("1 min")
  local got = v.cpu.usage / 100
  v:stop()
  x:stop()
  return got
end

-- A disk-bound victim and neighbour container sharing one datastore of `s.bandwidth`
-- bytes/s: on one node (`s.nodes` 1) or on two nodes on that datastore (2). The victim
-- asks `s.victim` bytes/s with the default io.weight, the neighbour `s.noisy` with io.weight
-- `s.weight` and, if `s.limit` is given, --device-write-bps=`s.limit`. Returns the
-- victim's write rate after half a minute.
local function disk_noisy(s)
  worlds = worlds + 1
  local tag = "w" .. worlds .. "-disk"
  local ds = lab.datastore{ name = tag, capacity = "2 TiB", write_rate = s.bandwidth }
  local a = lab.host{ name = tag .. "-a", cpus = 4, memory = "8 GiB", hypervisor = "none", datastores = { ds } }
  local b = a
  if s.nodes == 2 then
    b = lab.host{ name = tag .. "-b", cpus = 4, memory = "8 GiB", hypervisor = "none", datastores = { ds } }
  end
  local v = a:run_container{ name = tag .. "-victim" }
  local x = b:run_container{ name = tag .. "-neighbour", io_weight = s.weight, device_write_bps = s.limit }
  v:run(lab.workload.disk{ write = "1 TiB", rate = s.victim })
  x:run(lab.workload.disk{ write = "1 TiB", rate = s.noisy })
  lab.run_for("30 s")
  local got = v.disk.rate
  v:stop()
  x:stop()
  return got
end

-- A rate answer: a number of bytes/s or a string such as "120 MiB/s".
local function rate_of(v)
  if type(v) == "number" then return v end
  if type(v) ~= "string" then return nil end
  local size = v:match("^(.-)%s*/%s*s$")
  if not size then return nil end
  local ok, b = pcall(lab.bytes, size)
  return ok and b or nil
end

local function describe(s)
  return ("%s with %d container(s)%s, %s%s"):format(s.place == "node" and "one Linux node" or (s.vms .. " VMs on one host"),
    s.per, s.place == "vm" and " each" or "", s.event, s.hypervisor_bug and " (with a hypervisor bug)" or "")
end

-- Scores M.impact on `cases`: the number right.
local function score_impact(cases, public)
  local f = lab.answer(answer, "impact", "function")
  local tell = public and lab.feedback_once or function() end
  local right = 0
  for _, s in ipairs(cases) do
    local stopped, compromised = impact(s)
    local copy = {}
    for key, value in pairs(s) do copy[key] = value end
    local ok, a, b = pcall(f, copy)
    if not ok then
      tell(tostring(a), "impact{...} failed: " .. tostring(a))
    elseif a == stopped and b == compromised then
      right = right + 1
    else
      tell(describe(s), ("%s: you said %s stopped, %s compromised; %s"):format(describe(s), tostring(a), tostring(b),
        a == stopped and "the compromised count is not right" or "the stopped count is not right"))
    end
    print(describe(s), "expected", stopped, compromised)
  end
  return right
end

-- Scores M.victim_cpus on `cases` ({ cpus, victim, noisy, limit }).
local function score_noisy(cases, public)
  local f = lab.answer(answer, "victim_cpus", "function")
  local tell = public and lab.feedback_once or function() end
  local right = 0
  for _, c in ipairs(cases) do
    local want = noisy(c[1], c[2], c[3], c[4])
    local call = ("victim_cpus(%d, %d, %d, %s)"):format(c[1], c[2], c[3], tostring(c[4]))
    local ok, got = pcall(f, c[1], c[2], c[3], c[4])
    if not ok then
      tell(tostring(got), call .. " failed: " .. tostring(got))
    elseif type(got) == "number" and math.abs(got - want) <= 0.01 * math.max(1, want) then
      right = right + 1
    else
      tell(call, ("%s returned %s CPUs: not right"):format(call, tostring(got)))
    end
    print(call, "expected", want)
  end
  return right
end

check("what a fault or an exploit reaches: impact(scenario)", { number = "1", points = 4, reveal = "value",
  hint = "Which kernel do the containers run on, and what does a fault or an exploit in that kernel reach? "
      .. "What separates one VM's kernel from another's?" }, function()
  local cases = {
    { place = "node", per = 10, event = "panic" },
    { place = "vm", vms = 10, per = 1, event = "panic" },
    { place = "vm", vms = 3, per = 4, event = "crash" },
    { place = "node", per = 6, event = "exploit" },
    { place = "vm", vms = 4, per = 3, event = "exploit" },
    { place = "vm", vms = 4, per = 3, event = "exploit", hypervisor_bug = true },
  }
  local right = score_impact(cases, true)
  partial(right / #cases)
  expect(right, "scenarios answered right", "count"):to_equal(#cases)
end)

check("noisy neighbours: victim_cpus(cpus, victim_threads, noisy_threads, limit)", { number = "2", points = 3, reveal = "value",
  hint = "Both containers have the default weight. What does the neighbour take when nothing limits it, and what "
      .. "does a quota leave for the victim?" }, function()
  local cases = { { 4, 4, 16, nil }, { 4, 4, 16, 1 }, { 8, 2, 16, nil } }
  local right = score_noisy(cases, true)
  partial(right / #cases)
  expect(right, "cases answered right", "count"):to_equal(#cases)
end)

local MiB = lab.bytes("1 MiB")

-- Scores M.victim_disk on `cases`.
local function score_disk(cases, public)
  local f = lab.answer(answer, "victim_disk", "function")
  local tell = public and lab.feedback_once or function() end
  local right = 0
  for _, s in ipairs(cases) do
    local want = disk_noisy(s)
    local copy = {}
    for key, value in pairs(s) do copy[key] = value end
    local call = ("victim_disk{ bandwidth = %d MiB/s, nodes = %d, victim = %d MiB/s, noisy = %d MiB/s, weight = %d, limit = %s }")
      :format(s.bandwidth // MiB, s.nodes, s.victim // MiB, s.noisy // MiB, s.weight,
        s.limit and (s.limit // MiB .. " MiB/s") or "nil")
    local ok, got = pcall(f, copy)
    local r = ok and rate_of(got) or nil
    if not ok then
      tell(tostring(got), call .. " failed: " .. tostring(got))
    elseif r == nil then
      tell(call .. "type", call .. " returned " .. tostring(got)
        .. ": give bytes/s as a number or a string such as \"120 MiB/s\"")
    elseif math.abs(r - want) <= 0.01 * math.max(MiB, want) then
      right = right + 1
    else
      tell(call, ("%s returned %s: not right"):format(call, tostring(got)))
    end
    print(call, "expected", want / MiB, "MiB/s")
  end
  return right
end

check("why a VM contains the exploit: M.why", { number = "3", points = 1, reveal = "none",
  hint = "What must an attacker break, besides the guest's kernel, to reach other VMs?" }, function()
  local why = lab.answer(answer, "why", "string")
  expect(why, "M.why"):to_hash("sha256:3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d")
end)

check("a noisy neighbour through the disk: victim_disk(setup)", { number = "4", points = 2, reveal = "value",
  hint = "What does the datastore share, and among whom? Where does io.weight act, and what does io.max "
      .. "leave for the others?" }, function()
  local cases = {
    { bandwidth = 200 * MiB, nodes = 1, victim = 200 * MiB, noisy = 200 * MiB, weight = 100 },
    { bandwidth = 200 * MiB, nodes = 1, victim = 200 * MiB, noisy = 400 * MiB, weight = 300 },
    { bandwidth = 200 * MiB, nodes = 2, victim = 200 * MiB, noisy = 400 * MiB, weight = 300 },
    { bandwidth = 300 * MiB, nodes = 1, victim = 300 * MiB, noisy = 300 * MiB, weight = 100, limit = 50 * MiB },
  }
  local right = score_disk(cases, true)
  partial(right / #cases)
  expect(right, "cases answered right", "count"):to_equal(#cases)
end)

return { score_impact = score_impact, score_noisy = score_noisy, score_disk = score_disk }
