-- Lab 21: DRS balancing — a reference solution.
local M = {}

-- 1. Loads 0.8 and 0.2: mean 0.5, both 0.3 away: population SD 0.3. Loads 0.55/0.50/0.45:
--    sqrt((0.05² + 0 + 0.05²) / 3) ≈ 0.0408.
M.lim_two_hosts = 0.3
M.lim_three_hosts = 0.0408

-- 2. A: 6 − ceil(3 · √2 = 4.24) = 1, but priority 1 is for mandatory moves: clamped to 2.
--    B: 6 − ceil(0.3 / 0.141 = 2.12) = 3. Three hosts: 6 − ceil(0.408 · 1.73 = 0.71) = 5.
M.priority_reading_a = 2
M.priority_reading_b = 3
M.priority_three_hosts = 5

-- 3. A move is made when its priority ≤ the threshold; threshold 1 makes only mandatory moves.
M.thresholds_two_hosts = { 2, 3, 4, 5 }
M.thresholds_three_hosts = { 5 }

-- 4. Manual: everything is a recommendation (the new VM waits for its placement to be
--    applied); partially: placement automatic, the move recommended; fully: both done.
M.vmotions_manual, M.recommendations_manual, M.state_after_power_on_manual = 0, 1, "off"
M.vmotions_partially, M.recommendations_partially, M.state_after_power_on_partially = 0, 1, "on"
M.vmotions_fully, M.recommendations_fully, M.state_after_power_on_fully = 1, 0, "on"

-- 5. big still counts: the metric is 0.3; moving a2 (2.75 GHz) leaves 0.525/0.475, the best
--    of the movable VMs.
M.lim_with_big_disabled = 0.3
M.moved_with_big_disabled = "a2"

local function sd(loads)
  local n, mean = #loads, 0
  for _, l in ipairs(loads) do mean = mean + l end
  mean = mean / n
  local v = 0
  for _, l in ipairs(loads) do v = v + (l - mean) ^ 2 end
  return math.sqrt(v / n)
end

function M.priority(loads, reading)
  local n, lim = #loads, sd(loads)
  if n < 2 or lim <= 0 then return nil end
  local x = reading == "B" and lim / (0.1 * math.sqrt(n)) or (lim / 0.1) * math.sqrt(n)
  local raw = math.ceil(x - 1e-9)
  if raw < 1 then return nil end
  return math.min(5, math.max(2, 6 - raw))
end

function M.target_imbalance(threshold, hosts, reading)
  if threshold < 2 then return math.huge end
  local root = math.sqrt(hosts)
  return reading == "B" and 0.1 * (5 - threshold) * root or 0.1 * (5 - threshold) / root
end

return M
