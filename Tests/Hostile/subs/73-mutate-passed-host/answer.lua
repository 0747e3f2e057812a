-- Takes the VM name the lab uses next on the host the lab passes in.
return { value = 42, f = function(h)
  if h then pcall(h.create_vm, h, { name = "vm", memory = "1 GiB" }) end
  return 42
end }
