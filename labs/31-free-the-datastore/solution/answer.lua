-- Lab 31 solution: consolidate every snapshot, power off the VMs nobody needs (their
-- .vswp files go), then answer "retry" on every VM still paused.
local M = {}

function M.fix(world)
  local spare = {}
  for _, vm in ipairs(world.expendable) do spare[vm.name] = true end
  for _, vm in ipairs(world.vms) do
    local names = vm.snapshots
    for i = #names, 1, -1 do vm:delete_snapshot(names[i]) end
  end
  for _, vm in ipairs(world.vms) do
    if spare[vm.name] and vm.state ~= "off" then vm:power_off() end
  end
  for _, vm in ipairs(world.vms) do
    if vm.state == "paused" then vm:answer("retry") end
  end
end

return M
