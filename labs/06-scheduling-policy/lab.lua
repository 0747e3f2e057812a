-- Lab 06: write a CPU scheduling policy. The student's `pick` function decides, every
-- 50 ms quantum, which runnable vCPUs get the pCPUs; the lab runs it on simulated hosts
-- and grades what the VMs experienced: fairness, work conservation, ready time, shares.
local answer = lab.submission("answer.lua", { simulate = false })

local hosts = 0
-- Runs VMs (one per entry: { load, shares }) on a host with `pcpus` pCPUs scheduled by
-- the student's policy for `time` (one minute); returns each VM's mean %RUN and %RDY.
-- A policy that fails stops the run: its VMs are powered off, so later scenarios are not
-- disturbed, and the check fails with the engine's reason.
local function scenario(pcpus, vms, time)
  hosts = hosts + 1
  local h = lab.host{ name = "host" .. hosts, cpus = pcpus, memory = "64 GiB", scheduler = answer.scheduler }
  local list = {}
  for i, spec in ipairs(vms) do
    list[i] = h:create_vm{ name = h.name .. "-vm" .. i, memory = "1 GiB", cpu = { shares = spec[2] or "normal" } }
    list[i]:power_on()
    list[i]:run(lab.workload.cpu{ load = spec[1] })
  end
  local ok, err = pcall(lab.run_for, time or "1 min")
  local out = {}
  for i, vm in ipairs(list) do
    out[i] = { run = lab.series(vm, "cpu.run"):mean(), ready = lab.series(vm, "cpu.ready"):mean() }
    vm:power_off()
  end
  if not ok then error((tostring(err):gsub("^[^:]*:%d+: ", "")), 0) end
  return out
end

-- Jain's fairness index of a list of values: 1 when all equal, 1/n when one takes all.
local function jain(values)
  local sum, squares = 0, 0
  for _, x in ipairs(values) do sum, squares = sum + x, squares + x * x end
  return sum * sum / (#values * squares)
end

check("the policy is a lab.scheduler", { number = "0", points = 0,
  hint = "M.scheduler must be the value lab.scheduler{ name = ..., quantum = ..., pick = ... } returns, and "
      .. "pick must return a list of ids of runnable vCPUs, at most view.pcpus of them, none twice." }, function()
  local scheduler = lab.answer(answer, "scheduler")
  expect(tostring(scheduler), "M.scheduler"):to_match("^Policy%(")
  -- a short trial, so that a policy that cannot run gives one message, here (hosts run
  -- their CPU schedulers sample by sample: the trial covers a whole 20 s sample)
  scenario(2, { { 1 }, { 1 }, { 0.1 } }, "20 s")
end)

-- the targets of checks 1-3 are stated in the handout, so their failures may show them
check("fairness: six busy VMs on two pCPUs", { number = "1", points = 3, depends = "the policy is a lab.scheduler",
  reveal = "value",
  hint = "Which vCPUs does your policy leave waiting quantum after quantum? Compare the .run of the runnable "
      .. "vCPUs." }, function()
  local r = scenario(2, { { 1 }, { 1 }, { 1 }, { 1 }, { 1 }, { 1 } })
  local runs, shown = {}, {}
  for i = 1, 6 do runs[i], shown[i] = r[i].run, ("%.1f %%"):format(r[i].run) end
  lab.feedback("with your policy, the %RUN of each VM was: " .. table.concat(shown, ", "))
  local index = jain(runs)
  -- partial credit grows from index 0.5 (two of six VMs starved) to 0.99
  if index < 0.99 then partial(math.min(0.8, math.max(0, (index - 0.5) / 0.49 * 0.8))) end
  expect(index, "Jain's fairness index"):to_be_at_least(0.99)
end)

check("work conservation: no idle pCPU while a vCPU waits", { number = "2", points = 2,
  depends = "the policy is a lab.scheduler", reveal = "value",
  hint = "Count the ids your policy returns each quantum: is a pCPU left idle while a vCPU is runnable?" }, function()
  local r = scenario(4, { { 1 }, { 1 }, { 1 } })
  for i = 1, 3 do expect(r[i].run, "%RUN of VM " .. i, "%"):to_be_near(100, 1) end
end)

check("an interactive VM among busy ones gets the CPU promptly", { number = "3", points = 3,
  depends = "the policy is a lab.scheduler", reveal = "value",
  hint = "The interactive VM has used little CPU when it wakes up. Does your policy let it go before the "
      .. "CPU hogs, or make it wait its turn?" }, function()
  local r = scenario(2, { { 1 }, { 1 }, { 1 }, { 1 }, { 1 }, { 0.1 } })
  lab.feedback(("with your policy, the interactive VM was ready %.1f %% of the time"):format(r[6].ready))
  expect(r[6].ready, "%RDY of the interactive VM", "%"):to_be_at_most(5)
end)

-- the target, twice Normal's CPU on one pCPU, is the handout's; failures say only too high or too low
check("shares: High gets twice the CPU of Normal", { number = "4", points = 2,
  depends = "the policy is a lab.scheduler", reveal = "direction",
  hint = "Look at view.runnable[i].shares: when a High vCPU and a Normal one have run equally long, which "
      .. "one has had less than it is entitled to?" }, function()
  local r = scenario(1, { { 1, "high" }, { 1, "normal" } })
  lab.feedback(("with your policy, High ran %.1f %% and Normal %.1f %% of the time"):format(r[1].run, r[2].run))
  expect(r[1].run, "%RUN of the High VM", "%"):to_be_near(200 / 3, 3)
end)
