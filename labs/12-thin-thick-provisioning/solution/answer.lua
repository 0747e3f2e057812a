-- Lab 12 solution.
local M = {}

function M.used_at_creation(provisioning, size)
  if provisioning == "thin" then return 0 end
  return size
end

M.eager_zeroing_seconds = 40 * 1024 / 400   -- 40 GiB at 400 MiB/s = 102.4 s

M.first_write_ratio = 2    -- a zero-fill plus the write
M.second_write_ratio = 1   -- blocks already zeroed

-- 3 × 50 + 20 + 20 × 2 (the snapshot's delta may grow to its base) = 210 GiB of disks,
-- plus the small files, on 100 GiB
M.provisioned_percent = 210.4
M.paused = { "web1", "web2" }   -- web3's 5 GiB fit; the database rewrites allocated blocks

-- The lab applies these actions in order: first the space, then the answers.
function M.recover(env)
  local actions = {
    -- its delta rewrote base blocks: deleting the snapshot frees it, the patch stays
    { action = "delete_snapshot", vm = env.test.name, snapshot = "before-patch" },
  }
  for _, vm in ipairs(env.paused) do
    if vm.state == "paused" then actions[#actions + 1] = { action = "answer", vm = vm.name, choice = "retry" } end
  end
  return actions
end

return M
