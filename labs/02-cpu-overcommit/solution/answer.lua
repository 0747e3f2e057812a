-- Lab 02 reference solution.
local M = {}

function M.ready_fraction(n, p)
  if n <= p then return 0 end
  return 1 - p / n
end

function M.ratio(host)
  local vcpus = 0
  for _, vm in ipairs(host.vms) do
    if vm.state == "on" then vcpus = vcpus + vm.vcpus end
  end
  return vcpus / host.cpus
end

function M.band(ratio)
  if ratio <= 3 then return "fine" end
  if ratio < 6 then return "may degrade" end
  return "problem"
end

-- 1 - p/n <= r  <=>  n <= p / (1 - r)
function M.max_vms(p, max_ready)
  return math.floor(p / (1 - max_ready) + 1e-9)
end

-- total demand n * load stays within p
function M.contention_starts(load, p)
  return math.floor(p / load + 1e-9)
end

function M.ready_percent(ready_ms, interval)
  return ready_ms / (interval * 1000) * 100
end

M.high_share_esx = 2 / 3          -- shares 2000 : 1000
M.high_share_round_robin = 1 / 2  -- equal turns, shares ignored

return M
