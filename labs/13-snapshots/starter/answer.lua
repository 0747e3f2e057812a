-- Lab 13: snapshots. Fill in every answer, then, from the lab's folder, run
--   hyperlab check . --submission <this folder>
-- Sizes can be numbers of bytes or strings such as "1.5 GiB", "512 MiB" or "2 GB"
-- (KB/MB/GB are binary, as in vSphere). Booleans are true or false.
local M = {}

-- A VM has a 20 GiB thin disk holding 8 GiB of data. Its admin takes a snapshot
-- "before-upgrade"; the upgrade then rewrites 2 GiB of the existing data.

-- 1. Sizes of the snapshot's delta:
M.delta_after_upgrade = nil      -- after the upgrade
M.delta_after_new = nil          -- after the VM then adds 1 GiB of new data
M.delta_after_two_passes = nil   -- after two full passes rewriting all 9 GiB of data

-- 1.4 Any disk: it holds `data` when a snapshot is taken; the guest then rewrites
--     `rewritten` bytes of that data (cycling over it when it rewrites more than there
--     is), then writes `new` bytes of new data (the disk has room for it). Arguments are
--     numbers of bytes; return the delta's size (bytes or a size string).
function M.delta_size(data, rewritten, new)
  return nil
end

-- 2. Two more snapshots are taken. What may the disk's files grow to (base + 3 deltas)?
M.provisioned_with_three_snapshots = nil

-- 3. The VM is powered off and reverted to "before-upgrade".
M.freed_by_revert = nil          -- datastore space freed
M.data_after_revert = nil        -- data on the disk afterwards

-- 4. A VM with a 20 GiB thick-lazy disk on a 24 GiB datastore writes 15 GiB. Does it
--    pause for lack of space (true/false)? Then it gets a snapshot "backup" and rewrites
--    10 GiB of its data: does it pause now?
M.thick_pauses_without_snapshot = nil
M.thick_pauses_with_snapshot = nil

-- 5. Get that paused VM going again, with its snapshot "backup" merged into its disk
--    and none of its data lost. `vm` is the VM: read it (vm.state, vm.question,
--    vm.snapshots, vm.disks) but do not change it: return the administrator's actions,
--    a list the lab applies to the VM in order. Each action is one of
--      { action = "delete_snapshot", snapshot = NAME }
--      { action = "revert", snapshot = NAME }     (the VM must be off)
--      { action = "power_off" }
--      { action = "answer", choice = "retry" }    (or choice = "cancel")
--    (each may also say vm = vm.name). Graded on another VM too. The form of the
--    result, for instance (this is NOT the answer):
--      return { { action = "power_off" }, { action = "revert", snapshot = "s1" } }
function M.consolidate(vm)
  return {}
end

return M
