-- Lab 16 solution.
local M = {}

-- round 0: 4 GiB in 4 s, 400 MiB dirtied; round 1: 400 MiB in 0.39 s, 39 MiB dirtied ≤ 307 MiB
M.rounds = 2
M.downtime_ms = 39.0625 / 1024 * 1000
M.total_seconds = 4 + 400 / 1024 + 39.0625 / 1024

-- auto-converge: 20 % once pre-copy falls behind, then +10 % a round
M.qemu_throttles = { 0, 0.2, 0.3, 0.4 }
-- Xen resends the 3 GiB set until 3 × 4 GiB are sent, then stops the domain for it
M.xen_downtime_seconds = 3

M.passthrough_vm_migrates = false

function M.downtime(memory, bandwidth, dirty, wws, limit)
  local pending = memory
  while true do
    local left = math.min(wws, dirty * pending / bandwidth)
    if left <= bandwidth * limit then return left / bandwidth end
    pending = left
  end
end

return M
