-- A scheduling policy that powers VMs off and creates new ones inside pick: the
-- scheduler indexed freed raw-memory slots. The world is frozen while it chooses.
return { value = 42, f = function()
  local vms, h = {}, nil
  local p = lab.scheduler{ name = "reentrant", quantum = "50 ms", pick = function(view)
    for _, vm in ipairs(vms) do pcall(vm.power_off, vm) end
    for i = 1, 50 do pcall(function() h:create_vm{ name = "x" .. i .. "-" .. view.now, memory = "64 MiB" }:power_on() end) end
    local ids = {}
    for i, r in ipairs(view.runnable) do if i <= view.pcpus then ids[i] = r.id end end
    return ids
  end }
  h = lab.host{ name = "evil62", cpus = 2, memory = "64 GiB", scheduler = p }
  for i = 1, 4 do
    vms[i] = h:create_vm{ name = "vm62-" .. i, memory = "1 GiB" }
    vms[i]:power_on()
    vms[i]:run(lab.workload.cpu{ load = 1 })
  end
  lab.run_for("1 min")
  return #vms
end }
