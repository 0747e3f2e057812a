-- Lab 05 reference solution.
local M = {}

function M.share(w1, w2)
  return w1 / (w1 + w2)
end

function M.capped_run(cap)
  if cap == 0 then return 100 end
  return math.min(cap, 100)
end

M.credits_burned_per_slice = 300  -- 10 credits per ms × 30 ms
M.credit_floor = -300

function M.priority(credit)
  return credit >= 0 and "UNDER" or "OVER"
end

M.io_domain_ready = 0  -- BOOSTed on wake: it preempts the hog at once

M.gold = { weight = 1024 }          -- 1024 : 256 gives 80 %
M.bronze = { weight = 256, cap = 20 }

return M
