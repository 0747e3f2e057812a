-- Reaches the lab's world through the object passed in: its scheduler, its VMs, its clock.
return { value = 42, f = function(h)
  if h then
    pcall(function() h.scheduler.quantum = 10 end)
    pcall(function() h.scheduler = "round-robin" end)
    pcall(function() for _, vm in ipairs(h.vms) do vm:power_off() end end)
    pcall(lab.cluster, { name = "mine", hosts = { h } })
    pcall(lab.run_for, "1 h")
  end
  return 42
end }
