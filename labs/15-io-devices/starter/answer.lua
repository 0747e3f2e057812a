-- Lab 15: I/O devices and hypervisor types. Fill in every answer, then run
--   hyperlab run labs/15-io-devices --submission <this folder>
local M = {}

-- Three VMs, one per NIC adapter ("e1000" emulated, "vmxnet3" paravirtual,
-- "passthrough" DirectPath I/O on a 10 Gb/s physical NIC), each asks for 5 Gb/s.

-- 1. Gb/s the VM gets through `adapter` when it asks for `demand` Gb/s:
function M.gbps(adapter, demand)
  return demand
end

-- 2. The adapters from most to least CPU per Gb/s, and the one with the lowest latency:
M.cpu_order = { "passthrough", "vmxnet3", "e1000" }
M.lowest_latency = nil

-- 3. With a pass-through NIC: can the VM be snapshotted? suspended? Does a second VM
--    with a pass-through NIC power on, on a host with one assignable device? Can a VM
--    with a pass-through NIC be created with only half its memory reserved?
M.passthrough_snapshot = nil
M.passthrough_suspend = nil
M.second_passthrough_vm_powers_on = nil
M.passthrough_with_half_reserved = nil

-- 4. The same workloads on a type 1 and a type 2 host (2 pCPUs, 16 GiB):
M.host_os_memory = nil          -- memory the type 2 host's operating system keeps
M.type2_write_slowdown = nil    -- time of a 10 GiB write on type 2 ÷ on type 1
M.type2_gives_vms_less_cpu = nil

return M
