-- Lab 04 reference solution.
local M = {}

function M.share(a_shares, b_shares)
  return a_shares / (a_shares + b_shares)
end

M.low_share_run_without_contention = 100  -- a pCPU each: shares do not matter

function M.admits(capacity, reserved, request)
  return request <= capacity - reserved
end

M.busy_mhz_while_reserver_idle = 8000  -- 4 vCPUs × 2 GHz: the unused reservation is lent

M.limited_run = 25                  -- 500 MHz of 2 GHz
M.limited_mlmtd = 75                -- the rest of the time it was ready but held back

M.web_cpu = { reservation = "1.5 GHz" }
M.batch_cpu = { limit = "1 GHz" }

return M
