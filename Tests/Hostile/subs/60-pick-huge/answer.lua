-- A scheduling policy whose pick returns math.huge (lab 06's own interface): Int(inf).
local M = { value = 42 }
M.scheduler = lab.scheduler{ name = "huge", quantum = "50 ms", pick = function() return { math.huge, -math.huge, 0 / 0 } end }
function M.f()
  local h = lab.host{ name = "evil60", cpus = 2, memory = "8 GiB", scheduler = M.scheduler }
  local vm = h:create_vm{ name = "vm60", memory = "1 GiB" }
  vm:power_on()
  vm:run(lab.workload.cpu{ load = 1 })
  lab.run_for("1 min")
  return 42
end
return M
