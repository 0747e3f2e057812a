-- Lab 25: cgroup limits. CPU quota against weights, and a container's OOM kill against a
-- VM's memory reclamation. Every verdict comes from simulated Linux nodes and hosts.
local answer = lab.submission("answer.lua", { simulate = false })
lab.reveal("direction")

local nodes = 0
-- A fresh Linux node (no hypervisor) with `cpus` CPUs.
local function node(cpus)
  nodes = nodes + 1
  return lab.host{ name = "node" .. nodes, cpus = cpus, memory = "64 GiB", hypervisor = "none", swap = "8 GiB" }
end

-- CPU-bound containers with these weights and thread counts on a fresh node of `cpus`
-- CPUs; returns the CPUs each one uses after a minute, then stops them.
local function measure_weights(weights, threads, cpus)
  local n = node(cpus)
  local ks = {}
  for i, w in ipairs(weights) do
    ks[i] = n:run_container{ name = ("%s-w%d"):format(n.name, i), cpu_weight = w }
    ks[i]:run(lab.workload.cpu{ threads = threads[i] })
  end
  lab.run_for("1 min")
  local out = {}
  for i, k in ipairs(ks) do out[i] = k.cpu.usage / 100 end
  for _, k in ipairs(ks) do k:stop() end
  return out
end

-- One container with a quota (`quota` µs per `period` µs) and `threads` busy threads on
-- an idle node of `cpus` CPUs: the CPUs it uses and its throttled time per period (µs).
local function measure_quota(quota, period, threads, cpus)
  local n = node(cpus)
  local k = n:run_container{ name = n.name .. "-q", cpu_quota = quota, cpu_period = period }
  k:run(lab.workload.cpu{ threads = threads })
  lab.run_for("30 s")
  local used, per = k.cpu.usage / 100, k.cpu.throttled_usec / math.max(1, k.cpu.nr_periods)
  k:stop()
  return used, per
end

-- A container with docker-like `memory` and `memory_swap` (nil = unset) allocating
-- `allocate` bytes: its state after a minute and the bytes it has in swap.
local function measure_memory(memory, memory_swap, allocate)
  local n = node(4)
  local k = n:run_container{ name = n.name .. "-m", memory = memory, memory_swap = memory_swap }
  lab.run_for("1 s")
  k:run(lab.workload.memory{ size = allocate })
  lab.run_for("1 min")
  local state, swap = k.state, k.memory.swap
  if k.state == "running" then k:stop() end
  return state, swap
end

-- A number of CPUs from a student's value (a number, or a percentage string "150%").
local function cpus_of(v)
  if type(v) == "number" then return v end
  if type(v) == "string" then
    local p = tonumber(v:match("^%s*([%d%.]+)%s*%%%s*$"))
    if p then return p / 100 end
  end
  return nil
end

local function near(a, b) return a and math.abs(a - b) <= 0.02 * math.max(1, math.abs(b)) end

-- Scores M.cpu_share on `cases` ({ weights, threads, cpus }): the number right.
local function score_shares(cases, public)
  local f = lab.answer(answer, "cpu_share", "function")
  local tell = public and lab.feedback_once or function() end
  local right = 0
  for _, case in ipairs(cases) do
    local want = measure_weights(case[1], case[2], case[3])
    local call = ("cpu_share({%s}, {%s}, %d)"):format(table.concat(case[1], ", "), table.concat(case[2], ", "), case[3])
    local ok, got = pcall(f, case[1], case[2], case[3])
    if not ok then
      tell(tostring(got), call .. " failed: " .. tostring(got))
    elseif type(got) ~= "table" then
      tell("table", call .. " must return a table of CPUs, one per container; it returned " .. tostring(got))
    else
      local good = true
      for i = 1, #want do if not near(cpus_of(got[i]), want[i]) then good = false end end
      if good then right = right + 1 else tell(call, call .. ": not every container's CPU is right") end
      print(call, "expected", table.concat(want, ", "))
    end
  end
  return right
end

-- Scores M.quota on `cases` ({ quota, period, threads, cpus }).
local function score_quota(cases, public)
  local f = lab.answer(answer, "quota", "function")
  local tell = public and lab.feedback_once or function() end
  local right = 0
  for _, case in ipairs(cases) do
    local used, per = measure_quota(case[1], case[2], case[3], case[4])
    local call = ("quota(%d, %d, %d, %d)"):format(case[1], case[2], case[3], case[4])
    local ok, u, t = pcall(f, case[1], case[2], case[3], case[4])
    if not ok then
      tell(tostring(u), call .. " failed: " .. tostring(u))
    else
      local cu, ct = cpus_of(u), tonumber(t)
      if near(cu, used) and ct and math.abs(ct - per) <= 0.01 * math.max(1000, per) then
        right = right + 1
      else
        tell(call, ("%s returned %s CPUs, %s µs throttled per period: %s"):format(call, tostring(u), tostring(t),
          near(cu, used) and "the throttled time is not right" or "the CPU used is not right"))
      end
      print(call, "expected", used, per)
    end
  end
  return right
end

-- Scores M.memory_outcome on `cases` ({ memory, memory_swap, allocate }).
local function score_memory(cases, public)
  local f = lab.answer(answer, "memory_outcome", "function")
  local tell = public and lab.feedback_once or function() end
  local right = 0
  for _, case in ipairs(cases) do
    local state, swap = measure_memory(case[1], case[2], case[3])
    local call = ("memory_outcome(%s, %s, %s)"):format(lab.format.bytes(case[1]),
      case[2] == nil and "nil" or (case[2] == -1 and "-1" or lab.format.bytes(case[2])), lab.format.bytes(case[3]))
    local ok, s, w = pcall(f, case[1], case[2], case[3])
    if not ok then
      tell(tostring(s), call .. " failed: " .. tostring(s))
    else
      local sw = lab.size_of(w)
      if s == state and (state ~= "running" or (sw and math.abs(sw - swap) <= lab.bytes("1 MiB"))) then
        right = right + 1
      else
        tell(call, ("%s returned %s, %s: %s"):format(call, tostring(s), tostring(w),
          s == state and "the swap is not right" or "the container does not end that way"))
      end
      print(call, "expected", state, swap)
    end
  end
  return right
end

check("weights share contended CPU: cpu_share(weights, threads, cpus)", { number = "1", points = 3, reveal = "value",
  hint = "Weights divide only the CPU that is contended, and a container never gets more than its busy threads "
      .. "can use. What happens to the CPU a small container leaves?" }, function()
  local cases = { { { 200, 100 }, { 1, 1 }, 1 }, { { 100, 100, 400 }, { 4, 4, 1 }, 4 }, { { 50, 100 }, { 8, 8 }, 8 } }
  local right = score_shares(cases, true)
  partial(right / #cases)
  expect(right, "cases answered right", "count"):to_equal(#cases)
end)

check("a quota is not work-conserving: quota(quota_us, period_us, threads, cpus)", { number = "2", points = 3, reveal = "value",
  hint = "On an idle node, how fast do the threads run until the quota is spent, and what happens for the rest "
      .. "of the period? Throttled time is counted on every CPU the group was running on." }, function()
  local cases = { { 50000, 100000, 1, 8 }, { 150000, 100000, 2, 8 }, { 20000, 50000, 4, 2 } }
  local right = score_quota(cases, true)
  partial(right / #cases)
  expect(right, "cases answered right", "count"):to_equal(#cases)
end)

check("memory.max, swap and the OOM killer: memory_outcome(memory, memory_swap, allocate)",
  { number = "3", points = 3, reveal = "value",
    hint = "Docker's memory_swap is memory plus swap. What does unset mean, and what does -1 mean? What does the "
        .. "kernel do when a cgroup's memory cannot go anywhere?" }, function()
  local cases = { { lab.bytes("512 MiB"), lab.bytes("512 MiB"), lab.bytes("600 MiB") },
                  { lab.bytes("512 MiB"), nil, lab.bytes("600 MiB") },
                  { lab.bytes("256 MiB"), nil, lab.bytes("600 MiB") },
                  { lab.bytes("256 MiB"), -1, lab.bytes("600 MiB") } }
  local right = score_memory(cases, true)
  partial(right / #cases)
  expect(right, "cases answered right", "count"):to_equal(#cases)
end)

check("a VM with the same limit: M.vm_state", { number = "4", points = 1, reveal = "none",
  hint = "Who enforces a VM's memory limit, and does the guest ever learn that it exists?" }, function()
  local h = lab.host{ name = "esx-vm", cpus = 4, memory = "16 GiB" }
  local vm = h:create_vm{ name = "vm512", memory = "1 GiB", mem = { limit = "512 MiB" } }
  vm:power_on()
  vm.guest:touch("600 MiB")
  lab.run_for("10 min")
  local reclaimed = vm.memory.ballooned + vm.memory.compressed + vm.memory.swapped
  print("vm state", vm.state, "reclaimed", lab.format.bytes(reclaimed))
  expect(lab.answer(answer, "vm_state", "string"), "M.vm_state"):to_equal(vm.state)
end)

check("why the two differ: M.why", { number = "5", points = 1, reveal = "none",
  hint = "Compare where each limit is enforced: inside the kernel the processes run on, or outside the guest." }, function()
  local why = lab.answer(answer, "why", "string")
  expect(why, "M.why"):to_hash("sha256:2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6")
end)

return { score_shares = score_shares, score_quota = score_quota, score_memory = score_memory }
