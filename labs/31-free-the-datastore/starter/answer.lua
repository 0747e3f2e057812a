-- Lab 31: free the datastore. Fill in M.fix; then, from the lab's folder, run
--   hyperlab check . --submission <this folder>
--
-- M.fix(world) is called once, while VMs wait with a question, with
--   world.datastore:  the datastore (ds.capacity, ds.free, ds.used, ds.provisioned,
--                     ds.files = { { name, kind, size, used, vm } ... })
--   world.vms:        every VM on it (vm.name, vm.state, vm.question, vm.snapshots,
--                     vm.disks, vm.storage, vm.memory.configured ...)
--   world.expendable: the VMs nobody needs now (a list of VMs of world.vms)
-- Sizes are in bytes. You may take these administrator's actions, and no others:
--   vm:delete_snapshot(name)      delete (consolidate) a snapshot
--   vm:power_off()                vm:suspend()
--   vm:answer("retry" | "cancel") answer a paused VM's question
-- Anything else is refused with an error saying why.
-- Write a fix that reads the world: it also runs on datastores you have not seen.
local M = {}

function M.fix(world)
  print(world.datastore.name, world.datastore.free)
  for _, vm in ipairs(world.vms) do
    print(vm.name, vm.state, vm.question)
  end
end

return M
