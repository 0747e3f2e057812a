-- Lab 10 solution.
local M = {}

M.limited_consumed = "2 GiB"
M.app_powers_on = false   -- 4 GiB + overhead is more than the 4 GiB left unreserved

-- Shares per page ρ = S / (P × (f + k(1 − f))) with k = 1/(1 − τ): the idle VM (f = 0)
-- is charged k per page, the busy one (f = 1) one; equal ρ means P_idle / P_busy = 1/k.
function M.target_ratio(tax)
  return 1 - tax
end

M.shares_ratio = 4        -- 20 per MB against 5 per MB
M.guarded_max_reclaimed = "2 GiB"

-- 6. The first sample to see the change comes one period after it. A rise wins at once
--    (the estimate is the largest of the sample and the averages); after a fall the slow
--    average wins, and it keeps three quarters of the gap at each sample.
function M.active_estimate(before, after, t, period)
  local samples = math.floor(t / period)
  if samples == 0 then return before end
  if after >= before then return after end
  return after + (before - after) * 0.75 ^ samples
end

-- 7. Targets follow the estimate: up at the first balance after the next sample, down
--    step by step, one step per sample.
M.target_after_burst = "after one sample"
M.target_after_drop = "over several samples"

return M
