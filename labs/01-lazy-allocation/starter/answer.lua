-- Lab 01: lazy allocation. Replace every nil with your answer, then, from the lab's
-- folder, run
--   hyperlab check . --submission my-answer
-- (my-answer being your copy of this folder).
-- Sizes can be numbers of bytes or strings such as "1.5 GiB" or "512 MiB"
-- (KB, MB and GB are binary, as in vSphere).
local M = {}

-- A 4 GiB, 2-vCPU VM is created on a 16 GiB host and powered on.

-- 1. Its provisioned memory:
M.provisioned = nil

-- 2. Its consumed memory right after power-on, before the guest writes anything:
M.consumed_at_power_on = nil

-- 3. The guest OS boots and writes 1.5 GiB. Consumed memory now:
M.consumed_after_boot = nil

-- The user opens a browser that allocates 2 GiB and keeps 1 GiB of it busy.
-- Ten minutes later the browser is closed and frees all of its memory.

-- 4. Consumed memory after the browser closed:
M.consumed_after_close = nil

-- 5. Memory the guest OS still uses after the browser closed:
M.guest_used_after_close = nil

-- 6. Active memory while the browser was open (after ten minutes):
M.active_with_browser = nil

-- 7. After the browser closes, does active memory drop "at once" or "slowly"?
--    (one of these two strings)
M.active_falls = nil

-- 8. The guest then allocates 1 GiB for another program. Consumed memory now:
M.consumed_after_reuse = nil

-- 9. Write a function that returns how much of a VM's consumed memory its guest has
--    freed (backed by the host, unused by the guest), as a number of bytes or a size
--    string such as "2 GiB". It is tried on VMs in several states, powered on and off.
--    Useful properties: vm.memory.consumed, vm.guest.used, vm.state.
function M.reclaimable(vm)
  return 0
end

-- 10. Which counter shows how much memory the guest needs right now:
--     "provisioned", "consumed" or "active"?
M.working_set_counter = nil

return M
