-- Instructor-only: the student's policy on hosts and VMs the public checks do not use
-- (more pCPUs, SMP VMs, Low and numeric shares), so a policy tuned to the public
-- scenarios does not pass them. Never shipped to students.
local answer = lab.submission("answer.lua")

local hosts = 0
-- VMs ({ load, shares, vcpus }) on a host with `pcpus` pCPUs under the student's policy
-- for one minute: each VM's mean %RUN and %RDY and its shares. A policy that fails is
-- stopped with its VMs powered off, and the check fails (students see hide_errors).
local function scenario(pcpus, vms)
  hosts = hosts + 1
  local h = lab.host{ name = "hidden-host" .. hosts, cpus = pcpus, memory = "64 GiB", scheduler = answer.scheduler }
  local list = {}
  for i, spec in ipairs(vms) do
    local n = spec[3] or 1
    list[i] = h:create_vm{ name = h.name .. "-vm" .. i, vcpus = n, memory = "1 GiB", cpu = { shares = spec[2] or "normal" } }
    list[i]:power_on()
    list[i]:run(lab.workload.cpu{ threads = n, load = spec[1] })
  end
  local ok, err = pcall(lab.run_for, "1 min")
  local out = {}
  for i, vm in ipairs(list) do
    out[i] = { run = lab.series(vm, "cpu.run"):mean(), ready = lab.series(vm, "cpu.ready"):mean(), shares = vm.cpu.shares }
    vm:power_off()
  end
  if not ok then error(err, 0) end
  return out
end

local function jain(values)
  local sum, squares = 0, 0
  for _, x in ipairs(values) do sum, squares = sum + x, squares + x * x end
  return sum * sum / (#values * squares)
end

check("fairness on other hosts", { number = "H1", points = 2, visibility = "after_due_date",
  depends = "the policy is a lab.scheduler",
  hide_errors = "Your policy was not fair (Jain's index below 0.99) on a host the public checks do not use: "
             .. "seven busy VMs on three pCPUs, or three busy 2-vCPU VMs on four pCPUs." }, function()
  local right = 0
  local seven = scenario(3, { { 1 }, { 1 }, { 1 }, { 1 }, { 1 }, { 1 }, { 1 } })
  local smp = scenario(4, { { 1, nil, 2 }, { 1, nil, 2 }, { 1, nil, 2 } })
  local indexes = {}
  for k, r in ipairs({ seven, smp }) do
    local runs = {}
    for i, vm in ipairs(r) do runs[i] = vm.run end
    indexes[k] = jain(runs)
    if indexes[k] >= 0.99 then right = right + 1 end
  end
  print(("H1 Jain's index: 7 VMs on 3 pCPUs %.3f, 3 2-vCPU VMs on 4 pCPUs %.3f"):format(indexes[1], indexes[2]))
  partial(right / 2)
  expect(indexes[1], "Jain's index, seven busy VMs on three pCPUs"):to_be_at_least(0.99)
  expect(indexes[2], "Jain's index, three busy 2-vCPU VMs on four pCPUs"):to_be_at_least(0.99)
end)

check("other shares", { number = "H2", points = 2, visibility = "after_due_date",
  depends = "the policy is a lab.scheduler",
  hide_errors = "Your policy did not divide a pCPU by shares other than High and Normal (High against Low, "
             .. "or shares given as numbers)." }, function()
  local right, cases = 0, { { "high", "low" }, { 3000, 1000 } }
  for _, c in ipairs(cases) do
    local r = scenario(1, { { 1, c[1] }, { 1, c[2] } })
    local entitled = 100 * r[1].shares / (r[1].shares + r[2].shares)
    print(("H2 %s against %s: ran %.1f %%, entitled to %.1f %%"):format(tostring(c[1]), tostring(c[2]), r[1].run, entitled))
    c.run, c.entitled = r[1].run, entitled
    if math.abs(r[1].run - entitled) <= 3 then right = right + 1 end
  end
  partial(right / #cases)
  for _, c in ipairs(cases) do
    expect(c.run, ("%%RUN of the %s VM against %s"):format(tostring(c[1]), tostring(c[2])), "%"):to_be_near(c.entitled, 3)
  end
end)

check("an interactive VM on a bigger host", { number = "H3", points = 1, visibility = "after_due_date",
  depends = "the policy is a lab.scheduler",
  hide_errors = "An interactive VM (20 % load) among seven busy ones on three pCPUs waited too long "
             .. "(more than 5 % ready)." }, function()
  local r = scenario(3, { { 1 }, { 1 }, { 1 }, { 1 }, { 1 }, { 1 }, { 1 }, { 0.2 } })
  print(("H3 the interactive VM was ready %.2f %% of the time"):format(r[8].ready))
  expect(r[8].ready, "%RDY of the interactive VM", "%"):to_be_at_most(5)
end)
