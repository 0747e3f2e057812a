-- Lab 25: cgroup limits — reference solution.
local M = {}

-- Weighted max-min fairness (CFS between cgroups): each container gets at most what its
-- threads can use; what it leaves is shared by the others by weight.
function M.cpu_share(weights, threads, cpus)
  local out, open, left = {}, {}, cpus
  for i = 1, #weights do open[i] = true end
  while true do
    local w = 0
    for i in pairs(open) do w = w + weights[i] end
    if w == 0 then break end
    local capped = false
    for i in pairs(open) do
      if threads[i] <= left * weights[i] / w then
        out[i], left, open[i], capped = threads[i], left - threads[i], nil, true
      end
    end
    if not capped then
      for i in pairs(open) do out[i] = left * weights[i] / w end
      break
    end
  end
  return out
end

-- The quota is spent at full speed (one CPU per thread, at most the node's), then every
-- run queue it ran on is throttled to the period's end.
function M.quota(quota, period, threads, cpus)
  local burst = math.min(threads, cpus)
  local cap = quota / period
  if burst <= cap then return burst, 0 end
  return cap, burst * period - quota
end

-- memory_swap is memory + swap: unset → as much swap again as memory; -1 → unlimited.
function M.memory_outcome(memory, memory_swap, allocate)
  local swap
  if memory_swap == nil then swap = memory elseif memory_swap == -1 then swap = math.huge else swap = memory_swap - memory end
  if allocate <= memory then return "running", 0 end
  if allocate - memory > swap then return "oom-killed", 0 end
  return "running", allocate - memory
end

M.vm_state = "on"
M.why = "c"

return M
