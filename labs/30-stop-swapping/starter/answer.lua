-- Lab 30: stop the swapping. Fill in M.fix; then, from the lab's folder, run
--   hyperlab check . --submission <this folder>
--
-- M.fix(world) is called once, while the VMs run, with
--   world.hosts: the hosts (h.name, h.memory.capacity, h.memory.free, h.memory.state,
--                h.memory.swapped, h.vms ...)
--   world.vms:   the VMs (vm.name, vm.host, vm.tools, vm.memory.configured,
--                vm.memory.active, vm.memory.consumed, vm.memory.swapped,
--                vm.memory.swap_out_rate, vm.memory.swap_in_rate, vm.memory.target,
--                vm.memory.limit, vm.memory.reservation ...)
-- Sizes are in bytes, rates in bytes per second (esxtop's SWW/s and SWR/s, last 20 s).
-- You may take these administrator's actions, and no others:
--   vm:migrate{ host = h }                       vMotion to another host
--   vm.memory.shares = number
--   vm.memory.reservation = "2 GiB" | bytes
--   vm.memory.limit = "4 GiB" | bytes | nil      (nil removes the limit)
-- Anything else (powering off, adding memory to a host) is refused with an error saying why.
-- Write a fix that reads the world: it also runs on datacenters you have not seen.
local M = {}

function M.fix(world)
  for _, vm in ipairs(world.vms) do
    print(vm.name, vm.host.name, vm.memory.swap_out_rate)
  end
end

return M
