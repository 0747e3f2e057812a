-- Lab 29 solution: lift limits that hold VMs back, then move VMs off over-committed hosts
-- to the hosts with the most spare pCPUs, smallest demand first.
local M = {}

-- pCPUs a VM wants: its vCPUs times the share of time they run or wait to run.
local function demand(vm)
  return vm.vcpus * (vm.cpu.run + vm.cpu.ready + vm.cpu.costop) / 100
end

function M.fix(world)
  local load = {}
  for _, h in ipairs(world.hosts) do load[h.name] = 0 end
  for _, vm in ipairs(world.vms) do
    if vm.cpu.limit and vm.cpu.limited > 1 then vm.cpu.limit = nil end
    load[vm.host.name] = load[vm.host.name] + demand(vm)
  end
  for _, h in ipairs(world.hosts) do
    local mine = {}
    for _, vm in ipairs(world.vms) do
      if vm.host.name == h.name then mine[#mine + 1] = vm end
    end
    table.sort(mine, function(a, b) return demand(a) < demand(b) end)
    for _, vm in ipairs(mine) do
      if load[h.name] <= h.cpus then break end
      local best, spare = nil, -1
      for _, other in ipairs(world.hosts) do
        local free = other.cpus - load[other.name]
        if other.name ~= h.name and free >= demand(vm) and free > spare then best, spare = other, free end
      end
      if best then
        vm:migrate{ host = best }
        load[h.name] = load[h.name] - demand(vm)
        load[best.name] = load[best.name] + demand(vm)
      end
    end
  end
end

return M
