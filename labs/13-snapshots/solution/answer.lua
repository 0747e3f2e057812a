-- Lab 13 solution.
local M = {}

M.delta_after_upgrade = "2 GiB"
M.delta_after_new = "3 GiB"
M.delta_after_two_passes = "9 GiB"   -- each block is copied to the delta once; 9 GiB ≤ the 20 GiB base

-- A rewritten block is copied to the delta once, however often it is rewritten; new
-- blocks all go to the delta.
function M.delta_size(data, rewritten, new)
  return math.min(rewritten, data) + new
end

M.provisioned_with_three_snapshots = "80 GiB"   -- base × (1 + 3)

M.freed_by_revert = "9 GiB"        -- the delta is discarded
M.data_after_revert = "8 GiB"      -- back to before the upgrade

M.thick_pauses_without_snapshot = false  -- its 20 GiB were allocated at creation
M.thick_pauses_with_snapshot = true      -- the delta needs new space: only ~3.5 GiB were free

-- The lab applies these actions in order: first the space, then the answer.
function M.consolidate(vm)
  return {
    { action = "delete_snapshot", snapshot = "backup" },  -- its delta holds rewrites of base blocks: merging frees it
    { action = "answer", vm = vm.name, choice = "retry" },
  }
end

return M
