-- Lab 01 reference solution.
local M = {}

M.provisioned = "4 GiB"            -- the configured size the guest sees
M.consumed_at_power_on = 0         -- lazy allocation: nothing written, nothing backed
M.consumed_after_boot = "1.5 GiB"  -- exactly what the guest wrote
M.consumed_after_close = "3.5 GiB" -- freed pages stay backed: the host cannot see the free list
M.guest_used_after_close = "1.5 GiB"
M.active_with_browser = "1 GiB"    -- the browser's working set
M.active_falls = "slowly"          -- the estimate rises fast and falls over several periods
M.consumed_after_reuse = "3.5 GiB" -- the guest reuses its free list: no new pages are backed

function M.reclaimable(vm)
  return vm.memory.consumed - vm.guest.used
end

M.working_set_counter = "active"

return M
