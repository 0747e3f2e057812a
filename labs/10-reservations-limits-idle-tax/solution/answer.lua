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

return M
