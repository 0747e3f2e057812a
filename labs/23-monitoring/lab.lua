-- Lab 23: monitoring with vCenter's alarms. The student's alarm definitions (data) watch a
-- simulated month of a small cluster with incidents and harmless noise; they are graded on
-- turning the incidents red without raising alarms for the noise.
local answer = lab.submission("answer.lua", { simulate = false })
lab.reveal("none")
lab.statistics_level(1)           -- a month of a cluster: vCenter's basic counters suffice
lab.sample_interval("5 min")      -- a coarse interval keeps a month short to simulate (vCenter: 20 s)

local MIN, H, DAY = 60, 3600, 86400
local GiB = lab.bytes("1 GiB")

-- The fields an alarm definition of the answer may use; `on` is a kind.
local FIELDS = { name = true, on = true, metric = true, warning = true, critical = true, lasting = true,
                 below = true, counter = true, state = true, is = true, is_not = true, level = true,
                 event = true, message = true, reset = true, reset_message = true }
local KINDS = { vm = true, host = true, datastore = true, cluster = true }
-- How feedback shows the value that raised an alarm, by metric.
local UNITS = { ["cpu.usage"] = " %", ["memory.usage"] = " %", usage = " %", ["disk.max_latency"] = " ms" }
local units = {}

-- A small deterministic generator, so each month's noise comes from its own seed.
local function rng(seed)
  local x = seed
  return function(lo, hi)
    x = (x * 1103515245 + 12345) % 2147483648
    return lo + x % (hi - lo + 1)
  end
end

-- "day 4, 10:00" for a time `t` seconds into a month.
local function when(t)
  local d = t // DAY
  return ("day %d, %02d:%02d"):format(d + 1, (t % DAY) // H, (t % H) // MIN)
end

-- The answer's alarm definitions, each as lab.alarm options set on cluster `c`; a problem
-- with one becomes feedback naming it, and that definition is left out.
local function definitions(c, prefix, say)
  local out, problems = {}, 0
  local list = answer.alarms
  if type(list) ~= "table" then
    say(("M.alarms must be a list of alarm definitions, got %s"):format(type(list)))
    return out, 1
  end
  for i, d in ipairs(list) do
    local label = ("M.alarms[%d]"):format(i)
    if type(d) ~= "table" then
      say(("%s is %s, not a table such as { name = ..., on = \"vm\", metric = ..., warning = ... }"):format(label, type(d)))
      problems = problems + 1
    else
      local opts, bad = {}, nil
      for k, v in pairs(d) do
        if not FIELDS[k] then bad = ("field %s is not one an alarm definition takes here"):format(tostring(k)) end
        opts[k] = v
      end
      if not bad and not KINDS[d.on] then
        bad = ("on = %s: use \"vm\", \"host\", \"datastore\" or \"cluster\""):format(tostring(d.on))
      end
      if not bad and type(d.name) ~= "string" then bad = "it needs a name (a string)" end
      if not bad then
        opts.name = prefix .. d.name
        opts.target, opts.on = d.on, c
        local ok, a = pcall(lab.alarm, opts)
        if ok then
          out[#out + 1] = a
          units[a] = UNITS[d.metric]
        else
          bad = tostring(a):gsub("^[^:]*:%d+: ", "")
        end
      end
      if bad then
        say(("%s (%s): %s"):format(label, tostring(d.name), bad))
        problems = problems + 1
      end
    end
  end
  if #list == 0 then say("M.alarms is empty: no alarm watches the cluster") end
  return out, problems
end

-- One month of a cluster: `p` gives its names, the usual levels (the handout's ranges) and
-- the incidents. Builds it, sets the answer's alarms on it, runs the month and returns what
-- is needed to grade it.
local function month(p)
  local tag = p.tag
  local ds = lab.datastore{ name = tag .. "-ds", capacity = "400 GiB", kind = "ssd" }
  local hosts = {}
  for i = 1, 3 do
    hosts[i] = lab.host{ name = tag .. "-esx0" .. i, cpus = 8, memory = "64 GiB", scheduler = "fair", datastores = { ds } }
    -- memory management sampled as often as the statistics: a month simulates quickly
    hosts[i].reclaim.tps.enabled = false
    hosts[i].reclaim.sample_period = 300
    hosts[i].reclaim.balance_period = 300
  end
  local c = lab.cluster{ name = tag, hosts = hosts }
  c:enable_ha()
  local vms, byName = {}, {}
  for i, s in ipairs(p.vms) do
    local disks = { { size = "40 GiB", provisioning = "thin", datastore = ds } }
    -- the VM whose logs fill the datastore has a thin log disk, nearly empty at first
    if s.name == p.incidents.filling.vm then disks[2] = { size = "200 GiB", provisioning = "thin", datastore = ds } end
    local v = hosts[(i - 1) % 3 + 1]:create_vm{ name = tag .. "-" .. s.name, vcpus = 2, memory = "4 GiB", disks = disks }
    v:power_on()
    vms[i], byName[s.name] = { vm = v, cpu = s.cpu, mem = s.mem }, v
  end
  -- what the datastore holds besides the VMs (images, backups), to its usual usage
  hosts[1]:create_vm{ name = tag .. "-archive", memory = "1 GiB",
    disks = { { size = math.floor(p.datastore / 100 * ds.capacity - ds.used), provisioning = "thick-lazy", datastore = ds } } }
  local said = {}
  local alarms, problems = definitions(c, p.prefix, function(text) said[#said + 1] = text end)
  local t0 = lab.now()

  -- each VM's CPU load and memory: its usual level unless something overrides it
  local cpu, extra = {}, {}
  local function load(v, x)
    if v.vm.state ~= "on" or (v.stuck and x ~= v.stuck) then return end
    if cpu[v] then cpu[v]:stop() end
    cpu[v] = v.vm:run(lab.workload.cpu{ threads = 2, load = x })
  end
  local function usual(v)
    cpu[v] = nil
    load(v, v.cpu)
    v.vm:run(lab.workload.memory{ size = math.floor(v.mem / 100 * 4 * GiB) })
  end
  for _, v in ipairs(vms) do usual(v) end
  local function vm(name) for _, v in ipairs(vms) do if v.vm == byName[name] then return v end end end

  -- the month's timeline: { time, action }
  local events = {}
  local function at(t, f) events[#events + 1] = { t = t, f = f, n = #events } end
  local r = rng(p.seed)
  local batch = vm(p.batch.vm)
  for d = 0, 29 do
    local start = d * DAY + p.batch.at + r(0, 10) * MIN
    at(start, function() load(batch, p.batch.cpu / 100) end)
    at(start + r(p.batch.minutes[1], p.batch.minutes[2]) * MIN, function() load(batch, batch.cpu) end)
    for _ = 1, 2 do   -- spikes of a few minutes on any VM, at any time of day
      local v = vms[r(1, #vms)]
      local s = d * DAY + r(3, 22) * H + r(0, 59) * MIN
      at(s, function() load(v, 1) end)
      at(s + r(2, 4) * MIN, function() load(v, v.cpu) end)
    end
  end
  local incidents = {}
  local function incident(kind, object, from, to, related, text)
    incidents[#incidents + 1] = { kind = kind, object = object, from = t0 + from, to = t0 + to, related = related, text = text }
  end
  local x = p.incidents
  do -- a runaway VM: a process stuck in a loop
    local v = vm(x.runaway.vm)
    at(x.runaway.at, function() v.stuck = x.runaway.cpu / 100; load(v, v.stuck) end)
    at(x.runaway.at + x.runaway.hours * H, function() v.stuck = nil; load(v, v.cpu) end)
    incident("runaway", v.vm, x.runaway.at, x.runaway.at + x.runaway.hours * H, { v.vm, v.vm.host, c },
             ("%s ran away (%s, %d h)"):format(tostring(v.vm), when(x.runaway.at), x.runaway.hours))
  end
  do -- a memory-hungry VM: its working set grows to nearly all its memory
    local v = vm(x.hungry.vm)
    at(x.hungry.at, function()
      extra[v] = v.vm:run(lab.workload.memory{ size = math.floor((x.hungry.mem - v.mem) / 100 * 4 * GiB) })
    end)
    at(x.hungry.at + x.hungry.hours * H, function() extra[v]:stop() end)
    incident("memory", v.vm, x.hungry.at, x.hungry.at + x.hungry.hours * H, { v.vm, v.vm.host, c },
             ("%s's active memory grew (%s, %d h)"):format(tostring(v.vm), when(x.hungry.at), x.hungry.hours))
  end
  do -- a host failure: HA restarts its VMs on the others
    local h = hosts[x.failure.host]
    local on = {}
    at(x.failure.at, function()
      for _, v in ipairs(vms) do if v.vm.host == h then on[#on + 1] = v end end
      h:fail()
    end)
    at(x.failure.at + 5 * MIN, function() for _, v in ipairs(on) do cpu[v] = nil; usual(v) end end)
    at(x.failure.at + x.failure.hours * H, function() h:recover() end)
    local related = { c, table.unpack(hosts) }
    for _, v in ipairs(vms) do if v.vm.host == h then related[#related + 1] = v.vm end end
    incident("host", h, x.failure.at, x.failure.at + x.failure.hours * H, related,
             ("%s failed (%s, %d h)"):format(tostring(h), when(x.failure.at), x.failure.hours))
  end
  do -- the datastore fills: a VM's log disk grows until someone notices
    local v = vm(x.filling.vm)
    at(x.filling.at, function()
      -- whole GiB: a write ending in a fraction of a 1 MB block never finishes (storage model)
      local bytes = (math.floor(x.filling.to / 100 * ds.capacity - ds.used) // GiB) * GiB
      v.vm:run(lab.workload.disk{ write = bytes, rate = "400 MB/s", disk = 2 })
    end)
    incident("datastore", ds, x.filling.at, 30 * DAY, { ds, v.vm, c },
             ("%s filled up (%s)"):format(tostring(ds), when(x.filling.at)))
  end
  table.sort(events, function(a, b) return a.t < b.t or (a.t == b.t and a.n < b.n) end)
  for _, e in ipairs(events) do
    if t0 + e.t > lab.now() then lab.run_for(t0 + e.t - lab.now()) end
    e.f()
  end
  lab.run_for(t0 + 30 * DAY - lab.now())
  -- the month is over: its VMs stop, so a later month runs alone
  for _, v in ipairs(vms) do if v.vm.state ~= "off" then v.vm:power_off() end end
  return { alarms = alarms, problems = problems, said = said, incidents = incidents, t0 = t0, cluster = c, datastore = ds }
end

-- Grading a month: which incidents some alarm turned red on their object in time, and
-- which alarms (yellow or red) no incident explains.
local GRACE = 30 * MIN
local RANK = { green = 0, yellow = 1, red = 2 }
local function judge(m)
  local caught, worst, false_alarms = {}, {}, {}
  for order, a in ipairs(m.alarms) do
    for _, e in ipairs(a.history) do
      if e.to ~= "green" then
        local explained = false
        for _, inc in ipairs(m.incidents) do
          if e.time >= inc.from and e.time <= inc.to + GRACE then
            for _, o in ipairs(inc.related) do if o == e.subject then explained = true end end
            if e.subject == inc.object then
              if RANK[e.to] > RANK[worst[inc] or "green"] then worst[inc] = e.to end
              if e.to == "red" then caught[inc] = caught[inc] or e end
            end
          end
        end
        if not explained then false_alarms[#false_alarms + 1] = { alarm = a, entry = e, order = order } end
      end
    end
  end
  table.sort(false_alarms, function(x, y)
    return x.entry.time < y.entry.time or (x.entry.time == y.entry.time and x.order < y.order)
  end)
  return caught, false_alarms, worst
end

local function describe(m, f)
  local e = f.entry
  local value = type(e.value) == "number" and (" (%.1f%s)"):format(e.value, units[f.alarm] or "") or ""
  return ("%s turned %s %s on %s%s"):format(f.alarm.name:gsub("^[^:]*: ", ""), tostring(e.subject), e.to,
    when(e.time - m.t0), value)
end

local public = {
  tag = "prod", prefix = "", seed = 23,
  vms = { { name = "web01", cpu = 0.30, mem = 45 }, { name = "web02", cpu = 0.25, mem = 40 },
          { name = "app01", cpu = 0.40, mem = 55 }, { name = "app02", cpu = 0.35, mem = 50 },
          { name = "db01", cpu = 0.45, mem = 60 }, { name = "batch01", cpu = 0.10, mem = 30 } },
  datastore = 78,
  batch = { vm = "batch01", at = 1 * H, cpu = 80, minutes = { 30, 45 } },
  incidents = {
    runaway = { vm = "app01", at = 3 * DAY + 10 * H, hours = 3, cpu = 100 },
    hungry = { vm = "db01", at = 10 * DAY + 14 * H, hours = 6, mem = 97 },
    failure = { host = 2, at = 16 * DAY + 3 * H, hours = 2 },
    filling = { vm = "app02", at = 22 * DAY + 12 * H, to = 95 },
  },
}
local m = month(public)
local caught, false_alarms, worst = judge(m)
for _, inc in ipairs(m.incidents) do
  print(("[instructor] %s: %s"):format(inc.text, caught[inc] and ("red on " .. when(caught[inc].time - m.t0)) or "missed"))
end
for _, f in ipairs(false_alarms) do print("[instructor] false alarm: " .. describe(m, f)) end

check("your alarm definitions are accepted", { number = "1", points = 1, reveal = "value",
  hint = "Each definition is what lab.alarm{...} takes: a name, on = a kind, and a metric with thresholds"
    .. " (or a state); the message says which field is wrong." }, function()
  for _, text in ipairs(m.said) do lab.feedback(text) end
  expect(m.problems, "definitions refused", "count"):to_equal(0)
  expect(#m.alarms, "definitions accepted", "count"):to_be_at_least(1)
end)

local function incident_check(kind, number, points, title, hint)
  check(title, { number = number, points = points, reveal = "value", hint = hint }, function()
    for _, inc in ipairs(m.incidents) do
      if inc.kind == kind then
        if not caught[inc] then lab.feedback(("%s: none of your alarms turned it red"):format(inc.text)) end
        expect(worst[inc] or "green", ("the worst state your alarms gave %s then"):format(tostring(inc.object)))
          :to_equal("red")
      end
    end
  end)
end
incident_check("runaway", "2", 2, "the runaway VM is caught",
  "A VM stuck near full CPU for hours: which metric shows it, and which threshold does it cross that the"
    .. " usual load never does?")
incident_check("memory", "3", 2, "the memory-hungry VM is caught",
  "Which memory counter tells how much of its memory a VM really uses (vCenter's VM memory usage)?")
incident_check("host", "4", 2, "the failed host is caught",
  "What does a host that has failed report for its CPU or memory? Which kind of trigger sees it?")
incident_check("datastore", "5", 2, "the filling datastore is caught",
  "How full is the datastore usually, and how full does it get?")

-- Silence is easy: this check counts in proportion to the incidents caught.
local function quiet(caught_count, incidents, false_count)
  return caught_count / incidents * math.max(0, 1 - false_count / 4)
end

check("no false alarms", { number = "6", points = 3, reveal = "value",
  hint = "Look at what raised each false alarm: the usual nightly load, a spike of a few minutes, the usual"
    .. " datastore usage? A condition length counts in samples of 5 min. This check counts in proportion to"
    .. " the incidents your alarms catch." }, function()
  for i, f in ipairs(false_alarms) do
    if i <= 8 then lab.feedback("false alarm: " .. describe(m, f)) end
  end
  if #false_alarms > 8 then lab.feedback(("... and %d more"):format(#false_alarms - 8)) end
  local n = 0
  for _ in pairs(caught) do n = n + 1 end
  partial(quiet(n, #m.incidents, #false_alarms))
  expect(#false_alarms, "false alarms", "count"):to_equal(0)
  expect(n, "incidents caught", "count"):to_equal(#m.incidents)
end)

return { month = month, judge = judge, describe = describe, quiet = quiet, when = when, DAY = DAY, H = H }
