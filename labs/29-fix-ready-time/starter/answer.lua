-- Lab 29: fix the ready time. Fill in M.fix; then, from the lab's folder, run
--   hyperlab check . --submission <this folder>
--
-- M.fix(world) is called once, while the VMs run, with
--   world.hosts: the hosts (h.name, h.cpus, h.mhz, h.vms, h.cpu ...)
--   world.vms:   the VMs (vm.name, vm.vcpus, vm.host, vm.cpu.run, vm.cpu.ready,
--                vm.cpu.costop, vm.cpu.limited, vm.cpu.used_mhz, vm.cpu.limit ...)
-- Metrics are esxtop's, in percent of the last 20 s sample, averaged over a VM's vCPUs.
-- You may take these administrator's actions, and no others:
--   vm:migrate{ host = h }            vMotion to another host
--   vm.cpu.shares = "high" | number   vm.cpu.reservation = "1 GHz" | MHz
--   vm.cpu.limit = "1 GHz" | MHz | nil (nil removes the limit)
-- Anything else (powering off, changing a host) is refused with an error saying why.
-- Write a fix that reads the world: it also runs on datacenters you have not seen.
local M = {}

function M.fix(world)
  for _, vm in ipairs(world.vms) do
    print(vm.name, vm.host.name, vm.cpu.ready)
  end
end

return M
