-- Lab 11: a balloon-target policy written by the student. The host calls it every
-- balance period (15 s) and on each state change; the model checks every target it
-- returns. Verdicts come from what the simulated host then does.
local answer = lab.submission("answer.lua")

-- A 12 GiB host: two idle VMs holding 4 GiB each (little of it active), a kiosk without
-- VMware Tools, and a busy VM that later allocates 5 GiB, all of it active.
local h = lab.host{ name = "esx01", cpus = 8, memory = "12 GiB" }
local function vm(name, tools)
  local v = h:create_vm{ name = name, memory = "6 GiB", guest = "ubuntu-22.04", tools = tools }
  v:power_on()
  return v
end
local idle1, idle2, kiosk, busy = vm("idle1", true), vm("idle2", true), vm("kiosk", false), vm("busy", true)

check("the policy is a balloon policy", { number = "1", points = 1 }, function()
  expect(answer.policy, "M.policy"):to_be_set()
  h.reclaim.balloon.policy = answer.policy
  expect(h.reclaim.balloon.policy, "the host's balloon policy"):to_be_set()
end)

for _, v in ipairs({ idle1, idle2 }) do v:run(lab.workload.memory{ size = "4 GiB", active = "256 MiB", rate = "256 MB/s" }) end
kiosk:run(lab.workload.memory{ size = "1 GiB", active = "256 MiB", rate = "256 MB/s" })
lab.run_for("5 min")
local ballooned_while_roomy = h.memory.ballooned

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
local all = { idle1, idle2, kiosk, busy }

check("every target the policy returns is valid", { number = "2", points = 2,
  hint = "Targets must be sizes from 0 to each VM's max_balloon (0 without Tools), for powered-on VMs only." }, function()
  if not ok then print(err) end
  expect(ok, "the run under your policy finished without a policy error"):to_be_true()
end)

check("no ballooning while the host has memory", { number = "3", points = 1, depends = "every target the policy returns is valid",
  hint = "Ballooning costs the guest; in the high state there is nothing to reclaim." }, function()
  expect(ballooned_while_roomy, "memory ballooned before the busy VM started"):to_equal(0)
end)

check("the host never compresses or swaps", { number = "4", points = 3, depends = "every target the policy returns is valid",
  hint = "Inflate balloons early enough that free memory never falls to the hard state." }, function()
  expect(peak("memory.swapped", all) + peak("memory.compressed", all), "memory compressed or swapped"):to_be_at_most("16 MiB")
  local hard = 0
  for _, e in ipairs(lab.events{ kind = "memory.state", subject = h }) do
    if e.message:match("→ hard") or e.message:match("→ low") then hard = hard + 1 end
  end
  expect(hard, "times the host entered hard or low"):to_equal(0)
end)

check("the busy VM keeps its memory", { number = "5", points = 2, depends = "every target the policy returns is valid",
  hint = "Reclaim idle memory: consumed minus active." }, function()
  expect(lab.series(busy, "memory.ballooned"):max(), "the busy VM's largest balloon"):to_be_at_most("64 MiB")
  expect(busy.memory.consumed, "the busy VM's consumed memory"):to_be_at_least("4.9 GiB")
end)
