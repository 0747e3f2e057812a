-- Instructor-only: the student's tolerated_failures(hosts, vms) on clusters the public
-- checks do not try, judged by the failover capacity HA computes for each. Never shipped
-- to students.
local shared = ...
local answer = lab.submission("answer.lua")

local built = 0
-- Hosts { MHz, GiB }, powered-on VMs reserving { MHz, GiB } (placed in turn on the hosts),
-- HA with slot admission control: lab.lua's clusters, named apart.
local function cluster(host_sizes, vm_sizes)
  built = built + 1
  return shared.cluster(host_sizes, vm_sizes, "h-c" .. built)
end

local function score(clusters)
  local right = 0
  for _, cl in ipairs(clusters) do
    local ok, got = pcall(answer.tolerated_failures, cl.hosts, cl.vms)
    local k = ok and (math.tointeger(got) or math.tointeger(tonumber(got) or 0.5)) or nil
    if k == cl.capacity then right = right + 1 else
      print(("  [instructor] %s: failover capacity %d, the answer gave %s"):format(cl.tag, cl.capacity, tostring(got)))
    end
  end
  return right
end

local others = {
  -- CPU and memory slots bound different hosts
  cluster({ { 12000, 24 }, { 10000, 32 }, { 8000, 16 } },
          { { 2500, 2 }, { 1000, 4 }, { 1500, 3 }, { 2000, 2 }, { 500, 1 } }),
  -- memory-bound, equal hosts with CPU to spare: no failure can be taken
  cluster({ { 20000, 16 }, { 20000, 16 }, { 20000, 16 }, { 20000, 16 } },
          { { 1000, 6 }, { 500, 2 }, { 500, 2 }, { 500, 2 }, { 500, 2 }, { 500, 2 }, { 500, 2 } }),
  -- fractional slots on six hosts of three sizes
  cluster({ { 10000, 20 }, { 10000, 20 }, { 7000, 14 }, { 7000, 14 }, { 5000, 10 }, { 5000, 10 } },
          { { 3000, 6 }, { 2000, 4 }, { 1000, 2 }, { 1500, 1 } }),
}

check("tolerated_failures() on other clusters", { number = "H1", points = 2, visibility = "after_due_date",
  hide_errors = "tolerated_failures() gave a wrong number of host failures for a cluster the public checks do not try." },
  function()
  lab.answer(answer, "tolerated_failures", "function")
  local right = score(others)
  partial(right / #others)
  expect(right, "unseen clusters answered right", "count"):to_equal(#others)
end)

local edges = {
  -- not even one failure: the survivors cannot hold every VM
  cluster({ { 10000, 8 }, { 10000, 8 } }, { { 2500, 3 }, { 1000, 1 }, { 1000, 1 }, { 1000, 1 } }),
  -- one big host holds most slots: losing it is what counts
  cluster({ { 40000, 64 }, { 4000, 4 }, { 4000, 4 }, { 4000, 4 } }, { { 2000, 2 }, { 1000, 2 }, { 1000, 1 }, { 1000, 1 } }),
  -- a roomy cluster: every host but one may fail
  cluster({ { 20000, 64 }, { 20000, 64 }, { 20000, 64 }, { 20000, 64 }, { 20000, 64 } },
          { { 2000, 8 }, { 1000, 4 }, { 1000, 4 } }),
}

check("tolerated_failures() at the edges", { number = "H2", points = 1, visibility = "after_due_date",
  hide_errors = "tolerated_failures() was wrong for a cluster that can take no failure, one whose largest host holds"
    .. " most slots, or one where every host but one may fail." },
  function()
  lab.answer(answer, "tolerated_failures", "function")
  local right = score(edges)
  partial(right / #edges)
  expect(right, "unseen clusters answered right", "count"):to_equal(#edges)
end)
