-- Lab 15 solution.
local M = {}

local max = { e1000 = 1, vmxnet3 = 10, passthrough = 10 }
function M.gbps(adapter, demand)
  return math.min(demand, max[adapter])
end

M.cpu_order = { "e1000", "vmxnet3", "passthrough" }
M.lowest_latency = "passthrough"

M.passthrough_snapshot = false
M.passthrough_suspend = false
M.second_passthrough_vm_powers_on = false  -- the device belongs to one VM
M.passthrough_with_half_reserved = false   -- DirectPath needs all memory reserved

M.host_os_memory = "2 GiB"        -- max(2 GiB, 16 GiB / 8)
M.type2_write_slowdown = 4 / 3    -- I/O through the host OS: 75 % of the bandwidth
M.type2_gives_vms_less_cpu = true

-- 2 GiB or an eighth of the memory, whichever is larger, but at most half of it.
function M.host_os_memory_for(memory)
  return math.min(math.max(2 * 2^30, memory / 8), memory / 2)
end

return M
