-- Lab 15: I/O devices and hypervisor types. Fill in every answer, then, from the lab's
-- folder, run
--   hyperlab check . --submission <this folder>
-- Sizes can be numbers of bytes or strings such as "2 GiB" or "512 MiB" (KB/MB/GB are
-- binary, as in vSphere). Booleans are true or false.
local M = {}

-- Three VMs with 2 vCPUs, one per NIC adapter ("e1000" emulated, "vmxnet3"
-- paravirtual, "passthrough" DirectPath I/O on a 10 Gb/s physical NIC), each asks for
-- 5 Gb/s.

-- 1. Gb/s such a VM gets through `adapter` when it asks for `demand` Gb/s (a number).
--    Return Gb/s as a number, or a string such as "2.5 Gb/s" or "800 Mb/s".
function M.gbps(adapter, demand)
  return nil
end

-- 2. The three adapter names in a list, from most to least CPU per Gb/s, and the name
--    of the one with the lowest latency:
M.cpu_order = nil
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
M.type2_write_slowdown = nil    -- time of a 10 GiB write on type 2 ÷ on type 1 (a number)
M.type2_gives_vms_less_cpu = nil

-- 4.4 Memory the operating system of a type 2 host with `memory` bytes keeps (return
--     bytes or a size string):
function M.host_os_memory_for(memory)
  return nil
end

return M
