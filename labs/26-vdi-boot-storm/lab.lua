-- Lab 26: a VDI boot storm — size a desktop pool and its datastore so that 9 a.m. stays
-- within a latency and %RDY target. Graded on what the simulation does with the
-- student's plan: every expected value comes from the simulated pool, hosts and datastore.
local answer = lab.submission("answer.lua", { simulate = false })
lab.reveal("value")   -- the targets are stated in the handout; the value shown is the student's own

-- The targets (stated in the handout) and the building blocks of every morning.
local vdi = {
  latency_target = 20,        -- ms, worst second of the morning
  ready_target = 10,          -- %, worst sample's mean %RDY of the desktops
  deadline = 30 * 60,         -- s after 9:00: everyone at work by 9:30
  oversize = 2,               -- IOPS bought per IOPS asked at the peak
  host = { cpus = 16, mhz = 2400, memory = "256 GiB" },
  desktop = { vcpus = 1, memory = "2 GiB", guest = "windows10", disk = "40 GiB" },
}
local kinds = { full = true, linked = true, instant = true }

-- The student's plan for `desktops`, checked; returns the plan or nil and the problem.
local function plan_for(desktops)
  local ok, plan = pcall(function() return answer.plan(desktops) end)
  if not ok then return nil, "M.plan failed: " .. tostring(plan) end
  if type(plan) ~= "table" then return nil, ("M.plan(%d) returned %s, not a table"):format(desktops, tostring(plan)) end
  if not kinds[plan.kind] then return nil, ("kind %s is not \"full\", \"linked\" or \"instant\""):format(tostring(plan.kind)) end
  local s = plan.stagger
  if type(s) == "string" then
    local good, v = pcall(lab.seconds, s)
    s = good and v or nil
  end
  if type(s) ~= "number" or s < 0 or s > 25 * 60 then
    local given = type(plan.stagger) == "number" and plan.stagger .. " s" or tostring(plan.stagger)
    return nil, ("stagger %s is not a duration from 0 to 25 min"):format(given)
  end
  if type(plan.iops) ~= "number" or plan.iops < 1 or plan.iops > 1e7 then
    return nil, ("iops %s is not a number of I/Os per second from 1 to 10000000"):format(tostring(plan.iops))
  end
  local whole = type(plan.hosts) == "number" and plan.hosts == math.floor(plan.hosts)
  if not whole or plan.hosts < 1 or plan.hosts > 12 then
    return nil, ("hosts %s is not a whole number from 1 to 12"):format(tostring(plan.hosts))
  end
  return { kind = plan.kind, stagger = s, iops = plan.iops, hosts = math.floor(plan.hosts) }
end

-- One morning: the pool is provisioned when the run starts (8:55), users arrive from 9:00.
local function morning(desktops, prefix)
  local plan, problem = plan_for(desktops)
  if not plan then return { problem = problem } end
  local ds = lab.datastore{ name = prefix .. "vdi-san", capacity = "20 TiB", kind = "san" }
  ds.iops = plan.iops
  local hosts = {}
  for i = 1, plan.hosts do
    hosts[i] = lab.host{ name = ("%sesx%02d"):format(prefix, i), cpus = vdi.host.cpus, mhz = vdi.host.mhz,
                         memory = vdi.host.memory, datastores = { ds } }
  end
  local d = vdi.desktop
  local gold = hosts[1]:create_vm{ name = prefix .. "win10-gold", vcpus = d.vcpus, memory = d.memory, guest = d.guest,
                                   disks = { { size = d.disk, provisioning = "thick-lazy", datastore = ds } } }
  -- the golden image holds 20 GiB: Windows, Office and the agents
  gold:power_on()
  local install = gold:run(lab.workload.disk{ write = "20 GiB", rate = "1 GB/s" })
  lab.run_until(function() return not install.running end, "1 h")
  gold:power_off()
  gold:to_template()
  local nine = lab.now() + 5 * 60
  local pool = lab.desktop_pool{ name = prefix .. "desk", template = gold, count = desktops, kind = plan.kind,
                                 hosts = hosts, datastore = ds, boot_at = nine, stagger = plan.stagger }
  lab.run_for(nine + vdi.deadline - lab.now())   -- to 9:30
  local over = 0
  for _, h in ipairs(hosts) do over = math.max(over, h.memory.overcommit) end
  local need = math.ceil(desktops * lab.bytes(d.memory) / lab.bytes(vdi.host.memory))
  return {
    pool = pool, plan = plan,
    started = pool.booting + pool.logging_in + pool.steady,
    steady_by = pool.steady_at and pool.steady_at - nine or -1,
    iops_per_peak = plan.iops / math.max(pool.peak_iops, 1),
    memory_overcommit = over,
    spare_hosts = plan.hosts - need,
    summary = ("%s, stagger %d s, %d IOPS, %d hosts"):format(plan.kind, plan.stagger, plan.iops, plan.hosts),
  }
end

-- The morning of 240 knowledge workers.
local run = morning(240, "")

check("the plan is complete", { points = 1,
  hint = "M.plan(desktops) returns { kind, stagger, iops, hosts }: see the handout for what each may be." },
  function()
  expect(run.problem or "none", "what is wrong with the plan"):to_equal("none")
end)

check("9 a.m.: datastore latency within 20 ms", { points = 2, depends = "the plan is complete",
  hint = "How many I/Os per second do the desktops ask for while they boot, and how does latency grow"
    .. " as a datastore nears its capacity?" },
  function()
  expect(run.started, "desktops that started (a storm needs them)", "count"):to_equal(240)
  expect(run.pool.peak_latency / 1000, "worst datastore latency", "seconds"):to_be_at_most(vdi.latency_target / 1000)
end)

check("9 a.m.: %RDY within 10 %", { points = 2, depends = "the plan is complete",
  hint = "A booting desktop keeps its vCPU busy; how many boot at the same time on one host?" },
  function()
  expect(run.started, "desktops that started (a storm needs them)", "count"):to_equal(240)
  expect(run.pool.peak_ready, "worst mean %RDY of the desktops", "%"):to_be_at_most(vdi.ready_target)
end)

check("every desktop at work by 9:30", { points = 1, depends = "the plan is complete",
  hint = "Can every desktop start, and finish booting and logging in, before 9:30?"
    .. " Think of what must be copied before a desktop can boot." },
  function()
  expect(run.pool.failed, "desktops that could not start", "count"):to_equal(0)
  expect(run.pool.steady, "desktops at work at 9:30", "count"):to_equal(240)
end)

check("the datastore is not oversized", { points = 1, depends = "the plan is complete",
  hint = "Buy the I/O the morning actually asks for, with headroom, not a multiple of it." },
  function()
  expect(run.iops_per_peak, "IOPS bought per IOPS asked at the peak", "fraction"):to_be_at_most(vdi.oversize)
end)

check("memory at most 1:1 with at most one spare host", { points = 1, depends = "the plan is complete",
  hint = "Desktops are planned without memory over-commitment; how many hosts does that take?" },
  function()
  expect(run.memory_overcommit, "largest host memory over-commitment", "fraction"):to_be_at_most(1)
  expect(run.spare_hosts, "hosts beyond what memory needs", "count"):to_be_at_most(1)
end)

local seen = run.pool or { peak_iops = 0, peak_latency = 0, peak_ready = 0 }
print(("instructor: %d desktops, plan %s; peak %d IOPS, %.1f ms, %%RDY %.1f, steady %.0f s after 9:00")
  :format(240, run.summary or tostring(run.problem), math.floor(seen.peak_iops), seen.peak_latency,
          seen.peak_ready, run.steady_by or -1))
