-- A balloon policy that changes the world (runs time, creates hosts, powers VMs off)
-- while the host asks it for targets.
return { value = 42, f = function()
  local vms = {}
  local pol = lab.balloon_policy{ name = "reentrant", target = function(view)
    pcall(lab.run_for, 1)
    pcall(lab.host, { name = "late" .. view.now, cpus = 1, memory = "1 GiB" })
    for _, vm in ipairs(vms) do pcall(vm.power_off, vm) end
    return {}
  end }
  local h = lab.host{ name = "evil63", cpus = 2, memory = "4 GiB" }
  h.reclaim.balloon.policy = pol
  for i = 1, 3 do
    vms[i] = h:create_vm{ name = "vm63-" .. i, memory = "2 GiB" }
    vms[i]:power_on()
    vms[i].guest:touch("2 GiB")
  end
  lab.run_for("5 min")
  return 42
end }
