-- Lab 16 solution.
local M = {}

-- sizes are binary (100 MB/s = 100 MiB/s). Round 0: 4 GiB in 4 s, 400 MiB dirtied;
-- round 1: those 400 MiB in 0.39 s, 39 MiB dirtied ≤ 307.2 MiB (300 ms of the link):
-- stop the VM and send them
M.rounds = 2
M.downtime_seconds = 39.0625 / 1024                  -- ≈ 38.1 ms ("38.1 ms" works too)
M.total_seconds = 4 + 400 / 1024 + 39.0625 / 1024    -- ≈ 4.43 s

-- auto-converge acts on every second pass that dirtied more than half of what it sent:
-- rounds 0 and 1 are such passes, so round 2 runs at 20 %; rounds 2 and 3 are too, so
-- round 4 runs at 30 % (migration/ram.c, migration_trigger_throttle)
M.qemu_throttles = { 0, 0, 0.2, 0.2 }
-- Xen (migration v2) resends the 3 GiB set for its 5 live iterations, then stops the
-- domain for it
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
