-- Lab 06: write a CPU scheduling policy. The student's `pick` function decides, every
-- 50 ms quantum, which runnable vCPUs get the pCPUs; the lab runs it on simulated hosts
-- and grades what the VMs experienced: fairness, work conservation, ready time, shares.
local answer = lab.submission("answer.lua")

local hosts = 0
-- Runs VMs (one per entry: { load, shares }) on a host with `pcpus` pCPUs scheduled by
-- the student's policy for one minute; returns each VM's mean %RUN and %RDY, and the
-- host's mean %used.
local function scenario(pcpus, vms)
  hosts = hosts + 1
  local h = lab.host{ name = "host" .. hosts, cpus = pcpus, memory = "64 GiB", scheduler = answer.scheduler }
  local list = {}
  for i, spec in ipairs(vms) do
    list[i] = h:create_vm{ name = h.name .. "-vm" .. i, memory = "1 GiB", cpu = { shares = spec[2] or "normal" } }
    list[i]:power_on()
    list[i]:run(lab.workload.cpu{ load = spec[1] })
  end
  lab.run_for("1 min")
  local out = { used = lab.series(h, "cpu.used"):mean() }
  for i, vm in ipairs(list) do
    out[i] = { run = lab.series(vm, "cpu.run"):mean(), ready = lab.series(vm, "cpu.ready"):mean() }
    vm:power_off()
  end
  return out
end

-- Jain's fairness index of a list of values: 1 when all equal, 1/n when one takes all.
local function jain(values)
  local sum, squares = 0, 0
  for _, x in ipairs(values) do sum, squares = sum + x, squares + x * x end
  return sum * sum / (#values * squares)
end

check("the policy is a lab.scheduler", { number = "0", points = 0 }, function()
  expect(answer.scheduler, "M.scheduler"):to_be_set()
  expect(tostring(answer.scheduler)):to_match("^Policy%(")
end)

check("fairness: six busy VMs on two pCPUs", { number = "1", points = 3, depends = "the policy is a lab.scheduler",
  hint = "Give the CPU to the vCPUs that have had the least of it so far." }, function()
  local r = scenario(2, { { 1 }, { 1 }, { 1 }, { 1 }, { 1 }, { 1 } })
  local runs, shown = {}, {}
  for i = 1, 6 do runs[i], shown[i] = r[i].run, ("%.1f"):format(r[i].run) end
  print("%RUN of each VM: " .. table.concat(shown, ", "))
  local index = jain(runs)
  -- partial credit grows from index 0.5 (two of six VMs starved) to 0.99
  if index < 0.99 then partial(math.min(0.8, math.max(0, (index - 0.5) / 0.49 * 0.8))) end
  expect(index, "Jain's fairness index"):to_be_at_least(0.99)
end)

check("work conservation: no idle pCPU while a vCPU waits", { number = "2", points = 2,
  depends = "the policy is a lab.scheduler",
  hint = "Return as many vCPUs as there are pCPUs, or all runnable ones if fewer." }, function()
  local r = scenario(4, { { 1 }, { 1 }, { 1 } })
  for i = 1, 3 do expect(r[i].run, "%RUN of VM " .. i, "%"):to_be_near(100, 1) end
end)

check("an interactive VM among busy ones gets the CPU promptly", { number = "3", points = 3,
  depends = "the policy is a lab.scheduler",
  hint = "A vCPU that has used little CPU (it was waiting for input) should run before CPU hogs." }, function()
  local r = scenario(2, { { 1 }, { 1 }, { 1 }, { 1 }, { 1 }, { 0.1 } })
  print(("the interactive VM was ready %.1f %% of the time"):format(r[6].ready))
  expect(r[6].ready, "%RDY of the interactive VM", "%"):to_be_at_most(5)
end)

check("shares: High gets twice the CPU of Normal", { number = "4", points = 2,
  depends = "the policy is a lab.scheduler",
  hint = "view.runnable[i].shares: divide what each vCPU got by its shares." }, function()
  local r = scenario(1, { { 1, "high" }, { 1, "normal" } })
  print(("High ran %.1f %%, Normal %.1f %%"):format(r[1].run, r[2].run))
  expect(r[1].run, "%RUN of the High VM", "%"):to_be_near(200 / 3, 3)
end)
