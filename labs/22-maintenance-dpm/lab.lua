-- Lab 22: maintenance mode, rules and DPM — which VMs block a host's maintenance and why,
-- HA beside a must rule, DPM's standby decisions over a day with its HA floor, and N+1
-- capacity planning. Every verdict comes from what the simulated cluster does.
local answer = lab.submission("answer.lua", { simulate = false })

local ds = lab.datastore{ name = "san", capacity = "100 TiB", kind = "san" }

-- A host of 10 GHz (4 × 2.5 GHz, fair-share CPU so demand is exact).
local function host(name, memory, extra)
  local spec = { name = name, cpus = 4, mhz = 2500, memory = memory or "64 GiB", datastores = { ds }, scheduler = "fair" }
  for k, v in pairs(extra or {}) do spec[k] = v end
  return lab.host(spec)
end

-- A powered-on VM keeping `load` of each vCPU busy.
local function vm(h, name, spec)
  local v = h:create_vm{ name = name, vcpus = spec.vcpus or 1, memory = spec.memory or "4 GiB",
                         mem = spec.mem, devices = spec.devices }
  v:power_on()
  v:run(lab.workload.cpu{ threads = spec.vcpus or 1, load = spec.load or 0.2 })
  return v
end

-- Part 1. The rolling-maintenance cluster: four 64 GiB hosts, a license rule, a
-- preferred host, two web servers kept apart, a GPU VM and a VM with a large memory
-- reservation. `tag` names a copy; DRS is switched on with `drs` once the VMs run.
local function rolling(tag, drs)
  local h = {}
  for i = 1, 4 do h[i] = host(tag .. "-esx" .. i, "64 GiB", i == 3 and { passthrough_devices = 1 } or nil) end
  local v = {}
  v.db = vm(h[1], tag .. "-db", { vcpus = 2, memory = "24 GiB", mem = { reservation = "24 GiB" } })
  v.app = vm(h[1], tag .. "-app", {})
  v.web1 = vm(h[1], tag .. "-web1", {})
  v.web2 = vm(h[2], tag .. "-web2", {})
  v.res2 = vm(h[2], tag .. "-res2", { memory = "24 GiB", mem = { reservation = "24 GiB" } })
  v.gpu = vm(h[3], tag .. "-gpu", { memory = "24 GiB", mem = { reservation = "24 GiB" },
                                    devices = { { kind = "nic", adapter = "passthrough" } } })
  v.batch = vm(h[3], tag .. "-batch", { vcpus = 2, load = 0.5 })
  v.big = vm(h[4], tag .. "-big", { memory = "48 GiB", mem = { reservation = "48 GiB" } })
  local c = lab.cluster{ name = tag, hosts = h }
  c:enable_drs(drs or {})
  c:add_rule{ name = tag .. "-license", kind = "vm-host", vms = { v.db }, hosts = { h[1] }, must = true }
  c:add_rule{ name = tag .. "-preferred", kind = "vm-host", vms = { v.app }, hosts = { h[1] } }
  c:add_rule{ name = tag .. "-apart", kind = "vm-anti-affinity", vms = { v.web1, v.web2 } }
  return c, h, v
end

-- One copy per host, each with that host entering maintenance at once; a manual copy;
-- a copy whose esx1 fails under HA.
local copies = {}
for i = 1, 4 do
  local c, h = rolling("m" .. i)
  copies[i] = { cluster = c, host = h[i] }
  h[i]:enter_maintenance{ strict = false }  -- as vCenter: the task waits for what cannot leave
end
local manual, manualHosts = rolling("man", { automation = "manual" })
manualHosts[1]:enter_maintenance{ strict = false }
local haCluster, haHosts, haVMs = rolling("ha")
haCluster:enable_ha{ admission = "none" }

-- Part 3. A day of DPM: six 10 GHz hosts, 24 one-vCPU VMs at 5 % until 08:00, 45 % until
-- 18:00, 5 % again; DRS fully automated, DPM with its defaults; with HA tolerating one host
-- failure, and the same cluster without HA.
local function day(tag, ha)
  local h = {}
  for i = 1, 6 do h[i] = host(tag .. "-h" .. i, "64 GiB") end
  local loads = {}
  for i = 1, 24 do
    local v = h[(i - 1) % 6 + 1]:create_vm{ name = tag .. "-vm" .. i, vcpus = 1, memory = "2 GiB" }
    v:power_on()
    loads[i] = { vm = v, w = v:run(lab.workload.cpu{ threads = 1, load = 0.05 }) }
  end
  local c = lab.cluster{ name = tag, hosts = h }
  if ha then c:enable_ha{ failures = 1, admission = "none" } end
  c:enable_drs{}
  c:enable_dpm{}
  return { cluster = c, hosts = h, loads = loads }
end
local withHA, withoutHA = day("dayha", true), day("day", false)

-- Part 5. Steady demand on clusters of 10 GHz hosts: how many hosts DPM leaves on.
-- `demand` in MHz is made by one-vCPU VMs of equal load.
local function steady(tag, hosts, demand, failures)
  local h = {}
  for i = 1, hosts do h[i] = host(tag .. "-h" .. i, "32 GiB") end
  local n = math.ceil(demand / 2500)
  for i = 1, n do
    local v = h[(i - 1) % hosts + 1]:create_vm{ name = tag .. "-vm" .. i, vcpus = 1, memory = "1 GiB" }
    v:power_on()
    v:run(lab.workload.cpu{ threads = 1, load = demand / n / 2500 })
  end
  local c = lab.cluster{ name = tag, hosts = h }
  if failures > 0 then c:enable_ha{ failures = failures, admission = "none" } end
  c:enable_drs{}
  c:enable_dpm{}
  return { cluster = c, hosts = hosts, host_mhz = 10000, demand = demand, failures = failures }
end
local steadyCases = { steady("s1", 6, 8000, 0), steady("s2", 4, 2000, 1), steady("s3", 5, 30000, 0) }

-- The first ten minutes: evacuations run, the blockers stay.
lab.run_for("1 min")
haHosts[1]:fail()
lab.run_for("9 min")

local function names(list)
  local out = {}
  for _, b in ipairs(list) do out[b.vm.name:gsub("^[^-]*%-", "")] = b.reason end
  return out
end
for _, copy in ipairs(copies) do
  copy.blockers = names(copy.host.maintenance_blockers)
  copy.state = copy.host.maintenance
end
local manualSeen = { recommendations = #manual.drs.recommendations, vmotions = 0 }
for _, e in ipairs(lab.events{ kind = "drs.migrate" }) do
  if e.subject:find("VM(man-", 1, true) and e.message:find("vMotion of", 1, true) then
    manualSeen.vmotions = manualSeen.vmotions + 1
  end
end
local down = {}
for name, v in pairs(haVMs) do if v.state == "off" then down[#down + 1] = name end end
table.sort(down)
-- done with these clusters: their VMs stop, so the rest of the day costs less to simulate
local function stopAll(c)
  for _, h in ipairs(c.hosts) do
    for _, v in ipairs(h.vms) do if v.state == "on" then v:power_off() end end
  end
end
for _, copy in ipairs(copies) do stopAll(copy.cluster) end
stopAll(manual)
stopAll(haCluster)

-- The day (and the steady clusters, which need two hours).
local function hostsOn(d)
  local n = 0
  for _, h in ipairs(d.hosts) do if h.power == "on" then n = n + 1 end end
  return n
end
local function setLoad(d, load)
  for _, l in ipairs(d.loads) do
    l.vm:stop(l.w)
    l.w = l.vm:run(lab.workload.cpu{ threads = 1, load = load })
  end
end
lab.run_for(2 * 3600 - lab.now())
for _, s in ipairs(steadyCases) do
  s.on = s.cluster.dpm.hosts_on
  s.cluster:disable_dpm()
  stopAll(s.cluster)
end
lab.run_for(8 * 3600 - lab.now())
local night = { ha = hostsOn(withHA), bare = hostsOn(withoutHA) }
setLoad(withHA, 0.45)
setLoad(withoutHA, 0.45)
lab.run_for("1 h")
lab.run_for(18 * 3600 - lab.now())
setLoad(withHA, 0.05)
setLoad(withoutHA, 0.05)
lab.run_for("2 h")

-- When DPM decided what, for a day cluster: { time, action, host }.
local function decisions(d)
  local list = {}
  for _, e in ipairs(lab.events{ kind = "dpm" }) do
    if e.subject == "Cluster(" .. d.cluster.name .. ")" then
      local action, h = e.message:match("^priority %d: (%S+) (%S+):")
      if action then list[#list + 1] = { time = e.time, action = action, host = h } end
    end
  end
  return list
end
local function firstAfter(list, action, t)
  for _, d in ipairs(list) do if d.action == action and d.time >= t then return d.time - t end end
end
local function countAt(list, action, t)
  local n = 0
  for _, d in ipairs(list) do if d.action == action and d.time == t then n = n + 1 end end
  return n
end
local dha, dbare = decisions(withHA), decisions(withoutHA)
local truth = {
  night_first_standby = firstAfter(dha, "standby", 0),
  night_hosts_on = night.ha,
  night_hosts_on_without_ha = night.bare,
  morning_power_on_after = firstAfter(dha, "power-on", 8 * 3600),
  evening_first_standby = firstAfter(dha, "standby", 18 * 3600),
}
truth.morning_hosts_powered_on = countAt(dha, "power-on", 8 * 3600 + (truth.morning_power_on_after or 0))
truth.morning_hosts_powered_on_without_ha = countAt(dbare, "power-on", 8 * 3600 + (firstAfter(dbare, "power-on", 8 * 3600) or 0))

-- Part 4. N+1 planning on a mixed cluster: three 512 GiB and three 256 GiB hosts.
local planHosts = {}
for i = 1, 6 do
  planHosts[i] = lab.host{ name = "plan-h" .. i, cpus = 16, mhz = 2500, memory = i <= 3 and "512 GiB" or "256 GiB" }
end
local plan = lab.cluster{ name = "plan", hosts = planHosts }:capacity{ target = 75, failures = 1 }

print(("[instructor] blockers: %s"):format(table.concat((function()
  local out = {}
  for i, copy in ipairs(copies) do
    local list = {}
    for n, r in pairs(copy.blockers) do list[#list + 1] = n .. "=" .. r end
    table.sort(list)
    out[#out + 1] = ("esx%d {%s} %s"):format(i, table.concat(list, ","), copy.state)
  end
  return out
end)(), "; ")))
print(("[instructor] manual: %d recommendations, %d vMotions; down after esx1 failed: %s"):format(
  manualSeen.recommendations, manualSeen.vmotions, table.concat(down, ",")))
for k, v in pairs(truth) do print(("[instructor] %s = %s"):format(k, tostring(v))) end
print(("[instructor] capacity: usable %s, planned %s, HA %d %%"):format(
  lab.format.bytes(plan.memory.usable), lab.format.bytes(plan.memory.planned), plan.ha_percent))
for _, s in ipairs(steadyCases) do
  print(("[instructor] steady %d hosts, %d MHz, HA %d: %d on"):format(s.hosts, s.demand, s.failures, s.on))
end

-- a blocker table as the student gave it: { name = reason } with names as listed
local function blockerText(t)
  if type(t) ~= "table" then return tostring(t) end
  local list = {}
  for n, r in pairs(t) do list[#list + 1] = tostring(n) .. "=" .. tostring(r) end
  table.sort(list)
  return "{" .. table.concat(list, ", ") .. "}"
end

check("what blocks each host's maintenance", { number = "1", points = 4, reveal = "value",
  hint = "For each VM on the host: can vMotion move it at all, may DRS move it, is there a host whose rules and free"
    .. " (unreserved) resources would take it? A preferred host is not a required one." }, function()
  local given = lab.answer(answer, "blockers", "table")
  local right = 0
  for i, copy in ipairs(copies) do
    local key = "esx" .. i
    local mine = blockerText(given[key])
    if mine == blockerText(copy.blockers) then right = right + 1 else
      lab.feedback(("%s: M.blockers.%s = %s is not right"):format(key, key, mine))
    end
  end
  partial(right / #copies)
  expect(right, "hosts answered right", "count"):to_equal(#copies)
end)

check("maintenance with DRS in manual mode", { number = "2", points = 1,
  hint = "In manual mode, who carries out a mandatory move? Which VMs could leave esx1 at all?" }, function()
  expect(lab.answer(answer, "manual_vmotions", "count"), "M.manual_vmotions", "count"):to_equal(manualSeen.vmotions)
  expect(lab.answer(answer, "manual_recommendations", "count"), "M.manual_recommendations", "count")
    :to_equal(manualSeen.recommendations)
end)

check("HA beside a must rule", { number = "3", points = 1,
  hint = "HA restarts a failed host's VMs on the hosts that survive. Which rules does HA never break, and which does"
    .. " it ignore?" }, function()
  local given = lab.answer(answer, "down_after_esx1_fails", "table")
  local list = {}
  for _, n in ipairs(given) do list[#list + 1] = tostring(n) end
  table.sort(list)
  expect(table.concat(list, ","), "M.down_after_esx1_fails"):to_equal(table.concat(down, ","))
end)

check("a day of DPM", { number = "4", points = 4, reveal = "direction",
  hint = "DPM compares demand with the capacity of the hosts that are on, over two windows of different lengths; it"
    .. " powers off one host per DRS pass while demand stays low, never below what HA needs, and powers on enough"
    .. " hosts at once to bring demand back to its target." }, function()
  expect(lab.answer(answer, "night_first_standby", "seconds"), "M.night_first_standby", "seconds")
    :to_equal(truth.night_first_standby)
  expect(lab.answer(answer, "night_hosts_on", "count"), "M.night_hosts_on", "count"):to_equal(truth.night_hosts_on)
  expect(lab.answer(answer, "night_hosts_on_without_ha", "count"), "M.night_hosts_on_without_ha", "count")
    :to_equal(truth.night_hosts_on_without_ha)
  expect(lab.answer(answer, "morning_power_on_after", "seconds"), "M.morning_power_on_after", "seconds")
    :to_equal(truth.morning_power_on_after)
  expect(lab.answer(answer, "morning_hosts_powered_on", "count"), "M.morning_hosts_powered_on", "count")
    :to_equal(truth.morning_hosts_powered_on)
  expect(lab.answer(answer, "morning_hosts_powered_on_without_ha", "count"), "M.morning_hosts_powered_on_without_ha", "count")
    :to_equal(truth.morning_hosts_powered_on_without_ha)
  expect(lab.answer(answer, "evening_first_standby", "seconds"), "M.evening_first_standby", "seconds")
    :to_equal(truth.evening_first_standby)
end)

check("N+1 capacity", { number = "5", points = 2, reveal = "direction",
  hint = "Which hosts must you assume lost? Then the planning target applies to what is left; the HA percentage"
    .. " reserves the same share of the whole cluster, as a whole percent that covers it." }, function()
  local gib = lab.bytes("1 GiB")
  expect(lab.answer(answer, "usable_memory", "bytes"), "M.usable_memory", "bytes"):to_be_near(plan.memory.usable, gib)
  expect(lab.answer(answer, "planned_memory", "bytes"), "M.planned_memory", "bytes"):to_be_near(plan.memory.planned, gib)
  expect(lab.answer(answer, "ha_percent", "%"), "M.ha_percent", "%"):to_equal(plan.ha_percent)
end)

-- A student function tried on cases; each right case counts, feedback names the case and
-- the student's value only. An error is reported once, not once per case.
local function tryCases(fn, field, cases, args, good, name, show)
  show = show or tostring
  local right = 0
  for _, case in ipairs(cases) do
    local ok, a, b = pcall(fn, table.unpack(args(case)))
    if ok and good(case, a, b) then right = right + 1 else
      print(("  [instructor] %s: the answer gave %s, %s"):format(name(case), tostring(a), tostring(b)))
      if ok then
        lab.feedback(("%s: M.%s gave %s%s"):format(name(case), field, show(a), b ~= nil and (", " .. show(b)) or ""))
      else
        lab.feedback_once(tostring(a), ("%s: M.%s failed: %s"):format(name(case), field, tostring(a)))
      end
    end
  end
  return right
end

-- a size as the student gave it, with its unit
local function size(v)
  local n = lab.size_of(v)
  return n and lab.format.bytes(n) or tostring(v)
end

-- n_plus cases: clusters of hosts with these memories, `failures`, `target`
local function planCase(tag, memories, failures, target)
  local hs = {}
  for i, m in ipairs(memories) do hs[i] = lab.host{ name = tag .. "-h" .. i, cpus = 8, mhz = 2500, memory = m } end
  local p = lab.cluster{ name = tag, hosts = hs }:capacity{ target = target, failures = failures }
  return { memories = memories, failures = failures, target = target, usable = p.memory.usable, planned = p.memory.planned }
end

local function planCases(fn, cases)
  return tryCases(fn, "n_plus", cases, function(c)
    local bytes = {}
    for i, m in ipairs(c.memories) do bytes[i] = lab.bytes(m) end
    return { bytes, c.failures, c.target }
  end, function(c, u, p)
    u, p = lab.size_of(u), lab.size_of(p)
    return u and p and math.abs(u - c.usable) <= 1024 * 1024 and math.abs(p - c.planned) <= 1024 * 1024
  end, function(c) return ("%s, N+%d at %d %%"):format(table.concat(c.memories, " + "), c.failures, c.target) end, size)
end

local planPublic = { planCase("np1", { "128 GiB", "128 GiB", "128 GiB", "128 GiB" }, 1, 80),
                     planCase("np2", { "384 GiB", "256 GiB", "256 GiB" }, 1, 70),
                     planCase("np3", { "1 TiB", "512 GiB", "512 GiB", "512 GiB", "256 GiB" }, 2, 90) }

check("your own n_plus(memories, failures, target)", { number = "6", points = 1, reveal = "value",
  hint = "Return two sizes: what is left after the failures you plan for, and what the planning target leaves of it." },
  function()
  lab.answer(answer, "n_plus", "function")
  local right = planCases(answer.n_plus, planPublic)
  partial(right / #planPublic)
  expect(right, "clusters answered right", "count"):to_equal(#planPublic)
end)

local function steadyCasesRight(fn, cases)
  return tryCases(fn, "dpm_hosts_on", cases, function(s) return { s.hosts, s.host_mhz, s.demand, s.failures } end,
    function(s, got) return math.tointeger(tonumber(got)) == s.on end,
    function(s)
      return ("%d hosts of %d MHz, %d MHz of demand, HA tolerating %d"):format(s.hosts, s.host_mhz, s.demand, s.failures)
    end)
end

check("your own dpm_hosts_on(hosts, host_mhz, demand_mhz, ha_failures)", { number = "7", points = 2, reveal = "value",
  hint = "Walk DPM's passes: when may it power a host off, what does it check about the hosts left, and where does"
    .. " HA stop it? Demand here is CPU only, steady, and memory is idle." }, function()
  lab.answer(answer, "dpm_hosts_on", "function")
  local right = steadyCasesRight(answer.dpm_hosts_on, steadyCases)
  partial(right / #steadyCases)
  expect(right, "clusters answered right", "count"):to_equal(#steadyCases)
end)

-- Part 6. EVC. vCenter's EVC modes, oldest first (the handout's table and docs/datacenter.md).
local evc_modes = { "merom", "penryn", "nehalem", "westmere", "sandy-bridge", "ivy-bridge", "haswell", "broadwell",
                    "skylake", "cascade-lake", "ice-lake", "sapphire-rapids",
                    "opteron-g1", "opteron-g2", "opteron-g3", "bulldozer", "piledriver", "steamroller", "zen", "zen2",
                    "zen3", "zen4" }
local evc_clusters = 0
-- A cluster of empty hosts with these CPU generations (no DRS: nothing runs).
local function evc_cluster(generations)
  evc_clusters = evc_clusters + 1
  local hs = {}
  for i, g in ipairs(generations) do
    hs[i] = lab.host{ name = ("evc%d-h%d"):format(evc_clusters, i), cpus = 2, memory = "8 GiB", cpu_generation = g }
  end
  return lab.cluster{ name = "evc" .. evc_clusters, hosts = hs }
end

-- The newest baseline the cluster accepts, as vCenter's enable_evc decides it (nil when
-- none: the vendors are mixed), found by trying every mode on a copy of the cluster.
local function newest_baseline(generations)
  local c = evc_cluster(generations)
  local best
  for _, mode in ipairs(evc_modes) do
    if pcall(c.enable_evc, c, mode) then best = mode end
  end
  return best
end

-- M.evc_baseline on `cases` (lists of generations): the number right. A right answer is
-- one the cluster accepts as its baseline and that is the newest it accepts; nil is right
-- when the cluster accepts none. Feedback (public) names the case and the student's answer.
local function score_evc(cases, public)
  local fn = lab.answer(answer, "evc_baseline", "function")
  local say = public and lab.feedback or function() end
  local say_once = public and lab.feedback_once or function() end
  local right = 0
  for _, gens in ipairs(cases) do
    local newest = newest_baseline(gens)
    local name = "evc_baseline({ " .. table.concat(gens, ", ") .. " })"
    local ok, got = pcall(fn, gens)
    print(("[instructor] %s: the cluster's newest baseline %s, the answer %s"):format(name, tostring(newest), tostring(got)))
    if not ok then
      say_once(tostring(got), ("%s failed: %s"):format(name, tostring(got)))
    elseif got ~= nil and type(got) ~= "string" then
      say(("%s returned %s: give a mode's name, or nil"):format(name, tostring(got)))
    elseif got == newest then
      right = right + 1
    elseif got == nil then
      say(("%s returned nil, but some baseline suits these hosts"):format(name))
    else
      local c = evc_cluster(gens)
      local accepted = pcall(c.enable_evc, c, got)
      say(("%s = %q: %s"):format(name, got, accepted and "the cluster accepts it, but a newer one would suit every host too"
        or "the cluster refuses it"))
    end
  end
  return right
end

check("the EVC baseline: evc_baseline(generations)", { number = "8", points = 2, reveal = "value",
  hint = "Under EVC every host presents the same CPU features. Which host limits what they can all present, and"
    .. " what can EVC never do with two vendors?" }, function()
  local cases = { { "ice-lake", "haswell", "skylake" }, { "zen3", "zen4", "zen2" }, { "broadwell", "zen3" } }
  local right = score_evc(cases, true)
  partial(right / #cases)
  expect(right, "clusters answered right", "count"):to_equal(#cases)
end)

return { planCase = planCase, planCases = planCases, steady = steady, steadyCasesRight = steadyCasesRight,
         score_evc = score_evc }
