-- A Xen cap of math.huge reached an Int64 conversion.
return { value = math.huge, f = function()
  lab.profile("xen")
  local h = lab.host{ name = "evil59", cpus = 2, memory = "8 GiB" }
  h:create_vm{ name = "vm59", memory = "1 GiB", cpu = { cap = math.huge } }
  return 42
end }
