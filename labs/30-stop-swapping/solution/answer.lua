-- Lab 30 solution: lift memory limits below what a VM uses, then move VMs off hosts
-- whose VMs use more than the host has, to the host with the most room, smallest first.
local M = {}

local gib = 1024 * 1024 * 1024

-- What a VM needs resident: what it holds now plus what the host swapped of it, with
-- some room for its overhead.
local function need(vm)
  return vm.memory.consumed + vm.memory.swapped + vm.memory.compressed + vm.memory.overhead
end

function M.fix(world)
  local used = {}
  for _, h in ipairs(world.hosts) do used[h.name] = 0 end
  for _, vm in ipairs(world.vms) do
    if vm.memory.limit and vm.memory.limit < need(vm) then vm.memory.limit = nil end
    used[vm.host.name] = used[vm.host.name] + need(vm)
  end
  for _, h in ipairs(world.hosts) do
    -- keep a gigabyte free so the host stays in its high state
    local room = h.memory.capacity - gib
    local mine = {}
    for _, vm in ipairs(world.vms) do
      if vm.host.name == h.name then mine[#mine + 1] = vm end
    end
    table.sort(mine, function(a, b) return need(a) < need(b) end)
    for _, vm in ipairs(mine) do
      if used[h.name] <= room then break end
      local best, spare = nil, -1
      for _, other in ipairs(world.hosts) do
        local free = other.memory.capacity - gib - used[other.name]
        if other.name ~= h.name and free >= need(vm) and free > spare then best, spare = other, free end
      end
      if best then
        vm:migrate{ host = best }
        used[h.name] = used[h.name] - need(vm)
        used[best.name] = used[best.name] + need(vm)
      end
    end
  end
end

return M
