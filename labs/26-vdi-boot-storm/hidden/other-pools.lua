-- Instructor-only: M.plan for pool sizes the public checks do not use (120 and 360
-- desktops), graded on the same simulated outcome. Never shipped to students. Runs after
-- lab.lua in the same world: names start with "h-", the clock has moved on.
local answer = lab.submission("answer.lua")
local kinds = { full = true, linked = true, instant = true }
local GiB = lab.bytes("1 GiB")

-- The mornings before this one are over: their desktops are shut down (they would only
-- cost simulation time; no check reads them any more).
local function shut_down_earlier()
  for _, v in ipairs(lab.vms()) do
    if v.state == "on" then v:power_off() end
  end
end

local function morning(desktops, prefix)
  shut_down_earlier()
  local ok, plan = pcall(function() return answer.plan(desktops) end)
  if not ok or type(plan) ~= "table" or not kinds[plan.kind] then return nil end
  local stagger = plan.stagger
  if type(stagger) == "string" then
    local good, v = pcall(lab.seconds, stagger)
    stagger = good and v or nil
  end
  if type(stagger) ~= "number" or stagger < 0 or stagger > 25 * 60 then return nil end
  if type(plan.iops) ~= "number" or plan.iops < 1 or plan.iops > 1e7 then return nil end
  if type(plan.hosts) ~= "number" or plan.hosts ~= math.floor(plan.hosts) or plan.hosts < 1 or plan.hosts > 12 then return nil end
  local ds = lab.datastore{ name = prefix .. "vdi-san", capacity = "40 TiB", kind = "san" }
  ds.iops = plan.iops
  local hosts = {}
  for i = 1, plan.hosts do
    hosts[i] = lab.host{ name = ("%sesx%02d"):format(prefix, i), cpus = 16, mhz = 2400, memory = "256 GiB",
                         datastores = { ds } }
  end
  local gold = hosts[1]:create_vm{ name = prefix .. "gold", vcpus = 1, memory = "2 GiB", guest = "windows10",
                                   disks = { { size = "40 GiB", provisioning = "thick-lazy", datastore = ds } } }
  -- the golden image holds 20 GiB: Windows, Office and the agents
  gold:power_on()
  local install = gold:run(lab.workload.disk{ write = "20 GiB", rate = "1 GB/s" })
  lab.run_until(function() return not install.running end, "1 h")
  gold:power_off()
  gold:to_template()
  local nine = lab.now() + 5 * 60
  local pool = lab.desktop_pool{ name = prefix .. "desk", template = gold, count = desktops, kind = plan.kind,
                                 hosts = hosts, datastore = ds, boot_at = nine, stagger = stagger }
  lab.run_for(nine + 30 * 60 - lab.now())   -- to 9:30
  local over = 0
  for _, h in ipairs(hosts) do over = math.max(over, h.memory.overcommit) end
  local good = pool.steady == desktops and pool.peak_latency <= 20 and pool.peak_ready <= 10 and pool.failed == 0
    and plan.iops <= 2 * pool.peak_iops and over <= 1
    and plan.hosts - math.ceil(desktops * 2 * GiB / (256 * GiB)) <= 1
  print(("hidden %s: %d desktops, %s, peak %d IOPS, %.1f ms, %%RDY %.1f -> %s"):format(prefix, desktops, plan.kind,
    math.floor(pool.peak_iops), pool.peak_latency, pool.peak_ready, tostring(good)))
  return good
end

local small = morning(120, "h-s-")
check("a smaller pool's morning", { number = "H1", points = 2, visibility = "after_due_date",
  hide_errors = "For a smaller pool, the plan missed a target (latency, %RDY, 9:30, datastore size or hosts)." },
  function()
  expect(small, "the 120-desktop morning within every target"):to_be_true()
end)

local large = morning(360, "h-l-")
check("a larger pool's morning", { number = "H2", points = 2, visibility = "after_due_date",
  hide_errors = "For a larger pool, the plan missed a target (latency, %RDY, 9:30, datastore size or hosts)." },
  function()
  expect(large, "the 360-desktop morning within every target"):to_be_true()
end)
