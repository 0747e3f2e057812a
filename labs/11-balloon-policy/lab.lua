-- Lab 11: a balloon-target policy written by the student. The host calls it every
-- balance period (15 s) and on each state change; the model checks every target it
-- returns. Verdicts come from what the simulated host then does.
local answer = lab.submission("answer.lua", { simulate = false })

-- A 12 GiB host: two idle VMs holding 4 GiB each (little of it active), a kiosk without
-- VMware Tools, and a busy VM that later allocates 5 GiB, all of it active.
local h = lab.host{ name = "esx01", cpus = 8, memory = "12 GiB" }
local function vm(name, tools)
  local v = h:create_vm{ name = name, memory = "6 GiB", guest = "ubuntu-22.04", tools = tools }
  v:power_on()
  return v
end
local idle1, idle2, kiosk, busy = vm("idle1", true), vm("idle2", true), vm("kiosk", false), vm("busy", true)

check("the policy is a balloon policy", { number = "1", points = 1,
  hint = "Build M.policy with lab.balloon_policy{ name = ..., target = function(view) ... end }." }, function()
  local policy = lab.answer(answer, "policy")
  local installed, why = pcall(function() h.reclaim.balloon.policy = policy end)
  if not installed then lab.feedback("M.policy could not be installed: " .. tostring(why)) end
  expect(installed, "M.policy is a balloon policy the host accepts"):to_be_true()
  expect(h.reclaim.balloon.policy, "the host's balloon policy"):to_be_set()
end)

for _, v in ipairs({ idle1, idle2 }) do v:run(lab.workload.memory{ size = "4 GiB", active = "256 MiB", rate = "256 MB/s" }) end
kiosk:run(lab.workload.memory{ size = "1 GiB", active = "256 MiB", rate = "256 MB/s" })
lab.run_for("5 min")
-- the largest sum of balloons while the host still had room (the first five minutes)
local ballooned_while_roomy = 0
for _, x in lab.series(h, "memory.ballooned"):points() do ballooned_while_roomy = math.max(ballooned_while_roomy, x) end

busy:run(lab.workload.memory{ size = "5 GiB", active = "5 GiB", rate = "16 MB/s" })
local ok, err = pcall(lab.run_for, "30 min")

-- the most of one metric summed over the VMs at any one sample
local function peak(metric, vms)
  local total = {}
  for _, v in ipairs(vms) do
    local i = 0
    for _, x in lab.series(v, metric):points() do
      i = i + 1
      total[i] = (total[i] or 0) + x
    end
  end
  local most = 0
  for _, x in ipairs(total) do most = math.max(most, x) end
  return most
end
-- how many times `host` entered the hard or low memory state
local function times_hard(host)
  local hard = 0
  for _, e in ipairs(lab.events{ kind = "memory.state", subject = host }) do
    if e.message:match("→ hard") or e.message:match("→ low") then hard = hard + 1 end
  end
  return hard
end
local all = { idle1, idle2, kiosk, busy }

check("every target the policy returns is valid", { number = "2", points = 2, depends = "the policy is a balloon policy",
  hint = "Targets must be sizes from 0 to each VM's max_balloon (0 without Tools), for powered-on VMs only." }, function()
  -- the error is about the student's own targets: which VM, what it returned, the range allowed
  if not ok then lab.feedback(tostring(err)) end
  expect(ok, "the run under your policy ended without an invalid target"):to_be_true()
end)

-- The limits below are stated in the handout, so failures may show them (reveal = "value").
check("no ballooning while the host has memory", { number = "3", points = 1, reveal = "value",
  depends = "every target the policy returns is valid",
  hint = "Ballooning costs the guest; in the high state there is nothing to reclaim." }, function()
  expect(ballooned_while_roomy, "memory ballooned before the busy VM started", "bytes"):to_equal(0)
end)

check("the host never compresses or swaps", { number = "4", points = 3, reveal = "value",
  depends = "every target the policy returns is valid",
  hint = "Inflate balloons early enough that free memory never falls to the hard state." }, function()
  local reclaimed = peak("memory.swapped", all) + peak("memory.compressed", all)
  expect(reclaimed, "memory compressed or swapped at the peak", "bytes"):to_be_at_most("16 MiB")
  expect(times_hard(h), "times the host entered hard or low", "count"):to_equal(0)
end)

check("the busy VM keeps its memory", { number = "5", points = 2, reveal = "value",
  depends = "every target the policy returns is valid",
  hint = "Which VMs hold memory they do not use? And can you trust the busy VM's active estimate while its "
      .. "working set is still growing?" }, function()
  expect(lab.series(busy, "memory.ballooned"):max(), "the busy VM's largest balloon", "bytes"):to_be_at_most("64 MiB")
  expect(busy.memory.consumed, "the busy VM's consumed memory at the end", "bytes"):to_be_at_least("4.9 GiB")
end)

return { peak = peak, times_hard = times_hard }
