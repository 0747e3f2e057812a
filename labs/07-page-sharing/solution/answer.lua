-- Lab 07 solution.
local M = {}

M.overcommit = 24 / 16

-- Zero pages share within a VM under every setting (one machine page holds them all);
-- image pages share across VMs only when salting lets the VMs share with each other.
local data = lab.bytes("2 GiB") - lab.bytes("256 MiB")
function M.saved(salting, vms)
  local zero_saved = vms * 0.1 * data
  if salting == 2 then return zero_saved end
  return zero_saved + (vms - 1) * lab.bytes("256 MiB")   -- one copy of the image kept
end

M.salts = { web1 = "web", web2 = "web", db1 = "db", db2 = "db" }

M.saved_with_large_pages = 0
M.large_pages_broken_below = "high"

M.saved_drop_after_update = "256 MiB"

return M
