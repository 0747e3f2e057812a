-- Lab 16 solution.
local M = {}

-- sizes are binary (100 MB/s = 100 MiB/s). Round 0: 4 GiB in 4 s, 400 MiB dirtied;
-- round 1: those 400 MiB in 0.39 s, 39 MiB dirtied ≤ 307.2 MiB (300 ms of the link):
-- stop the VM and send them
M.rounds = 2
M.downtime_seconds = 39.0625 / 1024                  -- ≈ 38.1 ms ("38.1 ms" works too)
M.total_seconds = 4 + 400 / 1024 + 39.0625 / 1024    -- ≈ 4.43 s

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
