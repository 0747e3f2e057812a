-- Lab 17 solution.
local M = {}

M.slot_mhz = 2000          -- the largest CPU reservation
M.slot_memory = "2 GiB"    -- the largest memory reservation
M.failover_capacity = 1    -- slots 4 + 3 + 3 = 10; without the largest host, 6 ≥ 5 VMs
M.vms_powered_on = 6       -- a 6th fits (6 ≤ 6 slots left after a failure), a 7th does not

M.web_downtime_seconds = 45   -- 15 s to detect + 30 s to boot
M.db_downtime_seconds = 0     -- the secondary takes over in lockstep
M.web_memory_after_restart = 0        -- a restart loses the memory state
M.db_memory_after_failover = "2 GiB"  -- FT keeps it

M.gpu_state = "off"           -- DirectPath I/O: not protected
M.db_has_new_secondary = true

return M
