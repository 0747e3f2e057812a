-- A balloon policy returning 1e300 bytes: Int64(1e300) trapped the model.
return { value = 42, f = function()
  local pol = lab.balloon_policy{ name = "huge", target = function(view)
    local t = {}
    for _, v in ipairs(view.vms) do t[v.name] = 1e300 end
    return t
  end }
  local h = lab.host{ name = "evil61", cpus = 2, memory = "4 GiB" }
  h.reclaim.balloon.policy = pol
  for i = 1, 3 do
    local vm = h:create_vm{ name = "vm61-" .. i, memory = "2 GiB" }
    vm:power_on()
    vm.guest:touch("2 GiB")
  end
  lab.run_for("5 min")
  return 42
end }
