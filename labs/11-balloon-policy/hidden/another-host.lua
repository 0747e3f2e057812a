-- Instructor-only: the student's balloon policy on a host the public checks do not try —
-- another size, an idle VM whose reservation caps its balloon below its idle memory, a
-- larger busy VM. Never shipped to students; `hyperlab pack` puts it only in the autograder.
local shared = ...
local answer = lab.submission("answer.lua")

-- The public host keeps its VMs but goes back to ESXi's own targets, so the policy runs
-- here alone (a policy keeping state between calls sees one host).
for _, host in ipairs(lab.hosts()) do host.reclaim.balloon.policy = nil end

local h = lab.host{ name = "hidden-esx", cpus = 8, memory = "16 GiB" }
local function vm(name, memory, options)
  local v = h:create_vm{ name = "hidden-" .. name, memory = memory, guest = "ubuntu-22.04",
                         tools = options.tools, mem = { reservation = options.reservation } }
  v:power_on()
  return v
end
local capped = vm("capped", "8 GiB", { reservation = "3 GiB" })   -- max_balloon 5 GiB, over 6 GiB idle
local idle = vm("idle", "6 GiB", {})
local kiosk = vm("kiosk", "4 GiB", { tools = false })
local busy = vm("busy", "8 GiB", {})
local all = { capped, idle, kiosk, busy }

local installed = pcall(function() h.reclaim.balloon.policy = answer.policy end)
capped:run(lab.workload.memory{ size = "6.5 GiB", active = "512 MiB", rate = "256 MB/s" })
idle:run(lab.workload.memory{ size = "4 GiB", active = "256 MiB", rate = "256 MB/s" })
kiosk:run(lab.workload.memory{ size = "1 GiB", active = "256 MiB", rate = "256 MB/s" })
local ok, err = false, "the policy could not be installed"
local roomy_ballooned
if installed then
  ok, err = pcall(lab.run_for, "5 min")
  roomy_ballooned = 0
  for _, x in lab.series(h, "memory.ballooned"):points() do roomy_ballooned = math.max(roomy_ballooned, x) end
  busy:run(lab.workload.memory{ size = "7 GiB", active = "7 GiB", rate = "16 MB/s" })
  if ok then ok, err = pcall(lab.run_for, "30 min") end
end
if not ok then print("H1 policy run: " .. tostring(err)) end

-- the most of one metric summed over this host's VMs at any one sample, as in lab.lua
local function peak(metric) return shared.peak(metric, all) end

check("the policy on another host: valid targets, no compression or swapping", { number = "H1", points = 2,
  visibility = "after_due_date",
  hide_errors = "On a host of another size, with a VM whose reservation caps its balloon, the policy returned an "
             .. "invalid target or let the host compress, swap or reach the hard state." }, function()
  expect(ok, "the run under the policy finished without a policy error"):to_be_true()
  local reclaimed = peak("memory.swapped") + peak("memory.compressed")
  print(("H1 compressed or swapped at the peak: %s"):format(lab.format.bytes(reclaimed)))
  expect(reclaimed, "memory compressed or swapped", "bytes"):to_be_at_most("16 MiB")
  expect(shared.times_hard(h), "times the host entered hard or low", "count"):to_equal(0)
end)

check("the policy on another host: the busy VM keeps its memory", { number = "H2", points = 1,
  visibility = "after_due_date",
  hide_errors = "On a host of another size, the policy stopped on an invalid target, ballooned while the host had "
             .. "memory to spare, or took memory from the VM that was using it." }, function()
  expect(ok, "the run under the policy finished without a policy error"):to_be_true()
  print(("H2 ballooned while roomy %s; busy's largest balloon %s, consumed %s"):format(
    lab.format.bytes(roomy_ballooned), lab.format.bytes(lab.series(busy, "memory.ballooned"):max()),
    lab.format.bytes(busy.memory.consumed)))
  expect(roomy_ballooned, "memory ballooned before the busy VM started", "bytes"):to_equal(0)
  expect(lab.series(busy, "memory.ballooned"):max(), "the busy VM's largest balloon", "bytes"):to_be_at_most("64 MiB")
  expect(busy.memory.consumed, "the busy VM's consumed memory", "bytes"):to_be_at_least("6.9 GiB")
end)
