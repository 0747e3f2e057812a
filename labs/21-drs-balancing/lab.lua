-- Lab 21: DRS balancing — the load-imbalance metric, the priority of a migration, the
-- migration threshold, and what manual, partially and fully automated DRS do with it.
-- Every verdict comes from what the simulated DRS does on the same clusters.
local answer = lab.submission("answer.lua", { simulate = false })

local ds = lab.datastore{ name = "san", capacity = "100 TiB", kind = "san" }
local built = 0

-- A cluster of 10 GHz hosts (4 × 2.5 GHz, fair-share CPU so demand is exact) whose VMs
-- keep their hosts busy: `layout` lists, per host, its VMs as { vcpus, duty[, name] }.
-- DRS is switched on with `drs` once the guests run (so power-on placement does not
-- spread them). Returns the cluster, its hosts and its VMs by name.
local function cluster(layout, drs, tag)
  if not tag then
    built = built + 1
    tag = "c" .. built
  end
  local hosts, vms = {}, {}
  for i, list in ipairs(layout) do
    hosts[i] = lab.host{ name = tag .. "-esx" .. i, cpus = 4, mhz = 2500, memory = "64 GiB",
                         datastores = { ds }, scheduler = "fair" }
    for j, spec in ipairs(list) do
      local name = spec[3] or ("vm" .. i .. j)
      local v = hosts[i]:create_vm{ name = tag .. "-" .. name, vcpus = spec[1], memory = "4 GiB" }
      v:power_on()
      v:run(lab.workload.cpu{ threads = spec[1], load = spec[2] })
      vms[name] = v
    end
  end
  local c = lab.cluster{ name = tag, hosts = hosts }
  c:enable_drs(drs or {})
  return c, hosts, vms
end

-- The lecture's two hosts: 8 GHz of demand on one (VMs of 3, 2.75 and 2.25 GHz), 2 GHz on the
-- other. And three hosts, 5.5, 5 and 4.5 GHz busy.
local two = { { { 2, 0.6, "big" }, { 2, 0.55, "a2" }, { 1, 0.9, "a3" } }, { { 1, 0.8, "b1" } } }
local three = { { { 1, 1.0 }, { 1, 1.0 }, { 1, 0.2, "small" } }, { { 1, 1.0 }, { 1, 1.0 } }, { { 1, 1.0 }, { 1, 0.8 } } }

local readA = cluster(two, { reading = "A" })
local readB = cluster(two, { reading = "B" })
local trio = cluster(three)
local sweep = {}
for t = 1, 5 do sweep[t] = { two = cluster(two, { threshold = t }), three = cluster(three, { threshold = t }) } end
local modes = {}
for _, a in ipairs({ "manual", "partially", "fully" }) do modes[a] = cluster(two, { automation = a }) end
local off, _, offVMs = cluster(two)
offVMs.big.drs_automation = "disabled"

-- the priority function's clusters: loads the engine measures, the priority it gives
local shapes = {
  { layout = { { { 2, 0.9 }, { 2, 0.5 } }, { { 2, 0.5 } }, { { 1, 1.0 }, { 1, 0.6 } } }, reading = "A" },
  { layout = { { { 4, 0.7 } }, { { 4, 0.6 } }, { { 4, 0.55 } }, { { 4, 0.5 } } }, reading = "A" },
  { layout = { { { 4, 0.9 } }, { { 1, 0.4 } } }, reading = "B" },
  { layout = { { { 4, 0.8 } }, { { 4, 0.2 } }, { { 4, 0.5 } }, { { 4, 0.5 } }, { { 4, 0.5 } } }, reading = "B" },
}
for _, s in ipairs(shapes) do s.cluster, s.hosts = cluster(s.layout, { reading = s.reading }) end

lab.run_for("299 s")   -- just before the first pass: loads from 15 samples of running guests
local before = { A = readA.drs.imbalance, trio = trio.drs.imbalance, off = off.drs.imbalance,
                 pA = readA.drs.priority, pB = readB.drs.priority, p3 = trio.drs.priority }
for _, s in ipairs(shapes) do
  s.loads = {}
  for i, h in ipairs(s.hosts) do s.loads[i] = s.cluster.drs:load(h).cpu end
  s.priority = s.cluster.drs.priority
end
lab.run_for("2 s")     -- the first pass at 300 s

-- how many vMotions a cluster's DRS started, and the thresholds at which it moved
local function vmotions(c)
  local n = 0
  for _, e in ipairs(lab.events{ kind = "drs.migrate" }) do
    if e.message:find("vMotion", 1, true) and e.subject:find("VM(" .. c.name .. "-", 1, true) then n = n + 1 end
  end
  return n
end
local function moving(key)
  local list = {}
  for t = 1, 5 do if vmotions(sweep[t][key]) > 0 then list[#list + 1] = t end end
  return table.concat(list, ",")
end
local modes_seen = {}
for a, c in pairs(modes) do modes_seen[a] = { moves = vmotions(c), recs = #c.drs.recommendations } end
local moved_when_off
for _, e in ipairs(lab.events{ kind = "drs.migrate" }) do
  local name = e.subject:match("^VM%(" .. off.name .. "%-(.+)%)$")
  if name and e.message:find("vMotion", 1, true) then moved_when_off = name end
end

print(("[instructor] LIM %.4f / %.4f, priorities A %s B %s three %s; thresholds moving %s / %s; disabled: LIM %.4f, moved %s")
  :format(before.A, before.trio, tostring(before.pA), tostring(before.pB), tostring(before.p3), moving("two"), moving("three"),
          before.off, tostring(moved_when_off)))
for _, s in ipairs(shapes) do
  print(("[instructor] priority case: %s reading %s → %s"):format(table.concat(s.loads, "/"), s.reading, tostring(s.priority)))
end

-- A VM powered on in each mode's cluster after the pass.
local power_state = {}
for a, c in pairs(modes) do
  local v = c:create_vm{ name = c.name .. "-new", memory = "2 GiB" }
  v:power_on()
  power_state[a] = v.state
end

check("the load-imbalance metric", { number = "1", points = 3, reveal = "direction",
  hint = "A host's load is what its VMs are entitled to over what it has; the metric is a standard deviation over"
    .. " hosts. Which standard deviation: of a sample, or of the whole population of hosts?" }, function()
  expect(lab.answer(answer, "lim_two_hosts", "fraction"), "M.lim_two_hosts", "fraction"):to_be_near(before.A, 0.005)
  expect(lab.answer(answer, "lim_three_hosts", "fraction"), "M.lim_three_hosts", "fraction"):to_be_near(before.trio, 0.002)
end)

check("the priority of a migration", { number = "2", points = 2,
  hint = "Evaluate the KB's formula with each grouping; which priority is reserved, and what happens to a result"
    .. " that would take it?" }, function()
  expect(lab.answer(answer, "priority_reading_a", "count"), "M.priority_reading_a", "count"):to_equal(before.pA)
  expect(lab.answer(answer, "priority_reading_b", "count"), "M.priority_reading_b", "count"):to_equal(before.pB)
  expect(lab.answer(answer, "priority_three_hosts", "count"), "M.priority_three_hosts", "count"):to_equal(before.p3)
end)

-- a list of thresholds as the student gave it, as "2,3,5" (sorted, each once)
local function thresholds(list, field)
  if type(list) ~= "table" then
    lab.feedback(("M.%s must be a list of thresholds, e.g. { 4, 5 }; got %s"):format(field, tostring(list)))
    return tostring(list)
  end
  local seen, out = {}, {}
  for _, t in ipairs(list) do
    local n = math.tointeger(tonumber(t))
    if n and not seen[n] then seen[n] = true; out[#out + 1] = n end
  end
  table.sort(out)
  return table.concat(out, ",")
end

check("which thresholds move", { number = "3", points = 2,
  hint = "A recommendation is acted on when its priority is at most the threshold; what does threshold 1 keep for itself?" },
  function()
  expect(thresholds(lab.answer(answer, "thresholds_two_hosts"), "thresholds_two_hosts"), "M.thresholds_two_hosts")
    :to_equal(moving("two"))
  expect(thresholds(lab.answer(answer, "thresholds_three_hosts"), "thresholds_three_hosts"), "M.thresholds_three_hosts")
    :to_equal(moving("three"))
end)

check("automation levels", { number = "4", points = 2,
  hint = "For each level: who decides where a VM powers on, and who decides whether a migration happens?" }, function()
  for _, a in ipairs({ "manual", "partially", "fully" }) do
    expect(lab.answer(answer, "vmotions_" .. a, "count"), "M.vmotions_" .. a, "count"):to_equal(modes_seen[a].moves)
    expect(lab.answer(answer, "recommendations_" .. a, "count"), "M.recommendations_" .. a, "count")
      :to_equal(modes_seen[a].recs)
    expect(lab.answer(answer, "state_after_power_on_" .. a), "M.state_after_power_on_" .. a):to_equal(power_state[a])
  end
end)

check("a VM DRS may not move", { number = "5", points = 1, reveal = "direction",
  hint = "Does a VM that DRS may not move still load its host? Then which VM is the next best to move?" }, function()
  expect(lab.answer(answer, "lim_with_big_disabled", "fraction"), "M.lim_with_big_disabled", "fraction")
    :to_be_near(before.off, 0.005)
  expect(lab.answer(answer, "moved_with_big_disabled"), "M.moved_with_big_disabled"):to_equal(moved_when_off)
end)

-- How a student function's result is shown: strings quoted (a priority given as "3" is not 3).
local function shown(v)
  if type(v) == "string" then return ("%q (a string: return a number)"):format(v) end
  return tostring(v)
end

-- A student function tried on clusters; each right case counts. `args(case)` gives its
-- arguments, `truth(case)` the engine's answer, `name(case)` what feedback calls it,
-- `same(got, truth)` (default ==) whether an answer is right, `what` what the
-- instructor's line calls the truth (default "<field> is"). An error is reported once,
-- not once per case.
local function score(fn, field, cases, args, truth, name, same, what)
  same = same or function(got, want) return got == want end
  local right = 0
  for _, case in ipairs(cases) do
    local ok, got = pcall(fn, table.unpack(args(case)))
    if ok and same(got, truth(case)) then right = right + 1 else
      print(("  [instructor] %s: %s %s, the answer gave %s"):format(name(case), what or (field .. " is"),
        tostring(truth(case)), tostring(got)))
      if ok then
        lab.feedback(("%s: M.%s gave %s"):format(name(case), field, shown(got)))
      else
        lab.feedback_once(tostring(got), ("%s: M.%s failed: %s"):format(name(case), field, tostring(got)))
      end
    end
  end
  return right
end

local function show_loads(loads)
  local parts = {}
  for i, l in ipairs(loads) do parts[i] = ("%.3f"):format(l) end
  return "loads " .. table.concat(parts, "/")
end

local function priority_cases(fn, cases)
  return score(fn, "priority", cases, function(s) return { s.loads, s.reading } end,
    function(s) return s.priority end, function(s) return show_loads(s.loads) .. " (reading " .. s.reading .. ")" end)
end

check("your own priority(loads, reading)", { number = "6", points = 2, reveal = "value",
  hint = "Compute the metric from the loads you are given, then the formula with the reading asked; remember the"
    .. " clamp, and that a balanced cluster gets no recommendation at all (nil)." }, function()
  lab.answer(answer, "priority", "function")
  local right = priority_cases(answer.priority, shapes)
  partial(right / #shapes)
  expect(right, "clusters answered right", "count"):to_equal(#shapes)
end)

-- target imbalance: clusters of n empty hosts with a threshold and a reading
local function target_case(n, threshold, reading, tag)
  local hosts = {}
  for i = 1, n do hosts[i] = lab.host{ name = tag .. "-t" .. i, cpus = 4, mhz = 2500, memory = "16 GiB" } end
  local c = lab.cluster{ name = tag, hosts = hosts }
  c:enable_drs{ threshold = threshold, reading = reading }
  return { n = n, threshold = threshold, reading = reading, target = c.drs.target_imbalance }
end

local function target_cases(fn, cases)
  return score(fn, "target_imbalance", cases, function(t) return { t.threshold, t.n, t.reading } end,
    function(t) return t.target end,
    function(t) return ("%d hosts, threshold %d, reading %s"):format(t.n, t.threshold, t.reading) end,
    function(got, target) return type(got) == "number" and (got == target or math.abs(got - target) < 1e-6) end,
    "target")
end

local targets = { target_case(2, 3, "A", "tgt1"), target_case(4, 2, "B", "tgt2"), target_case(3, 1, "A", "tgt3") }

check("your own target_imbalance(threshold, hosts, reading)", { number = "7", points = 1, reveal = "value",
  hint = "For which values of the metric is the priority at most the threshold? Is there a threshold that no"
    .. " imbalance is large enough for?" }, function()
  lab.answer(answer, "target_imbalance", "function")
  local right = target_cases(answer.target_imbalance, targets)
  partial(right / #targets)
  expect(right, "cases answered right", "count"):to_equal(#targets)
end)

return { cluster = cluster, priority_cases = priority_cases, target_case = target_case, target_cases = target_cases }
